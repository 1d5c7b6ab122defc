"""Family A, /analytics/... (seed 000), on the fixture calls (see test_fixture_marts.py).

The six accepted calls all start on Monday 2026-03-02 (UTC):
c-1 09:00 org-a a-1  completed 300 s  cost 0.42 (stt 0.05, llm 0.2, tts 0.07)  4 turns
c-2 09:30 org-a a-1  completed  60 s  cost 0.10  escalated  2 turns, barge-in,
                     tts error (elevenlabs)
c-3 10:15 org-a a-2  failed     20 s  cost 0.01  0 turns, stt error (deepgram)
c-4 10:40 org-b a-3  in_progress, no duration, no cost  1 turn
c-5 11:00 org-b a-9  completed  30 s  cost 0.05  voicemail  (a-9 is deleted: no name)
c-9 11:45 org-b a-3  unknown    60 s  cost 0.10
Turn latencies (stt/llm/tts/total ms): c-1 100/400/80/600, 120/500/90/720, 140/600/100/850,
100/-/100/300 (turn 3: its negative llm latency is nulled); c-2 200/800/150/1200,
180/-/130/3000; c-4 100/300/60/500.
Providers (stt/llm/tts): c-1 deepgram/openai/cartesia, c-2 deepgram/openai/elevenlabs,
c-3 deepgram/anthropic/cartesia, c-4 deepgram/openai/cartesia, c-5 assemblyai/openai/deepgram.
STT events: s-1 09:00:10 opened conn-1 (c-1), s-2 09:05:10 closed conn-1, s-3 09:30:05 opened
CA2 (c-2), s-4 09:31:05 closed CA2, s-5 10:40:31 rejected (c-4), s-6 10:40:32 opened conn-4b
(c-4), s-7 10:40:45 timeout conn-4b, s-8 10:50:00 utterance_end_fallback (no call).
"""

from datetime import datetime, timedelta

import pytest
from api_cases import RecordedReads, executed_statements
from pytest import approx

from api.marts import Marts
from api.params import Window
from api.queries import events
from api.queries.selection import Selection
from callstats.keys import Scope
from callstats.publish import published_path

DAY = {"start_date": "2026-03-02", "end_date": "2026-03-02"}
# 09:30 and 10:40 on the bounds themselves: c-2, c-3, c-4 are in (both bounds inclusive).
NARROW = {"start_date": "2026-03-02T09:30:00Z", "end_date": "2026-03-02T10:40:00Z"}
EMPTY = {"start_date": "2026-03-05", "end_date": "2026-03-05"}

CALL_PATHS = [
    "/analytics/overview",
    "/analytics/call-volume",
    "/analytics/latency",
    "/analytics/cost-overview",
    "/analytics/cost-trend",
    "/analytics/cost-by-agent",
    "/analytics/duration-distribution",
    "/analytics/latency-distribution",
    "/analytics/conversation-turns",
    "/analytics/barge-in",
    "/analytics/provider-errors",
    "/analytics/peak-hours",
    "/analytics/outcomes",
]
STT_PATHS = ["/analytics/stt-events", "/analytics/stt-events/summary"]
ALL_PATHS = [*CALL_PATHS, "/analytics/agent-comparison", *STT_PATHS]


def close(expected):
    """`expected` with every float compared approximately."""
    if isinstance(expected, dict):
        return {key: close(value) for key, value in expected.items()}
    if isinstance(expected, list):
        return [close(value) for value in expected]
    if isinstance(expected, float):
        return approx(expected)
    return expected


def fetch(get, path: str, token: str = "all", **params):
    result = get(path, token, **params)
    assert result.status_code == 200, result.text
    return result.json


def buckets(*counts: int, edges=("0-30", "30-60", "60-120", "120-300", "300+")) -> dict:
    return {"buckets": [{"bucket": b, "count": n} for b, n in zip(edges, counts, strict=True)]}


def latency_buckets(*counts: int) -> dict:
    return buckets(*counts, edges=("0-500", "500-1000", "1000-2000", "2000-3000", "3000+"))


def latency(stt: float, llm: float, tts: float, total: float, day="2026-03-02") -> dict:
    return {
        "avg_stt_latency_ms": stt,
        "avg_llm_latency_ms": llm,
        "avg_tts_latency_ms": tts,
        "avg_total_latency_ms": total,
        "daily_trend": [
            {
                "date": day,
                "stt_latency_ms": stt,
                "llm_latency_ms": llm,
                "tts_latency_ms": tts,
                "total_latency_ms": total,
            }
        ],
    }


