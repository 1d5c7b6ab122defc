{% macro timestamp_literal(moment) -%}
    {#- A datetime (aware ones as UTC) as a SQL timestamp, to the microsecond. -#}
    {%- if moment.tzinfo is not none -%}
        {%- set moment = moment.astimezone(modules.pytz.utc) -%}
    {%- endif -%}
    cast('{{ moment.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
