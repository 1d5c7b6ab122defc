{{ config(materialized='table') }}

{#-
    The STT connections this run rebuilds in fct_stt_connections: the connection key
    (connection_id, else call_sid) of every version of every event this run rebuilds, so a
    connection an event left is rebuilt as well as the one it joined.
-#}

with

changed_events as (
    select event_id from {{ ref('int_stt_events_changed_this_run') }}
),

event_versions as (
    select
        event_id,
        coalesce(connection_id, call_sid) as connection_key
    from {{ ref('base_raw__stt_events') }}
),

changed_connections as (
    select distinct event_versions.connection_key
    from event_versions
    inner join changed_events
        on event_versions.event_id = changed_events.event_id
    where event_versions.connection_key is not null
)

select * from changed_connections
