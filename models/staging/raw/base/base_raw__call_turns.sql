with

source as (
    select * from {{ source('raw', 'call_turns') }}
),

normalised as (
    select
        {{ clean_text('call_id') }} as call_id,
        turn_index,
        started_at,
        {{ clean_text('user_text') }} as user_text,
        {{ clean_text('agent_text') }} as agent_text,
        stt_latency_ms,
        llm_latency_ms,
        tts_latency_ms,
        total_latency_ms,
        is_interrupted,
        loaded_at
    from source
),

{{ classify_rows(
    relation='normalised',
    columns=[
        'call_id', 'turn_index', 'started_at', 'user_text', 'agent_text', 'stt_latency_ms',
        'llm_latency_ms', 'tts_latency_ms', 'total_latency_ms', 'is_interrupted', 'loaded_at',
    ],
    key_columns=['call_id', 'turn_index'],
    required_columns=['call_id', 'turn_index', 'loaded_at'],
    invalid_when={
        'negative_stt_latency_ms': 'stt_latency_ms < 0',
        'negative_llm_latency_ms': 'llm_latency_ms < 0',
        'negative_tts_latency_ms': 'tts_latency_ms < 0',
        'negative_total_latency_ms': 'total_latency_ms < 0',
    },
) }}

select * from classified
