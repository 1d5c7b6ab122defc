"""Families of rollups: the mergeable sums and counts of a metric family, read from its daily
and hourly rollups for a window's whole periods and from the call-grain facts for the rest.

A family's components are named as its rollup's columns; over the facts each is a count of
rows or the sum of an expression on one row, so a component's total is the same whichever
source holds a call.
"""

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from operator import add
from typing import Any

import numpy as np

from api.marts import Publication
from api.queries.periods import HOUR, MINUTE, Periods, Span, cut, floor, on_whole
from api.queries.selection import Selection


@dataclass(frozen=True)
class Count:
    """A component that counts the facts' rows where `condition` holds (every row without
    one)."""

    condition: str | None = None

    def sql(self) -> str:
        if self.condition is None:
            return "count(*)"
        return f"count(case when {self.condition} then 1 end)"

    def row_sql(self) -> str:
        """What one row adds to the count."""
        if self.condition is None:
            return "1"
        return f"case when {self.condition} then 1 else 0 end"


def _sum_sql(expression: str, is_float: bool) -> str:
    """The sum of `expression` over rows, 0 over none; unless `is_float`, as bigint (PostgreSQL
    sums bigints as numeric)."""
    total = f"sum({expression})" if is_float else f"cast(sum({expression}) as bigint)"
    return f"coalesce({total}, 0)"


@dataclass(frozen=True)
class Family:
    """`hourly` (and `daily`, when there is one) are rollup tables by `started_hour`
    (`started_date`); `facts` is a select of the same dimensions and `started_at` from
    `partial_calls`, the facts' calls in the partial hours and the selection (or from
    `partial_turns`, the turn latencies of those calls); `components`
    maps each rollup column to what it is over those rows: a Count, or an expression on one
    row that is summed; `floats` are the components that are not counts."""

    hourly: str
    facts: str
    components: Mapping[str, str | Count]
    floats: frozenset[str] = frozenset()
    daily: str | None = None
    has_agents: bool = True


CALLS = Family(
    daily="marts.rpt_calls_daily",
    hourly="marts.rpt_calls_hourly",
    facts="select * from partial_calls",
    components={
        "total_calls": Count(),
        "completed_calls": Count("is_completed"),
        "failed_calls": Count("is_failed"),
        "calls_with_duration": Count("duration_s is not null"),
        "duration_sum_s": "duration_s",
        "calls_with_cost": Count("cost_usd is not null"),
        "cost_sum_usd": "cost_usd",
        "stt_cost_sum_usd": "stt_cost_usd",
        "llm_cost_sum_usd": "llm_cost_usd",
        "tts_cost_sum_usd": "tts_cost_usd",
        "total_tokens": "total_tokens",
        "calls_with_turns": Count("turns > 0"),
        "turns": "turns",
        "barge_in_calls": Count("has_barge_in"),
        **{
            f"{stage}_latency_{part}": f"{stage}_latency_{part}"
            for stage in ("stt", "llm", "tts", "total")
            for part in ("sum_ms", "turns")
        },
        "error_calls": Count("has_error"),
        "escalated_calls": Count("is_escalated"),
        "resolved_calls": Count("resolution = 'resolved'"),
        "transferred_calls": Count("resolution = 'transferred'"),
        "abandoned_calls": Count("resolution = 'abandoned'"),
        "other_resolution_calls": Count("resolution = 'other'"),
        "calls_with_sentiment": Count("sentiment is not null"),
        "positive_calls": Count("sentiment = 'positive'"),
        "calls_with_corrections_measured": Count("user_corrections is not null"),
        "calls_without_corrections": Count("user_corrections = 0"),
        "calls_with_cached_token_ratio": Count("cached_token_ratio is not null"),
        "cached_token_ratio_sum": "cached_token_ratio",
        "calls_with_stt_confidence": Count("stt_confidence is not null"),
        "stt_confidence_sum": "stt_confidence",
        "tool_calls_with_outcome": "tool_calls_with_outcome",
        "tool_calls_succeeded": "tool_calls_succeeded",
    },
    floats=frozenset(
        {
            "duration_sum_s",
            "cost_sum_usd",
            "stt_cost_sum_usd",
            "llm_cost_sum_usd",
            "tts_cost_sum_usd",
            *(f"{stage}_latency_sum_ms" for stage in ("stt", "llm", "tts", "total")),
            "cached_token_ratio_sum",
            "stt_confidence_sum",
        }
    ),
)
DURATIONS = Family(
    hourly="marts.rpt_call_durations_hourly",
    facts="select * from partial_calls where duration_bucket is not null",
    components={"calls": Count()},
)
OUTCOMES = Family(
    hourly="marts.rpt_call_outcomes_hourly",
    facts="select * from partial_calls",
    components={"calls": Count()},
)
ESCALATION_REASONS = Family(
    hourly="marts.rpt_escalation_reasons_hourly",
    facts="select * from partial_calls where is_escalated and escalation_reason is not null",
    components={
        "escalated_calls": Count(),
        "calls_with_escalation_time": Count("seconds_before_escalation is not null"),
        "seconds_before_escalation_sum": "seconds_before_escalation",
    },
    floats=frozenset({"seconds_before_escalation_sum"}),
)
TURN_LATENCIES = Family(
    hourly="marts.rpt_turn_latencies_hourly",
    facts=(
        "select call_started_at as started_at, org_id, agent_id, latency_bucket"
        " from partial_turns where latency_bucket is not null"
    ),
    components={"turns": Count()},
)

