{% test unique_combination_of_columns(model, combination_of_columns, rebuilt_by=none) %}
{#-
    Rows sharing the same values in every listed column (nulls equal to nulls). With
    `rebuilt_by` (call_id, started_hour, event_id or connection_key), only the rows of the
    keys the run rebuilt (in_change_set), so the test costs in proportion to the run. It reads
    a changed call's rows whatever their start (no call_start_column): a row a run failed to
    replace shows here, wherever it lies.
    On DuckDB the columns are grouped only in the rows whose 64-bit hash of them repeats:
    grouping 67 M turns by the hash and then the few such rows took 6.5 s at 10 M calls, by
    the columns themselves 10.2 s (row_key_hash groups raw rows by key so too).
-#}
{%- set columns = combination_of_columns | join(', ') %}
{%- set hashed = target.type == 'duckdb' %}

with

tested as {{ not_materialized() }} (
    select {{ columns }}
    from {{ model }}
    {%- if rebuilt_by %}
    where {{ in_change_set(rebuilt_by) }}
    {%- endif %}
)

{%- if hashed %},

repeated_hashes as (
    select hash({{ columns }}) as columns_hash
    from tested
    group by 1
    having count(*) > 1
)
{%- endif %}

select
    {{ columns }},
    count(*) as occurrences
from tested
{%- if hashed %}
where hash({{ columns }}) in (select repeated_hashes.columns_hash from repeated_hashes)
{%- endif %}
group by {{ columns }}
having count(*) > 1

{% endtest %}
