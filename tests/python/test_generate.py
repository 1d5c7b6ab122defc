"""`callstats generate`: deterministic, shaped by its arguments, and as messy as promised."""

from datetime import datetime, timedelta

import duckdb
import pytest

from callstats import generate
from callstats.raw_schema import RAW_TABLES

END = datetime(2026, 11, 22, 12, 0)
SMALL = {"calls": 3_000, "days": 7, "orgs": 3, "agents_per_org": 2, "end": END, "seed": 7}

# The newest version of each call, as staging will pick it (without rejecting bad rows).
CURRENT_CALLS = """
    select * from raw.calls
    where call_id is not null and updated_at is not null
    qualify row_number() over (
        partition by trim(call_id) order by updated_at desc, loaded_at desc
    ) = 1
"""

# What a superseded or ambiguous copy of a call version changes.
CALL_CONTENT = "coalesce(total_cost_usd::varchar, '') || coalesce(direction, '')"


def _generate(path, **arguments) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(path))
    generate.generate(connection, progress=False, **arguments)
    return connection


def _values(connection, sql: str) -> set:
    return {row[0] for row in connection.execute(sql).fetchall()}


def _count(connection, sql: str) -> int:
    return connection.execute(sql).fetchone()[0]


def _contents(connection) -> dict[str, list[tuple]]:
    return {
        table: connection.execute(f"select * from raw.{table} order by all").fetchall()
        for table in RAW_TABLES
    }


@pytest.fixture(scope="module")
def five_thousand(tmp_path_factory):
    connection = _generate(
        tmp_path_factory.mktemp("five_thousand") / "warehouse.duckdb",
        calls=5_000,
        days=30,
        orgs=4,
        agents_per_org=3,
        end=END,
        seed=11,
    )
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    connection = _generate(
        tmp_path_factory.mktemp("default_run") / "warehouse.duckdb",
        calls=generate.DEFAULT_CALLS,
        days=generate.DEFAULT_DAYS,
        orgs=generate.DEFAULT_ORGS,
        agents_per_org=generate.DEFAULT_AGENTS_PER_ORG,
        end=END,
        seed=generate.DEFAULT_SEED,
    )
    yield connection
    connection.close()


def test_same_arguments_give_identical_tables(tmp_path):
    first = _generate(tmp_path / "first.duckdb", **SMALL)
    second = _generate(tmp_path / "second.duckdb", **SMALL)
    assert _contents(first) == _contents(second)
    assert _count(first, "select count(*) from raw.call_turns") > 0


def test_chunking_does_not_change_the_data(tmp_path, monkeypatch):
    whole = _generate(tmp_path / "whole.duckdb", **SMALL)
    monkeypatch.setattr(generate, "CHUNK_CALLS", 700)
    chunked = _generate(tmp_path / "chunked.duckdb", **SMALL)
    assert _contents(whole) == _contents(chunked)


def test_seeds_never_share_call_ids(tmp_path):
    connection = _generate(tmp_path / "warehouse.duckdb", **SMALL)
    generate.generate(connection, progress=False, **{**SMALL, "seed": 8})
    distinct = "select count(distinct trim(call_id)) from raw.calls where trim(call_id) != ''"
    assert _count(connection, distinct) == 2 * SMALL["calls"]


def test_a_second_run_repeats_the_org_structure_exactly(tmp_path):
    connection = _generate(tmp_path / "warehouse.duckdb", **SMALL)

    def rows(table):
        query = f"select * exclude (loaded_at) from raw.{table}"
        return sorted(connection.execute(query).fetchall(), key=repr)

    tables = ["organizations", "agents", "workflows"]
    before = {table: rows(table) for table in tables}
    generate.generate(connection, progress=False, **{**SMALL, "seed": 8})
    for table in tables:
        assert rows(table) == sorted(before[table] * 2, key=repr), table


def test_a_failed_run_appends_nothing(tmp_path, monkeypatch):
    connection = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    run = generate._execute

    def fail_on_turns(connection, sql, parameters):
        if "insert into raw.call_turns" in sql:
            raise duckdb.IOException("disk full")
        run(connection, sql, parameters)

    monkeypatch.setattr(generate, "_execute", fail_on_turns)
    with pytest.raises(duckdb.IOException):
        generate.generate(connection, progress=False, **SMALL)
    assert all(rows == [] for rows in _contents(connection).values())


