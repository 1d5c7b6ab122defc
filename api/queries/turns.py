"""Provider latency (seed 001): means from the PROVIDER_LATENCY family, percentiles from
log-spaced histograms (docs/decisions.md, Percentiles)."""

import math
from collections.abc import Sequence

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

# A partial hour's turn values, each its own interval [value, value], one select per stage.
_PARTIAL_VALUES = " union all ".join(
    f"""
    select '{stage}' as provider_type, {stage}_provider as provider_name,
        {stage}_latency_ms as min_latency_ms, {stage}_latency_ms as max_latency_ms,
        count(*) as turns
    from partial_turns
    where {stage}_provider is not null and {stage}_latency_ms is not null
    group by 1, 2, 3, 4
    """
    for stage in STAGES
)


def provider_latency(marts: Marts, selection: Selection) -> list[dict]:
    """One row per provider type and name with at least one turn value (metrics.md, Provider
    latency): stt, llm, tts, then name."""
    intervals = histograms(marts, selection)
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
                **{
                    field: percentile(intervals[key], fraction)
                    for field, fraction in FRACTIONS.items()
                },
                "call_count": sums["calls_with_latency"],
            }
        )
    return sorted(rows, key=lambda row: (STAGES.index(row["provider_type"]), row["provider_name"]))


def histograms(marts: Marts, selection: Selection) -> dict[tuple, list[tuple]]:
    """Per (provider type, provider name), the turn values of the selection as intervals
    `(min, max, count)` sorted by value: a histogram bucket of the rollups' whole periods,
    observed from min to max, or one value of the partial hours."""
    periods = cut(selection.window, daily=True)
    ctes, parameters = partial_facts(periods.partial, selection, turns=True)
    parts = []
    for table, _, where, read_parameters in rollup_reads(
        periods,
        "marts.rpt_provider_latency_histogram_daily",
        "marts.rpt_provider_latency_histogram_hourly",
        selection,
        with_agents=False,
    ):
        parts.append(f"select * from {table} where {where}")
        parameters += read_parameters
    selects = []
    if parts:
        selects.append(
            f"""
            select provider_type, provider_name, min(min_latency_ms), max(max_latency_ms),
                cast(sum(turns) as bigint)
            from ({" union all ".join(parts)}) as buckets
            group by provider_type, provider_name, histogram_bucket
            """
        )
    if periods.partial:
        selects.append(f"select * from ({_PARTIAL_VALUES}) as partial_values")
    if not selects:
        return {}
    intervals: dict[tuple, list[tuple]] = {}
    for provider_type, name, low, high, count in marts.rows(
        f"{with_clause(ctes)}{' union all '.join(selects)}", parameters
    ):
        intervals.setdefault((provider_type, name), []).append((low, high, count))
    for values in intervals.values():
        values.sort()
    return intervals


def percentile(intervals: Sequence[tuple], fraction: float) -> float:
    """`percentile_cont(fraction)` over the values of `intervals` (sorted, non-empty), each
    value estimated by spreading an interval's count evenly from its min to its max.

    Every interval lies inside one histogram bucket, so each estimated value is in the same
    bucket as the true value of that rank: within the bucket ratio of it (1 %), and exact
    where a bucket holds at most two distinct values."""
    total = sum(count for _, _, count in intervals)
    rank = fraction * (total - 1)
    below = math.floor(rank)
    low = _value(intervals, below)
    if rank == below:
        return low
    return low + (rank - below) * (_value(intervals, below + 1) - low)


def _value(intervals: Sequence[tuple], rank: int) -> float:
    """The estimated value at 0-based `rank`."""
    for low, high, count in intervals:
        if rank < count:
            return low if count == 1 else low + (high - low) * rank / (count - 1)
        rank -= count
    raise IndexError(rank)
