{{ config(
    materialized='incremental',
    unique_key='started_hour',
    pre_hook="{{ delete_changed_rows('started_hour', 'hour') }}",
) }}

{% set since = incremental_since() %}

with

calls as (
    select * from {{ ref('fct_calls') }}
    where {{ changed_rows_filter('started_hour', 'hour', since) }}
),

turns as (
    select * from {{ ref('fct_call_turns') }}
    where latency_bucket is not null
),

rolled_up as (
    select
        calls.started_hour,
        calls.org_id,
        calls.agent_id,
        turns.latency_bucket,
        count(*) as turns,
        max(calls.source_loaded_at) as source_loaded_at
    from calls
    inner join turns
        on calls.call_id = turns.call_id
    group by 1, 2, 3, 4
)

select * from rolled_up
