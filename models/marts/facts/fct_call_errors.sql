{{ config(
    materialized='incremental',
    unique_key='call_id',
    pre_hook="{{ delete_changed_rows('call_id', 'call') }}",
) }}

{% set since = incremental_since() %}

with

call_errors as (
    select * from {{ ref('stg_raw__call_errors') }}
    where
        row_disposition = 'accepted'
        and {{ changed_rows_filter('call_id', 'call', since) }}
),

described as (
    select
        error_id,
        call_id,
        occurred_at,
        service,
        provider_name,
        level,
        message,
        details,
        level = 'error' as is_call_affecting,
        loaded_at as source_loaded_at
    from call_errors
)

select * from described
