"""STT connection events (seed 000): the list and the connection-health summary, windowed by
`created_at`; an event is in scope through the call it belongs to (metrics.md, STT events)."""

import orjson

from api.marts import Marts
from api.queries import measures
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
    """The selection's events as a predicate on marts.fct_stt_events."""
    in_selection, parameters = selection.predicate(with_agents=False)
    in_window, window_parameters = selection.window.predicate("created_at")
    clauses, parameters = [in_selection, in_window], [*parameters, *window_parameters]
    for column, value in (("call_sid", call_sid), ("event_type", event_type)):
        if value is not None:
            clauses.append(f"{column} = ?")
            parameters.append(value)
    return " and ".join(clauses), parameters


def stt_events(
    marts: Marts,
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
        from marts.fct_stt_events
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


def stt_summary(marts: Marts, selection: Selection) -> dict:
    """Counts per event type, and the mean time from each connection's first opening to the
    first closing after it, both among the window's events only."""
    where, parameters = _events(selection)
    [row] = marts.rows(
        f"""
        with
        events as (
            select * from marts.fct_stt_events where {where}
        ),
        openings as (
            select connection_key, min(created_at) as opened_at
            from events
            where event_type = 'connection_opened' and connection_key is not null
            group by 1
        ),
        connections as (
            select
                extract(epoch from min(events.created_at) - openings.opened_at) as duration_s
            from openings
            join events
                on openings.connection_key = events.connection_key
                and events.event_type = 'connection_closed'
                and events.created_at > openings.opened_at
            group by openings.connection_key, openings.opened_at
        )
        select
            count(*),
            count(*) filter (where event_type = 'connection_opened'),
            count(*) filter (where event_type = 'connection_closed'),
            count(*) filter (where event_type = 'connection_rejected'),
            count(*) filter (where event_type = 'timeout'),
            count(*) filter (where event_type = 'error'),
            count(*) filter (where event_type = 'utterance_end_fallback'),
            (select avg(duration_s) from connections)
        from events
        """,
        parameters,
    )
    total, opened, closed, rejected, timeouts, errors, fallbacks, mean_connection_s = row
    return {
        "total_events": total,
        "connections_opened": opened,
        "connections_closed": closed,
        "connections_rejected": rejected,
        "timeouts": timeouts,
        "errors": errors,
        "utterance_end_fallbacks": fallbacks,
        "avg_connection_duration_s": mean_connection_s,
        "rejection_rate": measures.ratio(rejected, opened + rejected),
        "timeout_rate": measures.ratio(timeouts, opened),
    }
