"""Voice platforms' own exports load with one command each (`callstats load --source`) and give
the contract's numbers (sources.md), on DuckDB and PostgreSQL alike.

Each platform's fixture (fixtures/platforms/<platform>/) is shaped as the platform documents
its records, with made-up people and numbers, and is one org of the warehouse. "Now" is
2026-03-02 12:00 UTC.

Twilio (org ACaaaa…, no agent concept: a call's agent is the Twilio number it used):
- calls.jsonl, Call resources: CA01 inbound, completed, 180 s, price -0.017 (a charge);
  CA02 outbound-api, no-answer; CA03 outbound-api, in-progress since 11:50.
- call-log.csv, the console's export with RFC 2822 dates: CA01 again (an exact repeat of the
  resource) and CA04, inbound to +15550101 on March 1st, 600 s, price -0.085.
- status-callbacks.jsonl: CA05, outbound-dial, initiated 10:00:00, ringing, in-progress
  10:00:10, completed 10:05:10 with CallDuration 300 (its last callback sent twice).

LiveKit Agents (org org_lk_demo, agent frontdesk-lk given by --org/--agent), metrics lines:
- livekit-agent-2026-03-01.jsonl, `metrics_collected` events of call support-7f3a2c: a greeting
  (LLM and TTS, no end of utterance) and two turns; one LLM metric logged twice (same
  request_id); Deepgram usage metrics, the last at 14:05:27.440, all with one request_id.
- room-b41d09.jsonl, bare metrics with no call id (the call is the file's name): three turns,
  the second's TTS cancelled; one end-of-utterance line repeated verbatim.

Pipecat (org org_pc_demo, agent clinic-bot-pc), pipecat-bot-metrics.jsonl: RTVI metrics
messages of two conversations, 3c5e7a1b… (a greeting without STT, a turn with two LLM TTFBs)
and 9f8e7d6c… (processors numbered #1, one tokens line repeated verbatim); processing times
larger than the TTFBs.
"""

from contextlib import closing
from datetime import datetime
from pathlib import Path

import psycopg2
import pytest
from falcon import testing
from postgres import assert_same_marts, libpq
from pytest import approx
from warehouses import (
    BUILD_RECORDS,
    FIXTURES,
    Query,
    assert_same_rows,
    query_function,
    run_callstats,
)

from api.app import create_app
from api.config import Config
from callstats.keys import KeyStore, Scope, keys_path
from callstats.publish import published_path

NOW = "2026-03-02T12:00:00Z"
PLATFORM_FIXTURES = FIXTURES / "platforms"
TWILIO_ORG = "AC" + "a" * 32
LIVEKIT_ORG = "org_lk_demo"
PIPECAT_ORG = "org_pc_demo"
# platform: its fixture files and the options of `callstats load --source <platform>`
LOADS = {
    "twilio": (["calls.jsonl", "call-log.csv", "status-callbacks.jsonl"], []),
    "livekit": (
        ["livekit-agent-2026-03-01.jsonl", "room-b41d09.jsonl"],
        ["--org", LIVEKIT_ORG, "--agent", "frontdesk-lk"],
    ),
    "pipecat": (["pipecat-bot-metrics.jsonl"], ["--org", PIPECAT_ORG, "--agent", "clinic-bot-pc"]),
}


def _load_every_platform(warehouse: Path, env: dict | None = None) -> None:
    for platform, (files, options) in LOADS.items():
        paths = [str(PLATFORM_FIXTURES / platform / name) for name in files]
        run_callstats(
            "load", "--source", platform, *options, *paths, warehouse=warehouse, now=NOW, env=env
        )


@pytest.fixture(scope="module")
def platform_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    warehouse = tmp_path_factory.mktemp("platforms") / "callstats.duckdb"
    _load_every_platform(warehouse)
    run_callstats("build", warehouse=warehouse, now=NOW)
    return warehouse


@pytest.fixture(scope="module")
def query(platform_warehouse: Path) -> Query:
    return query_function(published_path(platform_warehouse))


