-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

calls as (
    select * from {{ ref('fct_calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set('started_hour') }}
    {%- endif %}
),

rolled_up as (
    select
        started_hour,
        org_id,
        agent_id,
        workflow_id,
        count(*) as total_calls,
        count(case when is_completed then 1 end) as completed_calls,
        count(case when is_failed then 1 end) as failed_calls,
        count(case when is_live then 1 end) as live_calls,
        count(duration_s) as calls_with_duration,
        coalesce(sum(duration_s), 0) as duration_sum_s,
        count(cost_usd) as calls_with_cost,
        coalesce(sum(cost_usd), 0) as cost_sum_usd,
        coalesce(sum(stt_cost_usd), 0) as stt_cost_sum_usd,
        coalesce(sum(llm_cost_usd), 0) as llm_cost_sum_usd,
        coalesce(sum(tts_cost_usd), 0) as tts_cost_sum_usd,
        coalesce(sum(telephony_cost_usd), 0) as telephony_cost_sum_usd,
        coalesce(sum(platform_cost_usd), 0) as platform_cost_sum_usd,
        sum(total_tokens) as total_tokens,
        count(case when turns > 0 then 1 end) as calls_with_turns,
        sum(turns) as turns,
        count(case when has_barge_in then 1 end) as barge_in_calls,
        sum(stt_latency_sum_ms) as stt_latency_sum_ms,
        sum(stt_latency_turns) as stt_latency_turns,
        sum(llm_latency_sum_ms) as llm_latency_sum_ms,
        sum(llm_latency_turns) as llm_latency_turns,
        sum(tts_latency_sum_ms) as tts_latency_sum_ms,
        sum(tts_latency_turns) as tts_latency_turns,
        sum(total_latency_sum_ms) as total_latency_sum_ms,
        sum(total_latency_turns) as total_latency_turns,
        count(case when has_error then 1 end) as error_calls,
        count(case when is_escalated then 1 end) as escalated_calls,
        count(case when resolution = 'resolved' then 1 end) as resolved_calls,
        count(case when resolution = 'transferred' then 1 end) as transferred_calls,
        count(case when resolution = 'abandoned' then 1 end) as abandoned_calls,
        count(case when resolution = 'other' then 1 end) as other_resolution_calls,
        count(sentiment) as calls_with_sentiment,
        count(case when sentiment = 'positive' then 1 end) as positive_calls,
        count(user_corrections) as calls_with_corrections_measured,
        count(case when user_corrections = 0 then 1 end) as calls_without_corrections,
        count(cached_token_ratio) as calls_with_cached_token_ratio,
        coalesce(sum(cached_token_ratio), 0) as cached_token_ratio_sum,
        count(stt_confidence) as calls_with_stt_confidence,
        coalesce(sum(stt_confidence), 0) as stt_confidence_sum,
        sum(tool_calls_with_outcome) as tool_calls_with_outcome,
        sum(tool_calls_succeeded) as tool_calls_succeeded
    from calls
    group by 1, 2, 3, 4
)

select * from rolled_up
