{% macro changed_rows_filter(column, grain, since) -%}
    {#-
        The predicate an incremental run filters its input with: `column` holds a call id
        (grain 'call'), a call start hour (grain 'hour') or an STT event id (grain 'stt_event')
        touched by rows loaded after `since` (from `incremental_since()`). When `since` is none
        (a first or full-refresh build): true.
    -#}
    {%- set changed = {
        'call': changed_call_ids,
        'hour': changed_call_hours,
        'stt_event': changed_stt_event_ids,
    } -%}
    {%- if not execute -%}
        {#- While parsing, render the changed-set query so dbt records the models it reads. -#}
        {%- do changed[grain]('null') -%}
    {%- endif -%}
    {%- if since is none -%}
        true
    {%- else -%}
        {{ column }} in ({{ changed[grain](since) }})
    {%- endif -%}
{%- endmacro %}
