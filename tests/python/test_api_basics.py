"""What every endpoint shares: health, tokens, JSON errors for unknown paths and methods."""

import duckdb
from falcon import testing
from warehouses import FIXTURE_NOW, copy_warehouse

from api.app import create_app
from api.config import Config
from api.endpoints import ENDPOINTS, warm
from api.marts import Marts
from callstats.keys import Scope, SqliteKeyStore, keys_path
from callstats.publish import published_path


def test_health_reports_when_the_marts_were_built(client):
    result = client.simulate_get("/health")
    assert result.status_code == 200
    assert result.json["status"] == "ok"
    assert result.json["marts_built_at"].endswith("Z")


def test_a_missing_malformed_or_unknown_token_is_401_with_a_bearer_challenge(client):
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer nope"}):
        result = client.simulate_get("/analytics/overview", headers=headers)
        assert result.status_code == 401
        assert result.headers["WWW-Authenticate"] == "Bearer"
        assert set(result.json) == {"title", "description"}


def test_a_revoked_token_is_401(client, fixture_warehouse):
    store = SqliteKeyStore(keys_path(fixture_warehouse))
    key, token = store.create(Scope("all"), "short-lived")
    headers = {"Authorization": f"Bearer {token}"}
    assert client.simulate_get("/analytics/overview", headers=headers).status_code == 200
    assert store.revoke(key.key_id)
    assert client.simulate_get("/analytics/overview", headers=headers).status_code == 401


def test_a_keys_file_made_anew_is_read_anew(tmp_path):
    """The API's store keeps its connection, yet reads a replaced keys file, not the old one."""
    path = tmp_path / "callstats-keys.sqlite3"
    serving = SqliteKeyStore(path)
    _, old = SqliteKeyStore(path).create(Scope("all"))
    assert serving.scope_of(old) == Scope("all")
    path.unlink()
    _, new = SqliteKeyStore(path).create(Scope("org", "org-a"))
    assert serving.scope_of(old) is None
    assert serving.scope_of(new) == Scope("org", "org-a")


def test_unknown_paths_and_other_methods_answer_json(client, tokens):
    headers = {"Authorization": f"Bearer {tokens['all']}"}
    missing = client.simulate_get("/analytics/nothing-here", headers=headers)
    assert missing.status_code == 404
    assert missing.json == {
        "title": "404 Not Found",
        "description": "Nothing is found at /analytics/nothing-here.",
    }
    posted = client.simulate_post("/health")
    assert posted.status_code == 405
    assert posted.json["description"] == "POST is not allowed on /health; use GET."
    # no token needed to learn that a method is not allowed
    deleted = client.simulate_delete("/analytics/overview")
    assert deleted.status_code == 405
    assert deleted.json["description"] == "DELETE is not allowed on /analytics/overview; use GET."


def test_a_worker_answers_every_endpoint_once_before_its_first_request(
    fixture_warehouse, monkeypatch
):
    monkeypatch.setenv("CALLSTATS_NOW", FIXTURE_NOW)
    answered = warm(Marts(published_path(fixture_warehouse)))
    paths = [endpoint.path for endpoint in ENDPOINTS]
    assert answered == [("all", path) for path in paths] + [("org", path) for path in paths]
    assert len(paths) == 25


def test_without_published_marts_health_and_endpoints_answer_503(tmp_path):
    config = Config(marts_path=tmp_path / "none.duckdb", keys_path=tmp_path / "keys.sqlite3")
    _, token = SqliteKeyStore(config.keys_path).create(Scope("all"))
    assert warm(Marts(config.marts_path)) == []
    # A worker starts all the same, as gunicorn's do (api.wsgi).
    client = testing.TestClient(create_app(config, warm=True))
    assert client.simulate_get("/health").status_code == 503
    result = client.simulate_get(
        "/analytics/overview", headers={"Authorization": f"Bearer {token}"}
    )
    assert result.status_code == 503
    assert result.json == {
        "title": "Service Unavailable",
        "description": "No marts are published yet: run callstats build.",
    }


def test_marts_an_older_release_built_answer_503_where_they_lack_a_table(
    fixture_warehouse, tmp_path
):
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    with duckdb.connect(str(published_path(warehouse))) as connection:
        connection.execute("drop table marts.dim_latency_histogram")
    config = Config(marts_path=published_path(warehouse), keys_path=tmp_path / "keys.sqlite3")
    _, token = SqliteKeyStore(config.keys_path).create(Scope("all"))
    client = testing.TestClient(create_app(config))
    headers = {"Authorization": f"Bearer {token}"}
    # 09:00-10:00 is a partial hour: its turn values are placed in the histogram's buckets
    window = "started_after=2026-03-02T09:15:00Z&started_before=2026-03-02T12:00:00Z"
    result = client.simulate_get(
        "/api/v1/analytics/provider-latency", query_string=window, headers=headers
    )
    assert result.status_code == 503
    assert result.json == {
        "title": "Service Unavailable",
        "description": "The published marts lack a table this API reads: run callstats build.",
    }
    assert client.simulate_get("/api/v1/analytics/summary", headers=headers).status_code == 200


