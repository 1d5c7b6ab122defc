"""The API serving from PostgreSQL (CALLSTATS_TARGET=postgres) answers exactly as it does from
the published DuckDB marts: every endpoint, several windows, filters and scopes."""

from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from api_cases import assert_same_answers, each_request
from falcon import testing
from postgres import READER, api_clients, libpq
from servers import free_port, http_get, running
from warehouses import FIXTURE_NOW, run_callstats

from api.app import create_app
from api.config import Config, postgres_connection
from api.marts import MartsUnavailable
from api.postgres_marts import PostgresMarts
from api.serialize import timestamp
from callstats.keys import PostgresKeyStore, Scope
from callstats.publish import published_path


@pytest.fixture(scope="module")
def apps(fixture_warehouse: Path, postgres_warehouse: dict[str, str], tmp_path_factory):
    """A DuckDB client, a PostgreSQL client and tokens valid for both (postgres.api_clients)."""
    keys = tmp_path_factory.mktemp("api-keys") / "keys.sqlite3"
    return api_clients(published_path(fixture_warehouse), postgres_warehouse, keys)


@each_request
def test_postgresql_answers_as_duckdb(apps, monkeypatch, path, token, parameters):
    monkeypatch.setenv("CALLSTATS_NOW", FIXTURE_NOW)
    assert_same_answers(*apps, path, token, parameters)


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
        store="postgres",
        postgres={**postgres_connection(postgres_warehouse), "dbname": "postgres"},
    )
    answer = testing.TestClient(create_app(config)).simulate_get("/health")
    assert answer.status_code == 503
    assert answer.json == {"status": "unavailable", "marts_built_at": None}


@pytest.mark.parametrize(
    ("database", "port", "description"),
    [
        ("postgres", None, "No marts are published yet: run callstats build."),
        ("callstats", "1", "The marts cannot be read now: try again later."),
    ],
    ids=["no marts built", "postgresql unreachable"],
)
def test_marts_that_cannot_be_read_say_why(postgres_warehouse, database, port, description):
    connection = {**postgres_connection(postgres_warehouse), "dbname": database}
    marts = PostgresMarts({**connection, "port": port} if port else connection)
    with pytest.raises(MartsUnavailable) as raised:
        marts.built_at()
    assert raised.value.description == description


@pytest.mark.parametrize(
    ("database", "port", "status", "title"),
    [("postgres", None, 401, "Unauthorized"), ("callstats", "1", 503, "Service Unavailable")],
    ids=["no keys table yet", "postgresql unreachable"],
)
def test_tokens_without_a_readable_key_table(postgres_warehouse, database, port, status, title):
    connection = {**postgres_connection(postgres_warehouse), "dbname": database}
    config = Config(
        marts_path=Path("/nonexistent"),
        keys_path=Path("/nonexistent"),
        store="postgres",
        postgres={**connection, "port": port} if port else connection,
    )
    answer = testing.TestClient(create_app(config)).simulate_get(
        "/analytics/overview", headers={"Authorization": "Bearer cs_unknown"}
    )
    assert (answer.status_code, answer.json["title"]) == (status, title)


def test_two_api_hosts_share_a_key_created_once(apps, postgres_warehouse, tmp_path):
    """`callstats keys create` on PostgreSQL, once: two `callstats serve` processes (as the
    reader login) accept the token, and both refuse it once it is revoked."""
    admin = {**postgres_warehouse, "CALLSTATS_TARGET": "postgres", "CALLSTATS_NOW": FIXTURE_NOW}
    created = run_callstats(
        "keys", "create", "--org", "org-b", "--name", "two-hosts",
        warehouse=tmp_path / "cli.duckdb", env=admin,
    )  # fmt: skip
    key_id = created.stdout.split()[2]
    token = created.stdout.splitlines()[-1]
    reader = {**admin, "PGUSER": READER}
    ports = [free_port(), free_port()]
    with (
        running("serve", "--port", str(ports[0]), warehouse=tmp_path / "host-a.duckdb",
                ready_url=f"http://127.0.0.1:{ports[0]}/health", env=reader),
        running("serve", "--port", str(ports[1]), warehouse=tmp_path / "host-b.duckdb",
                ready_url=f"http://127.0.0.1:{ports[1]}/health", env=reader),
    ):  # fmt: skip
        answers = [
            http_get(f"http://127.0.0.1:{port}/analytics/overview?start_date=2026-03-02", token)
            for port in ports
        ]
        assert answers[0] == answers[1]
        assert answers[0][0] == 200
        assert answers[0][1]["total_calls"] == 3  # org-b's calls in the fixture
        run_callstats("keys", "revoke", key_id, warehouse=tmp_path / "cli.duckdb", env=admin)
        for port in ports:
            assert http_get(f"http://127.0.0.1:{port}/analytics/overview", token)[0] == 401


def test_a_key_lookup_outlives_a_dropped_connection(postgres_warehouse):
    """The API's kept connection closed by the server (a restart, an idle timeout): the next
    lookup opens another and answers."""
    with closing(PostgresKeyStore(postgres_connection(postgres_warehouse))) as store:
        _, token = store.create(Scope("org", "org-a"), "dropped")
        assert store.scope_of(token) == Scope("org", "org-a")
        with psycopg.connect(**libpq(postgres_warehouse), autocommit=True) as admin:
            admin.execute(
                "select pg_terminate_backend(pid) from pg_stat_activity"
                " where pid != pg_backend_pid() and datname = current_database()"
                " and backend_type = 'client backend'"
            )
        assert store.scope_of(token) == Scope("org", "org-a")
