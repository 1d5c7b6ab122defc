"""GET /openapi.json describes every endpoint of api.md; GET /docs renders it offline."""

import base64
import hashlib
import re
from datetime import datetime
from html.parser import HTMLParser

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from api.schemas import array, holds_numbers, ref

WINDOW_A = {"start_date", "end_date"}
FAMILY_A = {*WINDOW_A, "agent_id"}
FAMILY_B = {"period", "started_after", "started_before"}
LOCAL_A = {*FAMILY_A, "tz"}

# Every path of api.md with the parameters it takes.
PARAMETERS = {
    "/analytics/overview": FAMILY_A,
    "/analytics/call-volume": LOCAL_A,
    "/analytics/latency": LOCAL_A,
    "/analytics/cost-overview": FAMILY_A,
    "/analytics/cost-trend": LOCAL_A,
    "/analytics/cost-by-agent": FAMILY_A,
    "/analytics/duration-distribution": FAMILY_A,
    "/analytics/latency-distribution": FAMILY_A,
    "/analytics/conversation-turns": LOCAL_A,
    "/analytics/barge-in": LOCAL_A,
    "/analytics/provider-errors": FAMILY_A,
    "/analytics/peak-hours": LOCAL_A,
    "/analytics/outcomes": FAMILY_A,
    "/analytics/agent-comparison": {*WINDOW_A, "agent_ids"},
    "/analytics/stt-events": {*WINDOW_A, "call_sid", "event_type", "limit"},
    "/analytics/stt-events/summary": WINDOW_A,
    "/api/v1/analytics/summary": FAMILY_B,
    "/api/v1/analytics/call-volume": {*FAMILY_B, "interval", "tz"},
    "/api/v1/analytics/workflow-stats": {*FAMILY_B, "limit"},
    "/api/v1/analytics/provider-latency": FAMILY_B,
    "/api/v1/analytics/errors": {*FAMILY_B, "service", "level", "offset", "limit"},
    "/api/v1/analytics/active-calls": set(),
    "/v1/metrics": {"startDate", "endDate", "organizationId", "resellerId", "tz"},
    "/api/v1/calls/analytics": {"period", "tz"},
    "/api/agents/{agent_id}/call_stats": {"agent_id", *WINDOW_A, "limit", "offset"},
    "/health": set(),
    "/openapi.json": set(),
    "/docs": set(),
    "/dashboard": set(),
}
PUBLIC = {"/health", "/openapi.json", "/docs", "/dashboard"}

# The ranges, sets and defaults api.md gives.
CONSTRAINTS = {
    ("/analytics/stt-events", "limit"): {"type": "integer", "default": 100, "minimum": 1,
                                         "maximum": 500},
    ("/analytics/stt-events", "event_type"): {"enum": [
        "connection_opened", "connection_closed", "connection_rejected", "timeout", "error",
        "utterance_end_fallback",
    ]},
    ("/api/v1/analytics/summary", "period"): {"enum": ["1h", "24h", "7d", "30d"],
                                              "default": "24h"},
    ("/api/v1/analytics/call-volume", "interval"): {"enum": ["hour", "day", "week"],
                                                    "default": "hour"},
    ("/api/v1/analytics/workflow-stats", "limit"): {"type": "integer", "default": 10,
                                                    "minimum": 1, "maximum": 50},
    ("/api/v1/analytics/errors", "service"): {"enum": ["stt", "llm", "tts", "workflow", "tool"]},
    ("/api/v1/analytics/errors", "level"): {"enum": ["error", "warning"]},
    ("/api/v1/analytics/errors", "offset"): {"type": "integer", "default": 0, "minimum": 0},
    ("/api/v1/analytics/errors", "limit"): {"type": "integer", "default": 50, "minimum": 1,
                                            "maximum": 200},
    ("/api/v1/calls/analytics", "period"): {"enum": ["1d", "7d", "30d", "90d"], "default": "7d"},
    ("/api/agents/{agent_id}/call_stats", "limit"): {"type": "integer", "default": 100,
                                                     "minimum": 1, "maximum": 1000},
    ("/api/agents/{agent_id}/call_stats", "offset"): {"type": "integer", "default": 0,
                                                      "minimum": 0},
}  # fmt: skip
TIMESTAMPS = {"start_date", "end_date", "started_after", "started_before", "startDate", "endDate"}


@pytest.fixture(scope="module")
def spec(client) -> dict:
    result = client.simulate_get("/openapi.json")
    assert result.status_code == 200
    assert result.headers["Content-Type"].startswith("application/json")
    return result.json


def resolve(spec: dict, node: dict) -> dict:
    """Follow a local `$ref` ("#/components/...") to what it names."""
    while "$ref" in node:
        assert node["$ref"].startswith("#/"), node
        target = spec
        for key in node["$ref"][2:].split("/"):
            target = target[key]
        node = target
    return node


def operations(spec: dict):
    for path, item in spec["paths"].items():
        yield path, item["get"]


