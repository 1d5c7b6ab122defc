-- Turns of the calls in Vapi's end-of-call reports, shaped like raw.call_turns: a turn is a
-- user message and the bot messages after it (the greeting before the first user message is
-- not one). Stage latencies (ms) are the report's performanceMetrics.turnLatencies, matched
-- to turns by position; Vapi does not say which turns were interrupted.

with

reports as (
    select * from {{ ref('stg_vapi__server_messages') }}
    where message_type = 'end-of-call-report'
),

transcript as (
    select * from {{ ref('stg_vapi__transcript_messages') }}
),

numbered as (
    select
        *,
        sum(case when speaker = 'user' then 1 else 0 end) over (
            partition by message_number order by position rows unbounded preceding
        ) - 1 as turn_index
    from transcript
    where speaker in ('user', 'bot')
),

turns as (
    select
        message_number,
        call_id,
        turn_index,
        min(case when speaker = 'user' then spoken_at end) as started_at,
        min(case when speaker = 'user' then spoken_text end) as user_text,
        {{ string_agg_ordered(
            "case when speaker = 'bot' then spoken_text end", "' '", 'position'
        ) }} as agent_text,
        min(raw_table) as raw_table,
        min(loaded_at) as loaded_at
    from numbered
    where turn_index >= 0
    group by 1, 2, 3
),

latencies as (
    select
        reports.message_number,
        measured.position - 1 as turn_index,
        measured.element as latency
    from reports
    cross join {{ json_array_elements(
        json_field('reports.message', ['artifact', 'performanceMetrics', 'turnLatencies']),
        'measured'
    ) }}
),

final as (
    select
        turns.call_id,
        turns.turn_index,
        turns.started_at,
        turns.user_text,
        turns.agent_text,
        {{ text_to_double(json_field_text('latencies.latency', 'transcriberLatency')) }}
            as stt_latency_ms,
        {{ text_to_double(json_field_text('latencies.latency', 'modelLatency')) }}
            as llm_latency_ms,
        {{ text_to_double(json_field_text('latencies.latency', 'voiceLatency')) }}
            as tts_latency_ms,
        {{ text_to_double(json_field_text('latencies.latency', 'turnLatency')) }}
            as total_latency_ms,
        turns.raw_table,
        turns.loaded_at
    from turns
    left join latencies
        on
            turns.message_number = latencies.message_number
            and turns.turn_index = latencies.turn_index
)

select * from final
