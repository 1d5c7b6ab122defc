{% macro text_to_double(text) -%}
    {#-
        A number written as text, as double; null when it is not a finite double (never an
        error).
    -#}
    {{ return(adapter.dispatch('text_to_double', 'callstats')(text)) }}
{%- endmacro %}

{% macro default__text_to_double(text) -%}
    case
        when
            {{ text }} ~ '^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,5})?\s*$'
            and abs(cast({{ text }} as numeric)) < 1e308
            then cast({{ text }} as {{ type_double() }})
    end
{%- endmacro %}

{% macro duckdb__text_to_double(text) -%}
    case when isfinite(try_cast({{ text }} as double)) then try_cast({{ text }} as double) end
{%- endmacro %}

{#- Spark's cast reads more than numbers (1d, Infinity) and overflows to infinity. -#}
{% macro spark__text_to_double(text) -%}
    case
        when
            {{ text }} rlike '^\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,5})?\\s*$'
            and abs(cast({{ text }} as double)) < double('Infinity')
            then cast({{ text }} as double)
    end
{%- endmacro %}
