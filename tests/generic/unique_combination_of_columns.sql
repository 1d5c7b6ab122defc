{% test unique_combination_of_columns(model, combination_of_columns, rebuilt_by=none) %}
{#-
    Rows sharing the same values in every listed column (nulls equal to nulls). With
    `rebuilt_by` (call_id, started_hour, event_id or connection_key), only the rows of the
    keys in the build's change set: what the run rebuilt (everything in a full build), so the
    test costs in proportion to the run.
-#}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
{%- if rebuilt_by %}
{%- set change_set = {
    'event_id': 'int_stt_events_changed_this_run',
    'connection_key': 'int_stt_connections_changed_this_run',
}.get(rebuilt_by, 'int_calls_changed_this_run') %}
where {{ rebuilt_by }} in (select {{ rebuilt_by }} from {{ ref(change_set) }})
{%- endif %}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
