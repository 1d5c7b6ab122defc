-- Tool calls in Vapi's end-of-call reports, shaped like raw.tool_calls: each entry of a
-- `tool_calls` message; it succeeded when a `tool_call_result` message answers its id, and
-- its latency (ms) is the time between the two messages.

with

transcript as (
    select * from {{ ref('stg_vapi__transcript_messages') }}
),

invocations as (
    select
        transcript.message_number,
        transcript.call_id,
        transcript.spoken_at,
        transcript.raw_table,
        transcript.loaded_at,
        {{ json_field_text('invoked.element', 'id') }} as tool_call_id,
        {{ json_field_text('invoked.element', ['function', 'name']) }} as tool_name
    from transcript
    cross join {{ json_array_elements(json_field('transcript.element', 'toolCalls'), 'invoked') }}
    where transcript.speaker = 'tool_calls'
),

results as (
    select
        message_number,
        {{ json_field_text('element', 'toolCallId') }} as tool_call_id,
        min(spoken_at) as answered_at
    from transcript
    where speaker = 'tool_call_result'
    group by 1, 2
),

final as (
    select
        invocations.tool_call_id,
        invocations.call_id,
        invocations.tool_name as name,  -- noqa: RF04
        invocations.spoken_at as started_at,
        {{ seconds_between('invocations.spoken_at', 'results.answered_at') }} * 1000
            as latency_ms,
        results.tool_call_id is not null as is_success,
        invocations.raw_table,
        invocations.loaded_at
    from invocations
    left join results
        on
            invocations.message_number = results.message_number
            and invocations.tool_call_id = results.tool_call_id
)

select * from final