def test_a_parameter_given_twice_is_a_400_naming_it(client, tokens):
    result = client.simulate_get(
        "/api/v1/analytics/provider-latency",
        query_string="started_after=2026-03-02T09:00:00Z&started_after=2026-03-02T10:00:00Z",
        headers={"Authorization": f"Bearer {tokens['all']}"},
    )
    assert result.status_code == 400
    assert result.json == {
        "title": "Invalid parameter",
        "description": 'The "started_after" parameter is invalid. It is given more than once:'
        " give it once.",
    }


def test_an_error_quotes_at_most_40_characters_of_a_bad_value_and_gives_its_length(get):
    def description(path: str, **params) -> str:
        return get(path, **params).json["description"]

    errors = "/api/v1/analytics/errors"
    assert description(errors, limit="x" * 40) == (
        f"The \"limit\" parameter is invalid. '{'x' * 40}' is not an integer."
    )
    assert description(errors, limit="x" * 41) == (
        f"The \"limit\" parameter is invalid. '{'x' * 40}'… (41 characters) is not an integer."
    )
    assert description(errors, limit="9" * 3000) == (
        f"The \"limit\" parameter is invalid. '{'9' * 40}'… (3000 characters) is out of range:"
        " from 1 to 200."
    )
    assert description("/api/agents/" + "a" * 50 + "/call_stats") == (
        f"agent_id: '{'a' * 40}'… (50 characters) is not found."
    )


def test_timestamps_are_rfc_3339_or_bare_dates(get):
    for value in ("2026-W10", "20260302", "2026-03-02T10", "yesterday", "2026-03-02\n"):
        result = get("/analytics/overview", start_date=value)
        assert result.status_code == 400, value
        assert '"start_date"' in result.json["description"]
    for value in ("2026-03-02", "2026-03-02T09:00:00Z", "2026-03-02T10:00:00 01:00"):
        assert get("/analytics/overview", start_date=value).status_code == 200, value


def test_a_lower_bound_after_a_bare_date_upper_bound_is_a_400(get):
    # end_date 2026-03-02 covers that whole day; a start on 03-03 is after it
    result = get("/analytics/overview", start_date="2026-03-03", end_date="2026-03-02")
    assert result.status_code == 400
    assert '"start_date"' in result.json["description"]
    same_day = get("/analytics/overview", start_date="2026-03-02", end_date="2026-03-02")
    assert same_day.json["total_calls"] == 6


def test_a_series_longer_than_10000_buckets_is_a_400(get):
    long_window = {"start_date": "2000-01-01", "end_date": "2027-05-19"}  # 10 001 days
    result = get("/analytics/call-volume", **long_window)
    assert result.status_code == 400
    assert result.json["description"].startswith(
        'The "start_date" parameter is invalid. The window holds 10001 day buckets'
    )
    just_fits = get("/analytics/call-volume", start_date="2000-01-01", end_date="2027-05-18")
    assert len(just_fits.json) == 10_000
    metrics = get("/v1/metrics", startDate="2000-01-01", endDate="2027-05-19")
    assert metrics.status_code == 400
    assert '"startDate"' in metrics.json["description"]


def test_an_unexpected_error_is_logged_and_answered_as_a_plain_json_500(fixture_warehouse, caplog):
    class Broken:
        requires_token = False

        def on_get(self, req, resp):
            raise RuntimeError("boom")

    config = Config(
        marts_path=published_path(fixture_warehouse), keys_path=keys_path(fixture_warehouse)
    )
    app = create_app(config)
    app.add_route("/broken", Broken())
    result = testing.TestClient(app).simulate_get("/broken")
    assert result.status_code == 500
    assert result.json == {
        "title": "Internal Server Error",
        "description": "An unexpected error occurred.",
    }
    assert "unexpected error on GET /broken" in caplog.text


def test_the_dashboard_and_its_files_answer_head_without_a_body(client):
    for path in ("/dashboard", "/dashboard/dashboard.js", "/dashboard/dashboard.css"):
        got, head = client.simulate_get(path), client.simulate_head(path)
        assert head.status_code == 200
        assert head.content == b""
        for name in ("Content-Type", "Content-Security-Policy", "X-Content-Type-Options"):
            assert head.headers[name] == got.headers[name]
