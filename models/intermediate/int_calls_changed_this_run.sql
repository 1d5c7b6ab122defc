{{ config(materialized='table') }}

{#-
    The calls this run rebuilds in the marts: every call named by a call version, turn, tool
    call or error staged since the last complete build (a re-sent tool call or error is
    re-staged with every row of its id, so the call it named before comes too), with the start
    hour and day of each of its versions (a call whose start moved leaves its old hour) and
    those the last build gave it in fct_calls (a call built from a platform's lines has one
    staged row, which a later line replaces: its old start is no longer staged).
    A tool call or error without an id is rejected whatever else arrives and never reaches
    the facts, so it names no call: every such row is re-staged whenever another arrives.
    Each call says whether the marts of its turns are rebuilt too (turns_changed): when
    turns of it were staged, or versions of it were staged and the start, org, agent or
    providers of the newest accepted one, which its turns are described with, are not those
    of the fct_calls the last build left (source previous_build), as when a call gains or
    loses its accepted version. A call re-sent with another cost keeps its turns. After a
    run that did not complete (marts_partly_rebuilt), every call's turns are rebuilt.
    A run that rebuilds everything (rebuilds_everything) has none: in_change_set is then
    true of every row.
-#}

-- depends_on: {{ source('previous_build', 'fct_calls') }}
{%- set since_last_build = staged_since_last_build() %}
{%- set staged = {
    'base_raw__calls': 'call_id',
    'base_raw__call_turns': 'call_id',
    'base_raw__tool_calls': 'tool_call_id',
    'base_raw__call_errors': 'error_id',
} %}
{#- what the marts of turns take from their call's newest accepted version -#}
{%- set turn_context = [
    'call_id', 'started_at', 'org_id', 'agent_id', 'stt_provider', 'llm_provider', 'tts_provider',
] %}

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
    {%- if not rebuilds_everything() %}

        union

        select
            call_id,
            started_hour,
            started_date
        from {{ source('previous_build', 'fct_calls') }}
        where call_id in (select changed_calls.call_id from changed_calls)
    {%- endif %}
),

{%- if rebuilds_everything() or marts_partly_rebuilt() %}

    turns_changed as (
        select call_id
        from changed_calls
    ),
{%- else %}

    -- every row of a call with a version staged now was staged again with it (classify_rows):
    -- the accepted versions of those calls, whose newest may have changed
    accepted_versions as (
        select
            {{ turn_context | join(',\n            ') }},
            updated_at
        from {{ ref('base_raw__calls') }}
        where
            call_id is not null
            and {{ since_last_build }}
            and row_disposition = 'accepted'
    ),

    newest_versions as (
        select
            call_id,
            max(updated_at) as updated_at
        from accepted_versions
        group by 1
    ),

    current_contexts as (
        select accepted_versions.*
        from accepted_versions
        inner join newest_versions
            on
                accepted_versions.call_id = newest_versions.call_id
                and accepted_versions.updated_at = newest_versions.updated_at
    ),

    restaged_calls as (
        select distinct call_id from base_raw__calls
    ),

    published_contexts as (
        select {{ turn_context | join(', ') }}
        from {{ source('previous_build', 'fct_calls') }}
        where call_id in (select restaged_calls.call_id from restaged_calls)
    ),

    context_changes as (
        select restaged_calls.call_id
        from restaged_calls
        left join current_contexts
            on restaged_calls.call_id = current_contexts.call_id
        left join published_contexts
            on restaged_calls.call_id = published_contexts.call_id
        where
            {%- for column in turn_context %}
            {{ 'or ' if not loop.first }}current_contexts.{{ column }}
            is distinct from published_contexts.{{ column }}
            {%- endfor %}
    ),

    turns_changed as (
        select call_id from base_raw__call_turns
        union
        select call_id from context_changes
    ),
{%- endif %}

final as (
    select
        start_hours.*,
        start_hours.call_id in (select turns_changed.call_id from turns_changed)
            as turns_changed
    from start_hours
)

select * from final
