"""Family B (/api/v1/analytics/...) over the fixture warehouse, values computed by hand.

The fixture's accepted calls all start on 2026-03-02 and "now" is 12:00Z that day, so the
default period (24h) holds all of them:
  c-1 org-a a-1 wf-1 09:00 completed 300 s, 1200 tokens, turns stt 100/120/140/100,
      llm 400/500/600/- (turn 3's negative value is nulled), tts 80/90/100/100
      (deepgram, openai, cartesia)
  c-2 org-a a-1      09:30 completed  60 s,  600 tokens, turns stt 200/180, llm 800/-,
      tts 150/130 (deepgram, openai, elevenlabs)
  c-3 org-a a-2 wf-1 10:15 failed     20 s, no turns (deepgram, anthropic, cartesia)
  c-4 org-b a-3      10:40 in_progress (active), no duration, turn stt 100, llm 300, tts 60
      (deepgram, openai, cartesia)
  c-5 org-b a-9      11:00 completed  30 s, no turns (assemblyai, openai, deepgram)
  c-9 org-b a-3      11:45 unknown    60 s, no turns, no providers
Errors: e-1 (c-3, 10:15:10, stt error), e-2 (c-1, 09:02, llm warning), e-3 (c-2, 09:30:40, tts
error), e-4 (c-404, not an accepted call, 12:00:00, workflow error).
"""

from datetime import datetime, timedelta

import pytest
from api_cases import RecordedReads, executed_statements
from pytest import approx

from api.marts import Marts
from api.params import Window
from api.queries import records, turns
from api.queries.selection import Selection
from callstats.keys import Scope
from callstats.publish import published_path

SUMMARY = "/api/v1/analytics/summary"
CALL_VOLUME = "/api/v1/analytics/call-volume"
WORKFLOW_STATS = "/api/v1/analytics/workflow-stats"
PROVIDER_LATENCY = "/api/v1/analytics/provider-latency"
ERRORS = "/api/v1/analytics/errors"
ACTIVE_CALLS = "/api/v1/analytics/active-calls"
WINDOWED = (SUMMARY, CALL_VOLUME, WORKFLOW_STATS, PROVIDER_LATENCY, ERRORS)

# org-b's one call with turns, c-4: each stage's one value is every statistic of it
ORG_B_PROVIDER_LATENCY = [
    {"provider_type": stage, "provider_name": name, "avg_latency_ms": value,
     "p50_latency_ms": value, "p95_latency_ms": value, "p99_latency_ms": value,
     "call_count": 1}
    for stage, name, value in (("stt", "deepgram", 100), ("llm", "openai", 300),
                               ("tts", "cartesia", 60))
]  # fmt: skip


def ok(result):
    assert result.status_code == 200, result.text
    return result.json


def test_summary_of_every_call_in_the_default_period(get):
    assert ok(get(SUMMARY)) == {
        "total_calls": 6,
        "completed_calls": 3,  # c-1, c-2, c-5
        "failed_calls": 1,  # c-3 (c-9's unknown status is not failed)
        "active_calls": 1,  # c-4
        "avg_duration_seconds": 94,  # (300 + 60 + 20 + 30 + 60) / 5 calls with a duration
        "success_rate": 50,  # 100 * 3 / 6
        "total_tokens": 1800,  # 1200 + 600
        "avg_stt_latency_ms": approx(940 / 7),  # (460 + 380 + 100) / 7 turns
        "avg_llm_latency_ms": 520,  # (1500 + 800 + 300) / 5 turns with a value
        "avg_tts_latency_ms": approx(710 / 7),  # (370 + 280 + 60) / 7 turns
    }


def test_summary_sees_only_the_tokens_calls(get):
    org_b = {
        "total_calls": 3,  # c-4, c-5, c-9
        "completed_calls": 1,
        "failed_calls": 0,
        "active_calls": 1,
        "avg_duration_seconds": 45,  # (30 + 60) / 2
        "success_rate": approx(100 / 3),
        "total_tokens": 0,
        "avg_stt_latency_ms": 100,  # c-4's only turn
        "avg_llm_latency_ms": 300,
        "avg_tts_latency_ms": 60,
    }
    org_a = {
        "total_calls": 3,  # c-1, c-2, c-3
        "completed_calls": 2,
        "failed_calls": 1,
        "active_calls": 0,
        "avg_duration_seconds": approx(380 / 3),  # (300 + 60 + 20) / 3
        "success_rate": approx(200 / 3),
        "total_tokens": 1800,
        "avg_stt_latency_ms": 140,  # (460 + 380) / 6
        "avg_llm_latency_ms": 575,  # (1500 + 800) / 4
        "avg_tts_latency_ms": approx(650 / 6),  # (370 + 280) / 6
    }
    assert ok(get(SUMMARY, "org-b")) == org_b
    assert ok(get(SUMMARY, "org-a")) == org_a
    assert ok(get(SUMMARY, "res-1")) == org_a  # res-1 sells org-a only


