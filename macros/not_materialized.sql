{% macro not_materialized() -%}
    {#- The hint that a CTE read twice is inlined rather than computed once; none on Spark. -#}
    {{ return(adapter.dispatch('not_materialized', 'callstats')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
    not materialized
{%- endmacro %}

{% macro spark__not_materialized() -%}
{%- endmacro %}
