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
        duration_bucket is not null
        and {{ changed_rows_filter('started_hour', 'hour', since) }}
),

rolled_up as (
    select
        started_hour,
        org_id,
        agent_id,
        duration_bucket,
        count(*) as calls,
        max(source_loaded_at) as source_loaded_at
    from calls
    group by 1, 2, 3, 4
)

select * from rolled_up
