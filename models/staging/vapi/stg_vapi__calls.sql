-- Vapi call records shaped like raw.calls: each status-update and end-of-call-report is a
-- version as of the message's timestamp. An ended call's status and outcome come from its
-- endedReason (seed vapi_ended_reasons).

with

messages as (
    select * from {{ ref('stg_vapi__server_messages') }}
),

ended_reasons as (
    select * from {{ ref('vapi_ended_reasons') }}
),

shaped as (
    select
        messages.call_id,
        messages.sent_at as updated_at,
        messages.org_id,
        messages.agent_id,
        messages.agent_name,
        {{ json_field_text('messages.message', ['call', 'phoneCallProviderId']) }} as call_sid,
        {{ json_field_text('messages.message', ['call', 'type']) }} as call_type,
        messages.message_type = 'end-of-call-report' or messages.status_update = 'ended'
            as is_ended,
        ended_reasons.status as ended_status,
        ended_reasons.outcome as ended_outcome,
        -- in-progress is in_progress (raw-tables.md)
        replace(messages.status_update, '-', '_') as status_update,
        messages.created_at,
        messages.started_at,
        messages.ended_at,
        {{ json_field_text('messages.message', ['customer', 'number']) }} as customer_number,
        {{ json_field_text('messages.message', ['phoneNumber', 'number']) }} as vapi_number,
        {{ json_field_text('messages.message', ['assistant', 'transcriber', 'provider']) }}
            as stt_provider,
        {{ json_field_text('messages.message', ['assistant', 'transcriber', 'model']) }}
            as stt_model,
        {{ json_field_text('messages.message', ['assistant', 'model', 'provider']) }}
            as llm_provider,
        {{ json_field_text('messages.message', ['assistant', 'model', 'model']) }} as llm_model,
        {{ json_field_text('messages.message', ['assistant', 'voice', 'provider']) }}
            as tts_provider,
        {{ json_field_text('messages.message', ['assistant', 'voice', 'model']) }} as tts_model,
        {{ json_field('messages.message', ['call', 'costBreakdown']) }} as cost_breakdown,
        {{ text_to_double(json_field_text('messages.message', 'cost')) }} as total_cost_usd,
        {{ json_field_text('messages.message', ['artifact', 'recordingUrl']) }} as recording_url,
        messages.raw_table,
        messages.loaded_at
    from messages
    left join ended_reasons
        on messages.ended_reason = ended_reasons.ended_reason
),

final as (
    select
        call_id,
        updated_at,
        org_id,
        agent_id,
        agent_name,
        call_sid,
        case call_type when 'outboundPhoneCall' then 'outbound' else 'inbound' end as direction,
        case when is_ended then coalesce(ended_status, 'unknown') else status_update end
            as status,
        case when is_ended then ended_outcome end as outcome,
        coalesce(created_at, started_at) as started_at,
        case
            when is_ended and ended_status in ('completed', 'failed') then started_at
            when not is_ended and status_update = 'in_progress' then started_at
        end as answered_at,
        case when is_ended then ended_at end as ended_at,
        case when call_type = 'outboundPhoneCall' then vapi_number else customer_number end
            as from_number,
        case when call_type = 'outboundPhoneCall' then customer_number else vapi_number end
            as to_number,
        stt_provider,
        stt_model,
        llm_provider,
        llm_model,
        tts_provider,
        tts_model,
        total_cost_usd,
        {{ text_to_double(json_field_text('cost_breakdown', 'stt')) }} as stt_cost_usd,
        {{ text_to_double(json_field_text('cost_breakdown', 'llm')) }} as llm_cost_usd,
        {{ text_to_double(json_field_text('cost_breakdown', 'tts')) }} as tts_cost_usd,
        {{ text_to_double(json_field_text('cost_breakdown', 'transport')) }}
            as telephony_cost_usd,
        {{ text_to_double(json_field_text('cost_breakdown', 'vapi')) }} as platform_cost_usd,
        {{ text_to_double(json_field_text('cost_breakdown', 'llmPromptTokens')) }}
            as prompt_tokens,
        {{ text_to_double(json_field_text('cost_breakdown', 'llmCompletionTokens')) }}
            as completion_tokens,
        {{ text_to_double(json_field_text('cost_breakdown', 'llmCachedPromptTokens')) }}
            as cached_tokens,
        recording_url,
        1 as landed_records,
        raw_table,
        loaded_at
    from shaped
)

select * from final
