"""A throwaway PostgreSQL cluster for the tests: started here, stopped afterwards.

The server refuses to run as root, so as root it runs as the `postgres` user; when its
binaries are missing, they are installed from Debian's packages. Anything that keeps it from
starting fails the tests that need it: they are never skipped.
"""

import glob
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import duckdb
import psycopg2
from api_cases import SCOPES
from falcon import testing
from servers import free_port
from warehouses import BUILD_RECORDS, assert_same_rows, comparable_rows

from api.app import create_app
from api.config import Config, postgres_connection
from callstats.keys import READER_ROLE, PostgresKeyStore, Scope, SqliteKeyStore
from callstats.publish import published_path
from callstats.raw_schema import RAW_SCHEMA, RAW_TABLES, create_table_statements

SERVER_USER = "postgres"
# The API's login in the tests: a member of the marts' reader role.
READER = "callstats_api"


def _bindir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found and os.geteuid() == 0:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True)
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("no PostgreSQL server binaries: apt-get install postgresql")
    return Path(found[-1]).parent


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command


@contextmanager
def cluster() -> Iterator[dict[str, str]]:
    """Yields the libpq environment (PGHOST, PGPORT, PGUSER, PGDATABASE) of a fresh cluster
    with an empty `callstats` database."""
    bindir = _bindir()
    data = Path(tempfile.mkdtemp(prefix="callstats-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, SERVER_USER)
    port = free_port()

    def run(program: str, *args: str) -> None:
        subprocess.run(
            _as_server_user([str(bindir / program), *args]),
            check=True,
            capture_output=True,
            text=True,
        )

    run("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
        "--locale=C.UTF-8", "-N")  # fmt: skip
    options = (
        f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    run("pg_ctl", "-D", str(data), "-l", str(data / "server.log"), "-w", "-o", options, "start")
    environment = {
        "PGHOST": "127.0.0.1",
        "PGPORT": str(port),
        "PGUSER": "postgres",
        "PGPASSWORD": "",
        "PGDATABASE": "callstats",
    }
    try:
        run("createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "callstats")
        yield environment
    finally:
        run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(data, ignore_errors=True)


def copy_raw_tables(duckdb_warehouse: Path, environment: dict[str, str]) -> None:
    """Fill the raw tables of PostgreSQL with the rows of a DuckDB warehouse's, as an EL tool
    would: bulk COPY of every column, loaded_at included."""
    with (
        duckdb.connect(str(duckdb_warehouse), read_only=True) as source,
        psycopg2.connect(**libpq(environment)) as target,
        target.cursor() as cursor,
        tempfile.TemporaryDirectory() as scratch,
    ):
        for statement in create_table_statements("postgres"):
            cursor.execute(statement)
        for table, columns in RAW_TABLES.items():
            names = ", ".join(columns)
            export = Path(scratch) / f"{table}.csv"
            source.execute(
                f"copy (select {names} from {RAW_SCHEMA}.{table}) to '{export}' (header false)"
            )
            with export.open() as rows:
                cursor.copy_expert(
                    f"copy {RAW_SCHEMA}.{table} ({names}) from stdin (format csv)", rows
                )


def libpq(environment: dict[str, str]) -> dict[str, str]:
    """psycopg2.connect() arguments for a cluster's environment."""
    return {
        "host": environment["PGHOST"],
        "port": environment["PGPORT"],
        "user": environment["PGUSER"],
        "dbname": environment["PGDATABASE"],
    }


def assert_same_marts(duckdb_warehouse: Path, environment: dict[str, str]) -> None:
    """Every marts table a DuckDB warehouse published and PostgreSQL's hold the same rows
    (floats within 1e-9 relative, json as parsed values)."""
    with (
        duckdb.connect(str(published_path(duckdb_warehouse)), read_only=True) as duck,
        psycopg2.connect(**libpq(environment)) as pg,
        pg.cursor() as cursor,
    ):
        tables = duck.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
            f" and table_type = 'BASE TABLE' and table_name not in ({BUILD_RECORDS}) order by 1"
        ).fetchall()
        assert len(tables) >= 20
        for (table,) in tables:
            columns = [
                column
                for (column,) in duck.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
            ]
            on_duckdb = _rows(duck.cursor(), table, columns)
            assert_same_rows(_rows(cursor, table, columns), on_duckdb, table)


def _rows(cursor, table: str, columns: list[str]) -> list[tuple]:
    names = ", ".join(f'"{column}"' for column in columns)
    cursor.execute(f"select {names} from marts.{table}")
    return comparable_rows(cursor.fetchall())


def create_shared_key(environment: dict[str, str], keys: Path, scope: Scope, name: str) -> str:
    """A token valid on both targets: a key created in PostgreSQL (callstats_keys.api_keys),
    its row copied into the SQLite key file `keys` the DuckDB API reads."""
    with closing(PostgresKeyStore(postgres_connection(environment))) as store:
        key, token = store.create(scope, name)
    with psycopg2.connect(**libpq(environment)) as source, source.cursor() as cursor:
        cursor.execute("select * from callstats_keys.api_keys where key_id = %s", [key.key_id])
        row = cursor.fetchone()
    SqliteKeyStore(keys).list()  # creates the file's table
    with closing(sqlite3.connect(keys)) as copy, copy:
        copy.execute("insert into api_keys values (?, ?, ?, ?, ?, ?, ?)", row)
    return token


def api_clients(
    duckdb_marts: Path, environment: dict[str, str], keys: Path
) -> tuple[testing.TestClient, testing.TestClient, dict[str, str]]:
    """A client of the API over a DuckDB marts file, one over PostgreSQL's marts (as READER,
    reading the keys PostgreSQL keeps) and, for each SCOPES name, a token both accept (the
    same key rows in the SQLite file `keys`)."""
    admin = psycopg2.connect(**libpq(environment))
    admin.autocommit = True
    with closing(admin), admin.cursor() as cursor:
        cursor.execute("select 1 from pg_roles where rolname = %s", [READER])
        if cursor.fetchone() is None:
            cursor.execute(f"create role {READER} login in role {READER_ROLE}")
    tokens = {
        name: create_shared_key(environment, keys, scope, name) for name, scope in SCOPES.items()
    }
    duck = Config(marts_path=duckdb_marts, keys_path=keys)
    postgres = Config(
        marts_path=Path("/nonexistent"),
        keys_path=Path("/nonexistent"),
        store="postgres",
        postgres={**postgres_connection(environment), "user": READER},
    )
    return testing.TestClient(create_app(duck)), testing.TestClient(create_app(postgres)), tokens
