with

source as {{ not_materialized() }} (
    select * from {{ staged_rows('call_turns') }}
),

normalised as {{ not_materialized() }} (
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
        landed_records,
        raw_table,
        loaded_at
    from source
),

{{ classify_rows(
    raw_table='call_turns',
    relation='normalised',
    columns=[
        'call_id', 'turn_index', 'started_at', 'user_text', 'agent_text', 'stt_latency_ms',
        'llm_latency_ms', 'tts_latency_ms', 'total_latency_ms', 'is_interrupted', 'landed_records',
        'raw_table', 'loaded_at',
    ],
    required_columns=['call_id', 'turn_index', 'loaded_at'],
    time_column='started_at',
) }}

select * from classified
