with

source as {{ not_materialized() }} (
    select * from {{ staged_rows('calls') }}
),

call_statuses as (
    select * from {{ ref('call_statuses') }}
),

normalised as {{ not_materialized() }} (
    select
        {{ clean_text('source.call_id') }} as call_id,
        source.updated_at,
        {{ clean_text('source.org_id') }} as org_id,
        {{ clean_text('source.agent_id') }} as agent_id,
        {{ clean_text('source.workflow_id') }} as workflow_id,
        {{ clean_text('source.call_sid') }} as call_sid,
        {{ clean_label('source.direction') }} as direction,
        {{ clean_label('source.status') }} as status_label,
        coalesce(call_statuses.status, 'unknown') as status,
        coalesce(call_statuses.lifecycle_rank, 5) as lifecycle_rank,
        {{ clean_label('source.outcome') }} as outcome,
        source.started_at,
        source.answered_at,
        source.ended_at,
        source.duration_s,
        source.billed_duration_s,
        {{ clean_text('source.from_number') }} as from_number,
        {{ clean_text('source.to_number') }} as to_number,
        {{ clean_text('source.hangup_cause') }} as hangup_cause,
        {{ clean_text('source.hangup_source') }} as hangup_source,
        {{ clean_text('source.stt_provider') }} as stt_provider,
        {{ clean_text('source.stt_model') }} as stt_model,
        {{ clean_text('source.llm_provider') }} as llm_provider,
        {{ clean_text('source.llm_model') }} as llm_model,
        {{ clean_text('source.tts_provider') }} as tts_provider,
        {{ clean_text('source.tts_model') }} as tts_model,
        source.total_cost_usd,
        source.stt_cost_usd,
        source.llm_cost_usd,
        source.tts_cost_usd,
        source.telephony_cost_usd,
        source.platform_cost_usd,
        source.prompt_tokens,
        source.completion_tokens,
        source.cached_tokens,
        {{ clean_label('source.sentiment') }} as sentiment,
        {{ clean_text('source.escalation_reason') }} as escalation_reason,
        source.escalated_at,
        source.user_corrections,
        source.stt_confidence,
        {%- for column in latency_summary_columns() %}
            source.{{ column }},
        {%- endfor %}
        {{ clean_text('source.recording_url') }} as recording_url,
        source.metadata,
        source.landed_records,
        source.raw_table,
        source.loaded_at
    from source
    left join call_statuses
        -- hyphenated forms (Twilio's in-progress, no-answer) are the same status
        on replace({{ clean_label('source.status') }}, '-', '_') = call_statuses.status
),

{{ classify_rows(
    raw_table='calls',
    relation='normalised',
    columns=[
        'call_id', 'updated_at', 'org_id', 'agent_id', 'workflow_id', 'call_sid', 'direction',
        'status_label', 'status', 'outcome', 'started_at', 'answered_at', 'ended_at',
        'duration_s', 'billed_duration_s', 'from_number', 'to_number', 'hangup_cause',
        'hangup_source', 'stt_provider', 'stt_model', 'llm_provider', 'llm_model',
        'tts_provider', 'tts_model', 'total_cost_usd', 'stt_cost_usd', 'llm_cost_usd',
        'tts_cost_usd', 'telephony_cost_usd', 'platform_cost_usd', 'prompt_tokens',
        'completion_tokens', 'cached_tokens', 'sentiment', 'escalation_reason', 'escalated_at',
        'user_corrections', 'stt_confidence', 'recording_url', 'metadata', 'landed_records',
        'raw_table', 'loaded_at',
    ] + latency_summary_columns(),
    required_columns=['call_id', 'updated_at', 'org_id', 'agent_id', 'started_at', 'loaded_at'],
    time_column='updated_at',
    json_columns=['metadata'],
    invalid_when={'ended_before_started': 'ended_at < started_at'},
    tie_rank='lifecycle_rank',
) }}

select * from classified
