-- LiveKit Agents metrics lines (sources.md), one row per line: the metric (the line itself, or
-- the `metrics` of a `metrics_collected` event), its call and its time.

with

landed as (
    select * from {{ raw_source('metrics', 'raw_livekit') }}
),

lines as (
    select
        coalesce(
            {{ json_field_text('payload', 'call_id') }},
            -- a file whose lines carry no call id is one call, named as the file
            regexp_replace(source_file, '\.[^.]*$', '')
        ) as call_id,
        org_id,
        -- the log names no agent: without --agent, the framework's name
        coalesce(agent_id, 'livekit') as agent_id,
        case
            when {{ json_field_text('payload', 'type') }} = 'metrics_collected'
                then {{ json_field('payload', 'metrics') }}
            else payload
        end as metric,
        loaded_at
    from landed
),

metrics as (
    select
        call_id,
        org_id,
        agent_id,
        {{ json_field_text('metric', 'type') }} as metric_type,
        {{ json_field_text('metric', 'request_id') }} as request_id,
        {{ json_field_text('metric', 'speech_id') }} as speech_id,
        {{ epoch_to_timestamp(text_to_double(json_field_text('metric', 'timestamp')), 's') }}
            as event_at,
        {{ json_field_text('metric', 'label') }} as metric_label,
        lower({{ json_field_text('metric', ['metadata', 'model_provider']) }}) as model_provider,
        {{ json_field_text('metric', ['metadata', 'model_name']) }} as model_name,
        {{ text_to_double(json_field_text('metric', 'transcription_delay')) }}
            as transcription_delay_s,
        {{ text_to_double(json_field_text('metric', 'end_of_utterance_delay')) }}
            as end_of_utterance_delay_s,
        {{ text_to_double(json_field_text('metric', 'ttft')) }} as ttft_s,
        {{ text_to_double(json_field_text('metric', 'ttfb')) }} as ttfb_s,
        {{ json_field_text('metric', 'cancelled') }} = 'true' as is_cancelled,
        {{ text_to_double(json_field_text('metric', 'prompt_tokens')) }} as prompt_tokens,
        {{ text_to_double(json_field_text('metric', 'completion_tokens')) }}
            as completion_tokens,
        {{ text_to_double(json_field_text('metric', 'prompt_cached_tokens')) }}
            as cached_tokens,
        loaded_at
    from lines
),

numbered as (
    select
        *,
        -- an LLM or TTS metric logged again with the same request_id counts once
        row_number() over (
            partition by call_id, metric_type, request_id
            order by loaded_at, event_at
        ) as request_copy
    from metrics
),

final as (
    select
        call_id,
        org_id,
        agent_id,
        metric_type,
        speech_id,
        event_at,
        case
            when metric_label like 'livekit.plugins.%' then split_part(metric_label, '.', 3)
            when model_provider != 'unknown' then model_provider
        end as provider_name,
        case when model_name != 'unknown' then model_name end as model,
        transcription_delay_s,
        end_of_utterance_delay_s,
        ttft_s,
        ttfb_s,
        is_cancelled,
        prompt_tokens,
        completion_tokens,
        cached_tokens,
        request_id is null
        or metric_type not in ('llm_metrics', 'tts_metrics')
        or request_copy = 1 as is_counted,
        loaded_at
    from numbered
)

select * from final
