"""An incremental build after late and repeated rows gives the same marts as a full refresh."""

import json
from datetime import date, datetime, timedelta

import duckdb
import pytest
from late_rows import LATE_LOAD, lonely_call, write_late_files
from warehouses import (
    BUILD_RECORDS,
    FIXTURES,
    assert_same_rows,
    copy_warehouse,
    query_function,
    run_callstats,
    run_dbt,
    run_result,
)

from callstats.publish import publish, published_path

pytestmark = pytest.mark.slow(cpu_s=330)

FIRST_END = "2026-03-08T00:00:00"
SECOND_END = "2026-03-12T00:00:00"
# The LiveKit Agents logs of test_platforms, loaded before the first build; after it, the
# agent's log of room-b41d09 goes on with one more LLM turn (512 + 20 tokens, at 09:31:30),
# loaded five minutes after the rest of the log: in the same hour of loaded_at.
LIVEKIT = FIXTURES / "platforms" / "livekit"
LIVEKIT_LOAD = ["load", "--source", "livekit", "--org", "org_lk_demo", "--agent", "frontdesk-lk"]
RETELL = FIXTURES / "platforms" / "retell"
RETELL_LOAD = ["load", "--source", "retell", "--org", "org_maple"]
LIVEKIT_LATE_LINE = (
    '{"type":"llm_metrics","label":"livekit.plugins.openai.llm.LLM","request_id":"chat-late",'
    '"timestamp":1772443890.0,"ttft":0.5,"cancelled":false,"completion_tokens":20,'
    '"prompt_tokens":512,"speech_id":"speech_late"}\n'
)
# A line of room-b41d09's agent from two days before its first (2026-02-28 09:31:03).
LIVEKIT_EARLY_LINE = (
    '{"type":"llm_metrics","label":"livekit.plugins.openai.llm.LLM","request_id":"chat-early",'
    '"timestamp":1772271063.0,"ttft":0.5,"cancelled":false,"completion_tokens":20,'
    '"prompt_tokens":512,"speech_id":"speech_early"}\n'
)
# A cancelled TTS metric of room-b41d09's first turn, before the one its log has (0.18 s).
LIVEKIT_CANCELLED_TTS_LINE = (
    '{"type":"tts_metrics","label":"livekit.plugins.cartesia.tts.TTS","request_id":"tts-early",'
    '"timestamp":1772443866.5,"ttfb":0.25,"cancelled":true,"speech_id":"speech_71d0c4a8e2b5",'
    '"metadata":{"model_name":"sonic-2","model_provider":"Cartesia"}}\n'
)


def _insert_turn(warehouse, call_id: str, stt_latency_ms: float, loaded_at: datetime) -> None:
    """Turn 0 of call `call_id` (its raw id written so) with that STT latency."""
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "insert into raw.call_turns (call_id, turn_index, stt_latency_ms, loaded_at)"
            " values (?, 0, ?, ?)",
            [call_id, stt_latency_ms, loaded_at],
        )


def _insert_call(
    warehouse,
    call_id: str,
    started_at: datetime,
    stt_latency_ms: float,
    loaded_at: datetime | None = None,
) -> None:
    """A completed five-minute call from `started_at` (the org and agent of the first generated
    call), loaded at `loaded_at` (by default a minute after its end), with its turn 0 loaded
    with it: the turn's raw call id is `call_id` as given, the call's is `call_id` without
    spaces around it."""
    loaded_at = loaded_at or started_at + timedelta(minutes=6)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "insert into raw.calls (call_id, updated_at, org_id, agent_id, status, started_at,"
            " ended_at, loaded_at)"
            " select $call_id, $ended_at, org_id, agent_id, 'completed', $started_at,"
            " $ended_at, $loaded_at"
            " from raw.calls where call_id is not null order by call_id limit 1",
            {
                "call_id": call_id.strip(),
                "started_at": started_at,
                "ended_at": started_at + timedelta(minutes=5),
                "loaded_at": loaded_at,
            },
        )
    _insert_turn(warehouse, call_id, stt_latency_ms, loaded_at)


