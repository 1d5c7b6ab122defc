{{ config(unique_key='connection_key') }}

{#-
    One row per STT connection (connection_id, else call_sid) and org of its events (null for
    events of no call). Stored in first_event_at order, so a window's edges read their rows only.
-#}

-- depends_on: {{ ref('int_stt_connections_changed_this_run') }}

with

stt_events as (
    select
        connection_key,
        org_id,
        event_type,
        created_at
    from {{ ref('fct_stt_events') }}
    where connection_key is not null
    {%- if is_incremental() %}
        and {{ in_change_set('connection_key') }}
    {%- endif %}
),

connections as (
    select
        connection_key,
        org_id,
        min(created_at) as first_event_at,
        max(created_at) as last_event_at,
        min(created_at) filter (where event_type = 'connection_opened') as opened_at,
        {{ array_agg_sorted('created_at', "event_type = 'connection_opened'") }} as opened_ats,
        {{ array_agg_sorted('created_at', "event_type = 'connection_closed'") }} as closed_ats
    from stt_events
    group by 1, 2
),

-- a connection closes at its first closing after its first opening
closings as (
    select
        *,
        {{ list_min_above('closed_ats', 'opened_at') }} as closed_at
    from connections
),

final as (
    select
        connection_key,
        org_id,
        count(*) over (partition by connection_key) = 1 as is_single_org,
        first_event_at,
        last_event_at,
        {{ dbt.date_trunc('hour', 'first_event_at') }} as first_event_hour,
        {{ dbt.date_trunc('hour', 'last_event_at') }} as last_event_hour,
        opened_at,
        closed_at,
        {{ seconds_between('opened_at', 'closed_at') }} as duration_s,
        opened_ats,
        closed_ats
    from closings
)

select * from final
order by first_event_at  -- noqa: AM06
