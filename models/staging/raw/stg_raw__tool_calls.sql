with

tool_calls as (
    select * from {{ ref('base_raw__tool_calls') }}
    where row_disposition = 'accepted'
),

within_range as (
    select
        tool_call_id,
        call_id,
        tool_name,
        started_at,
        {{ within_range('tool_calls', 'latency_ms') }} as latency_ms,
        is_success,
        error_message,
        loaded_at
    from tool_calls
)

select * from within_range
