with

{% for raw_table in raw_key_columns() %}
    {{ raw_table }} as (
        select
            raw_table,
            {{ row_key(raw_table) }} as row_key,
            row_disposition,
            rejection_reason,
            cast(null as {{ dbt.type_string() }}) as rejection_detail,
            loaded_at
        from {{ ref('base_raw__' ~ raw_table) }}
    ),

{% endfor %}

load_errors as (
    select
        'load_errors' as raw_table,
        {{ dbt.concat(['source_file', "':'", 'cast(line_number as ' ~ dbt.type_string() ~ ')']) }}
            as row_key,
        'rejected' as row_disposition,
        'unparseable' as rejection_reason,
        {{ dbt.concat(['table_name', "': '", 'reason']) }} as rejection_detail,
        loaded_at
    from {{ ref('stg_raw__load_errors') }}
),

unioned as (
    {% for raw_table in raw_key_columns() %}
        select * from {{ raw_table }}
        union all
    {% endfor %}
    select * from load_errors
)

select * from unioned
