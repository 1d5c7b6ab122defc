-- Retell's tool call entries as raw.tool_calls: each tool_call_invocation of a call's current
-- transcript with the tool_call_result of the same tool_call_id. Entries carry no time: a call
-- started when the last word before it was spoken. Retell gives no tool latency.

with

entries as (
    select
        *,
        {{ json_field_text('element', 'tool_call_id') }} as tool_call_id,
        max(last_word_end_s) over (
            partition by call_id order by position rows between unbounded preceding and 1 preceding
        ) as spoken_until_s
    from {{ ref('stg_retell__transcript_entries') }}
),

invocations as (
    select * from entries
    where entry_role = 'tool_call_invocation'
),

results as (
    select
        call_id,
        tool_call_id,
        entry_text,
        cast({{ json_field_text('element', 'successful') }} as {{ dbt.type_boolean() }})
            as is_success
    from entries
    where entry_role = 'tool_call_result'
),

final as (
    select
        invocations.tool_call_id,
        invocations.call_id,
        {{ json_field_text('invocations.element', 'name') }} as name,  -- noqa: RF04
        {{ dbt.dateadd(
            'microsecond',
            'round(invocations.spoken_until_s * 1000000)',
            'invocations.call_started_at',
        ) }} as started_at,
        results.is_success,
        case when not results.is_success then results.entry_text end as error_message,
        invocations.call_records as landed_records,
        'raw_retell.calls' as raw_table,
        invocations.loaded_at
    from invocations
    left join results
        on
            invocations.call_id = results.call_id
            and invocations.tool_call_id = results.tool_call_id
)

select * from final
