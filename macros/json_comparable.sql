{% macro json_comparable(column, key_columns) -%}
    {{ return(adapter.dispatch('json_comparable', 'callstats')(column, key_columns)) }}
{%- endmacro %}

{#- A form of a json value that is equal for equal parsed values (jsonb already is). -#}
{% macro default__json_comparable(column, key_columns) -%}
    {{ column }}
{%- endmacro %}

{% macro duckdb__json_comparable(column, key_columns) -%}
    {#-
        The json text as it is when every row of the key has the same text (a repeat delivered
        byte for byte, the common case); otherwise json_canonical, a Python function the
        callstats.duckdb_functions dbt-duckdb plugin registers, which is slow.
    -#}
    case
        when
            min(cast({{ column }} as varchar)) over (partition by {{ key_columns | join(', ') }})
            = max(cast({{ column }} as varchar)) over (partition by {{ key_columns | join(', ') }})
            then cast({{ column }} as varchar)
        else json_canonical({{ column }})
    end
{%- endmacro %}

{#- Spark's variant keeps an object's keys sorted: its json text is canonical but for numbers
    written otherwise (1e0). -#}
{% macro spark__json_comparable(column, key_columns) -%}
    to_json(try_parse_json({{ column }}))
{%- endmacro %}
