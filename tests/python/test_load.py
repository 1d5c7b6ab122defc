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

    report = load.load_files(connection, [path], dry_run=False, progress=False)

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

    report = load.load_files(connection, [path], dry_run=False, progress=False)

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

    report = load.load_files(connection, [path], dry_run=False, progress=False)

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


# A quoted value holding a newline makes a record two lines long: DuckDB counts it as one.
TURNS = [
    "call_id,turn_index,user_text,total_latency_ms",  # 1
    'c1,0,"Hello,',  # 2
    'is this billing?",850',  # 3
    "c1,1,Yes,900",  # 4
    "",  # 5
    "c1,2,Thanks,910",  # 6
    "c1,x,Bad,930",  # 7: a bad value
    'c1,4,"Wait,',  # 8
    'one more",940',  # 9
    "c1,5,Extra,950,oops",  # 10: a field too many
    'c1,6,"Two',  # 11: a field too many, on two lines
    'lines",960,oops',  # 12
    "c1,7,Done,970",  # 13
]


@pytest.mark.parametrize(("newline", "bom"), [("\n", ""), ("\r\n", "\ufeff")])
def test_csv_bad_records_are_reported_at_their_first_physical_line(
    connection, tmp_path, capsys, newline, bom
):
    path = tmp_path / "call_turns.csv"
    path.write_bytes((bom + "".join(f"{line}{newline}" for line in TURNS)).encode())

    code, out, err = run_cli(capsys, str(path))

    assert (code, out) == (
        1,
        ["loaded 5 rows into 1 table from 1 file; 3 records could not be parsed (raw.load_errors)"],
    )
    assert err == [
        f'{path}:7: turn_index: not an integer: "x"',
        f"{path}:10: Expected Number of Columns: 4 Found: 5",
        f"{path}:11: Expected Number of Columns: 4 Found: 5",
    ]
    assert rows(
        connection,
        "select line_number, reason, record_text from raw.load_errors order by line_number",
    ) == [
        (7, 'turn_index: not an integer: "x"', "c1,x,Bad,930"),
        (10, "Expected Number of Columns: 4 Found: 5", "c1,5,Extra,950,oops"),
        (11, "Expected Number of Columns: 4 Found: 5", f'c1,6,"Two{newline}lines",960,oops'),
    ]
    assert rows(
        connection,
        "select turn_index, user_text, total_latency_ms from raw.call_turns order by turn_index",
    ) == [
        (0, f"Hello,{newline}is this billing?", 850.0),
        (1, "Yes", 900.0),
        (2, "Thanks", 910.0),
        (4, f"Wait,{newline}one more", 940.0),
        (7, "Done", 970.0),
    ]


def test_a_quote_never_closed_makes_the_rest_of_the_file_one_bad_record(
    connection, tmp_path, capsys
):
    path = write(tmp_path, "call_turns.csv", ["call_id,turn_index", "c1,1", 'c2,"2', "c3,3"])
    problems = [f"{path}:3: unterminated quoted value"]

    assert run_cli(capsys, "--dry-run", path) == (
        1,
        ["dry run: would load 1 row into 1 table from 1 file; 1 record could not be parsed"],
        problems,
    )
    assert not has_raw_schema(connection)
    assert run_cli(capsys, path) == (
        1,
        ["loaded 1 row into 1 table from 1 file; 1 record could not be parsed (raw.load_errors)"],
        problems,
    )
    assert rows(connection, "select call_id, turn_index from raw.call_turns") == [("c1", 1)]
    assert load_errors(connection) == [
        ("call_turns", path, 3, "unterminated quoted value", 'c2,"2\nc3,3', NOW)
    ]


# A quoted value on two lines, then one never closed: the rest of the file is one record.
OPEN_TURNS = [
    "call_id,turn_index,user_text",  # 1
    'c1,0, "Hello,',  # 2: DuckDB skips a space before a quote
    'is this billing?"',  # 3
    "",  # 4
    "c1,x,Bad",  # 5: a bad value
    'c1,2,"Yes, ""sure""',  # 6: never closed
    "c1,3,Thanks",  # 7
]


