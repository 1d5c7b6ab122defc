{{ config(materialized='table') }}

{#-
    Connections by the UTC hours of their first and last events: a window holding both hours
    whole holds every event of the connection, so its duration is the one the window's events
    give; connections of several orgs are kept apart (is_single_org false), as their events
    depend on the token's scope.
-#}

with

stt_connections as (
    select * from {{ ref('fct_stt_connections') }}
),

rolled_up as (
    select
        org_id,
        first_event_hour,
        last_event_hour,
        is_single_org,
        count(duration_s) as connections_with_duration,
        sum(duration_s) as duration_sum_s
    from stt_connections
    group by 1, 2, 3, 4
)

select * from rolled_up
