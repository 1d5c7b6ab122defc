{{ config(unique_key='started_date') }}

-- depends_on: {{ ref('int_call_turns_changed_this_run') }}

with

hourly as (
    select * from {{ ref('rpt_provider_latency_histogram_hourly') }}
    {%- if is_incremental() %}
        where {{ in_change_set(
            'started_date',
            'cast(' ~ dbt.date_trunc('day', 'started_hour') ~ ' as date)',
            'int_call_turns_changed_this_run',
        ) }}
    {%- endif %}
),

rolled_up as (
    select
        cast({{ dbt.date_trunc('day', 'started_hour') }} as date) as started_date,
        org_id,
        provider_type,
        provider_name,
        histogram_bucket,
        sum(turns) as turns,
        min(min_latency_ms) as min_latency_ms,
        max(max_latency_ms) as max_latency_ms
    from hourly
    group by 1, 2, 3, 4, 5
)

-- Stored by org, then day: a window's read of an org's days skips the other row groups by their
-- min/max (by name: a position among the columns of `select *` would say nothing).
select * from rolled_up
order by org_id, started_date  -- noqa: AM06
