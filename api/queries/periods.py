"""A window cut into the periods each source answers, and the buckets of a time series.

Rollups hold sums and counts per whole UTC hour or day, so a window's whole days are read
from a daily rollup, its other whole hours from an hourly one and only its partial hours from
the call-grain facts: the sums are the same as over the facts alone (docs/decisions.md).
A series' buckets are local days, hours or weeks of a time zone (api.md, `tz`); a period that
would straddle a bucket's start is read from the facts, so every period lies in one bucket.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from itertools import pairwise

import falcon
import numpy as np

from api.params import Window

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
STEPS = {"hour": HOUR, "day": DAY, "week": timedelta(weeks=1)}
# The longest series an answer lists: api.md sets it for call-volume; the daily series of the
# other families keep the same bound, so no window can make an answer unboundedly large.
MAX_BUCKETS = 10_000
_EPOCH = datetime(2000, 1, 1)
# Instants as numpy holds them: a series' bucket starts, and the boundaries a window is cut at.
INSTANT = "datetime64[us]"
_DAY_HOURS = np.arange(24) * np.timedelta64(HOUR)
# The local hours kept per worker (`local_hour`): those of a year of hourly rows, in one zone.
_LOCAL_HOURS = 8760


@dataclass(frozen=True)
class Span:
    """Instants from `start` (inclusive) to `end` (exclusive); None is unbounded."""

    start: datetime | None
    end: datetime | None

    def predicate(self, column: str) -> tuple[str, list]:
        clauses, parameters = [], []
        for bound, operator in ((self.start, ">="), (self.end, "<")):
            if bound is not None:
                clauses.append(f"{column} {operator} ?")
                parameters.append(bound)
        return " and ".join(clauses) or "true", parameters


@dataclass(frozen=True)
class Periods:
    """A window as whole UTC days, the other whole UTC hours, and the partial hours."""

    days: tuple[Span, ...]
    hours: tuple[Span, ...]
    partial: tuple[Span, ...]


def floor(moment: datetime, step: timedelta) -> datetime:
    """The start of the `step` (a divisor of a day) that holds a naive UTC `moment`."""
    return moment - (moment - _EPOCH) % step


def on_whole(moments: np.ndarray, step: timedelta) -> np.ndarray:
    """Which of `moments` (INSTANT) start a `step` (a divisor of a day), as `floor` does."""
    return (moments - np.datetime64(_EPOCH)) % np.timedelta64(step) == np.timedelta64(0)


def _ceil(moment: datetime, step: timedelta) -> datetime:
    start = floor(moment, step)
    return start if start == moment else start + step


def cut(window: Window, *, daily: bool, boundaries: np.ndarray | None = None) -> Periods:
    """The periods of `window`, none straddling one of `boundaries` (bucket starts, INSTANT, in
    order); with `daily=False` whole days count as hours (rollups with no daily table). A
    boundary on a whole UTC day (with `daily=False`, hour) is an edge of every period around
    it already."""
    start, end = window.lower, window.upper
    if end is not None and window.upper_inclusive:
        end += timedelta(microseconds=1)
    if start is not None and end is not None and start >= end:
        return Periods((), (), ())
    whole = DAY if daily else HOUR
    marks = () if boundaries is None else boundaries[~on_whole(boundaries, whole)].tolist()
    inside = [
        moment
        for moment in marks
        if (start is None or moment > start) and (end is None or moment < end)
    ]
    pieces = [_cut(Span(low, high), daily) for low, high in pairwise([start, *inside, end])]
    days, hours, partial = (
        _merged([span for piece in pieces for span in piece[kind]]) for kind in range(3)
    )
    return Periods(days, hours, partial)


def _cut(span: Span, daily: bool) -> tuple[list[Span], list[Span], list[Span]]:
    """One piece of a window as (days, hours, partial hours)."""
    start, end = span.start, span.end
    first_hour = start and _ceil(start, HOUR)
    last_hour = end and floor(end, HOUR)
    if first_hour and last_hour and first_hour >= last_hour:
        return [], [], [span]
    partial = []
    if start is not None and start < first_hour:
        partial.append(Span(start, first_hour))
    if end is not None and last_hour < end:
        partial.append(Span(last_hour, end))
    first_day = first_hour and _ceil(first_hour, DAY)
    last_day = last_hour and floor(last_hour, DAY)
    if not daily or (first_day and last_day and first_day >= last_day):
        return [], [Span(first_hour, last_hour)], partial
    hours = []
    if first_hour is not None and first_hour < first_day:
        hours.append(Span(first_hour, first_day))
    if last_hour is not None and last_day < last_hour:
        hours.append(Span(last_day, last_hour))
    return [Span(first_day, last_day)], hours, partial


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    """`spans` (in order, not overlapping) with adjacent ones joined."""
    merged: list[Span] = []
    for span in spans:
        if merged and merged[-1].end == span.start and span.start is not None:
            merged[-1] = Span(merged[-1].start, span.end)
        else:
            merged.append(span)
    return tuple(merged)


def _utc(local: datetime) -> datetime:
    return local.astimezone(UTC).replace(tzinfo=None)


def local_date(moment: datetime, zone: tzinfo) -> date:
    """The local date of a UTC instant."""
    return local(moment, zone).date()


def bucket_starts(window: Window, interval: str, zone: tzinfo, parameter: str) -> np.ndarray:
    """The starts (UTC instants as INSTANT, whole seconds as zone offsets are) of the local
    hours, days or weeks (Monday 00:00) of `zone` from the one holding the window's lower
    bound through the one holding its last instant (metrics.md, Time series); both bounds
    must be set, and an empty window (an exclusive upper bound at its lower bound) has none.
    A day starts at local midnight (or the first instant after it, where a DST
    change skips midnight); a DST day has 23 or 25 hours. More than MAX_BUCKETS buckets is a
    400 naming `parameter`."""
    try:
        last = window.last_instant
    except OverflowError:  # an exclusive upper bound at the first instant holds nothing
        return np.array([], INSTANT)
    if last < window.lower:
        return np.array([], INSTANT)
    count = (last - window.lower) // STEPS[interval] + 1
    if count > MAX_BUCKETS + 1:
        raise _too_many(count, interval, parameter)
    first_date, last_date = local_date(window.lower, zone), local_date(last, zone)
    if interval == "week":
        first_date -= timedelta(days=first_date.weekday())
    step = 7 if interval == "week" else 1
    dates = [
        first_date + timedelta(days=offset)
        for offset in range(0, (last_date - first_date).days + 1, step)
    ]
    if interval == "hour":
        starts = np.concatenate([_hour_starts(day, zone) for day in dates])
    else:
        starts = np.array([_day_start(day, zone) for day in dates], INSTANT)
    bounds = np.array([window.lower, last], INSTANT)
    first, final = (np.searchsorted(starts, bounds, side="right") - 1).tolist()
    starts = starts[first : final + 1]
    if len(starts) > MAX_BUCKETS:
        raise _too_many(len(starts), interval, parameter)
    return starts


def _day_start(day: date, zone: tzinfo) -> datetime:
    return _utc(datetime.combine(day, time(), zone))


def _hour_starts(day: date, zone: tzinfo) -> np.ndarray:
    """The instants of `day` at which the local clock shows a whole hour: 23, 24 or 25."""
    start = _day_start(day, zone)
    if _day_start(day + DAY, zone) - start == DAY:  # no change of offset that day
        return np.datetime64(start) + _DAY_HOURS
    starts = []
    for hour in range(24):
        for fold in (0, 1):
            instant = _utc(datetime.combine(day, time(hour, fold=fold), zone))
            shown = local(instant, zone)
            if (shown.date(), shown.hour, shown.minute, shown.second) == (day, hour, 0, 0):
                starts.append(instant)
    # fold 1 is the same instant outside a repeated hour
    return np.array(sorted(set(starts)), INSTANT)


def _too_many(count: int, interval: str, parameter: str) -> falcon.HTTPInvalidParam:
    longer = "a longer interval or " if parameter == "interval" and interval != "week" else ""
    return falcon.HTTPInvalidParam(
        f"The window holds {count} {interval} buckets, more than {MAX_BUCKETS}: "
        f"use {longer}a shorter window.",
        parameter,
    )


def split_hour_starts(window: Window, zone: tzinfo) -> np.ndarray:
    """The local hour starts inside a closed window that are not whole UTC hours (a
    half-hour zone's :30): the boundaries that grouping by local hour of day must not
    straddle (INSTANT). None for whole-hour zones, so no number of hours is too many."""
    starts = [np.array([], INSTANT)]
    first_date = local_date(window.lower, zone)
    for offset in range((local_date(window.upper, zone) - first_date).days + 1):
        day = first_date + timedelta(days=offset)
        start = _day_start(day, zone)
        if floor(start, HOUR) == start and _day_start(day + DAY, zone) - start == DAY:
            continue
        hours = _hour_starts(day, zone)
        starts.append(hours[~on_whole(hours, HOUR)])
    return np.concatenate(starts)


def local(moment: datetime, zone: tzinfo) -> datetime:
    """A UTC instant as the local time of `zone`."""
    return moment.replace(tzinfo=UTC).astimezone(zone)


@lru_cache(maxsize=_LOCAL_HOURS)
def local_hour(moment: datetime, zone: tzinfo) -> datetime:
    """The local start of the local hour of `zone` that holds a UTC instant; kept, as the
    hours of a polled window recur from one request to the next."""
    return local(moment, zone).replace(minute=0, second=0, microsecond=0)
