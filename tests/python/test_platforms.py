"""Voice platforms' own exports load with one command each (`callstats load --source`) and give
the contract's numbers (sources.md), on DuckDB and PostgreSQL alike.

Each platform's fixture (fixtures/platforms/<platform>/) is shaped as the platform documents
its records, with made-up people and numbers, and is one org of the warehouse. "Now" is
2026-03-03 00:00 UTC.

Twilio (org ACaaaa…, no agent concept: a call's agent is the Twilio number it used):
- calls.jsonl, Call resources: CA01 inbound, completed, 180 s, price -0.017 (a charge);
  CA02 outbound-api, no-answer; CA03 outbound-api, in-progress since 11:50.
- call-log.csv, the console's export with RFC 2822 dates: CA01 again (an exact repeat of the
  resource) and CA04, inbound to +15550101 on March 1st, 600 s, price -0.085.
- status-callbacks.jsonl: CA05, outbound-dial, initiated 10:00:00, ringing, in-progress
  10:00:10, completed 10:05:10 with CallDuration 300 (its last callback sent twice).

Retell (no org in its payloads: loaded with --org org_maple; costs in cents):
- webhooks-2026-03-01.jsonl: A (call_1a…, inbound, Receptionist) call_started, call_ended
  (user_hangup, 48 s, 12.08 ¢, two tool calls), call_analyzed (Positive), then the call_ended
  webhook again, byte for byte; B (call_2b…, outbound, Reminder Caller) call_ended
  dial_no_answer (not_connected, 0 ¢) and call_analyzed (Unknown); C (call_3c…, outbound,
  Reminder Caller) call_started, call_ended voicemail_reached (18 s, 4.53 ¢), call_analyzed.
- webhooks-2026-03-02.jsonl: E (call_5e…, inbound, Receptionist) call_started, call_ended
  call_transfer (36 s, 9.06 ¢; a failed tool call and one without result).
- get-call-2026-03-02.jsonl, get-call objects: D (call_4d…, web call, Web Assistant, custom
  LLM) error_llm_websocket_lost_connection after 12 s, 2.6 ¢; E after its transfer, analysed
  (Negative), 13.56 ¢ with the transfer leg's telephony.

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

import json
from contextlib import closing
from datetime import datetime
from pathlib import Path

import psycopg2
import pytest
from falcon import testing
from postgres import assert_same_marts, create_shared_key, libpq
from pytest import approx
from warehouses import (
    FIXTURES,
    Query,
    assert_same_json,
    query_function,
    run_callstats,
)

from api.app import create_app
from api.config import Config, postgres_connection
from api.openapi_document import document
from callstats.keys import Scope, SqliteKeyStore, keys_path
from callstats.publish import published_path

pytestmark = pytest.mark.slow(cpu_s=100)

NOW = "2026-03-03T00:00:00Z"
PLATFORM_FIXTURES = FIXTURES / "platforms"
TWILIO_ORG = "AC" + "a" * 32
# The fixtures' two days, as each API family names a window.
WINDOW = {
    "start_date": "2026-03-01",
    "end_date": "2026-03-02",
    "startDate": "2026-03-01",
    "endDate": "2026-03-02",
    "started_after": "2026-03-01T00:00:00Z",
    "started_before": "2026-03-03T00:00:00Z",
    "period": "7d",
}
VAPI_ORG = "8f3c1a52-6d0e-4b7a-9c21-3e5f7a9b0c11"
VAPI_CALL = "7b3e2f10-5a4c-4d8e-9f1a-2b3c4d5e6f0"  # + 1..4
RILEY = "2d7e9b40-1c3a-4f5e-8a6b-7c9d0e1f2a31"
SAM = "6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c42"
RETELL_ORG = "org_maple"
LIVEKIT_ORG = "org_lk_demo"
PIPECAT_ORG = "org_pc_demo"
# platform: its fixture files and the options of `callstats load --source <platform>`
LOADS = {
    "twilio": (["calls.jsonl", "call-log.csv", "status-callbacks.jsonl"], []),
    "vapi": (["server-messages-2026-03-01.jsonl", "server-messages-2026-03-02.jsonl"], []),
    "retell": (
        ["webhooks-2026-03-01.jsonl", "webhooks-2026-03-02.jsonl", "get-call-2026-03-02.jsonl"],
        ["--org", RETELL_ORG],
    ),
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
    store = SqliteKeyStore(keys_path(platform_warehouse))
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
    # All but CA04 started in the last 24 h; durations 180, 0 and 300 s.
    assert (
        summary["total_calls"],
        summary["completed_calls"],
        summary["active_calls"],
        summary["avg_duration_seconds"],
    ) == (4, 2, 1, 160.0)
    assert api(TWILIO_ORG, "/api/v1/analytics/active-calls") == {"count": 1}


def test_retell_webhooks_and_get_call_objects_become_calls(query):
    assert query(
        "select call_id[1:6], agent_id[1:8], direction, status, outcome, resolution,"
        " started_at, answered_at, ended_at, duration_s, billed_duration_s, hangup_source,"
        " escalated_at, sentiment, call_sid[-3:], accepted_versions"
        f" from marts.fct_calls where org_id = '{RETELL_ORG}' order by call_id"
    ) == [
        # call_started, call_ended and call_analyzed are three versions, the analysed one
        # current; the retried call_ended is an exact repeat
        ("call_1", "agent_3f", "inbound", "completed", "caller_hangup", "abandoned",
         _at("2026-03-01 09:12:04.25"), _at("2026-03-01 09:12:04.25"),
         _at("2026-03-01 09:12:52.25"), 48.0, 48.0, "caller", None, "positive", "a01", 3),
        # dial_no_answer: never answered; Unknown sentiment is none
        ("call_2", "agent_7b", "outbound", "no_answer", "no_answer", "other",
         _at("2026-03-01 14:30:10.5"), None, _at("2026-03-01 14:30:35.5"), 0.0, 0.0, None,
         None, None, None, 2),
        ("call_3", "agent_7b", "outbound", "completed", "voicemail", "other",
         _at("2026-03-01 16:05:02.125"), _at("2026-03-01 16:05:02.125"),
         _at("2026-03-01 16:05:20.125"), 18.0, 18.0, None, None, "neutral", "c03", 3),
        # a web call has no direction; an error disconnection fails the call
        ("call_4", "agent_c4", None, "failed", "error", "other", _at("2026-03-02 10:15:30"),
         _at("2026-03-02 10:15:30"), _at("2026-03-02 10:15:42"), 12.0, 12.0, None, None,
         "neutral", None, 1),
        # call_transfer: escalated when the agent's leg ended; the get-call object (analysed,
        # with the transfer leg's cost) supersedes the call_ended webhook
        ("call_5", "agent_3f", "inbound", "completed", "transferred", "transferred",
         _at("2026-03-02 15:45:07.8"), _at("2026-03-02 15:45:07.8"),
         _at("2026-03-02 15:45:43.8"), 36.0, 36.0, None, _at("2026-03-02 15:45:43.8"),
         "negative", "e05", 3),
    ]  # fmt: skip
    # the versions' derived times: end (else start) + rank ms
    assert query(
        "select status, changed_at from marts.fct_call_state_changes"
        " where call_id like 'call_1%' order by changed_at"
    ) == [
        ("in_progress", _at("2026-03-01 09:12:04.251")),
        ("completed", _at("2026-03-01 09:12:52.255")),
    ]


def test_retell_costs_tokens_and_latency_summaries(query):
    assert query(
        "select call_id[1:6], round(cost_usd, 6), is_cost_estimated, round(stt_cost_usd, 6),"
        " round(llm_cost_usd, 6), round(tts_cost_usd, 6), round(telephony_cost_usd, 6),"
        " round(platform_cost_usd, 6), prompt_tokens, completion_tokens"
        f" from marts.fct_calls where org_id = '{RETELL_ORG}' order by call_id"
    ) == [
        # cents / 100: voice_engine is the platform's part, elevenlabs_tts tts, gpt_4o_mini
        # llm, twilio_telephony telephony; combined_cost the total
        ("call_1", 0.1208, False, None, 0.0048, 0.056, 0.012, 0.048, 7305, None),
        ("call_2", 0.0, False, None, None, None, None, None, None, None),
        ("call_3", 0.0453, False, None, 0.0018, 0.021, 0.0045, 0.018, 2085, None),
        # custom LLM: no LLM line, no token usage
        ("call_4", 0.026, False, None, None, 0.014, None, 0.012, None, None),
        # 0.9 ¢ + the transfer leg's 4.5 ¢ of telephony
        ("call_5", 0.1356, False, None, 0.0036, 0.042, 0.054, 0.036, 4200, None),
    ]
    assert query(
        "select call_id[1:6], e2e_latency_p50_ms, e2e_latency_p90_ms, e2e_latency_p95_ms,"
        " e2e_latency_p99_ms, llm_latency_p50_ms, llm_latency_p90_ms, llm_latency_p95_ms,"
        " llm_latency_p99_ms, tts_latency_p50_ms, tts_latency_p90_ms, tts_latency_p95_ms,"
        " tts_latency_p99_ms, total_latency_turns, llm_latency_turns, tts_latency_turns"
        f" from marts.fct_calls where org_id = '{RETELL_ORG}' order by call_id"
    ) == [
        # Retell's per-call summaries as given, never turn latencies
        ("call_1", 780.0, 972.0, 996.0, 1015.2, 455.0, 568.0, 589.0, 605.8, 202.5, 231.0,
         235.5, 239.1, 0, 0, 0),
        ("call_2", *[None] * 12, 0, 0, 0),
        ("call_3", 910.0, 910.0, 910.0, 910.0, 495.0, 515.0, 517.5, 519.5, 217.5, 227.5, 228.8,
         229.8, 0, 0, 0),
        ("call_4", None, None, None, None, 640.0, 640.0, 640.0, 640.0, 190.0, 190.0, 190.0,
         190.0, 0, 0, 0),
        ("call_5", 1025.0, 1149.0, 1164.5, 1176.9, 430.0, 646.0, 673.0, 694.6, 200.0, 216.0,
         218.0, 219.6, 0, 0, 0),
    ]  # fmt: skip


def test_retell_transcripts_become_turns_tool_calls_and_errors(query):
    assert query(
        "select call_id[1:6], turn_index, started_at, user_text, agent_text, total_latency_ms"
        " from marts.fct_call_turns where call_id in"
        f" (select call_id from marts.fct_calls where org_id = '{RETELL_ORG}')"
        " order by call_id, turn_index"
    ) == [
        # the greeting is turn 0; a turn starts at its first word; tool entries are skipped,
        # so the agent's sentences around them join
        ("call_1", 0, _at("2026-03-01 09:12:04.65"), None,
         "Thanks for calling Maple Dental, this is Riley. How can I help?", None),
        ("call_1", 1, _at("2026-03-01 09:12:08.45"),
         "Hi, I'd like to book a cleaning next week.",
         "Sure, let me check what's open. I have Tuesday at three or Thursday at five thirty.",
         None),
        ("call_1", 2, _at("2026-03-01 09:12:19.25"), "Tuesday at three works.",
         "You're booked for Tuesday at three. Your confirmation is M D 4 8 2 1.", None),
        ("call_1", 3, _at("2026-03-01 09:12:26.65"), "Great, thanks. Bye.", "Goodbye!", None),
        # the voicemail greeting is the user's
        ("call_3", 0, _at("2026-03-01 16:05:02.925"),
         "Hi, you've reached Dana. Leave a message after the tone.",
         "Hi Dana, this is Maple Dental reminding you of your cleaning tomorrow at three."
         " Please call us back if you need to reschedule. Goodbye.", None),
        ("call_4", 0, _at("2026-03-02 10:15:30.3"), None,
         "Hi, I'm the Maple Dental assistant. What can I do for you?", None),
        ("call_4", 1, _at("2026-03-02 10:15:34"), "Do you take Delta Dental insurance?", None,
         None),
        ("call_5", 0, _at("2026-03-02 15:45:08.3"), None,
         "Thanks for calling Maple Dental, this is Riley. How can I help?", None),
        ("call_5", 1, _at("2026-03-02 15:45:12.2"), "I was charged twice for my last visit.",
         "I'm sorry about that. Let me pull up your invoice. I can't reach our billing system"
         " right now. Would you like me to connect you to the front desk?", None),
        ("call_5", 2, _at("2026-03-02 15:45:25.6"), "Yes, please.", "Connecting you now.", None),
    ]  # fmt: skip
    assert query(
        "select tool_call_id, call_id[1:6], tool_name, started_at, latency_ms, is_success,"
        " error_message from marts.fct_tool_calls where call_id in"
        f" (select call_id from marts.fct_calls where org_id = '{RETELL_ORG}')"
        " order by started_at"
    ) == [
        # started when the last word before the invocation ended
        ("tc_9d2f41a07b3e4c58", "call_1", "check_availability", _at("2026-03-01 09:12:13.15"),
         None, True, None),
        ("tc_5e8a03c6d1f24b97", "call_1", "book_appointment", _at("2026-03-01 09:12:20.65"),
         None, True, None),
        ("tc_1c7b52e9a04d4f36", "call_5", "lookup_invoice", _at("2026-03-02 15:45:18"), None,
         False, "Invoice service timed out"),
        # the transfer ended the agent's leg before a result
        ("tc_8f30d6b2c15e4a7d", "call_5", "transfer_to_front_desk",
         _at("2026-03-02 15:45:28.4"), None, None, None),
    ]  # fmt: skip
    assert query(
        "select error_id, occurred_at, service, provider_name, level, message, details"
        f" from marts.fct_call_errors where org_id = '{RETELL_ORG}'"
    ) == [
        ("call_4d5e6f708192a3b4c5d6e7f8091:error_llm_websocket_lost_connection",
         _at("2026-03-02 10:15:42"), "llm", None, "error", "error_llm_websocket_lost_connection",
         '{"call_status":"error","disconnection_reason":"error_llm_websocket_lost_connection"}'),
    ]  # fmt: skip


def test_retell_agents_and_audit(query):
    assert query(
        "select agent_id[1:8], agent_name, agent_status, updated_at from marts.dim_agents"
        f" where org_id = '{RETELL_ORG}' order by agent_id"
    ) == [
        # named as their newest call names them, as of that call's version
        ("agent_3f", "Maple Dental Receptionist", "active", _at("2026-03-02 15:45:43.809")),
        ("agent_7b", "Maple Dental Reminder Caller", "active", _at("2026-03-01 16:05:20.133")),
        ("agent_c4", "Maple Dental Web Assistant", "active", _at("2026-03-02 10:15:42.009")),
    ]
    # 13 records: 12 call versions and an exact repeat; with them 10 turns, 4 tool calls,
    # 1 error and 3 agents
    assert query(
        "select rows_read, rows_accepted, rows_rejected, exact_repeats"
        " from marts.audit_row_counts where raw_table = 'raw_retell.calls'"
    ) == [(13 + 10 + 4 + 1 + 3, 12 + 10 + 4 + 1 + 3, 0, 1)]


def test_retell_numbers_through_the_api(api):
    summary = api(
        RETELL_ORG,
        "/api/v1/analytics/summary",
        started_after="2026-03-01",
        started_before="2026-03-03",
    )
    # 114 s over 5 calls; tokens 7305 + 2085 + 4200; no turn latencies
    assert summary == {
        "total_calls": 5,
        "completed_calls": 3,
        "failed_calls": 1,
        "active_calls": 0,
        "avg_duration_seconds": 22.8,
        "success_rate": 60.0,
        "total_tokens": 13590,
        "avg_stt_latency_ms": 0.0,
        "avg_llm_latency_ms": 0.0,
        "avg_tts_latency_ms": 0.0,
    }
    window = {"start_date": "2026-03-01", "end_date": "2026-03-02"}
    # sums of cents / 100, in any order
    assert api(RETELL_ORG, "/analytics/cost-overview", **window) == pytest.approx(
        {
            "total_spend": 0.3277,
            "avg_cost_per_call": 0.06554,
            "stt_cost_total": 0.0,
            "llm_cost_total": 0.0102,
            "tts_cost_total": 0.133,
        },
        rel=1e-9,
    )
    assert api(RETELL_ORG, "/analytics/conversation-turns", **window)["avg_turns"] == 2.5
    metrics = api(RETELL_ORG, "/v1/metrics", startDate="2026-03-01", endDate="2026-03-02")
    # positive 1 of 4 with a sentiment; E transferred of 5; A's caller_hangup is abandoned
    assert metrics["metrics"] == {
        "totalCalls": 5,
        "totalMinutes": 1.9,
        "resolutionRate": 0.0,
        "avgDuration": 22.8,
        "activeAgents": 3,
        "responseTime": None,
        "sentimentPercent": 25.0,
        "escalationRate": 20.0,
    }
    assert metrics["resolutionBreakdown"] == {
        "resolved": 0,
        "transferred": 1,
        "abandoned": 1,
        "other": 3,
    }


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


@pytest.fixture(scope="module")
def postgres_platforms(platform_warehouse, postgres_cluster) -> dict[str, str]:
    """The same exports loaded into PostgreSQL's landing tables by `callstats load` and built
    there; its libpq environment."""
    environment = {**postgres_cluster, "PGDATABASE": "platforms"}
    with closing(psycopg2.connect(**libpq(postgres_cluster))) as admin:
        admin.autocommit = True
        admin.cursor().execute("create database platforms")
    env = {**environment, "CALLSTATS_TARGET": "postgres"}
    _load_every_platform(platform_warehouse, env)
    run_callstats("build", warehouse=platform_warehouse, now=NOW, env=env)
    return environment


def test_postgresql_builds_the_same_marts_from_the_same_exports(
    platform_warehouse, postgres_platforms
):
    assert_same_marts(platform_warehouse, postgres_platforms)


@pytest.mark.parametrize("org_id", [TWILIO_ORG, VAPI_ORG, RETELL_ORG, LIVEKIT_ORG, PIPECAT_ORG])
def test_every_family_answers_the_same_from_postgresql(
    platform_warehouse, postgres_platforms, monkeypatch, org_id
):
    """Every documented path (each of the org's agents for the per-agent one), for the org's
    token, with and without a window: PostgreSQL's answers are DuckDB's."""
    monkeypatch.setenv("CALLSTATS_NOW", NOW)
    keys = keys_path(platform_warehouse)
    token = create_shared_key(postgres_platforms, keys, Scope("org", org_id), "parity")
    marts = published_path(platform_warehouse)
    duck = testing.TestClient(create_app(Config(marts_path=marts, keys_path=keys)))
    postgres = testing.TestClient(
        create_app(
            Config(
                marts_path=marts,
                keys_path=keys,
                store="postgres",
                postgres=postgres_connection(postgres_platforms),
            )
        )
    )
    agents = query_function(marts)(
        f"select agent_id from marts.dim_agents where org_id = '{org_id}' order by 1"
    )
    paths = [
        path.replace("{agent_id}", agent_id)
        for path in document()["paths"]
        if path != "/health"
        for agent_id in ([agent for (agent,) in agents] if "{agent_id}" in path else [""])
    ]
    headers = {"Authorization": f"Bearer {token}"}
    for path in paths:
        for window in ({}, WINDOW):
            on_duckdb = duck.simulate_get(path, params=window or None, headers=headers)
            on_postgres = postgres.simulate_get(path, params=window or None, headers=headers)
            assert on_duckdb.status_code == on_postgres.status_code == 200, path
            if on_duckdb.headers["content-type"].startswith("application/json"):
                assert_same_json(on_duckdb.json, on_postgres.json, path)
            else:
                assert on_postgres.text == on_duckdb.text


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_vapi_reports_and_status_updates_become_calls(query):
    """Vapi (org 8f3c…): C1 inbound with a tool call, two status-updates before its report;
    C2 outbound, its report delivered twice; C3 outbound, customer-did-not-answer after a
    ringing status-update; C4 a web call that ended on an OpenAI failure. Times are epoch ms
    (message timestamps, transcript times) and ISO strings (the call's own)."""
    assert query(
        "select right(call_id, 1), agent_id, direction, status, outcome, answered_at,"
        " ended_at, duration_s, cost_usd, stt_cost_usd, telephony_cost_usd, platform_cost_usd,"
        " total_tokens, turns, accepted_versions, has_error"
        f" from marts.fct_calls where org_id = '{VAPI_ORG}' order by call_id"
    ) == [
        # a status-update in-progress, one ended, then the report: three versions
        ("1", RILEY, "inbound", "completed", "caller_hangup", _at("2026-03-01 14:02:12"),
         _at("2026-03-01 14:02:44.5"), 32.5, 0.0521, 0.0054, 0.0046, 0.0271, 4210 + 96, 3, 3,
         False),
        # the second delivery of the report is an exact repeat
        ("2", SAM, "outbound", "completed", "agent_hangup", _at("2026-03-01 16:30:05.2"),
         _at("2026-03-01 16:30:41.95"), 36.75, 0.0578, 0.0061, 0.0052, 0.0306, 1830 + 58, 2, 1,
         False),
        # never answered: no answer time, 0 s, every cost an explicit 0
        ("3", SAM, "outbound", "no_answer", "no_answer", None, _at("2026-03-02 15:10:31.4"),
         0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 2, False),
        ("4", RILEY, "inbound", "failed", "error", _at("2026-03-02 18:45:03"),
         _at("2026-03-02 18:45:24.6"), 21.6, 0.0293, 0.0036, 0.0, 0.018, 1405 + 21, 2, 1, True),
    ]  # fmt: skip
    # A turn is a user message and the bot messages after it; latencies by position.
    assert query(
        "select right(call_id, 1), turn_index, started_at, user_text, stt_latency_ms,"
        " llm_latency_ms, tts_latency_ms, total_latency_ms"
        f" from marts.fct_call_turns where call_id like '{VAPI_CALL}%' order by all"
    ) == [
        ("1", 0, _at("2026-03-01 14:02:17.4"),
         "Hi, I'd like to book a cleaning for Tuesday morning.", 180.0, 420.0, 190.0, 1000.0),
        ("1", 1, _at("2026-03-01 14:02:28.8"), "Nine, please. It's Dana Whitfield.",
         160.0, 380.0, 170.0, 940.0),
        ("1", 2, _at("2026-03-01 14:02:37.1"), "No, that's all. Thanks!", 150.0, 350.0, 160.0,
         910.0),
        ("2", 0, _at("2026-03-01 16:30:07.3"), "Hello?", 170.0, 450.0, 210.0, 1130.0),
        ("2", 1, _at("2026-03-01 16:30:17.6"), "Yes, I'll be there.", 160.0, 400.0, 180.0,
         980.0),
        ("4", 0, _at("2026-03-02 18:45:08"), "Can I move my Friday appointment?", 190.0, 510.0,
         200.0, 1120.0),
        # the LLM failed before answering: no agent text, no latencies
        ("4", 1, _at("2026-03-02 18:45:15.7"), "Any time after 4 PM.", None, None, None, None),
    ]  # fmt: skip
    assert query(
        "select agent_text from marts.fct_call_turns"
        f" where call_id = '{VAPI_CALL}1' and turn_index = 0"
    ) == [
        (
            "Let me check Tuesday morning for you."
            " I have 9 AM or 10:30 on Tuesday. Which would you like?",
        )
    ]
    # the result message came 1772373742330 - 1772373741450 = 880 ms after the call
    assert query(
        "select tool_call_id, tool_name, started_at, latency_ms, is_success"
        f" from marts.fct_tool_calls where call_id like '{VAPI_CALL}%'"
    ) == [
        ("call_Qm7fT2xKp9LwR4sZ1vN8bY3c", "checkAvailability", _at("2026-03-01 14:02:21.45"),
         880.0, True)
    ]  # fmt: skip
    assert query(
        "select service, provider_name, level, occurred_at, message from marts.fct_call_errors"
        f" where call_id like '{VAPI_CALL}%'"
    ) == [
        ("llm", "openai", "error", _at("2026-03-02 18:45:24.6"),
         "OpenAI returned 503 Service Unavailable for model gpt-4o-mini after 2 retries.")
    ]  # fmt: skip
    assert query(
        "select agent_id, agent_name, agent_status from marts.dim_agents"
        f" where org_id = '{VAPI_ORG}' order by agent_name"
    ) == [(RILEY, "Riley - Front Desk", "active"), (SAM, "Sam - Reminders", "active")]
    # 8 call versions + 9 turns + 1 tool call + 1 error + 2 agents; the repeated report's
    # call version and its 2 turns are exact repeats.
    assert query(
        "select rows_read, rows_accepted, rows_rejected, exact_repeats"
        " from marts.audit_row_counts where raw_table = 'raw_vapi.server_messages'"
    ) == [(21, 18, 0, 3)]


def test_vapi_numbers_through_the_api(api):
    overview = api(VAPI_ORG, "/analytics/overview")
    assert overview == {
        "total_calls": 4,
        "total_duration": pytest.approx(90.85),  # 32.5 + 36.75 + 0 + 21.6
        "avg_duration": pytest.approx(22.7125),
        "completed_calls": 2,
        "failed_calls": 1,
    }
    costs = api(VAPI_ORG, "/analytics/cost-overview")
    assert costs == pytest.approx(
        {
            "total_spend": 0.1392,  # 0.0521 + 0.0578 + 0 + 0.0293
            "avg_cost_per_call": 0.0348,
            "stt_cost_total": 0.0151,
            "llm_cost_total": 0.0047,
            "tts_cost_total": 0.0327,
        }
    )
    # over the 6 turns with latencies
    latency = api(VAPI_ORG, "/analytics/latency")
    assert (
        latency["avg_stt_latency_ms"],
        latency["avg_llm_latency_ms"],
        latency["avg_tts_latency_ms"],
        latency["avg_total_latency_ms"],
    ) == pytest.approx((1010 / 6, 2510 / 6, 1110 / 6, 6080 / 6))
    assert api(VAPI_ORG, "/analytics/provider-errors") == [
        {"provider_name": name, "error_count": errors, "total_calls": calls,
         "error_rate": errors / calls}
        for name, errors, calls in [
            ("openai", 1, 4), ("11labs", 0, 2), ("cartesia", 0, 2), ("deepgram", 0, 4)
        ]
    ]  # fmt: skip


def test_bad_platform_files_are_reported_and_lose_nothing(tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    spreadsheet = tmp_path / "call-log.csv"
    spreadsheet.write_text("Call Sid;Status\nCA1;completed\n")
    refused = run_callstats(
        "load", "--source", "twilio", str(spreadsheet), warehouse=warehouse, check=False
    )
    assert (refused.returncode, refused.stderr) == (
        1,
        f"callstats: {spreadsheet}: the header row names none of the columns of"
        " raw_twilio.calls: sid, call_sid; it looks ;-separated, but callstats load reads"
        " comma-separated CSV\n",
    )
    folder = run_callstats(
        "load", "--source", "vapi", str(tmp_path), warehouse=warehouse, check=False
    )
    assert (folder.returncode, folder.stderr) == (
        1,
        f"callstats: {tmp_path}: a directory; name the files in it\n",
    )
    messages = tmp_path / "messages.jsonl"
    messages.write_text('{"message": {"type": "status-update"}}\nnot json\n[1]\n')
    loaded = run_callstats(
        "load", "--source", "vapi", str(messages), warehouse=warehouse, check=False
    )
    assert loaded.returncode == 1
    assert f"{messages}:2: not valid JSON" in loaded.stderr
    assert f"{messages}:3: not a JSON object" in loaded.stderr
    query = query_function(warehouse)
    assert query("select count(*) from raw_vapi.server_messages") == [(1,)]
    assert query("select table_name, line_number from raw.load_errors order by 2") == [
        ("raw_vapi.server_messages", 2),
        ("raw_vapi.server_messages", 3),
    ]
    without_source = run_callstats(
        "load", "--org", "o-1", str(messages), warehouse=warehouse, check=False
    )
    assert (without_source.returncode, without_source.stderr) == (
        1,
        "callstats: --org and --agent go with --source\n",
    )


# org: (calls, completed, failed, duration in s, an agent and its number of calls); all of
# each fixture's calls are in the window
HEADLINES = {
    # CA01..CA05: completed CA01, CA04, CA05; 180 + 0 + 600 + 300 s (CA03 is live)
    TWILIO_ORG: (5, 3, 0, 1080.0, "+15550101", 1),
    # C1..C4: 32.5 + 36.75 + 0 + 21.6 s
    VAPI_ORG: (4, 2, 1, 90.85, RILEY, 2),
    # A, C, E completed, D failed, B no answer: 48 + 0 + 18 + 12 + 36 s
    RETELL_ORG: (5, 3, 1, 114.0, "agent_3f9c1d7a0b2e4c6d8e1f2a3b4c", 2),
    # first to last event: 25.326 + 22.706 s
    LIVEKIT_ORG: (2, 2, 0, 48.032, "frontdesk-lk", 2),
    # 18.308 + 7.06 s
    PIPECAT_ORG: (2, 2, 0, 25.368, "clinic-bot-pc", 2),
}


@pytest.mark.parametrize("org_id", HEADLINES)
def test_every_api_family_gives_each_platforms_numbers(api, org_id):
    calls, completed, failed, duration_s, agent_id, agent_calls = HEADLINES[org_id]
    timed = calls - (org_id == TWILIO_ORG)  # CA03 is still in progress
    overview = api(org_id, "/analytics/overview")
    assert (
        overview["total_calls"],
        overview["completed_calls"],
        overview["failed_calls"],
        overview["total_duration"],
    ) == (calls, completed, failed, approx(duration_s))
    summary = api(org_id, "/api/v1/analytics/summary", period="7d")
    assert (
        summary["total_calls"],
        summary["completed_calls"],
        summary["failed_calls"],
        summary["avg_duration_seconds"],
    ) == (calls, completed, failed, approx(duration_s / timed))
    metrics = api(org_id, "/v1/metrics", startDate="2026-03-01", endDate="2026-03-02")
    assert (metrics["metrics"]["totalCalls"], metrics["metrics"]["totalMinutes"]) == (
        calls,
        approx(duration_s / 60),
    )
    analytics = api(org_id, "/api/v1/calls/analytics", period="7d")
    assert (
        analytics["total_calls"],
        analytics["completed_calls"],
        analytics["failed_calls"],
        analytics["total_duration"],
    ) == (calls, completed, failed, approx(duration_s))
    assert len(api(org_id, f"/api/agents/{agent_id}/call_stats")) == agent_calls


def test_values_out_of_any_range_are_none_and_the_build_goes_on(tmp_path):
    """A count or a time too large for its column reads as none instead of failing the build:
    1e30 prompt tokens; a message timestamp 1e20 ms away (its version has no time, so it is
    rejected). A LiveKit log loaded without --agent belongs to the agent `livekit`."""
    warehouse = tmp_path / "callstats.duckdb"
    call = {
        "orgId": "org-big",
        "assistantId": "assistant-1",
        "createdAt": "2026-03-01T14:00:00Z",
        "startedAt": "2026-03-01T14:00:01Z",
        "endedAt": "2026-03-01T14:01:01Z",
    }

    def report(call_id: str, sent: float, tokens: float) -> str:
        return json.dumps({"message": {
            "type": "end-of-call-report", "timestamp": sent, "endedReason": "customer-ended-call",
            "call": {**call, "id": call_id, "costBreakdown": {"llmPromptTokens": tokens}},
        }})  # fmt: skip

    messages = tmp_path / "messages.jsonl"
    messages.write_text(report("big-1", 1772373770740, 1e30) + "\n" + report("big-2", 1e20, 5))
    log = tmp_path / "room-9.jsonl"
    log.write_text(
        '{"type": "llm_metrics", "request_id": "r-1", "timestamp": 1772373600.0,'
        ' "ttft": 0.4, "speech_id": "s-1", "prompt_tokens": 10, "completion_tokens": 2}\n'
    )
    run_callstats("load", "--source", "vapi", str(messages), warehouse=warehouse, now=NOW)
    run_callstats(
        "load", "--source", "livekit", "--org", "org-big", str(log), warehouse=warehouse, now=NOW
    )
    run_callstats("build", warehouse=warehouse, now=NOW)
    query = query_function(published_path(warehouse))
    assert query(
        "select call_id, agent_id, status, duration_s, prompt_tokens from marts.fct_calls"
        " order by call_id"
    ) == [
        ("big-1", "assistant-1", "completed", 60.0, None),
        ("room-9", "livekit", "completed", 0.0, 10),
    ]
    assert query(
        "select raw_table, rejection_reason from marts.audit_rejected_rows"
        " where row_key like 'big-2%'"
    ) == [("raw_vapi.server_messages", "missing_updated_at")]
