with

raw_rows as (
    select * from {{ ref('int_raw_rows_unioned') }}
),

rejected as (
    select
        raw_table,
        row_key,
        rejection_reason,
        rejection_detail,
        loaded_at
    from raw_rows
    where row_disposition = 'rejected'
)

select * from rejected