# The pipeline stages, in the order that decides a call's first stage of each provider.
STAGES = ("stt", "llm", "tts")


def by_stage(templates: Mapping[str, str]) -> str:
    """For the stage of a row of STAGE_ROWS, the expression `templates` maps it to."""
    cases = " ".join(f"when '{stage}' then {template}" for stage, template in templates.items())
    return f"case stages.provider_type {cases} end"


def each_stage(template: str) -> dict[str, str]:
    """`template`, which uses {stage}, for each stage."""
    return {stage: template.format(stage=stage) for stage in STAGES}


# Each row once per stage (`stages.provider_type`): one read of the rows, where a select per
# stage, unioned, read them once each (2 ms more a statement at 10 M calls).
STAGE_ROWS = (
    "cross join (values "
    + ", ".join(f"('{stage}')" for stage in STAGES)
    + ") as stages (provider_type)"
)


def _stage_rows(columns: Mapping[str, str], first_of_provider: bool) -> str:
    """A row per call and stage with a provider, from partial_calls: `columns` maps each
    column's name to its expression, which uses {stage}; with `first_of_provider`, only the
    first stage (in STAGES' order) of each provider of a call."""
    provider = by_stage(each_stage("{stage}_provider"))
    conditions = [f"{provider} is not null"]
    if first_of_provider:
        earlier = {
            stage: " and ".join(
                f"{stage}_provider is distinct from {other}_provider" for other in STAGES[:position]
            )
            or "true"
            for position, stage in enumerate(STAGES)
        }
        conditions.append(by_stage(earlier))
    named = "".join(
        f", {by_stage(each_stage(template))} as {name}" for name, template in columns.items()
    )
    return (
        f"select started_at, org_id, agent_id, stages.provider_type, {provider} as provider_name"
        f"{named} from partial_calls {STAGE_ROWS} where {' and '.join(conditions)}"
    )


PROVIDER_ERRORS = Family(
    hourly="marts.rpt_provider_errors_hourly",
    facts=_stage_rows({"has_provider_error": "has_{stage}_provider_error"}, first_of_provider=True),
    components={"calls": Count(), "error_calls": Count("has_provider_error")},
)
PROVIDER_LATENCY = Family(
    hourly="marts.rpt_provider_latency_hourly",
    facts=_stage_rows(
        {"latency_sum_ms": "{stage}_latency_sum_ms", "latency_turns": "{stage}_latency_turns"},
        first_of_provider=False,
    ),
    components={
        "calls_with_latency": Count("latency_turns > 0"),
        "latency_sum_ms": "latency_sum_ms",
        "latency_turns": "latency_turns",
    },
    floats=frozenset({"latency_sum_ms"}),
    has_agents=False,
)


# A fact row's UTC hour, by which `_edge_hours` keeps its rows.
_STARTED_HOUR = "date_trunc('hour', started_at) as started_hour"


def in_spans(spans: Sequence[Span], column: str) -> tuple[str, list]:
    """Rows whose `column` lies in any of `spans`."""
    clauses, parameters = [], []
    for span in spans:
        clause, span_parameters = span.predicate(column)
        clauses.append(f"({clause})")
        parameters += span_parameters
    return " or ".join(clauses), parameters


