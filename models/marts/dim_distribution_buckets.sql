{%- set distributions = {
    'duration_s': var('duration_bucket_edges_s'),
    'total_latency_ms': var('latency_bucket_edges_ms'),
} -%}

with

buckets as (
    {%- for distribution, edges in distributions.items() %}
    {%- set labels = bucket_labels(edges) %}
    {%- set outer_loop = loop %}
    {%- for lower in edges %}
    select
        '{{ distribution }}' as distribution,
        {{ loop.index }} as bucket_position,
        '{{ labels[loop.index0] }}' as bucket,
        cast({{ lower }} as double precision) as lower_bound,
        cast({{ "null" if loop.last else edges[loop.index] }} as double precision) as upper_bound
    {%- if not (loop.last and outer_loop.last) %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- endfor %}
)

select * from buckets
