{% macro changed_rows_filter(column, grain) -%}
    {#-
        The predicate an incremental run filters its input with: `column` holds a call id
        (grain 'call'), a call start hour (grain 'hour') or an STT event id (grain 'stt_event')
        touched by rows loaded since `incremental_since()`. Outside incremental runs: true.
    -#}
    {%- set since = incremental_since() -%}
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
