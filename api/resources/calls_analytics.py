"""Family D: /api/v1/calls/analytics (seed 003)."""

import falcon

from api import params
from api.marts import Marts
from api.queries import calls
from api.queries.selection import Selection
from callstats import project

PERIODS = ("1d", "7d", "30d", "90d")


class CallsAnalytics:
    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        period = params.choice(req, "period", PERIODS, "7d")
        zone = params.zone(req)
        now = project.now()
        selection = Selection(req.context.scope, params.relative_window(period, now), zone)
        resp.media = calls.calls_analytics(self._marts, selection, now)


def add_routes(app: falcon.App, marts: Marts) -> None:
    """Register this family's resources on the app."""
    app.add_route("/api/v1/calls/analytics", CallsAnalytics(marts))
