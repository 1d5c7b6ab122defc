-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

call_versions as (
    select * from {{ ref('stg_raw__calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id') }}
    {%- endif %}
),

sequenced as (
    select
        call_id,
        updated_at,
        status,
        lag(status) over (partition by call_id order by updated_at) as previous_status
    from call_versions
),

calls as (
    select
        call_id,
        started_at
    from {{ ref('fct_calls') }}
    {%- if is_incremental() %}
        where {{ in_change_set('call_id', started_at='started_at') }}
    {%- endif %}
),

changes as (
    select
        sequenced.call_id,
        calls.started_at as call_started_at,
        sequenced.updated_at as changed_at,
        sequenced.status
    from sequenced
    left join calls
        on sequenced.call_id = calls.call_id
    where sequenced.previous_status is null or sequenced.previous_status != sequenced.status
)

-- Stored in the order of their calls' starts, so the records of a page of calls (seed 004)
-- read only the row groups of those calls' hours, not the table.
select * from changes
order by call_started_at  -- noqa: AM06
