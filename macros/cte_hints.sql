{% macro not_materialized() -%}
    {#- The hint that a CTE read twice is inlined rather than computed once; none on Spark. -#}
    {{ return(adapter.dispatch('not_materialized', 'callstats')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro spark__not_materialized() -%}
{%- endmacro %}

{% macro materialized() -%}
    {#- The hint that a CTE is computed once, before the query that reads it, so the engine
        cannot move its filters past that query's joins; none on Spark. -#}
    {{ return(adapter.dispatch('materialized', 'callstats')()) }}
{%- endmacro %}

{% macro default__materialized() -%}
    materialized
{%- endmacro %}

{% macro spark__materialized() -%}
{%- endmacro %}
