{#-
    On DuckDB a build of every row of more calls than one sort holds in memory writes the
    calls part by part of their starts (sort_parts_of): each part reads the versions of its
    calls that int_calls_summarised names, and is sorted on its own.
-#}
{%- set in_parts = written_in_parts('int_calls_summarised', 'started_at', 'call_id') %}
{%- set conditions = [in_change_set('call_id')] if is_incremental() else [] %}
{%- if in_parts %}{% do conditions.append(in_sort_part('started_at')) %}{% endif %}

-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

call_versions as (
    select * from {{ ref('stg_raw__calls') }}
),

-- computed first: joined to the staged versions, its calls' keys limit what is read of them
summarised_calls as {{ materialized() }} (
    select * from {{ ref('int_calls_summarised') }}
    {%- if conditions %}
        where {{ conditions | join(' and ') }}
    {%- endif %}
),

call_statuses as (
    select * from {{ ref('call_statuses') }}
),

outcome_resolutions as (
    select * from {{ ref('outcome_resolutions') }}
),

failed_providers as (
    select distinct
        call_id,
        provider_name
    from {{ ref('stg_raw__call_errors') }}
    where level = 'error' and provider_name is not null
),

current_versions as (
    select
        call_versions.*,
        summarised_calls.accepted_versions,
        summarised_calls.turns,
        summarised_calls.interrupted_turns,
        summarised_calls.stt_latency_sum_ms,
        summarised_calls.stt_latency_turns,
        summarised_calls.llm_latency_sum_ms,
        summarised_calls.llm_latency_turns,
        summarised_calls.tts_latency_sum_ms,
        summarised_calls.tts_latency_turns,
        summarised_calls.total_latency_sum_ms,
        summarised_calls.total_latency_turns,
        summarised_calls.tool_calls,
        summarised_calls.tool_calls_with_outcome,
        summarised_calls.tool_calls_succeeded,
        summarised_calls.errors,
        summarised_calls.call_affecting_errors
    from summarised_calls
    inner join call_versions
        on
            summarised_calls.call_id = call_versions.call_id
            and summarised_calls.updated_at = call_versions.updated_at
),

derived as (
    select
        current_versions.*,
        coalesce(
            current_versions.duration_s,
            case
                when current_versions.ended_at is null then null
                when
                    current_versions.answered_at is null and call_statuses.is_unconnected_status
                    then 0
                {#- An answer after the end implies a negative duration: nulled (audited). #}
                when
                    current_versions.ended_at
                    >= coalesce(current_versions.answered_at, current_versions.started_at)
                    then {{ seconds_between(
                        'coalesce(current_versions.answered_at, current_versions.started_at)',
                        'current_versions.ended_at',
                    ) }}
            end
        ) as derived_duration_s,
        coalesce(outcome_resolutions.resolution, 'other') as resolution,
        call_statuses.is_live_status and current_versions.ended_at is null as is_live,
        call_statuses.agent_call_status
    from current_versions
    inner join call_statuses
        on current_versions.status = call_statuses.status
    left join outcome_resolutions
        on current_versions.outcome = outcome_resolutions.outcome
),

measured as (
    select
        *,
        coalesce(billed_duration_s, derived_duration_s) as billable_s,
        coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0) as total_tokens
    from derived
),

final as (
    select
        measured.call_id,
        measured.org_id,
        measured.agent_id,
        measured.workflow_id,
        measured.call_sid,
        measured.direction,
        measured.status,
        measured.agent_call_status,
        measured.status = 'completed' as is_completed,
        measured.status = 'failed' as is_failed,
        measured.is_live,
        case
            when measured.is_live
                then {{ dbt.dateadd(
                    'hour', var('live_call_timeout_hours'), 'measured.started_at'
                ) }}
        end as active_until,
        measured.outcome,
        coalesce(measured.outcome, measured.status) as outcome_or_status,
        measured.resolution,
        measured.resolution = 'transferred' as is_escalated,
        measured.started_at,
        {{ dbt.date_trunc('hour', 'measured.started_at') }} as started_hour,
        cast({{ dbt.date_trunc('day', 'measured.started_at') }} as date) as started_date,
        measured.answered_at,
        measured.ended_at,
        measured.derived_duration_s as duration_s,
        {{ bucket_label('measured.derived_duration_s', var('duration_bucket_edges_s')) }}
            as duration_bucket,
        measured.billed_duration_s,
        measured.billable_s,
        coalesce(
            measured.total_cost_usd,
            measured.billable_s / 60.0 * {{ var('cost_per_minute_usd') }}
        ) as cost_usd,
        measured.total_cost_usd is null and measured.billable_s is not null as is_cost_estimated,
        measured.total_cost_usd,
        measured.stt_cost_usd,
        measured.llm_cost_usd,
        measured.tts_cost_usd,
        measured.telephony_cost_usd,
        measured.platform_cost_usd,
        measured.prompt_tokens,
        measured.completion_tokens,
        measured.cached_tokens,
        measured.total_tokens,
        case
            when measured.total_tokens > 0 and measured.cached_tokens is not null
                then cast(measured.cached_tokens as {{ type_double() }}) / measured.total_tokens
        end as cached_token_ratio,
        measured.sentiment,
        measured.escalation_reason,
        measured.escalated_at,
        case
            when measured.resolution = 'transferred'
                then {{ seconds_between(
                    'coalesce(measured.answered_at, measured.started_at)',
                    'coalesce(measured.escalated_at, measured.ended_at)',
                ) }}
        end as seconds_before_escalation,
        measured.user_corrections,
        measured.stt_confidence,
        measured.stt_provider,
        measured.stt_model,
        measured.llm_provider,
        measured.llm_model,
        measured.tts_provider,
        measured.tts_model,
        measured.from_number,
        measured.to_number,
        measured.hangup_cause,
        measured.hangup_source,
        measured.recording_url,
        {{ json_field_text('measured.metadata', 'recording_id') }} as recording_id,
        {%- for key, value in json_fields(
            'measured.metadata',
            ['call_timeline', 'call_context', 'call_quality', 'call_insights', 'audio_config'],
        ).items() %}
            {{ value }} as {{ key }},
        {%- endfor %}
        measured.turns,
        measured.interrupted_turns > 0 as has_barge_in,
        measured.stt_latency_sum_ms,
        measured.stt_latency_turns,
        measured.llm_latency_sum_ms,
        measured.llm_latency_turns,
        measured.tts_latency_sum_ms,
        measured.tts_latency_turns,
        measured.total_latency_sum_ms,
        measured.total_latency_turns,
        {%- for column in latency_summary_columns() %}
            measured.{{ column }},
        {%- endfor %}
        measured.tool_calls,
        measured.tool_calls_with_outcome,
        measured.tool_calls_succeeded,
        measured.errors,
        measured.call_affecting_errors > 0 as has_error,
        stt_failures.provider_name is not null as has_stt_provider_error,
        llm_failures.provider_name is not null as has_llm_provider_error,
        tts_failures.provider_name is not null as has_tts_provider_error,
        measured.accepted_versions
    from measured
    left join failed_providers as stt_failures
        on
            measured.call_id = stt_failures.call_id
            and measured.stt_provider = stt_failures.provider_name
    left join failed_providers as llm_failures
        on
            measured.call_id = llm_failures.call_id
            and measured.llm_provider = llm_failures.provider_name
    left join failed_providers as tts_failures
        on
            measured.call_id = tts_failures.call_id
            and measured.tts_provider = tts_failures.provider_name
)

-- Stored in start order, so a read of a few hours of calls touches only their rows (by name:
-- a position among the columns of `select *` would say nothing).
select * from final
order by started_at  -- noqa: AM06