def _set_raw_values(warehouse, tables: list[str], assignment: str, values: dict[str, str]) -> None:
    """Update each call's rows in raw.<table> of `tables` by `assignment`, SQL in which $value
    stands for the call's entry of `values` (a timestamp as text, as DuckDB reads it)."""
    with duckdb.connect(str(warehouse)) as connection:
        for call_id, value in values.items():
            for table in tables:
                connection.execute(
                    f"update raw.{table} set {assignment} where call_id = $call_id",
                    {"call_id": call_id, "value": value},
                )


def _snapshot(warehouse) -> dict[str, list[tuple]]:
    query = query_function(published_path(warehouse))
    tables = [
        name
        for (name,) in query(
            "select table_name from information_schema.tables "
            f"where table_schema = 'marts' and table_name not in ({BUILD_RECORDS}) order by 1"
        )
    ]
    return {table: query(f"select * from marts.{table} order by all") for table in tables}


def _assert_full_refresh_changes_nothing(warehouse) -> None:
    """Every marts table the incremental builds left equals the full refresh's."""
    incremental = _snapshot(warehouse)
    run_callstats("build", "--full-refresh", warehouse=warehouse)
    full = _snapshot(warehouse)
    assert incremental.keys() == full.keys()
    for table, rows in full.items():
        assert_same_rows(incremental[table], rows, table)


def _generated_warehouse(tmp_path):
    """A warehouse of 300 generated calls over the two days before 2026-03-03, where the
    platforms' records are then loaded."""
    warehouse = tmp_path / "callstats.duckdb"
    generated = ["--calls", "300", "--days", "2", "--end", "2026-03-03T00:00:00", "--seed", "1"]
    run_callstats("generate", *generated, warehouse=warehouse)
    return warehouse


def _room_warehouse(tmp_path):
    """A generated warehouse (_generated_warehouse) with room-b41d09's LiveKit log loaded on
    2026-03-07 and built."""
    warehouse = _generated_warehouse(tmp_path)
    room = str(LIVEKIT / "room-b41d09.jsonl")
    run_callstats(*LIVEKIT_LOAD, room, warehouse=warehouse, now="2026-03-07T00:00:00Z")
    run_callstats("build", warehouse=warehouse)
    return warehouse


def _load_room_lines(warehouse, folder, lines: str, now: str) -> None:
    """Load `lines` as more of room-b41d09's LiveKit log (a file of that name in `folder`),
    landed at `now`."""
    log = folder / "room-b41d09.jsonl"
    log.parent.mkdir()
    log.write_text(lines)
    run_callstats(*LIVEKIT_LOAD, str(log), warehouse=warehouse, now=now)


