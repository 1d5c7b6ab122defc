{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    unique_key='call_id',
    pre_hook="{{ delete_changed_rows() }}",
) }}

{#-
    One row per call with an accepted version: the key of its current version (the newest
    accepted `updated_at`) and that version's start, how many accepted versions it has, and
    the counts and sums of its turns, tool calls and errors. fct_calls reads its calls' other
    columns for these keys only, so on DuckDB it can write them part by part of their starts
    (sort_parts_of) with the counts taken once. Kept like the facts: an incremental run
    deletes the calls of its change set and appends them anew.
-#}

-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

call_versions as (
    select
        call_id,
        updated_at,
        started_at
    from {{ ref('stg_raw__calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id') }}
    {%- endif %}
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
    select * from {{ ref('stg_raw__call_errors') }}
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
        latest_versions.call_id,
        latest_versions.updated_at,
        call_versions.started_at,
        latest_versions.accepted_versions
    from latest_versions
    inner join call_versions
        on
            latest_versions.call_id = call_versions.call_id
            and latest_versions.updated_at = call_versions.updated_at
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
        count(case when level = 'error' then 1 end) as call_affecting_errors
    from call_errors
    group by 1
),

final as (
    select
        current_versions.call_id,
        current_versions.updated_at,
        current_versions.started_at,
        current_versions.accepted_versions,
        coalesce(turns_per_call.turns, 0) as turns,
        coalesce(turns_per_call.interrupted_turns, 0) as interrupted_turns,
        coalesce(turns_per_call.stt_latency_sum_ms, 0) as stt_latency_sum_ms,
        coalesce(turns_per_call.stt_latency_turns, 0) as stt_latency_turns,
        coalesce(turns_per_call.llm_latency_sum_ms, 0) as llm_latency_sum_ms,
        coalesce(turns_per_call.llm_latency_turns, 0) as llm_latency_turns,
        coalesce(turns_per_call.tts_latency_sum_ms, 0) as tts_latency_sum_ms,
        coalesce(turns_per_call.tts_latency_turns, 0) as tts_latency_turns,
        coalesce(turns_per_call.total_latency_sum_ms, 0) as total_latency_sum_ms,
        coalesce(turns_per_call.total_latency_turns, 0) as total_latency_turns,
        coalesce(tool_calls_per_call.tool_calls, 0) as tool_calls,
        coalesce(tool_calls_per_call.tool_calls_with_outcome, 0) as tool_calls_with_outcome,
        coalesce(tool_calls_per_call.tool_calls_succeeded, 0) as tool_calls_succeeded,
        coalesce(errors_per_call.errors, 0) as errors,
        coalesce(errors_per_call.call_affecting_errors, 0) as call_affecting_errors
    from current_versions
    left join turns_per_call
        on current_versions.call_id = turns_per_call.call_id
    left join tool_calls_per_call
        on current_versions.call_id = tool_calls_per_call.call_id
    left join errors_per_call
        on current_versions.call_id = errors_per_call.call_id
)

select * from final
