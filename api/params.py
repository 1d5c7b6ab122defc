"""Query parameters: parsed and range-checked, or a 400 that names the parameter (api.md)."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import falcon

MIN_YEAR, MAX_YEAR = 1000, 9998
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2})?$"
)
# The "+" of an offset that the query string turned into a space: 10:00:00 02:00.
_SPACED_OFFSET = re.compile(r"([Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


@dataclass(frozen=True)
class Bound:
    """A timestamp parameter: the instant (a bare date's local midnight), and the date when it
    was a bare date."""

    at: datetime
    day: date | None = None


def text(req: falcon.Request, name: str) -> str | None:
    """The parameter's value, or None when it is absent or blank."""
    value = req.get_param(name)
    return value if value is not None and value.strip() else None


def bound(req: falcon.Request, name: str, zone: tzinfo) -> Bound | None:
    """A timestamp (an instant, UTC when it has no offset) or a bare date (its midnight in
    `zone`), as a naive UTC datetime."""
    value = text(req, name)
    if value is None:
        return None
    value = value.strip()
    try:
        if _DATE.match(value):
            day = _in_range(datetime.fromisoformat(value), value, name).date()
            return Bound(midnight(day, zone), day)
        rfc3339 = _SPACED_OFFSET.sub(r"\1+\2", value)
        if not _TIMESTAMP.match(rfc3339):
            raise ValueError(value)
        moment = _in_range(datetime.fromisoformat(rfc3339), value, name)
    except ValueError:
        raise falcon.HTTPInvalidParam(
            f"{value!r} is not an RFC 3339 timestamp or a date (YYYY-MM-DD).", name
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return Bound(moment)


def midnight(day: date, zone: tzinfo) -> datetime:
    """The instant a local day of `zone` starts (local midnight, or the first instant after
    it where a DST change skips midnight), as a naive UTC datetime."""
    local = datetime.combine(day, time(), zone)
    return local.astimezone(UTC).replace(tzinfo=None)


@cache
def zone_names() -> tuple[str, ...]:
    """The IANA zone names of the pinned tzdata release, whatever the machine's own zone
    files hold (`localtime` is not a zone)."""
    return tuple(resources.files("tzdata").joinpath("zones").read_text().split())


def zone(req: falcon.Request) -> tzinfo:
    """`tz`: an IANA time zone name (api.md), UTC when absent."""
    name = text(req, "tz")
    if name is None:
        return UTC
    if name.strip() not in zone_names():
        raise falcon.HTTPInvalidParam(f"{name!r} is not an IANA time zone name.", "tz")
    return ZoneInfo(name.strip())


def _in_range(moment: datetime, value: str, name: str) -> datetime:
    """Years 1000 to 9998, so that a day or an offset can be added or removed safely."""
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise falcon.HTTPInvalidParam(
            f"{value!r} is out of range: years {MIN_YEAR} to {MAX_YEAR}.", name
        )
    return moment


def choice(req: falcon.Request, name: str, choices: tuple[str, ...], default: str | None) -> str:
    value = text(req, name)
    if value is None:
        return default
    if value not in choices:
        raise falcon.HTTPInvalidParam(f"{value!r} is not one of {', '.join(choices)}.", name)
    return value


def integer(req: falcon.Request, name: str, default: int, minimum: int, maximum: int | None) -> int:
    value = text(req, name)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise falcon.HTTPInvalidParam(f"{value!r} is not an integer.", name) from None
    if number < minimum or (maximum is not None and number > maximum):
        limits = f"from {minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise falcon.HTTPInvalidParam(f"{number} is out of range: {limits}.", name)
    return number


def id_list(req: falcon.Request, name: str) -> list[str] | None:
    """Comma-separated ids, each trimmed, the first of duplicates kept; empty parts are a 400."""
    value = req.get_param(name)
    if value is None:
        return None
    ids = [part.strip() for part in value.split(",")]
    if not value.strip() or any(not part for part in ids):
        raise falcon.HTTPInvalidParam("an id list must not be empty or have empty ids.", name)
    return list(dict.fromkeys(ids))


@dataclass(frozen=True)
class Window:
    """Calls whose start lies in [lower, upper] or [lower, upper); either side may be open."""

    lower: datetime | None
    upper: datetime | None
    upper_inclusive: bool

    def predicate(self, column: str = "started_at") -> tuple[str, list]:
        clauses, parameters = [], []
        if self.lower is not None:
            clauses.append(f"{column} >= ?")
            parameters.append(self.lower)
        if self.upper is not None:
            clauses.append(f"{column} {'<=' if self.upper_inclusive else '<'} ?")
            parameters.append(self.upper)
        return " and ".join(clauses) or "true", parameters

    @property
    def last_instant(self) -> datetime | None:
        """The last instant inside the window (its last day is this instant's day)."""
        if self.upper is None:
            return None
        return self.upper if self.upper_inclusive else self.upper - timedelta(microseconds=1)


def window(
    req: falcon.Request,
    lower_name: str,
    upper_name: str,
    *,
    upper_inclusive: bool,
    zone: tzinfo = UTC,
) -> Window:
    """A window from two timestamp parameters. A bare-date upper bound D means before the
    local day after D starts, whatever the family's comparison for timestamps (metrics.md);
    days are those of `zone` (api.md, `tz`)."""
    lower, upper = bound(req, lower_name, zone), bound(req, upper_name, zone)
    upper_at = upper and upper.at
    if upper and upper.day:
        upper_at = midnight(upper.day + timedelta(days=1), zone)
    inclusive = upper_inclusive and not (upper and upper.day)
    # A bare-date upper bound D ends with day D: a lower bound from D + 1 day on is after it.
    if lower and upper_at and (lower.at > upper_at or (upper.day and lower.at >= upper_at)):
        raise falcon.HTTPInvalidParam(
            f"the window is empty: {lower_name} is after {upper_name}.", lower_name
        )
    return Window(lower.at if lower else None, upper_at, inclusive)


def relative_window(period: str, now: datetime) -> Window:
    """`[now - period, now]` for periods such as 1h, 24h, 7d (metrics.md)."""
    amount, unit = int(period[:-1]), period[-1]
    span = timedelta(hours=amount) if unit == "h" else timedelta(days=amount)
    return Window(now - span, now, upper_inclusive=True)
