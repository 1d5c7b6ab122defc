{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'callstats')()) }}
{%- endmacro %}

{#- An 8-byte float (dbt.type_float() is a 4-byte one on DuckDB). -#}
{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
