{% macro record_marts_built_at() %}
    {#-
        on-run-end: after a run that built models and in which nothing failed, record when in
        marts.publication, which the API's /health reports. (On DuckDB `callstats build` then
        publishes the marts file; a failed build is never published.)
    -#}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set failed = results | selectattr('status', 'in', ['error', 'fail', 'skipped']) | list %}
    {%- set built = results | selectattr('node.resource_type', 'equalto', 'model') | list %}
    {%- set publication = marts_relation('publication') %}
    {%- if built and not failed %}
    {%- set now = timestamp_literal(modules.datetime.datetime.now(modules.pytz.utc)) %}
    {{ statements([
        'create table if not exists ' ~ publication ~ ' (marts_built_at ' ~ dbt.type_timestamp() ~ ')',
        replace_rows(publication, 'values (' ~ now ~ ')'),
    ]) }}
    {%- else %}
    select 1
    {%- endif %}
{% endmacro %}
