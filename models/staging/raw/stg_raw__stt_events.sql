with

stt_events as (
    select * from {{ ref('base_raw__stt_events') }}
    where row_disposition = 'accepted'
),

accepted as (
    select
        event_id,
        call_id,
        call_sid,
        connection_id,
        event_type,
        provider_name,
        model,
        detail,
        created_at,
        loaded_at
    from stt_events
)

select * from accepted
