{%- set distributions = {
    'duration_s': var('duration_bucket_edges_s'),
    'total_latency_ms': var('latency_bucket_edges_ms'),
} -%}
{%- set rows = [] -%}
{%- for distribution, edges in distributions.items() -%}
    {%- set labels = bucket_labels(edges) -%}
    {%- for lower in edges -%}
        {%- set upper = 'null' if loop.last else edges[loop.index] -%}
        {%- do rows.append(
            "('" ~ distribution ~ "', " ~ loop.index ~ ", '" ~ labels[loop.index0] ~ "', "
            ~ lower ~ ", " ~ upper ~ ")"
        ) -%}
    {%- endfor -%}
{%- endfor -%}

with

buckets as (
    select
        listed.distribution,
        listed.bucket_position,
        listed.bucket,
        cast(listed.lower_bound as {{ type_double() }}) as lower_bound,
        cast(listed.upper_bound as {{ type_double() }}) as upper_bound
    from (
        values {{ rows | join(', ') }}
    ) as listed (distribution, bucket_position, bucket, lower_bound, upper_bound)
)

select * from buckets
