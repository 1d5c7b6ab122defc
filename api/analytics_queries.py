"""Family A's numbers (seed 000, metrics.md), computed exactly from the call-grain facts.

Every call metric starts from `Calls`, the calls a request selects, so tenant scope, the
window and agent_id are applied inside each query in one place.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import orjson

from api.call_window import bucket_starts, calls_in, series_span
from api.marts import Marts
from api.params import Window
from api.scope import org_predicate
from api.serialize import day, timestamp
from callstats.keys import Scope

STT_EVENT_TYPES = (
    "connection_opened",
    "connection_closed",
    "connection_rejected",
    "timeout",
    "error",
    "utterance_end_fallback",
)


@dataclass(frozen=True)
class Calls:
    """The rows of marts.fct_calls a request covers, offered to queries as the CTE `calls`."""

    where: str
    parameters: tuple
    window: Window

    @classmethod
    def select(
        cls, scope: Scope, window: Window, agent_ids: Sequence[str] | None = None
    ) -> "Calls":
        where, parameters = calls_in(scope, window)
        if agent_ids is not None:
            where += " and calls.agent_id = any(?)"
            parameters = [*parameters, list(agent_ids)]
        return cls(where, tuple(parameters), window)

    def rows(self, marts: Marts, body: str, parameters: Sequence = ()) -> list[tuple]:
        """Run `body` after `with calls as (...)`: a select, or `, name as (...) select ...`
        to add CTEs; `parameters` are those of `body`."""
        return marts.rows(
            f"with calls as (select * from marts.fct_calls as calls where {self.where}) {body}",
            [*self.parameters, *parameters],
        )


def _daily(marts: Marts, calls: Calls, measures: str, empty: tuple) -> list[tuple]:
    """Rows `(day, *measures)` for every UTC day of the window (metrics.md, Time series, as
    `series_span` reads it); days without calls get `empty`."""
    rows = calls.rows(
        marts, f"select date_trunc('day', started_at), {measures} from calls group by 1"
    )
    by_day = {row[0]: row[1:] for row in rows}
    first, count = series_span(calls.window, "day", by_day, "start_date")
    return [
        (start.date(), *by_day.get(start, empty)) for start in bucket_starts(first, count, "day")
    ]


def overview(marts: Marts, calls: Calls) -> dict:
    [(total, duration, mean_duration, completed, failed)] = calls.rows(
        marts,
        """
        select
            count(*),
            coalesce(sum(duration_s), 0),
            coalesce(avg(duration_s), 0),
            count(*) filter (where is_completed),
            count(*) filter (where is_failed)
        from calls
        """,
    )
    return {
        "total_calls": total,
        "total_duration": duration,
        "avg_duration": mean_duration,
        "completed_calls": completed,
        "failed_calls": failed,
    }


def call_volume(marts: Marts, calls: Calls) -> list[dict]:
    series = _daily(marts, calls, "count(*)", (0,))
    return [{"date": day(current), "count": count} for current, count in series]


# Means over the turns of the calls, from each call's sum and count of that turn value.
_LATENCY_MEANS = ", ".join(
    f"coalesce(sum({stage}_latency_sum_ms) / nullif(sum({stage}_latency_turns), 0), 0)"
    for stage in ("stt", "llm", "tts", "total")
)


def latency(marts: Marts, calls: Calls) -> dict:
    [(stt, llm, tts, total)] = calls.rows(marts, f"select {_LATENCY_MEANS} from calls")
    series = _daily(marts, calls, _LATENCY_MEANS, (0.0, 0.0, 0.0, 0.0))
    return {
        "avg_stt_latency_ms": stt,
        "avg_llm_latency_ms": llm,
        "avg_tts_latency_ms": tts,
        "avg_total_latency_ms": total,
        "daily_trend": [
            {
                "date": day(current),
                "stt_latency_ms": stt,
                "llm_latency_ms": llm,
                "tts_latency_ms": tts,
                "total_latency_ms": total,
            }
            for current, stt, llm, tts, total in series
        ],
    }


def cost_overview(marts: Marts, calls: Calls) -> dict:
    [(spend, mean_cost, stt, llm, tts)] = calls.rows(
        marts,
        """
        select
            coalesce(sum(cost_usd), 0),
            coalesce(avg(cost_usd), 0),
            coalesce(sum(stt_cost_usd), 0),
            coalesce(sum(llm_cost_usd), 0),
            coalesce(sum(tts_cost_usd), 0)
        from calls
        """,
    )
    return {
        "total_spend": spend,
        "avg_cost_per_call": mean_cost,
        "stt_cost_total": stt,
        "llm_cost_total": llm,
        "tts_cost_total": tts,
    }


def cost_trend(marts: Marts, calls: Calls) -> list[dict]:
    series = _daily(marts, calls, "coalesce(sum(cost_usd), 0)", (0.0,))
    return [{"date": day(current), "total_cost": cost} for current, cost in series]


def cost_by_agent(marts: Marts, calls: Calls) -> list[dict]:
    rows = calls.rows(
        marts,
        """
        select calls.agent_id, agents.agent_name, coalesce(sum(calls.cost_usd), 0)
        from calls
        left join marts.dim_agents as agents on calls.agent_id = agents.agent_id
        group by 1, 2
        order by 3 desc, calls.agent_id collate "C"
        """,
    )
    return [
        {"agent_id": agent_id, "agent_name": name, "total_cost": cost}
        for agent_id, name, cost in rows
    ]


def _distribution(marts: Marts, calls: Calls, distribution: str, counted: str) -> dict:
    """Every bucket of `distribution` in its listed order, with how many rows of `counted`
    (a select of a `bucket` column) fall in it."""
    rows = calls.rows(
        marts,
        f"""
        , counted as ({counted})
        select buckets.bucket, count(counted.bucket)
        from marts.dim_distribution_buckets as buckets
        left join counted on buckets.bucket = counted.bucket
        where buckets.distribution = ?
        group by buckets.bucket, buckets.bucket_position
        order by buckets.bucket_position
        """,
        [distribution],
    )
    return {"buckets": [{"bucket": bucket, "count": count} for bucket, count in rows]}


def duration_distribution(marts: Marts, calls: Calls) -> dict:
    return _distribution(marts, calls, "duration_s", "select duration_bucket as bucket from calls")


def latency_distribution(marts: Marts, calls: Calls) -> dict:
    """Counts turns, not calls: every turn of a call in the window, by its total latency."""
    return _distribution(
        marts,
        calls,
        "total_latency_ms",
        "select turns.latency_bucket as bucket from marts.fct_call_turns as turns "
        "join calls on turns.call_id = calls.call_id",
    )


_MEAN_TURNS = "coalesce(avg(turns) filter (where turns > 0), 0)"
_BARGE_IN_RATE = (
    "coalesce(cast(count(*) filter (where has_barge_in) as double precision) "
    "/ nullif(count(*) filter (where turns > 0), 0), 0)"
)


def conversation_turns(marts: Marts, calls: Calls) -> dict:
    [(mean_turns,)] = calls.rows(marts, f"select {_MEAN_TURNS} from calls")
    series = _daily(marts, calls, _MEAN_TURNS, (0.0,))
    return {
        "avg_turns": mean_turns,
        "daily_trend": [{"date": day(current), "avg_turns": turns} for current, turns in series],
    }


def barge_in(marts: Marts, calls: Calls) -> dict:
    [(rate,)] = calls.rows(marts, f"select {_BARGE_IN_RATE} from calls")
    series = _daily(marts, calls, _BARGE_IN_RATE, (0.0,))
    return {
        "barge_in_rate": rate,
        "daily_trend": [{"date": day(current), "barge_in_rate": rate} for current, rate in series],
    }


def provider_errors(marts: Marts, calls: Calls) -> list[dict]:
    """Each call counts once per provider name, whichever stages it used it for; the
    has_*_provider_error flags say an error of level error named that stage's provider."""
    rows = calls.rows(
        marts,
        """
        , stages as (
            select call_id, stt_provider as provider_name, has_stt_provider_error as failed
            from calls
            union all
            select call_id, llm_provider, has_llm_provider_error from calls
            union all
            select call_id, tts_provider, has_tts_provider_error from calls
        ),
        providers as (
            select call_id, provider_name, bool_or(failed) as failed
            from stages
            where provider_name is not null
            group by 1, 2
        )
        select
            provider_name,
            count(*) filter (where failed),
            count(*),
            cast(count(*) filter (where failed) as double precision) / count(*)
        from providers
        group by 1
        order by 2 desc, provider_name collate "C"
        """,
    )
    return [
        {"provider_name": name, "error_count": errors, "total_calls": total, "error_rate": rate}
        for name, errors, total, rate in rows
    ]


