{% macro platform_agents(calls_model) -%}
    {#-
        The agents a platform's calls (`calls_model`, shaped like raw.calls plus `agent_name`)
        name, shaped like raw.agents: one version per agent and org, as of its newest call,
        named as that call names it, and `active`: the platform never said it was removed
        (sources.md). Its landed_records are its calls': a record that changes any of them may
        change it.
    -#}
with

calls as (
    select * from {{ ref(calls_model) }}
    where agent_id is not null
),

ranked as (
    select
        agent_id,
        org_id,
        agent_name,
        updated_at,
        loaded_at,
        sum(landed_records) over (partition by agent_id, org_id) as landed_records,
        raw_table,
        row_number() over (
            partition by agent_id, org_id
            order by updated_at desc nulls last, loaded_at desc, agent_name
        ) as recency
    from calls
),

final as (
    select
        agent_id,
        org_id,
        agent_name as name,
        'active' as status,
        updated_at,
        landed_records,
        raw_table,
        loaded_at
    from ranked
    where recency = 1
)

select * from final
{%- endmacro %}