def test_summary_windows(get):
    def totals(**params):
        return ok(get(SUMMARY, **params))["total_calls"]

    # 1h = [11:00, 12:00]: c-5 and c-9, neither with turns (latency means of nothing are 0).
    assert ok(get(SUMMARY, period="1h")) == {
        "total_calls": 2,
        "completed_calls": 1,
        "failed_calls": 0,
        "active_calls": 1,  # c-4 started at 10:40 but is live, active until 24 h after start
        "avg_duration_seconds": 45,
        "success_rate": 50,
        "total_tokens": 0,
        "avg_stt_latency_ms": 0,
        "avg_llm_latency_ms": 0,
        "avg_tts_latency_ms": 0,
    }
    assert totals(period="7d") == totals(period="30d") == 6
    # started_before is exclusive: c-5 at exactly 11:00 is out, c-3 and c-4 are in.
    assert totals(started_after="2026-03-02T10:00:00Z", started_before="2026-03-02T11:00:00Z") == 2
    assert totals(started_before="2026-03-02T09:30:00Z") == 1  # c-1 only; the lower side is open
    assert totals(started_after="2026-03-02T11:00:00Z") == 2  # c-5 (inclusive) and c-9
    assert totals(started_after="2026-03-02T11:00:00Z", period="bad") == 2  # period is ignored
    assert totals(started_after="2026-03-02T11:00:00+01:00") == 4  # 10:00Z: c-3, c-4, c-5, c-9
    assert totals(started_before="2026-03-02") == 6  # a bare date D as upper bound: < D + 1 day
    assert totals(started_after="2026-03-03") == 0
    assert totals(started_after="", started_before="") == 6  # blank is absent: 24h


def hours(first: str, count: int) -> list[str]:
    start = datetime.fromisoformat(first)
    return [(start + timedelta(hours=n)).strftime("%Y-%m-%dT%H:00:00Z") for n in range(count)]


def test_call_volume_lists_every_hour_of_the_period(get):
    body = ok(get(CALL_VOLUME))
    assert body["interval"] == "hour"
    # [2026-03-01 12:00, 2026-03-02 12:00]: the hour of the lower bound to the hour of now.
    assert [point["timestamp"] for point in body["data"]] == hours("2026-03-01T12:00", 25)
    busy = {"2026-03-02T09:00:00Z": (2, 2, 0), "2026-03-02T10:00:00Z": (2, 0, 1),
            "2026-03-02T11:00:00Z": (2, 1, 0)}  # fmt: skip
    for point in body["data"]:
        total, completed, failed = busy.get(point["timestamp"], (0, 0, 0))
        assert point == {"timestamp": point["timestamp"], "total": total,
                         "completed": completed, "failed": failed}  # fmt: skip


def test_call_volume_by_day_and_by_week(get):
    assert ok(get(CALL_VOLUME, interval="day")) == {
        "interval": "day",
        "data": [
            {"timestamp": "2026-03-01T00:00:00Z", "total": 0, "completed": 0, "failed": 0},
            {"timestamp": "2026-03-02T00:00:00Z", "total": 6, "completed": 3, "failed": 1},
        ],
    }
    # The lower bound, Sunday 2026-03-01 12:00, is in the week that starts Monday 2026-02-23.
    assert ok(get(CALL_VOLUME, interval="week")) == {
        "interval": "week",
        "data": [
            {"timestamp": "2026-02-23T00:00:00Z", "total": 0, "completed": 0, "failed": 0},
            {"timestamp": "2026-03-02T00:00:00Z", "total": 6, "completed": 3, "failed": 1},
        ],
    }
    # 7d = [2026-02-23 12:00, 2026-03-02 12:00]: eight days; org-b has c-4, c-5 (done), c-9.
    data = ok(get(CALL_VOLUME, "org-b", interval="day", period="7d"))["data"]
    assert [point["timestamp"][:10] for point in data] == [
        f"2026-02-{day}" for day in range(23, 29)
    ] + ["2026-03-01", "2026-03-02"]
    assert [(point["total"], point["completed"], point["failed"]) for point in data] == [
        (0, 0, 0)
    ] * 7 + [(3, 1, 0)]


