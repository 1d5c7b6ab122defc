{{ config(materialized='table') }}

with

stt_events as (
    select * from {{ ref('fct_stt_events') }}
),

rolled_up as (
    select
        created_hour,
        org_id,
        event_type,
        provider_name,
        count(*) as events
    from stt_events
    group by 1, 2, 3, 4
)

select * from rolled_up
