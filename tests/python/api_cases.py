"""Requests every documented path answers, for tests that compare two builds' answers: the
fixture's windows, filters and scopes (tokens of SCOPES), as CASES x PATHS."""

import pytest
from falcon import testing
from warehouses import assert_same_json

from api import marts as marts_module
from api.marts import Publication
from api.openapi_document import document
from callstats.keys import Scope

DAY = {
    "start_date": "2026-03-02",
    "end_date": "2026-03-02",
    "startDate": "2026-03-02",
    "endDate": "2026-03-02",
    "started_after": "2026-03-02T00:00:00Z",
    "started_before": "2026-03-03T00:00:00Z",
}
NARROW = {
    "start_date": "2026-03-02T09:00:00Z",
    "end_date": "2026-03-02T11:30:00Z",
    "startDate": "2026-03-02T09:00:00Z",
    "endDate": "2026-03-02T11:30:00Z",
    "started_after": "2026-03-02T09:00:00Z",
    "started_before": "2026-03-02T11:30:00Z",
}
WIDE = {
    "start_date": "2026-01-01",
    "end_date": "2026-03-31",
    "startDate": "2026-01-01",
    "endDate": "2026-03-31",
    "period": "30d",
    "interval": "week",
}
# (name, token, query parameters): unknown parameters are ignored (api.md), so every family
# reads the ones it takes.
CASES = [
    ("defaults", "all", {}),
    ("whole day", "all", DAY),
    ("narrow window", "all", NARROW),
    ("wide window", "all", WIDE),
    ("agent a-1", "all", {**DAY, "agent_id": "a-1", "agent_ids": "a-1,a-9"}),
    ("agent a-9", "all", {"agent_id": "a-9", "agent_ids": "a-9,a-2"}),
    (
        "pages and filters",
        "all",
        {"limit": "2", "offset": "1", "interval": "day", "period": "90d", "level": "error"},
    ),
    ("stt and llm", "all", {"service": "llm", "event_type": "connection_opened"}),
    ("org-b", "org-b", DAY),
    ("org-b wide", "org-b", {**WIDE, "agent_id": "a-1", "agent_ids": "a-1"}),
    ("res-1", "res-1", DAY),
    ("res-1 narrowed", "res-1", {**WIDE, "organizationId": "org-a", "resellerId": "res-1"}),
    ("kolkata hours", "all", {**DAY, "tz": "Asia/Kolkata", "interval": "hour"}),
    ("new york weeks", "org-b", {**WIDE, "tz": "America/New_York"}),
]
# Every documented path but /health (it reports when each build ran), {agent_id} as two agents.
PATHS = [
    path.replace("{agent_id}", agent_id)
    for path in document()["paths"]
    if path != "/health"
    for agent_id in (("a-1", "a-9") if "{agent_id}" in path else ("",))
]
# The tokens CASES name.
SCOPES = {
    "all": Scope("all"),
    "org-b": Scope("org", "org-b"),
    "res-1": Scope("reseller", "res-1"),
}


def assert_same_answer(expected: testing.Result, actual: testing.Result, path: str) -> None:
    """The same status and body (JSON as values, floats within 1e-9 relative); never a 5xx."""
    assert actual.status_code == expected.status_code, actual.text
    assert expected.status_code < 500
    if expected.headers.get("content-type", "").startswith("application/json"):
        assert_same_json(expected.json, actual.json, path)
    else:
        assert actual.text == expected.text


def each_request(test):
    """Parametrize `test` over PATHS x CASES: its arguments `path`, `token` (a SCOPES name)
    and `parameters`."""
    cases = pytest.mark.parametrize(
        ("token", "parameters"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
    )
    return pytest.mark.parametrize("path", PATHS)(cases(test))


def assert_same_answers(
    expected: testing.TestClient,
    actual: testing.TestClient,
    tokens: dict[str, str],
    path: str,
    token: str,
    parameters: dict[str, str],
) -> None:
    """GET `path` with `parameters` as `token` from both APIs: the same answer."""
    headers = {"Authorization": f"Bearer {tokens[token]}"}
    answers = [
        api.simulate_get(path, params=parameters or None, headers=headers)
        for api in (expected, actual)
    ]
    assert_same_answer(*answers, path)


def executed_statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The list to which every statement a publication runs from now on adds its text; no
    answer is shared between processes, so each lasting statement runs once in the test's."""
    executed: list[str] = []
    execute = Publication._execute

    def recorded(publication, sql, parameters):
        executed.append(sql)
        return execute(publication, sql, parameters)

    monkeypatch.setattr(Publication, "_execute", recorded)
    monkeypatch.setattr(marts_module, "_shared_answers", lambda path: None)
    return executed


class RecordedReads:
    """A publication of the marts that notes each statement it runs in `statements`, as
    `("lasting", sql)` (kept per publication) or `("rows", sql)`."""

    def __init__(self, publication, statements: list[tuple[str, str]]):
        self._publication = publication
        self._statements = statements
        self.keeps_answers = publication.keeps_answers

    def rows(self, sql, parameters=()):
        self._statements.append(("rows", sql))
        return self._publication.rows(sql, parameters)

    def lasting_rows(self, sql, parameters=(), shape=None):
        self._statements.append(("lasting", sql))
        return self._publication.lasting_rows(sql, parameters, shape)

    def lasting_columns(self, sql, parameters, shape):
        self._statements.append(("lasting", sql))
        return self._publication.lasting_columns(sql, parameters, shape)

    def together(self, *reads):
        return self._publication.together(*reads)
