"""STT connection events (seed 000): the list and the connection-health summary, windowed by
`created_at`; an event is in scope through the call it belongs to (metrics.md, STT events)."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

import numpy as np
import orjson

from api.marts import Publication
from api.params import Window
from api.queries import measures
from api.queries.periods import HOUR, Periods, Span, cut, floor
from api.queries.records import read_ahead, spanned
from api.queries.rollups import in_spans
from api.queries.selection import Selection
from api.serialize import timestamp

EVENT_TYPES = (
    "connection_opened",
    "connection_closed",
    "connection_rejected",
    "timeout",
    "error",
    "utterance_end_fallback",
)


def _events(
    selection: Selection, call_sid: str | None = None, event_type: str | None = None
) -> tuple[str, list]:
    """The selection's events as a predicate on marts.fct_stt_events_by_time."""
    in_selection, parameters = selection.predicate(with_agents=False)
    in_window, window_parameters = selection.window.predicate("created_at")
    clauses, parameters = [in_selection, in_window], [*parameters, *window_parameters]
    for column, value in (("call_sid", call_sid), ("event_type", event_type)):
        if value is not None:
            clauses.append(f"{column} = ?")
            parameters.append(value)
    return " and ".join(clauses), parameters


def stt_events(
    marts: Publication,
    selection: Selection,
    limit: int,
    call_sid: str | None = None,
    event_type: str | None = None,
) -> list[dict]:
    """The newest `limit` events, newest first, then by id.

    Where lasting answers are kept, the page's keys (event id and time) come from two lasting
    statements (`_newest_keys`), and its events are kept one by one
    (`Publication.lasting_items`), so a window that slides within its hours, as a polling
    dashboard's does, reads no events (docs/decisions.md, Newest events kept); otherwise
    from one statement of the window's events."""
    if not marts.keeps_answers:
        where, parameters = _events(selection, call_sid, event_type)
        rows = marts.rows(
            f"select {_EVENT_COLUMNS} from marts.fct_stt_events_by_time"
            f" where {where} order by {_NEWEST_FIRST} limit ?",
            [*parameters, limit],
        )
        return [_event(*row) for row in rows]
    keys = _newest_keys(marts, selection, read_ahead(limit), call_sid, event_type)
    return marts.lasting_items(event_records, keys[:limit], ahead=keys[limit:])


_EVENT_COLUMNS = "event_id, call_sid, event_type, provider_name, model, detail, created_at"
_NEWEST_FIRST = 'created_at desc, event_id collate "C"'


def _newest_keys(
    marts: Publication,
    selection: Selection,
    count: int,
    call_sid: str | None,
    event_type: str | None,
) -> list[tuple[str, datetime]]:
    """The keys `(event_id, created_at)` of the window's newest `count` events, newest first,
    then by id, from two lasting statements whose bounds are whole UTC hours: every key of
    the hour that holds the window's upper bound, and the newest `count` keys from the hour
    that holds its lower bound to that hour. The window's keys among the latter are their
    newest: they are all the window has before the upper bound's hour unless there are
    `count` of them."""
    window = selection.window
    lower = None if window.lower is None else floor(window.lower, HOUR)
    last_hour = None if window.upper is None else floor(window.upper, HOUR)
    keys = []
    if last_hour is not None:
        hour = Window(last_hour, last_hour + HOUR, upper_inclusive=False)
        keys = _keys(marts, replace(selection, window=hour), call_sid, event_type, None)
        keys = keys.within(window, count)
    if len(keys) < count:
        before = Window(lower, last_hour, upper_inclusive=False)
        earlier = _keys(marts, replace(selection, window=before), call_sid, event_type, count)
        keys += earlier.within(window, count - len(keys))
    return keys


def _keys(
    marts: Publication,
    selection: Selection,
    call_sid: str | None,
    event_type: str | None,
    count: int | None,
) -> "_Keys":
    """The keys of the selection's newest `count` events (all without a count), a lasting
    statement."""
    where, parameters = _events(selection, call_sid, event_type)
    limit, limit_parameters = ("", []) if count is None else (" limit ?", [count])
    return marts.lasting_columns(
        "select event_id, created_at from marts.fct_stt_events_by_time"
        f" where {where} order by {_NEWEST_FIRST}{limit}",
        [*parameters, *limit_parameters],
        shape=_Keys,
    )


