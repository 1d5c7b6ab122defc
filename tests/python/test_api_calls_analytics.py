"""Family D (/api/v1/calls/analytics) over the fixture warehouse, values computed by hand.

Accepted calls, all on 2026-03-02 between 09:00 and 11:45 ("now" is 12:00Z, so every period
holds them all): c-1 (org-a, a-1, completed, 300 s), c-2 (org-a, a-1, completed, 60 s), c-3
(org-a, a-2, failed, 20 s), c-4 (org-b, a-3, live, no duration), c-5 (org-b, a-9, completed,
30 s; a-9 has no row), c-9 (org-b, a-3, unknown status, 60 s).
"""

import pytest
from pytest import approx

CALLS_ANALYTICS = "/api/v1/calls/analytics"

EVERYTHING = {
    "total_calls": 6,
    "completed_calls": 3,
    "failed_calls": 1,
    "ongoing_calls": 1,  # c-4
    "total_duration": 470,  # 300 + 60 + 20 + 30 + 60
    "avg_duration": 94,  # 470 / 5 calls with a duration
    "success_rate": 50,  # 100 * 3 / 6
    "daily_stats": {"2026-03-02": {"total": 6, "completed": 3, "failed": 1}},
    "top_assistants": [  # calls desc, then agent id
        {"assistant_id": "a-1", "assistant_name": "Support Agent v2", "calls": 2, "duration": 360},
        {"assistant_id": "a-3", "assistant_name": "Triage Agent", "calls": 2, "duration": 60},
        {"assistant_id": "a-2", "assistant_name": "Sales Agent", "calls": 1, "duration": 20},
        {"assistant_id": "a-9", "assistant_name": None, "calls": 1, "duration": 30},
    ],
}


def ok(result):
    assert result.status_code == 200, result.text
    return result.json


@pytest.mark.parametrize("period", [None, "1d", "7d", "30d", "90d"])
def test_every_period_holds_the_fixture_day(get, period):
    params = {"period": period} if period else {}
    assert ok(get(CALLS_ANALYTICS, **params)) == EVERYTHING


def test_each_token_sees_its_own_calls(get):
    assert ok(get(CALLS_ANALYTICS, "org-b")) == {
        "total_calls": 3,
        "completed_calls": 1,  # c-5
        "failed_calls": 0,
        "ongoing_calls": 1,
        "total_duration": 90,  # 30 + 60
        "avg_duration": 45,
        "success_rate": approx(100 / 3),
        "daily_stats": {"2026-03-02": {"total": 3, "completed": 1, "failed": 0}},
        "top_assistants": [
            {"assistant_id": "a-3", "assistant_name": "Triage Agent", "calls": 2, "duration": 60},
            {"assistant_id": "a-9", "assistant_name": None, "calls": 1, "duration": 30},
        ],
    }
    org_a = {
        "total_calls": 3,
        "completed_calls": 2,
        "failed_calls": 1,
        "ongoing_calls": 0,
        "total_duration": 380,  # 300 + 60 + 20
        "avg_duration": approx(380 / 3),
        "success_rate": approx(200 / 3),
        "daily_stats": {"2026-03-02": {"total": 3, "completed": 2, "failed": 1}},
        "top_assistants": [
            {"assistant_id": "a-1", "assistant_name": "Support Agent v2", "calls": 2,
             "duration": 360},
            {"assistant_id": "a-2", "assistant_name": "Sales Agent", "calls": 1, "duration": 20},
        ],
    }  # fmt: skip
    assert ok(get(CALLS_ANALYTICS, "org-a")) == org_a
    assert ok(get(CALLS_ANALYTICS, "res-1")) == org_a


@pytest.mark.parametrize("period", ["1w", "7D", "7", "24h", "-7d"])
def test_a_bad_period_is_a_400_naming_it(get, period):
    result = get(CALLS_ANALYTICS, period=period)
    assert result.status_code == 400
    assert set(result.json) == {"title", "description"}
    assert "period" in result.json["description"]


def test_a_token_is_needed(get):
    assert get(CALLS_ANALYTICS, token=None).status_code == 401
