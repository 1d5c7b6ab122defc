{{ config(materialized='table') }}

with

hourly as (
    select * from {{ ref('rpt_calls_hourly') }}
),

daily as (
    select
        cast({{ dbt.date_trunc('day', 'started_hour') }} as date) as started_date,
        org_id,
        agent_id,
        sum(total_calls) as total_calls,
        sum(completed_calls) as completed_calls,
        sum(failed_calls) as failed_calls,
        sum(live_calls) as live_calls,
        sum(calls_with_duration) as calls_with_duration,
        sum(duration_sum_s) as duration_sum_s,
        sum(calls_with_cost) as calls_with_cost,
        sum(cost_sum_usd) as cost_sum_usd,
        sum(stt_cost_sum_usd) as stt_cost_sum_usd,
        sum(llm_cost_sum_usd) as llm_cost_sum_usd,
        sum(tts_cost_sum_usd) as tts_cost_sum_usd,
        sum(telephony_cost_sum_usd) as telephony_cost_sum_usd,
        sum(platform_cost_sum_usd) as platform_cost_sum_usd,
        sum(calls_with_turns) as calls_with_turns,
        sum(turns) as turns,
        sum(barge_in_calls) as barge_in_calls,
        sum(total_latency_sum_ms) as total_latency_sum_ms,
        sum(total_latency_turns) as total_latency_turns,
        sum(error_calls) as error_calls
    from hourly
    group by 1, 2, 3
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
