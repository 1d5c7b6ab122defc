{% macro json_field(column, key) -%}
    {{ return(adapter.dispatch('json_field', 'callstats')(column, key)) }}
{%- endmacro %}

{% macro default__json_field(column, key) -%}
    ({{ column }} -> '{{ key }}')
{%- endmacro %}

{% macro duckdb__json_field(column, key) -%}
    json_extract({{ column }}, '$.{{ key }}')
{%- endmacro %}