@pytest.fixture
def api(platform_warehouse: Path, monkeypatch):
    """GET a path as an org's token, "now" pinned; the JSON of a 200."""
    monkeypatch.setenv("CALLSTATS_NOW", NOW)
    store = KeyStore(keys_path(platform_warehouse))
    config = Config(
        marts_path=published_path(platform_warehouse), keys_path=keys_path(platform_warehouse)
    )
    client = testing.TestClient(create_app(config))

    def get(org_id: str, path: str, **params) -> dict:
        _, token = store.create(Scope("org", org_id))
        result = client.simulate_get(
            path, params=params, headers={"Authorization": f"Bearer {token}"}
        )
        assert result.status_code == 200, result.text
        return result.json

    return get


def test_twilio_calls_resources_exports_and_callbacks_become_calls(query):
    assert query(
        "select call_id[1:4], agent_id, direction, status, started_at, answered_at, ended_at,"
        " duration_s, cost_usd, is_cost_estimated, is_live, accepted_versions"
        f" from marts.fct_calls where org_id = '{TWILIO_ORG}' order by call_id"
    ) == [
        # in-progress is in_progress; the price's absolute value is the cost
        ("CA01", "+15550100", "inbound", "completed", _at("2026-03-02 09:00:00"),
         _at("2026-03-02 09:00:00"), _at("2026-03-02 09:03:00"), 180.0, 0.017, False, False, 1),
        # outbound-api is outbound; never answered: 0 s, so 0 cost at 0.10/min
        ("CA02", "+15550100", "outbound", "no_answer", _at("2026-03-02 09:10:00"), None,
         _at("2026-03-02 09:10:30"), 0.0, 0.0, True, False, 1),
        ("CA03", "+15550100", "outbound", "in_progress", _at("2026-03-02 11:50:00"),
         _at("2026-03-02 11:50:00"), None, None, None, False, True, 1),
        ("CA04", "+15550101", "inbound", "completed", _at("2026-03-01 15:00:00"),
         _at("2026-03-01 15:00:00"), _at("2026-03-01 15:10:00"), 600.0, 0.085, False, False, 1),
        # four callbacks are four versions; no price in a callback: 300 s at 0.10/min
        ("CA05", "+15550100", "outbound", "completed", _at("2026-03-02 10:00:00"),
         _at("2026-03-02 10:00:10"), _at("2026-03-02 10:05:10"), 300.0, 0.5, True, False, 4),
    ]  # fmt: skip
    assert query(
        "select agent_id, agent_status from marts.dim_agents"
        f" where org_id = '{TWILIO_ORG}' order by agent_id"
    ) == [("+15550100", "active"), ("+15550101", "active")]
    # 10 records give 10 call versions and 2 agents; the CSV's CA01 and the resent callback
    # are exact repeats.
    assert query(
        "select rows_read, rows_accepted, rows_rejected, exact_repeats"
        " from marts.audit_row_counts where raw_table = 'raw_twilio.calls'"
    ) == [(12, 10, 0, 2)]


def test_twilio_numbers_through_the_api(api):
    summary = api(TWILIO_ORG, "/api/v1/analytics/summary", period="24h")
    # All five started in the last 24 h; durations 180, 0, 600 and 300 s.
    assert (
        summary["total_calls"],
        summary["completed_calls"],
        summary["active_calls"],
        summary["avg_duration_seconds"],
    ) == (5, 3, 1, 270.0)
    assert api(TWILIO_ORG, "/api/v1/analytics/active-calls") == {"count": 1}


