{% macro hour_ranges(query, column) %}
    {#-
        Run at execution: the hours in `column` of `query` (hour starts, null included) as
        ranges of consecutive hours, oldest first: a list of (first hour, the hour after the
        last) as SQL timestamp text, the second none when it is not later than the last
        (-infinity's, infinity's); a null hour as (none, none), after the others. Computed in
        SQL: no timestamp passes through Python, whose datetimes stop at year 9999.
    -#}
    {%- set ranges_query %}
        with

        hours as (
            select distinct listed.{{ column }} as listed_hour
            from ({{ query }}) as listed
        ),

        numbered as (
            select
                listed_hour,
                row_number() over (order by listed_hour) as hour_number
            from hours
        ),

        islands as (
            select
                listed_hour,
                {{ dbt.dateadd('hour', '-hour_number', 'listed_hour') }} as island
            from numbered
        )

        select
            cast(min(listed_hour) as {{ dbt.type_string() }}) as first_hour,
            case
                when {{ dbt.dateadd('hour', 1, 'max(listed_hour)') }} > max(listed_hour)
                    then cast({{ dbt.dateadd('hour', 1, 'max(listed_hour)') }}
                        as {{ dbt.type_string() }})
            end as after_last_hour
        from islands
        group by island
        order by min(listed_hour) nulls last
    {%- endset %}
    {{ return(run_query(ranges_query).rows | map('list') | list) }}
{% endmacro %}

{% macro within_hour_ranges(column, ranges) -%}
    {#-
        The condition that `column` lies within one of `ranges` (hour_ranges: a range without
        an end is open-ended, (none, none) stands for null); false for no range. Literal
        ranges, which an engine compares with each row group's min and max to skip the others.
    -#}
    {%- set conditions = [] -%}
    {%- for first_hour, after_last_hour in ranges -%}
        {%- if first_hour is none -%}
            {%- do conditions.append(column ~ ' is null') -%}
        {%- else -%}
            {%- set lower = column ~ " >= cast('" ~ first_hour ~ "' as " ~ dbt.type_timestamp() ~ ')' -%}
            {%- do conditions.append('(' ~ lower ~ ')' if after_last_hour is none else
                '(' ~ lower ~ ' and ' ~ column ~ " < cast('" ~ after_last_hour ~ "' as "
                ~ dbt.type_timestamp() ~ '))') -%}
        {%- endif -%}
    {%- endfor -%}
    {#- A bare false: Spark reads `where (false)` as the alias `where` with a column list. -#}
    {{ '(' ~ conditions | join(' or ') ~ ')' if conditions else 'false' }}
{%- endmacro %}
