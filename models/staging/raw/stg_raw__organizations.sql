with

organizations as (
    select * from {{ ref('base_raw__organizations') }}
    where row_disposition = 'accepted'
),

accepted as (
    select
        org_id,
        org_name,
        reseller_id,
        created_at,
        loaded_at
    from organizations
)

select * from accepted
