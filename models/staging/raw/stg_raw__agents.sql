with

agent_versions as (
    select * from {{ ref('base_raw__agents') }}
    where row_disposition = 'accepted'
),

accepted as (
    select
        agent_id,
        org_id,
        agent_name,
        agent_status,
        created_at,
        updated_at,
        loaded_at
    from agent_versions
)

select * from accepted
