"""Caching for polling dashboards (api.md, Caching).

Every 200 carries a strong ETag: a hash of the published build (when its marts were built) and
the answer, so it changes with each published build and differs between requests with
different answers. A request whose If-None-Match holds it (or `*`) gets a 304 with no body.
A resource with a `max_age_s` attribute (the seed-001 paths, its refresh table) adds
`Cache-Control: private, max-age=<max_age_s>`.

A JSON answer is hashed with its numbers at FLOAT_DIGITS significant digits: a sum of doubles
that the engine spreads over threads differs in its last digits from one request to the next
(at 10 M calls every average did), which is noise, not another answer.
"""

import hashlib

import falcon
import orjson

from api.marts import Marts, MartsUnavailable

FLOAT_DIGITS = 12


class Caching:
    """Falcon middleware: ETag, If-None-Match → 304, and Cache-Control for polled paths."""

    def __init__(self, marts: Marts):
        self._marts = marts

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        if not req_succeeded or req.method != "GET" or resp.status_code != 200:
            return
        answer = _answer(resp)
        if answer is None:
            return
        tag = hashlib.sha256(self._build().encode() + b"\n" + answer).hexdigest()[:32]
        resp.etag = tag
        max_age_s = getattr(resource, "max_age_s", None)
        if max_age_s is not None:
            resp.cache_control = ["private", f"max-age={max_age_s}"]
        if any(match in ("*", tag) for match in req.if_none_match or ()):
            resp.status = falcon.HTTP_304
            resp.media = resp.data = resp.text = None
            resp.delete_header("Content-Type")

    def _build(self) -> str:
        """The published build: when its marts were built, or "none" before the first."""
        try:
            return str(self._marts.built_at())
        except MartsUnavailable:
            return "none"


def _answer(resp: falcon.Response) -> bytes | None:
    """What the ETag is computed over: the JSON media with floats rounded, else the body."""
    if resp.media is not None:
        return orjson.dumps(_rounded(resp.media))
    return resp.render_body()


def _rounded(value):
    if isinstance(value, float):
        return float(f"{value:.{FLOAT_DIGITS}g}")
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value
