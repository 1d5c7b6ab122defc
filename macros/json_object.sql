{% macro json_object(fields) -%}
    {#-
        A json object with the keys of `fields` (a dict of key: json or scalar expression), every
        key present, a null value as json null. Keys are written in jsonb's order (shorter
        first, then by their bytes), so the object reads the same from either engine.
    -#}
    {{ return(adapter.dispatch('json_object', 'callstats')(fields)) }}
{%- endmacro %}

{% macro default__json_object(fields) -%}
    jsonb_build_object(
        {%- for key, value in fields.items() %}
        '{{ key }}', {{ value }}{{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{% macro duckdb__json_object(fields) -%}
    json_object(
        {%- for key in json_object_keys(fields) %}
        '{{ key }}', {{ fields[key] }}{{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{% macro json_object_keys(fields) -%}
    {#- The keys of `fields` in jsonb's order. -#}
    {%- set keys = fields.keys() | sort(case_sensitive=true) -%}
    {%- set ordered = [] -%}
    {%- for length in keys | map('length') | unique | sort -%}
        {%- for key in keys if key | length == length -%}
            {%- do ordered.append(key) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(ordered) }}
{%- endmacro %}

{#- On Spark the values are json text (json_field), parsed to be written as json. -#}
{% macro spark__json_object(fields) -%}
    to_json(
        named_struct(
            {%- for key in json_object_keys(fields) %}
            '{{ key }}', try_parse_json({{ fields[key] }}){{ ',' if not loop.last }}
            {%- endfor %}
        ),
        map('ignoreNullFields', 'false')
    )
{%- endmacro %}
