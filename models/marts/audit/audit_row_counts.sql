with

raw_rows as (
    select * from {{ ref('int_raw_rows_unioned') }}
),

counted as (
    select
        raw_table,
        count(*) as rows_read,
        count(case when row_disposition = 'accepted' then 1 end) as rows_accepted,
        count(case when row_disposition = 'rejected' then 1 end) as rows_rejected,
        count(case when row_disposition = 'exact_repeat' then 1 end) as exact_repeats
    from raw_rows
    group by 1
)

select * from counted
