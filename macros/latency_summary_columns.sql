{% macro latency_summary_columns() -%}
    {#-
        The raw.calls columns of a platform's per-call latency summary (Retell): e2e, llm and
        tts latency at p50, p90, p95 and p99, in ms, e.g. e2e_latency_p50_ms. Never turn
        latencies (sources.md).
    -#}
    {%- set columns = [] -%}
    {%- for stage in ['e2e', 'llm', 'tts'] -%}
        {%- for percentile in ['p50', 'p90', 'p95', 'p99'] -%}
            {%- do columns.append(stage ~ '_latency_' ~ percentile ~ '_ms') -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}
