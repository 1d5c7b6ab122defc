"""No input, however malformed, produces a 5xx (api.md): every path, every parameter name,
hostile values, every token scope."""

import pytest

PATHS = [
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
    "/analytics/agent-comparison",
    "/analytics/stt-events",
    "/analytics/stt-events/summary",
    "/api/v1/analytics/summary",
    "/api/v1/analytics/call-volume",
    "/api/v1/analytics/workflow-stats",
    "/api/v1/analytics/provider-latency",
    "/api/v1/analytics/errors",
    "/api/v1/analytics/active-calls",
    "/v1/metrics",
    "/api/v1/calls/analytics",
    "/api/agents/a-1/call_stats",
    "/api/agents/%20/call_stats",
    "/api/agents/a%00b/call_stats",
]
PARAMETERS = [
    "start_date", "end_date", "agent_id", "agent_ids", "call_sid", "event_type", "limit",
    "period", "started_after", "started_before", "interval", "service", "level", "offset",
    "startDate", "endDate", "organizationId", "resellerId",
]  # fmt: skip
VALUES = [
    "", " ", "x", "-1", "0", "1e309", "99999999999999999999999", "2026-02-30",
    "0001-01-01T00:00:00+01:00", "9999-12-31", "2026-03-02T00:00:00 02:00", ",", "a,,b",
    "' or 1=1 --", "\u00e9\u6f22", "2026-03-02T25:00:00Z",
]  # fmt: skip


@pytest.mark.parametrize("path", PATHS)
def test_no_value_of_any_parameter_gives_a_5xx(get, path):
    for token in ("all", "org-b", "res-1"):
        for name in PARAMETERS:
            for value in VALUES:
                result = get(path, token, **{name: value})
                assert result.status_code < 500, (path, token, name, value, result.text)
                assert result.headers["Content-Type"].startswith("application/json")
