"""Caching for polling (api.md, Caching): a strong ETag on every 200 that changes with each
published build and with the answer, If-None-Match → 304, and seed 001's refresh rates as
Cache-Control on its six paths."""

import re
import shutil
from pathlib import Path

import duckdb
import falcon
from falcon import testing
from warehouses import FIXTURE_NOW

from api.app import create_app
from api.auth import BearerAuth
from api.caching import Caching
from api.config import Config
from api.endpoints import ENDPOINTS
from api.marts import Marts, Publication
from api.openapi_document import document
from callstats.keys import SqliteKeyStore, keys_path
from callstats.publish import published_path

SUMMARY = "/api/v1/analytics/summary"
DAY = {"started_after": "2026-03-02T00:00:00Z", "started_before": "2026-03-03T00:00:00Z"}
# seed 001's dashboard refresh table
REFRESH_S = {
    "/api/v1/analytics/summary": 30,
    "/api/v1/analytics/active-calls": 10,
    "/api/v1/analytics/call-volume": 60,
    "/api/v1/analytics/workflow-stats": 60,
    "/api/v1/analytics/provider-latency": 60,
    "/api/v1/analytics/errors": 30,
}


def test_every_200_has_a_strong_etag_and_a_match_answers_304_without_a_body(get):
    first = get(SUMMARY, **DAY)
    assert first.status_code == 200
    assert re.fullmatch(r'"[0-9a-f]{32}"', first.headers["ETag"])
    again = get(SUMMARY, **DAY)
    assert again.headers["ETag"] == first.headers["ETag"]
    for validator in (
        first.headers["ETag"],
        f"W/{first.headers['ETag']}",
        '"other", ' + first.headers["ETag"],
        "*",
    ):
        cached = get(SUMMARY, headers={"If-None-Match": validator}, **DAY)
        assert cached.status_code == 304, validator
        assert cached.content == b""
        assert cached.headers["ETag"] == first.headers["ETag"]
    stale = get(SUMMARY, headers={"If-None-Match": '"0123"'}, **DAY)
    assert stale.status_code == 200
    assert stale.json == first.json


def test_different_answers_have_different_etags(get):
    day = get(SUMMARY, **DAY)
    other_day = get(
        SUMMARY, started_after="2026-03-01T00:00:00Z", started_before="2026-03-02T00:00:00Z"
    )
    other_scope = get(SUMMARY, token="org-b", **DAY)
    assert day.json != other_day.json and day.json != other_scope.json
    tags = {result.headers["ETag"] for result in (day, other_day, other_scope)}
    assert len(tags) == 3


def test_seed_001_paths_carry_its_refresh_rates_and_others_none(get):
    for path, seconds in REFRESH_S.items():
        result = get(path, **DAY)
        assert result.status_code == 200, path
        assert result.headers["Cache-Control"] == f"private, max-age={seconds}", path
    overview = get("/analytics/overview")
    assert overview.status_code == 200 and "ETag" in overview.headers
    assert "Cache-Control" not in overview.headers


def test_errors_carry_no_etag(get):
    assert "ETag" not in get("/analytics/overview", start_date="not a date").headers
    assert "ETag" not in get("/api/agents/nobody/call_stats").headers


def test_head_answers_with_the_status_and_headers_of_get_and_no_body(client, tokens, monkeypatch):
    monkeypatch.setenv("CALLSTATS_NOW", FIXTURE_NOW)
    authorization = {"Authorization": f"Bearer {tokens['all']}"}
    requests = (
        (SUMMARY, DAY),
        ("/analytics/overview", None),
        ("/health", None),
        ("/openapi.json", None),
        ("/docs", None),
    )
    for path, params in requests:
        got = client.simulate_get(path, params=params, headers=authorization)
        head = client.simulate_head(path, params=params, headers=authorization)
        assert (head.status_code, head.content) == (200, b""), path
        assert int(head.headers["Content-Length"]) == len(got.content) > 0, path
        for header in ("ETag", "Content-Type", "Cache-Control"):
            assert head.headers.get(header) == got.headers.get(header), (path, header)
        matched = client.simulate_head(
            path, params=params, headers={**authorization, "If-None-Match": got.headers["ETag"]}
        )
        assert (matched.status_code, matched.content) == (304, b""), path
    invalid = client.simulate_head(
        "/analytics/overview", params={"start_date": "x"}, headers=authorization
    )
    assert (invalid.status_code, invalid.content) == (400, b"")
    assert client.simulate_head(SUMMARY).status_code == 401