def test_call_volume_replaces_an_open_bound_by_the_first_or_last_call(get):
    # No lower bound: from c-1's hour to the hour of the last instant before 11:00.
    assert ok(get(CALL_VOLUME, started_before="2026-03-02T11:00:00Z"))["data"] == [
        {"timestamp": "2026-03-02T09:00:00Z", "total": 2, "completed": 2, "failed": 0},
        {"timestamp": "2026-03-02T10:00:00Z", "total": 2, "completed": 0, "failed": 1},
    ]
    # No upper bound: from the hour holding 10:30 to c-9's hour; c-3 (10:15) is out.
    assert ok(get(CALL_VOLUME, started_after="2026-03-02T10:30:00Z"))["data"] == [
        {"timestamp": "2026-03-02T10:00:00Z", "total": 1, "completed": 0, "failed": 0},
        {"timestamp": "2026-03-02T11:00:00Z", "total": 2, "completed": 1, "failed": 0},
    ]
    assert ok(get(CALL_VOLUME, started_after="2026-03-03"))["data"] == []  # no call to end on
    assert ok(get(CALL_VOLUME, "org-a", started_after="2026-03-02T10:30:00Z"))["data"] == []
    # An empty window lists no bucket, whether its instant starts one or not.
    for instant in ("2026-03-02T10:00:00Z", "2026-03-02T10:30:00Z"):
        empty = {"started_after": instant, "started_before": instant}
        for interval in ("hour", "day", "week"):
            assert ok(get(CALL_VOLUME, interval=interval, **empty))["data"] == []
        assert ok(get(CALL_VOLUME, tz="Asia/Kolkata", **empty))["data"] == []


def test_call_volume_refuses_more_than_10000_buckets(get):
    last = datetime(2026, 3, 2, 11)  # the hour holding the last instant before 12:00
    window = {"started_before": "2026-03-02T12:00:00Z"}
    lower = (last - timedelta(hours=9_999)).isoformat()
    assert len(ok(get(CALL_VOLUME, started_after=lower, **window))["data"]) == 10_000
    lower = (last - timedelta(hours=10_000)).isoformat()
    result = get(CALL_VOLUME, started_after=lower, **window)
    assert result.status_code == 400
    assert "interval" in result.json["description"]
    # 2025-01-01 .. 2026-03-02 is 365 + 61 = 426 days: too many hours, not too many days.
    year = {"started_after": "2025-01-01", "started_before": "2026-03-02"}
    assert get(CALL_VOLUME, **year).status_code == 400
    assert len(ok(get(CALL_VOLUME, interval="day", **year))["data"]) == 426


def test_call_volume_writes_years_below_1000_with_four_digits(get):
    # Tokyo's local mean time in the year 1000 is UTC+09:18:59: its day 1000-01-01 starts at
    # 0999-12-31T14:41:01Z, the first bucket of a window of that one local day.
    day = {"started_after": "1000-01-01", "started_before": "1000-01-01"}
    data = ok(get(CALL_VOLUME, interval="day", tz="Asia/Tokyo", **day))["data"]
    assert data == [{"timestamp": "0999-12-31T14:41:01Z", "total": 0, "completed": 0, "failed": 0}]


def test_workflow_stats(get):
    wf_1 = {
        "workflow_id": "wf-1",
        "workflow_name": "Daily Health Check",
        "workflow_slug": "daily-call",
        "total_calls": 2,  # c-1, c-3 (c-2 runs outside workflows)
        "completed_calls": 1,
        "failed_calls": 1,
        "success_rate": 50,
        "avg_duration_seconds": 160,  # (300 + 20) / 2
    }
    assert ok(get(WORKFLOW_STATS)) == [wf_1]
    assert ok(get(WORKFLOW_STATS, limit="1")) == [wf_1]
    assert ok(get(WORKFLOW_STATS, "res-1", limit="50")) == [wf_1]
    assert ok(get(WORKFLOW_STATS, "org-b")) == []
    assert ok(get(WORKFLOW_STATS, started_after="2026-03-02T10:00:00Z")) == [
        {**wf_1, "total_calls": 1, "completed_calls": 0, "success_rate": 0,
         "avg_duration_seconds": 20}  # c-3 only
    ]  # fmt: skip