def test_incremental_build_equals_full_refresh(tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    first = ["--calls", "1500", "--days", "7", "--end", FIRST_END, "--seed", "1"]
    run_callstats("generate", *first, warehouse=warehouse)
    logs = [str(LIVEKIT / "livekit-agent-2026-03-01.jsonl"), str(LIVEKIT / "room-b41d09.jsonl")]
    run_callstats(*LIVEKIT_LOAD, *logs, warehouse=warehouse, now="2026-03-03T00:00:00Z")
    # a turn whose raw call id ends in a space (staging cleans it off), in an hour that
    # receives no row after this build
    _insert_call(warehouse, "padded-call ", datetime(2026, 3, 2, 10), stt_latency_ms=123)
    run_callstats("build", warehouse=warehouse)
    query = query_function(published_path(warehouse))
    cost_before = query("select sum(cost_usd) from marts.fct_calls")
    lonely_call_id, lonely_hour = lonely_call(query)
    # a generated call (the LiveKit calls are not in raw.calls): its late rows come from there
    raw = query_function(warehouse)
    assert raw(f"select count(*) > 0 from raw.calls where call_id = '{lonely_call_id}'") == [
        (True,)
    ]

    second = ["--calls", "300", "--days", "2", "--end", SECOND_END, "--seed", "2"]
    run_callstats("generate", *second, warehouse=warehouse)
    late_files = write_late_files(warehouse, tmp_path, lonely_call_id)
    run_callstats("load", *late_files, warehouse=warehouse, now=LATE_LOAD)

    # a call and its turn written by an EL tool that stamps loaded_at with the source's (old)
    # time, before the last build's newest rows: this build must still take them in
    _insert_call(warehouse, "old-stamp-call", datetime(2026, 3, 3, 10), stt_latency_ms=321)
    # the padded turn re-sent with its id clean and another latency: this build must judge it
    # with the first row, whose hour is unchanged, and supersede that one
    _insert_turn(warehouse, "padded-call", 654, datetime(2026, 3, 10, 8))
    later = tmp_path / "later" / "room-b41d09.jsonl"
    later.parent.mkdir()
    later.write_text(LIVEKIT_LATE_LINE)
    run_callstats(*LIVEKIT_LOAD, str(later), warehouse=warehouse, now="2026-03-03T00:05:00Z")

    run_callstats("build", warehouse=warehouse)
    # the incremental path ran, over a change set smaller than the calls
    assert 'int_calls_changed_this_run")' in run_result("fct_calls")["compiled_code"]
    [(changed,)] = raw(
        "select count(distinct call_id) from intermediate.int_calls_changed_this_run"
    )
    [(calls,)] = query("select count(*) from marts.fct_calls")
    assert 0 < changed < calls / 2
    # the turns of a call re-sent with another cost are kept; those of a call that names
    # another provider are rebuilt
    [(turns_kept,)] = raw(
        "select count(distinct call_id) from intermediate.int_calls_changed_this_run"
        " where not turns_changed"
    )
    assert turns_kept > 0
    assert raw(
        "select count(distinct call_id) from intermediate.int_call_turns_changed_this_run"
        " where call_id in (select call_id from raw.calls where llm_provider = 'late-llm')"
    ) == [(5,)]
    assert query("select count(*) from marts.fct_calls where llm_provider = 'late-llm'") == [(5,)]
    assert query(
        "select turns, stt_latency_sum_ms from marts.fct_calls where call_id = 'old-stamp-call'"
    ) == [(1, 321.0)]
    assert query(
        "select turns, stt_latency_sum_ms from marts.fct_calls where call_id = 'padded-call'"
    ) == [(1, 654.0)]
    assert query(
        "select ended_at, prompt_tokens, completion_tokens, turns, accepted_versions"
        " from marts.fct_calls where call_id = 'room-b41d09'"
    ) == [(datetime(2026, 3, 2, 9, 31, 30), 2725 + 512, 109 + 20, 4, 1)]
    _assert_full_refresh_changes_nothing(warehouse)
    # built in an empty file, not over a copy of the published one: no block of it is free
    assert query("select free_blocks from pragma_database_size()") == [(0,)]
    assert query("select sum(cost_usd) from marts.fct_calls") != cost_before
    assert query("select count(*) from marts.fct_calls where call_id = 'late-call-1'") == [(1,)]
    assert query(f"select count(*) from marts.fct_calls where call_id = '{lonely_call_id}'") == [
        (0,)
    ]
    lonely_hour_calls = "select count(*) from marts.rpt_calls_hourly where started_hour = "
    assert query(f"{lonely_hour_calls} timestamp '{lonely_hour}'") == [(0,)]


def test_a_run_after_an_incomplete_one_rebuilds_the_turns_of_every_changed_call(
    fixture_warehouse, tmp_path
):
    """A selection that rebuilds fct_calls but not the marts of turns leaves them apart: the
    run after it, seeing that one did not complete, rebuilds the turns of every call changed
    since the last complete build, though fct_calls already names the new provider."""
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    query = query_function(published_path(warehouse))
    [(call_id, turns, provider)] = query(
        "select call_id, turns, llm_provider from marts.fct_calls"
        " where turns > 0 and llm_provider is not null order by call_id limit 1"
    )
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "insert into raw.calls by name select * replace (updated_at + interval 1 day as"
            " updated_at, 'late-llm' as llm_provider, timestamp '2026-03-20 00:00:00' as"
            " loaded_at) from raw.calls where call_id = ? order by updated_at desc limit 1",
            [call_id],
        )
    run_dbt("run", "--select", "+fct_calls", warehouse=warehouse)
    publish(warehouse)
    latency_providers = (
        "select llm_provider, count(*) from marts.fct_call_turn_latencies"
        f" where call_id = '{call_id}' group by 1"
    )
    assert query(f"select llm_provider from marts.fct_calls where call_id = '{call_id}'") == [
        ("late-llm",)
    ]
    assert query(latency_providers) == [(provider, turns)]

    run_callstats("build", warehouse=warehouse)

    assert query(latency_providers) == [("late-llm", turns)]


