{% macro incremental_since() %}
    {#-
        In an incremental run: a timestamp literal `lookback_hours` before the newest
        `source_loaded_at` already built into this model; rows loaded after it are re-processed.
        Otherwise (first or full-refresh build, or an empty model): none.
        Rendered before the model's pre-hooks run, so the hook and the body agree on it.
    -#}
    {% if not (execute and is_incremental()) %}
        {{ return(none) }}
    {% endif %}
    {% set newest = run_query("select max(source_loaded_at) from " ~ this).columns[0].values()[0] %}
    {% if newest is none %}
        {{ return(none) }}
    {% endif %}
    {% set since = newest - modules.datetime.timedelta(hours=var('lookback_hours')) %}
    {{ return("cast('" ~ since.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as timestamp)") }}
{% endmacro %}
