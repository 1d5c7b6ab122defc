"""PostgreSQL as the serving store of a DuckDB build (CALLSTATS_SERVING_STORE=postgres):
`callstats build` copies the published marts into PostgreSQL's schema `marts`, and the API
serving from there answers every documented request as from the published file."""

import shutil
import threading
import time
from contextlib import closing, contextmanager
from pathlib import Path

import duckdb
import psycopg
import pytest
from api_cases import assert_same_answers, each_request
from postgres import READER, api_clients, assert_same_marts, libpq
from warehouses import FIXTURE_NOW, copy_warehouse, run_callstats

from api import endpoints
from api.postgres_marts import PostgresMarts
from callstats.keys import READER_ROLE
from callstats.publish import REPLACED_PREFIX, publish_postgres, published_path


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
    """A DuckDB client, a client of the PostgreSQL store and tokens valid for both
    (postgres.api_clients)."""
    _, environment = serving
    keys = tmp_path_factory.mktemp("serving-keys") / "keys.sqlite3"
    return api_clients(published_path(fixture_warehouse), environment, keys)


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


@pytest.mark.parametrize("command", ["build", "serve"])
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
def test_a_serving_store_that_cannot_be_is_one_line_on_stderr(
    tmp_path, command, environment, message
):
    result = run_callstats(
        command, warehouse=tmp_path / "callstats.duckdb", env=environment, check=False
    )
    assert result.returncode == 1
    assert result.stderr == f"callstats: CALLSTATS_SERVING_STORE {message}\n"
    assert not (tmp_path / "callstats-published.duckdb").exists()


