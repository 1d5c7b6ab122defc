-- LiveKit Agents turns (sources.md): one per distinct speech_id of a call, its stage latencies
-- those of its first end-of-utterance, LLM and TTS metric (seconds, here milliseconds).

with

metrics as (
    select * from {{ ref('stg_livekit__metrics') }}
    where speech_id is not null
),

firsts as (
    select
        *,
        row_number() over (
            partition by call_id, speech_id, metric_type
            order by event_at, loaded_at
        ) as stage_order
    from metrics
),

turns as (
    select
        call_id,
        speech_id,
        min(event_at) as started_at,
        max(
            case when metric_type = 'eou_metrics' and stage_order = 1 then transcription_delay_s end
        ) as transcription_delay_s,
        max(
            case
                when metric_type = 'eou_metrics' and stage_order = 1 then end_of_utterance_delay_s
            end
        ) as end_of_utterance_delay_s,
        max(case when metric_type = 'llm_metrics' and stage_order = 1 then ttft_s end) as ttft_s,
        max(case when metric_type = 'tts_metrics' and stage_order = 1 then ttfb_s end) as ttfb_s,
        -- null when the turn has no TTS metric
        max(case when metric_type = 'tts_metrics' then case when is_cancelled then 1 else 0 end end)
        = 1 as is_interrupted,
        count(*) as landed_records,
        max(loaded_at) as loaded_at
    from firsts
    group by 1, 2
),

final as (
    select
        call_id,
        row_number() over (partition by call_id order by started_at, speech_id) - 1 as turn_index,
        started_at,
        transcription_delay_s * 1000 as stt_latency_ms,
        ttft_s * 1000 as llm_latency_ms,
        ttfb_s * 1000 as tts_latency_ms,
        -- voice to voice; -1 means no output (no token, no audio), so no total
        case
            when least(end_of_utterance_delay_s, ttft_s, ttfb_s) >= 0
                then (end_of_utterance_delay_s + ttft_s + ttfb_s) * 1000
        end as total_latency_ms,
        is_interrupted,
        landed_records,
        'raw_livekit.metrics' as raw_table,
        loaded_at
    from turns
)

select * from final