def test_a_platform_call_whose_start_moves_leaves_its_old_hour(tmp_path):
    """A LiveKit call is one staged row, built from all its log lines: a line from before the
    others moves its start two days back and replaces that row, so no staged row holds the
    old start any more. The run still rebuilds the old hour and day (the change set takes
    them from the last build's fct_calls), and deletes the call's old rows there."""
    warehouse = _room_warehouse(tmp_path)
    query = query_function(published_path(warehouse))
    lk_hours = (
        "select started_hour, total_calls from marts.rpt_calls_hourly"
        " where org_id = 'org_lk_demo' order by 1"
    )
    lk_days = (
        "select started_date, total_calls from marts.rpt_calls_daily"
        " where org_id = 'org_lk_demo' order by 1"
    )
    assert query(lk_hours) == [(datetime(2026, 3, 2, 9), 1)]

    _load_room_lines(warehouse, tmp_path / "early", LIVEKIT_EARLY_LINE, "2026-03-07T01:00:00Z")
    run_callstats("build", warehouse=warehouse)

    assert query("select started_at from marts.fct_calls where call_id = 'room-b41d09'") == [
        (datetime(2026, 2, 28, 9, 31, 3),)
    ]
    assert query(lk_hours) == [(datetime(2026, 2, 28, 9), 1)]
    assert query(lk_days) == [(date(2026, 2, 28), 1)]
    assert query(
        "select distinct call_started_at from marts.fct_call_turn_latencies"
        " where call_id = 'room-b41d09'"
    ) == [(datetime(2026, 2, 28, 9, 31, 3),)]


def test_platform_lines_landed_no_later_than_a_calls_others_are_built(tmp_path):
    """A LiveKit call and each of its turns are one staged row, stamped with the loaded_at of
    its newest line. A line landed with the same loaded_at (a load at the same pinned time),
    and one landed with an older one (an EL tool stamping its source's time), move no row's
    loaded_at, yet the call and its turns take them in; the marts then equal a full
    refresh's."""
    warehouse = _room_warehouse(tmp_path)
    query = query_function(published_path(warehouse))
    call = (
        "select ended_at, prompt_tokens, completion_tokens, turns, has_barge_in"
        " from marts.fct_calls where call_id = 'room-b41d09'"
    )
    first_turn = (
        "select tts_latency_ms, total_latency_ms, is_interrupted from marts.fct_call_turns"
        " where call_id = 'room-b41d09' and turn_index = 0"
    )
    assert query(call) == [(datetime(2026, 3, 2, 9, 31, 26, 118000), 2725, 109, 3, True)]
    assert query(first_turn) == [(180.0, 1020.0, False)]

    _load_room_lines(warehouse, tmp_path / "same", LIVEKIT_LATE_LINE, "2026-03-07T00:00:00Z")
    _load_room_lines(
        warehouse, tmp_path / "older", LIVEKIT_CANCELLED_TTS_LINE, "2026-03-06T00:00:00Z"
    )
    run_callstats("build", warehouse=warehouse)

    # the late turn's 512 + 20 tokens and end; turn 0's first TTS metric is now the cancelled
    # one: 0.45 + 0.39 + 0.25 s
    assert query(call) == [(datetime(2026, 3, 2, 9, 31, 30), 3237, 129, 4, True)]
    assert query(first_turn) == [(250.0, 1090.0, True)]
    _assert_full_refresh_changes_nothing(warehouse)


