with

source as {{ not_materialized() }} (
    select * from {{ staged_rows('organizations') }}
),

normalised as {{ not_materialized() }} (
    select
        {{ clean_text('org_id') }} as org_id,
        {{ clean_text('name') }} as org_name,
        {{ clean_text('reseller_id') }} as reseller_id,
        created_at,
        raw_table,
        loaded_at
    from source
),

{{ classify_rows(
    raw_table='organizations',
    relation='normalised',
    columns=[
        'org_id', 'org_name', 'reseller_id', 'created_at', 'raw_table', 'loaded_at',
    ],
    required_columns=['org_id', 'loaded_at'],
    time_column='created_at',
) }}

select * from classified
