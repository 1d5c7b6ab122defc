{%- set classified_tables = {
    'organizations': 'base_raw__organizations',
    'agents': 'base_raw__agents',
    'workflows': 'base_raw__workflows',
    'calls': 'base_raw__calls',
    'call_turns': 'base_raw__call_turns',
    'tool_calls': 'base_raw__tool_calls',
    'call_errors': 'base_raw__call_errors',
    'stt_events': 'base_raw__stt_events',
} -%}

with

{% for raw_table, model in classified_tables.items() %}
    {{ raw_table }} as (
        select
            raw_table,
            {{ row_key(raw_table) }} as row_key,
            row_disposition,
            rejection_reason,
            cast(null as {{ dbt.type_string() }}) as rejection_detail,
            loaded_at
        from {{ ref(model) }}
    ),

{% endfor %}

load_errors as (
    select
        'load_errors' as raw_table,
        {{ dbt.concat(['source_file', "':'", 'cast(line_number as ' ~ dbt.type_string() ~ ')']) }}
            as row_key,
        'rejected' as row_disposition,
        'unparseable' as rejection_reason,
        {{ dbt.concat(['table_name', "': '", 'reason']) }} as rejection_detail,
        loaded_at
    from {{ ref('stg_raw__load_errors') }}
),

unioned as (
    {% for raw_table in classified_tables %}
        select * from {{ raw_table }}
        union all
    {% endfor %}
    select * from load_errors
)

select * from unioned