def test_a_retell_version_landed_with_the_time_of_the_one_it_replaces_is_built(tmp_path):
    """The turns, tool calls and errors of a Retell call are taken from its current version,
    each one staged row stamped with that version's loaded_at. Newer versions landed with the
    same loaded_at as the versions before them (a load at the same pinned time) replace them:
    call_5's with other words and without its transfer's tool call, call_4's (a later get-call
    object) ended by the caller, not by an error. The marts take in the words, and drop the
    tool call and the error that no record gives any more."""
    warehouse = _generated_warehouse(tmp_path)
    ended = json.loads((RETELL / "webhooks-2026-03-02.jsonl").read_text().splitlines()[1])
    errored = json.loads((RETELL / "get-call-2026-03-02.jsonl").read_text().splitlines()[0])
    analysed = json.loads(json.dumps(ended).replace('"Yes, please."', '"Yes, please do."'))
    analysed["event"] = "call_analyzed"
    analysed["call"]["transcript_with_tool_calls"] = [
        entry
        for entry in analysed["call"]["transcript_with_tool_calls"]
        if entry.get("tool_call_id") != "tc_8f30d6b2c15e4a7d"
    ]
    # a get-call object of call_4 a second later, the caller having hung up
    hung_up = {
        **errored,
        "end_timestamp": errored["end_timestamp"] + 1000,
        "call_status": "ended",
        "disconnection_reason": "user_hangup",
    }
    call_5, call_4 = ended["call"]["call_id"], errored["call_id"]
    last_turn = (
        f"select user_text from marts.fct_call_turns where call_id = '{call_5}' and turn_index = 2"
    )
    tool_calls = f"select tool_call_id from marts.fct_tool_calls where call_id = '{call_5}'"
    errors = f"select error_id from marts.fct_call_errors where call_id = '{call_4}'"
    query = query_function(published_path(warehouse))
    for name, records in [("first", [ended, errored]), ("analysed", [analysed, hung_up])]:
        webhooks = tmp_path / f"{name}.jsonl"
        webhooks.write_text("".join(json.dumps(record) + "\n" for record in records))
        run_callstats(*RETELL_LOAD, str(webhooks), warehouse=warehouse, now="2026-03-07T00:00:00Z")
        run_callstats("build", warehouse=warehouse)
        if name == "first":
            assert query(last_turn) == [("Yes, please.",)]
            assert sorted(query(tool_calls)) == [("tc_1c7b52e9a04d4f36",), ("tc_8f30d6b2c15e4a7d",)]
            assert query(errors) == [(f"{call_4}:error_llm_websocket_lost_connection",)]

    assert query(last_turn) == [("Yes, please do.",)]
    assert query(tool_calls) == [("tc_1c7b52e9a04d4f36",)]
    assert query(errors) == []
    _assert_full_refresh_changes_nothing(warehouse)


def test_a_base_table_without_a_staged_column_asks_for_a_full_refresh(fixture_warehouse, tmp_path):
    """A base table built before one of its columns was added (here the column dropped) stops
    an incremental build with one line that says what to run; that full refresh builds."""
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("alter table staging.base_raw__call_turns drop column landed_records")
    failed = run_callstats("build", warehouse=warehouse, check=False)
    assert failed.returncode == 1
    assert failed.stderr.startswith(
        "callstats: dbt build failed: model base_raw__call_turns: base_raw__call_turns has no"
        " column landed_records (built before it was added): run `callstats build"
        " --full-refresh` once"
    )
    run_callstats("build", "--full-refresh", warehouse=warehouse)
    query = query_function(warehouse)
    assert query("select count(*), sum(landed_records) from staging.base_raw__call_turns") == query(
        "select count(*), count(*) from raw.call_turns"
    )