def agent(
    agent_id, name, calls, duration, completion, stt, llm, tts, total, cost, barge, turns, errors
) -> dict:
    return {
        "agent_id": agent_id,
        "agent_name": name,
        "total_calls": calls,
        "avg_duration": duration,
        "completion_rate": completion,
        "avg_stt_latency_ms": stt,
        "avg_llm_latency_ms": llm,
        "avg_tts_latency_ms": tts,
        "avg_total_latency_ms": total,
        "avg_cost": cost,
        "barge_in_rate": barge,
        "avg_turns": turns,
        "error_count": errors,
    }


def provider(name: str, errors: int, calls: int) -> dict:
    return {
        "provider_name": name,
        "error_count": errors,
        "total_calls": calls,
        "error_rate": errors / calls,
    }


def event(event_id: str, call_sid: str, event_type: str, created_at: str, detail=None) -> dict:
    return {
        "id": event_id,
        "call_sid": call_sid,
        "event_type": event_type,
        "provider_name": "deepgram",
        "model": "nova-2",
        "detail": detail,
        "created_at": created_at,
    }


S1 = event("s-1", "CA1", "connection_opened", "2026-03-02T09:00:10Z", {"language": "en"})
S2 = event("s-2", "CA1", "connection_closed", "2026-03-02T09:05:10Z")
S3 = event("s-3", "CA2", "connection_opened", "2026-03-02T09:30:05Z")
S4 = event("s-4", "CA2", "connection_closed", "2026-03-02T09:31:05Z")
S5 = event("s-5", "CA4", "connection_rejected", "2026-03-02T10:40:31Z")
S6 = event("s-6", "CA4", "connection_opened", "2026-03-02T10:40:32Z")
S7 = event("s-7", "CA4", "timeout", "2026-03-02T10:40:45Z")
S8 = event("s-8", "CA-unknown", "utterance_end_fallback", "2026-03-02T10:50:00Z")


def summary(
    total, opened, closed, rejected, timeouts, errors, fallbacks, mean_s, rejection, timeout
) -> dict:
    return {
        "total_events": total,
        "connections_opened": opened,
        "connections_closed": closed,
        "connections_rejected": rejected,
        "timeouts": timeouts,
        "errors": errors,
        "utterance_end_fallbacks": fallbacks,
        "avg_connection_duration_s": mean_s,
        "rejection_rate": rejection,
        "timeout_rate": timeout,
    }


def day_series(field: str, value) -> list[dict]:
    return [{"date": "2026-03-02", field: value}]


