"""`callstats load` and `callstats generate` on the postgres target: rows land in PostgreSQL's
raw tables by bulk COPY, exactly as they land in DuckDB's."""

import json
from datetime import datetime

import duckdb
import postgres
import psycopg
import pytest
from warehouses import run_callstats

from callstats.raw_schema import RAW_TABLES

NOW = "2026-03-01T12:00:00Z"
LOADED_AT = datetime(2026, 3, 1, 12, 0)
GENERATE = ["generate", "--calls", "500", "--days", "5", "--orgs", "3", "--agents-per-org", "2",
            "--end", "2026-02-28T12:00:00", "--seed", "5"]  # fmt: skip

CALLS = [
    '{"call_id": "c1", "updated_at": "2026-02-01T10:00:00+02:00",'
    ' "started_at": "2026-02-01 07:59:30", "duration_s": 12.5, "prompt_tokens": 120,'
    ' "from_number": "", "recording_url": "a,\\"b\\"\\nc",'
    ' "metadata": {"call_context": {"campaign": "renewals", "tags": ["a", "b"]}}}',
    '{"call_id": "c2", "duration_s": ',
    "",
    '{"call_id": "c3", "duration_s": "twelve"}',
    '{"call_id": "c5", "started_at": "2026-02-01T08:00:00Z", "duration_s": "",'
    ' "ended_at": null, "metadata": null}',
]
TURNS = [
    "call_id,turn_index,started_at,user_text,is_interrupted,stt_latency_ms",
    'c1,0,2026-02-01T08:00:05Z,"hello,\n""there""",true,120.5',  # lines 2 and 3
    "c1,one,2026-02-01T08:00:09Z,again,false,80",
    'c1,1,,"",f,',
]


@pytest.fixture(scope="module")
def cluster():
    with postgres.cluster() as environment:
        yield environment


@pytest.fixture
def database(cluster):
    """The cluster's environment, its raw schema dropped first: each test starts empty."""
    with psycopg.connect(**postgres.libpq(cluster), autocommit=True) as connection:
        connection.execute("drop schema if exists raw cascade")
    return cluster


def on_postgres(environment: dict[str, str]) -> dict[str, str]:
    return {**environment, "CALLSTATS_TARGET": "postgres"}


def pg_rows(environment: dict[str, str], sql: str) -> list[tuple]:
    with psycopg.connect(**postgres.libpq(environment)) as connection:
        return connection.execute(sql).fetchall()


