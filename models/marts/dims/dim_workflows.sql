with

workflows as (
    select * from {{ ref('stg_raw__workflows') }}
),

final as (
    select
        workflow_id,
        org_id,
        workflow_name,
        workflow_slug,
        created_at,
        loaded_at
    from workflows
)

select * from final
