{% macro changed_id_rows(raw_table, changed_hours) -%}
    {#- Each row of raw.<raw_table> (and the platform rows shaped like it) loaded in
        `changed_hours`, with its id (the first key column, cleaned as staging cleans it) as
        `id`. -#}
    select
        {{ clean_text(raw_key_columns()[raw_table][0]) }} as id,
        *
    from {{ staged_rows(raw_table) }}
    where {{ within_hour_ranges('loaded_at', changed_hours) }}
{%- endmacro %}

{% macro loaded_with_changed_ids(raw_table, changed_hours) %}
    {#-
        Run at execution: a predicate on loaded_at (within_hour_ranges) that holds for every row
        of raw.<raw_table> (and the platform rows shaped like it) of an id with a row loaded,
        or staged (this) as loaded, in `changed_hours`: within an hour that holds such a row.
        Reading only those hours, an engine skips the blocks of the raw table loaded at other
        times.
        A raw id equals its cleaned id unless a space starts or ends it, so the rows are
        found by the raw id itself (a semi-join an engine can push into its scan of the raw
        table), and only the raw ids with such a space are cleaned (docs/decisions.md,
        Re-staging by loaded hours).
    -#}
    {%- if not changed_hours %}
        {{ return('false') }}
    {%- endif %}
    {%- set id_column = raw_key_columns()[raw_table][0] %}
    {%- set changed_ids %}
        select changed.id from ({{ changed_id_rows(raw_table, changed_hours) }}) as changed
        union
        select staged.{{ id_column }} from {{ this }} as staged
        where {{ within_hour_ranges('staged.loaded_at', changed_hours) }}
    {%- endset %}
    {%- set query %}
        select {{ dbt.date_trunc('hour', 'loaded_at') }} as loaded_hour
        from {{ staged_rows(raw_table) }}
        where {{ id_column }} in ({{ changed_ids }})
        union
        select {{ dbt.date_trunc('hour', 'loaded_at') }} as loaded_hour
        from {{ staged_rows(raw_table) }}
        where
            ({{ id_column }} like ' %' or {{ id_column }} like '% ')
            and {{ clean_text(id_column) }} in ({{ changed_ids }})
    {%- endset %}
    {{ return(within_hour_ranges('loaded_at', hour_ranges(query, 'loaded_hour'))) }}
{% endmacro %}

{% macro changed_blank_id_times(raw_table, changed_hours, time_column) %}
    {#- Run at execution: of the rows of raw.<raw_table> (and the platform rows shaped like it)
        loaded in `changed_hours` without an id (the first key column), whether they have a
        `time_column`: the distinct values of `time_column is not null` (none for no such
        row or no changed hour). -#}
    {%- if not changed_hours %}
        {{ return([]) }}
    {%- endif %}
    {%- set query %}
        select distinct changed.{{ time_column }} is not null as timed
        from ({{ changed_id_rows(raw_table, changed_hours) }}) as changed
        where changed.id is null
    {%- endset %}
    {{ return(run_query(query).columns[0].values() | list) }}
{% endmacro %}
