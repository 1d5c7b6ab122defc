-- Pipecat metrics lines (sources.md): one row per distinct RTVI `metrics` message with its
-- conversation, turn and time; a line repeated verbatim counts once, as of its last landing.

with

landed as (
    select
        {{ json_field_text('payload', 'conversation_id') }} as call_id,
        payload,
        org_id,
        -- the log names no agent: without --agent, the framework's name
        coalesce(agent_id, 'pipecat') as agent_id,
        loaded_at
    from {{ raw_source('metrics', 'raw_pipecat') }}
    where
        {{ json_field_text('payload', 'label') }} = 'rtvi-ai'
        and {{ json_field_text('payload', 'type') }} = 'metrics'
),

copies as (
    select
        *,
        row_number() over (
            partition by call_id, cast(payload as {{ dbt.type_string() }}) order by loaded_at
        ) as copy_number,
        max(loaded_at) over (
            partition by call_id, cast(payload as {{ dbt.type_string() }})
        ) as last_loaded_at
    from landed
),

final as (
    select
        call_id,
        cast(
            {{ text_to_double(json_field_text('payload', 'turn_number')) }}
            as {{ dbt.type_int() }}
        ) as turn_number,
        {{ epoch_to_timestamp(text_to_double(json_field_text('payload', 'timestamp')), 's') }}
            as event_at,
        org_id,
        agent_id,
        {{ json_field('payload', 'data') }} as metrics_data,
        last_loaded_at as loaded_at
    from copies
    where copy_number = 1
)

select * from final
