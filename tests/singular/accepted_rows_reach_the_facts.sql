-- Every accepted row of the event tables is in its fact, and every accepted call version
-- is counted by its call.
{%- set pairs = [
    ('call_turns', 'stg_raw__call_turns', 'fct_call_turns', 'count(*)'),
    ('tool_calls', 'stg_raw__tool_calls', 'fct_tool_calls', 'count(*)'),
    ('call_errors', 'stg_raw__call_errors', 'fct_call_errors', 'count(*)'),
    ('stt_events', 'stg_raw__stt_events', 'fct_stt_events', 'count(*)'),
    ('calls', 'stg_raw__calls', 'fct_calls', 'sum(accepted_versions)'),
] %}

with

compared as (
    {%- for raw_table, staging, fact, measure in pairs %}
        select
            '{{ raw_table }}' as raw_table,
            (select count(*) from {{ ref(staging) }}) as accepted_rows,
            (select coalesce({{ measure }}, 0) from {{ ref(fact) }}) as fact_rows
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from compared
where accepted_rows != fact_rows
