{% macro metrics_log_calls(raw_table) %}
    {#-
        The CTEs `calls` and `final` of an agent framework's calls shaped like raw.calls
        (sources.md, LiveKit Agents and Pipecat): one row per call id, from its first to its
        last event and as of its last, `completed`, with its org and agent as loaded,
        loaded_at its newest line's and landed_records the number of its lines. The calling
        model defines `metrics` (call_id, org_id, agent_id, event_at, loaded_at per line),
        `stage_services` (call_id, pipeline_stage stt, llm or tts, provider_name, model,
        stage_order: 1 for the stage's first) and `tokens` (call_id, prompt_tokens,
        completion_tokens, cached_tokens).
    -#}
calls as (
    select
        call_id,
        max(org_id) as org_id,
        max(agent_id) as agent_id,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        count(*) as landed_records,
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
        calls.landed_records,
        '{{ raw_table }}' as raw_table,
        calls.loaded_at
    from calls
    left join tokens
        on calls.call_id = tokens.call_id
    {%- for stage in ['stt', 'llm', 'tts'] %}
    left join stage_services as {{ stage }}
        on
            calls.call_id = {{ stage }}.call_id
            and {{ stage }}.pipeline_stage = '{{ stage }}'
            and {{ stage }}.stage_order = 1
    {%- endfor %}
)
{% endmacro %}
