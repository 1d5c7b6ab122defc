{% macro within_range(raw_table, column) -%}
    {#- `column` of a `raw_table` row, null where out_of_range_rules() says it is out of range. -#}
    {%- set conditions = out_of_range_rules()[raw_table]
        | selectattr('column', 'equalto', column) | map(attribute='when') | list -%}
    case when ({{ conditions | join(') or (') }}) then null else {{ column }} end
{%- endmacro %}
