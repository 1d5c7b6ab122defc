{% macro type_json() -%}
    {{ return(adapter.dispatch('type_json', 'callstats')()) }}
{%- endmacro %}

{% macro default__type_json() -%}
    json
{%- endmacro %}

{% macro postgres__type_json() -%}
    jsonb
{%- endmacro %}
