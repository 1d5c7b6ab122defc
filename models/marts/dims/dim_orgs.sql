with

organizations as (
    select * from {{ ref('stg_raw__organizations') }}
),

final as (
    select
        org_id,
        org_name,
        reseller_id,
        created_at,
        loaded_at
    from organizations
)

select * from final
