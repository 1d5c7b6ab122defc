{{ config(materialized='ephemeral') }}

with

calls as (
    select * from {{ ref('fct_calls') }}
),

provider_types as (
    {{ pipeline_stage_rows() }}
),

stages as (
    {#- One pass over the calls, each call once per pipeline stage. -#}
    select
        calls.call_id,
        calls.started_hour,
        calls.org_id,
        calls.agent_id,
        provider_types.provider_type,
        {{ per_pipeline_stage('calls.{}_provider') }} as provider_name,
        {{ per_pipeline_stage('calls.{}_latency_sum_ms') }} as latency_sum_ms,
        {{ per_pipeline_stage('calls.{}_latency_turns') }} as latency_turns,
        {{ per_pipeline_stage('calls.has_{}_provider_error') }} as has_provider_error,
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
