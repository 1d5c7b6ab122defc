{% test no_nulls_or_negatives(model, not_null=[], not_negative=[]) %}
{#- One scan of the model for the columns that must hold a value (not_null) and those whose
    values must not be below zero (not_negative; nulls pass): a row, with the count of rows that
    break each rule, when any does. -#}

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