# The columns of the call-grain facts a partial hours' read may name. The read selects only
# those its statement names: binding every column of a wide table (`select *` over the 92 of
# fct_calls) cost more than reading the partial hours (docs/decisions.md).
_SUM_PARTS = ("sum_ms", "turns")
_FACT_COLUMNS = {
    "marts.fct_calls": (
        "started_at", "org_id", "agent_id", "workflow_id", "is_completed", "is_failed",
        "duration_s", "duration_bucket", "cost_usd", "stt_cost_usd", "llm_cost_usd",
        "tts_cost_usd", "total_tokens", "turns", "has_barge_in", "has_error", "is_escalated",
        "escalation_reason", "seconds_before_escalation", "resolution", "outcome_or_status",
        "sentiment", "user_corrections", "cached_token_ratio", "stt_confidence",
        "tool_calls_with_outcome", "tool_calls_succeeded",
        *(f"{stage}_latency_{part}" for stage in (*STAGES, "total") for part in _SUM_PARTS),
        *(f"{stage}_provider" for stage in STAGES),
        *(f"has_{stage}_provider_error" for stage in STAGES),
    ),
    "marts.fct_call_turn_latencies": (
        "call_started_at", "org_id", "agent_id", "latency_bucket",
        *(f"{stage}_{part}" for stage in STAGES for part in ("provider", "latency_ms")),
    ),
}  # fmt: skip


def partial_facts(
    partial: Sequence[Span], selection: Selection, turns: bool, reads: str
) -> tuple[list[str], list]:
    """The CTE `partial_calls` (with `turns`, `partial_turns`) of the facts in the partial
    hours and the selection, with its parameters; none without partial hours. It holds the
    start column and the columns `reads` (the SQL that reads it) names."""
    if not partial:
        return [], []
    name, table, column = (
        ("partial_turns", "marts.fct_call_turn_latencies", "call_started_at")
        if turns
        else ("partial_calls", "marts.fct_calls", "started_at")
    )
    named = set(re.findall(r"\w+", reads))
    columns = ", ".join(
        listed for listed in _FACT_COLUMNS[table] if listed == column or listed in named
    )
    spans_clause, span_parameters = in_spans(partial, column)
    in_selection, selection_parameters = selection.predicate()
    return (
        [f"{name} as (select {columns} from {table} where ({spans_clause}) and {in_selection})"],
        [*span_parameters, *selection_parameters],
    )


def rollup_reads(
    periods: Periods,
    daily: str | None,
    hourly: str,
    selection: Selection,
    with_agents: bool = True,
) -> list[tuple[str, str, str, list]]:
    """`(table, time column, where, parameters)` of each rollup that answers some of the whole
    periods: `daily` (by `started_date`) the days, `hourly` (by `started_hour`) the hours."""
    in_selection, selection_parameters = selection.predicate(with_agents=with_agents)
    reads = []
    for table, column, spans in (
        (daily, "started_date", periods.days),
        (hourly, "started_hour", periods.hours),
    ):
        if spans:
            spans_clause, span_parameters = in_spans(spans, column)
            reads.append(
                (
                    table,
                    column,
                    f"({spans_clause}) and {in_selection}",
                    [*span_parameters, *selection_parameters],
                )
            )
    return reads


def with_clause(ctes: Sequence[str]) -> str:
    return f"with {', '.join(ctes)} " if ctes else ""


def aggregate(
    marts: Publication,
    family: Family,
    selection: Selection,
    by: Sequence[str] = (),
    grain: str | None = None,
    boundaries: np.ndarray | None = None,
    components: Sequence[str] | None = None,
) -> list[dict]:
    """The sums of `family`'s `components` (all by default: a query reads only the columns it
    names) over the selection (`keyed_sums`), one dict per key keyed by column name: the
    dimensions `by` and, with `grain`, `period_start`; without either, one dict (zeros over an
    empty selection)."""
    names = list(components or family.components)
    totals = keyed_sums(marts, family, selection, names, by, grain, boundaries)
    dimensions = [*(["period_start"] if grain else []), *by]
    if not totals:
        return [] if dimensions else [dict.fromkeys(names, 0)]
    return [
        dict(zip([*dimensions, *names], [*key, *values], strict=True))
        for key, values in totals.items()
    ]


