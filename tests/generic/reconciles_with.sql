{% test reconciles_with(
    model, column_name, compare_model, compare_expression, group_by, compare_where='true',
    tolerance=0, rebuilt_by=none
) %}
{#-
    Groups where the sum of `column_name` in this model differs from `compare_expression`
    (an aggregate) over the `compare_model` rows matching `compare_where`, by `group_by`
    (columns that are never null). A group present on one side only counts as 0 on the
    other. `tolerance` is relative, for sums of fractional values. With `rebuilt_by`
    (started_hour or started_date), only the groups the run rebuilt (in_change_set).
-#}
{%- set rebuilt %}
    {%- if rebuilt_by %}
        and {{ in_change_set(rebuilt_by) }}
    {%- endif %}
{%- endset %}

with

this_side as (
    select
        {{ group_by | join(', ') }},
        sum({{ column_name }}) as measured
    from {{ model }}
    where true {{ rebuilt }}
    group by {{ group_by | join(', ') }}
),

other_side as (
    select
        {{ group_by | join(', ') }},
        {{ compare_expression }} as measured
    from {{ compare_model }} as compared_rows
    where ({{ compare_where }}) {{ rebuilt }}
    group by {{ group_by | join(', ') }}
),

compared as (
    select
        {%- for column in group_by %}
        coalesce(this_side.{{ column }}, other_side.{{ column }}) as {{ column }},
        {%- endfor %}
        coalesce(this_side.measured, 0) as this_measure,
        coalesce(other_side.measured, 0) as other_measure
    from this_side
    full outer join other_side
        on
        {%- for column in group_by %}
            this_side.{{ column }} = other_side.{{ column }}{{ " and" if not loop.last }}
        {%- endfor %}
)

select *
from compared
where
    abs(this_measure - other_measure)
    > {{ tolerance }} * greatest(abs(this_measure), abs(other_measure), 1)

{% endtest %}
