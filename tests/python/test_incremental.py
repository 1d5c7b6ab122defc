"""An incremental build after late and repeated rows gives the same marts as a full refresh."""

import json

import duckdb
from warehouses import (
    BUILD_RECORDS,
    PROJECT_DIR,
    assert_same_rows,
    query_function,
    run_callstats,
)

from callstats.publish import published_path

FIRST_END = "2026-03-08T00:00:00"
SECOND_END = "2026-03-12T00:00:00"
LATE_LOAD = "2026-03-12T02:00:00"

# Late and repeated rows for calls of the first batch, written as a loader would receive them.
LATE_ROWS = {
    "calls": """
        -- exact repeats
        (select * exclude (loaded_at) from raw.calls order by call_id, updated_at limit 40)
        union all by name
        -- a later version with a corrected cost for 30 completed calls
        (select * exclude (loaded_at) replace (
            updated_at + interval 3 day as updated_at,
            1.23 as total_cost_usd,
            'resolved' as outcome
         ) from raw.calls where status = 'completed' and total_cost_usd is not null
         order by call_id limit 30)
        union all by name
        -- a later version that moves the start two hours earlier
        (select * exclude (loaded_at) replace (
            updated_at + interval 1 day as updated_at,
            started_at - interval 2 hour as started_at
         ) from raw.calls where status = 'failed' order by call_id limit 5)
        union all by name
        -- two different rows for every version of the only call of an hour, landing
        -- together: the call loses all its versions and its hour is left without calls
        (select calls.* exclude (loaded_at) replace (choices.outcome as outcome)
         from raw.calls as calls
         cross join (values ('first telling'), ('second telling')) as choices (outcome)
         where calls.call_id = $lonely_call_id)
        union all by name
        -- a call of five days ago that only arrives now
        (select * exclude (loaded_at) replace (
            'late-call-1' as call_id,
            started_at - interval 5 day as started_at
         ) from raw.calls
         where call_id = (select min(call_id) from raw.calls where status = 'completed'))
    """,
    "call_turns": """
        (select * exclude (loaded_at) from raw.call_turns order by call_id, turn_index limit 30)
        union all by name
        (select * exclude (loaded_at) replace (99 as turn_index)
         from raw.call_turns where turn_index = 0 order by call_id limit 20)
    """,
    "call_errors": """
        -- an error re-sent naming another call
        (select * exclude (loaded_at) replace (
            (select max(call_id) from raw.calls where status = 'completed') as call_id
         ) from raw.call_errors
         where error_id = (select min(error_id) from raw.call_errors where level = 'error'))
        union all by name
        -- new errors of old calls
        (select
            'late-error-' || call_id as error_id,
            call_id,
            started_at + interval 5 second as occurred_at,
            'stt' as service,
            stt_provider as provider_name,
            'error' as level,
            'Connection reset' as message
         from raw.calls where status = 'completed' order by call_id limit 10)
    """,
    "tool_calls": """
        -- a tool call re-sent naming another call
        select * exclude (loaded_at) replace (
            (select max(call_id) from raw.calls where status = 'completed') as call_id,
            false as is_success
        ) from raw.tool_calls
        where tool_call_id = (select min(tool_call_id) from raw.tool_calls)
    """,
    "stt_events": """
        select * exclude (loaded_at) from raw.stt_events order by event_id limit 10
    """,
}


def _write_late_files(warehouse, directory, lonely_call_id: str) -> list[str]:
    paths = []
    with duckdb.connect(str(warehouse)) as connection:
        for table, sql in LATE_ROWS.items():
            path = directory / f"{table}.jsonl"
            parameters = {"lonely_call_id": lonely_call_id} if "$lonely" in sql else {}
            connection.execute(f"copy ({sql}) to '{path}' (format json)", parameters)
            paths.append(str(path))
    return paths


def _insert_with_old_loaded_at(warehouse) -> None:
    """A call and its turn written by an EL tool that stamps loaded_at with the source's
    (old) time, before the last build's newest rows: the next build must still take them in."""
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("""
            insert into raw.calls (call_id, updated_at, org_id, agent_id, status, started_at,
                ended_at, loaded_at)
            select 'old-stamp-call', timestamp '2026-03-03 10:05:00', org_id, agent_id,
                'completed', timestamp '2026-03-03 10:00:00', timestamp '2026-03-03 10:05:00',
                timestamp '2026-03-03 10:06:00'
            from raw.calls where call_id is not null order by call_id limit 1
        """)
        connection.execute("""
            insert into raw.call_turns (call_id, turn_index, stt_latency_ms, loaded_at)
            values ('old-stamp-call', 0, 321, timestamp '2026-03-03 10:06:00')
        """)


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


def _assert_same(incremental: dict, full: dict) -> None:
    assert incremental.keys() == full.keys()
    for table, rows in full.items():
        assert_same_rows(incremental[table], rows, table)


def test_incremental_build_equals_full_refresh(tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    first = ["--calls", "1500", "--days", "7", "--end", FIRST_END, "--seed", "1"]
    run_callstats("generate", *first, warehouse=warehouse)
    run_callstats("build", warehouse=warehouse)
    query = query_function(published_path(warehouse))
    cost_before = query("select sum(cost_usd) from marts.fct_calls")
    [(lonely_call_id, lonely_hour)] = query(
        "select min(call_id), started_hour from marts.fct_calls "
        "group by started_hour having count(*) = 1 order by started_hour limit 1"
    )

    second = ["--calls", "300", "--days", "2", "--end", SECOND_END, "--seed", "2"]
    run_callstats("generate", *second, warehouse=warehouse)
    late_files = _write_late_files(warehouse, tmp_path, lonely_call_id)
    run_callstats("load", *late_files, warehouse=warehouse, now=LATE_LOAD)

    _insert_with_old_loaded_at(warehouse)

    run_callstats("build", warehouse=warehouse)
    run_results = json.loads((PROJECT_DIR / "target" / "run_results.json").read_text())
    [fct_calls] = [r for r in run_results["results"] if r["unique_id"].endswith(".fct_calls")]
    # the incremental path ran, over a change set smaller than the calls
    assert 'int_calls_changed_this_run")' in fct_calls["compiled_code"]
    [(changed,)] = query_function(warehouse)(
        "select count(distinct call_id) from intermediate.int_calls_changed_this_run"
    )
    [(calls,)] = query("select count(*) from marts.fct_calls")
    assert 0 < changed < calls / 2
    assert query(
        "select turns, stt_latency_sum_ms from marts.fct_calls where call_id = 'old-stamp-call'"
    ) == [(1, 321.0)]
    incremental = _snapshot(warehouse)

    run_callstats("build", "--full-refresh", warehouse=warehouse)
    full = _snapshot(warehouse)

    _assert_same(incremental, full)
    assert query("select sum(cost_usd) from marts.fct_calls") != cost_before
    assert query("select count(*) from marts.fct_calls where call_id = 'late-call-1'") == [(1,)]
    assert query(f"select count(*) from marts.fct_calls where call_id = '{lonely_call_id}'") == [
        (0,)
    ]
    lonely_hour_calls = "select count(*) from marts.rpt_calls_hourly where started_hour = "
    assert query(f"{lonely_hour_calls} timestamp '{lonely_hour}'") == [(0,)]