@pytest.mark.parametrize(("newline", "bom"), [("\n", ""), ("\r\n", "\ufeff")])
def test_a_quote_never_closed_is_reported_at_the_first_physical_line_of_its_record(
    connection, tmp_path, newline, bom
):
    path = tmp_path / "call_turns.csv"
    path.write_bytes((bom + "".join(f"{line}{newline}" for line in OPEN_TURNS)).encode())

    report = load.load_files(connection, [str(path)], dry_run=False, progress=False)

    assert report.problems == [
        f'{path}:5: turn_index: not an integer: "x"',
        f"{path}:6: unterminated quoted value",
    ]
    assert rows(
        connection,
        "select line_number, reason, record_text from raw.load_errors order by line_number",
    ) == [
        (5, 'turn_index: not an integer: "x"', "c1,x,Bad"),
        (6, "unterminated quoted value", f'c1,2,"Yes, ""sure""{newline}c1,3,Thanks'),
    ]
    assert rows(connection, "select turn_index, user_text from raw.call_turns") == [
        (0, f"Hello,{newline}is this billing?")
    ]


def test_stray_quotes_in_unquoted_values_are_not_taken_for_a_quote_never_closed(
    connection, tmp_path
):
    path = write(
        tmp_path,
        "call_turns.csv",
        [
            "call_id,turn_index,user_text",
            'c1,0,"She said ""hi"",',
            'then left"',
            'c1,1,a 12" pizza',
            'c1,2,"ok "',
        ],
    )
    # an odd number of quotes, the last after a space: the csv module has to look
    assert load._may_end_quoted(path)

    report = load.load_files(connection, [path], dry_run=False, progress=False)

    assert (report.summary(), report.problems) == ("loaded 3 rows into 1 table from 1 file", [])
    assert rows(
        connection, "select turn_index, user_text from raw.call_turns order by turn_index"
    ) == [(0, 'She said "hi",\nthen left'), (1, 'a 12" pizza'), (2, "ok ")]
    assert load_errors(connection) == []


def test_a_quote_never_closed_is_found_when_a_stray_quote_makes_the_count_even(
    connection, tmp_path
):
    lines = ["call_id,turn_index,user_text", 'c1,0,a 12" pizza', 'c1,1,"Yes', "c1,2,Thanks"]
    path = write(tmp_path, "call_turns.csv", lines)

    report = load.load_files(connection, [path], dry_run=False, progress=False)

    assert report.problems == [f"{path}:3: unterminated quoted value"]
    assert rows(connection, "select turn_index, user_text from raw.call_turns") == [
        (0, 'a 12" pizza')
    ]
    assert rows(connection, "select line_number, record_text from raw.load_errors") == [
        (3, 'c1,1,"Yes\nc1,2,Thanks')
    ]


def test_a_quote_never_closed_after_blank_lines_of_a_single_column_csv(connection, tmp_path):
    path = write(tmp_path, "agents.csv", ["agent_id", "a1", "", '"a2', "", "a3"])

    report = load.load_files(connection, [path], dry_run=True, progress=False)

    assert report.problems == [f"{path}:4: unterminated quoted value"]


def test_the_text_of_a_quote_never_closed_is_cut_like_that_of_rejected_records(
    connection, tmp_path
):
    long_value = 'c1,0,"' + "y" * 200_000 + '"'
    too_long = "c1,1,a field too many," + "w" * 20_000
    never_closed = 'c1,2,"' + "x" * 20_000
    lines = ["call_id,turn_index,user_text", long_value, too_long, never_closed]
    path = write(tmp_path, "call_turns.csv", lines)

    load.load_files(connection, [path], dry_run=False, progress=False)

    assert rows(connection, "select length(user_text) from raw.call_turns") == [(200_000,)]
    assert rows(
        connection, "select line_number, record_text from raw.load_errors order by line_number"
    ) == [(3, too_long[:10_000]), (4, never_closed[:10_000])]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_jsonl_bad_records_are_reported_at_their_physical_line(
    connection, tmp_path, capsys, newline
):
    path = tmp_path / "calls.jsonl"
    lines = [
        '{"call_id": "c1"}',
        "",
        "",
        '{"call_id": "c2", "duration_s": "x"}',
        '{"call_id": "c3"}',
    ]
    path.write_bytes("".join(f"{line}{newline}" for line in lines).encode())

    code, _, err = run_cli(capsys, str(path))

    assert (code, err) == (1, [f'{path}:4: duration_s: not a number: "x"'])
    assert rows(connection, "select line_number from raw.load_errors") == [(4,)]
    assert rows(connection, "select call_id from raw.calls order by 1") == [("c1",), ("c3",)]


