-- For every raw table: its rows = rows read = accepted + rejected + exact repeats.
{%- set raw_tables = [
    'organizations', 'agents', 'workflows', 'calls', 'call_turns', 'tool_calls',
    'call_errors', 'stt_events', 'load_errors',
] %}

with

raw_counts as (
    {%- for raw_table in raw_tables %}
        select
            '{{ raw_table }}' as raw_table,
            count(*) as raw_rows
        from {{ raw_source(raw_table) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

audited as (
    select * from {{ ref('audit_row_counts') }}
)

select
    raw_counts.raw_table,
    raw_counts.raw_rows,
    audited.rows_read,
    audited.rows_accepted,
    audited.rows_rejected,
    audited.exact_repeats
from raw_counts
left join audited
    on raw_counts.raw_table = audited.raw_table
where
    coalesce(audited.rows_read, 0) != raw_counts.raw_rows
    or coalesce(audited.rows_accepted + audited.rows_rejected + audited.exact_repeats, 0)
    != raw_counts.raw_rows
