{% macro json_field_text(column, path) -%}
    {#-
        The value at `path` (a key, or a list of keys into nested objects) as text: a string
        unquoted, a number or boolean as written; null if absent or json null.
    -#}
    {{ return(adapter.dispatch('json_field_text', 'callstats')(column, json_path_keys(path))) }}
{%- endmacro %}

{% macro default__json_field_text(column, keys) -%}
    ({{ column }} #>> '{ {{- keys | join(',') -}} }')
{%- endmacro %}

{% macro duckdb__json_field_text(column, keys) -%}
    json_extract_string({{ column }}, '{{ json_path_duckdb(keys) }}')
{%- endmacro %}
