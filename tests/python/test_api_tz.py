"""`tz` (api.md): local days, hours and weeks across DST changes and a half-hour zone, on
fixtures/dst: ten completed 60 s calls of org-a / a-1 (d-2 and k-1 resolved).

| call | UTC start | America/New_York | Asia/Kolkata |
|---|---|---|---|
| d-1 | Sat 2026-10-31 03:30 | Fri 10-30 23:30 EDT | 10-31 09:00 |
| d-2 | Sun 2026-11-01 04:30 | Sun 11-01 00:30 EDT | 11-01 10:00 |
| d-3 | Sun 2026-11-01 05:30 | Sun 11-01 01:30 EDT | 11-01 11:00 |
| d-4 | Sun 2026-11-01 06:30 | Sun 11-01 01:30 EST (clocks back at 06:00) | 11-01 12:00 |
| k-1 | Sun 2026-11-01 18:45 | Sun 11-01 13:45 EST | 11-02 00:15 |
| d-5 | Mon 2026-11-02 04:30 | Sun 11-01 23:30 EST | 11-02 10:00 |
| d-6 | Mon 2026-11-02 05:15 | Mon 11-02 00:15 EST | 11-02 10:45 |
| s-1 | Sun 2026-03-08 06:30 | Sun 03-08 01:30 EST | 03-08 12:00 |
| s-2 | Sun 2026-03-08 07:30 | Sun 03-08 03:30 EDT (clocks forward at 07:00) | 03-08 13:00 |
| s-3 | Mon 2026-03-09 03:30 | Sun 03-08 23:30 EDT | 03-09 09:00 |

New York's 2026-11-01 runs from 04:00 UTC to 05:00 UTC the next day (25 hours), its
2026-03-08 from 05:00 to 04:00 UTC the next day (23 hours); Kolkata's days start at 18:30 UTC.
"""

import pytest
from falcon import testing
from warehouses import FIXTURES, run_callstats

from api.app import create_app
from api.config import Config
from callstats.keys import Scope, SqliteKeyStore, keys_path
from callstats.publish import published_path

pytestmark = pytest.mark.slow(cpu_s=30)

NOW = "2026-11-03T00:00:00Z"
NEW_YORK, KOLKATA = "America/New_York", "Asia/Kolkata"


@pytest.fixture(scope="module")
def get(tmp_path_factory: pytest.TempPathFactory):
    warehouse = tmp_path_factory.mktemp("dst") / "callstats.duckdb"
    files = sorted(str(path) for path in (FIXTURES / "dst").glob("*.jsonl"))
    run_callstats("load", *files, warehouse=warehouse, now=NOW)
    run_callstats("build", warehouse=warehouse, now=NOW)
    _, token = SqliteKeyStore(keys_path(warehouse)).create(Scope("all"), "tz")
    client = testing.TestClient(
        create_app(Config(marts_path=published_path(warehouse), keys_path=keys_path(warehouse)))
    )
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("CALLSTATS_NOW", NOW)

    def request(path: str, **params) -> testing.Result:
        return client.simulate_get(
            path, params=params, headers={"Authorization": f"Bearer {token}"}
        )

    yield request
    monkeypatch.undo()


def json(result: testing.Result):
    assert result.status_code == 200, result.text
    return result.json


def test_daily_series_has_local_days_with_a_25_hour_day(get):
    # Bare dates are local midnights: the window is 10-31 04:00 UTC to 11-03 05:00 UTC, so
    # d-1 (Friday evening in New York) is out and d-5 (Sunday 23:30 EST) is in 11-01.
    volume = json(
        get("/analytics/call-volume", start_date="2026-10-31", end_date="2026-11-02", tz=NEW_YORK)
    )
    assert volume == [
        {"date": "2026-10-31", "count": 0},
        {"date": "2026-11-01", "count": 5},  # d-2, d-3, d-4, k-1, d-5
        {"date": "2026-11-02", "count": 1},  # d-6
    ]
    utc = json(get("/analytics/call-volume", start_date="2026-10-31", end_date="2026-11-02"))
    assert utc == [
        {"date": "2026-10-31", "count": 1},  # d-1
        {"date": "2026-11-01", "count": 4},  # d-2, d-3, d-4, k-1
        {"date": "2026-11-02", "count": 2},  # d-5, d-6
    ]


