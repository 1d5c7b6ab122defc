{% macro classify_rows(
    relation, columns, key_columns, required_columns, invalid_when={}, json_columns=[]
) %}
    {#-
        Renders the CTEs that classify every row of `relation` (normalised raw rows) exactly
        once, ending with `classified`: an exact repeat (same values in every column but
        loaded_at as an earlier row; json compared as values), a rejected row with its reason,
        or the accepted row of its key (raw-tables.md). `invalid_when` maps a rejection reason
        to the condition that triggers it. Rows whose key occurs once (most of them) skip the
        window functions that compare rows with each other.
    -#}
keyed as (
    select
        *,
        count(*) over (partition by {{ key_columns | join(', ') }}) as rows_with_key
    from {{ relation }}
),

occurrences as (
    select
        *,
        1 as content_occurrence
    from keyed
    where rows_with_key = 1

    union all

    select
        *,
        row_number() over (
            partition by
            {%- for column in columns if column != 'loaded_at' %}
                {{ json_comparable(column) if column in json_columns else column }}
                {{- "," if not loop.last }}
            {%- endfor %}
            order by loaded_at
        ) as content_occurrence
    from keyed
    where rows_with_key > 1
),

checked as (
    select
        *,
        case
            when content_occurrence > 1 then null
            {%- for column in required_columns %}
            when {{ column }} is null then 'missing_{{ column }}'
            {%- endfor %}
            {%- for reason, condition in invalid_when.items() %}
            when {{ condition }} then '{{ reason }}'
            {%- endfor %}
        end as invalid_reason
    from occurrences
),

candidates as (
    select
        *,
        content_occurrence = 1 and invalid_reason is null as is_candidate
    from checked
),

ranked as (
    select
        *,
        loaded_at as newest_loaded_at,
        1 as rows_at_loaded_at
    from candidates
    where rows_with_key = 1

    union all

    select
        *,
        max(loaded_at) over (
            partition by is_candidate, {{ key_columns | join(', ') }}
        ) as newest_loaded_at,
        count(*) over (
            partition by is_candidate, {{ key_columns | join(', ') }}, loaded_at
        ) as rows_at_loaded_at
    from candidates
    where rows_with_key > 1
),

classified as (
    select
        {%- for column in columns %}
        {{ column }},
        {%- endfor %}
        {{ row_key(key_columns) }} as row_key,
        case
            when content_occurrence > 1 then 'exact_repeat'
            when not is_candidate then 'rejected'
            when loaded_at < newest_loaded_at then 'rejected'
            when rows_at_loaded_at > 1 then 'rejected'
            else 'accepted'
        end as row_disposition,
        case
            when content_occurrence > 1 then null
            when not is_candidate then invalid_reason
            when loaded_at < newest_loaded_at then 'superseded'
            when rows_at_loaded_at > 1 then 'ambiguous_version'
        end as rejection_reason
    from ranked
)
{% endmacro %}
