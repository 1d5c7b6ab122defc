"""Raw tables an EL tool wrote with plain SQL, some tables and columns missing, build as the
contract says (raw-tables.md, metrics.md of 2026-11-30), on DuckDB and PostgreSQL alike.

The rows, all of org-x, "now" being 2026-03-02 12:00 UTC:
- d-tie: initiated at 10:00; then its in_progress and completed status callbacks share
  updated_at 10:04:05 and loaded_at (one-second timestamps): completed wins on lifecycle rank.
  Its first turn has a negative llm latency (clock skew): only that value is nulled.
- d-stuck: queued 51 days ago, its final callback lost: live, but not active.
- d-live: in progress since 11:29: live and active.
- d-ring: no_answer, started and ended 30 s apart, never answered: ring time is not talk time.
- raw.tool_calls lacks its required tool_call_id column: its row is rejected, visibly.
- No raw.workflows, raw.call_errors, raw.stt_events or raw.load_errors table; raw.calls has
  no metadata, call_sid, providers or token columns.
"""

from contextlib import closing
from datetime import datetime
from pathlib import Path

import duckdb
import psycopg2
import pytest
from falcon import testing
from postgres import assert_same_marts, libpq
from warehouses import query_function, run_callstats

from api.app import create_app
from api.config import Config
from callstats.keys import Scope, SqliteKeyStore, keys_path
from callstats.publish import published_path

pytestmark = pytest.mark.slow(cpu_s=60)

NOW = "2026-03-02T12:00:00Z"

EL_TOOL_SQL = [
    "create schema raw",
    """create table raw.organizations (org_id text, name text, reseller_id text,
        loaded_at timestamp)""",
    """create table raw.agents (agent_id text, org_id text, name text, status text,
        updated_at timestamp, loaded_at timestamp)""",
    """create table raw.calls (call_id text, updated_at timestamp, org_id text, agent_id text,
        status text, outcome text, started_at timestamp, answered_at timestamp,
        ended_at timestamp, duration_s double precision, total_cost_usd double precision,
        telephony_cost_usd double precision, platform_cost_usd double precision,
        loaded_at timestamp)""",
    """create table raw.call_turns (call_id text, turn_index integer, user_text text,
        agent_text text, stt_latency_ms double precision, llm_latency_ms double precision,
        tts_latency_ms double precision, total_latency_ms double precision,
        is_interrupted boolean, loaded_at timestamp)""",
    """create table raw.tool_calls (call_id text, name text, is_success boolean,
        loaded_at timestamp)""",
    "insert into raw.organizations values ('org-x', 'Xylo Care', null, '2026-03-01 00:00:00')",
    """insert into raw.agents values
        ('ag-1', 'org-x', 'Front Desk', 'active', '2026-02-01 00:00:00', '2026-03-01 00:00:00')""",
    """insert into raw.calls values
        ('d-tie', '2026-03-02 10:00:00', 'org-x', 'ag-1', 'initiated', null,
         '2026-03-02 10:00:00', null, null, null, null, null, null, '2026-03-02 10:00:01'),
        ('d-tie', '2026-03-02 10:04:05', 'org-x', 'ag-1', 'in_progress', null,
         '2026-03-02 10:00:00', '2026-03-02 10:00:05', null, null, null, null, null,
         '2026-03-02 10:04:06'),
        ('d-tie', '2026-03-02 10:04:05', 'org-x', 'ag-1', 'completed', 'resolved',
         '2026-03-02 10:00:00', '2026-03-02 10:00:05', '2026-03-02 10:04:05', 240, 0.25, 0.04,
         0.03, '2026-03-02 10:04:06'),
        ('d-stuck', '2026-01-10 09:00:00', 'org-x', 'ag-1', 'queued', null,
         '2026-01-10 09:00:00', null, null, null, null, null, null, '2026-01-10 09:00:01'),
        ('d-live', '2026-03-02 11:30:00', 'org-x', 'ag-1', 'in_progress', null,
         '2026-03-02 11:29:00', '2026-03-02 11:29:30', null, null, null, null, null,
         '2026-03-02 11:30:01'),
        ('d-ring', '2026-03-02 11:00:30', 'org-x', 'ag-1', 'no_answer', null,
         '2026-03-02 11:00:00', null, '2026-03-02 11:00:30', null, null, null, null,
         '2026-03-02 11:00:31')""",
    """insert into raw.call_turns values
        ('d-tie', 0, 'I need to move my appointment', 'Sure, to when?', 120, -40, 90, 700, true,
         '2026-03-02 10:04:06'),
        ('d-tie', 1, 'Friday', 'Done.', 100, 300, 80, 600, false, '2026-03-02 10:04:06')""",
    "insert into raw.tool_calls values ('d-tie', 'reschedule', true, '2026-03-02 10:04:06')",
]


def _write_raw_tables(execute) -> None:
    for statement in EL_TOOL_SQL:
        execute(statement)


@pytest.fixture(scope="module")
def el_warehouse(tmp_path_factory) -> Path:
    warehouse = tmp_path_factory.mktemp("deliveries") / "callstats.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        _write_raw_tables(connection.execute)
    run_callstats("build", warehouse=warehouse, now=NOW)
    return warehouse