# Every endpoint on the whole day 2026-03-02 with an all-scope token.
WHOLE_DAY = {
    # 300 + 60 + 20 + 30 + 60 = 470 s over the 5 calls with a duration.
    "/analytics/overview": {
        "total_calls": 6,
        "total_duration": 470.0,
        "avg_duration": 94.0,
        "completed_calls": 3,  # c-1, c-2, c-5
        "failed_calls": 1,  # c-3
    },
    "/analytics/call-volume": day_series("count", 6),
    # Over the 7 turns: stt 940/7; llm 2600/5 (c-1's turn 3 and c-2's second turn have none);
    # tts 710/7; total 7170/7.
    "/analytics/latency": latency(940 / 7, 520.0, 710 / 7, 7170 / 7),
    "/analytics/cost-overview": {
        "total_spend": 0.68,  # 0.42 + 0.10 + 0.01 + 0.05 + 0.10
        "avg_cost_per_call": 0.136,  # 0.68 / 5 calls with a cost (c-4 has none)
        "stt_cost_total": 0.05,
        "llm_cost_total": 0.2,
        "tts_cost_total": 0.07,
    },
    "/analytics/cost-trend": day_series("total_cost", 0.68),
    "/analytics/cost-by-agent": [
        {"agent_id": "a-1", "agent_name": "Support Agent v2", "total_cost": 0.52},  # c-1 + c-2
        {"agent_id": "a-3", "agent_name": "Triage Agent", "total_cost": 0.1},  # c-9; c-4 none
        {"agent_id": "a-9", "agent_name": None, "total_cost": 0.05},
        {"agent_id": "a-2", "agent_name": "Sales Agent", "total_cost": 0.01},
    ],
    # c-3 20 | c-5 30 | c-2 60, c-9 60 | - | c-1 300; c-4 has no duration.
    "/analytics/duration-distribution": buckets(1, 1, 2, 0, 1),
    # 300 | 600 720 850 500 | 1200 | - | 3000
    "/analytics/latency-distribution": latency_buckets(1, 4, 1, 0, 1),
    # (4 + 2 + 1) turns / 3 calls with turns
    "/analytics/conversation-turns": {
        "avg_turns": 7 / 3,
        "daily_trend": day_series("avg_turns", 7 / 3),
    },
    # c-2 of the 3 calls with turns
    "/analytics/barge-in": {
        "barge_in_rate": 1 / 3,
        "daily_trend": day_series("barge_in_rate", 1 / 3),
    },
    "/analytics/provider-errors": [
        provider("deepgram", 1, 5),  # c-1..c-4 stt, c-5 tts; e-1 on c-3
        provider("elevenlabs", 1, 1),  # e-3 on c-2
        provider("anthropic", 0, 1),
        provider("assemblyai", 0, 1),
        provider("cartesia", 0, 3),
        provider("openai", 0, 4),  # e-2 on c-1 is a warning
    ],
    "/analytics/peak-hours": [
        {"day_of_week": 0, "hour": 9, "count": 2},
        {"day_of_week": 0, "hour": 10, "count": 2},
        {"day_of_week": 0, "hour": 11, "count": 2},
    ],
    "/analytics/outcomes": [
        {"outcome": outcome, "count": 1}
        for outcome in ("escalated", "failed", "in_progress", "resolved", "unknown", "voicemail")
    ],
    "/analytics/agent-comparison": [
        # c-1, c-2: durations (300 + 60) / 2; stt (100+120+140+100+200+180) / 6; llm
        # (400+500+600+800) / 4; tts (80+90+100+100+150+130) / 6; total
        # (600+720+850+300+1200+3000) / 6; cost (0.42 + 0.10) / 2; barge-in 1 of 2;
        # turns (4 + 2) / 2; c-2 has an error.
        agent(
            "a-1",
            "Support Agent v2",
            2,
            180.0,
            1.0,
            140.0,
            575.0,
            650 / 6,
            6670 / 6,
            0.26,
            0.5,
            3.0,
            1,
        ),
        # c-3: no turns, so latencies, barge-in and turns are 0.
        agent("a-2", "Sales Agent", 1, 20.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.01, 0.0, 0.0, 1),
        # c-4 (live: no duration, no cost, 1 turn) and c-9 (60 s, 0.10).
        agent("a-3", "Triage Agent", 2, 60.0, 0.0, 100.0, 300.0, 60.0, 500.0, 0.1, 0.0, 1.0, 0),
        agent("a-9", None, 1, 30.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.05, 0.0, 0.0, 0),
    ],
    "/analytics/stt-events": [S8, S7, S6, S5, S4, S3, S2, S1],
    # conn-1 09:00:10 to 09:05:10 = 300 s, CA2 09:30:05 to 09:31:05 = 60 s; conn-4b never
    # closes. Rejected 1 / (3 opened + 1); 1 timeout / 3 opened.
    "/analytics/stt-events/summary": summary(8, 3, 2, 1, 1, 0, 1, 180.0, 0.25, 1 / 3),
}

