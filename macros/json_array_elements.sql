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

{% macro spark__json_array_elements(array, alias) -%}
    lateral (
        select
            to_json(value) as element,
            pos + 1 as position
        from variant_explode(
            case
                when schema_of_variant(try_parse_json({{ array }})) like 'ARRAY%'
                    then try_parse_json({{ array }})
            end
        )
    ) as {{ alias }}
{%- endmacro %}
