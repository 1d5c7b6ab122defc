{{ config(
    materialized='incremental',
    unique_key='call_id',
    pre_hook="{{ delete_changed_rows('call_id', 'call') }}",
) }}

{% set since = incremental_since() %}

with

call_versions as (
    select * from {{ ref('stg_raw__calls') }}
    where
        row_disposition = 'accepted'
        and {{ changed_rows_filter('call_id', 'call', since) }}
),

sequenced as (
    select
        call_id,
        updated_at,
        status,
        loaded_at,
        lag(status) over (partition by call_id order by updated_at) as previous_status
    from call_versions
),

changes as (
    select
        call_id,
        updated_at as changed_at,
        status,
        loaded_at as source_loaded_at
    from sequenced
    where previous_status is null or previous_status != status
)

select * from changes
