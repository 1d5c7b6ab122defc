{% macro raw_key_columns() -%}
    {#- Each classified raw table's key: the columns that identify a row (raw-tables.md); the
        first is the id an incremental run re-classifies as a whole. -#}
    {{ return({
        'organizations': ['org_id'],
        'agents': ['agent_id', 'updated_at'],
        'workflows': ['workflow_id'],
        'calls': ['call_id', 'updated_at'],
        'call_turns': ['call_id', 'turn_index'],
        'tool_calls': ['tool_call_id'],
        'call_errors': ['error_id'],
        'stt_events': ['event_id'],
    }) }}
{%- endmacro %}

{% macro row_key(raw_table) -%}
    concat_ws(' | ', {% for column in raw_key_columns()[raw_table] %}cast({{ column }} as {{ dbt.type_string() }}){{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}

{% macro row_key_hash(raw_table) -%}
    {#- A value equal for rows of equal keys (null parts included), for grouping rows by key:
        on DuckDB a 64-bit hash of the key columns, which groups and joins more cheaply than
        row_key's text; the row_key elsewhere. Rows of different keys may share a value:
        classify_rows then classifies each exactly as if it were alone. -#}
    {{ return(adapter.dispatch('row_key_hash', 'callstats')(raw_table)) }}
{%- endmacro %}

{% macro default__row_key_hash(raw_table) -%}
    {{ row_key(raw_table) }}
{%- endmacro %}

{% macro duckdb__row_key_hash(raw_table) -%}
    hash({{ raw_key_columns()[raw_table] | join(', ') }})
{%- endmacro %}