@dataclass(frozen=True)
class _Keys:
    """The columns `(event_id, created_at)` of events, newest first, then by id (a lasting
    answer's shape)."""

    columns: dict[str, np.ndarray]

    def within(self, window: Window, count: int) -> list[tuple[str, datetime]]:
        """The keys of the first `count` events in `window`, in their order."""
        inside = _inside(window, self.columns["created_at"])
        ids, created_at = (self.columns[name][inside][:count] for name in self.columns)
        return list(zip(ids.tolist(), created_at.tolist(), strict=True))


def event_records(marts: Publication, keys: list[tuple[str, datetime]]) -> dict[tuple, dict]:
    """The JSON object of each event of `keys` (event id, time), by its key."""
    rows = marts.rows(
        f"select {_EVENT_COLUMNS} from marts.fct_stt_events_by_time"
        " where created_at between ? and ? and event_id = any(?)",
        spanned(keys),
    )
    by_key = {(row[0], row[-1]): _event(*row) for row in rows}
    return {key: by_key[key] for key in keys}


def _event(event_id, call_sid, event_type, provider, model, detail, created_at) -> dict:
    return {
        "id": event_id,
        "call_sid": call_sid,
        "event_type": event_type,
        "provider_name": provider,
        "model": model,
        "detail": orjson.loads(detail) if detail is not None else None,
        "created_at": timestamp(created_at),
    }


def stt_summary(marts: Publication, selection: Selection) -> dict:
    """Counts per event type, and the mean time from each connection's first opening to the
    first closing after it, both among the window's events only (docs/decisions.md).

    The window's whole hours are a lasting statement (`_whole_hours`): it depends on the
    scope and the whole hours only, so a window that slides by less than an hour reads again
    only its partial hours' events and the connections its edges cut (`_cut`)."""
    periods = cut(selection.window, daily=False)
    counts: dict[str, int] = {}
    connections, duration_sum_s, cut_hours = 0, 0.0, []

    def add(rows: list[tuple]) -> None:
        nonlocal connections, duration_sum_s
        for event_type, first_event_hour, count, sum_s in rows:
            if event_type is not None:
                counts[event_type] = counts.get(event_type, 0) + int(count)
            elif first_event_hour is not None:
                cut_hours.append(first_event_hour)
            else:
                connections += int(count)
                duration_sum_s += float(sum_s or 0)

    add(marts.lasting_rows(*_whole_hours(selection, periods)))
    reads = []
    if periods.partial:
        events = _events_per_type(
            "marts.fct_stt_events_by_time", "created_at", "count(*)", periods.partial, selection
        )
        reads.append(partial(marts.rows, *events))
    if cut_hours:
        reads.append(partial(_cut, marts, selection, periods, cut_hours))
    for rows in marts.together(*reads):
        add(rows)
    opened, rejected, timeouts = (
        counts.get(name, 0) for name in ("connection_opened", "connection_rejected", "timeout")
    )
    return {
        "total_events": sum(counts.values()),
        "connections_opened": opened,
        "connections_closed": counts.get("connection_closed", 0),
        "connections_rejected": rejected,
        "timeouts": timeouts,
        "errors": counts.get("error", 0),
        "utterance_end_fallbacks": counts.get("utterance_end_fallback", 0),
        "avg_connection_duration_s": measures.ratio(duration_sum_s, connections, None),
        "rejection_rate": measures.ratio(rejected, opened + rejected),
        "timeout_rate": measures.ratio(timeouts, opened),
    }


def _whole_hours(selection: Selection, periods: Periods) -> tuple[str, list]:
    """What the window's whole hours answer, as rows `(event_type, first_event_hour,
    count, duration_sum_s)`: events per type from the hourly rollup (`event_type` set); the
    connections of one org whose first and last events lie in the whole hours (all their
    events are the window's), as one row of their count and duration sum (both keys null);
    and one row per first event hour of the other connections the window may hold, whose
    durations `_cut` takes from their events (`first_event_hour` set). Its parameters are
    whole hours, so the statement lasts as long as they do."""
    whole, whole_parameters = _whole(periods)
    in_selection, selection_parameters = selection.predicate(with_agents=False)
    hour_overlaps, hour_parameters = _hour_overlaps(selection.window)
    parts = [
        f"""
        select
            null as event_type,
            case when {whole} then null else first_event_hour end as first_event_hour,
            sum(connections_with_duration) as count,
            sum(duration_sum_s) as duration_sum_s
        from marts.rpt_stt_connections_hourly
        where {in_selection} and {hour_overlaps}
            and (connections_with_duration > 0 or not is_single_org)
        group by 2
        """
    ]
    parameters = [*whole_parameters, *selection_parameters, *hour_parameters]
    if periods.hours:
        events, events_parameters = _events_per_type(
            "marts.rpt_stt_events_hourly", "created_hour", "sum(events)", periods.hours, selection
        )
        parts.append(events)
        parameters += events_parameters
    return " union all ".join(parts), parameters


