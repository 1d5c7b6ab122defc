{% macro changed_call_ids(since) -%}
    {#- Calls with any call version, turn, tool call or error row loaded after `since`. -#}
    {%- for model in ['stg_raw__calls', 'stg_raw__call_turns', 'stg_raw__tool_calls', 'stg_raw__call_errors'] %}
    select call_id from {{ ref(model) }} where loaded_at > {{ since }} and call_id is not null
    {{ "union" if not loop.last }}
    {%- endfor %}
{%- endmacro %}