def test_provider_latency_percentiles_over_the_turn_values(get):
    assert ok(get(PROVIDER_LATENCY)) == [
        # 100, 100, 100, 120, 140, 180, 200 (mean 940 / 7): p50 at rank 3 = 120, p95 at
        # 5.7 = 180 + 0.7 * 20, p99 at 5.94 = 180 + 0.94 * 20; calls c-1, c-2, c-4.
        # assemblyai (c-5) has no turns.
        {"provider_type": "stt", "provider_name": "deepgram", "avg_latency_ms": approx(940 / 7),
         "p50_latency_ms": 120, "p95_latency_ms": approx(194), "p99_latency_ms": approx(198.8),
         "call_count": 3},
        # 300, 400, 500, 600, 800 (c-1's turn 3 and c-2's second turn have none): ranks 2,
        # 3.8, 3.96.
        {"provider_type": "llm", "provider_name": "openai", "avg_latency_ms": 520,
         "p50_latency_ms": 500, "p95_latency_ms": approx(760), "p99_latency_ms": approx(792),
         "call_count": 3},
        # 60, 80, 90, 100, 100 (c-4, c-1; mean 430 / 5): ranks 2, 3.8, 3.96.
        {"provider_type": "tts", "provider_name": "cartesia", "avg_latency_ms": 86,
         "p50_latency_ms": 90, "p95_latency_ms": 100, "p99_latency_ms": 100,
         "call_count": 2},
        # 130, 150 (c-2): ranks 0.5, 0.95, 0.99.
        {"provider_type": "tts", "provider_name": "elevenlabs", "avg_latency_ms": 140,
         "p50_latency_ms": 140, "p95_latency_ms": approx(149), "p99_latency_ms": approx(149.8),
         "call_count": 1},
    ]  # fmt: skip
    assert ok(get(PROVIDER_LATENCY, "org-b")) == ORG_B_PROVIDER_LATENCY
    assert ok(get(PROVIDER_LATENCY, period="1h")) == []  # c-5 and c-9 have no turns


def test_provider_latency_merges_a_partial_hours_values_into_the_histograms_buckets(get):
    # 08:00 and 10:00 are partial hours: c-4's turn (10:40) comes from the facts, its stt 100
    # in the bucket of c-1's two (09:00, a whole hour): [100, 100] x 3. The same calls with
    # turns as the default period, so the same answer.
    window = {"started_after": "2026-03-02T08:30:00Z", "started_before": "2026-03-02T10:50:00Z"}
    assert ok(get(PROVIDER_LATENCY, **window)) == ok(get(PROVIDER_LATENCY))


def test_a_windows_whole_periods_and_edge_hours_are_lasting_statements(fixture_warehouse, get):
    statements: list[tuple[str, str]] = []

    marts = Marts(published_path(fixture_warehouse))
    # 08:30 to 10:50 and one second earlier: whole hour 09:00 (c-1, c-2) and partial hours
    # 08:xx and 10:xx (c-4's turn at 10:40), the same calls with turns as the default period
    expected = ok(get(PROVIDER_LATENCY))
    for end in (datetime(2026, 3, 2, 10, 50, 0), datetime(2026, 3, 2, 10, 49, 59)):
        statements.clear()
        window = Window(end - timedelta(hours=2, minutes=20), end, upper_inclusive=False)
        with marts.publication() as publication:
            answer = turns.provider_latency(
                RecordedReads(publication, statements), Selection(Scope("all"), window)
            )
        assert answer == expected
        read = {
            kind: [sql for kept, sql in statements if kept == kind] for kind in ("rows", "lasting")
        }
        # the means and the histograms: their whole periods from the rollups, their partial
        # hours from the rows of the hours that hold them, all lasting statements
        rollups = [sql for sql in read["lasting"] if "marts.rpt_" in sql]
        edge_hours = [sql for sql in read["lasting"] if "marts.fct_" in sql]
        assert (len(rollups), len(edge_hours), len(read["lasting"])) == (2, 2, 4)
        assert all("marts.rpt_" not in sql for sql in edge_hours)
        assert read["rows"] == []


