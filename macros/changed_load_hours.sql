{% macro changed_load_hours(raw_table) %}
    {#-
        The hours of loaded_at (null included) in which raw.<raw_table> and the platform rows
        shaped like it (staged_rows) hold another number of rows than the incremental model
        being built has staged: where rows landed since.
    -#}
    {%- set hour = dbt.date_trunc('hour', 'loaded_at') %}
    {%- set query %}
        with

        counted as (
            select {{ hour }} as loaded_hour, 1 as raw_rows, 0 as staged_rows
            from {{ staged_rows(raw_table) }}
            union all
            select {{ hour }} as loaded_hour, 0 as raw_rows, 1 as staged_rows
            from {{ this }}
        )

        select loaded_hour
        from counted
        group by 1
        having sum(raw_rows) != sum(staged_rows)
        order by 1
    {%- endset %}
    {{ return(run_query(query).columns[0].values() | list) }}
{% endmacro %}
