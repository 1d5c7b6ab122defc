-- Pipecat turns (sources.md): one per turn_number of a conversation, its stage latencies the
-- first TTFB of its STT, LLM and TTS service (seconds, here milliseconds).

with

metrics as (
    select * from {{ ref('stg_pipecat__metrics') }}
),

entries as (
    select * from {{ ref('stg_pipecat__metric_entries') }}
),

first_ttfbs as (
    select
        call_id,
        turn_number,
        pipeline_stage,
        ttfb_s,
        row_number() over (
            partition by call_id, turn_number, pipeline_stage
            order by event_at, position
        ) as stage_order
    from entries
    where metric_key = 'ttfb' and pipeline_stage is not null
),

latencies as (
    select
        call_id,
        turn_number,
        max(case when pipeline_stage = 'stt' then ttfb_s end) as stt_s,
        max(case when pipeline_stage = 'llm' then ttfb_s end) as llm_s,
        max(case when pipeline_stage = 'tts' then ttfb_s end) as tts_s
    from first_ttfbs
    where stage_order = 1
    group by 1, 2
),

turns as (
    select
        call_id,
        turn_number,
        min(event_at) as started_at,
        count(*) as landed_records,
        max(loaded_at) as loaded_at
    from metrics
    group by 1, 2
),

final as (
    select
        turns.call_id,
        turns.turn_number - 1 as turn_index,
        turns.started_at,
        latencies.stt_s * 1000 as stt_latency_ms,
        latencies.llm_s * 1000 as llm_latency_ms,
        latencies.tts_s * 1000 as tts_latency_ms,
        -- Pipecat measures no voice to voice: the three TTFBs, when the turn has all three
        (latencies.stt_s + latencies.llm_s + latencies.tts_s) * 1000 as total_latency_ms,
        turns.landed_records,
        'raw_pipecat.metrics' as raw_table,
        turns.loaded_at
    from turns
    left join latencies
        on turns.call_id = latencies.call_id and turns.turn_number = latencies.turn_number
)

select * from final
