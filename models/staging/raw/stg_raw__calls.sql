with

call_versions as (
    select * from {{ ref('base_raw__calls') }}
    where row_disposition = 'accepted'
),

within_range as (
    select
        call_id,
        updated_at,
        org_id,
        agent_id,
        workflow_id,
        call_sid,
        direction,
        status_label,
        status,
        outcome,
        started_at,
        answered_at,
        ended_at,
        {{ within_range('calls', 'duration_s') }} as duration_s,
        {{ within_range('calls', 'billed_duration_s') }} as billed_duration_s,
        from_number,
        to_number,
        hangup_cause,
        hangup_source,
        stt_provider,
        stt_model,
        llm_provider,
        llm_model,
        tts_provider,
        tts_model,
        {{ within_range('calls', 'total_cost_usd') }} as total_cost_usd,
        {{ within_range('calls', 'stt_cost_usd') }} as stt_cost_usd,
        {{ within_range('calls', 'llm_cost_usd') }} as llm_cost_usd,
        {{ within_range('calls', 'tts_cost_usd') }} as tts_cost_usd,
        {{ within_range('calls', 'telephony_cost_usd') }} as telephony_cost_usd,
        {{ within_range('calls', 'platform_cost_usd') }} as platform_cost_usd,
        {{ within_range('calls', 'prompt_tokens') }} as prompt_tokens,
        {{ within_range('calls', 'completion_tokens') }} as completion_tokens,
        {{ within_range('calls', 'cached_tokens') }} as cached_tokens,
        sentiment,
        escalation_reason,
        escalated_at,
        {{ within_range('calls', 'user_corrections') }} as user_corrections,
        {{ within_range('calls', 'stt_confidence') }} as stt_confidence,
        {%- for column in latency_summary_columns() %}
            {{ within_range('calls', column) }} as {{ column }},
        {%- endfor %}
        recording_url,
        metadata,
        loaded_at
    from call_versions
)

select * from within_range
