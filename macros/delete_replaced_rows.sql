{% macro delete_replaced_rows(id_column, time_column) %}
    {#-
        Post-hook of the classified raw rows (classify_rows): in an incremental run, delete
        the rows staged before this run of every id the run re-classified, and of the rows
        without an id those of a `time_column` the run re-classified. The run classified every
        such row again and appended them, so the older rows are replaced: a raw row by its new
        classification, a platform row derived from several records by its row as of its
        newest record (which may have another key). An id whose raw rows are all gone (a
        platform row that a newer record no longer gives) was re-classified into one
        `withdrawn` row, deleted with its older rows.
    -#}
    {%- if execute and is_incremental() %}
        {%- set this_run = timestamp_literal(run_started_at) %}
        {%- set restaged = ' from ' ~ this ~ ' where staged_at = ' ~ this_run %}
        {{ delete_rows(
            this,
            id_column,
            'select distinct ' ~ id_column ~ restaged,
            'staged_at < ' ~ this_run ~ ' and (target.' ~ id_column ~ ' is not null or '
            ~ matches_keys(
                time_column,
                'select ' ~ time_column ~ restaged ~ ' and ' ~ id_column ~ ' is null'
            ) ~ ") or row_disposition = 'withdrawn'"
        ) }}
    {%- endif %}
{% endmacro %}
