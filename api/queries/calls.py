"""What the call endpoints answer, from the CALLS family and its siblings (rollups.py), as
rows named after their JSON fields (api.md; metrics.md)."""

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time

import numpy as np

from api.marts import Publication
from api.params import Window
from api.queries import measures
from api.queries.periods import (
    DAY,
    INSTANT,
    bucket_starts,
    local_date,
    local_hour,
    split_hour_starts,
)
from api.queries.rollups import (
    CALLS,
    DURATIONS,
    ESCALATION_REASONS,
    OUTCOMES,
    PROVIDER_ERRORS,
    STAGES,
    TURN_LATENCIES,
    Family,
    aggregate,
    keyed_sums,
)
from api.queries.selection import Selection
from api.serialize import day, timestamps


def totals(marts: Publication, selection: Selection, components: Sequence[str]) -> dict:
    """The CALLS `components` summed over the selection."""
    [sums] = aggregate(marts, CALLS, selection, components=components)
    return sums


def closed(marts: Publication, selection: Selection) -> Window | None:
    """The selection's window with a missing bound replaced by the first or last start of its
    calls (metrics.md, Time series); None when a bound is missing and it has no calls."""
    window = selection.window
    if window.lower is not None and window.upper is not None:
        return window
    in_window, window_parameters = window.predicate("started_at")
    in_selection, selection_parameters = selection.predicate()
    [(first, last)] = marts.rows(
        "select min(started_at), max(started_at) from marts.fct_calls"
        f" where {in_window} and {in_selection}",
        [*window_parameters, *selection_parameters],
    )
    if first is None:
        return None
    if window.upper is None:
        return Window(window.lower or first, last, upper_inclusive=True)
    return Window(first, window.upper, window.upper_inclusive)


def _with_calls(marts: Publication, selection: Selection, window: Window) -> Window | None:
    """`window` narrowed to the UTC days that hold the selection's calls: the same calls, and
    no bucket boundaries to walk through for the years around them; None when it has none."""
    in_selection, parameters = selection.predicate()
    [(first, last)] = marts.lasting_rows(
        "select min(started_date), max(started_date) from marts.rpt_calls_daily"
        f" where {in_selection}",
        parameters,
    )
    if first is None:
        return None
    start, end = datetime.combine(first, time()), datetime.combine(last, time()) + DAY
    lower = max(window.lower, start)
    upper, inclusive = window.upper, window.upper_inclusive
    if upper >= end:
        upper, inclusive = end, False
    if lower > upper or (lower == upper and not inclusive):
        return None
    return Window(lower, upper, inclusive)


@dataclass(frozen=True)
class Series:
    """A time series of CALLS sums: its buckets' `starts` (INSTANT, in order) and, for each
    component, its sum in each bucket (`sums`; a float component's as Python floats added row
    by row, and 0 in a bucket without rows)."""

    starts: np.ndarray
    sums: dict[str, np.ndarray]

    def buckets(self) -> list[tuple[datetime, dict]]:
        """Each bucket's start and sums by component."""
        names = list(self.sums)
        columns = [self.sums[name].tolist() for name in names]
        return [
            (start, dict(zip(names, values, strict=True)))
            for start, *values in zip(self.starts.tolist(), *columns, strict=True)
        ]


def series(
    marts: Publication,
    selection: Selection,
    interval: str,
    parameter: str,
    components: Sequence[str],
) -> Series:
    """The CALLS `components` summed per local `interval` (hour, day, week) of the selection's zone,
    every bucket of the window listed by its start (metrics.md, Time series); a window of
    too many buckets is a 400 naming `parameter`."""
    window = closed(marts, selection)
    starts = (
        np.array([], INSTANT)
        if window is None
        else bucket_starts(window, interval, selection.zone, parameter)
    )
    sums = {
        name: np.zeros(len(starts), object if name in CALLS.floats else np.int64)
        for name in components
    }
    narrowed = window and _with_calls(marts, selection, window)
    totals = narrowed and keyed_sums(
        marts,
        CALLS,
        replace(selection, window=narrowed),
        components,
        grain="hour" if interval == "hour" else "day",
        boundaries=starts,
    )
    if totals:
        listed = starts.tolist()
        positions = [bisect_right(listed, period_start) - 1 for (period_start,) in totals]
        for column, values in zip(sums.values(), zip(*totals.values(), strict=True), strict=True):
            np.add.at(column, positions, values)
    return Series(starts, sums)


