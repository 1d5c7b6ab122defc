"""Caching for polling dashboards (api.md, Caching).

Every 200 carries a strong ETag: a hash of the build its answer read (when its marts were
built) and the answer, so it changes with each published build and differs between requests
with different answers. A request whose If-None-Match holds it (or `*`) gets a 304 with no
body. A HEAD gets the same status and headers as a GET, and no body. A resource with a
`max_age_s` attribute (the seed-001 paths, its refresh table) adds
`Cache-Control: private, max-age=<max_age_s>`.

The answers of those paths are also kept by each worker for `max_age_s`, per build, token
scope and URL (path and query string): a dashboard polling one URL is answered from memory,
no older than its Cache-Control already allows a client to keep it (docs/decisions.md).

The JSON answer of a resource whose `rounds_numbers` is true is hashed with its numbers at
FLOAT_DIGITS significant digits: a sum of doubles that the engine spreads over threads differs
in its last digits from one request to the next (at 10 M calls every average did), which is
noise, not another answer. Any other answer is hashed as it is: a list of stored rows sums
nothing (rounding the numbers of a page of 100 call records took longer than its query's
joins), and an answer of integers only has no digits to round (an hourly series of 721
buckets took 0.8 ms to walk).
"""

import hashlib
import time
from collections.abc import Callable
from typing import NamedTuple

import falcon
import orjson
from cachetools import TTLCache

from api.marts import Marts, MartsUnavailable

FLOAT_DIGITS = 12
# Answers kept per path and worker: the distinct (scope, query) pairs polled at once.
ANSWERS_PER_PATH = 512
# The methods that read an answer: HEAD gets GET's headers, its ETag included, and no body.
_READ = frozenset({"GET", "HEAD"})


class _Answer(NamedTuple):
    body: bytes
    etag: str


class Caching:
    """Falcon middleware: ETag, If-None-Match → 304, Cache-Control, and the kept answers of
    polled paths (per worker: gunicorn's sync workers serve one request at a time)."""

    def __init__(self, marts: Marts, timer: Callable[[], float] = time.monotonic):
        self._marts = marts
        self._timer = timer
        self._answers: dict[object, TTLCache] = {}

    def process_resource(self, req, resp, resource, params) -> None:
        """Answer from the kept answer of this URL on the build published now, if any, without
        calling the responder."""
        key = self._key(req, resource)
        answer = None if key is None else self._answers_of(resource).get(key)
        if answer is not None:
            resp.data, resp.content_type = answer.body, falcon.MEDIA_JSON
            self._tag(req, resp, resource, answer.etag)
            resp.complete = True

    def process_response(self, req, resp, resource, req_succeeded) -> None:
        # A complete response was answered by process_resource, tags and all.
        if resp.complete or not req_succeeded or req.method not in _READ or resp.status_code != 200:
            return
        media = resp.media
        if media is not None:
            # the body, written once (a page of call records is 0.3 MB), not again by Falcon
            resp.data, resp.media = orjson.dumps(media), None
        body = resp.render_body()
        if body is None:
            return
        rounded = media is not None and getattr(resource, "rounds_numbers", False)
        answer = orjson.dumps(_rounded(media)) if rounded else body
        etag = hashlib.sha256(self._build(req).encode() + b"\n" + answer).hexdigest()[:32]
        key = self._key(req, resource)
        if key is not None:
            self._answers_of(resource)[key] = _Answer(body, etag)
        self._tag(req, resp, resource, etag)

    @staticmethod
    def _tag(req, resp, resource, etag: str) -> None:
        """ETag and Cache-Control; a 304 with no body when If-None-Match holds the ETag."""
        resp.etag = etag
        max_age_s = getattr(resource, "max_age_s", None)
        if max_age_s is not None:
            resp.cache_control = ["private", f"max-age={max_age_s}"]
        if any(match in ("*", etag) for match in req.if_none_match or ()):
            resp.status = falcon.HTTP_304
            resp.media = resp.data = resp.text = None
            resp.delete_header("Content-Type")

    def _key(self, req, resource) -> tuple | None:
        """What a polled path's answer depends on: the build, the token's scope and the URL;
        None for requests whose answers are not kept."""
        if req.method not in _READ or getattr(resource, "max_age_s", None) is None:
            return None
        return (self._build(req), req.context.scope, req.path, req.query_string)

    def _answers_of(self, resource) -> TTLCache:
        answers = self._answers.get(resource)
        if answers is None:
            answers = TTLCache(ANSWERS_PER_PATH, ttl=resource.max_age_s, timer=self._timer)
            self._answers[resource] = answers
        return answers

    def _build(self, req) -> str:
        """The build of the request's answer: when the marts it read were built (an endpoint's
        `req.context.built_at`), else when those published now were, or "none" before the
        first."""
        if "built_at" in req.context:
            return str(req.context.built_at)
        try:
            return str(self._marts.built_at())
        except MartsUnavailable:
            return "none"


def _rounded(value):
    if isinstance(value, float):
        return float(f"{value:.{FLOAT_DIGITS}g}")
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value
