"""Family B: /api/v1/analytics/... (seed 001), read exactly from the call-grain facts."""

import falcon
import orjson

from api import params
from api.call_window import bucket_starts, calls_in, series_span
from api.marts import Marts
from api.params import Window
from api.scope import org_predicate
from api.serialize import timestamp
from callstats import project

PERIODS = ("1h", "24h", "7d", "30d")
INTERVALS = ("hour", "day", "week")
SERVICES = ("stt", "llm", "tts", "workflow", "tool")
LEVELS = ("error", "warning")
MAX_OFFSET = 2**63 - 1  # the largest OFFSET the marts' SQL engine takes


def call_window(req: falcon.Request) -> Window:
    """`started_after <= started_at < started_before` when either is given (the other side
    open, `period` not even read), else `[now - period, now]`."""
    if params.text(req, "started_after") is None and params.text(req, "started_before") is None:
        period = params.choice(req, "period", PERIODS, "24h")
        return params.relative_window(period, project.now())
    return params.window(req, "started_after", "started_before", upper_inclusive=False)


class Summary:
    max_age_s = 30  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        where, parameters = calls_in(req.context.scope, call_window(req))
        [row] = self._marts.rows(
            f"""
            select
                count(*),
                count(*) filter (where is_completed),
                count(*) filter (where is_failed),
                coalesce(avg(duration_s), 0),
                coalesce(
                    cast(100 * count(*) filter (where is_completed) as double precision)
                    / nullif(count(*), 0),
                    0
                ),
                coalesce(cast(sum(total_tokens) as bigint), 0),
                coalesce(sum(stt_latency_sum_ms) / nullif(sum(stt_latency_turns), 0), 0),
                coalesce(sum(llm_latency_sum_ms) / nullif(sum(llm_latency_turns), 0), 0),
                coalesce(sum(tts_latency_sum_ms) / nullif(sum(tts_latency_turns), 0), 0)
            from marts.fct_calls as calls
            where {where}
            """,
            parameters,
        )
        total, completed, failed, avg_duration, success_rate, tokens, stt, llm, tts = row
        resp.media = {
            "total_calls": total,
            "completed_calls": completed,
            "failed_calls": failed,
            "active_calls": active_calls(self._marts, req),
            "avg_duration_seconds": avg_duration,
            "success_rate": success_rate,
            "total_tokens": tokens,
            "avg_stt_latency_ms": stt,
            "avg_llm_latency_ms": llm,
            "avg_tts_latency_ms": tts,
        }


def active_calls(marts: Marts, req: falcon.Request) -> int:
    """Calls in scope active now, whatever their start: live, and started within
    live_call_timeout_hours of now (metrics.md; fct_calls.active_until)."""
    in_scope, parameters = org_predicate(req.context.scope, "calls.org_id")
    [(count,)] = marts.rows(
        "select count(*) from marts.fct_calls as calls"
        f" where calls.active_until >= ? and {in_scope}",
        [project.now(), *parameters],
    )
    return count


class ActiveCalls:
    max_age_s = 10  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        resp.media = {"count": active_calls(self._marts, req)}


class CallVolume:
    max_age_s = 60  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        interval = params.choice(req, "interval", INTERVALS, "hour")
        window = call_window(req)
        where, parameters = calls_in(req.context.scope, window)
        counts = {
            bucket: (total, completed, failed)
            for bucket, total, completed, failed in self._marts.rows(
                f"""
                select
                    date_trunc(?, calls.started_at),
                    count(*),
                    count(*) filter (where calls.is_completed),
                    count(*) filter (where calls.is_failed)
                from marts.fct_calls as calls
                where {where}
                group by 1
                """,
                [interval, *parameters],
            )
        }
        first, count = series_span(window, interval, counts, "interval")
        data = []
        for start in bucket_starts(first, count, interval):
            total, completed, failed = counts.get(start, (0, 0, 0))
            data.append(
                {
                    "timestamp": timestamp(start),
                    "total": total,
                    "completed": completed,
                    "failed": failed,
                }
            )
        resp.media = {"interval": interval, "data": data}


class WorkflowStats:
    max_age_s = 60  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        limit = params.integer(req, "limit", 10, 1, 50)
        where, parameters = calls_in(req.context.scope, call_window(req))
        rows = self._marts.rows(
            f"""
            select
                calls.workflow_id,
                min(workflows.workflow_name),
                min(workflows.workflow_slug),
                count(*),
                count(*) filter (where calls.is_completed),
                count(*) filter (where calls.is_failed),
                cast(100 * count(*) filter (where calls.is_completed) as double precision)
                    / count(*),
                coalesce(avg(calls.duration_s), 0)
            from marts.fct_calls as calls
            left join marts.dim_workflows as workflows
                on workflows.workflow_id = calls.workflow_id
            where calls.workflow_id is not null and {where}
            group by calls.workflow_id
            order by count(*) desc, calls.workflow_id collate "C"
            limit ?
            """,
            [*parameters, limit],
        )
        fields = (
            "workflow_id",
            "workflow_name",
            "workflow_slug",
            "total_calls",
            "completed_calls",
            "failed_calls",
            "success_rate",
            "avg_duration_seconds",
        )
        resp.media = [dict(zip(fields, row, strict=True)) for row in rows]


