{% macro changed_load_hours(raw_table) %}
    {#-
        The hours of loaded_at (null included) in which raw.<raw_table> and the platform rows
        shaped like it (staged_rows) differ from what the incremental model being built has
        staged: another number of rows, another sum of the rows' loaded_at offsets within
        the hour, or another sum of their landed records (staged_rows). Rows landed since; a
        platform row derived from several records whose newest record landed since, in the
        same hour as the others (its loaded_at moved); or one that gained a record landed no
        later than its others (its loaded_at stayed). Offsets and records are summed over
        platform rows only: a raw row's loaded_at never moves, and it is one record.
        Returned as ranges of consecutive hours (hour_ranges).
    -#}
    {%- set hour = dbt.date_trunc('hour', 'loaded_at') %}
    {%- set offset_us = 'cast(' ~ dbt.datediff(hour, 'loaded_at', 'microsecond') ~ ' as '
        ~ dbt.type_bigint() ~ ')' %}
    {%- set query %}
        with

        counted as (
            select
                {{ hour }} as loaded_hour,
                1 as raw_rows,
                0 as raw_offset_us,
                0 as raw_records,
                0 as staged_rows,
                0 as staged_offset_us,
                0 as staged_records
            from {{ staged_rows(raw_table) }}
            union all
            select
                {{ hour }} as loaded_hour,
                0 as raw_rows,
                0 as raw_offset_us,
                0 as raw_records,
                1 as staged_rows,
                0 as staged_offset_us,
                0 as staged_records
            from {{ this }}
            {%- if raw_table in platform_raw_tables() %}
            union all
            select
                {{ hour }} as loaded_hour,
                0 as raw_rows,
                {{ offset_us }} as raw_offset_us,
                landed_records as raw_records,
                0 as staged_rows,
                0 as staged_offset_us,
                0 as staged_records
            from {{ staged_rows(raw_table) }}
            where raw_table != '{{ raw_table }}'
            union all
            select
                {{ hour }} as loaded_hour,
                0 as raw_rows,
                0 as raw_offset_us,
                0 as raw_records,
                0 as staged_rows,
                {{ offset_us }} as staged_offset_us,
                landed_records as staged_records
            from {{ this }}
            where raw_table != '{{ raw_table }}'
            {%- endif %}
        )

        select loaded_hour
        from counted
        group by 1
        having
            sum(raw_rows) != sum(staged_rows)
            or sum(raw_offset_us) != sum(staged_offset_us)
            or sum(raw_records) != sum(staged_records)
    {%- endset %}
    {{ return(hour_ranges(query, 'loaded_hour')) }}
{% endmacro %}