def test_a_new_published_build_changes_every_etag(fixture_warehouse, tokens, tmp_path, monkeypatch):
    monkeypatch.setenv("CALLSTATS_NOW", "2026-03-03T00:00:00")
    rebuilt = tmp_path / "published.duckdb"
    shutil.copyfile(published_path(fixture_warehouse), rebuilt)
    with duckdb.connect(str(rebuilt)) as connection:
        connection.execute(
            "update marts.publication set marts_built_at = marts_built_at + interval 1 hour"
        )
    headers = {"Authorization": f"Bearer {tokens['all']}"}
    answers = []
    for marts_path in (published_path(fixture_warehouse), rebuilt):
        config = Config(marts_path=marts_path, keys_path=keys_path(fixture_warehouse))
        client = testing.TestClient(create_app(config))
        answers.append(client.simulate_get(SUMMARY, params=DAY, headers=headers))
    before, after = answers
    assert before.json == after.json
    assert before.headers["ETag"] != after.headers["ETag"]


def test_an_answer_and_its_etag_read_one_build_when_another_is_published_meanwhile(
    fixture_warehouse, tokens, tmp_path, monkeypatch
):
    # 08:30 to 23:59:59 on 2 March, the fixture's six calls: whole hours from the rollups, then
    # partial hours from the facts; the rebuilt marts hold no calls
    monkeypatch.setenv("CALLSTATS_NOW", "2026-03-03T00:00:00")
    window = {"started_after": "2026-03-02T08:30:00Z", "started_before": "2026-03-02T23:59:59Z"}
    built, published, rebuilt = (
        tmp_path / f"{name}.duckdb" for name in ("built", "published", "rebuilt")
    )
    for copy in (built, published, rebuilt):
        shutil.copyfile(published_path(fixture_warehouse), copy)
    with duckdb.connect(str(rebuilt)) as connection:
        connection.execute(
            "update marts.publication set marts_built_at = marts_built_at + interval 1 hour"
        )
        for (table,) in connection.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
            " and (table_name like 'fct_%' or table_name like 'rpt_%')"
        ).fetchall():
            connection.execute(f"delete from marts.{table}")

    def client(marts_path: Path) -> testing.TestClient:
        config = Config(marts_path=marts_path, keys_path=keys_path(fixture_warehouse))
        return testing.TestClient(create_app(config))

    def summary(client: testing.TestClient) -> tuple[dict, str]:
        headers = {"Authorization": f"Bearer {tokens['all']}"}
        answer = client.simulate_get(SUMMARY, params=window, headers=headers)
        return answer.json, answer.headers["ETag"]

    before, after = summary(client(built)), summary(client(rebuilt))
    assert (before[0]["total_calls"], after[0]["total_calls"]) == (6, 0)
    serving = client(published)
    statement, publish = Publication.rows, [lambda: rebuilt.replace(published)]

    def rows(publication, sql, parameters=()):
        read = statement(publication, sql, parameters)
        if publish and "marts.publication" not in sql:
            publish.pop()()  # what `callstats build` does, after the answer's first statement
        return read

    monkeypatch.setattr(Publication, "rows", rows)
    assert summary(serving) == before
    assert not publish
    assert summary(serving) == after


def test_the_document_declares_etags_304s_and_the_polling_intervals():
    spec = document()
    for path, item in spec["paths"].items():
        operation = item["get"]
        headers = operation["responses"]["200"]["headers"]
        assert operation["responses"]["304"]["headers"] == headers, path
        assert headers["ETag"] == {"$ref": "#/components/headers/ETag"}, path
        assert {"$ref": "#/components/parameters/If-None-Match"} in operation["parameters"], path
        cache_control = headers.get("Cache-Control", {}).get("schema", {}).get("const")
        expected = REFRESH_S.get(path)
        assert cache_control == (expected and f"private, max-age={expected}"), path
    header = spec["components"]["parameters"]["If-None-Match"]
    assert (header["in"], header["required"]) == ("header", False)