def test_livekit_metrics_lines_become_calls_and_turns(query):
    assert query(
        "select call_id, agent_id, status, outcome, started_at, ended_at, duration_s, cost_usd,"
        " is_cost_estimated, stt_provider, stt_model, llm_provider, llm_model, tts_provider,"
        " tts_model, prompt_tokens, completion_tokens, cached_tokens, turns, has_barge_in,"
        " total_latency_sum_ms, total_latency_turns, accepted_versions"
        f" from marts.fct_calls where org_id = '{LIVEKIT_ORG}' order by call_id"
    ) == [
        # no call id in the lines: the file's name; its last event an STT usage metric
        ("room-b41d09", "frontdesk-lk", "completed", None, _at("2026-03-02 09:31:03.412"),
         _at("2026-03-02 09:31:26.118"), approx(22.706), approx(22.706 / 60 * 0.10), True,
         "deepgram", "nova-3", "openai", "gpt-4o-mini", "cartesia", "sonic-2",
         842 + 905 + 978, 29 + 47 + 33, 0, 3, True, approx(1020 + 1450 + 1130), 3, 1),
        # the LLM request logged twice counts once
        ("support-7f3a2c", "frontdesk-lk", "completed", None, _at("2026-03-01 14:05:02.114"),
         _at("2026-03-01 14:05:27.440"), approx(25.326), approx(25.326 / 60 * 0.10), True,
         "deepgram", "nova-3", "openai", "gpt-4.1-mini", "cartesia", "sonic-2",
         1104 + 1163 + 1231, 18 + 41 + 36, 1024 + 1152, 3, False, approx(1210 + 1350), 2, 1),
    ]  # fmt: skip
    assert query(
        "select call_id, turn_index, started_at, stt_latency_ms, llm_latency_ms, tts_latency_ms,"
        " total_latency_ms, is_interrupted from marts.fct_call_turns"
        " where call_id in ('support-7f3a2c', 'room-b41d09') order by call_id desc, turn_index"
    ) == [
        # the greeting: no end-of-utterance metric, so no stt or voice-to-voice latency
        ("support-7f3a2c", 0, _at("2026-03-01 14:05:02.114"), None, approx(410), approx(230),
         None, False),
        # total = (end_of_utterance_delay + ttft + ttfb) in ms
        ("support-7f3a2c", 1, _at("2026-03-01 14:05:08.950"), approx(310), approx(480),
         approx(210), approx(1210), False),
        ("support-7f3a2c", 2, _at("2026-03-01 14:05:19.480"), approx(270), approx(550),
         approx(190), approx(1350), False),
        ("room-b41d09", 0, _at("2026-03-02 09:31:03.412"), approx(220), approx(390),
         approx(180), approx(1020), False),
        # its TTS was cancelled
        ("room-b41d09", 1, _at("2026-03-02 09:31:12.207"), approx(340), approx(620),
         approx(250), approx(1450), True),
        ("room-b41d09", 2, _at("2026-03-02 09:31:18.734"), approx(280), approx(440),
         approx(200), approx(1130), False),
    ]  # fmt: skip
    _assert_no_tool_calls_nor_errors_and_one_agent(
        query, LIVEKIT_ORG, ("frontdesk-lk", None, "active", _at("2026-03-02 09:31:26.118"))
    )
    # the rows derived from the 31 lines: 2 calls, 6 turns and 1 agent
    assert query(
        "select rows_read, rows_accepted, rows_rejected, exact_repeats"
        " from marts.audit_row_counts where raw_table = 'raw_livekit.metrics'"
    ) == [(9, 9, 0, 0)]