def _cut(
    marts: Publication, selection: Selection, periods: Periods, cut_hours: list[datetime]
) -> list[tuple]:
    """The count and duration sum of the connections first seen in `cut_hours`, each from its
    first opening in the window to the first closing after it in the window, as one row of
    `_whole_hours`' columns (both keys null). Where lasting answers are kept, from the
    connections' events kept (`_CutConnections`); otherwise from one statement."""
    if marts.keeps_answers:
        connections = marts.lasting_columns(
            *_cut_events(selection, periods, cut_hours), shape=_cut_connections
        )
        return [(None, None, *connections.durations(selection.window))]
    ctes, parameters = _cut_durations(selection, periods, cut_hours)
    return marts.rows(
        f"{ctes} select null, null, count(*), sum(duration_s) from cut_durations", parameters
    )


def _cut_events(
    selection: Selection, periods: Periods, cut_hours: list[datetime]
) -> tuple[str, list]:
    """The openings and closings (`is_closing`) of the connections first seen in `cut_hours`
    that are not wholly in the window's whole hours, as rows `(connection_key, is_closing,
    created_at)` in order of connection and instant: a lasting statement, as its parameters
    are hours (`_CutConnections` takes the window's part from it)."""
    whole, whole_parameters = _whole(periods)
    in_selection, selection_parameters = selection.predicate(with_agents=False)
    sql = f"""
        with connections as (
            select connection_key, opened_ats, closed_ats
            from marts.fct_stt_connections
            where first_event_hour = any(?) and {in_selection} and not ({whole})
                and (duration_s is not null or not is_single_org)
        )
        select connection_key, false as is_closing, unnest(opened_ats) as created_at
        from connections
        union all
        select connection_key, true, unnest(closed_ats) from connections
        order by connection_key, created_at
        """
    return sql, [sorted(cut_hours), *selection_parameters, *whole_parameters]


@dataclass(frozen=True)
class _CutConnections:
    """Some connections' openings and closings, each as `(connection, created_at)` arrays in
    order of connection, then instant; `connections` is how many connections there are (their
    numbers start at 0)."""

    openings: tuple[np.ndarray, np.ndarray]
    closings: tuple[np.ndarray, np.ndarray]
    connections: int

    def durations(self, window: Window) -> tuple[int, float]:
        """How many of the connections have a duration in `window`, and the sum of those
        durations (s): each from its first opening in the window to the first closing after
        it in the window (docs/decisions.md)."""
        connections, created_at = self.openings
        inside = _inside(window, created_at)
        opened, first = np.unique(connections[inside], return_index=True)
        opened_at = np.full(self.connections, np.datetime64("NaT", "us"))
        opened_at[opened] = created_at[inside][first]
        connections, created_at = self.closings
        after = _inside(window, created_at) & (created_at > opened_at[connections])
        closed, first = np.unique(connections[after], return_index=True)
        seconds = (created_at[after][first] - opened_at[closed]) / np.timedelta64(1, "s")
        return len(seconds), float(seconds.sum())


def _cut_connections(columns: dict[str, np.ndarray]) -> _CutConnections:
    """The columns of `_cut_events` as `_CutConnections` (a lasting answer's shape)."""
    keys, connections = np.unique(columns["connection_key"], return_inverse=True)
    closing, created_at = columns["is_closing"], columns["created_at"]
    return _CutConnections(
        (connections[~closing], created_at[~closing]),
        (connections[closing], created_at[closing]),
        len(keys),
    )


