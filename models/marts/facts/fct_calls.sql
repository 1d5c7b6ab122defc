-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

call_versions as {{ not_materialized() }} (
    select * from {{ ref('stg_raw__calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id') }}
    {%- endif %}
),

call_statuses as (
    select * from {{ ref('call_statuses') }}
),

outcome_resolutions as (
    select * from {{ ref('outcome_resolutions') }}
),

turns as (
    select * from {{ ref('stg_raw__call_turns') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id') }}
    {%- endif %}
),

tool_calls as (
    select * from {{ ref('stg_raw__tool_calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id') }}
    {%- endif %}
),

call_errors as (
    select
        call_id,
        provider_name,
        level = 'error' as is_call_affecting
    from {{ ref('stg_raw__call_errors') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id') }}
    {%- endif %}
),

latest_versions as (
    select
        call_id,
        max(updated_at) as updated_at,
        count(*) as accepted_versions
    from call_versions
    group by 1
),

current_versions as (
    select
        call_versions.*,
        latest_versions.accepted_versions
    from call_versions
    inner join latest_versions
        on
            call_versions.call_id = latest_versions.call_id
            and call_versions.updated_at = latest_versions.updated_at
),

turns_per_call as (
    select
        call_id,
        count(*) as turns,
        count(case when is_interrupted then 1 end) as interrupted_turns,
        coalesce(sum(stt_latency_ms), 0) as stt_latency_sum_ms,
        count(stt_latency_ms) as stt_latency_turns,
        coalesce(sum(llm_latency_ms), 0) as llm_latency_sum_ms,
        count(llm_latency_ms) as llm_latency_turns,
        coalesce(sum(tts_latency_ms), 0) as tts_latency_sum_ms,
        count(tts_latency_ms) as tts_latency_turns,
        coalesce(sum(total_latency_ms), 0) as total_latency_sum_ms,
        count(total_latency_ms) as total_latency_turns
    from turns
    group by 1
),

tool_calls_per_call as (
    select
        call_id,
        count(*) as tool_calls,
        count(is_success) as tool_calls_with_outcome,
        count(case when is_success then 1 end) as tool_calls_succeeded
    from tool_calls
    group by 1
),

errors_per_call as (
    select
        call_id,
        count(*) as errors,
        count(case when is_call_affecting then 1 end) as call_affecting_errors
    from call_errors
    group by 1
),

failed_providers as (
    select distinct
        call_id,
        provider_name
    from call_errors
    where
        is_call_affecting
        and provider_name is not null
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
        coalesce(turns_per_call.turns, 0) as turns,
        coalesce(turns_per_call.interrupted_turns, 0) > 0 as has_barge_in,
        coalesce(turns_per_call.stt_latency_sum_ms, 0) as stt_latency_sum_ms,
        coalesce(turns_per_call.stt_latency_turns, 0) as stt_latency_turns,
        coalesce(turns_per_call.llm_latency_sum_ms, 0) as llm_latency_sum_ms,
        coalesce(turns_per_call.llm_latency_turns, 0) as llm_latency_turns,
        coalesce(turns_per_call.tts_latency_sum_ms, 0) as tts_latency_sum_ms,
        coalesce(turns_per_call.tts_latency_turns, 0) as tts_latency_turns,
        coalesce(turns_per_call.total_latency_sum_ms, 0) as total_latency_sum_ms,
        coalesce(turns_per_call.total_latency_turns, 0) as total_latency_turns,
        {%- for column in latency_summary_columns() %}
            measured.{{ column }},
        {%- endfor %}
        coalesce(tool_calls_per_call.tool_calls, 0) as tool_calls,
        coalesce(tool_calls_per_call.tool_calls_with_outcome, 0) as tool_calls_with_outcome,
        coalesce(tool_calls_per_call.tool_calls_succeeded, 0) as tool_calls_succeeded,
        coalesce(errors_per_call.errors, 0) as errors,
        coalesce(errors_per_call.call_affecting_errors, 0) > 0 as has_error,
        stt_failures.provider_name is not null as has_stt_provider_error,
        llm_failures.provider_name is not null as has_llm_provider_error,
        tts_failures.provider_name is not null as has_tts_provider_error,
        measured.accepted_versions
    from measured
    left join turns_per_call
        on measured.call_id = turns_per_call.call_id
    left join tool_calls_per_call
        on measured.call_id = tool_calls_per_call.call_id
    left join errors_per_call
        on measured.call_id = errors_per_call.call_id
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
-- a position among the columns of `select *` would say nothing); on DuckDB a build of every
-- row of more calls than one sort holds in memory sorts them in parts instead (sort_in_parts).
select * from final
{%- if not sorts_in_parts(ref('stg_raw__calls'), 'call_id') %}
    order by started_at  -- noqa: AM06
{%- endif %}
