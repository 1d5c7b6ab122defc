{% macro raw_source(table_name, source_name='raw') -%}
    {#-
        The table `table_name` of the source `source_name` (`raw`, or a platform's landing
        source) as a subquery with every column the source declares, typed as declared: a
        column the table lacks reads as null, and a table that does not exist as no rows
        (raw-tables.md, sources.md), so an EL tool may create only what it has.
    -#}
    {%- set relation = source(source_name, table_name) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set declared = graph.sources[
        'source.callstats.' ~ source_name ~ '.' ~ table_name
    ].columns.values() -%}
    {#- Asked of the database, not of dbt's cache of relations: that cache lists a source's
        schema on first use, and a model compiled by another thread meanwhile found no table. -#}
    {%- set present = {} -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do present.update({column.name | lower: column.name}) -%}
    {%- endfor -%}
    (
        select
        {%- for column in declared %}
            cast(
                {{- adapter.quote(present[column.name]) if column.name in present else 'null' }}
                as {{ raw_column_type(column.data_type) -}}
            ) as {{ column.name }}
            {{- "," if not loop.last }}
        {%- endfor %}
        {%- if present %}
        from {{ relation }}
        {%- else %}
        where false
        {%- endif %}
    ) as {{ table_name }}_rows
{%- endmacro %}
