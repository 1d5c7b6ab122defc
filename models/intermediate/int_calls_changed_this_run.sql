{{ config(materialized='table') }}

{#-
    The calls this run rebuilds in the marts: every call named by a call version, turn, tool
    call or error staged since the last complete build (a re-sent tool call or error is
    re-staged with every row of its id, so the call it named before comes too), with the start
    hour and day of each of its versions (a call whose start moved leaves its old hour).
    A tool call or error without an id is rejected whatever else arrives and never reaches
    the facts, so it names no call: every such row is re-staged whenever another arrives.
    A run that rebuilds everything (rebuilds_everything) has none: in_change_set is then
    true of every row.
-#}
{%- set since_last_build = staged_since_last_build() %}
{%- set staged = {
    'base_raw__calls': 'call_id',
    'base_raw__call_turns': 'call_id',
    'base_raw__tool_calls': 'tool_call_id',
    'base_raw__call_errors': 'error_id',
} %}

with

{% for model, id_column in staged.items() %}
    {%- set conditions = ['call_id is not null', id_column ~ ' is not null'] | unique | list %}
    {%- do conditions.append(since_last_build) %}
    {{ model }} as (
        select call_id from {{ ref(model) }}
        where {{ conditions | join(' and ') }}
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