def test_an_unreachable_store_stops_the_build_before_dbt(fixture_raw, postgres_cluster, tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    shutil.copyfile(fixture_raw, warehouse)
    unreachable = {**postgres_cluster, "PGPORT": "1", "CALLSTATS_SERVING_STORE": "postgres"}
    result = run_callstats("build", warehouse=warehouse, env=unreachable, check=False)
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("callstats: the PostgreSQL serving store is not reachable: ")
    assert "port 1 failed" in line
    assert not published_path(warehouse).exists()


def test_a_second_publication_replaces_the_first(fixture_warehouse, serving, monkeypatch):
    """The reader role and the marts exist already: they are kept and replaced, and no
    schema is left over."""
    _, environment = serving
    for variable in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        monkeypatch.setenv(variable, environment[variable])
    publish_postgres(published_path(fixture_warehouse))
    assert_same_marts(fixture_warehouse, environment)
    assert _marts_schemas(environment) == ["marts"]


def test_a_query_on_the_marts_holds_up_no_publication(fixture_warehouse, serving, monkeypatch):
    """A BI query reading the marts in a long transaction: the publication swaps the new marts
    in without waiting for it, the query goes on reading the old ones, and the old schema is
    dropped by the next publication after the query ends."""
    _, environment = serving
    for variable in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        monkeypatch.setenv(variable, environment[variable])
    marts = published_path(fixture_warehouse)
    with psycopg.connect(**libpq(environment)) as reader:
        [(calls,)] = reader.execute("select count(*) from marts.fct_calls").fetchall()
        publication = threading.Thread(target=publish_postgres, args=[marts])
        publication.start()
        publication.join(timeout=120)
        assert not publication.is_alive()
        [replaced] = [name for name in _marts_schemas(environment) if name != "marts"]
        assert replaced.startswith("marts_replaced_")
        assert reader.execute("select count(*) from marts.fct_calls").fetchall() == [(calls,)]
        with psycopg.connect(**libpq(environment)) as other:
            [(old,)] = other.execute(f"select count(*) from {replaced}.fct_calls").fetchall()
        assert old == calls
    publish_postgres(marts)
    assert _marts_schemas(environment) == ["marts"]


@pytest.mark.parametrize(
    ("path", "parameters", "status"),
    [
        ("/api/agents/a%00b/call_stats", {}, 404),
        ("/analytics/overview", {"agent_id": "a\x00b"}, 404),
        ("/analytics/agent-comparison", {"agent_ids": "a-1,a\x00b"}, 404),
        ("/v1/metrics", {"organizationId": "org-b\x00"}, 404),
        ("/analytics/stt-events", {"call_sid": "c\x00"}, 200),
    ],
)
def test_text_with_a_nul_character_answers_as_on_duckdb(
    apps, monkeypatch, path, parameters, status
):
    """PostgreSQL text cannot hold NUL: an id with one is not visible and a call SID with one
    matches no event, as on DuckDB (api.md: ids are never checked for format)."""
    monkeypatch.setenv("CALLSTATS_NOW", FIXTURE_NOW)
    duck, postgres, tokens = apps
    headers = {"Authorization": f"Bearer {tokens['all']}"}
    answer = duck.simulate_get(path, params=parameters, headers=headers)
    assert answer.status_code == status, answer.text
    if status == 200:
        assert answer.json == []
    assert_same_answers(duck, postgres, tokens, path, "all", parameters)


def _marts_schemas(environment: dict[str, str]) -> list[str]:
    with psycopg.connect(**libpq(environment)) as connection:
        return [
            name
            for (name,) in connection.execute(
                "select nspname from pg_namespace where nspname like 'marts%' order by 1"
            ).fetchall()
        ]


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


def test_a_login_that_may_not_create_schemas_stops_the_build_before_dbt(
    fixture_raw, serving, tmp_path
):
    _, environment = serving
    with psycopg.connect(**libpq(environment), autocommit=True) as admin:
        admin.execute("create role callstats_viewer login")
    warehouse = tmp_path / "callstats.duckdb"
    shutil.copyfile(fixture_raw, warehouse)
    viewer = {**environment, "PGUSER": "callstats_viewer", "CALLSTATS_SERVING_STORE": "postgres"}
    result = run_callstats("build", warehouse=warehouse, env=viewer, check=False)
    assert result.returncode == 1
    assert result.stderr == (
        "callstats: the PostgreSQL serving store's login may not create schemas"
        " in database callstats_serving\n"
    )
    assert not published_path(warehouse).exists()


def test_publications_into_one_database_take_turns(fixture_warehouse, serving, monkeypatch):
    _, environment = serving
    for variable in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        monkeypatch.setenv(variable, environment[variable])
    failures = []

    def publish() -> None:
        try:
            publish_postgres(published_path(fixture_warehouse))
        except Exception as error:  # what the assertion below reports
            failures.append(error)

    publications = [threading.Thread(target=publish) for _ in range(2)]
    for publication in publications:
        publication.start()
    for publication in publications:
        publication.join(timeout=120)
    assert failures == []
    assert_same_marts(fixture_warehouse, environment)
    assert _marts_schemas(environment) == ["marts"]


def test_the_api_outlives_its_connections_being_closed(apps, serving, monkeypatch):
    """A server restart closes the pool's connections: the next request opens new ones."""
    monkeypatch.setenv("CALLSTATS_NOW", FIXTURE_NOW)
    _, postgres, tokens = apps
    _, environment = serving
    headers = {"Authorization": f"Bearer {tokens['all']}"}
    assert postgres.simulate_get("/analytics/overview", headers=headers).status_code == 200
    with psycopg.connect(**libpq(environment), autocommit=True) as admin:
        [(closed,)] = admin.execute(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity where usename = %s",
            [READER],
        ).fetchall()
    assert closed >= 1
    assert postgres.simulate_get("/analytics/overview", headers=headers).status_code == 200


def test_a_page_read_while_a_publication_swaps_in_is_read_again(
    fixture_warehouse, serving, apps, monkeypatch
):
    """A page of call records takes several statements. A publication swapped in after its
    keys were read shows the later statements its tables empty: the page is read again, from
    the new publication, and answers as the file does."""
    duck, postgres, tokens = apps
    publication, pages = _publishing_after_the_first_keys(fixture_warehouse, serving, monkeypatch)
    headers = {"Authorization": f"Bearer {tokens['all']}"}
    answer = postgres.simulate_get("/api/agents/a-1/call_stats", headers=headers)
    publication.join(timeout=120)
    assert answer.status_code == 200, answer.text
    expected = duck.simulate_get("/api/agents/a-1/call_stats", headers=headers).json
    assert [record["call_id"] for record in expected] == ["c-2", "c-1"]
    assert answer.json == expected
    assert len(pages) == 2 and pages[0] == pages[1]
    assert _marts_schemas(serving[1]) == ["marts"]


def test_a_page_replaced_during_every_read_is_a_503(fixture_warehouse, serving, apps, monkeypatch):
    """With one read of a page allowed, a publication swapped in after its keys makes the
    answer a 503 that says so; the next request reads the new publication."""
    monkeypatch.setattr(endpoints, "_READS", 1)
    duck, postgres, tokens = apps
    publication, pages = _publishing_after_the_first_keys(fixture_warehouse, serving, monkeypatch)
    headers = {"Authorization": f"Bearer {tokens['all']}"}
    answer = postgres.simulate_get("/api/agents/a-1/call_stats", headers=headers)
    publication.join(timeout=120)
    assert (answer.status_code, answer.json) == (
        503,
        {
            "title": "Service Unavailable",
            "description": "A new build replaced the marts while this answer was read: try again.",
        },
    )
    again = postgres.simulate_get("/api/agents/a-1/call_stats", headers=headers)
    assert again.status_code == 200
    assert again.json == duck.simulate_get("/api/agents/a-1/call_stats", headers=headers).json
    assert len(pages) == 2 and pages[0] == pages[1]


def test_a_page_never_mixes_two_publications(fixture_warehouse, serving, apps, monkeypatch):
    """A publication's tables are filled, and committed, before it swaps them in: here before
    the answer's transaction starts. Swapped in after the page's keys were read, its rows are
    visible to the later statements, so they alone cannot tell. The new publication adds a
    newer call of the agent: the answer is the new publication's page, read again, not the
    old page's calls with the new rows."""
    monkeypatch.setenv("CALLSTATS_NOW", FIXTURE_NOW)
    _, environment = serving
    _, postgres, tokens = apps
    with psycopg.connect(**libpq(environment), autocommit=True) as admin:
        admin.execute("create schema marts_publishing")
        for (name,) in admin.execute(
            "select tablename from pg_tables where schemaname = 'marts'"
        ).fetchall():
            admin.execute(f"create table marts_publishing.{name} as table marts.{name}")
        admin.execute(
            "insert into marts_publishing.fct_calls select * from marts.fct_calls"
            " where call_id = 'c-2'"
        )
        admin.execute(
            "update marts_publishing.fct_calls set call_id = 'c-new',"
            " started_at = started_at + interval '1 minute'"
            " where ctid = (select max(ctid) from marts_publishing.fct_calls"
            " where call_id = 'c-2')"
        )
    pages = _swapped_after_the_first_keys(monkeypatch, lambda: _swap_schemas(environment))
    headers = {"Authorization": f"Bearer {tokens['all']}"}
    answer = postgres.simulate_get("/api/agents/a-1/call_stats", headers=headers)
    for variable in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        monkeypatch.setenv(variable, environment[variable])
    publish_postgres(published_path(fixture_warehouse))
    assert answer.status_code == 200, answer.text
    assert [[call_id for call_id, _ in page] for page in pages] == [
        ["c-2", "c-1"],
        ["c-new", "c-2", "c-1"],
    ]
    assert [record["call_id"] for record in answer.json] == ["c-new", "c-2", "c-1"]
    assert answer.json[0]["initiation_time"] > answer.json[1]["initiation_time"]
    assert _marts_schemas(environment) == ["marts"]


def _publishing_after_the_first_keys(
    fixture_warehouse, serving, monkeypatch
) -> tuple[threading.Thread, list[list[tuple]]]:
    """A publication of the fixture's marts into PostgreSQL, started right after the first
    page's keys were read, once its swap has begun; and the keys of each page read."""
    monkeypatch.setenv("CALLSTATS_NOW", FIXTURE_NOW)
    _, environment = serving
    for variable in ("PGHOST", "PGPORT", "PGUSER", "PGDATABASE"):
        monkeypatch.setenv(variable, environment[variable])
    publication = threading.Thread(
        target=publish_postgres, args=[published_path(fixture_warehouse)]
    )

    def swap() -> None:
        publication.start()
        _wait_for(lambda: any(_replaced(environment)))

    return publication, _swapped_after_the_first_keys(monkeypatch, swap)


def _swapped_after_the_first_keys(monkeypatch, swap) -> list[list[tuple]]:
    """Make every PostgresMarts publication record the keys of each page it reads, and call
    `swap` right after the first page's keys were read; the recorded keys, page by page."""
    publication, pages = PostgresMarts.publication, []

    class Swapping:
        def __init__(self, read):
            self._read = read
            self.lasting_rows, self.built_at = read.lasting_rows, read.built_at
            self.lasting_items = read.lasting_items
            self.together, self.keeps_answers = read.together, read.keeps_answers

        def rows(self, sql, parameters=()):
            rows = self._read.rows(sql, parameters)
            if "offset ?" in sql:
                pages.append(rows)
                if len(pages) == 1:
                    swap()
            return rows

    @contextmanager
    def swapped(marts):
        with publication(marts) as read:
            yield Swapping(read)

    monkeypatch.setattr(PostgresMarts, "publication", swapped)
    return pages


def _swap_schemas(environment: dict[str, str]) -> None:
    """What a publication's swap does: `marts` out, `marts_publishing` in, readable."""
    with psycopg.connect(**libpq(environment)) as admin:
        admin.execute(f"alter schema marts rename to {REPLACED_PREFIX}test")
        admin.execute("alter schema marts_publishing rename to marts")
        admin.execute(f"grant usage on schema marts to {READER_ROLE}")
        admin.execute(f"grant select on all tables in schema marts to {READER_ROLE}")


def _replaced(environment: dict[str, str]) -> list[str]:
    return [name for name in _marts_schemas(environment) if name.startswith(REPLACED_PREFIX)]


def _wait_for(condition, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
