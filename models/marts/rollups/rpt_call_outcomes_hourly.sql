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
        outcome_or_status,
        count(*) as calls
    from calls
    group by 1, 2, 3, 4
)

select * from rolled_up
