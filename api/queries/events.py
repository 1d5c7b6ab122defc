"""STT connection events (seed 000): the list and the connection-health summary, windowed by
`created_at`; an event is in scope through the call it belongs to (metrics.md, STT events)."""

import orjson

from api.marts import Publication
from api.params import Window
from api.queries import measures
from api.queries.periods import Periods, cut
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
    """The newest `limit` events, newest first, then by id."""
    where, parameters = _events(selection, call_sid, event_type)
    rows = marts.rows(
        f"""
        select event_id, call_sid, event_type, provider_name, model, detail, created_at
        from marts.fct_stt_events_by_time
        where {where}
        order by created_at desc, event_id collate "C"
        limit ?
        """,
        [*parameters, limit],
    )
    return [
        {
            "id": event_id,
            "call_sid": call_sid,
            "event_type": event_type,
            "provider_name": provider,
            "model": model,
            "detail": orjson.loads(detail) if detail is not None else None,
            "created_at": timestamp(created_at),
        }
        for event_id, call_sid, event_type, provider, model, detail, created_at in rows
    ]


def stt_summary(marts: Publication, selection: Selection) -> dict:
    """Counts per event type, and the mean time from each connection's first opening to the
    first closing after it, both among the window's events only: one statement, whose rows
    are `(part, event_type, count, duration_sum_s)` (docs/decisions.md)."""
    periods = cut(selection.window, daily=False)
    event_parts, event_parameters = _event_counts(selection, periods)
    duration_ctes, duration_parameters = _durations(selection, periods)
    parts = [
        "select 'whole', null, connections, duration_sum_s from connection_hours"
        " where first_event_hour is null",
        "select 'cut', null, count(*), sum(duration_s) from cut_durations",
    ]
    if event_parts:
        parts.append(
            "select 'events', event_type, sum(events), null"
            f" from ({event_parts}) as parts group by event_type"
        )
    counts, connections, duration_sum_s = {}, 0, 0.0
    for part, event_type, count, sum_s in marts.rows(
        f"with {duration_ctes} {' union all '.join(parts)}",
        [*duration_parameters, *event_parameters],
    ):
        if part == "events":
            counts[event_type] = int(count)
        else:
            connections += int(count)
            duration_sum_s += float(sum_s or 0)
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


def _event_counts(selection: Selection, periods: Periods) -> tuple[str, list]:
    """Events per type (`event_type`, `events`), possibly several rows per type: whole hours
    from the hourly rollup, partial hours from the events; no SQL for an empty window."""
    in_selection, selection_parameters = selection.predicate(with_agents=False)
    parts, parameters = [], []
    for table, column, count, spans in (
        ("marts.rpt_stt_events_hourly", "created_hour", "sum(events)", periods.hours),
        ("marts.fct_stt_events_by_time", "created_at", "count(*)", periods.partial),
    ):
        if spans:
            in_periods, period_parameters = in_spans(spans, column)
            parts.append(
                f"select event_type, {count} as events from {table}"
                f" where ({in_periods}) and {in_selection} group by event_type"
            )
            parameters += [*period_parameters, *selection_parameters]
    return " union all ".join(parts), parameters


def _durations(selection: Selection, periods: Periods) -> tuple[str, list]:
    """The CTEs of the connections with a duration among the window's events:
    `connection_hours` has the connections of one org whose first and last events lie in the
    window's whole hours (all their events are the window's) from the hourly rollup, as one
    row (`first_event_hour` null) of `connections` and `duration_sum_s`; its other rows name
    the hours of the rest, whose durations `cut_durations` (`duration_s`) takes from each
    connection's opening and closing times (docs/decisions.md)."""
    whole, whole_parameters = _whole(periods)
    in_selection, selection_parameters = selection.predicate(with_agents=False)
    window = selection.window
    hour_overlaps, hour_parameters = _overlaps(window, "first_event_hour", "last_event_hour")
    overlaps, overlap_parameters = _overlaps(window, "first_event_at", "last_event_at")
    opened_in_window, opened_parameters = window.predicate("openings.created_at")
    closed_in_window, closed_parameters = window.predicate("closings.created_at")
    ctes = f"""
        connection_hours as (
            select
                case when {whole} then null else first_event_hour end as first_event_hour,
                sum(connections_with_duration) as connections,
                sum(duration_sum_s) as duration_sum_s
            from marts.rpt_stt_connections_hourly
            where {in_selection} and {hour_overlaps}
                and (connections_with_duration > 0 or not is_single_org)
            group by 1
        ),
        connections as (
            select connection_key, opened_ats, closed_ats
            from marts.fct_stt_connections
            where first_event_hour in (
                    select first_event_hour from connection_hours
                    where first_event_hour is not null
                )
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
        *whole_parameters,
        *selection_parameters,
        *hour_parameters,
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
    """Rows whose [first, last] may hold an instant of the window (hours: their start)."""
    clauses, parameters = [], []
    if window.lower is not None:
        clauses.append(f"{last} >= ?")
        parameters.append(window.lower.replace(minute=0, second=0, microsecond=0))
    if window.upper is not None:
        clauses.append(f"{first} {'<=' if window.upper_inclusive else '<'} ?")
        parameters.append(window.upper)
    return " and ".join(clauses) or "true", parameters
