"""Family C: /v1/metrics (seed 002)."""

import falcon

from api import errors, params
from api.marts import Marts
from api.queries import calls
from api.queries.selection import Selection, org_visible, reseller_visible


class Metrics:
    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        """Calls in the window and the token's scope, narrowed to `organizationId` and to the
        orgs of `resellerId` when they are given (an intersection: they never widen it)."""
        zone = params.zone(req)
        window = params.window(req, "startDate", "endDate", upper_inclusive=True, zone=zone)
        scope = req.context.scope
        organization = params.text(req, "organizationId")
        if organization is not None and not org_visible(self._marts, scope, organization):
            raise errors.not_visible("organizationId", organization)
        reseller = params.text(req, "resellerId")
        if reseller is not None and not reseller_visible(self._marts, scope, reseller):
            raise errors.not_visible("resellerId", reseller)
        selection = Selection(scope, window, zone, org_id=organization, reseller_id=reseller)
        resp.media = calls.metrics(self._marts, selection)


def add_routes(app: falcon.App, marts: Marts) -> None:
    """Register this family's resources on the app."""
    app.add_route("/v1/metrics", Metrics(marts))
