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

{% macro in_change_set(key, value=none, change_set=none, started_at=none) -%}
    {#-
        The condition that a row's `key` (call_id, started_hour or started_date; event_id;
        connection_key), or the `value` that stands for it, is in what this run rebuilds: in
        the run's change set of that key (the model `change_set`, by default
        int_calls_changed_this_run for a call or its hours; the marts of turns read its part
        int_call_turns_changed_this_run), or anywhere when the run rebuilds everything.
        `started_at`, for a call's row in a table stored in the order of its call's start,
        names that column: the row must then also lie within the change set's start hours
        (within_change_set_starts), so the engine reads only their row groups.
    -#}
    {%- set change_set = ref(change_set or {
        'event_id': 'int_stt_events_changed_this_run',
        'connection_key': 'int_stt_connections_changed_this_run',
    }.get(key, 'int_calls_changed_this_run')) -%}
    {%- if rebuilds_everything() -%}
        true
    {%- else -%}
        {%- if started_at -%}
            ({{ within_change_set_starts(started_at, change_set) }}) and {% endif -%}
        {{ value or key }} in (select {{ key }} from {{ change_set }})
    {%- endif -%}
{%- endmacro %}

{% macro within_change_set_starts(column, change_set) -%}
    {#-
        The condition that `column`, a call's start (null for a row of no accepted call), lies
        in an hour in which a call of `change_set` starts or started at the last build, or is
        null. The hours are written as literal ranges (hour_ranges, within_hour_ranges), which
        an engine compares with each row group's min and max to skip the others (a subquery of
        the hours it does not): the last range open-ended, and more than 24 ranges taken as
        one from the first hour.
        The change set holds the start hour of every staged version of each of its calls and
        the one the last build gave it, so each row a run replaces lies within them while the
        marts agree with each other; after a run that did not complete
        (marts_partly_rebuilt), a fact may hold an older start, and every row is looked at.
    -#}
    {%- if not execute or marts_partly_rebuilt() -%}
        true
    {%- else -%}
        {%- set ranges = hour_ranges(
            'select started_hour from ' ~ change_set ~ ' where started_hour is not null',
            'started_hour',
        ) -%}
        {%- if ranges | length > 24 -%}
            {%- set ranges = ranges[:1] -%}
        {%- endif -%}
        {%- if ranges -%}
            {%- set ranges = ranges[:-1] + [[ranges[-1][0], none]] -%}
        {%- endif -%}
        {{ within_hour_ranges(column, ranges + [[none, none]]) }}
    {%- endif -%}
{%- endmacro %}

{% macro call_start_column(relation) -%}
    {#-
        The column of the model built into `relation` that holds its rows' call start, by whose
        order the table is stored (its config's meta.call_start_column); none for another
        model, and while dbt parses the project (no graph yet).
    -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.relation_name == relation | string -%}
        {{ return(node.config.meta.get('call_start_column')) }}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}
