-- Vapi's server messages (sources.md): the call fields every model of the platform reads,
-- once. Only `status-update` and `end-of-call-report` messages are records of a call.

with

landed as (
    select * from {{ raw_source('server_messages', 'raw_vapi') }}
),

messages as (
    select
        {{ json_field('payload', 'message') }} as message,
        org_id as loaded_org_id,
        agent_id as loaded_agent_id,
        loaded_at
    from landed
),

fields as (
    select
        message,
        {{ json_field_text('message', 'type') }} as message_type,
        {{ json_field_text('message', ['call', 'id']) }} as call_id,
        -- epoch milliseconds; an ISO 8601 string before April 2025
        {{ json_field_text('message', 'timestamp') }} as sent,
        coalesce({{ json_field_text('message', ['call', 'orgId']) }}, loaded_org_id) as org_id,
        coalesce({{ json_field_text('message', ['call', 'assistantId']) }}, loaded_agent_id)
            as agent_id,
        {{ json_field_text('message', ['assistant', 'name']) }} as agent_name,
        lower({{ json_field_text('message', 'status') }}) as status_update,
        coalesce(
            {{ json_field_text('message', 'endedReason') }},
            {{ json_field_text('message', ['call', 'endedReason']) }}
        ) as ended_reason,
        {{ text_to_timestamp(json_field_text('message', ['call', 'createdAt'])) }} as created_at,
        {{ text_to_timestamp(
            'coalesce(' ~ json_field_text('message', 'startedAt') ~ ', '
            ~ json_field_text('message', ['call', 'startedAt']) ~ ')'
        ) }} as started_at,
        {{ text_to_timestamp(
            'coalesce(' ~ json_field_text('message', 'endedAt') ~ ', '
            ~ json_field_text('message', ['call', 'endedAt']) ~ ')'
        ) }} as ended_at,
        loaded_at
    from messages
),

final as (
    select
        -- tells apart retried messages, which are alike in every other column
        row_number() over (order by call_id, loaded_at, sent) as message_number,
        message,
        message_type,
        call_id,
        coalesce(
            {{ epoch_to_timestamp(text_to_double('sent'), 'ms') }},
            {{ text_to_timestamp('sent') }}
        ) as sent_at,
        org_id,
        agent_id,
        agent_name,
        status_update,
        ended_reason,
        created_at,
        started_at,
        ended_at,
        'raw_vapi.server_messages' as raw_table,
        loaded_at
    from fields
    where message_type in ('status-update', 'end-of-call-report')
)

select * from final
