{% macro classify_rows(
    raw_table, relation, columns, required_columns, time_column, invalid_when={},
    json_columns=[], tie_rank=none
) %}
    {#-
        Renders the CTEs that classify every row of `relation` (normalised raw rows) exactly
        once, ending with `classified`: an exact repeat (same values in every column but
        loaded_at as an earlier row; json compared as values), a rejected row with its reason,
        or the accepted row of its key (raw-tables.md). `invalid_when` maps a rejection reason
        to the condition that triggers it. Among a key's rows tied on the newest loaded_at, the
        greatest `tie_rank` wins (raw.calls: the status's lifecycle rank) and the others are
        superseded; rows still tied are all ambiguous. One window ranks a key's rows so,
        newest first (one sort of the rows compared, not one per rule).

        Most keys have one row: those rows are only checked. Only the rows whose row_key_hash
        occurs more than once go through the window functions that compare rows with each
        other; those partition by the key columns themselves, so rows of two keys that share
        a hash are classified as if each were alone. No key is kept: the audit models, which
        show the row_key, compute it for the few rows they read.

        An incremental run re-classifies, in full, the rows of every id (the first key column)
        that has a row, raw or staged, in an hour of loaded_at whose rows in raw.<raw_table>
        differ from this model's (changed_load_hours; a row stamped with an old loaded_at counts
        as much as a new one). It reads them in the hours that hold them
        (loaded_with_changed_ids). An id staged there whose raw rows are all gone (a platform
        row that a newer record no longer gives, such as a tool call a newer Retell version
        drops) comes out as one `withdrawn` row, deleted with the id's older rows. Rows without an
        id are all rejected, so a row without an id changes the classification only of the
        rows it may repeat: with the rows without an id loaded in a changed hour, the run
        re-classifies every row without an id whose `time_column` (a column of the row's own
        time, which a repeat shares) equals one of theirs. The id column of `relation` is the
        raw column of that name, cleaned (clean_text).
        Each row records the run that classified it (`staged_at`); the rows the run appends
        replace the older rows of those ids and times, deleted after it
        (delete_replaced_rows).
    -#}
{%- set key_columns = raw_key_columns()[raw_table] %}
{%- set id_column = key_columns[0] %}
{{- config(post_hook="{{ delete_replaced_rows('" ~ id_column ~ "', '" ~ time_column ~ "') }}") }}
{%- set checks %}
        case
            {%- for column in required_columns %}
            when {{ column }} is null then 'missing_{{ column }}'
            {%- endfor %}
            {%- for reason, condition in invalid_when.items() %}
            when {{ condition }} then '{{ reason }}'
            {%- endfor %}
        end
{%- endset %}
{%- if is_incremental() %}
    {%- do require_staged_columns(columns) %}
    {%- set changed_hours = changed_load_hours(raw_table) %}
restaged_ids as (
    select {{ id_column }} from {{ relation }}
    where {{ within_hour_ranges('loaded_at', changed_hours) }}
    union
    select {{ id_column }} from {{ this }}
    where {{ id_column }} is not null and {{ within_hour_ranges('loaded_at', changed_hours) }}
),

restaged as (
    select * from {{ relation }}
    where
        {{ loaded_with_changed_ids(raw_table, changed_hours) }}
        and {{ id_column }} in (select restaged_ids.{{ id_column }} from restaged_ids)
    {%- set blank_id_times = changed_blank_id_times(raw_table, changed_hours, time_column) %}
    {%- if true in blank_id_times %}
    union all
    select * from {{ relation }}
    where
        {{ id_column }} is null
        and {{ time_column }} in (
            select {{ time_column }} from {{ relation }}
            where {{ id_column }} is null and {{ within_hour_ranges('loaded_at', changed_hours) }}
        )
    {%- endif %}
    {%- if false in blank_id_times %}
    union all
    select * from {{ relation }}
    where {{ id_column }} is null and {{ time_column }} is null
    {%- endif %}
),

withdrawn_ids as (
    select restaged_ids.{{ id_column }} from restaged_ids
    where
        restaged_ids.{{ id_column }} is not null
        and restaged_ids.{{ id_column }} not in (
            select restaged.{{ id_column }} from restaged
            where restaged.{{ id_column }} is not null
        )
),
    {%- set relation = 'restaged' %}
{%- endif %}

keyed as {{ not_materialized() }} (
    select
        *,
        {{ row_key_hash(raw_table) }} as row_key_hash
    from {{ relation }}
),

repeated_keys as (
    select row_key_hash
    from keyed
    group by 1
    having count(*) > 1
),

single_rows as (
    select
        keyed.*,
        {{ checks }} as invalid_reason
    from keyed
    left join repeated_keys
        on keyed.row_key_hash = repeated_keys.row_key_hash
    where repeated_keys.row_key_hash is null
),

repeated_rows as (
    select
        keyed.*
        {%- for column in json_columns %},
        {{ json_comparable(column, key_columns) }} as {{ column }}_comparable
        {%- endfor %}
    from keyed
    inner join repeated_keys
        on keyed.row_key_hash = repeated_keys.row_key_hash
),

occurrences as (
    select
        *,
        row_number() over (
            partition by
            {%- for column in columns if column != 'loaded_at' %}
                {{ column ~ '_comparable' if column in json_columns else column }}
                {{- "," if not loop.last }}
            {%- endfor %}
            order by loaded_at
        ) as content_occurrence
    from repeated_rows
),

checked as (
    select
        *,
        case when content_occurrence = 1 then {{ checks }} end as invalid_reason
    from occurrences
),

{%- set newest_first %}
            partition by invalid_reason is null, {{ key_columns | join(', ') }}
            order by loaded_at desc{{ ', ' ~ tie_rank ~ ' desc' if tie_rank }}
{%- endset %}

ranked as (
    select
        *,
        rank() over ({{ newest_first }}
        ) as version_rank,
        count(*) over ({{ newest_first }}
            range between current row and current row
        ) as rows_at_rank
    from checked
    where content_occurrence = 1
),

classified_repeats as (
    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        case
            when invalid_reason is not null then 'rejected'
            when version_rank > 1 then 'rejected'
            when rows_at_rank > 1 then 'rejected'
            else 'accepted'
        end as row_disposition,
        case
            when invalid_reason is not null then invalid_reason
            when version_rank > 1 then 'superseded'
            when rows_at_rank > 1 then 'ambiguous_version'
        end as rejection_reason
    from ranked

    union all

    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        'exact_repeat' as row_disposition,
        cast(null as {{ dbt.type_string() }}) as rejection_reason
    from checked
    where content_occurrence > 1
),

classified as (
    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        case when invalid_reason is null then 'accepted' else 'rejected' end as row_disposition,
        invalid_reason as rejection_reason,
        {{ timestamp_literal(run_started_at) }} as staged_at
    from single_rows

    union all

    select
        *,
        {{ timestamp_literal(run_started_at) }} as staged_at
    from classified_repeats
    {%- if is_incremental() %}

    union all

    select
        {%- for column in columns %}
        {{ id_column if column == id_column else 'null' }} as {{ column }},
        {%- endfor %}
        'withdrawn' as row_disposition,
        cast(null as {{ dbt.type_string() }}) as rejection_reason,
        {{ timestamp_literal(run_started_at) }} as staged_at
    from withdrawn_ids
    {%- endif %}
)
{% endmacro %}

{% macro require_staged_columns(columns) %}
    {#-
        Stops an incremental run of a base model whose table lacks one of the `columns` it
        stages, as a table built before the column was added does: the run's queries of the
        table would fail on it, and only a full refresh gives its rows the column.
    -#}
    {%- if execute and model.resource_type != 'unit_test' %}
        {%- set built = adapter.get_columns_in_relation(this) | map(attribute='name')
            | map('lower') | list %}
        {%- set missing = columns | reject('in', built) | list %}
        {%- if missing %}
            {{ exceptions.raise_compiler_error(
                this.identifier ~ ' has no column ' ~ missing | join(', ')
                ~ ' (built before it was added): run `callstats build --full-refresh` once'
            ) }}
        {%- endif %}
    {%- endif %}
{% endmacro %}
