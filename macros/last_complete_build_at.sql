{% macro last_complete_build_at() %}
    {#-
        When the last build in which every incremental model succeeded started, as a SQL
        timestamp, read from the build manifest (record_complete_build); none before the first
        such build. Rows staged after it are what the marts have yet to take in.
    -#}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set started = read_build_record('build_manifest', 'max(run_started_at)') -%}
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
    {%- set attempts = read_build_record(
        'build_attempts',
        'count(*)',
        'run_started_at > ' ~ since ~ ' and run_started_at < ' ~ timestamp_literal(run_started_at),
    ) -%}
    {{ return(attempts is not none and attempts > 0) }}
{% endmacro %}
