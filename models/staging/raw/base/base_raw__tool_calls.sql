with

source as {{ not_materialized() }} (
    select * from {{ staged_rows('tool_calls') }}
),

normalised as {{ not_materialized() }} (
    select
        {{ clean_text('tool_call_id') }} as tool_call_id,
        {{ clean_text('call_id') }} as call_id,
        {{ clean_text('name') }} as tool_name,
        started_at,
        latency_ms,
        is_success,
        {{ clean_text('error_message') }} as error_message,
        landed_records,
        raw_table,
        loaded_at
    from source
),

{{ classify_rows(
    raw_table='tool_calls',
    relation='normalised',
    columns=[
        'tool_call_id', 'call_id', 'tool_name', 'started_at', 'latency_ms', 'is_success',
        'error_message', 'landed_records', 'raw_table', 'loaded_at',
    ],
    required_columns=['tool_call_id', 'call_id', 'loaded_at'],
    time_column='started_at',
) }}

select * from classified
