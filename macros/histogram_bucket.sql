{% macro histogram_bucket(value) -%}
    {#- Log-spaced bucket of a positive value: bucket i holds [ratio^i, ratio^(i+1)); zero is -1000000. -#}
    case
        when {{ value }} = 0 then -1000000
        else cast(floor(ln({{ value }}) / ln({{ var('latency_histogram_ratio') }})) as integer)
    end
{%- endmacro %}
