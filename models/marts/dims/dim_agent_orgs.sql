with

agents as (
    select * from {{ ref('dim_agents') }}
),

calls as (
    select * from {{ ref('fct_calls') }}
),

links as (
    select
        agent_id,
        org_id,
        true as is_owner
    from agents
    where org_id is not null

    union all

    select distinct
        agent_id,
        org_id,
        false as is_owner
    from calls
),

final as (
    select
        agent_id,
        org_id,
        bool_or(is_owner) as is_owner
    from links
    group by 1, 2
)

select * from final
