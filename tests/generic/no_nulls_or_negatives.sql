{% test no_nulls_or_negatives(model, not_null=[], not_negative=[], rebuilt_by=none) %}
{#- One scan of the model for the columns that must hold a value (not_null) and those whose
    values must not be below zero (not_negative; nulls pass): a row, with the count of rows that
    break each rule, when any does. With `rebuilt_by`, only the rows of the keys the run
    rebuilt (in_change_set), as unique_combination_of_columns. -#}

with rule_breaks as (
    select
        {%- for column in not_null %}
        sum(case when {{ column }} is null then 1 else 0 end) as {{ column }}__null_rows,
        {%- endfor %}
        {%- for column in not_negative %}
        sum(case when {{ column }} < 0 then 1 else 0 end) as {{ column }}__negative_rows,
        {%- endfor %}
        count(*) as model_rows
    from {{ model }}
    {%- if rebuilt_by %}
    where {{ in_change_set(rebuilt_by, started_at=call_start_column(model)) }}
    {%- endif %}
)

select *
from rule_breaks
where
    {%- for column in not_null %}
    {{ column }}__null_rows > 0 or
    {%- endfor %}
    {%- for column in not_negative %}
    {{ column }}__negative_rows > 0 or
    {%- endfor %}
    false

{% endtest %}