def keyed_sums(
    marts: Publication,
    family: Family,
    selection: Selection,
    names: Sequence[str],
    by: Sequence[str] = (),
    grain: str | None = None,
    boundaries: np.ndarray | None = None,
) -> dict[tuple, list]:
    """The sums of `family`'s components `names` over the selection, as `{key: [sums in the
    order of names]}`, one key per value of the dimensions `by` (an empty key without them).

    With `grain` ("hour" or "day"), the key starts with `period_start`: the start of a rollup
    row's UTC hour or day (hours only for "hour"), or of a partial hour's call's hour (its
    minute when a boundary is not on a whole hour, its second when one is not on a whole
    minute). No period straddles one of `boundaries` (INSTANT, in order), so each lies in one
    bucket of a series whose buckets start there.

    The whole periods' sums are a lasting statement (`Publication.lasting_rows`): a window that
    slides by less than an hour, as a polling dashboard's does, reads again only its partial
    hours (docs/decisions.md, Whole periods kept). Where lasting answers are kept, one org's
    selection reads them for every org at once (`by_org`). Callers must not change the lists.
    """
    periods = cut(
        selection.window,
        daily=family.daily is not None and grain != "hour",
        boundaries=boundaries,
    )
    dimensions = [*(["period_start"] if grain else []), *by]
    sums = [f"{_sum_sql(name, name in family.floats)} as {name}" for name in names]
    org, read_selection, lead = by_org(marts, selection)
    grouping = f" group by {', '.join([*lead, *dimensions])}" if lead or dimensions else ""
    parts, parameters = [], []
    for table, column, where, read_parameters in rollup_reads(
        periods, family.daily, family.hourly, read_selection, with_agents=family.has_agents
    ):
        moment = [f"cast({column} as timestamp) as period_start"] if grain else []
        parts.append(
            f"select {', '.join([*lead, *moment, *by, *names])} from {table} where {where}"
        )
        parameters += read_parameters
    keyed = _Keyed(len(dimensions))
    # the kept lists are never changed: a partial hour's sums replace a key's list
    totals: dict[tuple, list] = (
        dict(
            lasting_of(
                org,
                marts.lasting_rows,
                f"select {', '.join([*lead, *dimensions, *sums])}"
                f" from ({' union all '.join(parts)}) as parts{grouping}",
                parameters,
                keyed,
                {},
            )
        )
        if parts
        else {}
    )
    if periods.partial:
        unit = next(
            (
                unit
                for unit, step in (("hour", HOUR), ("minute", MINUTE))
                if boundaries is None or on_whole(boundaries, step).all()
            ),
            "second",
        )
        moment = [f"date_trunc('{unit}', started_at) as period_start"] if grain else []
        read = _edge_hours if marts.keeps_answers else _partial_hours
        partial = read(marts, family, selection, periods.partial, [*moment, *by], dimensions, names)
        for key, values in partial.items():
            kept = totals.get(key)
            totals[key] = values if kept is None else list(map(add, kept, values))
    return totals


def by_org(marts: Publication, selection: Selection) -> tuple[str | None, Selection, list[str]]:
    """How a lasting statement reads `selection`: `(org, selection read, leading columns)`.
    Where lasting answers are kept and the selection is one org's (`Selection.one_org`), the
    statement reads every org's rows, led by `org_id` (`ByOrg`), so the first request of any
    org takes its answer from what another org's request or the warm-up read (docs/decisions.md,
    Lasting answers by org); otherwise `(None, selection, [])`."""
    org = selection.one_org() if marts.keeps_answers else None
    if org is None:
        return None, selection, []
    return org, selection.of_every_org(), ["org_id"]


def lasting_of(
    org: str | None,
    read: Callable[..., Any],
    sql: str,
    parameters: Sequence,
    shape: Callable[[Any], Any],
    empty: Any,
) -> Any:
    """The answer of `read` (a publication's `lasting_rows` or `lasting_columns`) to `sql`,
    shaped by `shape`; with an `org` (`by_org`), the answer read by org (`ByOrg`) and that
    org's part of it, `empty` where it has none."""
    if org is None:
        return read(sql, parameters, shape=shape)
    return read(sql, parameters, shape=ByOrg(shape)).get(org, empty)