def by_local_hour(
    marts: Publication, selection: Selection, components: Sequence[str]
) -> list[tuple[datetime, dict]]:
    """Sums of the CALLS `components` that each lie in one local hour of the selection's
    zone, with that hour's local start (for day, hour-of-day and weekday breakdowns, which
    add them up): none for an hour without calls, one or more for the others."""
    window = closed(marts, selection)
    window = window and _with_calls(marts, selection, window)
    if window is None:
        return []
    zone = selection.zone
    rows = aggregate(
        marts,
        CALLS,
        replace(selection, window=window),
        grain="hour",
        boundaries=split_hour_starts(window, zone),
        components=components,
    )
    return [(local_hour(row["period_start"], zone), row) for row in rows]


def daily(
    marts: Publication,
    selection: Selection,
    parameter: str,
    components: Sequence[str],
    fields: Callable[[dict], dict],
) -> tuple[dict, list[dict]]:
    """The `components` summed over the window, and its daily series,
    `{"date": ..., **fields(sums)}` per local day, from one read: the days add up to the
    window."""
    days = series(marts, selection, "day", parameter, components).buckets()
    trend = [
        {"date": day(local_date(start, selection.zone)), **fields(sums)} for start, sums in days
    ]
    return _sum([sums for _, sums in days], components), trend


def names(marts: Publication, table: str, key: str, columns: str, ids: Sequence[str]) -> dict:
    """`columns` of the rows of dimension `table` whose `key` is in `ids`, by key."""
    if not ids:
        return {}
    rows = marts.lasting_rows(
        f"select {key}, {columns} from {table} where {key} = any(?)", [list(ids)]
    )
    return {row[0]: row[1:] for row in rows}


def by_agent(marts: Publication, selection: Selection, components: Sequence[str]) -> list[dict]:
    """The CALLS `components` summed per agent with calls, by agent_id."""
    rows = aggregate(marts, CALLS, selection, by=("agent_id",), components=components)
    return sorted(rows, key=_agent_id)


def _agent_id(row: dict) -> str:
    return row["agent_id"]


# Family A (seed 000)


def overview(marts: Publication, selection: Selection) -> dict:
    sums = totals(
        marts,
        selection,
        ("total_calls", "duration_sum_s", "calls_with_duration", "completed_calls", "failed_calls"),
    )
    return {
        "total_calls": sums["total_calls"],
        "total_duration": measures.total_duration(sums),
        "avg_duration": measures.avg_duration(sums),
        "completed_calls": sums["completed_calls"],
        "failed_calls": sums["failed_calls"],
    }


def call_volume(marts: Publication, selection: Selection) -> list[dict]:
    _, trend = daily(
        marts,
        selection,
        "start_date",
        ("total_calls",),
        lambda sums: {"count": sums["total_calls"]},
    )
    return trend


_LATENCIES = tuple(
    f"{stage}_latency_{part}" for stage in (*STAGES, "total") for part in ("sum_ms", "turns")
)


def _latencies(sums: dict) -> dict:
    return {stage: measures.avg_latency_ms(sums, stage) for stage in (*STAGES, "total")}


def latency(marts: Publication, selection: Selection) -> dict:
    sums, trend = daily(
        marts,
        selection,
        "start_date",
        _LATENCIES,
        lambda sums: {f"{stage}_latency_ms": mean for stage, mean in _latencies(sums).items()},
    )
    means = _latencies(sums)
    return {
        **{f"avg_{stage}_latency_ms": mean for stage, mean in means.items()},
        "daily_trend": trend,
    }


def cost_overview(marts: Publication, selection: Selection) -> dict:
    sums = totals(
        marts,
        selection,
        ("cost_sum_usd", "calls_with_cost", *(f"{stage}_cost_sum_usd" for stage in STAGES)),
    )
    return {
        "total_spend": sums["cost_sum_usd"],
        "avg_cost_per_call": measures.avg_cost_per_call(sums),
        **{f"{stage}_cost_total": sums[f"{stage}_cost_sum_usd"] for stage in STAGES},
    }


