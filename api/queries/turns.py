"""Provider latency (seed 001): means from the PROVIDER_LATENCY family, percentiles from
log-spaced histograms (docs/decisions.md, Percentiles)."""

import math

from api.marts import Marts
from api.queries import measures
from api.queries.periods import cut
from api.queries.rollups import (
    PROVIDER_LATENCY,
    STAGES,
    aggregate,
    partial_facts,
    rollup_reads,
    with_clause,
)
from api.queries.selection import Selection

FRACTIONS = {"p50_latency_ms": 0.5, "p95_latency_ms": 0.95, "p99_latency_ms": 0.99}

# A partial hour's turn values in the buckets the build's histograms give them (the
# histogram_bucket macro, with the ratio of marts.dim_latency_histogram), one select per stage.
_PARTIAL_BUCKETS = " union all ".join(
    f"""
    select
        '{stage}' as provider_type, {stage}_provider as provider_name,
        case
            when {stage}_latency_ms = 0 then histogram.zero_bucket
            else cast(floor(ln({stage}_latency_ms) / ln(histogram.bucket_ratio)) as integer)
        end as histogram_bucket,
        min({stage}_latency_ms) as min_latency_ms, max({stage}_latency_ms) as max_latency_ms,
        count(*) as turns
    from partial_turns
    cross join marts.dim_latency_histogram as histogram
    where {stage}_provider is not null and {stage}_latency_ms is not null
    group by 1, 2, 3
    """
    for stage in STAGES
)
_BUCKET_COLUMNS = (
    "provider_type, provider_name, histogram_bucket, min_latency_ms, max_latency_ms, turns"
)


def provider_latency(marts: Marts, selection: Selection) -> list[dict]:
    """One row per provider type and name with at least one turn value (metrics.md, Provider
    latency): stt, llm, tts, then name."""
    percentiles = _percentiles(marts, selection)
    rows = []
    for sums in aggregate(
        marts, PROVIDER_LATENCY, selection, by=("provider_type", "provider_name")
    ):
        if not sums["latency_turns"]:
            continue
        key = (sums["provider_type"], sums["provider_name"])
        rows.append(
            {
                "provider_type": key[0],
                "provider_name": key[1],
                "avg_latency_ms": measures.ratio(sums["latency_sum_ms"], sums["latency_turns"]),
                **{field: percentiles[(*key, field)] for field in FRACTIONS},
                "call_count": sums["calls_with_latency"],
            }
        )
    return sorted(rows, key=lambda row: (STAGES.index(row["provider_type"]), row["provider_name"]))


def _percentiles(marts: Marts, selection: Selection) -> dict[tuple, float]:
    """`percentile_cont` of each of FRACTIONS per (provider type, provider name, field) over
    the turn values of the selection, keyed by the field's name.

    The values are intervals `(min, max, count)`, one per histogram bucket: the rollups'
    buckets of the whole periods merged with the partial hours' values in the same buckets,
    observed from min to max. The value at a rank is estimated by spreading its interval's
    count evenly from min to max. The intervals are disjoint and sorted, so each estimate is
    in the same bucket as the true value of that rank: within the bucket ratio of it (1 %),
    and exact where a bucket holds at most two distinct values. The engine finds the two ranks
    around each fraction's position; the interpolation between them is done here."""
    periods = cut(selection.window, daily=True)
    ctes, parameters = partial_facts(periods.partial, selection, turns=True, reads=_PARTIAL_BUCKETS)
    parts = []
    for table, _, where, read_parameters in rollup_reads(
        periods,
        "marts.rpt_provider_latency_histogram_daily",
        "marts.rpt_provider_latency_histogram_hourly",
        selection,
        with_agents=False,
    ):
        parts.append(f"select {_BUCKET_COLUMNS} from {table} where {where}")
        parameters += read_parameters
    if periods.partial:
        parts.append(f"select {_BUCKET_COLUMNS} from ({_PARTIAL_BUCKETS}) as partial_buckets")
    if not parts:
        return {}
    fractions = " union all ".join(
        f"select '{field}' as field, cast(? as double precision) as fraction" for field in FRACTIONS
    )
    intervals = f"""
        intervals as (
            select provider_type, provider_name, min(min_latency_ms) as min_latency_ms,
                max(max_latency_ms) as max_latency_ms, cast(sum(turns) as bigint) as turns
            from ({" union all ".join(parts)}) as buckets
            group by provider_type, provider_name, histogram_bucket
        )
        """
    rows = marts.rows(
        f"""
        {with_clause([*ctes, intervals])}
        , ranked as (
            select
                provider_type, provider_name, min_latency_ms, max_latency_ms, turns,
                sum(turns) over (
                    partition by provider_type, provider_name
                    order by min_latency_ms, max_latency_ms, turns
                    rows between unbounded preceding and current row
                ) - turns as first_rank
            from intervals
        ),
        positions as (
            select
                totals.provider_type, totals.provider_name, fractions.field,
                fractions.fraction * (totals.turns - 1) as position
            from (
                select provider_type, provider_name, max(first_rank + turns) as turns
                from ranked
                group by provider_type, provider_name
            ) as totals
            cross join ({fractions}) as fractions
        ),
        neighbours as (
            select positions.*, floor(positions.position) + steps.step as rank, steps.step
            from positions
            cross join (select 0 as step union all select 1) as steps
        )
        select
            neighbours.provider_type, neighbours.provider_name, neighbours.field,
            neighbours.position, neighbours.step,
            case
                when ranked.turns = 1 then cast(ranked.min_latency_ms as double precision)
                else ranked.min_latency_ms
                    + cast(ranked.max_latency_ms - ranked.min_latency_ms as double precision)
                    * (neighbours.rank - ranked.first_rank) / (ranked.turns - 1)
            end
        from neighbours
        join ranked
            on ranked.provider_type = neighbours.provider_type
            and ranked.provider_name = neighbours.provider_name
            and neighbours.rank >= ranked.first_rank
            and neighbours.rank < ranked.first_rank + ranked.turns
        """,
        [*parameters, *FRACTIONS.values()],
    )
    values: dict[tuple, dict[int, float]] = {}
    positions: dict[tuple, float] = {}
    for provider_type, name, field, position, step, value in rows:
        key = (provider_type, name, field)
        values.setdefault(key, {})[step] = value
        positions[key] = float(position)
    percentiles = {}
    for key, position in positions.items():
        low = values[key][0]
        below = math.floor(position)
        percentiles[key] = (
            low if position == below else low + (position - below) * (values[key][1] - low)
        )
    return percentiles