class ProviderLatency:
    max_age_s = 60  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        where, parameters = calls_in(req.context.scope, call_window(req))
        rows = self._marts.rows(
            f"""
            with window_turns as (
                select
                    calls.call_id,
                    calls.stt_provider,
                    calls.llm_provider,
                    calls.tts_provider,
                    turns.stt_latency_ms,
                    turns.llm_latency_ms,
                    turns.tts_latency_ms
                from marts.fct_calls as calls
                inner join marts.fct_call_turns as turns on turns.call_id = calls.call_id
                where {where}
            ),

            stage_latencies as (
                select 1 as stage, 'stt' as provider_type, stt_provider as provider_name,
                    call_id, stt_latency_ms as latency_ms
                from window_turns
                union all
                select 2, 'llm', llm_provider, call_id, llm_latency_ms from window_turns
                union all
                select 3, 'tts', tts_provider, call_id, tts_latency_ms from window_turns
            )

            select
                provider_type,
                provider_name,
                avg(latency_ms),
                percentile_cont(0.5) within group (order by latency_ms),
                percentile_cont(0.95) within group (order by latency_ms),
                percentile_cont(0.99) within group (order by latency_ms),
                count(distinct call_id)
            from stage_latencies
            where provider_name is not null and latency_ms is not null
            group by stage, provider_type, provider_name
            order by stage, provider_name collate "C"
            """,
            parameters,
        )
        resp.media = [
            {
                "provider_type": provider_type,
                "provider_name": name,
                "avg_latency_ms": average,
                "p50_latency_ms": p50,
                "p95_latency_ms": p95,
                "p99_latency_ms": p99,
                "call_count": calls,
            }
            for provider_type, name, average, p50, p95, p99, calls in rows
        ]


class Errors:
    """Errors windowed by when they occurred, not by their call's start (metrics.md)."""

    max_age_s = 30  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        window = call_window(req)
        service = params.choice(req, "service", SERVICES, None)
        level = params.choice(req, "level", LEVELS, None)
        offset = params.integer(req, "offset", 0, 0, MAX_OFFSET)
        limit = params.integer(req, "limit", 50, 1, 200)
        in_window, parameters = window.predicate("errors.occurred_at")
        # An error of no accepted call has no org: the scope predicate keeps it for all-scope
        # tokens only ("true"), and the left joins leave its agent null.
        in_scope, scope_parameters = org_predicate(req.context.scope, "calls.org_id")
        clauses, parameters = [in_window, in_scope], [*parameters, *scope_parameters]
        for column, value in (("service", service), ("level", level)):
            if value is not None:
                clauses.append(f"errors.{column} = ?")
                parameters.append(value)
        matches = f"""
            from marts.fct_call_errors as errors
            left join marts.fct_calls as calls on calls.call_id = errors.call_id
            left join marts.dim_agents as agents on agents.agent_id = calls.agent_id
            where {" and ".join(clauses)}
        """
        [(total,)] = self._marts.rows(f"select count(*) {matches}", parameters)
        rows = self._marts.rows(
            f"""
            select
                errors.error_id,
                errors.call_id,
                errors.occurred_at,
                errors.service,
                errors.level,
                errors.message,
                errors.details,
                coalesce(agents.agent_name, calls.agent_id)
            {matches}
            order by errors.occurred_at desc, errors.error_id collate "C"
            limit ? offset ?
            """,
            [*parameters, limit, offset],
        )
        items = [_error_item(*row) for row in rows]
        resp.media = {"items": items, "total": total}


def _error_item(error_id, call_id, occurred_at, service, level, message, details, agent) -> dict:
    return {
        "id": error_id,
        "call_id": call_id,
        "timestamp": timestamp(occurred_at),
        "service": service,
        "level": level,
        "message": message,
        "details": orjson.loads(details) if details is not None else None,
        "agent": agent,
    }


def add_routes(app: falcon.App, marts: Marts) -> None:
    """Register this family's resources on the app."""
    app.add_route("/api/v1/analytics/summary", Summary(marts))
    app.add_route("/api/v1/analytics/call-volume", CallVolume(marts))
    app.add_route("/api/v1/analytics/workflow-stats", WorkflowStats(marts))
    app.add_route("/api/v1/analytics/provider-latency", ProviderLatency(marts))
    app.add_route("/api/v1/analytics/errors", Errors(marts))
    app.add_route("/api/v1/analytics/active-calls", ActiveCalls(marts))
