{{ config(
    materialized='incremental',
    unique_key='call_id',
    pre_hook="{{ delete_changed_rows('call_id', 'call') }}",
) }}

{% set since = incremental_since() %}

with

turns as (
    select * from {{ ref('stg_raw__call_turns') }}
    where
        row_disposition = 'accepted'
        and {{ changed_rows_filter('call_id', 'call', since) }}
),

described as (
    select
        call_id,
        turn_index,
        started_at,
        user_text,
        agent_text,
        stt_latency_ms,
        llm_latency_ms,
        tts_latency_ms,
        total_latency_ms,
        coalesce(is_interrupted, false) as is_interrupted,
        {{ bucket_label('total_latency_ms', var('latency_bucket_edges_ms')) }} as latency_bucket,
        loaded_at as source_loaded_at
    from turns
)

select * from described
