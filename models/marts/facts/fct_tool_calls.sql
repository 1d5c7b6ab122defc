-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

tool_calls as (
    select * from {{ ref('stg_raw__tool_calls') }}
    {%- if is_incremental() %}
        where call_id in (select call_id from {{ ref('int_calls_changed_this_run') }})
    {%- endif %}
),

described as (
    select
        tool_call_id,
        call_id,
        tool_name,
        started_at,
        latency_ms,
        is_success,
        error_message
    from tool_calls
)

select * from described