def cost_trend(marts: Publication, selection: Selection) -> list[dict]:
    _, trend = daily(
        marts,
        selection,
        "start_date",
        ("cost_sum_usd",),
        lambda sums: {"total_cost": sums["cost_sum_usd"]},
    )
    return trend


def cost_by_agent(marts: Publication, selection: Selection) -> list[dict]:
    agents = by_agent(marts, selection, ("cost_sum_usd",))
    agent_names = names(marts, "marts.dim_agents", "agent_id", "agent_name", _ids(agents))
    rows = [
        {
            "agent_id": sums["agent_id"],
            "agent_name": agent_names.get(sums["agent_id"], (None,))[0],
            "total_cost": sums["cost_sum_usd"],
        }
        for sums in agents
    ]
    return sorted(rows, key=lambda row: -row["total_cost"])


def _ids(rows: list[dict], key: str = "agent_id") -> list[str]:
    return [row[key] for row in rows]


def _distribution(
    marts: Publication, selection: Selection, family: Family, distribution: str, count: str
) -> dict:
    """Every bucket of `distribution` in its listed order, with its count (metrics.md,
    Buckets)."""
    column = "duration_bucket" if distribution == "duration_s" else "latency_bucket"
    counts = {row[column]: row[count] for row in aggregate(marts, family, selection, by=(column,))}
    labels = marts.lasting_rows(
        "select bucket from marts.dim_distribution_buckets where distribution = ?"
        " order by bucket_position",
        [distribution],
    )
    return {"buckets": [{"bucket": label, "count": counts.get(label, 0)} for (label,) in labels]}


def duration_distribution(marts: Publication, selection: Selection) -> dict:
    return _distribution(marts, selection, DURATIONS, "duration_s", "calls")


def latency_distribution(marts: Publication, selection: Selection) -> dict:
    """Counts turns, not calls: every turn of a call in the window, by its total latency."""
    return _distribution(marts, selection, TURN_LATENCIES, "total_latency_ms", "turns")


def conversation_turns(marts: Publication, selection: Selection) -> dict:
    sums, trend = daily(
        marts,
        selection,
        "start_date",
        ("turns", "calls_with_turns"),
        lambda sums: {"avg_turns": measures.avg_turns(sums)},
    )
    return {"avg_turns": measures.avg_turns(sums), "daily_trend": trend}


def barge_in(marts: Publication, selection: Selection) -> dict:
    sums, trend = daily(
        marts,
        selection,
        "start_date",
        ("barge_in_calls", "calls_with_turns"),
        lambda sums: {"barge_in_rate": measures.barge_in_rate(sums)},
    )
    return {"barge_in_rate": measures.barge_in_rate(sums), "daily_trend": trend}


def provider_errors(marts: Publication, selection: Selection) -> list[dict]:
    """Each call counts once per provider name, whichever stages it used it for."""
    rows = [
        {
            "provider_name": sums["provider_name"],
            "error_count": sums["error_calls"],
            "total_calls": sums["calls"],
            "error_rate": measures.ratio(sums["error_calls"], sums["calls"]),
        }
        for sums in aggregate(marts, PROVIDER_ERRORS, selection, by=("provider_name",))
    ]
    return sorted(rows, key=lambda row: (-row["error_count"], row["provider_name"]))


def peak_hours(marts: Publication, selection: Selection) -> list[dict]:
    """Calls per local ISO weekday (0 = Monday) and hour, non-zero cells only."""
    cells: dict[tuple[int, int], int] = {}
    for start, sums in by_local_hour(marts, selection, ("total_calls",)):
        cell = (start.weekday(), start.hour)
        cells[cell] = cells.get(cell, 0) + sums["total_calls"]
    return [
        {"day_of_week": weekday, "hour": hour, "count": count}
        for (weekday, hour), count in sorted(cells.items())
    ]


def outcomes(marts: Publication, selection: Selection) -> list[dict]:
    rows = [
        {"outcome": sums["outcome_or_status"], "count": sums["calls"]}
        for sums in aggregate(marts, OUTCOMES, selection, by=("outcome_or_status",))
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["outcome"]))


