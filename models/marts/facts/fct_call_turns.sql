{#-
    On DuckDB a build of every row of more calls than one sort holds in memory writes the
    turns part by part of their calls' starts (sort_parts_of): each part joins the staged
    turns with its row groups of fct_calls, stored in start order, and is sorted on its own;
    the turns of no accepted call (no start) go in the last.
-#}
{%- set in_parts = written_in_parts('fct_calls', 'started_at', 'call_id') %}

-- depends_on: {{ ref('int_call_turns_changed_this_run') }}

with

turns as (
    select * from {{ ref('stg_raw__call_turns') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id', change_set='int_call_turns_changed_this_run') }}
    {%- endif %}
),

calls as (
    select
        call_id,
        started_at
    from {{ ref('fct_calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set(
            'call_id', change_set='int_call_turns_changed_this_run', started_at='started_at'
        ) }}
    {%- endif %}
),

described as (
    select
        turns.call_id,
        turns.turn_index,
        calls.started_at as call_started_at,
        turns.started_at,
        turns.user_text,
        turns.agent_text,
        turns.stt_latency_ms,
        turns.llm_latency_ms,
        turns.tts_latency_ms,
        turns.total_latency_ms,
        coalesce(turns.is_interrupted, false) as is_interrupted,
        {{ bucket_label('turns.total_latency_ms', var('latency_bucket_edges_ms')) }}
            as latency_bucket
    from turns
    left join calls
        on turns.call_id = calls.call_id
    {%- if in_parts %}
    where {{ in_sort_part('calls.started_at') }}
    {%- endif %}
)

-- Stored in the order of their calls' starts, so the records of a page of calls (seed 004)
-- read only the row groups of those calls' hours, not the table.
select * from described
order by call_started_at  -- noqa: AM06
