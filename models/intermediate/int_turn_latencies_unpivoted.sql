with

calls as (
    select * from {{ ref('fct_calls') }}
),

turns as (
    select * from {{ ref('fct_call_turns') }}
),

stage_latencies as (
    {%- for stage in ['stt', 'llm', 'tts'] %}
        select
            calls.call_id,
            calls.started_hour,
            calls.org_id,
            '{{ stage }}' as provider_type,
            calls.{{ stage }}_provider as provider_name,
            turns.{{ stage }}_latency_ms as latency_ms,
            calls.source_loaded_at
        from calls
        inner join turns
            on calls.call_id = turns.call_id
        where calls.{{ stage }}_provider is not null and turns.{{ stage }}_latency_ms is not null
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}
)

select * from stage_latencies
