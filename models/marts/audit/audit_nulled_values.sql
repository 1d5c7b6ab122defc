{#- One row per value that staging nulled in an accepted raw row (out_of_range_rules). Each
    rule reads only its columns: computed once, a table's CTE would hold all of them. -#}
{%- set rules = out_of_range_rules() %}

with

{%- for raw_table in rules %}
    {{ raw_table }} as {{ not_materialized() }} (
        select * from {{ ref('base_raw__' ~ raw_table) }}
        where row_disposition = 'accepted'
    ),
{% endfor %}

nulled as (
    {%- for raw_table, table_rules in rules.items() %}
        {%- for rule in table_rules %}
            select
                '{{ raw_table }}' as raw_table,
                {{ row_key(raw_table) }} as row_key,
                '{{ rule.column }}' as column_name,
                cast({{ rule.value }} as {{ type_double() }}) as original_value,
                '{{ rule.reason }}' as nulling_reason,
                loaded_at
            from {{ raw_table }}
            where {{ rule.when }}
            {%- if not loop.last %}
                union all
            {%- endif %}
        {%- endfor %}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from nulled
