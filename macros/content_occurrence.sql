{% macro content_occurrence(relation) -%}
    {#- 1 for the first row with its content (every column but loaded_at), 2.. for exact repeats. -#}
    row_number() over (
        partition by
        {%- for column in adapter.get_columns_in_relation(relation) if column.name | lower != 'loaded_at' %}
            {% if column.dtype | lower in ('json', 'jsonb') -%}
                {{ json_comparable(adapter.quote(column.name)) }}
            {%- else -%}
                {{ adapter.quote(column.name) }}
            {%- endif %}{{ "," if not loop.last }}
        {%- else %}
            1
        {%- endfor %}
        order by loaded_at
    )
{%- endmacro %}