# NARROW: c-2, c-3, c-4 by start; s-3, s-4 by created_at (s-5 is at 10:40:31).
NARROW_EXPECTED = {
    "/analytics/overview": {
        "total_calls": 3,
        "total_duration": 80.0,  # 60 + 20; c-4 has none
        "avg_duration": 40.0,
        "completed_calls": 1,
        "failed_calls": 1,
    },
    "/analytics/call-volume": day_series("count", 3),
    # stt (200+180+100)/3, llm (800+300)/2, tts (150+130+60)/3, total (1200+3000+500)/3
    "/analytics/latency": latency(160.0, 550.0, 340 / 3, 4700 / 3),
    "/analytics/cost-overview": {
        "total_spend": 0.11,  # 0.10 + 0.01
        "avg_cost_per_call": 0.055,
        "stt_cost_total": 0.0,
        "llm_cost_total": 0.0,
        "tts_cost_total": 0.0,
    },
    "/analytics/cost-trend": day_series("total_cost", 0.11),
    "/analytics/cost-by-agent": [
        {"agent_id": "a-1", "agent_name": "Support Agent v2", "total_cost": 0.1},
        {"agent_id": "a-2", "agent_name": "Sales Agent", "total_cost": 0.01},
        {"agent_id": "a-3", "agent_name": "Triage Agent", "total_cost": 0.0},  # c-4: no cost
    ],
    "/analytics/duration-distribution": buckets(1, 0, 1, 0, 0),
    "/analytics/latency-distribution": latency_buckets(0, 1, 1, 0, 1),
    # (2 + 1) turns / 2 calls with turns; c-2 barged in
    "/analytics/conversation-turns": {
        "avg_turns": 1.5,
        "daily_trend": day_series("avg_turns", 1.5),
    },
    "/analytics/barge-in": {"barge_in_rate": 0.5, "daily_trend": day_series("barge_in_rate", 0.5)},
    "/analytics/provider-errors": [
        provider("deepgram", 1, 3),
        provider("elevenlabs", 1, 1),
        provider("anthropic", 0, 1),
        provider("cartesia", 0, 2),
        provider("openai", 0, 2),
    ],
    "/analytics/peak-hours": [
        {"day_of_week": 0, "hour": 9, "count": 1},
        {"day_of_week": 0, "hour": 10, "count": 2},
    ],
    "/analytics/outcomes": [
        {"outcome": "escalated", "count": 1},
        {"outcome": "failed", "count": 1},
        {"outcome": "in_progress", "count": 1},
    ],
    "/analytics/agent-comparison": [
        # c-2: stt (200+180)/2, llm 800, tts (150+130)/2, total (1200+3000)/2
        agent(
            "a-1", "Support Agent v2", 1, 60.0, 1.0, 190.0, 800.0, 140.0, 2100.0, 0.1, 1.0, 2.0, 1
        ),
        agent("a-2", "Sales Agent", 1, 20.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.01, 0.0, 0.0, 1),
        # c-4 alone: no duration and no cost are 0 (empty-set rule).
        agent("a-3", "Triage Agent", 1, 0.0, 0.0, 100.0, 300.0, 60.0, 500.0, 0.0, 0.0, 1.0, 0),
        agent("a-9", None, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0),
    ],
    "/analytics/stt-events": [S4, S3],
    "/analytics/stt-events/summary": summary(2, 1, 1, 0, 0, 0, 0, 60.0, 0.0, 0.0),
}

# agent_id=a-1 over the whole day: c-1 and c-2.
AGENT_A1 = {
    "/analytics/overview": {
        "total_calls": 2,
        "total_duration": 360.0,
        "avg_duration": 180.0,
        "completed_calls": 2,
        "failed_calls": 0,
    },
    "/analytics/call-volume": day_series("count", 2),
    "/analytics/latency": latency(140.0, 575.0, 650 / 6, 6670 / 6),  # as in agent-comparison
    "/analytics/cost-overview": {
        "total_spend": 0.52,
        "avg_cost_per_call": 0.26,
        "stt_cost_total": 0.05,
        "llm_cost_total": 0.2,
        "tts_cost_total": 0.07,
    },
    "/analytics/cost-trend": day_series("total_cost", 0.52),
    "/analytics/cost-by-agent": [
        {"agent_id": "a-1", "agent_name": "Support Agent v2", "total_cost": 0.52}
    ],
    "/analytics/duration-distribution": buckets(0, 0, 1, 0, 1),
    "/analytics/latency-distribution": latency_buckets(1, 3, 1, 0, 1),  # c-1 and c-2's turns
    "/analytics/conversation-turns": {
        "avg_turns": 3.0,  # (4 + 2) / 2
        "daily_trend": day_series("avg_turns", 3.0),
    },
    "/analytics/barge-in": {"barge_in_rate": 0.5, "daily_trend": day_series("barge_in_rate", 0.5)},
    "/analytics/provider-errors": [
        provider("elevenlabs", 1, 1),
        provider("cartesia", 0, 1),
        provider("deepgram", 0, 2),
        provider("openai", 0, 2),
    ],
    "/analytics/peak-hours": [{"day_of_week": 0, "hour": 9, "count": 2}],
    "/analytics/outcomes": [
        {"outcome": "escalated", "count": 1},
        {"outcome": "resolved", "count": 1},
    ],
}

