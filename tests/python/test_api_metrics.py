"""Family C (/v1/metrics) over the fixture warehouse, values computed by hand.

Accepted calls, all on 2026-03-02 (resolution from the outcome; sentiment; duration):
  c-1 org-a a-1 09:00 resolved     positive  300 s  corrections 0, cached 300 of 1200 tokens,
      stt_confidence 0.9, llm turns 400/500/600 (turn 3's negative value is nulled), tool
      calls t-1 ok, t-2 failed
  c-2 org-a a-1 09:30 transferred  negative   60 s  corrections 2, llm turn 800, tool call t-3
      with no outcome; escalated "billing dispute" 45 s after it was answered
  c-3 org-a a-2 10:15 other        -          20 s
  c-4 org-b a-3 10:40 other        -          no duration (live), llm turn 300
  c-5 org-b a-9 11:00 other        -          30 s  (a-9 has no row: deleted)
  c-9 org-b a-3 11:45 other        -          60 s
Orgs: org-a (reseller res-1), org-b (no reseller).
"""

import pytest
from pytest import approx

METRICS = "/v1/metrics"


def ok(result):
    assert result.status_code == 200, result.text
    return result.json


def hourly(busy: dict[int, tuple[int, float]]) -> list[dict]:
    return [
        {"hour": f"{hour:02d}:00", "calls": busy.get(hour, (0, 0))[0],
         "minutes": approx(busy.get(hour, (0, 0))[1])}
        for hour in range(24)
    ]  # fmt: skip


def agent(agent_id, name, status, counts, avg_duration, sentiment):
    """An agentPerformance entry; percents are of the agent's own calls."""
    total = sum(counts)
    resolved, transferred, abandoned, other = counts
    return {
        "agentId": agent_id,
        "agentName": name,
        "totalCalls": total,
        "resolved": resolved,
        "transferred": transferred,
        "abandoned": abandoned,
        "other": other,
        "resolvedPercent": approx(100 * resolved / total),
        "transferredPercent": approx(100 * transferred / total),
        "abandonedPercent": approx(100 * abandoned / total),
        "otherPercent": approx(100 * other / total),
        "avgDuration": approx(avg_duration),
        "sentimentPercent": sentiment,
        "status": status,
    }


A_1 = agent("a-1", "Support Agent v2", "active", (1, 1, 0, 0), 180, 50)  # (300 + 60) / 2
A_3 = agent("a-3", "Triage Agent", "active", (0, 0, 0, 2), 60, None)  # c-4 has no duration
A_2 = agent("a-2", "Sales Agent", "inactive", (0, 0, 0, 1), 20, None)
A_9 = agent("a-9", None, "deleted", (0, 0, 0, 1), 30, None)

EVERYTHING = {
    "metrics": {
        "totalCalls": 6,
        "totalMinutes": approx(470 / 60),  # 300 + 60 + 20 + 30 + 60 seconds
        "resolutionRate": approx(100 / 6),  # c-1
        "avgDuration": 94,  # 470 / 5 calls with a duration
        "activeAgents": 4,  # a-1, a-2, a-3, a-9
        "responseTime": 520,  # (400 + 500 + 600 + 800 + 300) / 5 llm turn values
        "sentimentPercent": 50,  # c-1 positive of c-1, c-2 with a sentiment
        "escalationRate": approx(100 / 6),  # c-2
    },
    "dailyVolume": [{"date": "2026-03-02", "totalCalls": 6, "resolvedCalls": 1}],
    # 09: c-1 300 s + c-2 60 s; 10: c-3 20 s + c-4 (none); 11: c-5 30 s + c-9 60 s.
    "hourlyDistribution": hourly({9: (2, 6), 10: (2, 20 / 60), 11: (2, 1.5)}),
    "resolutionBreakdown": {"resolved": 1, "transferred": 1, "abandoned": 0, "other": 4},
    "agentPerformance": [A_1, A_3, A_2, A_9],  # 2, 2, 1, 1 calls, ties by agentId
    "aiInsights": {
        "intentAccuracy": 50,  # c-1 had 0 corrections of c-1, c-2 measured
        "contextRetention": 25,  # c-1: 100 * 300 / 1200; no other call has cached tokens
        "speechRecognition": approx(90),  # c-1: 100 * 0.9
        "entityExtraction": 50,  # t-1 succeeded of t-1, t-2 (t-3 has no outcome)
        "responseLatency": 520,
        "trainingSessions": 6,
    },
    "escalationReasons": [
        {"reason": "billing dispute", "count": 1, "percentOfTotal": 100,
         "avgTimeBeforeEscalation": 45}  # answered 09:30:05, escalated 09:30:50
    ],
}  # fmt: skip

