"""Provider latency (seed 001): means from the PROVIDER_LATENCY family, percentiles from
log-spaced histograms (docs/decisions.md, Percentiles)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from itertools import pairwise

import numpy as np

from api.marts import Publication
from api.queries import measures
from api.queries.periods import Periods, Span, cut
from api.queries.rollups import (
    PROVIDER_LATENCY,
    STAGE_ROWS,
    STAGES,
    aggregate,
    by_org,
    by_stage,
    each_stage,
    hours_holding,
    lasting_of,
    partial_facts,
    rollup_reads,
    with_clause,
)
from api.queries.selection import Selection

_PROVIDER = ("provider_type", "provider_name")
FRACTIONS = {"p50_latency_ms": 0.5, "p95_latency_ms": 0.95, "p99_latency_ms": 0.99}

# Each turn value of `partial_turns` per stage, in the bucket the build's histograms give it
# (the histogram_bucket macro, with the ratio of marts.dim_latency_histogram), with its call's
# start and org.
_STAGE_VALUES = f"""
    select
        org_id, provider_type, provider_name,
        case
            when latency_ms = 0 then histogram.zero_bucket
            else cast(floor(ln(latency_ms) / ln(histogram.bucket_ratio)) as integer)
        end as histogram_bucket,
        latency_ms, started_at
    from (
        select
            org_id, stages.provider_type,
            {by_stage(each_stage("{stage}_provider"))} as provider_name,
            {by_stage(each_stage("{stage}_latency_ms"))} as latency_ms,
            call_started_at as started_at
        from partial_turns {STAGE_ROWS}
    ) as stage_turns
    cross join marts.dim_latency_histogram as histogram
    where provider_name is not null and latency_ms is not null
    """
# The partial hours' turn values as intervals per provider and bucket.
_PARTIAL_BUCKETS = f"""
    select
        provider_type, provider_name, histogram_bucket,
        min(latency_ms) as min_latency_ms, max(latency_ms) as max_latency_ms,
        count(*) as turns
    from ({_STAGE_VALUES}) as stage_values
    group by 1, 2, 3
    """
_BUCKET_COLUMNS = (
    "provider_type, provider_name, histogram_bucket, min_latency_ms, max_latency_ms, turns"
)


def _bucket_keys(lead: Sequence[str]) -> str:
    """The columns `lead`, then provider, then bucket: a histogram bucket's key."""
    return ", ".join([*lead, *_PROVIDER, "histogram_bucket"])


def _in_order(lead: Sequence[str]) -> str:
    """Rows by `_bucket_keys`: each provider's buckets in value order."""
    return f" order by {_bucket_keys(lead)}"


def _bucket_values(lead: Sequence[str]) -> str:
    """The turn values of whole hours per `lead` column, provider and bucket: their calls'
    starts and values, as two lists (`_EdgeValues`)."""
    keys = _bucket_keys(lead)
    return f"""
        select {keys}, list(started_at) as started_at, list(latency_ms) as latency_ms
        from ({_STAGE_VALUES}) as stage_values
        group by {keys}{_in_order(lead)}
        """


# A provider's turn values as intervals, one per histogram bucket, in bucket order: the
# buckets, and each one's smallest and largest value and count of values.
Intervals = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def provider_latency(marts: Publication, selection: Selection) -> list[dict]:
    """One row per provider type and name with at least one turn value (metrics.md, Provider
    latency): stt, llm, tts, then name."""
    periods = cut(selection.window, daily=True)
    whole, partial_hours, means = marts.together(
        lambda: _whole_intervals(marts, selection, periods),
        lambda: _partial_intervals(marts, selection, periods.partial),
        lambda: aggregate(marts, PROVIDER_LATENCY, selection, by=_PROVIDER),
    )
    percentiles = _percentiles(
        {
            key: _merged([part[key] for part in (whole, partial_hours) if key in part])
            for key in whole.keys() | partial_hours.keys()
        }
    )
    rows = []
    for sums in means:
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