def test_calls_started_at_the_ends_of_time_are_built_incrementally(fixture_warehouse, tmp_path):
    """The change set's start hours bound the facts' reads with no hour computed past the
    newest, nor a range that ends where it starts: calls started at 9999-12-31 23:30 (the last
    hour Python's datetimes hold), at -infinity, and in the first and last hours DuckDB's
    timestamps hold build like any other."""
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    loaded_at = datetime(2026, 3, 20)
    _insert_call(warehouse, "far-call", datetime(9999, 12, 31, 23, 30), 5, loaded_at)
    starts = {
        "early-call": "-infinity",
        "latest-call": "294247-01-10 04:00:00",
        "earliest-call": "290309-12-22 (BC) 00:00:00",
    }
    for call_id in starts:
        _insert_call(warehouse, call_id, datetime(2026, 1, 1), 7, loaded_at)
    _set_raw_values(warehouse, ["calls"], "started_at = $value, ended_at = $value", starts)

    run_callstats("build", warehouse=warehouse)

    assert query_function(published_path(warehouse))(
        "select call_id, cast(started_hour as varchar), turns, stt_latency_sum_ms"
        " from marts.fct_calls"
        " where call_id in ('early-call', 'earliest-call', 'far-call', 'latest-call') order by 1"
    ) == [
        ("earliest-call", "290309-12-22 (BC) 00:00:00", 1, 7.0),
        ("early-call", "-infinity", 1, 7.0),
        ("far-call", "9999-12-31 23:00:00", 1, 5.0),
        ("latest-call", "294247-01-10 04:00:00", 1, 7.0),
    ]


def test_rows_loaded_at_the_ends_of_time_are_staged_incrementally(fixture_warehouse, tmp_path):
    """The changed hours of loaded_at bound staging's reads with no timestamp passing through
    Python and none computed past the ends of time: calls loaded at 9999-12-31 23:30 (the last
    hour Python's datetimes hold), at infinity, and at the first and last instants DuckDB's
    timestamps hold are staged by an incremental build, and so is a later version of each."""
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    started_at = datetime(2026, 3, 10, 9)
    _insert_call(warehouse, "late-load-call", started_at, 5, datetime(9999, 12, 31, 23, 30))
    loaded_ats = {
        "endless-load-call": "infinity",
        "latest-load-call": "294247-01-10 04:00:54.775806",
        "earliest-load-call": "290309-12-22 (BC) 00:00:00",
    }
    for call_id in loaded_ats:
        _insert_call(warehouse, call_id, started_at, 7, datetime(2026, 3, 20))
    _set_raw_values(warehouse, ["calls", "call_turns"], "loaded_at = $value", loaded_ats)
    run_callstats("build", warehouse=warehouse)
    # a newer version of each, loaded as usual, re-classifies the rows loaded at those times
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            "insert into raw.calls by name select * replace ("
            " updated_at + interval 1 minute as updated_at, 'failed' as status,"
            " timestamp '2026-03-21' as loaded_at)"
            " from raw.calls where call_id like '%-load-call'"
        )
    run_callstats("build", warehouse=warehouse)

    assert query_function(published_path(warehouse))(
        "select call_id, status, turns, stt_latency_sum_ms from marts.fct_calls"
        " where call_id like '%-load-call' order by 1"
    ) == [
        ("earliest-load-call", "failed", 1, 7.0),
        ("endless-load-call", "failed", 1, 7.0),
        ("late-load-call", "failed", 1, 5.0),
        ("latest-load-call", "failed", 1, 7.0),
    ]
