{% macro delete_changed_rows(column, grain) %}
    {#-
        Pre-hook of incremental models: deletes the rows the run is about to rebuild, so a key
        left without any row (a call that lost its only accepted version, an hour left without
        calls) does not linger.
    -#}
    {% set since = incremental_since() %}
    {% if since is not none %}
        delete from {{ this }} where {{ changed_rows_filter(column, grain, since) }}
    {% endif %}
{% endmacro %}