def test_hourly_series_of_a_25_and_a_23_hour_day(get):
    fall = json(
        get(
            "/api/v1/analytics/call-volume",
            interval="hour",
            started_after="2026-11-01",
            started_before="2026-11-01",
            tz=NEW_YORK,
        )
    )["data"]
    assert len(fall) == 25
    assert fall[0]["timestamp"] == "2026-11-01T04:00:00Z"  # 00:00 EDT
    assert fall[-1]["timestamp"] == "2026-11-02T04:00:00Z"  # 23:00 EST
    calls = {entry["timestamp"]: entry["total"] for entry in fall if entry["total"]}
    assert calls == {
        "2026-11-01T04:00:00Z": 1,  # d-2, 00:00 EDT
        "2026-11-01T05:00:00Z": 1,  # d-3, the first 01:00 (EDT)
        "2026-11-01T06:00:00Z": 1,  # d-4, the second 01:00 (EST)
        "2026-11-01T18:00:00Z": 1,  # k-1, 13:00 EST
        "2026-11-02T04:00:00Z": 1,  # d-5, 23:00 EST
    }
    spring = json(
        get(
            "/api/v1/analytics/call-volume",
            interval="hour",
            started_after="2026-03-08",
            started_before="2026-03-08",
            tz=NEW_YORK,
        )
    )["data"]
    assert len(spring) == 23
    assert [entry["timestamp"] for entry in spring[:3]] == [
        "2026-03-08T05:00:00Z",  # 00:00 EST
        "2026-03-08T06:00:00Z",  # 01:00 EST
        "2026-03-08T07:00:00Z",  # 03:00 EDT: 02:00 did not happen
    ]
    assert [entry["total"] for entry in spring[1:3]] == [1, 1]  # s-1, s-2
    assert spring[-1] == {
        "timestamp": "2026-03-09T03:00:00Z",  # 23:00 EDT
        "total": 1,  # s-3
        "completed": 1,
        "failed": 0,
    }


def test_daily_and_weekly_buckets_start_at_local_midnight(get):
    day = json(
        get(
            "/api/v1/analytics/call-volume",
            interval="day",
            started_after="2026-11-01",
            started_before="2026-11-01",
            tz=NEW_YORK,
        )
    )
    assert day == {
        "interval": "day",
        "data": [{"timestamp": "2026-11-01T04:00:00Z", "total": 5, "completed": 5, "failed": 0}],
    }
    weeks = json(
        get(
            "/api/v1/analytics/call-volume",
            interval="week",
            started_after="2026-10-26",
            started_before="2026-11-08",
            tz=NEW_YORK,
        )
    )["data"]
    assert [(week["timestamp"], week["total"]) for week in weeks] == [
        ("2026-10-26T04:00:00Z", 6),  # Monday 00:00 EDT: d-1 to d-5 and k-1
        ("2026-11-02T05:00:00Z", 1),  # Monday 00:00 EST: d-6
    ]


def test_peak_hours_are_local_weekdays_and_hours(get):
    assert json(get("/analytics/peak-hours", tz=NEW_YORK)) == [
        {"day_of_week": 0, "hour": 0, "count": 1},  # d-6
        {"day_of_week": 4, "hour": 23, "count": 1},  # d-1
        {"day_of_week": 6, "hour": 0, "count": 1},  # d-2
        {"day_of_week": 6, "hour": 1, "count": 3},  # d-3, d-4 (both 01:30) and s-1
        {"day_of_week": 6, "hour": 3, "count": 1},  # s-2
        {"day_of_week": 6, "hour": 13, "count": 1},  # k-1
        {"day_of_week": 6, "hour": 23, "count": 2},  # d-5, s-3
    ]


