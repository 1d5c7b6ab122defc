-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

call_errors as (
    select * from {{ ref('stg_raw__call_errors') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id') }}
    {%- endif %}
),

calls as (
    select * from {{ ref('fct_calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id', started_at='started_at') }}
    {%- endif %}
),

described as (
    select
        call_errors.error_id,
        call_errors.call_id,
        calls.org_id,
        calls.agent_id,
        call_errors.occurred_at,
        call_errors.service,
        call_errors.provider_name,
        call_errors.level,
        call_errors.message,
        call_errors.details,
        call_errors.level = 'error' as is_call_affecting
    from call_errors
    left join calls
        on call_errors.call_id = calls.call_id
)

-- Stored in time order, so a read of a few hours of errors touches only their rows (by name:
-- a position among the columns of `select *` would say nothing).
select * from described
order by occurred_at  -- noqa: AM06
