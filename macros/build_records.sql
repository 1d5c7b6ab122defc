{% macro read_build_record(identifier, expression, condition='true') %}
    {#- The value of `expression`, an aggregate over the rows of the build record
        marts.<identifier> (marts_relation) where `condition` holds; none while the table does
        not exist. -#}
    {%- set record = marts_relation(identifier) -%}
    {%- if adapter.get_relation(record.database, record.schema, record.identifier) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set query = 'select ' ~ expression ~ ' from ' ~ record ~ ' where ' ~ condition -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
{% endmacro %}

{% macro append_run_start(identifier) -%}
    {#- The statements that append the run's start to the build record marts.<identifier>
        (one column, run_started_at), creating the table when missing. -#}
    {%- set record = marts_relation(identifier) -%}
    {{ return(statements([
        'create table if not exists ' ~ record ~ ' (run_started_at ' ~ dbt.type_timestamp() ~ ')',
        'insert into ' ~ record ~ ' values (' ~ timestamp_literal(run_started_at) ~ ')',
    ])) }}
{%- endmacro %}
