"""`callstats load` (cli.md): good records land in their raw table, bad ones in raw.load_errors."""

import json
from datetime import datetime

import duckdb
import pytest

from callstats import cli, load, warehouse

NOW = datetime(2026, 3, 1, 12, 0)


@pytest.fixture
def environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CALLSTATS_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("CALLSTATS_NOW", "2026-03-01T12:00:00Z")


@pytest.fixture
def connection(environment):
    with warehouse.connect() as connection:
        yield connection


def write(folder, name: str, lines: list[str]) -> str:
    path = folder / name
    path.write_text("".join(f"{line}\n" for line in lines))
    return str(path)


def rows(connection, sql: str) -> list[tuple]:
    return connection.execute(sql).fetchall()


def load_errors(connection) -> list[tuple]:
    return rows(
        connection,
        "select table_name, source_file, line_number, reason, record_text, loaded_at"
        " from raw.load_errors order by source_file, line_number",
    )


def has_raw_schema(connection) -> bool:
    sql = "select count(*) from duckdb_schemas() where schema_name = 'raw'"
    return rows(connection, sql) == [(1,)]


CALLS = [
    '{"call_id": "c1", "updated_at": "2026-02-01T10:00:00+02:00",'
    ' "started_at": "2026-02-01 07:59:30", "duration_s": 12.5, "prompt_tokens": 120,'
    ' "outcome": 42, "loaded_at": "1999-01-01T00:00:00",'
    ' "metadata": {"call_context": {"campaign": "renewals", "tags": ["a", "b"]}}}',
    '{"call_id": "c2", "duration_s": ',
    '{"call_id": "c3", "duration_s": "twelve"}',
    '{"call_id": "c4", "started_at": "next tuesday"}',
    "",
    '{"call_id": "c5", "started_at": "2026-02-01T08:00:00Z", "duration_s": "",'
    ' "ended_at": null, "metadata": null}',
]


def test_jsonl_loads_good_lines_and_keeps_bad_ones(connection, tmp_path):
    path = write(tmp_path, "calls.jsonl", CALLS)

    report = load.load_files(connection, [path], dry_run=False)

    assert report.summary() == (
        "loaded 2 rows into 1 table from 1 file; 3 records could not be parsed (raw.load_errors)"
    )
    assert report.has_unparsed_records
    assert report.problems == [
        f"{path}:2: not valid JSON",
        f'{path}:3: duration_s: not a number: "twelve"',
        f'{path}:4: started_at: not a timestamp: "next tuesday"',
    ]
    assert report.warnings == [f"{path}: ignored columns not loaded into raw.calls: loaded_at"]
    loaded = rows(
        connection,
        "select call_id, updated_at, started_at, ended_at, duration_s, prompt_tokens, outcome,"
        " metadata, loaded_at from raw.calls order by call_id",
    )
    assert [row[:7] + row[8:] for row in loaded] == [
        (
            "c1",
            datetime(2026, 2, 1, 8, 0),
            datetime(2026, 2, 1, 7, 59, 30),
            None,
            12.5,
            120,
            "42",
            NOW,
        ),
        ("c5", None, datetime(2026, 2, 1, 8, 0), None, None, None, None, NOW),
    ]
    assert json.loads(loaded[0][7]) == {
        "call_context": {"campaign": "renewals", "tags": ["a", "b"]}
    }
    assert loaded[1][7] is None
    assert load_errors(connection) == [
        ("calls", path, 2, "not valid JSON", CALLS[1], NOW),
        ("calls", path, 3, 'duration_s: not a number: "twelve"', CALLS[2], NOW),
        ("calls", path, 4, 'started_at: not a timestamp: "next tuesday"', CALLS[3], NOW),
    ]


