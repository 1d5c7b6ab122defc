{% macro json_array_elements(array, alias) -%}
    {#-
        A lateral from-item: one row per element of the json array `array`, as
        `<alias>.element` (json) and `<alias>.position` (1-based); none when it is not an array.
    -#}
    {{ return(adapter.dispatch('json_array_elements', 'callstats')(array, alias)) }}
{%- endmacro %}

{% macro default__json_array_elements(array, alias) -%}
    lateral jsonb_array_elements(
        case when jsonb_typeof({{ array }}) = 'array' then {{ array }} end
    ) with ordinality as {{ alias }} (element, position)
{%- endmacro %}

{% macro duckdb__json_array_elements(array, alias) -%}
    unnest(
        case when json_type({{ array }}) = 'ARRAY' then cast({{ array }} as json []) end
    ) with ordinality as {{ alias }} (element, position)
{%- endmacro %}
