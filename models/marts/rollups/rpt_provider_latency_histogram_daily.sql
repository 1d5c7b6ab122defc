{{ config(unique_key='started_date') }}

-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

calls as (
    select
        call_id,
        started_date,
        org_id,
        stt_provider,
        llm_provider,
        tts_provider
    from {{ ref('fct_calls') }}
    {%- if is_incremental() %}
        where started_date in (select started_date from {{ ref('int_calls_changed_this_run') }})
    {%- endif %}
),

turns as (
    select
        call_id,
        stt_latency_ms,
        llm_latency_ms,
        tts_latency_ms
    from {{ ref('fct_call_turns') }}
),

provider_types as (
    {{ pipeline_stage_rows() }}
),

stage_latencies as (
    {#- One pass over the turns of the calls, each turn once per pipeline stage. -#}
    select
        calls.started_date,
        calls.org_id,
        provider_types.provider_type,
        {{ per_pipeline_stage('calls.{}_provider') }} as provider_name,
        {{ per_pipeline_stage('turns.{}_latency_ms') }} as latency_ms
    from calls
    inner join turns
        on calls.call_id = turns.call_id
    cross join provider_types
),

rolled_up as (
    select
        started_date,
        org_id,
        provider_type,
        provider_name,
        {{ histogram_bucket('latency_ms') }} as histogram_bucket,
        count(*) as turns
    from stage_latencies
    where provider_name is not null and latency_ms is not null
    group by 1, 2, 3, 4, 5
)

select * from rolled_up
