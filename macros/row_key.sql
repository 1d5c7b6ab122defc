{% macro row_key(columns) -%}
    concat_ws(' | ', {% for column in columns %}cast({{ column }} as {{ dbt.type_string() }}){{ ", " if not loop.last }}{% endfor %})
{%- endmacro %}
