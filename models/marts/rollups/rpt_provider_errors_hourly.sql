-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

call_stages as (
    select * from {{ ref('int_call_stages_unpivoted') }}
    {%- if is_incremental() %}
        where {{ in_change_set('started_hour') }}
    {%- endif %}
),

call_providers as (
    {#- One row per call and provider name, however many stages of the call it served. -#}
    select * from call_stages
    where is_first_stage_of_provider
),

rolled_up as (
    select
        started_hour,
        org_id,
        agent_id,
        provider_name,
        count(*) as calls,
        count(case when has_provider_error then 1 end) as error_calls
    from call_providers
    group by 1, 2, 3, 4
)

select * from rolled_up
