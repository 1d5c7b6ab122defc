{% macro change_set_since() %}
    {#-
        The start of the build whose later rows make this run's change set, as a SQL
        timestamp (last_complete_build_at); none when the run rebuilds everything: a full
        refresh, or a run with no complete build before it. Its change set would hold every
        key, so it holds none and in_change_set is true of every row.
    -#}
    {{ return(none if flags.FULL_REFRESH else last_complete_build_at()) }}
{% endmacro %}

{% macro rebuilds_everything() %}
    {#- Whether this run rebuilds every row of the marts (change_set_since). -#}
    {{ return(change_set_since() is none) }}
{% endmacro %}

{% macro staged_since_last_build() -%}
    {#-
        The condition that a staged row (its staged_at) arrived after the last complete build
        began: what the change set is made of; false when the run rebuilds everything.
    -#}
    {%- set since = change_set_since() -%}
    {{- 'false' if since is none else 'staged_at > ' ~ since -}}
{%- endmacro %}

{% macro in_change_set(key, value=none, change_set=none) -%}
    {#-
        The condition that a row's `key` (call_id, started_hour or started_date; event_id;
        connection_key), or the `value` that stands for it, is in what this run rebuilds: in
        the run's change set of that key (the model `change_set`, by default
        int_calls_changed_this_run for a call or its hours; the marts of turns read its part
        int_call_turns_changed_this_run), or anywhere when the run rebuilds everything.
    -#}
    {%- set change_set = ref(change_set or {
        'event_id': 'int_stt_events_changed_this_run',
        'connection_key': 'int_stt_connections_changed_this_run',
    }.get(key, 'int_calls_changed_this_run')) -%}
    {%- if rebuilds_everything() -%}
        true
    {%- else -%}
        {{ value or key }} in (select {{ key }} from {{ change_set }})
    {%- endif -%}
{%- endmacro %}
