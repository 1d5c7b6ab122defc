{#-
    dbt-spark's dateadd and datediff work in whole seconds, and its dateadd leaves an
    expression `interval` unparenthesised (the time spine's hours came out wrong): these
    count parts of a day in microseconds. Days and longer go to dbt-spark's own.
-#}
{% macro spark_microseconds_per(datepart) -%}
    {{ return({
        'hour': 3600000000, 'minute': 60000000, 'second': 1000000, 'millisecond': 1000,
        'microsecond': 1,
    }.get(datepart)) }}
{%- endmacro %}

{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set unit = spark_microseconds_per(datepart) -%}
    {%- if unit is none -%}
        {{ dbt_spark.spark__dateadd(datepart, interval, from_date_or_timestamp) }}
    {%- else -%}
        timestamp_micros(
            unix_micros(cast({{ from_date_or_timestamp }} as timestamp))
            + cast(({{ interval }}) * {{ unit }} as bigint)
        )
    {%- endif -%}
{%- endmacro %}

{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- set unit = spark_microseconds_per(datepart) -%}
    {%- if unit is none -%}
        {{ dbt_spark.spark__datediff(first_date, second_date, datepart) }}
    {%- else -%}
        (
            floor(unix_micros(cast({{ second_date }} as timestamp)) / {{ unit }})
            - floor(unix_micros(cast({{ first_date }} as timestamp)) / {{ unit }})
        )
    {%- endif -%}
{%- endmacro %}
