-- The transcript of each Vapi end-of-call report: one row per entry of artifact.messages, in
-- order, with who it is from (system, bot, user, tool_calls, tool_call_result), its text and
-- time (epoch ms). Retried reports are told apart by their message_number.

with

reports as (
    select * from {{ ref('stg_vapi__server_messages') }}
    where message_type = 'end-of-call-report'
),

final as (
    select
        reports.message_number,
        reports.call_id,
        spoken.position,
        spoken.element,
        {{ json_field_text('spoken.element', 'role') }} as speaker,
        {{ json_field_text('spoken.element', 'message') }} as spoken_text,
        {{ epoch_to_timestamp(text_to_double(json_field_text('spoken.element', 'time')), 'ms') }}
            as spoken_at,
        reports.raw_table,
        reports.loaded_at
    from reports
    cross join {{ json_array_elements(
        json_field('reports.message', ['artifact', 'messages']), 'spoken'
    ) }}
)

select * from final
