-- LiveKit Agents calls (sources.md): one row per call id, derived from all of its metrics lines,
-- as of its last event.

with

metrics as (
    select * from {{ ref('stg_livekit__metrics') }}
),

stage_models as (
    -- each stage's provider and model: those of the call's first metric of the stage
    select
        call_id,
        metric_type,
        provider_name,
        model,
        row_number() over (
            partition by call_id, metric_type
            order by event_at, provider_name, model
        ) as stage_order
    from metrics
    where metric_type in ('stt_metrics', 'llm_metrics', 'tts_metrics')
),

calls as (
    select
        call_id,
        max(org_id) as org_id,
        max(agent_id) as agent_id,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        sum(case when metric_type = 'llm_metrics' and is_counted then prompt_tokens end)
            as prompt_tokens,
        sum(case when metric_type = 'llm_metrics' and is_counted then completion_tokens end)
            as completion_tokens,
        sum(case when metric_type = 'llm_metrics' and is_counted then cached_tokens end)
            as cached_tokens,
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
        cast(calls.prompt_tokens as {{ dbt.type_bigint() }}) as prompt_tokens,
        cast(calls.completion_tokens as {{ dbt.type_bigint() }}) as completion_tokens,
        cast(calls.cached_tokens as {{ dbt.type_bigint() }}) as cached_tokens,
        cast(null as {{ dbt.type_string() }}) as agent_name,
        'raw_livekit.metrics' as raw_table,
        calls.loaded_at
    from calls
    left join stage_models as stt
        on calls.call_id = stt.call_id and stt.metric_type = 'stt_metrics' and stt.stage_order = 1
    left join stage_models as llm
        on calls.call_id = llm.call_id and llm.metric_type = 'llm_metrics' and llm.stage_order = 1
    left join stage_models as tts
        on calls.call_id = tts.call_id and tts.metric_type = 'tts_metrics' and tts.stage_order = 1
)

select * from final