def test_pipecat_metrics_messages_become_calls_and_turns(query):
    assert query(
        "select call_id[1:8], agent_id, status, outcome, started_at, ended_at, duration_s,"
        " cost_usd, is_cost_estimated, stt_provider, stt_model, llm_provider, llm_model,"
        " tts_provider, tts_model, prompt_tokens, completion_tokens, cached_tokens, turns,"
        " has_barge_in, total_latency_sum_ms, total_latency_turns, accepted_versions"
        f" from marts.fct_calls where org_id = '{PIPECAT_ORG}' order by call_id"
    ) == [
        # the function-call turn's two LLM requests both count
        ("3c5e7a1b", "clinic-bot-pc", "completed", None, _at("2026-03-01 16:20:00.912"),
         _at("2026-03-01 16:20:19.220"), approx(18.308), approx(18.308 / 60 * 0.10), True,
         "deepgram", "nova-3-general", "openai", "gpt-4.1", "cartesia", "sonic-3",
         1210 + 1265 + 1318 + 1391, 22 + 35 + 19 + 44, 1152 + 1280 + 1280, 3, False,
         approx(1020 + 1260), 2, 1),
        # processors numbered #1; the tokens line sent twice counts once
        ("9f8e7d6c", "clinic-bot-pc", "completed", None, _at("2026-03-02 11:47:03.880"),
         _at("2026-03-02 11:47:10.940"), approx(7.06), approx(7.06 / 60 * 0.10), True,
         "deepgram", "nova-3-general", "openai", "gpt-4.1", "cartesia", "sonic-3",
         388 + 430, 31 + 27, 0, 2, False, approx(1040 + 1020), 2, 1),
    ]  # fmt: skip
    assert query(
        "select call_id[1:8], turn_index, started_at, stt_latency_ms, llm_latency_ms,"
        " tts_latency_ms, total_latency_ms, is_interrupted from marts.fct_call_turns"
        " where call_id in (select call_id from marts.fct_calls"
        f" where org_id = '{PIPECAT_ORG}') order by call_id, turn_index"
    ) == [
        # the greeting: no STT, so no total; processing times are never latencies
        ("3c5e7a1b", 0, _at("2026-03-01 16:20:00.912"), None, approx(620), approx(210), None,
         False),
        ("3c5e7a1b", 1, _at("2026-03-01 16:20:08.402"), approx(280), approx(550), approx(190),
         approx(1020), False),
        # the first of the turn's two LLM TTFBs (0.71, 0.49)
        ("3c5e7a1b", 2, _at("2026-03-01 16:20:16.610"), approx(310), approx(710), approx(240),
         approx(1260), False),
        ("9f8e7d6c", 0, _at("2026-03-02 11:47:03.880"), approx(260), approx(580), approx(200),
         approx(1040), False),
        ("9f8e7d6c", 1, _at("2026-03-02 11:47:09.950"), approx(330), approx(470), approx(220),
         approx(1020), False),
    ]  # fmt: skip
    _assert_no_tool_calls_nor_errors_and_one_agent(
        query, PIPECAT_ORG, ("clinic-bot-pc", None, "active", _at("2026-03-02 11:47:10.940"))
    )
    assert query(
        "select rows_read, rows_accepted, rows_rejected, exact_repeats"
        " from marts.audit_row_counts where raw_table = 'raw_pipecat.metrics'"
    ) == [(8, 8, 0, 0)]


def _assert_no_tool_calls_nor_errors_and_one_agent(query, org_id: str, agent: tuple) -> None:
    """Metrics logs hold no tool calls and no errors; their agent is --agent's, unnamed."""
    calls = f"select call_id from marts.fct_calls where org_id = '{org_id}'"
    for fact in ["fct_tool_calls", "fct_call_errors"]:
        assert query(f"select count(*) from marts.{fact} where call_id in ({calls})") == [(0,)]
    assert query(
        "select agent_id, agent_name, agent_status, updated_at from marts.dim_agents"
        f" where org_id = '{org_id}'"
    ) == [agent]


