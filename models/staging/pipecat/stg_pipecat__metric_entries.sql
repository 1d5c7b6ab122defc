-- The entries of Pipecat metrics messages (sources.md): one row per element of a message's
-- ttfb, processing, characters and tokens arrays, with the pipeline stage its processor serves.

with

metrics as (
    select * from {{ ref('stg_pipecat__metrics') }}
),

entries as (
    {% for key in ['ttfb', 'processing', 'characters', 'tokens'] %}
        select
            metrics.call_id,
            metrics.turn_number,
            metrics.event_at,
            '{{ key }}' as metric_key,
            entries.position,
            entries.element as entry
        from metrics
        cross join
            {{ json_array_elements(json_field('metrics.metrics_data', key), 'entries') }}
        {{ "union all" if not loop.last }}
    {% endfor %}
),

named as (
    select
        *,
        -- a processor is named by its class and an instance number: DeepgramSTTService#0
        regexp_replace({{ json_field_text('entry', 'processor') }}, '#[0-9]*$', '') as service
    from entries
),

final as (
    select
        call_id,
        turn_number,
        event_at,
        metric_key,
        position,
        case
            when service like '%STTService' then 'stt'
            when service like '%LLMService' then 'llm'
            when service like '%TTSService' then 'tts'
        end as pipeline_stage,
        -- the class name before its 10-letter suffix (STTService, LLMService, TTSService)
        lower(left(service, length(service) - 10)) as provider_name,
        {{ json_field_text('entry', 'model') }} as model,
        case
            when metric_key = 'ttfb' then {{ text_to_double(json_field_text('entry', 'value')) }}
        end as ttfb_s,
        {{ text_to_double(json_field_text('entry', 'prompt_tokens')) }} as prompt_tokens,
        {{ text_to_double(json_field_text('entry', 'completion_tokens')) }} as completion_tokens,
        {{ text_to_double(json_field_text('entry', 'cache_read_input_tokens')) }}
            as cached_tokens
    from named
)

select * from final