def _percentiles(intervals: dict[tuple, Intervals]) -> dict[tuple, float]:
    """`percentile_cont` of each of FRACTIONS per (provider type, provider name, field) over
    the turn values of the selection, given as each provider's `intervals`, keyed by the
    field's name.

    The value at a rank is estimated by spreading its interval's count evenly
    from min to max. The intervals are disjoint and sorted, so each estimate is in the same
    bucket as the true value of that rank: within the bucket ratio of it (1 %), and exact
    where a bucket holds at most two distinct values."""
    percentiles = {}
    for key, (_, lows, highs, counts) in intervals.items():
        ends = counts.cumsum()
        value_at = partial(_value_at, lows, highs, counts, ends)
        for field, fraction in FRACTIONS.items():
            position = fraction * (int(ends[-1]) - 1)
            below = math.floor(position)
            low = value_at(below)
            percentiles[(*key, field)] = (
                low if position == below else low + (position - below) * (value_at(below + 1) - low)
            )
    return percentiles


def _whole_intervals(
    marts: Publication, selection: Selection, periods: Periods
) -> dict[tuple, Intervals]:
    """The turn values of the selection's whole periods per (provider type, provider name),
    from the rollups' buckets: a lasting statement, as in `aggregate`, kept as `_by_provider`
    gives them (read by org for one org's selection: `by_org`)."""
    org, read_selection, lead = by_org(marts, selection)
    parts, parameters = [], []
    for table, _, where, read_parameters in rollup_reads(
        periods,
        "marts.rpt_provider_latency_histogram_daily",
        "marts.rpt_provider_latency_histogram_hourly",
        read_selection,
        with_agents=False,
    ):
        parts.append(f"select {', '.join([*lead, _BUCKET_COLUMNS])} from {table} where {where}")
        parameters += read_parameters
    if not parts:
        return {}
    return lasting_of(
        org, marts.lasting_rows, _merged_buckets(parts, lead), parameters, _by_provider, {}
    )


def _partial_intervals(
    marts: Publication, selection: Selection, partial: Sequence[Span]
) -> dict[tuple, Intervals]:
    """The turn values of the selection in the `partial` spans per (provider type, provider
    name), in the rollups' buckets. Where lasting answers are kept, from the values of the
    whole hours that hold the spans (`_EdgeValues`; docs/decisions.md, Edge hours kept);
    otherwise from one statement."""
    if not partial:
        return {}
    if not marts.keeps_answers:
        ctes, parameters = partial_facts(partial, selection, turns=True, reads=_PARTIAL_BUCKETS)
        return _by_provider(
            marts.rows(f"{with_clause(ctes)}{_PARTIAL_BUCKETS}{_in_order(())}", parameters)
        )
    org, read_selection, lead = by_org(marts, selection)
    statement = _bucket_values(lead)
    ctes, parameters = partial_facts(
        hours_holding(partial), read_selection, turns=True, reads=statement
    )
    values = lasting_of(
        org, marts.lasting_columns, with_clause(ctes) + statement, parameters, _edge_values, None
    )
    return {} if values is None else values.intervals(partial)


@dataclass(frozen=True)
class _EdgeValues:
    """Turn values by provider and bucket: each interval's provider (type, name) and bucket in
    order, and each value's interval (`interval`, its position there), its call's start
    (`started_at`) and the value (`latency_ms`), in order of interval."""

    providers: np.ndarray
    buckets: np.ndarray
    interval: np.ndarray
    started_at: np.ndarray
    latency_ms: np.ndarray

    def intervals(self, spans: Sequence[Span]) -> dict[tuple, Intervals]:
        """The values whose start lies in `spans` as each provider's `Intervals`."""
        inside = np.zeros(len(self.started_at), dtype=bool)
        for span in spans:
            start, end = (np.datetime64(bound, "us") for bound in (span.start, span.end))
            inside |= (self.started_at >= start) & (self.started_at < end)
        interval, latency_ms = self.interval[inside], self.latency_ms[inside]
        if not len(interval):
            return {}
        starts = _starts((interval,))
        kept = interval[starts]
        providers = self.providers[kept]
        counts = np.diff([*starts.tolist(), len(interval)])
        lows = np.minimum.reduceat(latency_ms, starts)
        highs = np.maximum.reduceat(latency_ms, starts)
        firsts = _starts((providers[:, 0], providers[:, 1]))
        return {
            tuple(providers[first]): (
                self.buckets[kept[first:end]],
                lows[first:end],
                highs[first:end],
                counts[first:end],
            )
            for first, end in pairwise([*firsts.tolist(), len(kept)])
        }


