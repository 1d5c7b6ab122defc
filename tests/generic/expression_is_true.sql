{% test expression_is_true(model, expression, rebuilt_by=none) %}
{#- The rows for which `expression` is not true; with `rebuilt_by`, of the keys the run
    rebuilt (in_change_set), as no_nulls_or_negatives. -#}

select *
from {{ model }}
where
    not ({{ expression }})
    {%- if rebuilt_by %}
    and {{ in_change_set(rebuilt_by, started_at=call_start_column(model)) }}
    {%- endif %}

{% endtest %}
