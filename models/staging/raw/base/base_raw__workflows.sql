with

source as {{ not_materialized() }} (
    select * from {{ staged_rows('workflows') }}
),

normalised as {{ not_materialized() }} (
    select
        {{ clean_text('workflow_id') }} as workflow_id,
        {{ clean_text('org_id') }} as org_id,
        {{ clean_text('name') }} as workflow_name,
        {{ clean_text('slug') }} as workflow_slug,
        created_at,
        raw_table,
        loaded_at
    from source
),

{{ classify_rows(
    raw_table='workflows',
    relation='normalised',
    columns=[
        'workflow_id', 'org_id', 'workflow_name', 'workflow_slug', 'created_at', 'raw_table',
        'loaded_at',
    ],
    required_columns=['workflow_id', 'org_id', 'loaded_at'],
    time_column='created_at',
) }}

select * from classified
