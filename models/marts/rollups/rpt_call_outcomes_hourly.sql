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

rolled_up as (
    select
        started_hour,
        org_id,
        agent_id,
        outcome_or_status,
        count(*) as calls,
        max(source_loaded_at) as source_loaded_at
    from calls
    group by 1, 2, 3, 4
)

select * from rolled_up
