-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

call_stages as (
    select * from {{ ref('int_call_stages_unpivoted') }}
    {%- if is_incremental() %}
        where {{ in_change_set('started_hour') }}
    {%- endif %}
),

rolled_up as (
    select
        started_hour,
        org_id,
        provider_type,
        provider_name,
        count(*) as calls_with_latency,
        sum(latency_sum_ms) as latency_sum_ms,
        sum(latency_turns) as latency_turns
    from call_stages
    where latency_turns > 0
    group by 1, 2, 3, 4
)

select * from rolled_up
