{% macro record_complete_build() %}
    {#-
        on-run-end: when every incremental model of the project was built in this run without
        error, record the run's start in the build manifest. A run that built only some of
        them (a selection, a failure) records nothing, so the next run's change set still
        holds what they missed.
    -#}
    {%- if not execute -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set incremental = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('config.materialized', 'equalto', 'incremental')
        | map(attribute='unique_id') | list -%}
    {%- set built = results
        | selectattr('status', 'equalto', 'success')
        | map(attribute='node.unique_id') | list -%}
    {%- if incremental | reject('in', built) | list | length == 0 -%}
    {{ append_run_start('build_manifest') }}
    {%- else -%}
    select 1
    {%- endif -%}
{% endmacro %}
