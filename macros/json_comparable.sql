{% macro json_comparable(column) -%}
    {{ return(adapter.dispatch('json_comparable', 'callstats')(column)) }}
{%- endmacro %}

{#- A form of a json value that is equal for equal parsed values (jsonb already is). -#}
{% macro default__json_comparable(column) -%}
    {{ column }}
{%- endmacro %}

{% macro duckdb__json_comparable(column) -%}
    {#- json_canonical is registered by the callstats.duckdb_functions dbt-duckdb plugin. -#}
    json_canonical({{ column }})
{%- endmacro %}
