-- The daily rollup adds up to the same calls, durations and costs as the hourly one.
with

daily as (
    select
        sum(total_calls) as total_calls,
        sum(duration_sum_s) as duration_sum_s,
        sum(cost_sum_usd) as cost_sum_usd
    from {{ ref('rpt_calls_daily') }}
),

hourly as (
    select
        sum(total_calls) as total_calls,
        sum(duration_sum_s) as duration_sum_s,
        sum(cost_sum_usd) as cost_sum_usd
    from {{ ref('rpt_calls_hourly') }}
)

select
    daily.total_calls as daily_calls,
    hourly.total_calls as hourly_calls,
    daily.duration_sum_s as daily_duration_s,
    hourly.duration_sum_s as hourly_duration_s,
    daily.cost_sum_usd as daily_cost_usd,
    hourly.cost_sum_usd as hourly_cost_usd
from daily
cross join hourly
where
    daily.total_calls != hourly.total_calls
    or abs(daily.duration_sum_s - hourly.duration_sum_s) > 1e-9 * greatest(hourly.duration_sum_s, 1)
    or abs(daily.cost_sum_usd - hourly.cost_sum_usd) > 1e-9 * greatest(hourly.cost_sum_usd, 1)
