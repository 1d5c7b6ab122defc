with

workflows as (
    select * from {{ ref('base_raw__workflows') }}
    where row_disposition = 'accepted'
),

accepted as (
    select
        workflow_id,
        org_id,
        workflow_name,
        workflow_slug,
        created_at,
        loaded_at
    from workflows
)

select * from accepted