def test_livekit_and_pipecat_numbers_through_the_api(api):
    # turn means: LiveKit's stt over the 5 turns that have one, llm and tts over all 6
    assert api(LIVEKIT_ORG, "/api/v1/analytics/summary", period="7d") == {
        "total_calls": 2,
        "completed_calls": 2,
        "failed_calls": 0,
        "active_calls": 0,
        "avg_duration_seconds": approx((25.326 + 22.706) / 2),
        "success_rate": 100.0,
        "total_tokens": 3593 + 2834,
        "avg_stt_latency_ms": approx((310 + 270 + 220 + 340 + 280) / 5),
        "avg_llm_latency_ms": approx((410 + 480 + 550 + 390 + 620 + 440) / 6),
        "avg_tts_latency_ms": approx((230 + 210 + 190 + 180 + 250 + 200) / 6),
    }
    assert api(PIPECAT_ORG, "/api/v1/analytics/summary", period="7d") == {
        "total_calls": 2,
        "completed_calls": 2,
        "failed_calls": 0,
        "active_calls": 0,
        "avg_duration_seconds": approx((18.308 + 7.06) / 2),
        "success_rate": 100.0,
        "total_tokens": 5304 + 876,
        "avg_stt_latency_ms": approx((280 + 310 + 260 + 330) / 4),
        "avg_llm_latency_ms": approx((620 + 550 + 710 + 580 + 470) / 5),
        "avg_tts_latency_ms": approx((210 + 190 + 240 + 200 + 220) / 5),
    }
    # no cost in the logs: the minutes at the per-minute estimate
    metrics = api(PIPECAT_ORG, "/v1/metrics")["metrics"]
    assert (metrics["totalCalls"], metrics["totalMinutes"], metrics["activeAgents"]) == (
        2,
        approx((18.308 + 7.06) / 60),
        1,
    )


def test_postgresql_builds_the_same_marts_from_the_same_exports(
    platform_warehouse, postgres_warehouse
):
    environment = {**postgres_warehouse, "PGDATABASE": "platforms"}
    with closing(psycopg2.connect(**libpq(postgres_warehouse))) as admin:
        admin.autocommit = True
        admin.cursor().execute("create database platforms")
    env = {**environment, "CALLSTATS_TARGET": "postgres"}
    _load_every_platform(platform_warehouse, env)
    run_callstats("build", warehouse=platform_warehouse, now=NOW, env=env)
    assert_same_marts(platform_warehouse, environment)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_livekit_line_landing_later_in_the_same_hour_is_built_incrementally(tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    files, options = LOADS["livekit"]
    paths = [str(PLATFORM_FIXTURES / "livekit" / name) for name in files]
    run_callstats("load", "--source", "livekit", *options, *paths, warehouse=warehouse, now=NOW)
    run_callstats("build", warehouse=warehouse, now=NOW)
    # the agent's log of room-b41d09 goes on: a turn more, with 512 + 20 tokens, at 09:31:30
    later = tmp_path / "later" / "room-b41d09.jsonl"
    later.parent.mkdir()
    later.write_text(
        '{"type":"llm_metrics","label":"livekit.plugins.openai.llm.LLM","request_id":"chat-late",'
        '"timestamp":1772443890.0,"ttft":0.5,"cancelled":false,"completion_tokens":20,'
        '"prompt_tokens":512,"speech_id":"speech_late"}\n'
    )
    five_minutes_later = "2026-03-02T12:05:00Z"
    run_callstats(
        "load", "--source", "livekit", *options, str(later), warehouse=warehouse,
        now=five_minutes_later,
    )  # fmt: skip
    run_callstats("build", warehouse=warehouse, now=five_minutes_later)
    query = query_function(published_path(warehouse))
    assert query(
        "select ended_at, prompt_tokens, completion_tokens, turns, accepted_versions"
        " from marts.fct_calls where call_id = 'room-b41d09'"
    ) == [(_at("2026-03-02 09:31:30"), 2725 + 512, 109 + 20, 4, 1)]
    incremental = _marts(warehouse)
    run_callstats("build", "--full-refresh", warehouse=warehouse, now=five_minutes_later)
    full = _marts(warehouse)
    assert incremental.keys() == full.keys()
    for table, rows in full.items():
        assert_same_rows(incremental[table], rows, table)


def _marts(warehouse: Path) -> dict[str, list[tuple]]:
    query = query_function(published_path(warehouse))
    tables = query(
        "select table_name from information_schema.tables"
        f" where table_schema = 'marts' and table_name not in ({BUILD_RECORDS})"
    )
    return {table: query(f"select * from marts.{table} order by all") for (table,) in tables}
