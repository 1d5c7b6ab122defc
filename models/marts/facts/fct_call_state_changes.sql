-- depends_on: {{ ref('int_calls_changed_this_run') }}

with

call_versions as (
    select * from {{ ref('stg_raw__calls') }}
    {%- if is_incremental() %}
        where call_id in (select call_id from {{ ref('int_calls_changed_this_run') }})
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

changes as (
    select
        call_id,
        updated_at as changed_at,
        status
    from sequenced
    where previous_status is null or previous_status != status
)

select * from changes
