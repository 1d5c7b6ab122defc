{{ config(unique_key='event_id') }}

{#-
    The STT events' columns that their list shows and filters on, stored newest first, so a
    window's partial hours read only their row groups and a page of the list (newest first)
    stops reading once the rows left are older than its page.
    fct_stt_events itself is not sorted: at 10 M calls sorting it as it was joined to the
    calls ran out of the build's memory.
-#}

-- depends_on: {{ ref('int_stt_events_changed_this_run') }}

with

stt_events as (
    select * from {{ ref('fct_stt_events') }}
    {%- if is_incremental() %}
        where {{ in_change_set('event_id') }}
    {%- endif %}
),

final as (
    select
        event_id,
        created_at,
        org_id,
        event_type,
        call_sid,
        provider_name,
        model,
        detail
    from stt_events
)

select * from final
order by created_at desc  -- noqa: AM06
