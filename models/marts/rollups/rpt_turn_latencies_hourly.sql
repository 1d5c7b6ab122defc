-- depends_on: {{ ref('int_call_turns_changed_this_run') }}

with

turns as (
    select * from {{ ref('fct_call_turn_latencies') }}
    where latency_bucket is not null
    {%- if is_incremental() %}
        and {{ in_change_set(
            'started_hour', 'call_started_hour', 'int_call_turns_changed_this_run'
        ) }}
    {%- endif %}
),

rolled_up as (
    select
        call_started_hour as started_hour,
        org_id,
        agent_id,
        latency_bucket,
        count(*) as turns
    from turns
    group by 1, 2, 3, 4
)

select * from rolled_up
