with

source as {{ not_materialized() }} (
    select * from {{ staged_rows('call_errors') }}
),

normalised as {{ not_materialized() }} (
    select
        {{ clean_text('error_id') }} as error_id,
        {{ clean_text('call_id') }} as call_id,
        occurred_at,
        {{ clean_label('service') }} as service,
        {{ clean_text('provider_name') }} as provider_name,
        {{ clean_label('level') }} as level,
        {{ clean_text('message') }} as message,
        details,
        landed_records,
        raw_table,
        loaded_at
    from source
),

{{ classify_rows(
    raw_table='call_errors',
    relation='normalised',
    columns=[
        'error_id', 'call_id', 'occurred_at', 'service', 'provider_name', 'level', 'message',
        'details', 'landed_records', 'raw_table', 'loaded_at',
    ],
    required_columns=['error_id', 'call_id', 'occurred_at', 'loaded_at'],
    time_column='occurred_at',
    json_columns=['details'],
) }}

select * from classified
