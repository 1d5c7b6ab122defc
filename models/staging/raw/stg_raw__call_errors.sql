with

call_errors as (
    select * from {{ ref('base_raw__call_errors') }}
    where row_disposition = 'accepted'
),

accepted as (
    select
        error_id,
        call_id,
        occurred_at,
        service,
        provider_name,
        level,
        message,
        details,
        loaded_at
    from call_errors
)

select * from accepted
