{% macro changed_call_ids(since) -%}
    {#-
        Calls with any call version, turn, tool call or error row loaded after `since`, and
        every call an earlier row of the same key named: a tool call or error re-sent with
        another call_id changes its old call too.
    -#}
    {%- set keys = {
        'stg_raw__calls': 'call_id',
        'stg_raw__call_turns': 'call_id',
        'stg_raw__tool_calls': 'tool_call_id',
        'stg_raw__call_errors': 'error_id',
    } %}
    {%- for model, key in keys.items() %}
    select call_id from {{ ref(model) }}
    where
        call_id is not null
        and {{ key }} in (select {{ key }} from {{ ref(model) }} where loaded_at > {{ since }})
    {{ "union" if not loop.last }}
    {%- endfor %}
{%- endmacro %}