ORG_B = {
    "metrics": {
        "totalCalls": 3,
        "totalMinutes": 1.5,  # 30 + 60 seconds
        "resolutionRate": 0,
        "avgDuration": 45,
        "activeAgents": 2,
        "responseTime": 300,  # c-4's turn
        "sentimentPercent": None,  # no call with a sentiment
        "escalationRate": 0,
    },
    "dailyVolume": [{"date": "2026-03-02", "totalCalls": 3, "resolvedCalls": 0}],
    "hourlyDistribution": hourly({10: (1, 0), 11: (2, 1.5)}),
    "resolutionBreakdown": {"resolved": 0, "transferred": 0, "abandoned": 0, "other": 3},
    "agentPerformance": [A_3, A_9],
    "aiInsights": {
        "intentAccuracy": None,
        "contextRetention": None,
        "speechRecognition": None,
        "entityExtraction": None,
        "responseLatency": 300,
        "trainingSessions": 3,
    },
    "escalationReasons": [],
}

ORG_A = {
    "metrics": {
        "totalCalls": 3,
        "totalMinutes": approx(380 / 60),
        "resolutionRate": approx(100 / 3),
        "avgDuration": approx(380 / 3),
        "activeAgents": 2,
        "responseTime": 575,  # (400 + 500 + 600 + 800) / 4
        "sentimentPercent": 50,
        "escalationRate": approx(100 / 3),
    },
    "dailyVolume": [{"date": "2026-03-02", "totalCalls": 3, "resolvedCalls": 1}],
    "hourlyDistribution": hourly({9: (2, 6), 10: (1, 20 / 60)}),
    "resolutionBreakdown": {"resolved": 1, "transferred": 1, "abandoned": 0, "other": 1},
    "agentPerformance": [A_1, A_2],
    "aiInsights": {**EVERYTHING["aiInsights"], "responseLatency": 575, "trainingSessions": 3},
    "escalationReasons": EVERYTHING["escalationReasons"],
}

EMPTY_METRICS = {
    "totalCalls": 0,
    "totalMinutes": 0,
    "resolutionRate": 0,
    "avgDuration": 0,
    "activeAgents": 0,
    "responseTime": None,
    "sentimentPercent": None,
    "escalationRate": None,
}


def test_every_call_without_a_window(get):
    assert ok(get(METRICS)) == EVERYTHING


def test_each_token_sees_its_own_calls(get):
    assert ok(get(METRICS, "org-b")) == ORG_B
    assert ok(get(METRICS, "org-a")) == ORG_A
    assert ok(get(METRICS, "res-1")) == ORG_A


def test_organization_and_reseller_narrow_the_scope(get):
    assert ok(get(METRICS, organizationId="org-b")) == ORG_B
    assert ok(get(METRICS, resellerId="res-1")) == ORG_A
    assert ok(get(METRICS, "res-1", organizationId="org-a", resellerId="res-1")) == ORG_A
    assert ok(get(METRICS, "org-b", organizationId="org-b")) == ORG_B
    assert ok(get(METRICS, organizationId="")) == EVERYTHING  # blank is absent
    # Both visible, but org-b is not sold by res-1: nothing is left.
    both = ok(get(METRICS, organizationId="org-b", resellerId="res-1"))
    assert both["metrics"] == EMPTY_METRICS
    assert both["dailyVolume"] == []


