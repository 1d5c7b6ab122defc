{% macro marts_relation(identifier) %}
    {#-
        A table in schema marts beside the marts models but not one of them (the build manifest,
        the publication time): the database of the marts models (on DuckDB their own file).
    -#}
    {%- set fct_calls = graph.nodes['model.callstats.fct_calls'] -%}
    {{ return(api.Relation.create(
        database=fct_calls.database, schema=fct_calls.schema, identifier=identifier
    )) }}
{% endmacro %}
