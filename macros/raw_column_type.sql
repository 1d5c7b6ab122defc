{% macro raw_column_type(logical_type) -%}
    {#- The engine's type for a logical type of the source `raw` (_raw__sources.yml). -#}
    {%- set types = {
        'text': dbt.type_string(),
        'timestamp': dbt.type_timestamp(),
        'double': type_double(),
        'bigint': dbt.type_bigint(),
        'integer': dbt.type_int(),
        'boolean': dbt.type_boolean(),
        'json': type_json(),
    } -%}
    {{ types[logical_type] }}
{%- endmacro %}
