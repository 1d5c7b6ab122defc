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

{% macro marts_partly_rebuilt() %}
    {#-
        Whether a run began since the last complete build and did not complete
        (record_build_attempt): a selection, a failure or a stopped run may have rebuilt some
        of the marts and not the others, which then disagree on the keys it rebuilt until a
        complete run rebuilds them all again. True before any complete build.
    -#}
    {%- set since = last_complete_build_at() -%}
    {%- if since is none -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set attempts = marts_relation('build_attempts') -%}
    {%- if adapter.get_relation(attempts.database, attempts.schema, attempts.identifier) is none -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set query = 'select count(*) from ' ~ attempts ~ ' where run_started_at > ' ~ since
        ~ ' and run_started_at < ' ~ timestamp_literal(run_started_at) -%}
    {{ return(run_query(query).columns[0].values()[0] > 0) }}
{% endmacro %}
