{% macro text_to_timestamp(text) -%}
    {#-
        A time written as RFC 2822 (`Fri, 20 Nov 2026 14:00:00 +0000`, Twilio's dates) or ISO
        8601 text, as a UTC timestamp; null when it is neither (never an error).
    -#}
    {{ return(adapter.dispatch('text_to_timestamp', 'callstats')(text)) }}
{%- endmacro %}

{% macro default__text_to_timestamp(text) -%}
    case
        when {{ text }} ~ '^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$'
            or {{ text }} ~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$'
            then cast({{ text }} as timestamptz) at time zone 'UTC'
        when {{ text }} ~ '^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?$'
            then cast({{ text }} as timestamp)
    end
{%- endmacro %}

{% macro duckdb__text_to_timestamp(text) -%}
    coalesce(
        cast(try_strptime({{ text }}, '%a, %d %b %Y %H:%M:%S %z') at time zone 'UTC' as timestamp),
        case
            when regexp_full_match({{ text }}, '.*(Z|[+-]\d{2}:?\d{2})')
                then cast(try_cast({{ text }} as timestamptz) at time zone 'UTC' as timestamp)
            else try_cast({{ text }} as timestamp)
        end
    )
{%- endmacro %}

{#- Spark's patterns cannot parse a day name: the RFC 2822 date is read after it. A timestamp
    without a zone reads as UTC (the session's time zone, profiles.yml). -#}
{% macro spark__text_to_timestamp(text) -%}
    case
        when {{ text }} rlike '^[A-Za-z]{3}, \\d{1,2} [A-Za-z]{3} \\d{4} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}$'
            then try_to_timestamp(substring({{ text }}, 6), 'd MMM yyyy HH:mm:ss Z')
        when {{ text }} rlike '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})?$'
            then cast({{ text }} as timestamp)
    end
{%- endmacro %}