# An org-b token sees c-4, c-5, c-9 and the events of c-4 only.
ORG_B = {
    "/analytics/overview": {
        "total_calls": 3,
        "total_duration": 90.0,  # 30 + 60
        "avg_duration": 45.0,
        "completed_calls": 1,
        "failed_calls": 0,  # c-9 is unknown, not failed
    },
    "/analytics/call-volume": day_series("count", 3),
    "/analytics/latency": latency(100.0, 300.0, 60.0, 500.0),  # c-4's one turn
    "/analytics/cost-overview": {
        "total_spend": 0.15,  # 0.05 + 0.10
        "avg_cost_per_call": 0.075,
        "stt_cost_total": 0.0,
        "llm_cost_total": 0.0,
        "tts_cost_total": 0.0,
    },
    "/analytics/cost-trend": day_series("total_cost", 0.15),
    "/analytics/cost-by-agent": [
        {"agent_id": "a-3", "agent_name": "Triage Agent", "total_cost": 0.1},
        {"agent_id": "a-9", "agent_name": None, "total_cost": 0.05},
    ],
    "/analytics/duration-distribution": buckets(0, 1, 1, 0, 0),
    "/analytics/latency-distribution": latency_buckets(0, 1, 0, 0, 0),
    "/analytics/conversation-turns": {
        "avg_turns": 1.0,
        "daily_trend": day_series("avg_turns", 1.0),
    },
    "/analytics/barge-in": {"barge_in_rate": 0.0, "daily_trend": day_series("barge_in_rate", 0.0)},
    "/analytics/provider-errors": [
        provider("assemblyai", 0, 1),
        provider("cartesia", 0, 1),
        provider("deepgram", 0, 2),
        provider("openai", 0, 2),
    ],
    "/analytics/peak-hours": [
        {"day_of_week": 0, "hour": 10, "count": 1},
        {"day_of_week": 0, "hour": 11, "count": 2},
    ],
    "/analytics/outcomes": [
        {"outcome": "in_progress", "count": 1},
        {"outcome": "unknown", "count": 1},
        {"outcome": "voicemail", "count": 1},
    ],
    "/analytics/agent-comparison": [
        WHOLE_DAY["/analytics/agent-comparison"][2],
        WHOLE_DAY["/analytics/agent-comparison"][3],
    ],
    "/analytics/stt-events": [S7, S6, S5],
    # conn-4b never closes; 1 rejected / (1 opened + 1); 1 timeout / 1 opened.
    "/analytics/stt-events/summary": summary(3, 1, 0, 1, 1, 0, 0, None, 0.5, 1.0),
}

# A res-1 token sees org-a: c-1, c-2, c-3 and their events s-1..s-4 (s-8 belongs to no call).
RESELLER = {
    "/analytics/overview": {
        "total_calls": 3,
        "total_duration": 380.0,  # 300 + 60 + 20
        "avg_duration": 380 / 3,
        "completed_calls": 2,
        "failed_calls": 1,
    },
    "/analytics/call-volume": day_series("count", 3),
    "/analytics/latency": latency(140.0, 575.0, 650 / 6, 6670 / 6),  # c-3 has no turns
    "/analytics/cost-overview": {
        "total_spend": 0.53,
        "avg_cost_per_call": 0.53 / 3,
        "stt_cost_total": 0.05,
        "llm_cost_total": 0.2,
        "tts_cost_total": 0.07,
    },
    "/analytics/cost-trend": day_series("total_cost", 0.53),
    "/analytics/cost-by-agent": [
        {"agent_id": "a-1", "agent_name": "Support Agent v2", "total_cost": 0.52},
        {"agent_id": "a-2", "agent_name": "Sales Agent", "total_cost": 0.01},
    ],
    "/analytics/duration-distribution": buckets(1, 0, 1, 0, 1),
    "/analytics/latency-distribution": latency_buckets(1, 3, 1, 0, 1),  # c-1 and c-2's turns
    "/analytics/conversation-turns": {
        "avg_turns": 3.0,  # (4 + 2) / 2
        "daily_trend": day_series("avg_turns", 3.0),
    },
    "/analytics/barge-in": {"barge_in_rate": 0.5, "daily_trend": day_series("barge_in_rate", 0.5)},
    "/analytics/provider-errors": [
        provider("deepgram", 1, 3),
        provider("elevenlabs", 1, 1),
        provider("anthropic", 0, 1),
        provider("cartesia", 0, 2),
        provider("openai", 0, 2),
    ],
    "/analytics/peak-hours": [
        {"day_of_week": 0, "hour": 9, "count": 2},
        {"day_of_week": 0, "hour": 10, "count": 1},
    ],
    "/analytics/outcomes": [
        {"outcome": "escalated", "count": 1},
        {"outcome": "failed", "count": 1},
        {"outcome": "resolved", "count": 1},
    ],
    "/analytics/agent-comparison": WHOLE_DAY["/analytics/agent-comparison"][:2],
    "/analytics/stt-events": [S4, S3, S2, S1],
    "/analytics/stt-events/summary": summary(4, 2, 2, 0, 0, 0, 0, 180.0, 0.0, 0.0),
}


@pytest.mark.parametrize("path", ALL_PATHS)
def test_whole_day(get, path):
    assert fetch(get, path, **DAY) == close(WHOLE_DAY[path])