def test_missing_tables_and_columns_read_as_empty_and_null(el_warehouse):
    query = query_function(published_path(el_warehouse))
    assert query(
        "select raw_table, rows_read, rows_accepted, rows_rejected, exact_repeats"
        " from marts.audit_row_counts order by raw_table"
    ) == [
        ("agents", 1, 1, 0, 0),
        ("call_turns", 2, 2, 0, 0),
        ("calls", 6, 5, 1, 0),
        ("organizations", 1, 1, 0, 0),
        ("tool_calls", 1, 0, 1, 0),
    ]
    # A missing required column rejects every row of its table; a tie lost on rank supersedes.
    assert query(
        "select raw_table, row_key, rejection_reason from marts.audit_rejected_rows order by all"
    ) == [
        ("calls", "d-tie | 2026-03-02 10:04:05", "superseded"),
        ("tool_calls", "", "missing_tool_call_id"),
    ]
    assert query("select count(*) from marts.fct_stt_events") == [(0,)]
    assert (
        query("select workflow_id, call_sid, call_context, stt_provider from marts.fct_calls")
        == [(None, None, None, None)] * 4
    )


def test_each_new_rule_gives_the_contracts_answer(el_warehouse):
    query = query_function(published_path(el_warehouse))
    assert query(
        "select call_id, status, is_live, active_until, duration_s, cost_usd, is_cost_estimated,"
        " platform_cost_usd, accepted_versions from marts.fct_calls order by call_id"
    ) == [
        ("d-live", "in_progress", True, _at("2026-03-03 11:29:00"), None, None, False, None, 1),
        # no_answer without an answer: 0 s (not the 30 s it rang), so 0 cost at 0.10/min.
        ("d-ring", "no_answer", False, None, 0.0, 0.0, True, None, 1),
        # active_until = start + 24 h, long past: live, not active.
        ("d-stuck", "queued", True, _at("2026-01-11 09:00:00"), None, None, False, None, 1),
        # completed (rank 5) beats in_progress (rank 4) at the same updated_at and loaded_at.
        ("d-tie", "completed", False, None, 240.0, 0.25, False, 0.03, 2),
    ]
    # The turn with a negative llm latency keeps its transcript, other stages and barge-in.
    assert query(
        "select turn_index, user_text, stt_latency_ms, llm_latency_ms, tts_latency_ms,"
        " total_latency_ms, is_interrupted from marts.fct_call_turns order by turn_index"
    ) == [
        (0, "I need to move my appointment", 120.0, None, 90.0, 700.0, True),
        (1, "Friday", 100.0, 300.0, 80.0, 600.0, False),
    ]
    assert query(
        "select raw_table, row_key, column_name, original_value, nulling_reason"
        " from marts.audit_nulled_values"
    ) == [("call_turns", "d-tie | 0", "llm_latency_ms", -40.0, "negative_llm_latency_ms")]
    assert query(
        "select turns, has_barge_in, llm_latency_sum_ms, llm_latency_turns,"
        " stt_latency_sum_ms, stt_latency_turns from marts.fct_calls where call_id = 'd-tie'"
    ) == [(2, True, 300.0, 1, 220.0, 2)]
    assert query(
        "select started_hour, total_calls, live_calls, calls_with_duration, duration_sum_s,"
        " cost_sum_usd, telephony_cost_sum_usd, platform_cost_sum_usd"
        " from marts.rpt_calls_hourly order by started_hour"
    ) == [
        (_at("2026-01-10 09:00:00"), 1, 1, 0, 0.0, 0.0, 0.0, 0.0),
        (_at("2026-03-02 10:00:00"), 1, 0, 1, 240.0, 0.25, 0.04, 0.03),
        (_at("2026-03-02 11:00:00"), 2, 1, 1, 0.0, 0.0, 0.0, 0.0),
    ]


def test_the_api_counts_only_calls_active_now(el_warehouse, monkeypatch):
    monkeypatch.setenv("CALLSTATS_NOW", NOW)
    _, token = SqliteKeyStore(keys_path(el_warehouse)).create(Scope("org", "org-x"))
    config = Config(marts_path=published_path(el_warehouse), keys_path=keys_path(el_warehouse))
    client = testing.TestClient(create_app(config))
    headers = {"Authorization": f"Bearer {token}"}

    def get(path: str, **params) -> dict:
        result = client.simulate_get(path, params=params, headers=headers)
        assert result.status_code == 200, result.text
        return result.json

    assert get("/api/v1/analytics/active-calls") == {"count": 1}
    summary = get("/api/v1/analytics/summary", period="24h")
    # d-tie, d-ring and d-live started in the last 24 h; durations 240 and 0.
    assert (summary["total_calls"], summary["completed_calls"], summary["active_calls"]) == (
        3,
        1,
        1,
    )
    assert summary["avg_duration_seconds"] == 120.0
    # All four started within 90 days; d-stuck is live but not ongoing.
    analytics = get("/api/v1/calls/analytics", period="90d")
    assert (analytics["total_calls"], analytics["ongoing_calls"]) == (4, 1)


def test_postgresql_builds_the_same_marts_from_the_same_sql(el_warehouse, postgres_cluster):
    environment = {**postgres_cluster, "PGDATABASE": "deliveries"}
    with closing(psycopg2.connect(**libpq(postgres_cluster))) as admin:
        admin.autocommit = True
        admin.cursor().execute("create database deliveries")
    with psycopg2.connect(**libpq(environment)) as connection, connection.cursor() as cursor:
        _write_raw_tables(cursor.execute)
    run_callstats(
        "build",
        warehouse=el_warehouse,
        now=NOW,
        env={**environment, "CALLSTATS_TARGET": "postgres"},
    )
    assert_same_marts(el_warehouse, environment)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)
