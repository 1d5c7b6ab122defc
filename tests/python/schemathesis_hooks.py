"""The rules of api.md that span two parameters, which JSON Schema cannot state, for the
schemathesis run of test_api_schemathesis: a generated request whose window breaks one of
them (api.md and metrics.md make it a 400) is sent with that window left open instead:

- a window whose lower bound is after its upper bound;
- a series of more than 10 000 buckets (metrics.md, Time series): daily series, and
  /api/v1/analytics/call-volume in buckets of its `interval`.

And api.md's rule that `period` is ignored when `started_after` or `started_before` is given:
a request invalid only in a `period` it ignores is not sent as an invalid one.

The check is conservative (a day of margin for local zones and bare dates), written from the
contract's definitions, not from the API's code.
"""

import re
from datetime import UTC, datetime, timedelta

import schemathesis

# The fixture's calls: where a series over an open side of a window starts or ends.
FIXTURE_DAY = datetime(2026, 3, 1, tzinfo=UTC)
MAX_BUCKETS = 10_000
BOUNDS = [
    ("start_date", "end_date"),
    ("started_after", "started_before"),
    ("startDate", "endDate"),
]
DAILY_SERIES = {
    "/analytics/call-volume",
    "/analytics/latency",
    "/analytics/cost-trend",
    "/analytics/conversation-turns",
    "/analytics/barge-in",
    "/v1/metrics",
}
STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(days=7)}


def instant(value) -> datetime | None:
    """The instant of a timestamp or bare date (its UTC midnight), None if blank or not one."""
    text = str(value).strip().upper()
    if len(text) > 10 and text[10] == " ":
        text = text[:10] + "T" + text[11:]
    text = re.sub(r"(T[0-9:.]+) ([0-9]{2}:?[0-9]{2})$", r"\1+\2", text)  # + read as a space
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def breaks_a_window_rule(path: str, query: dict, names: tuple[str, str]) -> bool:
    """Whether the window of the bounds `names` is inverted or makes too long a series."""
    lower, upper = (instant(query.get(name, "")) for name in names)
    if lower and upper and lower > upper - timedelta(days=1):
        return True
    if path in DAILY_SERIES:
        step = STEPS["day"]
    elif path == "/api/v1/analytics/call-volume":
        step = STEPS.get(str(query.get("interval", "")).strip(), STEPS["hour"])
    else:
        return False
    span = abs((upper or FIXTURE_DAY) - (lower or FIXTURE_DAY)) + timedelta(days=2)
    return span / step > MAX_BUCKETS - 1


def period_is_ignored(query: dict) -> bool:
    explicit = any(str(query.get(name, "")).strip() for name in BOUNDS[1])
    return explicit and "period" in query


@schemathesis.hook
def map_query(context, query: dict | None) -> dict | None:
    if not query:
        return query
    path = context.operation.path
    for names in BOUNDS:
        if breaks_a_window_rule(path, query, names):
            query = {name: value for name, value in query.items() if name not in names}
    return query


@schemathesis.hook
def filter_case(context, case) -> bool:
    negative = case.meta is not None and case.meta.generation.mode.is_negative
    return not (negative and period_is_ignored(case.query or {}))