@pytest.mark.parametrize("path", ALL_PATHS)
def test_without_a_window_every_call_is_in(get, path):
    assert fetch(get, path) == close(WHOLE_DAY[path])


@pytest.mark.parametrize("path", ALL_PATHS)
def test_narrow_window_includes_both_bounds(get, path):
    assert fetch(get, path, **NARROW) == close(NARROW_EXPECTED[path])


@pytest.mark.parametrize("path", CALL_PATHS)
def test_agent_id_narrows_the_calls(get, path):
    assert fetch(get, path, agent_id="a-1", **DAY) == close(AGENT_A1[path])


@pytest.mark.parametrize("path", ALL_PATHS)
def test_an_org_token_sees_only_its_org(get, path):
    assert fetch(get, path, "org-b", **DAY) == close(ORG_B[path])


@pytest.mark.parametrize("path", ALL_PATHS)
def test_a_reseller_token_sees_only_its_orgs(get, path):
    assert fetch(get, path, "res-1", **DAY) == close(RESELLER[path])


@pytest.mark.parametrize("path", CALL_PATHS)
def test_an_agent_of_another_org_is_not_found_like_an_unknown_one(get, path):
    foreign = get(path, "org-b", agent_id="a-1")
    unknown = get(path, "org-b", agent_id="a-404")
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json == {
        "title": "404 Not Found",
        "description": "agent_id: 'a-1' is not found.",
    }
    assert unknown.json["description"] == "agent_id: 'a-404' is not found."
    # res-1 sees org-a only; a-9 is visible to org-b through its calls although it has no row.
    assert get(path, "res-1", agent_id="a-3").status_code == 404
    assert get(path, "org-b", agent_id="a-9").status_code == 200


def test_agent_id_of_an_agent_seen_through_its_calls(get):
    assert fetch(get, "/analytics/overview", "org-b", agent_id="a-9") == {
        "total_calls": 1,
        "total_duration": 30.0,
        "avg_duration": 30.0,
        "completed_calls": 1,
        "failed_calls": 0,
    }


def test_agent_comparison_lists_the_requested_agents_in_order(get):
    whole_day = {row["agent_id"]: row for row in WHOLE_DAY["/analytics/agent-comparison"]}
    # trimmed, the first of duplicates kept, in the order given
    rows = fetch(get, "/analytics/agent-comparison", agent_ids=" a-3 ,a-1,a-3", **DAY)
    assert rows == close([whole_day["a-3"], whole_day["a-1"]])
    # an agent without calls in the window is listed with zeros
    after_eleven = {"start_date": "2026-03-02T11:00:00Z"}
    [idle] = fetch(get, "/analytics/agent-comparison", "res-1", agent_ids="a-2", **after_eleven)
    assert idle == agent("a-2", "Sales Agent", 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0)


def test_agent_comparison_takes_agent_ids_not_agent_id(get):
    rows = fetch(get, "/analytics/agent-comparison", agent_id="a-404", **DAY)
    assert rows == close(WHOLE_DAY["/analytics/agent-comparison"])


def test_agent_comparison_hides_agents_of_other_orgs(get):
    for token, agent_ids in (("org-b", "a-3,a-1"), ("res-1", "a-9"), ("all", "a-1,a-404")):
        result = get("/analytics/agent-comparison", token, agent_ids=agent_ids)
        assert result.status_code == 404
        assert result.json["description"].startswith("agent_ids: ")


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/analytics/call-volume", "count", 6),
        ("/analytics/cost-trend", "total_cost", 0.68),
        ("/analytics/conversation-turns", "avg_turns", 7 / 3),
        ("/analytics/barge-in", "barge_in_rate", 1 / 3),
        ("/analytics/latency", "total_latency_ms", 7170 / 7),
    ],
)
def test_daily_series_list_every_day_of_the_window(get, path, field, value):
    def series(**params):
        body = fetch(get, path, **params)
        trend = body if isinstance(body, list) else body["daily_trend"]
        return [(row["date"], row[field]) for row in trend]

    # zero days on both sides
    assert series(start_date="2026-02-28", end_date="2026-03-03") == [
        ("2026-02-28", 0),
        ("2026-03-01", 0),
        ("2026-03-02", approx(value)),
        ("2026-03-03", 0),
    ]
    # an inclusive timestamp upper bound at midnight reaches into 2026-03-03
    assert series(start_date="2026-03-01T23:00:00Z", end_date="2026-03-03T00:00:00Z") == [
        ("2026-03-01", 0),
        ("2026-03-02", approx(value)),
        ("2026-03-03", 0),
    ]
    # a missing bound is the first or last day with a call
    assert series(end_date="2026-03-03") == [("2026-03-02", approx(value)), ("2026-03-03", 0)]
    assert series(start_date="2026-03-01") == [("2026-03-01", 0), ("2026-03-02", approx(value))]
    # no call: empty when a bound is missing, zeros when both are given
    assert series(start_date="2026-03-05") == []
    assert series(end_date="2026-03-01") == []
    assert series(**EMPTY) == [("2026-03-05", 0)]