def duckdb_rows(path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def json_columns(table: str) -> list[int]:
    return [i for i, kind in enumerate(RAW_TABLES[table].values()) if kind == "json"]


def contents(rows: list[tuple], table: str, parse_json: bool) -> list[tuple]:
    """Rows in a comparable form: JSON parsed (DuckDB returns its text), sorted."""
    positions = json_columns(table)
    if parse_json:
        rows = [
            tuple(json.loads(v) if i in positions and v is not None else v for i, v in enumerate(r))
            for r in rows
        ]
    return sorted(rows, key=repr)


def write(folder, name: str, lines: list[str]) -> str:
    path = folder / name
    path.write_text("".join(f"{line}\n" for line in lines))
    return str(path)


def test_load_lands_exact_rows_and_load_errors(database, tmp_path):
    calls = write(tmp_path, "calls.jsonl", CALLS)
    turns = write(tmp_path, "call_turns.csv", TURNS)

    result = run_callstats(
        "load", calls, turns, warehouse=tmp_path / "unused.duckdb", now=NOW, check=False,
        env=on_postgres(database),
    )  # fmt: skip

    assert result.returncode == 1, result.stderr
    assert result.stdout.strip() == (
        "loaded 4 rows into 2 tables from 2 files; 3 records could not be parsed (raw.load_errors)"
    )
    assert f"{calls}:2: not valid JSON" in result.stderr
    assert not (tmp_path / "unused.duckdb").exists()
    assert pg_rows(
        database,
        "select call_id, updated_at, started_at, ended_at, duration_s, prompt_tokens,"
        " from_number, recording_url, metadata, loaded_at from raw.calls order by call_id",
    ) == [
        ("c1", datetime(2026, 2, 1, 8, 0), datetime(2026, 2, 1, 7, 59, 30), None, 12.5, 120,
         "", 'a,"b"\nc', {"call_context": {"campaign": "renewals", "tags": ["a", "b"]}},
         LOADED_AT),
        ("c5", None, datetime(2026, 2, 1, 8, 0), None, None, None, None, None, None, LOADED_AT),
    ]  # fmt: skip
    assert pg_rows(
        database,
        "select call_id, turn_index, started_at, user_text, is_interrupted, stt_latency_ms,"
        " loaded_at from raw.call_turns order by turn_index",
    ) == [
        ("c1", 0, datetime(2026, 2, 1, 8, 0, 5), 'hello,\n"there"', True, 120.5, LOADED_AT),
        ("c1", 1, None, None, False, None, LOADED_AT),
    ]
    assert pg_rows(
        database,
        "select table_name, source_file, line_number, reason, record_text, loaded_at"
        " from raw.load_errors order by table_name, line_number",
    ) == [
        ("call_turns", turns, 4, 'turn_index: not an integer: "one"', TURNS[2], LOADED_AT),
        ("calls", calls, 2, "not valid JSON", CALLS[1], LOADED_AT),
        ("calls", calls, 4, 'duration_s: not a number: "twelve"', CALLS[3], LOADED_AT),
    ]


def test_load_lands_what_duckdb_lands(database, tmp_path):
    paths = [write(tmp_path, "calls.jsonl", CALLS), write(tmp_path, "call_turns.csv", TURNS)]
    warehouse = tmp_path / "warehouse.duckdb"
    run_callstats("load", *paths, warehouse=warehouse, now=NOW, check=False)
    run_callstats(
        "load", *paths, warehouse=warehouse, now=NOW, check=False, env=on_postgres(database)
    )
    for table in ("calls", "call_turns", "load_errors"):
        sql = f"select * from raw.{table}"
        assert contents(pg_rows(database, sql), table, False) == contents(
            duckdb_rows(warehouse, sql), table, True
        ), table


def test_a_failing_file_keeps_the_files_before_it(database, tmp_path):
    """One transaction per file: a file whose rows PostgreSQL refuses rolls back alone."""
    good = write(tmp_path, "calls.jsonl", CALLS[:1])
    refused = write(tmp_path, "tool_calls.csv", ["tool_call_id,name", 't1,"nul \x00 byte"'])
    result = run_callstats(
        "load", good, refused, warehouse=tmp_path / "unused.duckdb", now=NOW, check=False,
        env=on_postgres(database),
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("callstats: "), result.stderr
    assert "0x00" in result.stderr, result.stderr
    assert pg_rows(database, "select call_id from raw.calls") == [("c1",)]
    assert pg_rows(database, "select count(*) from raw.tool_calls") == [(0,)]


def test_a_refused_file_leaves_postgres_untouched(database, tmp_path):
    """A `;`-separated CSV is refused while parsing, before anything is written."""
    good = write(tmp_path, "calls.jsonl", CALLS[:1])
    refused = write(tmp_path, "call_turns.csv", ["call_id;turn_index", "c1;0"])
    result = run_callstats(
        "load", good, refused, warehouse=tmp_path / "unused.duckdb", now=NOW, check=False,
        env=on_postgres(database),
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"callstats: {refused}: the header row names none of the columns of raw.call_turns:"
        " call_id, turn_index, started_at, user_text, agent_text, stt_latency_ms,"
        " llm_latency_ms, tts_latency_ms, total_latency_ms, is_interrupted;"
        " it looks ;-separated, but callstats load reads comma-separated CSV\n"
    )
    assert pg_rows(
        database, "select count(*) from information_schema.schemata where schema_name = 'raw'"
    ) == [(0,)]


def test_generate_writes_what_duckdb_gets(database, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    run_callstats(*GENERATE, warehouse=warehouse, now=NOW)
    run_callstats(*GENERATE, warehouse=tmp_path / "unused.duckdb", env=on_postgres(database))
    assert not (tmp_path / "unused.duckdb").exists()

    count = " union all ".join(
        f"select '{table}', count(*) from raw.{table}" for table in RAW_TABLES
    )
    counts = dict(duckdb_rows(warehouse, count))
    assert counts["calls"] > 500
    assert dict(pg_rows(database, count)) == counts
    calls = (
        "select call_id, updated_at, status, total_cost_usd, loaded_at from raw.calls"
        " order by call_id, updated_at, loaded_at, status, total_cost_usd"
    )
    assert sorted(pg_rows(database, calls), key=repr) == sorted(
        duckdb_rows(warehouse, calls), key=repr
    )
    for table in RAW_TABLES:
        sql = f"select * from raw.{table}"
        assert contents(pg_rows(database, sql), table, False) == contents(
            duckdb_rows(warehouse, sql), table, True
        ), table


def test_a_later_generate_lands_after_the_rows_postgres_holds(database, tmp_path):
    unused = tmp_path / "unused.duckdb"
    run_callstats(*GENERATE, warehouse=unused, env=on_postgres(database))
    newest = pg_rows(database, "select max(loaded_at) from raw.calls")[0][0]
    before = pg_rows(database, "select count(*) from raw.calls")[0][0]
    run_callstats(*GENERATE[:-1], "6", warehouse=unused, env=on_postgres(database))
    assert pg_rows(database, "select count(*) from raw.calls")[0][0] > before
    assert pg_rows(database, f"select count(*) from raw.calls where loaded_at <= '{newest}'") == [
        (before,)
    ]
