{#-
    On DuckDB a build of every row of more calls than one sort holds in memory writes the
    turns part by part of their calls' starts (sort_parts_of): each part reads only its row
    groups of the two facts, both stored in start order, and is sorted on its own.
-#}
{%- set in_parts = written_in_parts('fct_calls', 'started_at', 'call_id') %}

-- depends_on: {{ ref('int_call_turns_changed_this_run') }}

with

calls as (
    select * from {{ ref('fct_calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set(
            'call_id', change_set='int_call_turns_changed_this_run', started_at='started_at'
        ) }}
    {%- endif %}
),

turns as (
    select * from {{ ref('fct_call_turns') }}
    {%- if is_incremental() %}
        where {{ in_change_set(
            'call_id', change_set='int_call_turns_changed_this_run', started_at='call_started_at'
        ) }}
    {%- endif %}
),

described as (
    select
        turns.call_id,
        turns.turn_index,
        calls.started_at as call_started_at,
        calls.started_hour as call_started_hour,
        calls.org_id,
        calls.agent_id,
        calls.stt_provider,
        calls.llm_provider,
        calls.tts_provider,
        turns.stt_latency_ms,
        turns.llm_latency_ms,
        turns.tts_latency_ms,
        turns.latency_bucket
    from turns
    inner join calls
        on turns.call_id = calls.call_id
    {%- if in_parts %}
    where
        {{ in_sort_part('turns.call_started_at') }}
        and {{ in_sort_part('calls.started_at') }}
    {%- endif %}
)

-- Stored in start order, so a read of a few hours of calls touches only their rows (by name:
-- a position among the columns of `select *` would say nothing).
select * from described
order by call_started_at  -- noqa: AM06
