-- LiveKit Agents calls (sources.md): one row per call id, derived from all of its metrics lines,
-- as of its last event.

with

metrics as (
    select * from {{ ref('stg_livekit__metrics') }}
),

stage_services as (
    -- each stage's provider and model: those of the call's first metric of the stage
    select
        call_id,
        case metric_type
            when 'stt_metrics' then 'stt'
            when 'llm_metrics' then 'llm'
            when 'tts_metrics' then 'tts'
        end as pipeline_stage,
        provider_name,
        model,
        row_number() over (
            partition by call_id, metric_type
            order by event_at, provider_name, model
        ) as stage_order
    from metrics
    where metric_type in ('stt_metrics', 'llm_metrics', 'tts_metrics')
),

tokens as (
    -- per distinct LLM request
    select
        call_id,
        sum(prompt_tokens) as prompt_tokens,
        sum(completion_tokens) as completion_tokens,
        sum(cached_tokens) as cached_tokens
    from metrics
    where metric_type = 'llm_metrics' and is_counted
    group by 1
),

{{ metrics_log_calls('raw_livekit.metrics') }}

select * from final
