with

agent_versions as (
    select * from {{ ref('stg_raw__agents') }}
),

calls as (
    select * from {{ ref('fct_calls') }}
),

ranked_versions as (
    select
        *,
        row_number() over (
            partition by agent_id
            order by updated_at desc nulls last, loaded_at desc
        ) as recency
    from agent_versions
),

current_agents as (
    select
        agent_id,
        org_id,
        agent_name,
        agent_status,
        created_at,
        updated_at,
        false as is_deleted
    from ranked_versions
    where recency = 1
),

deleted_agents as (
    select distinct
        calls.agent_id,
        cast(null as {{ dbt.type_string() }}) as org_id,
        cast(null as {{ dbt.type_string() }}) as agent_name,
        'deleted' as agent_status,
        cast(null as timestamp) as created_at,
        cast(null as timestamp) as updated_at,
        true as is_deleted
    from calls
    left join current_agents
        on calls.agent_id = current_agents.agent_id
    where current_agents.agent_id is null
),

final as (
    select * from current_agents
    union all
    select * from deleted_agents
)

select * from final
