{% macro in_change_set(column) -%}
    {#-
        The condition that a row's `column` (call_id, started_hour or started_date; event_id;
        connection_key) is in what this run rebuilt: in the run's change set, or anywhere when
        the run rebuilt everything (a full refresh, or no complete build before it), where
        matching every row against a change set of every key would only cost time.
    -#}
    {%- set change_set = ref({
        'event_id': 'int_stt_events_changed_this_run',
        'connection_key': 'int_stt_connections_changed_this_run',
    }.get(column, 'int_calls_changed_this_run')) -%}
    {%- if flags.FULL_REFRESH or last_complete_build_at() is none -%}
        true
    {%- else -%}
        {{ column }} in (select {{ column }} from {{ change_set }})
    {%- endif -%}
{%- endmacro %}
