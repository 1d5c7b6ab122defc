{% macro matches_keys(key_column, keys) -%}
    {#-
        The condition that a row's `key_column` equals a row of `keys` (a query of that one
        column), a null key equal to a null one.
    -#}
    (
        {{ key_column }} in (select listed.{{ key_column }} from ({{ keys }}) as listed)
        or (
            {{ key_column }} is null
            and exists (
                select 1 from ({{ keys }}) as listed where listed.{{ key_column }} is null
            )
        )
    )
{%- endmacro %}
