{% test unique_combination_of_columns(model, combination_of_columns, rebuilt_by=none) %}
{#-
    Rows sharing the same values in every listed column (nulls equal to nulls). With
    `rebuilt_by` (call_id, started_hour, event_id or connection_key), only the rows of the
    keys the run rebuilt (in_change_set), so the test costs in proportion to the run.
-#}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
{%- if rebuilt_by %}
where {{ in_change_set(rebuilt_by) }}
{%- endif %}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