def test_counts_follow_from_the_arguments(tmp_path):
    connection = _generate(tmp_path / "warehouse.duckdb", **SMALL)
    org_ids = _values(connection, "select trim(org_id) from raw.organizations")
    assert org_ids - {None, ""} == {"org-0001", "org-0002", "org-0003"}
    per_org = connection.execute(
        """
        select trim(org_id), count(distinct trim(agent_id)) from raw.agents
        where trim(org_id) != '' and trim(agent_id) != '' group by 1 order by 1
        """
    ).fetchall()
    assert per_org == [("org-0001", 2), ("org-0002", 2), ("org-0003", 2)]
    workflows = connection.execute(
        """
        select count(distinct trim(workflow_id)) from raw.workflows
        where trim(org_id) != '' and trim(workflow_id) != '' group by trim(org_id)
        """
    ).fetchall()
    assert all(count in (2, 3) for (count,) in workflows)
    distinct_calls = "select count(distinct trim(call_id)) from raw.calls where trim(call_id) != ''"
    assert _count(connection, distinct_calls) == SMALL["calls"]


def test_some_referenced_agents_and_workflows_have_no_row(default_run):
    deleted_agents = """
        select count(distinct agent_id) from raw.calls
        where agent_id not in (select trim(agent_id) from raw.agents where agent_id is not null)
        and agent_id like 'agent-%'
    """
    missing_workflows = """
        select count(distinct workflow_id) from raw.calls
        where workflow_id not in (
            select trim(workflow_id) from raw.workflows where workflow_id is not null
        )
        and workflow_id like 'wf-%'
    """
    assert _count(default_run, deleted_agents) >= 1
    assert _count(default_run, missing_workflows) >= 1


def test_every_listed_value_occurs(five_thousand):
    def normalised(table, column):
        return _values(five_thousand, f"select lower(trim({column})) from raw.{table}")

    assert normalised("calls", "status") >= {
        "queued",
        "initiated",
        "ringing",
        "in_progress",
        "completed",
        "failed",
        "busy",
        "no_answer",
        "canceled",
    }
    assert normalised("calls", "outcome") >= {
        "resolved",
        "transferred",
        "escalated",
        "abandoned",
        "caller_hangup",
        "voicemail",
    }
    assert normalised("calls", "sentiment") >= {"positive", "neutral", "negative"}
    assert normalised("calls", "direction") >= {"inbound", "outbound"}
    assert normalised("agents", "status") >= {"active", "inactive", "cancelled", "pending"}
    assert normalised("call_errors", "service") >= {"stt", "llm", "tts", "workflow", "tool"}
    assert normalised("call_errors", "level") >= {"error", "warning"}
    assert normalised("stt_events", "event_type") >= {
        "connection_opened",
        "connection_closed",
        "connection_rejected",
        "timeout",
        "error",
        "utterance_end_fallback",
    }
    assert normalised("tool_calls", "name") >= {
        "lookup_account",
        "book_appointment",
        "transfer_call",
        "check_order_status",
        "send_sms",
    }


def test_times_stay_inside_the_window(five_thousand):
    first, last = five_thousand.execute(
        "select min(started_at), max(started_at) from raw.calls"
    ).fetchone()
    assert END - timedelta(days=30) <= first <= last <= END
    own_times = {
        "calls": "updated_at",
        "call_turns": "started_at",
        "tool_calls": "started_at",
        "call_errors": "occurred_at",
        "stt_events": "created_at",
    }
    for table, column in own_times.items():
        latest, landed = five_thousand.execute(
            f"select max({column}), max(loaded_at) from raw.{table}"
        ).fetchone()
        assert latest <= END, table
        assert landed <= END + timedelta(hours=1), table
        early = f"select count(*) from raw.{table} where loaded_at < {column}"
        assert _count(five_thousand, early) == 0, table


def test_live_calls_have_no_end(five_thousand):
    live = five_thousand.execute(
        f"""
        select started_at from ({CURRENT_CALLS})
        where ended_at is null and lower(trim(status)) in ('queued', 'ringing', 'in_progress')
        """
    ).fetchall()
    assert len(live) >= 5
    assert all(END - timedelta(minutes=10) <= started_at <= END for (started_at,) in live)


