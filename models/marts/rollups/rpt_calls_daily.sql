{{ config(materialized='table') }}

{#- Every sum and count of rpt_calls_hourly. -#}
{%- set sums = [
    'total_calls',
    'completed_calls',
    'failed_calls',
    'live_calls',
    'calls_with_duration',
    'duration_sum_s',
    'calls_with_cost',
    'cost_sum_usd',
    'stt_cost_sum_usd',
    'llm_cost_sum_usd',
    'tts_cost_sum_usd',
    'telephony_cost_sum_usd',
    'platform_cost_sum_usd',
    'total_tokens',
    'calls_with_turns',
    'turns',
    'barge_in_calls',
    'stt_latency_sum_ms',
    'stt_latency_turns',
    'llm_latency_sum_ms',
    'llm_latency_turns',
    'tts_latency_sum_ms',
    'tts_latency_turns',
    'total_latency_sum_ms',
    'total_latency_turns',
    'error_calls',
    'escalated_calls',
    'resolved_calls',
    'transferred_calls',
    'abandoned_calls',
    'other_resolution_calls',
    'calls_with_sentiment',
    'positive_calls',
    'calls_with_corrections_measured',
    'calls_without_corrections',
    'calls_with_cached_token_ratio',
    'cached_token_ratio_sum',
    'calls_with_stt_confidence',
    'stt_confidence_sum',
    'tool_calls_with_outcome',
    'tool_calls_succeeded',
] %}

with

hourly as (
    select * from {{ ref('rpt_calls_hourly') }}
),

daily as (
    select
        cast({{ dbt.date_trunc('day', 'started_hour') }} as date) as started_date,
        org_id,
        agent_id,
        workflow_id,
        {% for column in sums -%}
            sum({{ column }}) as {{ column }}{% if not loop.last %},{% endif %}
        {% endfor -%}
    from hourly
    group by 1, 2, 3, 4
),

rated as (
    select
        *,
        {{ ratio('completed_calls', 'total_calls') }} as completion_rate,
        100 * {{ ratio('completed_calls', 'total_calls') }} as success_rate,
        {{ ratio('error_calls', 'total_calls') }} as error_rate,
        {{ ratio('barge_in_calls', 'calls_with_turns') }} as barge_in_rate,
        {{ ratio('duration_sum_s', 'calls_with_duration') }} as avg_duration_s,
        {{ ratio('cost_sum_usd', 'calls_with_cost') }} as avg_cost_usd,
        {{ ratio('turns', 'calls_with_turns') }} as avg_turns,
        {{ ratio('total_latency_sum_ms', 'total_latency_turns') }} as avg_total_latency_ms
    from daily
)

select * from rated
