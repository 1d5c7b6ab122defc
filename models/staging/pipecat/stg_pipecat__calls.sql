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

calls as (
    select
        call_id,
        max(org_id) as org_id,
        max(agent_id) as agent_id,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        max(loaded_at) as loaded_at
    from metrics
    group by 1
),

final as (
    select
        calls.call_id,
        calls.ended_at as updated_at,
        calls.org_id,
        calls.agent_id,
        'completed' as status,
        calls.started_at,
        calls.ended_at,
        stt.provider_name as stt_provider,
        stt.model as stt_model,
        llm.provider_name as llm_provider,
        llm.model as llm_model,
        tts.provider_name as tts_provider,
        tts.model as tts_model,
        cast(tokens.prompt_tokens as {{ dbt.type_bigint() }}) as prompt_tokens,
        cast(tokens.completion_tokens as {{ dbt.type_bigint() }}) as completion_tokens,
        cast(tokens.cached_tokens as {{ dbt.type_bigint() }}) as cached_tokens,
        cast(null as {{ dbt.type_string() }}) as agent_name,
        'raw_pipecat.metrics' as raw_table,
        calls.loaded_at
    from calls
    left join tokens
        on calls.call_id = tokens.call_id
    left join stage_services as stt
        on calls.call_id = stt.call_id and stt.pipeline_stage = 'stt' and stt.stage_order = 1
    left join stage_services as llm
        on calls.call_id = llm.call_id and llm.pipeline_stage = 'llm' and llm.stage_order = 1
    left join stage_services as tts
        on calls.call_id = tts.call_id and tts.pipeline_stage = 'tts' and tts.stage_order = 1
)

select * from final