def agent_comparison(
    marts: Publication, selection: Selection, agent_ids: Sequence[str]
) -> list[dict]:
    """One entry per agent of `agent_ids` (agents of the selection), in that order; an agent
    without calls in the window gets zeros (metrics.md, Agent comparison)."""
    components = (
        "total_calls",
        "duration_sum_s",
        "calls_with_duration",
        "completed_calls",
        *_LATENCIES,
        "cost_sum_usd",
        "calls_with_cost",
        "barge_in_calls",
        "turns",
        "calls_with_turns",
        "error_calls",
    )
    measured = {sums["agent_id"]: sums for sums in by_agent(marts, selection, components)}
    agent_names = names(marts, "marts.dim_agents", "agent_id", "agent_name", agent_ids)
    empty = dict.fromkeys(components, 0)
    rows = []
    for agent_id in agent_ids:
        sums = measured.get(agent_id, empty)
        rows.append(
            {
                "agent_id": agent_id,
                "agent_name": agent_names.get(agent_id, (None,))[0],
                "total_calls": sums["total_calls"],
                "avg_duration": measures.avg_duration(sums),
                "completion_rate": measures.completion_rate(sums),
                **{f"avg_{stage}_latency_ms": mean for stage, mean in _latencies(sums).items()},
                "avg_cost": measures.avg_cost_per_call(sums),
                "barge_in_rate": measures.barge_in_rate(sums),
                "avg_turns": measures.avg_turns(sums),
                "error_count": sums["error_calls"],
            }
        )
    return rows


# Family B (seed 001)


def summary(marts: Publication, selection: Selection, now: datetime) -> dict:
    sums = totals(
        marts,
        selection,
        (
            "total_calls",
            "completed_calls",
            "failed_calls",
            "duration_sum_s",
            "calls_with_duration",
            "total_tokens",
            *_LATENCIES,
        ),
    )
    return {
        "total_calls": sums["total_calls"],
        "completed_calls": sums["completed_calls"],
        "failed_calls": sums["failed_calls"],
        "active_calls": active_calls(marts, selection, now),
        "avg_duration_seconds": measures.avg_duration(sums),
        "success_rate": measures.success_rate(sums),
        "total_tokens": sums["total_tokens"],
        **{f"avg_{stage}_latency_ms": measures.avg_latency_ms(sums, stage) for stage in STAGES},
    }


def active_calls(marts: Publication, selection: Selection, now: datetime) -> int:
    """Calls of the selection (its window ignored) active at `now`: live, and started within
    live_call_timeout_hours of it (metrics.md; fct_calls.active_until >= now)."""
    return _active(marts, selection, now, window=False)


def ongoing_calls(marts: Publication, selection: Selection, now: datetime) -> int:
    """Calls of the selection, in its window, active at `now`."""
    return _active(marts, selection, now, window=True)


def _active(marts: Publication, selection: Selection, now: datetime, window: bool) -> int:
    in_selection, parameters = selection.predicate()
    clauses = [in_selection]
    if window:
        in_window, window_parameters = selection.window.predicate("started_at")
        clauses.append(in_window)
        parameters = [*parameters, *window_parameters]
    # A call is active only while it is live and until active_until, which is at most
    # live_call_timeout_hours after its start: the facts of those hours hold every one.
    [(count,)] = marts.rows(
        "select count(*) from marts.fct_calls"
        f" where active_until >= ? and started_at >= ? - (active_until - started_at)"
        f" and {' and '.join(clauses)}",
        [now, now, *parameters],
    )
    return count


def call_volume_series(marts: Publication, selection: Selection, interval: str) -> list[dict]:
    counts = ("total_calls", "completed_calls", "failed_calls")
    buckets = series(marts, selection, interval, "interval", counts)
    return [
        {"timestamp": start, "total": total, "completed": completed, "failed": failed}
        for start, total, completed, failed in zip(
            timestamps(buckets.starts),
            *(buckets.sums[name].tolist() for name in counts),
            strict=True,
        )
    ]


