-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

call_errors as (
    select * from {{ ref('stg_raw__call_errors') }}
    {%- if is_incremental() %}
        where call_id in (select call_id from {{ ref('int_calls_changed_this_run') }})
    {%- endif %}
),

described as (
    select
        error_id,
        call_id,
        occurred_at,
        service,
        provider_name,
        level,
        message,
        details,
        level = 'error' as is_call_affecting
    from call_errors
)

-- Stored in time order, so a read of a few hours of errors touches only their rows (by name:
-- a position among the columns of `select *` would say nothing).
select * from described
order by occurred_at  -- noqa: AM06
