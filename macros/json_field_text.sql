{% macro json_field_text(column, key) -%}
    {{ return(adapter.dispatch('json_field_text', 'callstats')(column, key)) }}
{%- endmacro %}

{% macro default__json_field_text(column, key) -%}
    ({{ column }} ->> '{{ key }}')
{%- endmacro %}

{% macro duckdb__json_field_text(column, key) -%}
    json_extract_string({{ column }}, '$.{{ key }}')
{%- endmacro %}
