{{ config(materialized='ephemeral') }}

with

calls as (
    select * from {{ ref('fct_calls') }}
),

stages as (
    {%- for stage in ['stt', 'llm', 'tts'] %}
        select
            call_id,
            started_hour,
            org_id,
            agent_id,
            '{{ stage }}' as provider_type,
            {{ stage }}_provider as provider_name,
            {{ stage }}_latency_sum_ms as latency_sum_ms,
            {{ stage }}_latency_turns as latency_turns,
            has_{{ stage }}_provider_error as has_provider_error
        from calls
        where {{ stage }}_provider is not null
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}
)

select * from stages
