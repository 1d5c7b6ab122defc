"""Family A: /analytics/... (seed 000)."""

from collections.abc import Callable
from datetime import UTC, tzinfo

import falcon

from api import errors, params
from api.marts import Marts
from api.queries import calls, events
from api.queries.selection import Selection, visible_agents


def _window(req: falcon.Request, zone: tzinfo = UTC) -> params.Window:
    return params.window(req, "start_date", "end_date", upper_inclusive=True, zone=zone)


class CallAnalytics:
    """An endpoint computed from the calls selected by the window, agent_id and the scope;
    one that buckets by day, hour or weekday takes `tz` (api.md)."""

    def __init__(self, marts: Marts, compute: Callable[[Marts, Selection], object], local: bool):
        self._marts = marts
        self._compute = compute
        self._local = local

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        zone = params.zone(req) if self._local else UTC
        window = _window(req, zone)
        agent_id = params.text(req, "agent_id")
        agent_ids = None
        if agent_id is not None:
            agent_ids = (agent_id.strip(),)
            if not visible_agents(self._marts, req.context.scope, agent_ids):
                raise errors.not_visible("agent_id", agent_ids[0])
        selection = Selection(req.context.scope, window, zone, agent_ids=agent_ids)
        resp.media = self._compute(self._marts, selection)


class AgentComparison:
    """The requested agents side by side, or every agent the token may see."""

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        window = _window(req)
        requested = params.id_list(req, "agent_ids")
        scope = req.context.scope
        visible = visible_agents(self._marts, scope, requested)
        if requested is not None:
            hidden = [agent_id for agent_id in requested if agent_id not in visible]
            if hidden:
                raise errors.not_visible("agent_ids", hidden[0])
        agent_ids = tuple(requested if requested is not None else visible)
        selection = Selection(scope, window, agent_ids=agent_ids)
        resp.media = calls.agent_comparison(self._marts, selection)


class SttEvents:
    """STT connection events, newest first; windowed by created_at."""

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        window = _window(req)
        call_sid = params.text(req, "call_sid")
        event_type = params.choice(req, "event_type", events.EVENT_TYPES, None)
        limit = params.integer(req, "limit", 100, 1, 500)
        resp.media = events.stt_events(
            self._marts,
            Selection(req.context.scope, window),
            limit,
            call_sid and call_sid.strip(),
            event_type,
        )


class SttEventsSummary:
    """STT connection health over the window's events."""

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        selection = Selection(req.context.scope, _window(req))
        resp.media = events.stt_summary(self._marts, selection)


# The endpoints that bucket by local day, hour or weekday: they take `tz` (api.md).
LOCAL_ENDPOINTS = frozenset(
    {"call-volume", "latency", "cost-trend", "conversation-turns", "barge-in", "peak-hours"}
)
_CALL_ENDPOINTS = {
    "overview": calls.overview,
    "call-volume": calls.call_volume,
    "latency": calls.latency,
    "cost-overview": calls.cost_overview,
    "cost-trend": calls.cost_trend,
    "cost-by-agent": calls.cost_by_agent,
    "duration-distribution": calls.duration_distribution,
    "latency-distribution": calls.latency_distribution,
    "conversation-turns": calls.conversation_turns,
    "barge-in": calls.barge_in,
    "provider-errors": calls.provider_errors,
    "peak-hours": calls.peak_hours,
    "outcomes": calls.outcomes,
}


def add_routes(app: falcon.App, marts: Marts) -> None:
    """Register this family's resources on the app."""
    for name, compute in _CALL_ENDPOINTS.items():
        app.add_route(f"/analytics/{name}", CallAnalytics(marts, compute, name in LOCAL_ENDPOINTS))
    app.add_route("/analytics/agent-comparison", AgentComparison(marts))
    app.add_route("/analytics/stt-events", SttEvents(marts))
    app.add_route("/analytics/stt-events/summary", SttEventsSummary(marts))