def workflow_stats(marts: Publication, selection: Selection, limit: int) -> list[dict]:
    workflows = [
        sums
        for sums in aggregate(
            marts,
            CALLS,
            selection,
            by=("workflow_id",),
            components=(
                "total_calls",
                "completed_calls",
                "failed_calls",
                "duration_sum_s",
                "calls_with_duration",
            ),
        )
        if sums["workflow_id"] is not None
    ]
    workflows.sort(key=lambda sums: (-sums["total_calls"], sums["workflow_id"]))
    workflows = workflows[:limit]
    described = names(
        marts,
        "marts.dim_workflows",
        "workflow_id",
        "workflow_name, workflow_slug",
        _ids(workflows, "workflow_id"),
    )
    return [
        {
            "workflow_id": sums["workflow_id"],
            **dict(
                zip(
                    ("workflow_name", "workflow_slug"),
                    described.get(sums["workflow_id"], (None, None)),
                    strict=True,
                )
            ),
            "total_calls": sums["total_calls"],
            "completed_calls": sums["completed_calls"],
            "failed_calls": sums["failed_calls"],
            "success_rate": measures.success_rate(sums),
            "avg_duration_seconds": measures.avg_duration(sums),
        }
        for sums in workflows
    ]


# Family C (seed 002)

_RESOLVED_CALLS = {
    "resolved": "resolved_calls",
    "transferred": "transferred_calls",
    "abandoned": "abandoned_calls",
    "other": "other_resolution_calls",
}


_METRICS = (
    "total_calls",
    "duration_sum_s",
    "calls_with_duration",
    *_RESOLVED_CALLS.values(),
    "llm_latency_sum_ms",
    "llm_latency_turns",
    "positive_calls",
    "calls_with_sentiment",
    "escalated_calls",
    "calls_without_corrections",
    "calls_with_corrections_measured",
    "cached_token_ratio_sum",
    "calls_with_cached_token_ratio",
    "stt_confidence_sum",
    "calls_with_stt_confidence",
    "tool_calls_succeeded",
    "tool_calls_with_outcome",
)


def metrics(marts: Publication, selection: Selection) -> dict:
    agents, (days, hours), reasons = marts.together(
        lambda: by_agent(marts, selection, _METRICS),
        lambda: _by_day_and_hour(marts, selection),
        lambda: aggregate(marts, ESCALATION_REASONS, selection, by=("escalation_reason",)),
    )
    sums = _sum(agents, _METRICS)
    return {
        "metrics": {
            "totalCalls": sums["total_calls"],
            "totalMinutes": measures.total_duration(sums) / 60,
            "resolutionRate": measures.resolution_rate(sums),
            "avgDuration": measures.avg_duration(sums),
            "activeAgents": len(agents),
            "responseTime": measures.avg_latency_ms(sums, "llm", None),
            "sentimentPercent": measures.sentiment_percent(sums),
            "escalationRate": measures.escalation_rate(sums),
        },
        "dailyVolume": [
            {
                "date": day(date),
                "totalCalls": day_sums["total_calls"],
                "resolvedCalls": day_sums["resolved_calls"],
            }
            for date, day_sums in days
        ],
        "hourlyDistribution": [
            {
                "hour": f"{hour:02d}:00",
                "calls": hour_sums["total_calls"],
                "minutes": measures.total_duration(hour_sums) / 60,
            }
            for hour, hour_sums in enumerate(hours)
        ],
        "resolutionBreakdown": {
            resolution: sums[column] for resolution, column in _RESOLVED_CALLS.items()
        },
        "agentPerformance": _agent_performance(marts, agents),
        "aiInsights": {
            "intentAccuracy": measures.intent_accuracy(sums),
            "contextRetention": measures.context_retention(sums),
            "speechRecognition": measures.speech_recognition(sums),
            "entityExtraction": measures.entity_extraction(sums),
            "responseLatency": measures.avg_latency_ms(sums, "llm", None),
            "trainingSessions": sums["total_calls"],
        },
        "escalationReasons": _escalation_reasons(reasons, sums["escalated_calls"]),
    }


def _add(total: dict, sums: Mapping) -> dict:
    """`total` with the components it holds increased by those of `sums`."""
    for name in total:
        total[name] += sums[name]
    return total


def _sum(rows: list[dict], components: Sequence[str]) -> dict:
    total = dict.fromkeys(components, 0)
    for row in rows:
        _add(total, row)
    return total