def peak_hours(marts: Marts, calls: Calls) -> list[dict]:
    rows = calls.rows(
        marts,
        """
        select
            cast(extract(isodow from started_at) as integer) - 1,
            cast(extract(hour from started_at) as integer),
            count(*)
        from calls
        group by 1, 2
        order by 1, 2
        """,
    )
    return [{"day_of_week": weekday, "hour": hour, "count": count} for weekday, hour, count in rows]


def outcomes(marts: Marts, calls: Calls) -> list[dict]:
    rows = calls.rows(
        marts,
        "select outcome_or_status, count(*) from calls group by 1 "
        'order by 2 desc, outcome_or_status collate "C"',
    )
    return [{"outcome": outcome, "count": count} for outcome, count in rows]


_AGENT_MEASURES = (
    "total_calls",
    "avg_duration",
    "completion_rate",
    "avg_stt_latency_ms",
    "avg_llm_latency_ms",
    "avg_tts_latency_ms",
    "avg_total_latency_ms",
    "avg_cost",
    "barge_in_rate",
    "avg_turns",
    "error_count",
)


def agent_comparison(marts: Marts, calls: Calls, agent_ids: Sequence[str]) -> list[dict]:
    """One entry per agent of `agent_ids`, in that order; `calls` must be limited to them.
    An agent without calls in the window gets zeros (metrics.md, Agent comparison)."""
    rows = calls.rows(
        marts,
        f"""
        select
            agent_id,
            count(*),
            coalesce(avg(duration_s), 0),
            cast(count(*) filter (where is_completed) as double precision) / count(*),
            {_LATENCY_MEANS},
            coalesce(avg(cost_usd), 0),
            {_BARGE_IN_RATE},
            {_MEAN_TURNS},
            count(*) filter (where has_error)
        from calls
        group by 1
        """,
    )
    measured = {agent_id: values for agent_id, *values in rows}
    names = dict(
        marts.rows(
            "select agent_id, agent_name from marts.dim_agents where agent_id = any(?)",
            [list(agent_ids)],
        )
    )
    idle = (0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
    return [
        {
            "agent_id": agent_id,
            "agent_name": names.get(agent_id),
            **dict(zip(_AGENT_MEASURES, measured.get(agent_id, idle), strict=True)),
        }
        for agent_id in agent_ids
    ]


@dataclass(frozen=True)
class SttEvents:
    """The STT events a request covers, by created_at; an event is in the token's scope
    through the call it belongs to, and events of no call only in the all scope."""

    where: str
    parameters: tuple

    @classmethod
    def select(
        cls,
        scope: Scope,
        window: Window,
        call_sid: str | None = None,
        event_type: str | None = None,
    ) -> "SttEvents":
        in_scope, scope_parameters = org_predicate(scope)
        in_window, window_parameters = window.predicate("created_at")
        clauses = [f"({in_scope})", in_window]
        parameters = [*scope_parameters, *window_parameters]
        for column, value in (("call_sid", call_sid), ("event_type", event_type)):
            if value is not None:
                clauses.append(f"{column} = ?")
                parameters.append(value)
        return cls(" and ".join(clauses), tuple(parameters))


def stt_events(marts: Marts, events: SttEvents, limit: int) -> list[dict]:
    rows = marts.rows(
        f"""
        select event_id, call_sid, event_type, provider_name, model, detail, created_at
        from marts.fct_stt_events
        where {events.where}
        order by created_at desc, event_id collate "C"
        limit ?
        """,
        [*events.parameters, limit],
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


def stt_summary(marts: Marts, events: SttEvents) -> dict:
    """Counts per event type, and the mean time from each connection's first opening to the
    first closing after it, both among the window's events only."""
    [row] = marts.rows(
        f"""
        with
        events as (
            select * from marts.fct_stt_events where {events.where}
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
        ),
        counts as (
            select
                count(*) as total_events,
                count(*) filter (where event_type = 'connection_opened') as opened,
                count(*) filter (where event_type = 'connection_closed') as closed,
                count(*) filter (where event_type = 'connection_rejected') as rejected,
                count(*) filter (where event_type = 'timeout') as timeouts,
                count(*) filter (where event_type = 'error') as errors,
                count(*) filter (where event_type = 'utterance_end_fallback') as fallbacks
            from events
        )
        select
            counts.*,
            (select avg(duration_s) from connections),
            coalesce(cast(rejected as double precision) / nullif(opened + rejected, 0), 0),
            coalesce(cast(timeouts as double precision) / nullif(opened, 0), 0)
        from counts
        """,
        events.parameters,
    )
    (total, opened, closed, rejected, timeouts, errors, fallbacks) = row[:7]
    mean_connection_s, rejection_rate, timeout_rate = row[7:]
    return {
        "total_events": total,
        "connections_opened": opened,
        "connections_closed": closed,
        "connections_rejected": rejected,
        "timeouts": timeouts,
        "errors": errors,
        "utterance_end_fallbacks": fallbacks,
        "avg_connection_duration_s": mean_connection_s,
        "rejection_rate": rejection_rate,
        "timeout_rate": timeout_rate,
    }
