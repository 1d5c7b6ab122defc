-- The daily rollup adds up to the calls, durations and costs of the call-grain fact.
with

daily as (
    select
        sum(total_calls) as total_calls,
        sum(duration_sum_s) as duration_sum_s,
        sum(cost_sum_usd) as cost_sum_usd
    from {{ ref('rpt_calls_daily') }}
),

calls as (
    select
        count(*) as total_calls,
        coalesce(sum(duration_s), 0) as duration_sum_s,
        coalesce(sum(cost_usd), 0) as cost_sum_usd
    from {{ ref('fct_calls') }}
)

select
    daily.total_calls as daily_calls,
    calls.total_calls as fact_calls,
    daily.duration_sum_s as daily_duration_s,
    calls.duration_sum_s as fact_duration_s,
    daily.cost_sum_usd as daily_cost_usd,
    calls.cost_sum_usd as fact_cost_usd
from daily
cross join calls
where
    daily.total_calls != calls.total_calls
    or abs(daily.duration_sum_s - calls.duration_sum_s) > 1e-9 * greatest(calls.duration_sum_s, 1)
    or abs(daily.cost_sum_usd - calls.cost_sum_usd) > 1e-9 * greatest(calls.cost_sum_usd, 1)