@dataclass(frozen=True)
class ByOrg:
    """Rows or columns whose first is `org_id` (rows of one org together, in the statement's
    order) as `{org_id: shape(that org's rows or columns without it)}`; also a lasting
    answer's shape, `shape` being one."""

    shape: Callable[[Any], Any]

    def __call__(self, answer: list[tuple] | dict[str, np.ndarray]) -> dict[str, Any]:
        if isinstance(answer, dict):
            names = list(answer)
            orgs = answer[names[0]]
            return {
                org: self.shape({name: answer[name][orgs == org] for name in names[1:]})
                for org in dict.fromkeys(orgs.tolist())
            }
        grouped: dict[str, list[tuple]] = {}
        for row in answer:
            grouped.setdefault(row[0], []).append(row[1:])
        return {org: self.shape(rows) for org, rows in grouped.items()}


@dataclass(frozen=True)
class _Keyed:
    """Rows with one row per key, whose first `width` columns are the key, as `{key: [the
    other columns]}`; also a lasting answer's shape (`Publication.lasting_rows`), equal for
    equal widths, so one width's answers are kept under one shape."""

    width: int

    def __call__(self, rows: list[tuple]) -> dict[tuple, list]:
        return {row[: self.width]: list(row[self.width :]) for row in rows}


def _row_value(family: Family, name: str) -> str:
    """The component `name` of `family` on one row of the facts: what the row adds to it."""
    component = family.components[name]
    if isinstance(component, Count):
        return component.row_sql()
    if name in family.floats:
        return f"coalesce({component}, 0)"
    return f"coalesce(cast({component} as bigint), 0)"


def _partial_sum(family: Family, name: str) -> str:
    """The component `name` of `family` over the facts' rows as one aggregate: a count as
    `count`, with no `coalesce(cast(sum(...)))` around it, is fewer expressions for DuckDB to
    plan (docs/decisions.md)."""
    component = family.components[name]
    if isinstance(component, Count):
        return component.sql()
    return _sum_sql(component, name in family.floats)


def _partial_hours(
    marts: Publication,
    family: Family,
    selection: Selection,
    partial: Sequence[Span],
    keys: Sequence[str],
    dimensions: Sequence[str],
    names: Sequence[str],
) -> dict[tuple, list]:
    """The components `names` of `family` over its facts in the `partial` spans, per key (the
    columns `keys`, named `dimensions`), as `{key: [sums]}`: one statement."""
    sums = [f"{_partial_sum(family, name)} as {name}" for name in names]
    grouping = f" group by {', '.join(dimensions)}" if dimensions else ""
    statement = f"select {', '.join([*keys, *sums])} from ({family.facts}) as facts{grouping}"
    ctes, parameters = partial_facts(
        partial, selection, "partial_turns" in family.facts, reads=statement
    )
    return _Keyed(len(keys))(marts.rows(with_clause(ctes) + statement, parameters))


def _edge_hours(
    marts: Publication,
    family: Family,
    selection: Selection,
    partial: Sequence[Span],
    keys: Sequence[str],
    dimensions: Sequence[str],
    names: Sequence[str],
) -> dict[tuple, list]:
    """As `_partial_hours`, from the facts' rows of the whole UTC hours that hold the spans,
    each with its key, instant and components, as running sums (`_RunningSums`): a lasting
    statement, so a window whose edges stay in the same hours, as a polling dashboard's do,
    reads no facts (docs/decisions.md, Edge hours kept)."""
    values = [f"{_row_value(family, name)} as {name}" for name in names]
    org, read_selection, lead = by_org(marts, selection)
    order = ", ".join([*lead, "started_hour", *dimensions, "started_at"])
    statement = (
        f"select {', '.join([*lead, _STARTED_HOUR, *keys, 'started_at', *values])}"
        f" from ({family.facts}) as facts order by {order}"
    )
    ctes, parameters = partial_facts(
        hours_holding(partial),
        read_selection,
        "partial_turns" in family.facts,
        reads=statement,
    )
    running = lasting_of(
        org,
        marts.lasting_columns,
        with_clause(ctes) + statement,
        parameters,
        _RunningSums(len(keys), tuple(name in family.floats for name in names)),
        {},
    )
    sums: dict[tuple, list] = {}
    for span in partial:
        for hour, part in _in_hours(span):
            for key, key_sums in running.get(hour, {}).items():
                values = key_sums.between(part)
                if values is not None:
                    kept = sums.get(key)
                    sums[key] = values if kept is None else list(map(add, kept, values))
    return sums