def _by_day_and_hour(marts: Publication, selection: Selection) -> tuple[list[tuple], list[dict]]:
    """The calls, resolved calls and duration of the selection per local date of the window
    (every day listed; too many is a 400 naming startDate) and per local hour of the day (24),
    from one read by local hour (`by_local_hour`): each local hour lies in one local day."""
    components = ("total_calls", "resolved_calls", "duration_sum_s")
    hours = [dict.fromkeys(components, 0) for _ in range(24)]
    window = closed(marts, selection)
    if window is None:
        return [], hours
    zone = selection.zone
    starts = bucket_starts(window, "day", zone, "startDate").tolist()
    days = {local_date(start, zone): dict.fromkeys(components, 0) for start in starts}
    for start, sums in by_local_hour(marts, replace(selection, window=window), components):
        _add(days[start.date()], sums)
        _add(hours[start.hour], sums)
    return list(days.items()), hours


def _agent_performance(marts: Publication, agents: list[dict]) -> list[dict]:
    described = names(
        marts, "marts.dim_agents", "agent_id", "agent_name, agent_status", _ids(agents)
    )
    rows = []
    for sums in agents:
        if sums["agent_id"] not in described:
            continue
        name, status = described[sums["agent_id"]]
        counts = {resolution: sums[column] for resolution, column in _RESOLVED_CALLS.items()}
        rows.append(
            {
                "agentId": sums["agent_id"],
                "agentName": name,
                "totalCalls": sums["total_calls"],
                **counts,
                **{
                    f"{resolution}Percent": measures.percent(count, sums["total_calls"])
                    for resolution, count in counts.items()
                },
                "avgDuration": measures.avg_duration(sums),
                "sentimentPercent": measures.sentiment_percent(sums),
                "status": status,
            }
        )
    return sorted(rows, key=lambda row: -row["totalCalls"])


def _escalation_reasons(reasons: list[dict], escalated_calls: int) -> list[dict]:
    """The ESCALATION_REASONS sums per escalation_reason as seed 002's escalationReasons."""
    rows = [
        {
            "reason": sums["escalation_reason"],
            "count": sums["escalated_calls"],
            "percentOfTotal": measures.percent(sums["escalated_calls"], escalated_calls),
            "avgTimeBeforeEscalation": measures.ratio(
                sums["seconds_before_escalation_sum"], sums["calls_with_escalation_time"]
            ),
        }
        for sums in reasons
    ]
    return sorted(rows, key=lambda row: (-row["count"], row["reason"]))


# Family D (seed 003)

TOP_ASSISTANTS = 10


def calls_analytics(marts: Publication, selection: Selection, now: datetime) -> dict:
    counts = ("total_calls", "completed_calls", "failed_calls")
    agents = by_agent(marts, selection, (*counts, "duration_sum_s", "calls_with_duration"))
    sums = _sum(agents, (*counts, "duration_sum_s", "calls_with_duration"))
    top = sorted(agents, key=lambda row: -row["total_calls"])
    agent_names = names(marts, "marts.dim_agents", "agent_id", "agent_name", _ids(agents))
    top = [row for row in top if row["agent_id"] in agent_names][:TOP_ASSISTANTS]
    return {
        "total_calls": sums["total_calls"],
        "completed_calls": sums["completed_calls"],
        "failed_calls": sums["failed_calls"],
        "ongoing_calls": ongoing_calls(marts, selection, now),
        "total_duration": measures.total_duration(sums),
        "avg_duration": measures.avg_duration(sums),
        "success_rate": measures.success_rate(sums),
        "daily_stats": {
            day(local_date(start, selection.zone)): {
                "total": day_sums["total_calls"],
                "completed": day_sums["completed_calls"],
                "failed": day_sums["failed_calls"],
            }
            for start, day_sums in series(marts, selection, "day", "period", counts).buckets()
            if day_sums["total_calls"]
        },
        "top_assistants": [
            {
                "assistant_id": row["agent_id"],
                "assistant_name": agent_names[row["agent_id"]][0],
                "calls": row["total_calls"],
                "duration": measures.total_duration(row),
            }
            for row in top
        ],
    }
