{% macro collate_c(expression) -%}
    {#- Compare text by code point (metrics.md: "as collate \"C\""). -#}
    {{ return(adapter.dispatch('collate_c', 'callstats')(expression)) }}
{%- endmacro %}

{#- DuckDB compares strings by code point already. -#}
{% macro default__collate_c(expression) -%}
    {{ expression }}
{%- endmacro %}

{% macro postgres__collate_c(expression) -%}
    ({{ expression }} collate "C")
{%- endmacro %}