def test_values_are_read_by_the_types_of_their_columns(connection, tmp_path):
    records = [
        ("1", '"yes"', '"2026-02-01T08:00:00.250-05:30"', '" 15.5 "'),
        ("2", '"F"', '"2026-02-01"', "1e3"),
        ("3", "true", '"2026-02-01 08:00"', '"  "'),
        ("4", '"maybe"', "1769932800", '"0x10"'),
        ("5", "2", '"2026-02-30T00:00:00Z"', '"Infinity"'),
    ]
    path = write(
        tmp_path,
        "tool_calls.ndjson",
        [
            f'{{"tool_call_id": "t{key}", "is_success": {success}, "started_at": {started},'
            f' "latency_ms": {latency}}}'
            for key, success, started, latency in records
        ],
    )

    report = load.load_files(connection, [path], dry_run=False)

    assert rows(
        connection,
        "select tool_call_id, is_success, started_at, latency_ms from raw.tool_calls"
        " order by tool_call_id",
    ) == [
        ("t1", True, datetime(2026, 2, 1, 13, 30, 0, 250000), 15.5),
        ("t2", False, datetime(2026, 2, 1), 1000.0),
        ("t3", True, datetime(2026, 2, 1, 8, 0), None),
    ]
    assert report.problems == [
        f'{path}:4: started_at: not a timestamp: "1769932800";'
        ' latency_ms: not a number: "0x10"; is_success: not a boolean: "maybe"',
        f'{path}:5: started_at: not a timestamp: "2026-02-30T00:00:00Z";'
        ' latency_ms: not a number: "Infinity"; is_success: not a boolean: "2"',
    ]


CALL_ERRORS = [
    "error_id,call_id,occurred_at,service,details,region",
    'e1,c1,2026-02-01T09:00:00+01:00,stt,"{""code"": 1011, ""retry"": true}",eu',
    "e2,c1,2026-02-01 08:00:05,llm,{not json,eu",
    "e3,c1,2026-02-01 08:00:07,tts,,eu",
    "e4,c1,2026-02-01 08:00:09",
    'e5,c1,,"tool, http",  ,us',
]


def test_csv_loads_good_lines_and_keeps_bad_ones(connection, tmp_path):
    path = write(tmp_path, "call_errors.csv", CALL_ERRORS)

    report = load.load_files(connection, [path], dry_run=False)

    assert report.summary() == (
        "loaded 3 rows into 1 table from 1 file; 2 records could not be parsed (raw.load_errors)"
    )
    assert report.warnings == [f"{path}: ignored columns not loaded into raw.call_errors: region"]
    loaded = rows(
        connection,
        "select error_id, occurred_at, service, details, loaded_at from raw.call_errors"
        " order by error_id",
    )
    assert [row[:3] + row[4:] for row in loaded] == [
        ("e1", datetime(2026, 2, 1, 8, 0), "stt", NOW),
        ("e3", datetime(2026, 2, 1, 8, 0, 7), "tts", NOW),
        ("e5", None, "tool, http", NOW),
    ]
    assert json.loads(loaded[0][3]) == {"code": 1011, "retry": True}
    assert [row[3] for row in loaded[1:]] == [None, None]
    assert load_errors(connection) == [
        ("call_errors", path, 3, 'details: not valid JSON: "{not json"', CALL_ERRORS[2], NOW),
        ("call_errors", path, 5, "Expected Number of Columns: 6 Found: 3", CALL_ERRORS[4], NOW),
    ]


def test_csv_lines_count_blank_lines_and_a_quoted_value_once(connection, tmp_path):
    path = write(
        tmp_path,
        "call_turns.csv",
        [
            "call_id,turn_index,user_text,total_latency_ms",
            'c1,0,"Hello,',
            'is this billing?",850',
            "",
            "c1,1,Yes,fast",
            "c1,2,Thanks,910,extra",
        ],
    )

    report = load.load_files(connection, [path], dry_run=False)

    assert rows(connection, "select call_id, turn_index, user_text from raw.call_turns") == [
        ("c1", 0, "Hello,\nis this billing?")
    ]
    assert report.problems == [
        f'{path}:4: total_latency_ms: not a number: "fast"',
        f"{path}:5: Expected Number of Columns: 4 Found: 5",
    ]


