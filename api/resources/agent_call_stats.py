"""Family E: /api/agents/{agent_id}/call_stats (seed 004)."""

import falcon

from api import errors, params
from api.marts import Marts
from api.queries import records
from api.queries.selection import Selection, visible_agents


class AgentCallStats:
    """The call records of one agent, newest first, limited to the calls the token may see."""

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req: falcon.Request, resp: falcon.Response, agent_id: str) -> None:
        window = params.window(req, "start_date", "end_date", upper_inclusive=True)
        limit = params.integer(req, "limit", default=100, minimum=1, maximum=1000)
        offset = params.integer(req, "offset", default=0, minimum=0, maximum=None)
        if not visible_agents(self._marts, req.context.scope, [agent_id]):
            raise errors.not_visible("agent_id", agent_id)
        selection = Selection(req.context.scope, window, agent_ids=(agent_id,))
        resp.media = records.agent_calls(self._marts, selection, limit, offset)


def add_routes(app: falcon.App, marts: Marts) -> None:
    """Register this family's resources on the app."""
    app.add_route("/api/agents/{agent_id}/call_stats", AgentCallStats(marts))
