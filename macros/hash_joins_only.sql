{% macro hash_joins_only() %}
    {#-
        A pre-hook of fct_calls. On PostgreSQL, for the transaction that builds it: no
        nested-loop joins. It joins whole tables that have no indexes, and PostgreSQL
        estimates its join on two columns (a call and its latest version) at one row, so it
        chose nested loops over the calls' turns, tool calls and errors: quadratic in the
        calls (docs/decisions.md). Not for every model: the staging models' classification
        needs nested loops, and took 30 times as long without them. The other engines choose
        hash joins themselves: there it renders nothing, and dbt runs no statement.
    -#}
    {{ return(adapter.dispatch('hash_joins_only', 'callstats')()) }}
{% endmacro %}

{% macro default__hash_joins_only() %}{% endmacro %}

{% macro postgres__hash_joins_only() %}
    set local enable_nestloop = off
{% endmacro %}