def hours_holding(partial: Sequence[Span]) -> list[Span]:
    """The whole UTC hours that hold the bounded spans `partial`, in order: what an edge
    hours' lasting statement reads."""
    hours = sorted({hour for span in partial for hour, _ in _in_hours(span)})
    return [Span(hour, hour + HOUR) for hour in hours]


def _in_hours(span: Span) -> Iterator[tuple[datetime, Span]]:
    """`(hour, part)`: the part of a bounded `span` in each UTC hour it touches."""
    hour = floor(span.start, HOUR)
    while hour < span.end:
        yield hour, Span(max(span.start, hour), min(span.end, hour + HOUR))
        hour += HOUR


@dataclass(frozen=True)
class _Running:
    """One key's rows of one hour: their instants in order and, for the integer and the
    float sums apart (`floats` tells which sum is which), the rows' values (`rows`) and the
    sums of the rows before each position (`before`, starting with zeros) and from it on
    (`after`, ending with zeros)."""

    instants: np.ndarray
    floats: tuple[bool, ...]
    rows: tuple[np.ndarray, np.ndarray]
    before: tuple[np.ndarray, np.ndarray]
    after: tuple[np.ndarray, np.ndarray]

    def between(self, part: Span) -> list | None:
        """The sums over the rows in `part` (an hour, or part of one); None without rows. A
        part that reaches either end of the rows reads one running sum; a part inside them
        adds its rows (a difference of running sums would show in the last digits of a
        float: 46.53499999999997 for one call of 46.535 s after one of 1000.1 s)."""
        # the bounds as datetime64: Python datetimes would make numpy convert every instant
        bounds = np.array([part.start, part.end], dtype=self.instants.dtype)
        first, last = np.searchsorted(self.instants, bounds).tolist()
        if first == last:
            return None
        if last == len(self.instants):
            integers, reals = (sums[first] for sums in self.after)
        elif first == 0:
            integers, reals = (sums[last] for sums in self.before)
        else:
            integers, reals = (block[first:last].sum(axis=0) for block in self.rows)
        values = iter(integers.tolist()), iter(reals.tolist())
        return [next(values[is_float]) for is_float in self.floats]


@dataclass(frozen=True)
class _RunningSums:
    """The columns `(started_hour, key, started_at, sums)` of fact rows ordered by hour, key
    and instant, whose key is `width` columns, as `{hour: {key: _Running}}`; `floats` tells
    which sums are floats (the others are integers). Also a lasting answer's shape."""

    width: int
    floats: tuple[bool, ...]

    def __call__(self, columns: dict[str, np.ndarray]) -> dict[datetime, dict[tuple, _Running]]:
        hours, *keys, instants = list(columns.values())[: self.width + 2]
        sums = list(columns.values())[self.width + 2 :]
        kinds: dict[bool, list[np.ndarray]] = {False: [], True: []}
        for column, is_float in zip(sums, self.floats, strict=True):
            kinds[is_float].append(column)
        matrices = [
            np.column_stack(kinds[kind]).astype(dtype)
            if kinds[kind]
            else np.zeros((len(instants), 0), dtype)
            for kind, dtype in ((False, np.int64), (True, np.float64))
        ]
        running: dict[datetime, dict[tuple, _Running]] = {}
        rows = list(zip(hours.tolist(), *(key.tolist() for key in keys), strict=True))
        starts = [row for row in range(len(rows)) if row == 0 or rows[row] != rows[row - 1]]
        for start, end in pairwise([*starts, len(rows)]):
            hour, *key = rows[start]
            blocks = [matrix[start:end] for matrix in matrices]
            running.setdefault(hour, {})[tuple(key)] = _Running(
                instants[start:end],
                self.floats,
                (blocks[0], blocks[1]),
                tuple(_cumulative(block) for block in blocks),
                tuple(_cumulative(block[::-1])[::-1] for block in blocks),
            )
        return running


def _cumulative(block: np.ndarray) -> np.ndarray:
    """The running sums of `block`'s rows, from a row of zeros."""
    return np.concatenate([np.zeros((1, block.shape[1]), block.dtype), block.cumsum(axis=0)])
