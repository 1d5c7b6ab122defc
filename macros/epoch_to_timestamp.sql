{% macro epoch_to_timestamp(number, unit) -%}
    {#-
        A UTC timestamp from a count of `unit` ('ms' or 's') since 1970-01-01 UTC; null
        outside the years 1 to 9999 (never an error).
    -#}
    {{ return(adapter.dispatch('epoch_to_timestamp', 'callstats')(number, unit)) }}
{%- endmacro %}

{% macro default__epoch_to_timestamp(number, unit) -%}
    case
        when {{ epoch_in_range(number, unit) }}
            then to_timestamp({{ number }}{{ ' / 1000.0' if unit == 'ms' }}) at time zone 'UTC'
    end
{%- endmacro %}

{% macro duckdb__epoch_to_timestamp(number, unit) -%}
    case
        when {{ epoch_in_range(number, unit) }}
            then make_timestamp(
                cast(round({{ number }} * {{ 1000 if unit == 'ms' else 1000000 }}) as bigint)
            )
    end
{%- endmacro %}

{% macro epoch_in_range(number, unit) -%}
    {#- -62135596800 s is 0001-01-01, 253402300799 s is 9999-12-31 23:59:59 (UTC). -#}
    {%- set scale = 1000 if unit == 'ms' else 1 -%}
    {{ number }} between {{ -62135596800 * scale }} and {{ 253402300799 * scale }}
{%- endmacro %}

{% macro spark__epoch_to_timestamp(number, unit) -%}
    case
        when {{ epoch_in_range(number, unit) }}
            then timestamp_micros(
                cast(round({{ number }} * {{ 1000 if unit == 'ms' else 1000000 }}) as bigint)
            )
    end
{%- endmacro %}
