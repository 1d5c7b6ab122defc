-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

calls as (
    select * from {{ ref('fct_calls') }}
    {%- if is_incremental() %}
        where started_hour in (select started_hour from {{ ref('int_calls_changed_this_run') }})
    {%- endif %}
),

turns as (
    select * from {{ ref('fct_call_turns') }}
    where latency_bucket is not null
),

rolled_up as (
    select
        calls.started_hour,
        calls.org_id,
        calls.agent_id,
        turns.latency_bucket,
        count(*) as turns
    from calls
    inner join turns
        on calls.call_id = turns.call_id
    group by 1, 2, 3, 4
)

select * from rolled_up
