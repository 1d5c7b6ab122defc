-- One row: how the latency histograms' buckets are cut (the histogram_bucket macro), so that a
-- reader can place a value in the bucket the histograms would give it.
select
    cast({{ var('latency_histogram_ratio') }} as {{ type_double() }}) as bucket_ratio,
    {{ histogram_zero_bucket() }} as zero_bucket