def _inside(window: Window, instants: np.ndarray) -> np.ndarray:
    """Which of `instants` (datetime64) lie in `window`."""
    inside = np.ones(len(instants), dtype=bool)
    if window.lower is not None:
        inside &= instants >= np.datetime64(window.lower, "us")
    if window.upper is not None:
        upper = np.datetime64(window.upper, "us")
        inside &= instants <= upper if window.upper_inclusive else instants < upper
    return inside


def _events_per_type(
    table: str, column: str, count: str, spans: Sequence[Span], selection: Selection
) -> tuple[str, list]:
    """Rows of `_whole_hours`' columns with the events per type of `table` whose `column`
    lies in `spans`, counted as `count`."""
    in_periods, period_parameters = in_spans(spans, column)
    in_selection, selection_parameters = selection.predicate(with_agents=False)
    return (
        f"select event_type, null, {count}, null from {table}"
        f" where ({in_periods}) and {in_selection} group by event_type",
        [*period_parameters, *selection_parameters],
    )


def _cut_durations(
    selection: Selection, periods: Periods, cut_hours: list[datetime]
) -> tuple[str, list]:
    """The CTE `cut_durations` (`duration_s`) of the connections first seen in `cut_hours`
    that are not wholly in the window's whole hours, from their events in the window."""
    whole, whole_parameters = _whole(periods)
    in_selection, selection_parameters = selection.predicate(with_agents=False)
    window = selection.window
    overlaps, overlap_parameters = _overlaps(window, "first_event_at", "last_event_at")
    opened_in_window, opened_parameters = window.predicate("openings.created_at")
    closed_in_window, closed_parameters = window.predicate("closings.created_at")
    ctes = f"""
        with connections as (
            select connection_key, opened_ats, closed_ats
            from marts.fct_stt_connections
            where first_event_hour = any(?)
                and {in_selection} and {overlaps} and not ({whole})
                and (duration_s is not null or not is_single_org)
        ),
        openings as (select connection_key, unnest(opened_ats) as created_at from connections),
        closings as (select connection_key, unnest(closed_ats) as created_at from connections),
        first_openings as (
            select connection_key, min(created_at) as opened_at
            from openings
            where {opened_in_window}
            group by connection_key
        ),
        cut_durations as (
            select
                extract(epoch from min(closings.created_at) - first_openings.opened_at)
                    as duration_s
            from first_openings
            join closings
                on closings.connection_key = first_openings.connection_key
                and closings.created_at > first_openings.opened_at
            where {closed_in_window}
            group by first_openings.connection_key, first_openings.opened_at
        )
        """
    return ctes, [
        cut_hours,
        *selection_parameters,
        *overlap_parameters,
        *whole_parameters,
        *opened_parameters,
        *closed_parameters,
    ]


def _whole(periods: Periods) -> tuple[str, list]:
    """Connections of one org whose first and last event hours are whole hours of the window."""
    if not periods.hours:
        return "false", []
    [hours] = periods.hours
    clauses, parameters = ["is_single_org"], []
    if hours.start is not None:
        clauses.append("first_event_hour >= ?")
        parameters.append(hours.start)
    if hours.end is not None:
        clauses.append("last_event_hour < ?")
        parameters.append(hours.end)
    return " and ".join(clauses), parameters


def _overlaps(window: Window, first: str, last: str) -> tuple[str, list]:
    """Rows whose [first, last] (instants) may hold an instant of the window."""
    clauses, parameters = [], []
    if window.lower is not None:
        clauses.append(f"{last} >= ?")
        parameters.append(window.lower.replace(minute=0, second=0, microsecond=0))
    if window.upper is not None:
        clauses.append(f"{first} {'<=' if window.upper_inclusive else '<'} ?")
        parameters.append(window.upper)
    return " and ".join(clauses) or "true", parameters


def _hour_overlaps(window: Window) -> tuple[str, list]:
    """Hourly rows whose [first_event_hour, last_event_hour] may hold an instant of the
    window, with the window's bounds as whole hours (the same rows: an hour is its start)."""
    lower = None if window.lower is None else floor(window.lower, HOUR)
    upper = None if window.upper is None else floor(window.upper, HOUR)
    on_hour = upper is not None and upper == window.upper and not window.upper_inclusive
    hours = Window(lower, upper, upper_inclusive=not on_hour)
    return _overlaps(hours, "first_event_hour", "last_event_hour")
