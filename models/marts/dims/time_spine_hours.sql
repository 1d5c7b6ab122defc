-- One row per UTC hour: the time spine the semantic layer joins metrics to.
with

hours as (
    {{ dbt.date_spine(
        datepart='hour',
        start_date="cast('2024-01-01' as timestamp)",
        end_date="cast('2031-01-01' as timestamp)",
    ) }}
),

final as (
    select cast(date_hour as timestamp) as date_hour
    from hours
)

select * from final