def test_every_kind_of_bad_row_occurs(default_run):
    checks = {
        "calls missing org": "select count(*) from raw.calls where org_id is null",
        "calls missing agent": "select count(*) from raw.calls where agent_id = ''",
        "turns missing index": "select count(*) from raw.call_turns where turn_index is null",
        "tools missing id": "select count(*) from raw.tool_calls where tool_call_id is null",
        "errors missing id": "select count(*) from raw.call_errors where error_id is null",
        "events missing time": "select count(*) from raw.stt_events where created_at is null",
        "orgs missing id": "select count(*) from raw.organizations where trim(org_id) = ''"
        " or org_id is null",
        "agents missing id": "select count(*) from raw.agents where agent_id is null",
        "workflows missing id": "select count(*) from raw.workflows where workflow_id = ''"
        " or org_id is null",
        "ended before started": "select count(*) from raw.calls where ended_at < started_at",
        "negative duration": "select count(*) from raw.calls where duration_s < 0",
        "negative billed": "select count(*) from raw.calls where billed_duration_s < 0",
        "negative cost": "select count(*) from raw.calls where total_cost_usd < 0",
        "negative tokens": "select count(*) from raw.calls where prompt_tokens < 0",
        "negative turn latency": "select count(*) from raw.call_turns where stt_latency_ms < 0",
        "negative tool latency": "select count(*) from raw.tool_calls where latency_ms < 0",
        "padded status": "select count(*) from raw.calls where status like ' %'",
        "upper-case status": "select count(*) from raw.calls where status = 'COMPLETED'",
        "capitalised direction": "select count(*) from raw.calls where direction = 'Inbound'",
        "empty outcome": "select count(*) from raw.calls where outcome = ''",
        "unknown status": "select count(*) from raw.calls where status = 'voicemail_detected'",
        "unknown outcome": "select count(*) from raw.calls where outcome = 'wrong_number'",
        "ambiguous call": f"""
            select count(*) from (
                select call_id, updated_at, loaded_at from raw.calls
                where call_id is not null group by all having count(distinct {CALL_CONTENT}) > 1
            )
        """,
        "superseded call": f"""
            select count(*) from (
                select call_id, updated_at from raw.calls
                where call_id is not null group by all having count(distinct {CALL_CONTENT}) > 1
                and count(distinct loaded_at) > 1
            )
        """,
    }
    for table in RAW_TABLES:
        if table != "load_errors":
            checks[f"exact repeats in {table}"] = f"""
                select (select count(*) from raw.{table})
                - (select count(*) from (select distinct * exclude (loaded_at) from raw.{table}))
            """
    for table, column in [("calls", "updated_at"), ("call_turns", "started_at")]:
        checks[f"late {table}"] = (
            f"select count(*) from raw.{table} where loaded_at > {column} + interval 1 day"
        )
    missing = [name for name, sql in checks.items() if _count(default_run, sql) == 0]
    assert missing == []
    assert _count(default_run, "select count(*) from raw.load_errors") == 0


def test_a_later_run_lands_its_calls_after_everything_already_loaded(tmp_path):
    """Incremental builds find new rows by loaded_at; org, agent and workflow rows keep their
    fixed times (a later run repeats them exactly)."""
    facts = ("calls", "call_turns", "tool_calls", "call_errors", "stt_events")
    connection = _generate(tmp_path / "warehouse.duckdb", **SMALL)
    first_run_rows = {
        table: _count(connection, f"select count(*) from raw.{table}") for table in RAW_TABLES
    }
    newest = _count(
        connection,
        " union all ".join(f"select max(loaded_at) from raw.{table}" for table in RAW_TABLES)
        + " order by 1 desc nulls last limit 1",
    )
    generate.generate(connection, progress=False, **{**SMALL, "seed": 8})
    landed_by_then = {
        table: connection.execute(
            f"select count(*) from raw.{table} where loaded_at <= ?", [newest]
        ).fetchone()[0]
        for table in facts
    }
    connection.close()
    assert landed_by_then == {table: first_run_rows[table] for table in facts}
