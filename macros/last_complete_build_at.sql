{% macro last_complete_build_at() %}
    {#-
        When the last build in which every incremental model succeeded started, as a SQL
        timestamp, read from the build manifest (record_complete_build); none before the first
        such build. Rows staged after it are what the marts have yet to take in.
    -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set manifest = marts_relation('build_manifest') -%}
    {%- if adapter.get_relation(manifest.database, manifest.schema, manifest.identifier) is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set started = run_query('select max(run_started_at) from ' ~ manifest).columns[0].values()[0] -%}
    {{ return(none if started is none else timestamp_literal(started)) }}
{% endmacro %}
