{{ config(materialized='ephemeral') }}

{%- set stages = ['stt', 'llm', 'tts'] %}

with

calls as (
    select * from {{ ref('fct_calls') }}
),

provider_types as (
    {%- for stage in stages %}
        select '{{ stage }}' as provider_type
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

stages as (
    {#- One pass over the calls, each call once per pipeline stage. -#}
    select
        calls.call_id,
        calls.started_hour,
        calls.org_id,
        calls.agent_id,
        provider_types.provider_type,
        {%- for column, expression in [
            ('provider_name', '{}_provider'),
            ('latency_sum_ms', '{}_latency_sum_ms'),
            ('latency_turns', '{}_latency_turns'),
            ('has_provider_error', 'has_{}_provider_error'),
        ] %}
            case provider_types.provider_type
                {%- for stage in stages %}
                    when '{{ stage }}' then calls.{{ expression.format(stage) }}
                {%- endfor %}
            end as {{ column }},
        {%- endfor %}
        case provider_types.provider_type
            when 'llm' then (calls.llm_provider is distinct from calls.stt_provider)
            when 'tts'
                then (
                    calls.tts_provider is distinct from calls.stt_provider
                    and calls.tts_provider is distinct from calls.llm_provider
                )
            else true
        end as is_first_stage_of_provider
    from calls
    cross join provider_types
)

select * from stages
where provider_name is not null
