-- The error a Vapi call ended on, shaped like raw.call_errors: one per end-of-call report
-- whose endedReason names a failing service (seed vapi_ended_reasons), at the call's end.

with

reports as (
    select * from {{ ref('stg_vapi__server_messages') }}
    where message_type = 'end-of-call-report'
),

ended_reasons as (
    select * from {{ ref('vapi_ended_reasons') }}
    where error_service is not null
),

final as (
    select
        {{ dbt.concat(['reports.call_id', "':'", 'reports.ended_reason']) }} as error_id,
        reports.call_id,
        reports.ended_at as occurred_at,
        ended_reasons.error_service as service,
        ended_reasons.error_provider as provider_name,
        'error' as level,
        coalesce(
            {{ json_field_text('reports.message', 'endedMessage') }},
            {{ json_field_text('reports.message', ['call', 'endedMessage']) }},
            reports.ended_reason
        ) as message,
        reports.raw_table,
        reports.loaded_at
    from reports
    inner join ended_reasons
        on reports.ended_reason = ended_reasons.ended_reason
)

select * from final
