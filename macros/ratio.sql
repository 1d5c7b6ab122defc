{% macro ratio(numerator, denominator) -%}
    {#- numerator / denominator in double precision; 0 over an empty set (metrics.md). -#}
    case
        when {{ denominator }} > 0
            then cast({{ numerator }} as {{ type_double() }}) / {{ denominator }}
        else 0
    end
{%- endmacro %}
