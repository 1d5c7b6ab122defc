{% macro staged_rows(raw_table) -%}
    {#-
        The rows of raw.<raw_table> and of every platform staging model shaped like it, as one
        subquery with every column the source `raw` declares plus `landed_records` and
        `raw_table`: how many landed records a row depends on (1 for a raw row and for a
        platform model that declares no such column), and the table it came from (`raw_table`
        for raw rows, the platform's landing table for the others; sources.md). Platform
        models are `stg_<platform>__<raw_table>` of the platforms the var
        `callstats_platforms` names. They meet the raw rows before any rule, so
        repeats, versions and rejections are judged on all of them alike. A platform model's
        columns are those its properties declare (every column it builds is declared:
        test_project_docs), so rendering asks the database nothing.
    -#}
    {%- set platform_models = [] -%}
    {%- for platform in var('callstats_platforms') -%}
        {%- set name = 'stg_' ~ platform ~ '__' ~ raw_table -%}
        {%- if name in platform_staging_models() -%}
            {%- do platform_models.append(name) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not execute -%}
        {#- parsing: record the dependencies -#}
        {%- for name in platform_models -%}
            {%- do ref(name) -%}
        {%- endfor -%}
    {%- endif -%}
    (
        select
            *,
            1 as landed_records,
            '{{ raw_table }}' as raw_table
        from {{ raw_source(raw_table) }}
        {%- if execute and model.resource_type != 'unit_test' %}
        {%- set declared = graph.sources['source.callstats.raw.' ~ raw_table].columns.values() %}
        {%- set integer_limits = {'integer': 2147483647, 'bigint': 9e18} %}
        {%- for name in platform_models %}
            {%- set present = graph.nodes['model.callstats.' ~ name].columns.keys() | list %}
        union all
        select
            {%- for column in declared %}
            {%- set value = column.name if column.name in present else 'null' %}
            {%- if column.data_type in integer_limits and column.name in present %}
            {#- a count beyond the type's range is none: it must not fail the build #}
            case
                when abs({{ value }}) < {{ integer_limits[column.data_type] }}
                    then cast({{ value }} as {{ raw_column_type(column.data_type) }})
            end as {{ column.name }},
            {%- else %}
            cast({{ value }} as {{ raw_column_type(column.data_type) }}) as {{ column.name }},
            {%- endif %}
            {%- endfor %}
            {{ 'landed_records' if 'landed_records' in present else 1 }} as landed_records,
            raw_table
        from {{ ref(name) }}
        {%- endfor %}
        {%- endif %}
    ) as {{ raw_table }}_staged_rows
{%- endmacro %}

{% macro platform_staging_models() -%}
    {#- The platform staging models that shape a platform's records like a raw table. -#}
    {{ return([
        'stg_twilio__calls', 'stg_twilio__agents',
        'stg_vapi__calls', 'stg_vapi__agents', 'stg_vapi__call_turns', 'stg_vapi__tool_calls',
        'stg_vapi__call_errors',
        'stg_retell__calls', 'stg_retell__call_turns', 'stg_retell__tool_calls',
        'stg_retell__call_errors', 'stg_retell__agents',
        'stg_livekit__calls', 'stg_livekit__call_turns', 'stg_livekit__agents',
        'stg_pipecat__calls', 'stg_pipecat__call_turns', 'stg_pipecat__agents',
    ]) }}
{%- endmacro %}

{% macro platform_raw_tables() -%}
    {#- The raw tables that platform staging models are shaped like. -#}
    {%- set tables = [] -%}
    {%- for name in platform_staging_models() -%}
        {%- set table = name.split('__')[1] -%}
        {%- if table not in tables -%}
            {%- do tables.append(table) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro %}
