-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

turns as (
    select * from {{ ref('stg_raw__call_turns') }}
    {%- if is_incremental() %}
        where call_id in (select call_id from {{ ref('int_calls_changed_this_run') }})
    {%- endif %}
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
        {{ bucket_label('total_latency_ms', var('latency_bucket_edges_ms')) }} as latency_bucket
    from turns
)

select * from described
