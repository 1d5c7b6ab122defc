{{ config(materialized='table') }}

{#-
    The calls this run rebuilds in the marts: every call named by a call version, turn, tool
    call or error staged since the last complete build (a re-sent tool call or error is
    re-staged with every row of its id, so the call it named before comes too), with the start
    hour and day of each of its versions (a call whose start moved leaves its old hour).
-#}
{%- set since = last_complete_build_at() %}
{%- set staged = [
    'base_raw__calls', 'base_raw__call_turns', 'base_raw__tool_calls', 'base_raw__call_errors',
] %}

with

{% for model in staged %}
    {{ model }} as (
        select call_id from {{ ref(model) }}
        where call_id is not null {% if since is not none %}and staged_at > {{ since }}{% endif %}
    ),

{% endfor %}

changed_calls as (
    {%- for model in staged %}
        select call_id from {{ model }}
        {%- if not loop.last %}
            union
        {%- endif %}
    {%- endfor %}
),

call_versions as (
    select * from {{ ref('base_raw__calls') }}
),

start_hours as (
    select distinct
        changed_calls.call_id,
        {{ dbt.date_trunc('hour', 'call_versions.started_at') }} as started_hour,
        cast({{ dbt.date_trunc('day', 'call_versions.started_at') }} as date) as started_date
    from changed_calls
    left join call_versions
        on changed_calls.call_id = call_versions.call_id
)

select * from start_hours
