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
