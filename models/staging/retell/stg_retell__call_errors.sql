-- Retell's error disconnections as raw.call_errors: one per call whose current version ended
-- with a reason of outcome `error` (seed retell_disconnection_reasons), at its end.

with

errored_calls as (
    select
        *,
        {{ json_field_text('metadata', 'disconnection_reason') }} as disconnection_reason
    from {{ ref('stg_retell__calls') }}
    where is_current_version and outcome = 'error'
),

final as (
    select
        {{ dbt.concat(['call_id', "':'", 'disconnection_reason']) }} as error_id,
        call_id,
        coalesce(ended_at, started_at) as occurred_at,
        case
            when disconnection_reason like 'error_llm_websocket%' then 'llm'
            when disconnection_reason = 'error_asr' then 'stt'
            when disconnection_reason = 'error_inbound_webhook' then 'workflow'
        end as service,
        'error' as level,
        disconnection_reason as message,
        {{ json_object({
            'disconnection_reason': json_field('metadata', 'disconnection_reason'),
            'call_status': json_field('metadata', 'call_status'),
        }) }} as details,
        call_records as landed_records,
        raw_table,
        loaded_at
    from errored_calls
)

select * from final
