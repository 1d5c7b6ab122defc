-- depends_on: {{ ref('int_call_turns_changed_this_run') }}

with

turns as (
    select * from {{ ref('fct_call_turn_latencies') }}
    {%- if is_incremental() %}
        where {{ in_change_set(
            'started_hour', 'call_started_hour', 'int_call_turns_changed_this_run'
        ) }}
    {%- endif %}
),

provider_types as (
    {{ pipeline_stage_rows() }}
),

stage_latencies as (
    {#- One pass over the turns, each turn once per pipeline stage. -#}
    select
        turns.call_started_hour as started_hour,
        turns.org_id,
        provider_types.provider_type,
        {{ per_pipeline_stage('turns.{}_provider') }} as provider_name,
        {{ per_pipeline_stage('turns.{}_latency_ms') }} as latency_ms
    from turns
    cross join provider_types
),

rolled_up as (
    select
        started_hour,
        org_id,
        provider_type,
        provider_name,
        {{ histogram_bucket('latency_ms') }} as histogram_bucket,
        count(*) as turns,
        min(latency_ms) as min_latency_ms,
        max(latency_ms) as max_latency_ms
    from stage_latencies
    where provider_name is not null and latency_ms is not null
    group by 1, 2, 3, 4, 5
)

select * from rolled_up
