-- Retell call objects (sources.md) as versions of raw.calls: a bare get-call object or the
-- `call` of a webhook. Retell sends no update time, so a version is dated at the call's end
-- (else start) plus a rank of what the record is, in microseconds: call_started <
-- call_ended < call_analyzed < a get-call object. A retried webhook is an exact repeat.

{%- set product = json_field_text('line.element', 'product') %}
{#- the class of a call_cost product line, by its (undocumented) name: first match wins #}
{%- set cost_class -%}
    case
        when
            {{ product }} like '%telephony%' or {{ product }} like '%twilio%'
            or {{ product }} like '%telnyx%' or {{ product }} like '%vonage%'
            or {{ product }} like '%sip_trunk%'
            then 'telephony'
        when {{ product }} like '%tts' then 'tts'
        when {{ product }} like '%stt' or {{ product }} like '%asr' then 'stt'
        when
            {{ product }} in ('voice_engine', 'background_voice_cancellation')
            or {{ product }} like 'retell%'
            then 'platform'
        when
            {{ product }} like '%llm%' or {{ product }} like '%gpt%'
            or {{ product }} like '%claude%' or {{ product }} like '%gemini%'
            or {{ product }} like '%llama%' or {{ product }} like '%deepseek%'
            then 'llm'
    end
{%- endset %}

with

landed as (
    select * from {{ raw_source('calls', 'raw_retell') }}
),

disconnection_reasons as (
    select * from {{ ref('retell_disconnection_reasons') }}
),

records as (
    select
        {{ json_field_text('payload', 'event') }} as event_name,
        -- a webhook carries the call object under `call` (formerly `data`)
        case
            when {{ json_field_text('payload', 'event') }} is null then payload
            else coalesce({{ json_field('payload', 'call') }}, {{ json_field('payload', 'data') }})
        end as call_object,
        org_id,
        agent_id as loaded_agent_id,
        loaded_at
    from landed
),

fields as (
    select
        records.*,
        {{ json_field_text('records.call_object', 'call_id') }} as call_id,
        {{ json_field_text('records.call_object', 'call_status') }} as call_status,
        {{ json_field_text('records.call_object', 'disconnection_reason') }}
            as disconnection_reason,
        {{ text_to_double(json_field_text('records.call_object', 'start_timestamp')) }} as start_ms,
        {{ text_to_double(json_field_text('records.call_object', 'end_timestamp')) }} as end_ms,
        case
            when
                {{ json_field_text('records.call_object', 'transcript_with_tool_calls') }}
                is not null
                then {{ json_field('records.call_object', 'transcript_with_tool_calls') }}
            else {{ json_field('records.call_object', 'transcript_object') }}
        end as transcript
    from records
),

versions as (
    select
        fields.*,
        case
            when fields.event_name = 'call_started' then 1
            when fields.event_name = 'transcript_updated' then 2
            when fields.event_name = 'transfer_started' then 3
            when fields.event_name in ('transfer_bridged', 'transfer_cancelled') then 4
            when fields.event_name = 'call_ended' then 5
            when fields.event_name = 'transfer_ended' then 7
            when fields.event_name = 'call_analyzed' then 8
            when fields.event_name is not null then 0
            when {{ json_field_text('fields.call_object', 'call_analysis') }} is not null then 9
            when fields.call_status in ('ended', 'not_connected', 'error') then 6
            when fields.call_status = 'ongoing' then 2
            else 0
        end as version_rank,
        -- in-call snapshots of one call (several transcript_updated) by transcript length
        least(
            (select count(*) from {{ json_array_elements('fields.transcript', 'entry') }}), 999
        ) as transcript_entries,
        disconnection_reasons.status as reason_status,
        coalesce(disconnection_reasons.outcome, fields.disconnection_reason) as outcome
    from fields
    left join disconnection_reasons
        on fields.disconnection_reason = disconnection_reasons.reason
),

shaped as (
    select
        call_id,
        {{ dbt.dateadd(
            'microsecond',
            'version_rank * 1000 + case when version_rank <= 4 then transcript_entries else 0 end',
            epoch_to_timestamp('coalesce(end_ms, start_ms)', 'ms'),
        ) }} as updated_at,
        org_id,
        coalesce({{ json_field_text('call_object', 'agent_id') }}, loaded_agent_id) as agent_id,
        {{ json_field_text('call_object', ['telephony_identifier', 'twilio_call_sid']) }}
            as call_sid,
        {{ json_field_text('call_object', 'direction') }} as direction,
        coalesce(
            reason_status,
            case call_status
                when 'registered' then 'initiated'
                when 'ongoing' then 'in_progress'
                when 'ended' then 'completed'
                when 'not_connected' then 'failed'
                when 'error' then 'failed'
            end
        ) as status,
        outcome,
        {{ epoch_to_timestamp('coalesce(start_ms, end_ms)', 'ms') }} as started_at,
        case
            when
                call_status in ('ongoing', 'ended', 'error')
                and coalesce(reason_status, '') not in ('no_answer', 'busy')
                then {{ epoch_to_timestamp('start_ms', 'ms') }}
        end as answered_at,
        {{ epoch_to_timestamp('end_ms', 'ms') }} as ended_at,
        {{ text_to_double(json_field_text('call_object', 'duration_ms')) }} / 1000.0 as duration_s,
        {{ text_to_double(
            json_field_text('call_object', ['call_cost', 'total_duration_seconds'])
        ) }} as billed_duration_s,
        {{ json_field_text('call_object', 'from_number') }} as from_number,
        {{ json_field_text('call_object', 'to_number') }} as to_number,
        case disconnection_reason
            when 'user_hangup'
                then case
                    when {{ json_field_text('call_object', 'direction') }} = 'outbound'
                        then 'callee'
                    else 'caller'
                end
            when 'agent_hangup' then 'agent'
        end as hangup_source,
        {{ text_to_double(json_field_text('call_object', ['call_cost', 'combined_cost'])) }} / 100
            as total_cost_usd,
        {%- for cost_column in ['stt', 'llm', 'tts', 'telephony', 'platform'] %}
            (
                select sum({{ text_to_double(json_field_text('line.element', 'cost')) }}) / 100
                from {{ json_array_elements(
                    json_field('call_object', ['call_cost', 'product_costs']), 'line'
                ) }}
                where {{ cost_class }} = '{{ cost_column }}'
            ) as {{ cost_column }}_cost_usd,
        {%- endfor %}
        (
            select
                cast(
                    round(sum({{ text_to_double(json_field_text('token.element', [])) }}))
                    as {{ dbt.type_bigint() }}
                )
            from {{ json_array_elements(
                json_field('call_object', ['llm_token_usage', 'values']), 'token'
            ) }}
        ) as prompt_tokens,
        nullif(
            lower({{ json_field_text('call_object', ['call_analysis', 'user_sentiment']) }}),
            'unknown'
        ) as sentiment,
        case
            when outcome in ('transferred', 'escalated')
                then {{ epoch_to_timestamp('end_ms', 'ms') }}
        end as escalated_at,
        {%- for column in latency_summary_columns() %}
            {%- set stage, percentile = column.split('_')[0], column.split('_')[2] %}
            {{ text_to_double(json_field_text('call_object', ['latency', stage, percentile])) }}
                as {{ column }},
        {%- endfor %}
        {{ json_field_text('call_object', 'recording_url') }} as recording_url,
        {{ json_object({
            'call_type': json_field('call_object', 'call_type'),
            'call_status': json_field('call_object', 'call_status'),
            'disconnection_reason': json_field('call_object', 'disconnection_reason'),
            'agent_version': json_field('call_object', 'agent_version'),
            'call_successful': json_field('call_object', ['call_analysis', 'call_successful']),
            'in_voicemail': json_field('call_object', ['call_analysis', 'in_voicemail']),
            'call_summary': json_field('call_object', ['call_analysis', 'call_summary']),
            'custom_analysis_data': json_field('call_object', ['call_analysis', 'custom_analysis_data']),
            'transfer_destination': json_field('call_object', 'transfer_destination'),
            'transfer_end_timestamp': json_field('call_object', 'transfer_end_timestamp'),
            'public_log_url': json_field('call_object', 'public_log_url'),
            'retell_metadata': json_field('call_object', 'metadata'),
        }) }} as metadata,
        {{ json_field_text('call_object', 'agent_name') }} as agent_name,
        transcript,
        1 as landed_records,
        'raw_retell.calls' as raw_table,
        loaded_at
    from versions
),

final as (
    select
        *,
        row_number() over (
            partition by call_id order by updated_at desc, loaded_at desc
        ) = 1 as is_current_version,
        count(*) over (partition by call_id) as call_records
    from shaped
)

select * from final
