"""The calls a request covers (its window and the token's scope) and the time buckets of that
window, shared by the /api/v1/analytics, /v1/metrics and /api/v1/calls/analytics families."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import falcon

from api.params import Window
from api.scope import org_predicate
from callstats.keys import Scope

STEPS = {"hour": timedelta(hours=1), "day": timedelta(days=1), "week": timedelta(weeks=1)}
# The longest series an answer lists: api.md sets it for call-volume; the daily series of the
# other families keep the same bound, so no window can make an answer unboundedly large.
MAX_BUCKETS = 10_000


def calls_in(scope: Scope, window: Window, calls: str = "calls") -> tuple[str, list]:
    """A predicate on `marts.fct_calls` aliased `calls`: started in the window, org in scope."""
    in_window, window_parameters = window.predicate(f"{calls}.started_at")
    in_scope, scope_parameters = org_predicate(scope, f"{calls}.org_id")
    return f"{in_window} and {in_scope}", [*window_parameters, *scope_parameters]


def bucket_start(moment: datetime, interval: str) -> datetime:
    """The start of the UTC hour, day or week (weeks start on Monday 00:00) holding `moment`."""
    if interval == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day if interval == "day" else day - timedelta(days=day.weekday())


def series_span(
    window: Window, interval: str, occupied: Iterable[datetime], parameter: str
) -> tuple[datetime | None, int]:
    """The first bucket and how many there are (metrics.md, Time series).

    The series runs from the bucket holding the lower bound to the bucket holding the last
    instant inside the window. `occupied` are the buckets of the calls in the window and scope:
    a missing bound is replaced by the first or last of them, and without any the series is
    empty. More than MAX_BUCKETS buckets is a 400 naming `parameter`.
    """
    occupied = sorted(occupied)
    if window.lower is not None:
        first = bucket_start(window.lower, interval)
    else:
        first = occupied[0] if occupied else None
    if window.upper is not None:
        try:
            last = bucket_start(window.last_instant, interval)
        except OverflowError:  # an exclusive upper bound at the first instant holds nothing
            return first, 0
    else:
        last = occupied[-1] if occupied else None
    if first is None or last is None or last < first:
        return first, 0
    count = (last - first) // STEPS[interval] + 1
    if count > MAX_BUCKETS:
        raise falcon.HTTPInvalidParam(
            f"the window holds {count} {interval} buckets, more than {MAX_BUCKETS}: "
            f"use a {'longer interval or a ' if interval != 'week' else ''}shorter window.",
            parameter,
        )
    return first, count


def bucket_starts(first: datetime | None, count: int, interval: str) -> Sequence[datetime]:
    return [first + position * STEPS[interval] for position in range(count)]
