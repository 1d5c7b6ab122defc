{% macro json_object(fields) -%}
    {#-
        A json object with the keys of `fields` (a dict of key: json or scalar expression), every
        key present, a null value as json null.
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
        {%- for key, value in fields.items() %}
        '{{ key }}', {{ value }}{{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
