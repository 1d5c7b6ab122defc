"""A window cut into the periods each source answers, and the buckets of a time series.

Rollups hold sums and counts per whole UTC hour or day, so a window's whole days are read
from a daily rollup, its other whole hours from an hourly one and only its partial hours from
the call-grain facts: the sums are the same as over the facts alone (docs/decisions.md).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import falcon

from api.params import Window

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
STEPS = {"hour": HOUR, "day": DAY, "week": timedelta(weeks=1)}
# The longest series an answer lists: api.md sets it for call-volume; the daily series of the
# other families keep the same bound, so no window can make an answer unboundedly large.
MAX_BUCKETS = 10_000
_EPOCH = datetime(2000, 1, 1)


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


def _floor(moment: datetime, step: timedelta) -> datetime:
    return moment - (moment - _EPOCH) % step


def _ceil(moment: datetime, step: timedelta) -> datetime:
    floor = _floor(moment, step)
    return floor if floor == moment else floor + step


def cut(window: Window, *, days: bool) -> Periods:
    """The periods of `window`; with `days=False` whole days count as hours (for series
    bucketed finer than a day, and rollups with no daily table)."""
    start, end = window.lower, window.upper
    if end is not None and window.upper_inclusive:
        end += timedelta(microseconds=1)
    if start is not None and end is not None and start >= end:
        return Periods((), (), ())
    first_hour = start and _ceil(start, HOUR)
    last_hour = end and _floor(end, HOUR)
    if first_hour and last_hour and first_hour >= last_hour:
        return Periods((), (), (Span(start, end),))
    partial = []
    if start is not None and start < first_hour:
        partial.append(Span(start, first_hour))
    if end is not None and last_hour < end:
        partial.append(Span(last_hour, end))
    first_day = first_hour and _ceil(first_hour, DAY)
    last_day = last_hour and _floor(last_hour, DAY)
    if not days or (first_day and last_day and first_day >= last_day):
        return Periods((), (Span(first_hour, last_hour),), tuple(partial))
    hours = []
    if first_hour is not None and first_hour < first_day:
        hours.append(Span(first_hour, first_day))
    if last_hour is not None and last_day < last_hour:
        hours.append(Span(last_day, last_hour))
    return Periods((Span(first_day, last_day),), tuple(hours), tuple(partial))


def bucket_start(moment: datetime, interval: str) -> datetime:
    """The start of the UTC hour, day or week (weeks start on Monday 00:00) holding `moment`."""
    if interval == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day if interval == "day" else day - timedelta(days=day.weekday())


def buckets(
    window: Window, interval: str, occupied: Iterable[datetime], parameter: str
) -> Sequence[datetime]:
    """The starts of a series' buckets (metrics.md, Time series).

    The series runs from the bucket holding the lower bound to the bucket holding the last
    instant inside the window. `occupied` are the buckets that have rows: a missing bound is
    replaced by the first or last of them, and without any the series is empty. More than
    MAX_BUCKETS buckets is a 400 naming `parameter`.
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
            return []
    else:
        last = occupied[-1] if occupied else None
    if first is None or last is None or last < first:
        return []
    count = (last - first) // STEPS[interval] + 1
    if count > MAX_BUCKETS:
        raise falcon.HTTPInvalidParam(
            f"the window holds {count} {interval} buckets, more than {MAX_BUCKETS}: "
            f"use a {'longer interval or a ' if interval != 'week' else ''}shorter window.",
            parameter,
        )
    return [first + position * STEPS[interval] for position in range(count)]
