{{ config(unique_key='event_id') }}

-- depends_on: {{ ref('int_stt_events_changed_this_run') }}

with

stt_events as (
    select * from {{ ref('stg_raw__stt_events') }}
    {%- if is_incremental() %}
        where {{ in_change_set('event_id') }}
    {%- endif %}
),

calls as {{ not_materialized() }} (
    select * from {{ ref('fct_calls') }}
),

calls_by_sid as (
    {#- A call_sid shared by several calls is read as the smallest call_id's; an incremental
        run groups only the calls of its events' call_sids. -#}
    select
        call_sid,
        min({{ collate_c('call_id') }}) as call_id
    from calls
    where
        call_sid is not null
    {%- if is_incremental() %}
        and call_sid in (select stt_events.call_sid from stt_events)
    {%- endif %}
    group by 1
),

attributed as (
    select
        stt_events.*,
        coalesce(calls_by_id.call_id, calls_by_sid.call_id) as attributed_call_id
    from stt_events
    left join calls as calls_by_id
        on stt_events.call_id = calls_by_id.call_id
    left join calls_by_sid
        on stt_events.call_sid = calls_by_sid.call_sid
),

final as (
    select
        attributed.event_id,
        attributed.attributed_call_id as call_id,
        calls.org_id,
        calls.agent_id,
        attributed.call_id as reported_call_id,
        attributed.call_sid,
        attributed.connection_id,
        coalesce(attributed.connection_id, attributed.call_sid) as connection_key,
        attributed.event_type,
        attributed.provider_name,
        attributed.model,
        attributed.detail,
        attributed.created_at,
        {{ dbt.date_trunc('hour', 'attributed.created_at') }} as created_hour
    from attributed
    left join calls
        on attributed.attributed_call_id = calls.call_id
)

select * from final
