{% macro clean_label(column) -%}
    lower(nullif(trim({{ column }}), ''))
{%- endmacro %}
