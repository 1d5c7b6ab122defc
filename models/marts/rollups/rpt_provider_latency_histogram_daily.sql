{{ config(unique_key='started_date') }}

-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

calls as (
    select * from {{ ref('fct_calls') }}
    {%- if is_incremental() %}
        where started_date in (select started_date from {{ ref('int_calls_changed_this_run') }})
    {%- endif %}
),

turns as (
    select * from {{ ref('fct_call_turns') }}
),

stage_latencies as (
    {%- for stage in ['stt', 'llm', 'tts'] %}
        select
            calls.started_date,
            calls.org_id,
            '{{ stage }}' as provider_type,
            calls.{{ stage }}_provider as provider_name,
            turns.{{ stage }}_latency_ms as latency_ms
        from calls
        inner join turns
            on calls.call_id = turns.call_id
        where calls.{{ stage }}_provider is not null and turns.{{ stage }}_latency_ms is not null
        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}
),

rolled_up as (
    select
        started_date,
        org_id,
        provider_type,
        provider_name,
        {{ histogram_bucket('latency_ms') }} as histogram_bucket,
        count(*) as turns
    from stage_latencies
    group by 1, 2, 3, 4, 5
)

select * from rolled_up
