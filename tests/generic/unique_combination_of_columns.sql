{% test unique_combination_of_columns(model, combination_of_columns, rebuilt_by=none) %}
{#-
    Rows sharing the same values in every listed column (nulls equal to nulls). With
    `rebuilt_by` (call_id, started_hour or event_id), only the rows of the keys in the build's
    change set: what the run rebuilt (everything in a full build), so the test costs in
    proportion to the run.
-#}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
{%- if rebuilt_by %}
where {{ rebuilt_by }} in (select {{ rebuilt_by }} from {{ ref(
    'int_stt_events_changed_this_run' if rebuilt_by == 'event_id' else 'int_calls_changed_this_run'
) }})
{%- endif %}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
