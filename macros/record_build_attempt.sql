{% macro record_build_attempt() %}
    {#-
        on-run-start of a run that builds models (dbt run, dbt build): record the run's start
        in marts.build_attempts before it changes anything, so that the next run knows whether
        this one completed (marts_partly_rebuilt), even if it stops without running its
        on-run-end.
    -#}
    {%- if not (execute and flags.WHICH in ['build', 'run']) -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- do adapter.create_schema(marts_relation('build_attempts')) -%}
    {{ return(append_run_start('build_attempts')) }}
{% endmacro %}
