"""Family B: /api/v1/analytics/... (seed 001)."""

from datetime import UTC, tzinfo

import falcon

from api import params
from api.marts import Marts
from api.params import Window
from api.queries import calls, records, turns
from api.queries.selection import Selection
from callstats import project

PERIODS = ("1h", "24h", "7d", "30d")
INTERVALS = ("hour", "day", "week")
SERVICES = ("stt", "llm", "tts", "workflow", "tool")
LEVELS = ("error", "warning")


def call_window(req: falcon.Request, zone: tzinfo = UTC) -> Window:
    """`started_after <= started_at < started_before` when either is given (the other side
    open, `period` not even read; bare dates are days of `zone`), else `[now - period, now]`."""
    if params.text(req, "started_after") is None and params.text(req, "started_before") is None:
        period = params.choice(req, "period", PERIODS, "24h")
        return params.relative_window(period, project.now())
    return params.window(req, "started_after", "started_before", upper_inclusive=False, zone=zone)


class Summary:
    max_age_s = 30  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        selection = Selection(req.context.scope, call_window(req))
        resp.media = calls.summary(self._marts, selection, project.now())


class ActiveCalls:
    max_age_s = 10  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        selection = Selection(req.context.scope, Window(None, None, upper_inclusive=False))
        resp.media = {"count": calls.active_calls(self._marts, selection, project.now())}


class CallVolume:
    max_age_s = 60  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        interval = params.choice(req, "interval", INTERVALS, "hour")
        zone = params.zone(req)
        selection = Selection(req.context.scope, call_window(req, zone), zone)
        resp.media = {
            "interval": interval,
            "data": calls.call_volume_series(self._marts, selection, interval),
        }


class WorkflowStats:
    max_age_s = 60  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        limit = params.integer(req, "limit", 10, 1, 50)
        selection = Selection(req.context.scope, call_window(req))
        resp.media = calls.workflow_stats(self._marts, selection, limit)


class ProviderLatency:
    max_age_s = 60  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        selection = Selection(req.context.scope, call_window(req))
        resp.media = turns.provider_latency(self._marts, selection)


class Errors:
    """Errors windowed by when they occurred, not by their call's start (metrics.md)."""

    max_age_s = 30  # seed 001's refresh rate

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        window = call_window(req)
        service = params.choice(req, "service", SERVICES, None)
        level = params.choice(req, "level", LEVELS, None)
        offset = params.integer(req, "offset", 0, 0, records.MAX_OFFSET)
        limit = params.integer(req, "limit", 50, 1, 200)
        selection = Selection(req.context.scope, window)
        resp.media = records.errors(self._marts, selection, limit, offset, service, level)


def add_routes(app: falcon.App, marts: Marts) -> None:
    """Register this family's resources on the app."""
    app.add_route("/api/v1/analytics/summary", Summary(marts))
    app.add_route("/api/v1/analytics/call-volume", CallVolume(marts))
    app.add_route("/api/v1/analytics/workflow-stats", WorkflowStats(marts))
    app.add_route("/api/v1/analytics/provider-latency", ProviderLatency(marts))
    app.add_route("/api/v1/analytics/errors", Errors(marts))
    app.add_route("/api/v1/analytics/active-calls", ActiveCalls(marts))
