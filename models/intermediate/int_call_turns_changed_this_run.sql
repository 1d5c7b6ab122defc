{{ config(materialized='table') }}

{#-
    The calls of int_calls_changed_this_run whose turns the marts of turns rebuild
    (turns_changed), with the start hour and day of each of their versions.
-#}

with

changed_calls as (
    select * from {{ ref('int_calls_changed_this_run') }}
),

final as (
    select
        call_id,
        started_hour,
        started_date
    from changed_calls
    where turns_changed
)

select * from final
