{% macro statements(sql_statements) -%}
    {#-
        A hook's SQL statements, run in order. Spark runs one statement per call: there all but
        the last run here, and the hook runs the last.
    -#}
    {{ return(adapter.dispatch('statements', 'callstats')(sql_statements)) }}
{%- endmacro %}

{% macro default__statements(sql_statements) -%}
    {{ sql_statements | join(';\n') }}
{%- endmacro %}

{% macro spark__statements(sql_statements) -%}
    {%- for statement in sql_statements[:-1] %}
        {%- do run_query(statement) %}
    {%- endfor %}
    {{ sql_statements[-1] }}
{%- endmacro %}

{% macro replace_rows(relation, rows) -%}
    {#- Replace every row of `relation` with `rows` (a query or a values list). -#}
    {{ return(adapter.dispatch('replace_rows', 'callstats')(relation, rows)) }}
{%- endmacro %}

{% macro default__replace_rows(relation, rows) -%}
    {{ statements(['delete from ' ~ relation, 'insert into ' ~ relation ~ ' ' ~ rows]) }}
{%- endmacro %}

{#- Spark's Parquet tables cannot delete rows. -#}
{% macro spark__replace_rows(relation, rows) -%}
    insert overwrite table {{ relation }} {{ rows }}
{%- endmacro %}
