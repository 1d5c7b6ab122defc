{% macro record_marts_built_at() %}
    {#-
        On PostgreSQL the API reads the marts where dbt builds them; after a build in which
        nothing failed, this records when, for /health. (On DuckDB `callstats build` records it
        in the published copy.)
    -#}
    {{ return(adapter.dispatch('record_marts_built_at', 'callstats')()) }}
{% endmacro %}

{% macro default__record_marts_built_at() %}
    select 1
{% endmacro %}

{% macro postgres__record_marts_built_at() %}
    {%- set failed = results | selectattr('status', 'in', ['error', 'fail', 'skipped']) | list %}
    {%- if not failed %}
    create table if not exists marts.publication (marts_built_at timestamp not null);
    delete from marts.publication;
    insert into marts.publication values (now() at time zone 'UTC');
    {%- else %}
    select 1
    {%- endif %}
{% endmacro %}