def test_parquet_rows_are_numbered_from_one(connection, tmp_path):
    path = str(tmp_path / "stt_events.parquet")
    duckdb.sql(
        "copy (select * from (values"
        " ('s1', 'call-1', '2026-02-01T08:00:00+01:00', {'code': 1011}, 'x'),"
        " ('s2', 'call-1', 'soon', null, 'x'))"
        " as events(event_id, call_id, created_at, detail, shard))"
        f" to '{path}' (format parquet)"
    )

    report = load.load_files(connection, [path], dry_run=False)

    assert report.warnings == [f"{path}: ignored columns not loaded into raw.stt_events: shard"]
    assert rows(connection, "select event_id, call_id, created_at, detail from raw.stt_events") == [
        ("s1", "call-1", datetime(2026, 2, 1, 7, 0), '{"code":1011}')
    ]
    assert load_errors(connection) == [
        (
            "stt_events",
            path,
            2,
            'created_at: not a timestamp: "soon"',
            '{"event_id":"s2","call_id":"call-1","created_at":"soon","detail":null,"shard":"x"}',
            NOW,
        )
    ]


def test_dry_run_reports_the_same_and_writes_nothing(connection, tmp_path):
    path = write(tmp_path, "calls.jsonl", CALLS)

    report = load.load_files(connection, [path], dry_run=True)

    assert report.summary() == (
        "dry run: would load 2 rows into 1 table from 1 file; 3 records could not be parsed"
    )
    assert len(report.problems) == 3
    assert not has_raw_schema(connection)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bookings.jsonl", ": no raw table named 'bookings'; expected one of organizations, "),
        ("load_errors.csv", ": no raw table named 'load_errors'; expected one of "),
        ("calls.json", ": unknown file type; expected one of .jsonl, .ndjson, .csv, .parquet"),
        ("calls.gone.jsonl", ": no such file"),
    ],
)
def test_a_file_that_cannot_be_loaded_fails_before_anything_is_written(
    connection, tmp_path, name, reason
):
    good = write(tmp_path, "calls.jsonl", CALLS[:1])
    bad = str(tmp_path / name)
    if name != "calls.gone.jsonl":
        write(tmp_path, name, CALLS[:1])

    with pytest.raises(load.LoadFailed) as failure:
        load.load_files(connection, [good, bad], dry_run=False)

    assert str(failure.value).startswith(bad + reason)
    assert not has_raw_schema(connection)


def test_problems_list_the_first_records_of_a_file_then_count_the_rest(
    connection, tmp_path, monkeypatch
):
    monkeypatch.setattr(load, "PROBLEMS_SHOWN_PER_FILE", 2)
    path = write(tmp_path, "calls.jsonl", ["{"] * 5)

    report = load.load_files(connection, [path], dry_run=False)

    assert report.problems == [
        f"{path}:1: not valid JSON",
        f"{path}:2: not valid JSON",
        f"{path}: 3 more records could not be parsed",
    ]
    assert rows(connection, "select count(*) from raw.load_errors") == [(5,)]


def test_loading_a_file_twice_keeps_both_copies(connection, tmp_path):
    path = write(tmp_path, "calls.jsonl", CALLS)

    load.load_files(connection, [path], dry_run=False)
    load.load_files(connection, [path], dry_run=False)

    assert rows(connection, "select call_id, count(*) from raw.calls group by 1 order by 1") == [
        ("c1", 2),
        ("c5", 2),
    ]
    assert rows(connection, "select count(*) from raw.load_errors") == [(6,)]


def run_cli(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    code = cli.main(["load", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_cli_exits_0_when_every_record_loads(environment, tmp_path, capsys):
    path = write(tmp_path, "calls.jsonl", CALLS[5:])

    assert run_cli(capsys, path) == (0, ["loaded 1 row into 1 table from 1 file"], [])


def test_cli_exits_1_when_a_record_cannot_be_parsed(environment, tmp_path, capsys):
    path = write(tmp_path, "calls.jsonl", [CALLS[5], CALLS[2]])

    code, out, err = run_cli(capsys, path)

    assert code == 1
    assert out == [
        "loaded 1 row into 1 table from 1 file; 1 record could not be parsed (raw.load_errors)"
    ]
    assert err == [f'{path}:2: duration_s: not a number: "twelve"']


def test_cli_exits_1_on_an_unknown_table(environment, tmp_path, capsys):
    path = write(tmp_path, "bookings.jsonl", CALLS[:1])

    code, out, err = run_cli(capsys, path)

    assert (code, out) == (1, [])
    assert len(err) == 1
    assert err[0].startswith(f"callstats: {path}: no raw table named 'bookings'")
