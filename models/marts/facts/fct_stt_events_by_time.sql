{{ config(unique_key='event_id') }}

{#-
    The STT events' creation time, org and type, stored in created_at order, so a window's
    partial hours read only their row groups. fct_stt_events itself is not sorted: at 10 M
    calls sorting its wide rows ran out of the build's memory.
-#}

-- depends_on: {{ ref('int_stt_events_changed_this_run') }}

with

stt_events as (
    select * from {{ ref('fct_stt_events') }}
    {%- if is_incremental() %}
        where event_id in (select event_id from {{ ref('int_stt_events_changed_this_run') }})
    {%- endif %}
),

final as (
    select
        event_id,
        created_at,
        org_id,
        event_type
    from stt_events
)

select * from final
order by created_at  -- noqa: AM06
