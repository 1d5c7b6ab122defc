{{ config(
    materialized='incremental',
    unique_key='started_hour',
    pre_hook="{{ delete_changed_rows('started_hour', 'hour') }}",
) }}

{% set since = incremental_since() %}

with

call_stages as (
    select * from {{ ref('int_call_stages_unpivoted') }}
    where {{ changed_rows_filter('started_hour', 'hour', since) }}
),

call_providers as (
    {#- One row per call and provider name, however many stages of the call it served. -#}
    select distinct
        call_id,
        started_hour,
        org_id,
        agent_id,
        provider_name,
        has_provider_error,
        source_loaded_at
    from call_stages
),

rolled_up as (
    select
        started_hour,
        org_id,
        agent_id,
        provider_name,
        count(*) as calls,
        count(case when has_provider_error then 1 end) as error_calls,
        max(source_loaded_at) as source_loaded_at
    from call_providers
    group by 1, 2, 3, 4
)

select * from rolled_up