def test_an_empty_window_gives_zeros_and_empty_lists(get):
    assert fetch(get, "/analytics/overview", **EMPTY) == {
        "total_calls": 0,
        "total_duration": 0,
        "avg_duration": 0,
        "completed_calls": 0,
        "failed_calls": 0,
    }
    assert fetch(get, "/analytics/cost-overview", **EMPTY) == {
        "total_spend": 0,
        "avg_cost_per_call": 0,
        "stt_cost_total": 0,
        "llm_cost_total": 0,
        "tts_cost_total": 0,
    }
    assert fetch(get, "/analytics/latency", **EMPTY) == latency(0, 0, 0, 0, day="2026-03-05")
    assert fetch(get, "/analytics/duration-distribution", **EMPTY) == buckets(0, 0, 0, 0, 0)
    assert fetch(get, "/analytics/latency-distribution", **EMPTY) == latency_buckets(0, 0, 0, 0, 0)
    for path in (
        "/analytics/cost-by-agent",
        "/analytics/provider-errors",
        "/analytics/peak-hours",
        "/analytics/outcomes",
        "/analytics/stt-events",
    ):
        assert fetch(get, path, **EMPTY) == []
    # no connection at all: the mean duration is null, the rates 0
    assert fetch(get, "/analytics/stt-events/summary", **EMPTY) == summary(
        0, 0, 0, 0, 0, 0, 0, None, 0, 0
    )
    assert fetch(get, "/analytics/agent-comparison", "org-b", **EMPTY) == [
        agent(agent_id, name, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        for agent_id, name in (("a-3", "Triage Agent"), ("a-9", None))
    ]


def test_stt_events_filters_and_limit(get):
    path = "/analytics/stt-events"
    assert fetch(get, path, call_sid="CA4") == [S7, S6, S5]
    assert fetch(get, path, event_type="connection_opened") == [S6, S3, S1]
    assert fetch(get, path, call_sid="CA1", event_type="connection_closed") == [S2]
    assert fetch(get, path, limit="2") == [S8, S7]
    assert fetch(get, path, limit="500", end_date="2026-03-02T09:05:10Z") == [S2, S1]
    # an event of another org's call is not there for an org token
    assert fetch(get, path, "res-1", call_sid="CA4") == []
    # the STT endpoints take no agent_id
    assert fetch(get, path, agent_id="a-404", limit="1") == [S8]


def test_stt_summary_pairs_openings_and_closings_inside_the_window(get):
    # From 09:00:11 the opening of conn-1 is outside, so only CA2 (60 s) is a connection;
    # opened s-3, s-6; closed s-2, s-4; rejected 1 / (2 + 1); timeouts 1 / 2.
    assert fetch(get, "/analytics/stt-events/summary", start_date="2026-03-02T09:00:11Z") == close(
        summary(7, 2, 2, 1, 1, 0, 1, 60.0, 1 / 3, 0.5)
    )
    assert fetch(get, "/analytics/stt-events/summary", agent_id="a-404", **DAY) == close(
        WHOLE_DAY["/analytics/stt-events/summary"]
    )


def test_stt_summary_of_a_window_that_cuts_both_connections(get):
    # 09:03 to 09:31: conn-1 closes inside (s-2) but opened before; CA2 opens inside (s-3)
    # but closes after: no connection has both, so no mean; rejection 0 / 1, timeouts 0 / 1.
    window = {"start_date": "2026-03-02T09:03:00Z", "end_date": "2026-03-02T09:31:00Z"}
    assert fetch(get, "/analytics/stt-events/summary", **window) == close(
        summary(2, 1, 1, 0, 0, 0, 0, None, 0.0, 0.0)
    )
    # From 09:06 (inside conn-1's hour, after its last event) to 10:00: CA2 only, 60 s.
    window = {"start_date": "2026-03-02T09:06:00Z", "end_date": "2026-03-02T10:00:00Z"}
    assert fetch(get, "/analytics/stt-events/summary", **window) == close(
        summary(2, 1, 1, 0, 0, 0, 0, 60.0, 0.0, 0.0)
    )


def test_stt_summary_keeps_its_whole_hours_and_reads_its_partial_hours(fixture_warehouse):
    # 08:59 to 10:40:40, then one second earlier: whole hour 09:00 holds conn-1 (300 s) and
    # CA2 (60 s) whole; the partial hour 10:xx holds s-5 (rejected) and s-6 (opened conn-4b,
    # not closed in the window). Opened 3, closed 2, rejected 1 / (3 + 1), timeouts 0 / 3.
    statements: list[tuple[str, str]] = []

    marts = Marts(published_path(fixture_warehouse))
    for end in (datetime(2026, 3, 2, 10, 40, 40), datetime(2026, 3, 2, 10, 40, 39)):
        statements.clear()
        window = Window(end - timedelta(hours=1, minutes=41, seconds=40), end, False)
        with marts.publication() as publication:
            answer = events.stt_summary(
                RecordedReads(publication, statements), Selection(Scope("all"), window)
            )
        assert answer == close(summary(6, 3, 2, 1, 0, 0, 0, 180.0, 0.25, 0.0))
        [(kept, whole_hours), (read, partial_hours)] = statements
        assert (kept, read) == ("lasting", "rows")
        assert "marts.rpt_" in whole_hours and "marts.fct_" not in whole_hours
        assert "marts.fct_" in partial_hours and "marts.rpt_" not in partial_hours


def test_a_page_of_stt_events_is_read_from_kept_keys_and_events(fixture_warehouse, monkeypatch):
    executed = executed_statements(monkeypatch)
    marts = Marts(published_path(fixture_warehouse))
    at = datetime(2026, 3, 2, 10, 50)
    pages = [
        # To 10:50:00, limit 4 (and one more read ahead): the hour 10:00 holds s-8, s-7, s-6,
        # s-5; the hours before it give s-4. Three statements: the hour's keys, the newest
        # keys before it, the five events.
        ((None, at), [S8, S7, S6, S5], 3),
        # One second earlier: s-8 is after the window; the hour's keys, the keys before it
        # and the events s-7 to s-4 are all kept.
        ((None, at - timedelta(seconds=1)), [S7, S6, S5, S4], 0),
        # From 09:31:05 (s-4) to 10:40:45 (s-7), both inclusive: the keys from 09:00 are
        # read (s-4 to s-1, of which only s-4 is in the window), the events are kept.
        ((datetime(2026, 3, 2, 9, 31, 5), datetime(2026, 3, 2, 10, 40, 45)), [S7, S6, S5, S4], 1),
    ]
    with marts.publication() as publication:
        for (lower, upper), expected, statements in pages:
            executed.clear()
            window = Window(lower, upper, upper_inclusive=True)
            answer = events.stt_events(publication, Selection(Scope("all"), window), limit=4)
            assert (answer, len(executed)) == (expected, statements)


@pytest.mark.parametrize("path", ALL_PATHS)
def test_bad_window_bounds_are_400_naming_the_parameter(get, path):
    cases = [
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-02-30"}, "end_date"),
        ({"end_date": "9999-12-31"}, "end_date"),  # its next day is past the last date
        ({"start_date": "2026-03-03T00:00:00Z", "end_date": "2026-03-02T23:00:00Z"}, "start_date"),
        ({"start_date": "2026-03-04", "end_date": "2026-03-02"}, "start_date"),
    ]
    for params, name in cases:
        result = get(path, **params)
        assert result.status_code == 400, (params, result.text)
        assert set(result.json) == {"title", "description"}
        assert name in result.json["description"]


@pytest.mark.parametrize("agent_ids", ["", " ", "a-1,", "a-1,,a-2", ", a-1"])
def test_a_malformed_agent_id_list_is_400(get, agent_ids):
    result = get("/analytics/agent-comparison", agent_ids=agent_ids)
    assert result.status_code == 400
    assert "agent_ids" in result.json["description"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"event_type": "opened"}, "event_type"),
        ({"event_type": "Connection_Opened"}, "event_type"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"limit": "x"}, "limit"),
        ({"limit": "1.5"}, "limit"),
    ],
)
def test_bad_stt_event_parameters_are_400(get, params, name):
    result = get("/analytics/stt-events", **params)
    assert result.status_code == 400
    assert name in result.json["description"]


@pytest.mark.parametrize("path", ALL_PATHS)
def test_blank_parameters_are_absent(get, path):
    params = {"start_date": " ", "end_date": "", "agent_id": " "}
    if path == "/analytics/stt-events":
        params |= {"call_sid": " ", "event_type": "", "limit": " "}
    assert fetch(get, path, **params) == close(WHOLE_DAY[path])
