{% macro histogram_bucket(value) -%}
    {#- Log-spaced bucket of a positive value: bucket i holds [ratio^i, ratio^(i+1)); zero has a bucket of its own. -#}
    case
        when {{ value }} = 0 then {{ histogram_zero_bucket() }}
        else cast(floor(ln({{ value }}) / ln({{ var('latency_histogram_ratio') }})) as integer)
    end
{%- endmacro %}

{% macro histogram_zero_bucket() -%}
    {#- The bucket of a latency of 0, below every other. -#}
    -1000000
{%- endmacro %}