def test_the_document_is_openapi_3_1_with_every_path_of_the_contract(spec):
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] and spec["info"]["version"]
    assert set(spec["paths"]) == set(PARAMETERS)
    for item in spec["paths"].values():
        assert set(item) == {"get"}
    operation_ids = [operation["operationId"] for _, operation in operations(spec)]
    assert len(set(operation_ids)) == len(operation_ids)


BLANK = {"type": "string", "pattern": "^[\\t\\n\\r ]*$"}
IDS = {"agent_id", "agent_ids", "call_sid", "organizationId", "resellerId"}


def accepted(schema: dict) -> dict:
    """A parameter's schema without its blank alternative: what a value other than blank
    must be (blank is the same as absent, api.md), with the default."""
    if "anyOf" not in schema:
        return schema
    value, blank = schema["anyOf"]
    assert blank == BLANK
    return {**value, **{key: item for key, item in schema.items() if key != "anyOf"}}


def test_every_parameter_is_listed_with_its_type_range_set_and_default(spec):
    for path, operation in operations(spec):
        parameters = {
            parameter["name"]: parameter
            for parameter in (resolve(spec, node) for node in operation["parameters"])
            if parameter["in"] != "header"
        }
        assert set(parameters) == PARAMETERS[path], path
        for name, parameter in parameters.items():
            schema = resolve(spec, parameter["schema"])
            assert parameter["in"] == ("path" if "{" + name + "}" in path else "query")
            assert parameter["required"] is (parameter["in"] == "path")
            assert parameter["description"]
            assert ("anyOf" in schema) == (name not in IDS | TIMESTAMPS), (path, name)
            value = accepted(schema)
            assert value.get("type") in {"string", "integer", "array"}, (path, name)
            expected = CONSTRAINTS.get((path, name), {})
            assert {key: value.get(key) for key in expected} == expected, (path, name)
            if name in TIMESTAMPS:
                assert schema["type"] == "string" and schema["pattern"], (path, name)
            if name == "tz":
                assert value["default"] == "UTC"
                assert {"UTC", "America/New_York", "Asia/Kolkata"} <= set(value["enum"])
    comparison = spec["paths"]["/analytics/agent-comparison"]["get"]["parameters"]
    [agent_ids] = [node for node in comparison if node.get("name") == "agent_ids"]
    assert (agent_ids["style"], agent_ids["explode"]) == ("form", False)  # a,b,c


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2026-02-01T00:00:00Z", True),
        ("2026-02-01T01:00:00+01:00", True),
        ("2026-02-01t01:00:00.123456-0530", True),
        ("2026-02-01 01:00 01:00", True),  # the + of +01:00 read as a space
        ("2026-02-01T01:00", True),  # no offset: UTC
        ("2026-02-01", True),
        ("2024-02-29", True),
        ("2000-02-29", True),
        ("1000-01-01", True),
        ("9998-12-31T23:59:59Z", True),
        ("", True),
        (" \t", True),  # blank: absent
        ("2026-02-29", False),
        ("1900-02-29", False),
        ("2026-04-31", False),
        ("2026-13-01", False),
        ("0999-12-31", False),
        ("9999-01-01", False),
        ("2026-02-01T24:00Z", False),
        ("2026-02-01T10:60Z", False),
        ("2026-02-01T10:00:00.1234567Z", False),
        ("2026-02-01T10:00:00+24:00", False),
        ("26-02-01", False),
        ("2026-2-1", False),
        ("\u0662\u0660\u0662\u0666-02-01", False),  # other digits than 0-9
        ("yesterday", False),
    ],
)
def test_the_timestamp_pattern_says_what_the_api_accepts(spec, get, value, valid):
    pattern = spec["components"]["schemas"]["TimestampOrDate"]["pattern"]
    assert bool(re.search(pattern, value)) is valid
    result = get("/analytics/overview", start_date=value)
    assert result.status_code == (200 if valid else 400), result.json