def _edge_values(columns: dict[str, np.ndarray]) -> _EdgeValues:
    """The columns of `_bucket_values`, after its `lead`, as `_EdgeValues` (a lasting answer's
    shape)."""
    types, names, buckets = (columns[name] for name in (*_PROVIDER, "histogram_bucket"))
    started_at, latency_ms = (list(columns[name]) for name in ("started_at", "latency_ms"))
    return _EdgeValues(
        np.stack([types, names], axis=1),
        buckets.astype(np.int64),
        np.repeat(np.arange(len(buckets)), [len(values) for values in latency_ms]),
        np.concatenate([np.array([], dtype="datetime64[us]"), *started_at]),
        np.concatenate([np.array([], dtype=np.float64), *latency_ms]),
    )


def _starts(columns: Sequence[np.ndarray]) -> np.ndarray:
    """Where each run of equal rows (the values of `columns` at one position) starts."""
    changed = np.zeros(len(columns[0]), dtype=bool)
    changed[:1] = True
    for column in columns:
        changed[1:] |= column[1:] != column[:-1]
    return np.flatnonzero(changed)


def _by_provider(rows: list[tuple]) -> dict[tuple, Intervals]:
    """Rows of _BUCKET_COLUMNS in `_in_order`, one per provider and bucket, as each provider's
    `Intervals`."""
    if not rows:
        return {}
    table = np.array(rows, dtype=object)
    providers = table[:, :2]
    starts = _starts((table[:, 0], table[:, 1]))
    buckets, counts = (table[:, column].astype(np.int64) for column in (2, 5))
    lows, highs = (table[:, column].astype(np.float64) for column in (3, 4))
    return {
        tuple(providers[start]): (
            buckets[start:end],
            lows[start:end],
            highs[start:end],
            counts[start:end],
        )
        for start, end in pairwise([*starts.tolist(), len(rows)])
    }


def _merged(parts: list[Intervals]) -> Intervals:
    """The intervals of `parts` merged per bucket: the smaller minimum, the larger maximum,
    the sum of the counts."""
    if len(parts) == 1:
        return parts[0]
    buckets, lows, highs, counts = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.argsort(buckets, kind="stable")
    buckets, lows, highs, counts = buckets[order], lows[order], highs[order], counts[order]
    starts = np.flatnonzero(np.r_[True, buckets[1:] != buckets[:-1]])
    return (
        buckets[starts],
        np.minimum.reduceat(lows, starts),
        np.maximum.reduceat(highs, starts),
        np.add.reduceat(counts, starts),
    )


def _merged_buckets(parts: list[str], lead: Sequence[str]) -> str:
    """The intervals of `parts` (selects of the columns `lead`, then _BUCKET_COLUMNS) per
    `lead` column, provider and bucket."""
    keys = _bucket_keys(lead)
    return f"""
        select {keys}, min(min_latency_ms), max(max_latency_ms), cast(sum(turns) as bigint)
        from ({" union all ".join(parts)}) as buckets
        group by {keys}{_in_order(lead)}
        """


def _value_at(
    lows: np.ndarray, highs: np.ndarray, counts: np.ndarray, ends: np.ndarray, rank: int
) -> float:
    """The estimate at `rank` of a provider's intervals (`Intervals`' values), whose ranks
    end before `ends`."""
    index = int(np.searchsorted(ends, rank, side="right"))
    low, high, turns = lows[index].item(), highs[index].item(), int(counts[index])
    if turns == 1:
        return float(low)
    return low + float(high - low) * (rank - (int(ends[index]) - turns)) / (turns - 1)
