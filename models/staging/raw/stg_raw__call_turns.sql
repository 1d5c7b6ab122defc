with

turns as (
    select * from {{ ref('base_raw__call_turns') }}
    where row_disposition = 'accepted'
),

within_range as (
    select
        call_id,
        turn_index,
        started_at,
        user_text,
        agent_text,
        {{ within_range('call_turns', 'stt_latency_ms') }} as stt_latency_ms,
        {{ within_range('call_turns', 'llm_latency_ms') }} as llm_latency_ms,
        {{ within_range('call_turns', 'tts_latency_ms') }} as tts_latency_ms,
        {{ within_range('call_turns', 'total_latency_ms') }} as total_latency_ms,
        is_interrupted,
        loaded_at
    from turns
)

select * from within_range
