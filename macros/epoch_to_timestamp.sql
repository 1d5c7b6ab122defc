{% macro epoch_to_timestamp(number, unit) -%}
    {#- A UTC timestamp from a count of `unit` ('ms' or 's') since 1970-01-01 UTC. -#}
    {{ return(adapter.dispatch('epoch_to_timestamp', 'callstats')(number, unit)) }}
{%- endmacro %}

{% macro default__epoch_to_timestamp(number, unit) -%}
    (to_timestamp({{ number }}{{ ' / 1000.0' if unit == 'ms' }}) at time zone 'UTC')
{%- endmacro %}

{% macro duckdb__epoch_to_timestamp(number, unit) -%}
    make_timestamp(cast(round({{ number }} * {{ 1000 if unit == 'ms' else 1000000 }}) as bigint))
{%- endmacro %}