def test_a_semicolon_separated_csv_is_refused_with_the_whole_command(connection, tmp_path, capsys):
    before = write(tmp_path, "calls.jsonl", [CALLS[5]])
    assert run_cli(capsys, before)[0] == 0
    calls = write(tmp_path, "calls.csv", ["call_id;updated_at;status", "c7;2026-02-01;completed"])
    turns = write(tmp_path, "call_turns.csv", ["call_id,turn_index", "c7,0"])

    code, out, err = run_cli(capsys, turns, calls)

    assert (code, out, len(err)) == (1, [], 1)
    assert err[0].startswith(
        f"callstats: {calls}: the header row names none of the columns of raw.calls:"
        " call_id, updated_at, org_id, "
    )
    assert err[0].endswith("; it looks ;-separated, but callstats load reads comma-separated CSV")
    assert rows(connection, "select call_id from raw.calls") == [("c5",)]
    assert rows(connection, "select count(*) from raw.call_turns") == [(0,)]


def test_a_csv_naming_none_of_its_columns_is_refused(connection, tmp_path):
    path = write(tmp_path, "organizations.csv", ["id,title", "o1,Acme"])

    with pytest.raises(load.LoadFailed) as failure:
        load.load_files(connection, [path], dry_run=True, progress=False)

    assert str(failure.value) == (
        f"{path}: the header row names none of the columns of raw.organizations:"
        " org_id, name, reseller_id, created_at"
    )


def test_parquet_rows_are_numbered_from_one(connection, tmp_path):
    path = str(tmp_path / "stt_events.parquet")
    duckdb.sql(
        "copy (select * from (values"
        " ('s1', 'call-1', '2026-02-01T08:00:00+01:00', {'code': 1011}, 'x'),"
        " ('s2', 'call-1', 'soon', null, 'x'))"
        " as events(event_id, call_id, created_at, detail, shard))"
        f" to '{path}' (format parquet)"
    )

    report = load.load_files(connection, [path], dry_run=False, progress=False)

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

    report = load.load_files(connection, [path], dry_run=True, progress=False)

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
        load.load_files(connection, [good, bad], dry_run=False, progress=False)

    assert str(failure.value).startswith(bad + reason)
    assert not has_raw_schema(connection)


def test_problems_list_the_first_records_of_a_file_then_count_the_rest(
    connection, tmp_path, monkeypatch
):
    monkeypatch.setattr(load, "PROBLEMS_SHOWN_PER_FILE", 2)
    path = write(tmp_path, "calls.jsonl", ["{"] * 5)

    report = load.load_files(connection, [path], dry_run=False, progress=False)

    assert report.problems == [
        f"{path}:1: not valid JSON",
        f"{path}:2: not valid JSON",
        f"{path}: 3 more records could not be parsed",
    ]
    assert rows(connection, "select count(*) from raw.load_errors") == [(5,)]


def test_loading_a_file_twice_keeps_both_copies(connection, tmp_path):
    path = write(tmp_path, "calls.jsonl", CALLS)

    load.load_files(connection, [path], dry_run=False, progress=False)
    load.load_files(connection, [path], dry_run=False, progress=False)

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


def test_progress_is_a_bar_on_stderr_advancing_per_file_parsed_and_written(
    connection, tmp_path, capsys
):
    paths = [
        write(tmp_path, "calls.jsonl", CALLS[5:]),
        write(tmp_path, "agents.csv", ["agent_id", "a1"]),
    ]

    load.load_files(connection, paths, dry_run=False, progress=True)

    bar = capsys.readouterr().err
    assert "load: 100%" in bar
    assert "4/4" in bar