def test_one_orgs_lasting_statements_read_every_orgs_answer(fixture_warehouse, monkeypatch):
    # 08:30 to 10:50, as above: org-a's calls with turns are c-1 and c-2 (09:00, 09:30, a
    # whole hour), org-b's is c-4 (10:40, a partial hour)
    executed = executed_statements(monkeypatch)
    marts = Marts(published_path(fixture_warehouse))
    window = Window(datetime(2026, 3, 2, 8, 30), datetime(2026, 3, 2, 10, 50), False)
    with marts.publication() as publication:
        org_a = turns.provider_latency(publication, Selection(Scope("org", "org-a"), window))
        read_for_org_a = len(executed)
        org_b = turns.provider_latency(publication, Selection(Scope("org", "org-b"), window))
    # the whole periods and edge hours of the histograms and the means, for every org
    assert read_for_org_a == 4
    assert len(executed) == read_for_org_a
    assert [(row["provider_name"], row["call_count"]) for row in org_a] == [
        ("deepgram", 2), ("openai", 2), ("cartesia", 1), ("elevenlabs", 1)
    ]  # fmt: skip
    assert org_b == ORG_B_PROVIDER_LATENCY


def test_partial_hours_values_fall_in_the_buckets_the_build_gives_them(query):
    # Every turn value of the fixture, bucketed as the API buckets a partial hour's values,
    # against the build's hourly histogram summed over its hours.
    api_buckets = query(
        f"with partial_turns as (select * from marts.fct_call_turn_latencies)"
        f" select * from ({turns._PARTIAL_BUCKETS}) as buckets order by 1, 2, 3"
    )
    assert api_buckets == query(
        "select provider_type, provider_name, histogram_bucket, min(min_latency_ms),"
        " max(max_latency_ms), sum(turns) from marts.rpt_provider_latency_histogram_hourly"
        " group by 1, 2, 3 order by 1, 2, 3"
    )
    # One bucket per distinct value: stt 100 (x 3), 120, 140, 180, 200; llm 300, 400, 500,
    # 600, 800; tts cartesia 60, 80, 90, 100 (x 2), elevenlabs 130, 150.
    assert len(api_buckets) == 16
    assert ("stt", "deepgram", 462, 100, 100, 3) in api_buckets  # 1.01^462 <= 100 < 1.01^463


E_1 = {
    "id": "e-1",
    "call_id": "c-3",
    "timestamp": "2026-03-02T10:15:10Z",
    "service": "stt",
    "level": "error",
    "message": "Connection timeout to Deepgram",
    "details": {"timeout_ms": 5000, "retry_count": 3},
    "agent": "Sales Agent",  # a-2's current name
}
E_2 = {
    "id": "e-2",
    "call_id": "c-1",
    "timestamp": "2026-03-02T09:02:00Z",
    "service": "llm",
    "level": "warning",
    "message": "Slow response",
    "details": None,
    "agent": "Support Agent v2",
}
E_3 = {
    "id": "e-3",
    "call_id": "c-2",
    "timestamp": "2026-03-02T09:30:40Z",
    "service": "tts",
    "level": "error",
    "message": "Voice not found",
    "details": None,
    "agent": "Support Agent v2",
}
E_4 = {
    "id": "e-4",
    "call_id": "c-404",
    "timestamp": "2026-03-02T12:00:00Z",  # exactly now: inside [now - 24h, now]
    "service": "workflow",
    "level": "error",
    "message": "Workflow step failed",
    "details": None,
    "agent": None,  # c-404 is not an accepted call
}


def test_errors_newest_first_with_the_agents_name(get):
    assert ok(get(ERRORS)) == {"items": [E_4, E_1, E_3, E_2], "total": 4}


def test_errors_of_no_accepted_call_are_for_all_scope_tokens_only(get):
    org_a = {"items": [E_1, E_3, E_2], "total": 3}
    assert ok(get(ERRORS, "org-a")) == org_a
    assert ok(get(ERRORS, "res-1")) == org_a
    assert ok(get(ERRORS, "org-b")) == {"items": [], "total": 0}


def test_errors_filters_and_pages(get):
    assert ok(get(ERRORS, service="stt")) == {"items": [E_1], "total": 1}
    assert ok(get(ERRORS, level="warning")) == {"items": [E_2], "total": 1}
    assert ok(get(ERRORS, level="error", service="workflow")) == {"items": [E_4], "total": 1}
    assert ok(get(ERRORS, service="tool")) == {"items": [], "total": 0}
    assert ok(get(ERRORS, limit="2", offset="1")) == {"items": [E_1, E_3], "total": 4}
    assert ok(get(ERRORS, offset="4")) == {"items": [], "total": 4}
    assert ok(get(ERRORS, limit="200")) == {"items": [E_4, E_1, E_3, E_2], "total": 4}