@pytest.mark.parametrize(
    ("token", "name", "foreign", "unknown"),
    [
        ("org-b", "organizationId", "org-a", "org-z"),
        ("res-1", "organizationId", "org-b", "org-z"),
        ("all", "organizationId", "res-1", "org-z"),  # a reseller id is not an org id
        ("org-b", "resellerId", "res-1", "res-9"),
        ("res-1", "resellerId", "org-a", "res-9"),  # an org id is not a reseller id
    ],
)
def test_ids_outside_the_scope_are_404_like_unknown_ones(get, token, name, foreign, unknown):
    hidden, missing = get(METRICS, token, **{name: foreign}), get(METRICS, token, **{name: unknown})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json == {
        "title": missing.json["title"],
        "description": missing.json["description"].replace(unknown, foreign),
    }
    assert name in hidden.json["description"]


def test_date_windows(get):
    # Bare dates: startDate from 00:00, endDate through the end of its day; every day listed.
    body = ok(get(METRICS, startDate="2026-03-01", endDate="2026-03-03"))
    assert body == {
        **EVERYTHING,
        "dailyVolume": [
            {"date": "2026-03-01", "totalCalls": 0, "resolvedCalls": 0},
            {"date": "2026-03-02", "totalCalls": 6, "resolvedCalls": 1},
            {"date": "2026-03-03", "totalCalls": 0, "resolvedCalls": 0},
        ],
    }
    assert ok(get(METRICS, startDate="2026-03-02", endDate="2026-03-02")) == EVERYTHING
    # A timestamp endDate is inclusive: c-5 at 11:00 is in, c-9 at 11:45 is out.
    metrics = ok(get(METRICS, endDate="2026-03-02T11:00:00Z"))["metrics"]
    assert metrics == {
        "totalCalls": 5,
        "totalMinutes": approx(410 / 60),  # 300 + 60 + 20 + 30
        "resolutionRate": 20,
        "avgDuration": 102.5,  # 410 / 4
        "activeAgents": 4,
        "responseTime": 520,
        "sentimentPercent": 50,
        "escalationRate": 20,
    }
    # startDate is inclusive too; 10:40Z written with an offset is 11:40+01:00.
    assert ok(get(METRICS, startDate="2026-03-02T11:40:00+01:00")) == ORG_B


def test_an_empty_window(get):
    body = ok(get(METRICS, startDate="2026-03-01", endDate="2026-03-01"))
    assert body == {
        "metrics": EMPTY_METRICS,
        "dailyVolume": [{"date": "2026-03-01", "totalCalls": 0, "resolvedCalls": 0}],
        "hourlyDistribution": hourly({}),
        "resolutionBreakdown": {"resolved": 0, "transferred": 0, "abandoned": 0, "other": 0},
        "agentPerformance": [],
        "aiInsights": {
            "intentAccuracy": None,
            "contextRetention": None,
            "speechRecognition": None,
            "entityExtraction": None,
            "responseLatency": None,
            "trainingSessions": 0,
        },
        "escalationReasons": [],
    }
    # An open side with no call to stand in for it: no days at all.
    assert ok(get(METRICS, startDate="2026-03-03"))["dailyVolume"] == []
    assert ok(get(METRICS, endDate="2026-03-01"))["dailyVolume"] == []


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("startDate", {"startDate": "last week"}),
        ("startDate", {"startDate": "2026-02-30"}),
        ("endDate", {"endDate": "2026-03-02T12:00:00+25:00"}),
        ("endDate", {"endDate": "03/02/2026"}),
        ("startDate", {"startDate": "2026-03-02T11:00:00Z", "endDate": "2026-03-02T10:00:00Z"}),
        ("startDate", {"startDate": "2026-03-03", "endDate": "2026-03-01"}),
    ],
)
def test_bad_dates_are_a_400_naming_them(get, name, params):
    result = get(METRICS, **params)
    assert result.status_code == 400
    assert set(result.json) == {"title", "description"}
    assert name in result.json["description"]


def test_a_token_is_needed(get):
    assert get(METRICS, token=None).status_code == 401
