{% macro changed_call_hours(since) -%}
    {#-
        Start hours of every version of the changed calls, rejected ones included: a call whose
        start moved, or that lost its only accepted version, changes its old hour too.
    -#}
    select distinct {{ dbt.date_trunc('hour', 'started_at') }}
    from {{ ref('stg_raw__calls') }}
    where
        started_at is not null
        and call_id in ({{ changed_call_ids(since) }})
{%- endmacro %}