def _etags(fixture_warehouse, resource, values) -> list[str]:
    """The ETags of `resource`'s answers under Caching, its `value` set to each of `values`."""
    app = falcon.App(middleware=[Caching(Marts(published_path(fixture_warehouse)))])
    app.add_route("/answer", resource)
    client = testing.TestClient(app)
    tags = []
    for value in values:
        resource.value = value
        tags.append(client.simulate_get("/answer").headers["ETag"])
    return tags


def test_float_noise_from_parallel_sums_keeps_the_etag_and_another_value_changes_it(
    fixture_warehouse,
):
    class Answer:
        rounds_numbers = True
        value = 0.0

        def on_get(self, req, resp):
            resp.media = {"avg_duration_seconds": self.value, "calls": [1, {"ms": self.value}]}

    # the same average summed in two orders, then another value
    tags = _etags(fixture_warehouse, Answer(), (102.12674139018327, 102.1267413901864, 102.1267414))
    assert tags[0] == tags[1] != tags[2]


def test_an_answer_that_sums_no_numbers_is_hashed_with_its_numbers_as_they_are(
    fixture_warehouse,
):
    class Rows:
        value = 0.0

        def on_get(self, req, resp):
            resp.media = [{"latency_ms": self.value}]

    # two stored values that agree to FLOAT_DIGITS significant digits, then the first again
    tags = _etags(
        fixture_warehouse, Rows(), (102.12674139018327, 102.1267413901864, 102.12674139018327)
    )
    assert tags[0] != tags[1] and tags[0] == tags[2]
    # the lists of stored rows, and the answers of integers only
    assert [endpoint.path for endpoint in ENDPOINTS if not endpoint.rounds_numbers] == [
        "/analytics/call-volume",
        "/analytics/duration-distribution",
        "/analytics/latency-distribution",
        "/analytics/peak-hours",
        "/analytics/outcomes",
        "/analytics/stt-events",
        "/api/v1/analytics/call-volume",
        "/api/v1/analytics/errors",
        "/api/v1/analytics/active-calls",
        "/api/agents/{agent_id}/call_stats",
    ]


def test_a_polled_answer_is_kept_for_its_max_age_per_build_scope_and_url(
    fixture_warehouse, tokens, tmp_path
):
    class Polled:
        max_age_s = 30
        answered = 0

        def on_get(self, req, resp):
            self.answered += 1
            resp.media = {"answer": self.answered}

    now = [1000.0]
    published = tmp_path / "published.duckdb"
    shutil.copyfile(published_path(fixture_warehouse), published)
    marts = Marts(published)
    app = falcon.App(
        middleware=[
            BearerAuth(SqliteKeyStore(keys_path(fixture_warehouse))),
            Caching(marts, timer=lambda: now[0]),
        ]
    )
    app.add_route("/polled", Polled())
    client = testing.TestClient(app)

    def answer(token="org-a", query="window=1", **headers):
        result = client.simulate_get(
            "/polled",
            query_string=query,
            headers={"Authorization": f"Bearer {tokens[token]}", **headers},
        )
        return result.status_code, result.json, result.headers.get("ETag")

    status, first, etag = answer()
    assert (status, first) == (200, {"answer": 1})
    assert answer() == (200, {"answer": 1}, etag)
    assert answer(**{"If-None-Match": etag}) == (304, None, etag)
    assert answer(query="window=2")[1] == {"answer": 2}
    assert answer(token="org-b")[1] == {"answer": 3}
    now[0] += 29.9
    assert answer()[1] == {"answer": 1}
    now[0] += 0.2
    assert answer()[1] == {"answer": 4}
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(published, rebuilt)
    with duckdb.connect(str(rebuilt)) as connection:
        connection.execute(
            "update marts.publication set marts_built_at = marts_built_at + interval 1 hour"
        )
    rebuilt.replace(published)  # what `callstats build` does when it publishes
    assert answer()[1] == {"answer": 5}