def test_half_hour_zone_days_and_hours(get):
    # Kolkata's 11-01 and 11-02: 10-31 18:30 UTC to 11-02 18:30 UTC; k-1 (18:45 UTC) is in
    # the UTC hour that holds Kolkata's midnight, so it is read from the facts.
    answer = json(get("/v1/metrics", startDate="2026-11-01", endDate="2026-11-02", tz=KOLKATA))
    assert answer["metrics"]["totalCalls"] == 6
    assert answer["dailyVolume"] == [
        {"date": "2026-11-01", "totalCalls": 3, "resolvedCalls": 1},  # d-2, d-3, d-4
        {"date": "2026-11-02", "totalCalls": 3, "resolvedCalls": 1},  # k-1, d-5, d-6
    ]
    hours = {entry["hour"]: entry for entry in answer["hourlyDistribution"] if entry["calls"]}
    assert hours == {
        "00:00": {"hour": "00:00", "calls": 1, "minutes": 1.0},  # k-1, 00:15
        "10:00": {"hour": "10:00", "calls": 3, "minutes": 3.0},  # d-2, d-5, d-6
        "11:00": {"hour": "11:00", "calls": 1, "minutes": 1.0},  # d-3
        "12:00": {"hour": "12:00", "calls": 1, "minutes": 1.0},  # d-4
    }
    hourly = json(
        get(
            "/api/v1/analytics/call-volume",
            interval="hour",
            started_after="2026-11-01T18:00:00Z",
            started_before="2026-11-01T20:00:00Z",
            tz=KOLKATA,
        )
    )["data"]
    assert [(entry["timestamp"], entry["total"]) for entry in hourly] == [
        ("2026-11-01T17:30:00Z", 0),  # 23:00 IST, holding the lower bound
        ("2026-11-01T18:30:00Z", 1),  # 00:00 IST: k-1
        ("2026-11-01T19:30:00Z", 0),  # 01:00 IST, holding the last instant
    ]


def test_window_edges_inside_partial_hours(get):
    # 18:20 to 18:50 UTC crosses Kolkata's midnight inside one UTC hour.
    volume = json(
        get(
            "/analytics/call-volume",
            start_date="2026-11-01T18:20:00Z",
            end_date="2026-11-01T18:50:00Z",
            tz=KOLKATA,
        )
    )
    assert volume == [{"date": "2026-11-01", "count": 0}, {"date": "2026-11-02", "count": 1}]
    # 04:45 to 06:45 UTC: a partial hour, the whole hour 05:00 (d-3), a partial hour (d-4).
    overview = json(
        get("/analytics/overview", start_date="2026-11-01T04:45:00Z", end_date="2026-11-01T06:45Z")
    )
    assert (overview["total_calls"], overview["total_duration"]) == (2, 120)


def test_daily_stats_are_local_days(get):
    # period 7d at now 11-03 00:00 UTC: every call of October and November.
    stats = json(get("/api/v1/calls/analytics", period="7d", tz=NEW_YORK))["daily_stats"]
    assert stats == {
        "2026-10-30": {"total": 1, "completed": 1, "failed": 0},  # d-1
        "2026-11-01": {"total": 5, "completed": 5, "failed": 0},
        "2026-11-02": {"total": 1, "completed": 1, "failed": 0},  # d-6
    }


@pytest.mark.parametrize(
    "path",
    [
        "/analytics/call-volume",
        "/analytics/peak-hours",
        "/api/v1/analytics/call-volume",
        "/v1/metrics",
        "/api/v1/calls/analytics",
    ],
)
@pytest.mark.parametrize("zone", ["Mars/Olympus", "EST5EDT/../UTC", "utc"])
def test_unknown_zone_is_a_400_naming_tz(get, path: str, zone: str):
    result = get(path, tz=zone)
    assert result.status_code == 400
    assert "tz" in result.json["description"]


def test_endpoints_without_buckets_ignore_tz(get):
    assert json(get("/analytics/overview", tz="Mars/Olympus"))["total_calls"] == 10


@pytest.mark.parametrize("zone", [KOLKATA, NEW_YORK])
def test_centuries_long_windows_answer_as_the_days_with_calls(get, zone: str):
    wide = {"start_date": "1500-01-01", "end_date": "2500-01-01", "tz": zone}
    assert json(get("/analytics/peak-hours", **wide)) == json(get("/analytics/peak-hours", tz=zone))
    # A daily series lists at most 10 000 days: 2000-01-01 to 2026-12-31 has 9 862.
    metrics = json(get("/v1/metrics", startDate="2000-01-01", endDate="2026-12-31", tz=zone))
    assert metrics["hourlyDistribution"] == json(get("/v1/metrics", tz=zone))["hourlyDistribution"]
    assert sum(hour["calls"] for hour in metrics["hourlyDistribution"]) == 10
