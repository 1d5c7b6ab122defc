"""The API serving from PostgreSQL (CALLSTATS_TARGET=postgres) answers exactly as it does from
the published DuckDB marts: every endpoint, several windows, filters and scopes."""

from pathlib import Path

import psycopg
import pytest
from falcon import testing
from postgres import libpq
from warehouses import FIXTURE_NOW, assert_same_json

from api.app import create_app
from api.config import Config, postgres_connection
from api.openapi_document import document
from api.serialize import timestamp
from callstats.keys import KeyStore, Scope
from callstats.publish import published_path

READER = "callstats_api"
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
PATHS = [
    path.replace("{agent_id}", agent_id)
    for path in document()["paths"]
    if path != "/health"
    for agent_id in (("a-1", "a-9") if "{agent_id}" in path else ("",))
]
SCOPES = {
    "all": Scope("all"),
    "org-b": Scope("org", "org-b"),
    "res-1": Scope("reseller", "res-1"),
}


@pytest.fixture(scope="module")
def apps(fixture_warehouse: Path, postgres_warehouse: dict[str, str], tmp_path_factory):
    """A DuckDB client, a PostgreSQL client (as a login of the marts' reader role) and tokens
    valid for both."""
    with psycopg.connect(**libpq(postgres_warehouse), autocommit=True) as admin:
        exists = admin.execute("select 1 from pg_roles where rolname = %s", [READER]).fetchone()
        if not exists:
            admin.execute(f"create role {READER} login in role callstats_reader")
    keys = tmp_path_factory.mktemp("api-keys") / "keys.sqlite3"
    store = KeyStore(keys)
    tokens = {name: store.create(scope, name)[1] for name, scope in SCOPES.items()}
    duck = Config(marts_path=published_path(fixture_warehouse), keys_path=keys)
    postgres = Config(
        marts_path=published_path(fixture_warehouse),
        keys_path=keys,
        target="postgres",
        postgres={**postgres_connection(postgres_warehouse), "user": READER},
    )
    return testing.TestClient(create_app(duck)), testing.TestClient(create_app(postgres)), tokens


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("token", "parameters"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])  # fmt: skip
def test_postgresql_answers_as_duckdb(apps, monkeypatch, path, token, parameters):
    monkeypatch.setenv("CALLSTATS_NOW", FIXTURE_NOW)
    duck, postgres, tokens = apps
    headers = {"Authorization": f"Bearer {tokens[token]}"}
    on_duckdb = duck.simulate_get(path, params=parameters or None, headers=headers)
    on_postgres = postgres.simulate_get(path, params=parameters or None, headers=headers)
    assert on_postgres.status_code == on_duckdb.status_code, on_postgres.text
    assert on_duckdb.status_code < 500
    if on_duckdb.headers.get("content-type", "").startswith("application/json"):
        assert_same_json(on_duckdb.json, on_postgres.json, path)
    else:
        assert on_postgres.text == on_duckdb.text


def test_health_on_postgresql_reports_the_last_successful_build(apps, postgres_warehouse):
    _, postgres, _ = apps
    with psycopg.connect(**libpq(postgres_warehouse)) as admin:
        [(recorded,)] = admin.execute("select marts_built_at from marts.publication").fetchall()
    answer = postgres.simulate_get("/health")
    assert answer.status_code == 200
    assert answer.json == {"status": "ok", "marts_built_at": timestamp(recorded)}


def test_health_on_postgresql_without_marts(postgres_warehouse):
    config = Config(
        marts_path=Path("/nonexistent"),
        keys_path=Path("/nonexistent"),
        target="postgres",
        postgres={**postgres_connection(postgres_warehouse), "dbname": "postgres"},
    )
    answer = testing.TestClient(create_app(config)).simulate_get("/health")
    assert answer.status_code == 503
    assert answer.json == {"status": "unavailable", "marts_built_at": None}
