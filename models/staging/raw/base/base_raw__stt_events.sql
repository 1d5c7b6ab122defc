with

source as {{ not_materialized() }} (
    select * from {{ staged_rows('stt_events') }}
),

normalised as {{ not_materialized() }} (
    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('call_id') }} as call_id,
        {{ clean_text('call_sid') }} as call_sid,
        {{ clean_text('connection_id') }} as connection_id,
        {{ clean_label('event_type') }} as event_type,
        {{ clean_text('provider_name') }} as provider_name,
        {{ clean_text('model') }} as model,
        detail,
        created_at,
        raw_table,
        loaded_at
    from source
),

{{ classify_rows(
    raw_table='stt_events',
    relation='normalised',
    columns=[
        'event_id', 'call_id', 'call_sid', 'connection_id', 'event_type', 'provider_name',
        'model', 'detail', 'created_at', 'raw_table', 'loaded_at',
    ],
    required_columns=['event_id', 'created_at', 'loaded_at'],
    time_column='created_at',
    json_columns=['detail'],
) }}

select * from classified
