-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

calls as (
    select * from {{ ref('fct_calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set('started_hour') }}
    {%- endif %}
),

rolled_up as (
    select
        started_hour,
        org_id,
        agent_id,
        escalation_reason,
        count(*) as escalated_calls,
        count(seconds_before_escalation) as calls_with_escalation_time,
        coalesce(sum(seconds_before_escalation), 0) as seconds_before_escalation_sum
    from calls
    where is_escalated and escalation_reason is not null
    group by 1, 2, 3, 4
)

select * from rolled_up
