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

{#- Spark writes a number as a double (1.50e3 as 1500.0): the same number. -#}
{% macro spark__json_field_text(column, keys) -%}
    get_json_object({{ column }}, '{{ json_path_spark(keys) }}')
{%- endmacro %}
