{{ config(
    materialized='incremental',
    unique_key='call_id',
    pre_hook="{{ delete_changed_rows('call_id', 'call') }}",
) }}

{% set since = incremental_since() %}

with

tool_calls as (
    select * from {{ ref('stg_raw__tool_calls') }}
    where
        row_disposition = 'accepted'
        and {{ changed_rows_filter('call_id', 'call', since) }}
),

described as (
    select
        tool_call_id,
        call_id,
        tool_name,
        started_at,
        latency_ms,
        is_success,
        error_message,
        loaded_at as source_loaded_at
    from tool_calls
)

select * from described
