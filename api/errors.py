"""Every error is JSON `{"title", "description"}`; nothing unexpected leaks out as a 5xx page."""

import logging

import falcon
import orjson

from api.marts import MartsUnavailable
from api.params import shown
from callstats.keys import KeysUnavailable

log = logging.getLogger("callstats.api")


def serialize(req, resp, error: falcon.HTTPError) -> None:
    resp.content_type = falcon.MEDIA_JSON
    resp.data = orjson.dumps(
        {"title": error.title, "description": error.description or _description(req, error)}
    )


def _description(req, error: falcon.HTTPError) -> str:
    if error.status_code == 404:
        return f"Nothing is found at {req.path}."
    if error.status_code == 405:
        return f"{req.method} is not allowed on {req.path}; use GET."
    return error.title


def not_visible(name: str, value: str) -> falcon.HTTPNotFound:
    """The same answer whether the id does not exist or the token may not see it (api.md)."""
    return falcon.HTTPNotFound(description=f"{name}: {shown(value)} is not found.")


def marts_unavailable(req, resp, error: MartsUnavailable, params) -> None:
    """A 503 saying why the marts cannot be read (its kind's description); the detail, which
    may name a path or a server, goes to the log only."""
    log.warning("%s", error)
    raise falcon.HTTPServiceUnavailable(title="Service Unavailable", description=error.description)


def keys_unavailable(req, resp, error: KeysUnavailable, params) -> None:
    log.error("%s", error)
    raise falcon.HTTPServiceUnavailable(
        title="Service Unavailable", description="The API keys cannot be read: try again later."
    )


def unexpected(req, resp, error: Exception, params) -> None:
    log.exception("unexpected error on %s %s", req.method, req.relative_uri)
    raise falcon.HTTPInternalServerError(
        title="Internal Server Error", description="An unexpected error occurred."
    )
