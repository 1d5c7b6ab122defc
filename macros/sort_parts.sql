{% macro sorts_in_parts(relation, key) %}
    {#-
        Whether a model stored in an order, whose rows belong to the distinct `key`s of
        `relation`, is written in parts (sort_parts_of): on DuckDB, when the run
        rebuilds every row and there are more keys (counted approximately) than the
        `sort_part_rows` var. DuckDB sorts a whole table's rows at once by spilling them to
        temporary files; ranges of the rows sorted one after the other fit in memory.
    -#}
    {%- if not (execute and target.type == 'duckdb' and rebuilds_everything()) %}
        {{ return(false) }}
    {%- endif %}
    {#- none before `relation` is built, as when sqlfluff compiles the model against nothing -#}
    {%- if load_relation(relation) is none %}
        {{ return(false) }}
    {%- endif %}
    {%- set query = 'select approx_count_distinct(' ~ key ~ ') from ' ~ relation %}
    {{ return(run_query(query).columns[0].values()[0] > var('sort_part_rows')) }}
{% endmacro %}

{% macro sort_part_bounds(relation, column) %}
    {#-
        Sets the DuckDB variable `sort_part_bounds` to the list q(1/p), ..., q(p/p) of the
        values of `relation`'s `column`, where quantile_disc(x, q) is the ceil(n q)-th value
        and p is the number of parts of at most the `sort_part_rows` var's rows of `relation`
        (but for ties); returns p. Part k holds the rows whose `column` is in
        (q((k-1)/p), q(k/p)] (the first from the smallest value), the last also those without
        one: in_sort_part, once the variable `sort_part` is k.
    -#}
    {%- set rows = run_query('select count(*) from ' ~ relation).columns[0].values()[0] %}
    {%- set parts = [1, (rows / var('sort_part_rows')) | round(0, 'ceil') | int] | max %}
    {%- set fractions = [] %}
    {%- for part in range(1, parts + 1) %}{% do fractions.append(part / parts) %}{% endfor %}
    {%- do run_query(
        'set variable sort_part_bounds = (select quantile_disc(' ~ column ~ ', ['
        ~ fractions | join(', ') ~ ']) from ' ~ relation ~ ')'
    ) %}
    {{ return(parts) }}
{% endmacro %}

{% macro in_sort_part(column) -%}
    {#- The condition that a row's `column` is in part number `sort_part` (sort_part_bounds);
        DuckDB reads the variables as constants, so a table stored in `column` order is read
        in that part's row groups only. -#}
    (
        (
            {{ column }} > getvariable('sort_part_bounds')[getvariable('sort_part') - 1]
            or getvariable('sort_part') = 1
        )
        and {{ column }} <= getvariable('sort_part_bounds')[getvariable('sort_part')]
        or {{ column }} is null
        and getvariable('sort_part') = len(getvariable('sort_part_bounds'))
    )
{%- endmacro %}

{% macro sort_parts_of(parent, column, key) %}
    {#-
        Pre-hook of a model stored in `column` order whose rows each belong to one row of
        the model `parent` (if `parent` is stored in that order too, a part reads only its
        row groups of it), and which reads `parent` and its other parents where
        in_sort_part() holds when sorts_in_parts(ref(parent), key): sets the
        parts of `parent`'s `column` (sort_part_bounds) and starts at the first, so that the
        model's statement writes the first part, sorted on its own; insert_sort_parts writes
        the others.
    -#}
    {%- if execute and sorts_in_parts(ref(parent), key) %}
        {%- do sort_part_bounds(ref(parent), column) %}
        {%- do run_query('set variable sort_part = 1') %}
    {%- endif %}
{% endmacro %}

{% macro insert_sort_parts(parent, key) %}
    {#- Post-hook of a model with the pre-hook sort_parts_of(parent, column, key): appends the
        rows of each part after the first, in order, each from the model's query. -#}
    {%- if execute and sorts_in_parts(ref(parent), key) %}
        {%- set bounds = run_query("select len(getvariable('sort_part_bounds'))") %}
        {%- for part in range(2, bounds.columns[0].values()[0] + 1) %}
            {%- do run_query('set variable sort_part = ' ~ part) %}
            {%- do run_query('insert into ' ~ this ~ ' ' ~ model.compiled_code) %}
        {%- endfor %}
    {%- endif %}
{% endmacro %}

{% macro written_in_parts(parent, column, key) %}
    {#-
        For a model stored in `column` order whose rows each belong to one row of the model
        `parent`: gives it the hooks that write it in parts (sort_parts_of, insert_sort_parts)
        and returns whether this run does (sorts_in_parts), when its query reads its parents
        where in_sort_part() holds.
    -#}
    {{- config(
        pre_hook="{{ sort_parts_of('" ~ parent ~ "', '" ~ column ~ "', '" ~ key ~ "') }}",
        post_hook="{{ insert_sort_parts('" ~ parent ~ "', '" ~ key ~ "') }}",
    ) }}
    {{ return(sorts_in_parts(ref(parent), key)) }}
{% endmacro %}
