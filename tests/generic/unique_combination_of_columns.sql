{% test unique_combination_of_columns(model, combination_of_columns) %}
{#- Rows sharing the same values in every listed column (nulls equal to nulls). -#}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
