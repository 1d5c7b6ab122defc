"""Bearer tokens: every resource needs one unless it says `requires_token = False`; a method
the resource does not answer is left to Falcon's 405, token or not (api.md, Parameters and
errors)."""

import falcon

from callstats.keys import KeyStore


class BearerAuth:
    def __init__(self, keys: KeyStore):
        self._keys = keys

    def process_resource(self, req, resp, resource, params) -> None:
        if resource is None or not getattr(resource, "requires_token", True):
            return
        if not hasattr(resource, f"on_{req.method.lower()}"):
            return
        scheme, _, token = (req.get_header("Authorization") or "").partition(" ")
        scope = self._keys.scope_of(token.strip()) if scheme.lower() == "bearer" else None
        if scope is None:
            raise falcon.HTTPUnauthorized(
                title="Unauthorized",
                description="Authorization: Bearer <token> with a valid token is required.",
                challenges=["Bearer"],
            )
        req.context.scope = scope
