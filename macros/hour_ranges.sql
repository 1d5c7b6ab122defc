{% macro hour_ranges(query, column) %}
    {#-
        Run at execution: the hours in `column` of `query` (hour starts, null included) as
        ranges of consecutive hours, oldest first: a list of (first hour, the hour after the
        last) as SQL timestamp text; a null hour as (none, none), after the others. Computed in
        SQL: no timestamp passes through Python, whose datetimes stop at year 9999. No hour is
        computed before a listed one, nor after one from 9999-12-31 23:00 on (the last that
        every engine holds): such a range has no end (none), as has infinity's.
    -#}
    {%- set last_hour = "cast('9999-12-31 23:00:00' as " ~ dbt.type_timestamp() ~ ")" %}
    {%- set after_last = dbt.dateadd('hour', 1, 'max(listed_hour)') %}
    {%- set ranges_query %}
        with

        hours as (
            select distinct listed.{{ column }} as listed_hour
            from ({{ query }}) as listed
        ),

        previous_hours as (
            select
                listed_hour,
                lag(listed_hour) over (order by listed_hour) as previous_hour
            from hours
            where listed_hour is not null
        ),

        range_starts as (
            select
                listed_hour,
                case
                    when
                        previous_hour < {{ last_hour }}
                        and {{ dbt.dateadd('hour', 1, 'previous_hour') }} = listed_hour
                        then 0
                    else 1
                end as starts_range
            from previous_hours
        ),

        numbered as (
            select
                listed_hour,
                sum(starts_range) over (
                    order by listed_hour rows between unbounded preceding and current row
                ) as range_number
            from range_starts
        ),

        ranges as (
            select
                range_number,
                cast(min(listed_hour) as {{ dbt.type_string() }}) as first_hour,
                case
                    when
                        max(listed_hour) < {{ last_hour }}
                        and {{ after_last }} > max(listed_hour)
                        then cast({{ after_last }} as {{ dbt.type_string() }})
                end as after_last_hour
            from numbered
            group by range_number
            union all
            select
                null as range_number,
                null as first_hour,
                null as after_last_hour
            from hours
            where listed_hour is null
        )

        select
            first_hour,
            after_last_hour
        from ranges
        order by range_number nulls last
    {%- endset %}
    {{ return(run_query(ranges_query).rows | map('list') | list) }}
{% endmacro %}

{% macro within_hour_ranges(column, ranges) -%}
    {#-
        The condition that `column` lies within one of `ranges` (hour_ranges: a range without
        an end is open-ended, (none, none) stands for null); false for no range. Literal
        ranges, which an engine compares with each row group's min and max to skip the others.
    -#}
    {%- set as_timestamp = "' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set conditions = [] -%}
    {%- for first_hour, after_last_hour in ranges -%}
        {%- if first_hour is none -%}
            {%- do conditions.append(column ~ ' is null') -%}
        {%- else -%}
            {%- set bounds = [column ~ " >= cast('" ~ first_hour ~ as_timestamp] -%}
            {%- if after_last_hour is not none -%}
                {%- do bounds.append(column ~ " < cast('" ~ after_last_hour ~ as_timestamp) -%}
            {%- endif -%}
            {%- do conditions.append('(' ~ bounds | join(' and ') ~ ')') -%}
        {%- endif -%}
    {%- endfor -%}
    {#- A bare false: Spark reads `where (false)` as the alias `where` with a column list. -#}
    {{ '(' ~ conditions | join(' or ') ~ ')' if conditions else 'false' }}
{%- endmacro %}

