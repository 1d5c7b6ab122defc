{% macro json_comparable(column) -%}
    {{ return(adapter.dispatch('json_comparable', 'callstats')(column)) }}
{%- endmacro %}

{% macro default__json_comparable(column) -%}
    {{ column }}
{%- endmacro %}

{% macro duckdb__json_comparable(column) -%}
    json({{ column }})
{%- endmacro %}
