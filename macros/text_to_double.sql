{% macro text_to_double(text) -%}
    {#- A number written as text, as double; null when it is not one (never an error). -#}
    {{ return(adapter.dispatch('text_to_double', 'callstats')(text)) }}
{%- endmacro %}

{% macro default__text_to_double(text) -%}
    case
        when {{ text }} ~ '^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$'
            then cast({{ text }} as {{ type_double() }})
    end
{%- endmacro %}

{% macro duckdb__text_to_double(text) -%}
    try_cast({{ text }} as double)
{%- endmacro %}
