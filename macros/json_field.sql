{% macro json_field(column, path) -%}
    {#- The json value at `path` (a key, or a list of keys into nested objects); null if absent. -#}
    {{ return(adapter.dispatch('json_field', 'callstats')(column, json_path_keys(path))) }}
{%- endmacro %}

{% macro default__json_field(column, keys) -%}
    ({{ column }} #> '{ {{- keys | join(',') -}} }')
{%- endmacro %}

{% macro duckdb__json_field(column, keys) -%}
    json_extract({{ column }}, '{{ json_path_duckdb(keys) }}')
{%- endmacro %}

{% macro json_path_keys(path) -%}
    {{ return([path] if path is string else path) }}
{%- endmacro %}

{% macro json_path_duckdb(keys) -%}
    ${% for key in keys %}."{{ key }}"{% endfor %}
{%- endmacro %}

{% macro spark__json_field(column, keys) -%}
    to_json(variant_get(try_parse_json({{ column }}), '{{ json_path_spark(keys) }}'))
{%- endmacro %}

{% macro json_path_spark(keys) -%}
    ${% for key in keys %}[''{{ key }}'']{% endfor %}
{%- endmacro %}
