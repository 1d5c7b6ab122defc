"""PostgreSQL as the serving store of a DuckDB build (CALLSTATS_SERVING_STORE=postgres):
`callstats build` copies the published marts into PostgreSQL's schema `marts`, and the API
serving from there answers every documented request as from the published file."""

from contextlib import closing
from pathlib import Path

import duckdb
import psycopg
import pytest
from api_cases import SCOPES, assert_same_answers, each_request
from falcon import testing
from postgres import assert_same_marts, create_shared_key, libpq
from warehouses import FIXTURE_NOW, copy_warehouse, run_callstats

from api.app import create_app
from api.config import Config, postgres_connection
from callstats.publish import publish_postgres, published_path

READER = "callstats_api"


@pytest.fixture(scope="module")
def serving(fixture_warehouse: Path, postgres_cluster: dict[str, str], tmp_path_factory):
    """A copy of the fixture's warehouse built again by `callstats build` with a database of
    its own in postgres_cluster as the serving store: (the warehouse, its environment)."""
    environment = {**postgres_cluster, "PGDATABASE": "callstats_serving"}
    with psycopg.connect(**libpq(postgres_cluster), autocommit=True) as admin:
        admin.execute("create database callstats_serving")
    warehouse = copy_warehouse(fixture_warehouse, tmp_path_factory.mktemp("serving"))
    store = {**environment, "CALLSTATS_SERVING_STORE": "postgres"}
    run_callstats("build", warehouse=warehouse, now=FIXTURE_NOW, env=store)
    return warehouse, environment


@pytest.fixture(scope="module")
def apps(fixture_warehouse: Path, serving, tmp_path_factory):
    """A DuckDB client, a client of the PostgreSQL store (as a login of the marts' reader
    role, reading the keys PostgreSQL keeps) and tokens valid for both."""
    _, environment = serving
    with psycopg.connect(**libpq(environment), autocommit=True) as admin:
        exists = admin.execute("select 1 from pg_roles where rolname = %s", [READER]).fetchone()
        if not exists:
            admin.execute(f"create role {READER} login in role callstats_reader")
    keys = tmp_path_factory.mktemp("serving-keys") / "keys.sqlite3"
    tokens = {
        name: create_shared_key(environment, keys, scope, name) for name, scope in SCOPES.items()
    }
    duck = Config(marts_path=published_path(fixture_warehouse), keys_path=keys)
    postgres = Config(
        marts_path=Path("/nonexistent"),
        keys_path=Path("/nonexistent"),
        store="postgres",
        postgres={**postgres_connection(environment), "user": READER},
    )
    return testing.TestClient(create_app(duck)), testing.TestClient(create_app(postgres)), tokens


def test_the_store_holds_the_published_marts(fixture_warehouse, serving):
    _, environment = serving
    assert_same_marts(fixture_warehouse, environment)


@each_request
def test_the_api_answers_from_the_store_as_from_the_file(
    apps, monkeypatch, path, token, parameters
):
    monkeypatch.setenv("CALLSTATS_NOW", FIXTURE_NOW)
    assert_same_answers(*apps, path, token, parameters)


def test_text_compares_by_code_point_in_the_store(serving):
    _, environment = serving
    with psycopg.connect(**libpq(environment)) as connection:
        collations = connection.execute(
            "select distinct collation_name from information_schema.columns"
            " where table_schema = 'marts' and data_type = 'text'"
        ).fetchall()
    assert collations == [("C",)]


def test_a_failed_publication_leaves_the_store_as_it_was(serving, tmp_path, monkeypatch):
    """A marts file with a column PostgreSQL has no type for here: nothing replaces `marts`."""
    _, environment = serving
    with psycopg.connect(**libpq(environment)) as connection:
        before = connection.execute("select marts_built_at from marts.publication").fetchall()
    marts = tmp_path / "untyped.duckdb"
    with duckdb.connect(str(marts)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.publication as select timestamp '2031-01-02' as marts_built_at"
        )
        connection.execute("create table marts.waits as select interval 1 hour as wait")
    for variable in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        monkeypatch.setenv(variable, environment[variable])
    with pytest.raises(ValueError, match="no PostgreSQL type for the marts' DuckDB type INTERVAL"):
        publish_postgres(marts)
    with psycopg.connect(**libpq(environment)) as connection:
        after = connection.execute("select marts_built_at from marts.publication").fetchall()
        [(tables,)] = connection.execute(
            "select count(*) from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    assert after == before
    assert tables > 20


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"CALLSTATS_SERVING_STORE": "sqlite"}, "must be duckdb or postgres, not 'sqlite'"),
        (
            {"CALLSTATS_SERVING_STORE": "duckdb", "CALLSTATS_TARGET": "postgres"},
            "must be postgres on the postgres target",
        ),
    ],
    ids=["unknown store", "postgres target"],
)
def test_a_serving_store_that_cannot_be_is_one_line_on_stderr(tmp_path, environment, message):
    result = run_callstats(
        "build", warehouse=tmp_path / "callstats.duckdb", env=environment, check=False
    )
    assert result.returncode == 1
    assert result.stderr == f"callstats: CALLSTATS_SERVING_STORE {message}\n"
    assert not (tmp_path / "callstats-published.duckdb").exists()


def test_keys_live_in_the_store(serving, tmp_path):
    """`callstats keys create` with PostgreSQL as the serving store keeps the key there."""
    _, environment = serving
    store = {**environment, "CALLSTATS_SERVING_STORE": "postgres"}
    run_callstats(
        "keys", "create", "--org", "org-b", "--name", "in-the-store",
        warehouse=tmp_path / "callstats.duckdb", env=store,
    )  # fmt: skip
    with closing(psycopg.connect(**libpq(environment))) as connection:
        names = connection.execute("select name from callstats_keys.api_keys").fetchall()
    assert ("in-the-store",) in names
    assert not (tmp_path / "callstats-keys.sqlite3").exists()
