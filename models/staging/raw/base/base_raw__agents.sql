with

source as {{ not_materialized() }} (
    select * from {{ staged_rows('agents') }}
),

normalised as {{ not_materialized() }} (
    select
        {{ clean_text('agent_id') }} as agent_id,
        {{ clean_text('org_id') }} as org_id,
        {{ clean_text('name') }} as agent_name,
        {{ clean_label('status') }} as agent_status,
        created_at,
        updated_at,
        landed_records,
        raw_table,
        loaded_at
    from source
),

{{ classify_rows(
    raw_table='agents',
    relation='normalised',
    columns=[
        'agent_id', 'org_id', 'agent_name', 'agent_status', 'created_at', 'updated_at',
        'landed_records', 'raw_table', 'loaded_at',
    ],
    required_columns=['agent_id', 'org_id', 'loaded_at'],
    time_column='updated_at',
) }}

select * from classified
