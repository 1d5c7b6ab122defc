{% macro type_json() -%}
    {{ return(adapter.dispatch('type_json', 'callstats')()) }}
{%- endmacro %}

{% macro default__type_json() -%}
    json
{%- endmacro %}

{% macro postgres__type_json() -%}
    jsonb
{%- endmacro %}

{#- Spark has no json type to store: json is its text, read with its json functions. -#}
{% macro spark__type_json() -%}
    string
{%- endmacro %}
