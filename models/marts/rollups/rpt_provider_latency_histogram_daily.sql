{{ config(
    materialized='incremental',
    unique_key='started_hour',
    pre_hook="{{ delete_changed_rows('started_hour', 'hour') }}",
) }}

{% set since = incremental_since() %}

with

turn_latencies as (
    select * from {{ ref('int_turn_latencies_unpivoted') }}
    where {{ changed_rows_filter('started_hour', 'hour', since) }}
),

rolled_up as (
    select
        started_hour,
        org_id,
        provider_type,
        provider_name,
        {{ histogram_bucket('latency_ms') }} as histogram_bucket,
        count(*) as turns,
        max(source_loaded_at) as source_loaded_at
    from turn_latencies
    group by 1, 2, 3, 4, 5
)

select * from rolled_up
