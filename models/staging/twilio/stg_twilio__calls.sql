-- Twilio call records (sources.md) as versions of raw.calls: a Call resource or a call-log CSV
-- row is a version as of its date_updated; a status callback, as of its Timestamp.

with

landed as (
    select * from {{ raw_source('calls', 'raw_twilio') }}
),

records as (
    select
        coalesce(
            {{ json_field_text('payload', 'sid') }},
            {{ json_field_text('payload', 'call_sid') }},
            {{ json_field_text('payload', 'CallSid') }}
        ) as call_sid,
        {{ json_field_text('payload', 'CallSid') }} is not null as is_status_callback,
        coalesce(
            {{ json_field_text('payload', 'account_sid') }},
            {{ json_field_text('payload', 'AccountSid') }},
            org_id
        ) as org_id,
        agent_id as loaded_agent_id,
        coalesce(
            {{ json_field_text('payload', 'status') }},
            {{ json_field_text('payload', 'CallStatus') }}
        ) as status,
        replace(lower(coalesce(
            {{ json_field_text('payload', 'status') }},
            {{ json_field_text('payload', 'CallStatus') }}
        )), '-', '_') as status_key,
        lower(coalesce(
            {{ json_field_text('payload', 'direction') }},
            {{ json_field_text('payload', 'Direction') }}
        )) as twilio_direction,
        coalesce(
            {{ json_field_text('payload', 'from') }},
            {{ json_field_text('payload', 'From') }}
        ) as from_number,
        coalesce(
            {{ json_field_text('payload', 'to') }},
            {{ json_field_text('payload', 'To') }}
        ) as to_number,
        {{ text_to_timestamp(json_field_text('payload', 'date_created')) }} as created_at,
        {{ text_to_timestamp(json_field_text('payload', 'date_updated')) }} as date_updated,
        {{ text_to_timestamp(json_field_text('payload', 'start_time')) }} as start_time,
        {{ text_to_timestamp(json_field_text('payload', 'end_time')) }} as end_time,
        {{ text_to_timestamp(json_field_text('payload', 'Timestamp')) }} as callback_at,
        {{ text_to_double(
            'coalesce(' ~ json_field_text('payload', 'duration') ~ ', '
            ~ json_field_text('payload', 'CallDuration') ~ ')'
        ) }} as duration_s,
        {{ text_to_double(json_field_text('payload', 'price')) }} as price,
        upper(coalesce({{ json_field_text('payload', 'price_unit') }}, 'USD')) as price_unit,
        loaded_at
    from landed
),

callbacks_per_call as (
    select
        call_sid,
        min(callback_at) as first_callback_at,
        min(case when status_key = 'in_progress' then callback_at end) as answered_callback_at
    from records
    where is_status_callback
    group by 1
),

versions as (
    select
        records.call_sid as call_id,
        case
            when records.is_status_callback then records.callback_at
            else coalesce(
                records.date_updated, records.end_time, records.start_time, records.created_at
            )
        end as updated_at,
        records.org_id,
        coalesce(
            records.loaded_agent_id,
            case
                when records.twilio_direction like 'outbound%' then records.from_number
                else records.to_number
            end
        ) as agent_id,
        records.call_sid,
        case
            when records.twilio_direction like 'outbound%' then 'outbound'
            else records.twilio_direction
        end as direction,
        records.status,
        case
            when records.is_status_callback then callbacks_per_call.first_callback_at
            else coalesce(records.start_time, records.created_at)
        end as started_at,
        case
            when records.is_status_callback
                then case
                    when records.status_key in ('in_progress', 'completed')
                        then callbacks_per_call.answered_callback_at
                end
            when records.status_key in ('in_progress', 'completed')
                then records.start_time
        end as answered_at,
        case
            when records.is_status_callback
                then case
                    when
                        records.status_key
                        in ('completed', 'failed', 'busy', 'no_answer', 'canceled')
                        then records.callback_at
                end
            else records.end_time
        end as ended_at,
        records.duration_s,
        records.from_number,
        records.to_number,
        -- Twilio reports a charge as a negative price
        case when records.price_unit = 'USD' then abs(records.price) end as telephony_cost_usd,
        records.loaded_at
    from records
    left join callbacks_per_call
        on records.call_sid = callbacks_per_call.call_sid
),

final as (
    select
        call_id,
        updated_at,
        org_id,
        agent_id,
        call_sid,
        direction,
        status,
        started_at,
        answered_at,
        ended_at,
        duration_s,
        from_number,
        to_number,
        telephony_cost_usd as total_cost_usd,
        telephony_cost_usd,
        cast(null as {{ dbt.type_string() }}) as agent_name,
        1 as landed_records,
        'raw_twilio.calls' as raw_table,
        loaded_at
    from versions
)

select * from final
