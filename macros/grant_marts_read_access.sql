{% macro grant_marts_read_access() %}
    {#-
        Run before and after every build (dbt_project.yml hooks): the role `reader_role` may read
        the marts and nothing else, so BI tools never see raw rows (phone numbers, transcripts).
        DuckDB has no roles: there it does nothing.
    -#}
    {{ return(adapter.dispatch('grant_marts_read_access', 'callstats')()) }}
{% endmacro %}

{% macro default__grant_marts_read_access() %}
    select 1
{% endmacro %}

{% macro postgres__grant_marts_read_access() %}
    {%- set role = adapter.quote(var('reader_role')) %}
    do $$
    begin
        if not exists (select from pg_roles where rolname = '{{ var("reader_role") }}') then
            create role {{ role }} nologin;
        end if;
    end
    $$;
    create schema if not exists marts;
    grant usage on schema marts to {{ role }};
    grant select on all tables in schema marts to {{ role }};
    alter default privileges in schema marts grant select on tables to {{ role }};
{% endmacro %}
