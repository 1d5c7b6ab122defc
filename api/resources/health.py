"""GET /health: whether marts are published, and when they were built."""

import falcon

from api.marts import Marts, MartsUnavailable
from api.serialize import timestamp


class Health:
    requires_token = False

    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        try:
            built_at = self._marts.built_at()
        except MartsUnavailable:
            resp.status = falcon.HTTP_503
            resp.media = {"status": "unavailable", "marts_built_at": None}
            return
        resp.media = {"status": "ok", "marts_built_at": timestamp(built_at)}

    on_head = on_get
