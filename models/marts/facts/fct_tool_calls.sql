-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

tool_calls as (
    select * from {{ ref('stg_raw__tool_calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id') }}
    {%- endif %}
),

calls as (
    select
        call_id,
        started_at
    from {{ ref('fct_calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id', started_at='started_at') }}
    {%- endif %}
),

described as (
    select
        tool_calls.tool_call_id,
        tool_calls.call_id,
        calls.started_at as call_started_at,
        tool_calls.tool_name,
        tool_calls.started_at,
        tool_calls.latency_ms,
        tool_calls.is_success,
        tool_calls.error_message
    from tool_calls
    left join calls
        on tool_calls.call_id = calls.call_id
)

-- Stored in the order of their calls' starts, so the records of a page of calls (seed 004)
-- read only the row groups of those calls' hours, not the table.
select * from described
order by call_started_at  -- noqa: AM06