def test_errors_are_windowed_by_when_they_occurred(get):
    assert ok(get(ERRORS, period="1h")) == {"items": [E_4], "total": 1}
    assert ok(get(ERRORS, started_before="2026-03-02T12:00:00Z")) == {
        "items": [E_1, E_3, E_2],
        "total": 3,
    }
    # e-2 occurred at 09:02 during c-1, which started at 09:00, before the window.
    window = {"started_after": "2026-03-02T09:01:00Z", "started_before": "2026-03-02T09:03:00Z"}
    assert ok(get(ERRORS, **window)) == {"items": [E_2], "total": 1}


# The error ids each read of error records was given (a module's function: the shared
# answers are keyed by it).
_ERRORS_READ: list[list[str]] = []
_error_records = records.error_records


def recorded_error_records(marts, keys):
    _ERRORS_READ.append([error_id for error_id, _ in keys])
    return _error_records(marts, keys)


def test_a_page_of_errors_reads_the_records_of_the_errors_it_has_not_shown(
    fixture_warehouse, monkeypatch
):
    monkeypatch.setattr(records, "error_records", recorded_error_records)
    _ERRORS_READ.clear()
    marts = Marts(published_path(fixture_warehouse))

    def page(limit: int, offset: int) -> dict:
        everything = Selection(Scope("all"), Window(None, None, upper_inclusive=False))
        with marts.publication() as publication:
            return records.errors(publication, everything, limit, offset)

    assert page(1, 0) == {"items": [E_4], "total": 4}
    assert page(2, 0) == {"items": [E_4, E_1], "total": 4}
    # a quarter of a page of 4 more is read ahead: none is left after e-2
    assert page(4, 0) == {"items": [E_4, E_1, E_3, E_2], "total": 4}
    assert page(2, 2) == {"items": [E_3, E_2], "total": 4}
    assert _ERRORS_READ == [["e-4"], ["e-1"], ["e-3", "e-2"]]


def test_active_calls_are_current_whatever_the_window(get):
    assert ok(get(ACTIVE_CALLS)) == {"count": 1}  # c-4
    assert ok(get(ACTIVE_CALLS, period="1h")) == {"count": 1}
    assert ok(get(ACTIVE_CALLS, "org-b")) == {"count": 1}
    assert ok(get(ACTIVE_CALLS, "org-a")) == {"count": 0}
    assert ok(get(ACTIVE_CALLS, "res-1")) == {"count": 0}


AFTER_BEFORE = {"started_after": "2026-03-02T11:00:00Z", "started_before": "2026-03-02T10:00:00Z"}
BAD_WINDOWS = [
    ("period", {"period": "2h"}),
    ("period", {"period": "24H"}),
    ("started_after", {"started_after": "yesterday"}),
    ("started_after", {"started_after": "2026-03-02T25:00:00Z"}),
    ("started_before", {"started_before": "2026-13-01"}),
    ("started_after", AFTER_BEFORE),
]


@pytest.mark.parametrize("path", WINDOWED)
@pytest.mark.parametrize(("name", "params"), BAD_WINDOWS)
def test_bad_window_parameters_are_a_400_naming_them(get, path, name, params):
    result = get(path, **params)
    assert result.status_code == 400
    assert set(result.json) == {"title", "description"}
    assert name in result.json["description"]


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        (CALL_VOLUME, "interval", "month"),
        (CALL_VOLUME, "interval", "Hour"),
        (WORKFLOW_STATS, "limit", "0"),
        (WORKFLOW_STATS, "limit", "51"),
        (WORKFLOW_STATS, "limit", "ten"),
        (ERRORS, "limit", "0"),
        (ERRORS, "limit", "201"),
        (ERRORS, "limit", "1.5"),
        (ERRORS, "offset", "-1"),
        (ERRORS, "offset", "x"),
        (ERRORS, "offset", "99999999999999999999"),
        (ERRORS, "service", "db"),
        (ERRORS, "service", "STT"),
        (ERRORS, "level", "info"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(get, path, name, value):
    result = get(path, **{name: value})
    assert result.status_code == 400
    assert name in result.json["description"]


@pytest.mark.parametrize("path", [*WINDOWED, ACTIVE_CALLS])
def test_every_endpoint_needs_a_token(get, path):
    assert get(path, token=None).status_code == 401
