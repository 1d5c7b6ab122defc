"""The OpenAPI 3.1 document of the API, derived from the endpoint declarations (api.endpoints)
and the answer schemas (api.schemas): every endpoint, parameter and response of api.md."""

from importlib.metadata import version

from api.endpoints import ENDPOINTS, Endpoint
from api.schemas import SCHEMAS, ref

_SERVICE = "Service"


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


_IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "The ETag of an earlier answer (or `*`): a 304 while it still holds.",
}

_HEADERS = {
    "ETag": {
        "description": (
            "Strong; changes with each published build and differs between different answers"
            " (an answer over a window relative to now changes as time passes)."
        ),
        "schema": {"type": "string"},
    },
}


def _cached(success: dict, max_age_s: int | None = None) -> dict:
    """The 200 `success` with its ETag (and Cache-Control when the path sets a polling
    interval), and the 304 an If-None-Match holding that ETag gets."""
    headers = {"ETag": {"$ref": "#/components/headers/ETag"}}
    if max_age_s is not None:
        headers["Cache-Control"] = {
            "description": f"Poll this path at most every {max_age_s} s.",
            "schema": {"type": "string", "const": f"private, max-age={max_age_s}"},
        }
    return {
        "200": {**success, "headers": headers},
        "304": {
            "description": (
                "If-None-Match holds the answer's ETag (or `*`): the answer is unchanged and no"
                " new build is published. No body."
            ),
            "headers": headers,
        },
    }


def _error_response(description: str, headers: dict | None = None) -> dict:
    response = {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }
    if headers:
        response["headers"] = headers
    return response


_RESPONSES = {
    "BadRequest": _error_response(
        "A parameter is malformed: an unparseable timestamp or number, a lower bound after the"
        " upper bound, a value outside its listed set, an integer outside its range, or a"
        " malformed id list. The description names the parameter."
    ),
    "Unauthorized": _error_response(
        "The bearer token is missing, malformed, unknown or revoked.",
        {
            "WWW-Authenticate": {
                "description": "Always `Bearer`.",
                "schema": {"type": "string", "const": "Bearer"},
            }
        },
    ),
    "NotFound": _error_response(
        "An id the token cannot see, answered exactly as one that does not exist (an unknown"
        " path answers the same way)."
    ),
    "MethodNotAllowed": _error_response("Any method other than GET on a path of this document."),
    "ServiceUnavailable": _error_response("No marts are published yet: run `callstats build`."),
}


def _operation(endpoint: Endpoint) -> dict:
    """A GET that needs a token and reads the marts."""
    responses = _cached(
        {
            "description": "Success.",
            "content": {"application/json": {"schema": endpoint.response}},
        },
        endpoint.max_age_s,
    )
    if endpoint.parameters:
        responses["400"] = _ref("responses", "BadRequest")
    responses["401"] = _ref("responses", "Unauthorized")
    if endpoint.takes_ids:
        responses["404"] = _ref("responses", "NotFound")
    responses["503"] = _ref("responses", "ServiceUnavailable")
    return {
        "get": {
            "operationId": endpoint.operation_id,
            "tags": [endpoint.tag],
            "summary": endpoint.summary,
            "description": endpoint.description,
            "parameters": [
                *(parameter.openapi() for parameter in endpoint.parameters),
                _ref("parameters", "If-None-Match"),
            ],
            "responses": responses,
        }
    }


def _service() -> dict:
    def public(operation_id: str, summary: str, media_type: str, schema: dict) -> dict:
        return {
            "operationId": operation_id,
            "tags": [_SERVICE],
            "summary": summary,
            "security": [],
            "parameters": [_ref("parameters", "If-None-Match")],
            "responses": _cached(
                {"description": "Success.", "content": {media_type: {"schema": schema}}}
            ),
        }

    health = public(
        "health", "Whether marts are published, and when.", "application/json", ref("Health")
    )
    health["responses"]["503"] = {
        "description": "No marts are published yet.",
        "content": {"application/json": {"schema": ref("Health")}},
    }
    return {
        "/health": {"get": health},
        "/openapi.json": {
            "get": public("openapi", "This document.", "application/json", {"type": "object"})
        },
        "/docs": {
            "get": public(
                "docs",
                "This document as a page, with nothing fetched from the internet.",
                "text/html",
                {"type": "string"},
            )
        },
        "/dashboard": {
            "get": public(
                "dashboard",
                "Charts of these endpoints for a token the page asks for, with nothing fetched"
                " from the internet.",
                "text/html",
                {"type": "string"},
            )
        },
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "callstats API",
            "version": version("callstats"),
            "description": (
                "Call analytics for voice-AI agents, read from the marts. Every endpoint is a"
                " GET answering JSON, and HEAD gives its status and headers without the body;"
                " any other method answers 405 with the Error body"
                " (components.responses.MethodNotAllowed). Every endpoint except /health,"
                " /openapi.json, /docs and /dashboard needs `Authorization: Bearer <token>`;"
                " a token sees the calls of its org, of its reseller's orgs, or all calls. Ids"
                " are JSON strings. Timestamps are RFC 3339 UTC with `Z`, dates YYYY-MM-DD."
                " Lists that are newest first break ties by id. Unknown query parameters are"
                " ignored."
            ),
        },
        "security": [{"bearerAuth": []}],
        "tags": [
            {"name": name}
            for name in dict.fromkeys([*(endpoint.tag for endpoint in ENDPOINTS), _SERVICE])
        ],
        "paths": {
            **{endpoint.path: _operation(endpoint) for endpoint in ENDPOINTS},
            **_service(),
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `callstats keys create`.",
                }
            },
            "parameters": {"If-None-Match": _IF_NONE_MATCH},
            "headers": _HEADERS,
            "responses": _RESPONSES,
            "schemas": SCHEMAS,
        },
    }
