-- Pipecat calls (sources.md): one row per conversation_id, derived from all of its metrics
-- messages, as of its last event.

with

metrics as (
    select * from {{ ref('stg_pipecat__metrics') }}
),

entries as (
    select * from {{ ref('stg_pipecat__metric_entries') }}
),

stage_services as (
    -- each stage's provider and model: those of its first TTFB in the call, else of its first
    -- processing or characters entry
    select
        call_id,
        pipeline_stage,
        provider_name,
        model,
        row_number() over (
            partition by call_id, pipeline_stage
            order by case when metric_key = 'ttfb' then 0 else 1 end, event_at, position, model
        ) as stage_order
    from entries
    where pipeline_stage is not null
),

tokens as (
    select
        call_id,
        sum(prompt_tokens) as prompt_tokens,
        sum(completion_tokens) as completion_tokens,
        sum(cached_tokens) as cached_tokens
    from entries
    where metric_key = 'tokens'
    group by 1
),

{{ metrics_log_calls('raw_pipecat.metrics') }}

select * from final
