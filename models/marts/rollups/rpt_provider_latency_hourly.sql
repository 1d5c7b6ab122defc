{{ config(
    materialized='incremental',
    unique_key='started_hour',
    pre_hook="{{ delete_changed_rows('started_hour', 'hour') }}",
) }}

{% set since = incremental_since() %}

with

call_stages as (
    select * from {{ ref('int_call_stages_unpivoted') }}
    where
        latency_turns > 0
        and {{ changed_rows_filter('started_hour', 'hour', since) }}
),

rolled_up as (
    select
        started_hour,
        org_id,
        provider_type,
        provider_name,
        count(*) as calls_with_latency,
        sum(latency_sum_ms) as latency_sum_ms,
        sum(latency_turns) as latency_turns,
        max(source_loaded_at) as source_loaded_at
    from call_stages
    group by 1, 2, 3, 4
)

select * from rolled_up
