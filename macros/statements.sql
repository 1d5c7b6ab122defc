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

{% macro delete_rows(relation, key_column, keys, condition='true') -%}
    {#-
        Delete from `relation` the rows whose `key_column` equals a row of `keys` (a query of
        that one column; nulls equal) and that meet `condition` (on `relation`'s columns,
        named `target.<column>` where `keys` has a column of that name).
    -#}
    {{ return(adapter.dispatch('delete_rows', 'callstats')(relation, key_column, keys, condition)) }}
{%- endmacro %}

{% macro default__delete_rows(relation, key_column, keys, condition) -%}
    delete from {{ relation }} as target
    where ({{ condition }}) and {{ matches_keys(key_column, keys) }}
{%- endmacro %}

{#-
    Spark's Parquet tables cannot delete rows: the rows to keep go into a new table (its
    columns as the old one's), which then takes the old one's place.
-#}
{% macro spark__delete_rows(relation, key_column, keys, condition) -%}
    {%- set kept = relation.incorporate(path={'identifier': relation.identifier ~ '__dbt_kept'}) %}
    {{ statements([
        'drop table if exists ' ~ kept,
        'create table ' ~ kept ~ ' like ' ~ relation,
        'insert into ' ~ kept ~ ' select * from ' ~ relation ~ ' as target left anti join ('
            ~ keys ~ ') as replaced on replaced.' ~ key_column ~ ' <=> target.' ~ key_column
            ~ ' and (' ~ condition ~ ')',
        'drop table ' ~ relation,
        'alter table ' ~ kept ~ ' rename to ' ~ relation,
    ]) }}
{%- endmacro %}
