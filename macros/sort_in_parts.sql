{% macro sorts_in_parts(relation, key) %}
    {#-
        Whether a model stored in an order, whose rows are those of the distinct `key`s of
        `relation`, leaves its sort to sort_in_parts: on DuckDB, when the run rebuilds every
        row and there are more of them (counted approximately) than the `sort_part_rows` var.
        DuckDB sorts a whole table's wide rows at once by spilling them to temporary files;
        ranges of the rows sorted one after the other fit in memory.
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

{% macro sort_in_parts(column) %}
    {#-
        Post-hook of a model whose query ends in `order by <column>` unless sorts_in_parts():
        on DuckDB, when the run rebuilds every row and the model's table is not in `column`
        order (nulls last), writes its rows into a new table in that order, in parts of at
        most the `sort_part_rows` var's rows but for ties (ranges of `column` from one of its
        quantiles to the next, the nulls in the last), each sorted on its own; puts it in the
        model's place and persists the model's docs on it again.
    -#}
    {%- if execute and target.type == 'duckdb' and rebuilds_everything() %}
        {%- set counted = run_query(
            'select count(*), count(*) filter (where ' ~ column ~ ' < previous'
            ~ ' or previous is null and ' ~ column ~ ' is not null and position > 1)'
            ~ ' from (select ' ~ column ~ ', lag(' ~ column ~ ') over (order by rowid) as previous,'
            ~ ' row_number() over (order by rowid) as position from ' ~ this ~ ') as stored'
        ).rows[0] %}
        {%- set rows, steps_back = counted[0], counted[1] %}
        {%- if steps_back > 0 %}
            {%- set parts = [1, (rows / var('sort_part_rows')) | round(0, 'ceil') | int] | max %}
            {%- set sorted = this.incorporate(path={'identifier': this.identifier ~ '__sorted'}) %}
            {%- do run_query('create table ' ~ sorted ~ ' as select * from ' ~ this ~ ' limit 0') %}
            {#- the parts' bounds in one scan: q(1/p), ..., q(p/p), where quantile_disc(x, q) is
                the ceil(n q)-th value; part k holds (q(k/p), q((k+1)/p)], the last the nulls too -#}
            {%- set bounds = 'sort_part_bounds__' ~ this.identifier %}
            {%- set fractions = [] %}
            {%- for part in range(1, parts + 1) %}{% do fractions.append(part / parts) %}{% endfor %}
            {%- do run_query(
                'create temp table ' ~ bounds ~ ' as select quantile_disc(' ~ column ~ ', ['
                ~ fractions | join(', ') ~ ']) as bounds from ' ~ this
            ) %}
            {%- set bound = '(select bounds[{}] from ' ~ bounds ~ ')' %}
            {%- for part in range(parts) %}
                {%- set lower = column ~ ' > ' ~ bound.format(part) if part else 'true' %}
                {%- if part < parts - 1 %}
                    {%- set where = lower ~ ' and ' ~ column ~ ' <= ' ~ bound.format(part + 1) %}
                {%- else %}
                    {%- set where = lower ~ ' or ' ~ column ~ ' is null' %}
                {%- endif %}
                {%- do run_query(
                    'insert into ' ~ sorted ~ ' select * from ' ~ this ~ ' where ' ~ where
                    ~ ' order by ' ~ column
                ) %}
            {%- endfor %}
            {%- do run_query('drop table ' ~ bounds) %}
            {%- do run_query('drop table ' ~ this) %}
            {%- do run_query('alter table ' ~ sorted ~ ' rename to ' ~ this.identifier) %}
            {%- do persist_docs(this.incorporate(type='table'), model) %}
        {%- endif %}
    {%- endif %}
{% endmacro %}
