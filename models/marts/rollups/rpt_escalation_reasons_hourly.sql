{{ config(
    materialized='incremental',
    unique_key='started_hour',
    pre_hook="{{ delete_changed_rows('started_hour', 'hour') }}",
) }}

{% set since = incremental_since() %}

with

calls as (
    select * from {{ ref('fct_calls') }}
    where
        is_escalated
        and escalation_reason is not null
        and {{ changed_rows_filter('started_hour', 'hour', since) }}
),

rolled_up as (
    select
        started_hour,
        org_id,
        agent_id,
        escalation_reason,
        count(*) as escalated_calls,
        count(seconds_before_escalation) as calls_with_escalation_time,
        coalesce(sum(seconds_before_escalation), 0) as seconds_before_escalation_sum,
        max(source_loaded_at) as source_loaded_at
    from calls
    group by 1, 2, 3, 4
)

select * from rolled_up