def test_every_reference_resolves_and_every_schema_is_json_schema(spec):
    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                resolve(spec, node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_every_response_has_a_schema_and_errors_share_one(spec):
    error = {"$ref": "#/components/schemas/Error"}
    for name in ("BadRequest", "Unauthorized", "NotFound", "MethodNotAllowed"):
        response = spec["components"]["responses"][name]
        assert response["content"]["application/json"]["schema"] == error
    assert resolve(spec, error)["required"] == ["title", "description"]
    for path, operation in operations(spec):
        responses = {status: resolve(spec, node) for status, node in operation["responses"].items()}
        [content] = responses["200"]["content"].values()
        assert content["schema"], path
        if path in PUBLIC:
            continue
        assert responses["401"] == spec["components"]["responses"]["Unauthorized"]
        assert ("400" in responses) == bool(PARAMETERS[path]), path
    with_ids = {path for path, operation in operations(spec) if "404" in operation["responses"]}
    assert with_ids == {
        path
        for path, names in PARAMETERS.items()
        if names & {"agent_id", "agent_ids", "organizationId", "resellerId"}
    }


def test_a_bearer_token_is_required_everywhere_but_health_openapi_docs_and_dashboard(spec, client):
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert spec["security"] == [{"bearerAuth": []}]
    for path, operation in operations(spec):
        assert operation.get("security") == ([] if path in PUBLIC else None), path
    for path in PUBLIC:
        assert client.simulate_get(path).status_code == 200


def test_every_documented_path_is_served(spec, client):
    for path in spec["paths"]:
        result = client.simulate_get(path.replace("{agent_id}", "a-1"))
        assert result.status_code == (200 if path in PUBLIC else 401), path


FORMATS = FormatChecker()  # every format jsonschema knows, date included


@FORMATS.checks("date-time", raises=ValueError)
def _api_timestamp(value) -> bool:
    """As api.md writes timestamps: UTC with `Z`, fractional seconds only when not zero."""
    if not isinstance(value, str):
        return True
    if not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z", value):
        return False
    datetime.fromisoformat(value)  # raises ValueError on e.g. month 13
    return True


def validator(spec: dict, schema: dict) -> Draft202012Validator:
    """A validator of a schema of the document, resolving the document's references."""
    registry = Registry().with_resource(_DOCUMENT, Resource(spec, DRAFT202012))
    return Draft202012Validator(_absolute(schema), registry=registry, format_checker=FORMATS)


_DOCUMENT = "urn:callstats:openapi"


def _absolute(node):
    """The schema with its local references made to point into the registered document."""
    if isinstance(node, dict):
        return {
            key: _DOCUMENT + value if key == "$ref" else _absolute(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_absolute(value) for value in node]
    return node


# Queries that reach the documented fields' edge cases: empty windows (the nullable means),
# a deleted agent, another scope, filters. Each path gets the parameters it documents.
QUERIES = [
    {},
    {"start_date": "2027-01-01", "started_after": "2027-01-01", "startDate": "2027-01-01"},
    {"agent_id": "{agent}", "agent_ids": "{agent}", "period": "30d", "interval": "week"},
    {"period": "90d", "interval": "day", "started_after": "2026-03-01", "limit": "1"},
    {"organizationId": "{org}", "event_type": "connection_opened", "service": "tts"},
]
AGENTS = {"all": ("a-1", "org-a"), "org-b": ("a-9", "org-b"), "res-1": ("a-2", "org-a")}


def test_every_answer_matches_its_documented_schema(spec, get):
    for path, operation in operations(spec):
        if path in {"/openapi.json", "/docs", "/dashboard"}:
            continue
        names = {resolve(spec, node)["name"] for node in operation["parameters"]}
        [content] = operation["responses"]["200"]["content"].values()
        answer = validator(spec, content["schema"])
        for token, (agent, org) in AGENTS.items():
            for query in QUERIES:
                params = {
                    name: value.format(agent=agent, org=org)
                    for name, value in query.items()
                    if name in names
                }
                result = get(path.format(agent_id=agent), token, **params)
                assert result.status_code == 200, (path, token, params, result.json)
                answer.validate(result.json)


def test_error_bodies_match_the_error_schema(spec, get, client):
    error = validator(spec, {"$ref": "#/components/schemas/Error"})
    for result in (
        get("/api/agents/a-1/call_stats", limit="0"),  # 400
        get("/api/agents/a-1/call_stats", token=None),  # 401
        get("/api/agents/a-1/call_stats", "org-b"),  # 404
        client.simulate_post("/openapi.json"),  # 405
    ):
        assert result.status_code in {400, 401, 404, 405}
        error.validate(result.json)


class _Page(HTMLParser):
    """What a browser would load or run: tags, their URL-bearing attributes, inline code."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in {"src", "href", "action"}]
        self._open = tag if tag in self.inline else None

    def handle_endtag(self, tag):
        self._open = None

    def handle_data(self, data):
        if self._open:
            self.inline[self._open].append(data)


def test_docs_is_a_self_contained_page_that_renders_the_document(client):
    result = client.simulate_get("/docs")
    assert result.status_code == 200
    assert result.headers["Content-Type"].startswith("text/html")
    assert not re.search(r"https?:|//[a-z]", result.text, re.IGNORECASE)
    page = _Page()
    page.feed(result.text)
    assert page.urls == []
    [script], [style] = page.inline["script"], page.inline["style"]
    assert 'fetch("openapi.json")' in script
    # The browser runs only this script and style, and may connect only to its own origin.
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in result.headers["Content-Security-Policy"].split(";")
    )

    def source(text: str) -> str:
        return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"

    assert policy["default-src"] == "'none'"
    assert policy["connect-src"] == "'self'"
    assert policy["script-src"] == source(script)
    assert policy["style-src"] == source(style)


def test_a_schema_holds_numbers_through_its_references_lists_and_free_form_objects():
    assert holds_numbers({"type": ["number", "null"]})
    assert not holds_numbers(array({"type": "integer"}))
    assert holds_numbers(array({"type": "object"}))
    assert not holds_numbers({"type": "object", "additionalProperties": {"type": "string"}})
    assert not holds_numbers(ref("CallVolume")) and holds_numbers(ref("Summary"))
