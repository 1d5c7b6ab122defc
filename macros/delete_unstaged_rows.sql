{% macro delete_unstaged_rows(raw_table, id_column) %}
    {#-
        Post-hook of the classified raw rows (classify_rows): in an incremental run, delete
        the rows of a re-classified id that the run did not classify again. A platform row
        derived from several records can take another key when a record lands (a LiveKit call
        as of its new last event), and its row of the old key is no longer staged. Only
        platform rows can be left so: a raw row's key never changes.
    -#}
    {%- if execute and is_incremental() %}
        {%- set this_run = timestamp_literal(run_started_at) %}
        delete from {{ this }}
        where
            raw_table != '{{ raw_table }}'
            and staged_at < {{ this_run }}
            and (
                {{ id_column }} in (
                    select {{ id_column }} from {{ this }} where staged_at = {{ this_run }}
                )
                or (
                    {{ id_column }} is null
                    and exists (
                        select 1 from {{ this }}
                        where {{ id_column }} is null and staged_at = {{ this_run }}
                    )
                )
            )
    {%- endif %}
{% endmacro %}
