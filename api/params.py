"""Query parameters (api.md, Parameters and errors): each kind parses its raw value, or answers
a 400 that names the parameter, and describes itself as the JSON Schema of what it accepts.

A value is read exactly as Python's `re.search` reads its schema's `pattern`, so the OpenAPI
document says what the API accepts (one difference from ECMA-262: Python's `$` also matches
before a final line break, which is then ignored). A blank value (only spaces, tabs and line
breaks) is the same as an absent parameter.
"""

import re
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

import falcon

_BLANK_CHARACTERS = "\t\n\r "
BLANK = {"type": "string", "pattern": r"^[\t\n\r ]*$"}


_YEAR = r"(?:[1-8][0-9]{3}|9[0-8][0-9]{2}|99[0-8][0-9]|999[0-8])"  # 1000 to 9998
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
# Leap years from 1000 to 9998: divisible by 4 and not by 100, or by 400.
_LEAP_YEAR = r"(?:[1-9][0-9](?:0[48]|[2468][048]|[13579][26])|(?:[13579][26]|[2468][048])00)"
_DAY = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_TIME = r"[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,6})?)?"
# The "+" of an offset may arrive as a space: a query string reads "+" as one.
_OFFSET = r"(?:[Zz]|[+ -](?:[01][0-9]|2[0-3]):?[0-5][0-9])"
# Years 1000 to 9998, so that a day or an offset can be added or removed safely.
TIMESTAMP_PATTERN = rf"^(?:[\t\n\r ]*|{_DAY}|{_DAY}{_TIME}{_OFFSET}?)$"
_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)
_SPACED_OFFSET = re.compile(r"(:[0-9]{2}(?:\.[0-9]+)?) ([0-9]{2}:?[0-9]{2})$")
_INTEGER = re.compile(r"^-?[0-9]+$")
# How much of a bad value or an unknown id an error quotes (shown).
_SHOWN_CHARACTERS = 40


def _blank(raw: str | None) -> bool:
    return raw is None or not raw.strip(_BLANK_CHARACTERS)


def shown(value: str) -> str:
    """`value` quoted for an error's description: whole up to _SHOWN_CHARACTERS characters,
    else its first _SHOWN_CHARACTERS, an ellipsis and its length (a query string or a path may
    hold kilobytes)."""
    if len(value) <= _SHOWN_CHARACTERS:
        return repr(value)
    return f"{value[:_SHOWN_CHARACTERS]!r}… ({len(value)} characters)"


@dataclass(frozen=True, kw_only=True)
class Parameter:
    """A query parameter: its name, what it means, and how its values are read."""

    name: str
    description: str
    is_id: bool = False
    location = "query"

    def parse(self, raw: str | None):
        """The value of the raw text (None when absent), or a 400 naming the parameter."""
        raise NotImplementedError

    def schema(self) -> dict:
        """The JSON Schema of every raw value the parameter accepts."""
        raise NotImplementedError

    def invalid(self, message: str) -> falcon.HTTPInvalidParam:
        return falcon.HTTPInvalidParam(message, self.name)

    def openapi(self) -> dict:
        return {
            "name": self.name,
            "in": self.location,
            "required": self.location == "path",
            "description": self.description,
            "schema": self.schema(),
        }


@dataclass(frozen=True, kw_only=True)
class Timestamp(Parameter):
    """An instant (RFC 3339; no offset = UTC) as a naive UTC datetime, or a bare date as a
    date (a day of the request's zone, made an instant by `window`)."""

    def parse(self, raw: str | None) -> datetime | date | None:
        if raw is None:
            return None
        # the whole value, as the document's pattern reads it (in Python, `$` also matches
        # before a final line break)
        if not _TIMESTAMP.fullmatch(raw):
            raise self.invalid(
                f"{shown(raw)} is not an RFC 3339 timestamp (at most 6 decimals of a second) or a"
                " date (YYYY-MM-DD) of the years 1000 to 9998."
            )
        if _blank(raw):
            return None
        if len(raw) == len("2026-02-01"):
            return date.fromisoformat(raw)
        text = _SPACED_OFFSET.sub(r"\1+\2", re.sub("[Zz]$", "+00:00", raw))
        moment = datetime.fromisoformat(text)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment

    def schema(self) -> dict:
        return {"$ref": "#/components/schemas/TimestampOrDate"}


@dataclass(frozen=True, kw_only=True)
class Text(Parameter):
    """Any text, trimmed; an id when `is_id` (one the token cannot see answers 404)."""

    def parse(self, raw: str | None) -> str | None:
        return None if _blank(raw) else raw.strip(_BLANK_CHARACTERS)

    def schema(self) -> dict:
        return {"type": "string"}


@dataclass(frozen=True, kw_only=True)
class PathId(Parameter):
    """An id in the path, as it stands."""

    is_id: bool = True
    location = "path"

    def parse(self, raw: str | None) -> str:
        return raw

    def schema(self) -> dict:
        return {"type": "string"}


@dataclass(frozen=True, kw_only=True)
class IdList(Parameter):
    """Comma-separated ids, each trimmed, the first of duplicates kept; an empty list or an
    empty id is a 400."""

    is_id: bool = True

    def parse(self, raw: str | None) -> list[str] | None:
        if raw is None:
            return None
        ids = [part.strip(_BLANK_CHARACTERS) for part in raw.split(",")]
        if not all(ids):
            raise self.invalid("An id list must not be empty or have empty ids.")
        return list(dict.fromkeys(ids))

    def schema(self) -> dict:
        item = {"type": "string", "pattern": r"^[^,]*[^\t\n\r ,][^,]*$"}
        return {"type": "array", "items": item, "minItems": 1}

    def openapi(self) -> dict:
        return {**super().openapi(), "style": "form", "explode": False}


@dataclass(frozen=True, kw_only=True)
class Choice(Parameter):
    """One of `choices`, else `default`."""

    choices: tuple[str, ...]
    default: str | None = None

    def parse(self, raw: str | None) -> str | None:
        if _blank(raw):
            return self.default
        if raw not in self.choices:
            raise self.invalid(f"{shown(raw)} is not one of {', '.join(self.choices)}.")
        return raw

    def schema(self) -> dict:
        return _or_blank({"type": "string", "enum": list(self.choices)}, self.default)


@dataclass(frozen=True, kw_only=True)
class Integer(Parameter):
    """A decimal integer from `minimum` to `maximum` (None: no limit), else `default`."""

    default: int
    minimum: int
    maximum: int | None = None

    def parse(self, raw: str | None) -> int:
        if _blank(raw):
            return self.default
        if not _INTEGER.fullmatch(raw):
            raise self.invalid(f"{shown(raw)} is not an integer.")
        # Python reads at most this many digits into an int (a bound on the time it takes).
        if len(raw.lstrip("-")) > sys.get_int_max_str_digits():
            raise self.invalid(f"It has more than {sys.get_int_max_str_digits()} digits.")
        number = int(raw)
        if number < self.minimum or (self.maximum is not None and number > self.maximum):
            limits = f"at least {self.minimum}"
            if self.maximum is not None:
                limits = f"from {self.minimum} to {self.maximum}"
            raise self.invalid(f"{shown(raw)} is out of range: {limits}.")
        return number

    def schema(self) -> dict:
        schema = {"type": "integer", "minimum": self.minimum}
        if self.maximum is not None:
            schema["maximum"] = self.maximum
        return _or_blank(schema, self.default)


@dataclass(frozen=True, kw_only=True)
class Zone(Parameter):
    """`tz`: an IANA time zone name of the pinned tzdata release, else UTC (api.md)."""

    name: str = "tz"
    description: str = (
        "The IANA time zone of the answer's days, hours and weeks (Monday 00:00): a DST day"
        " has 23 or 25 hours, a half-hour zone's hours start at :30 UTC. Bare-date bounds are"
        " its midnights; a series' `date` is the local date, a `timestamp` the bucket's start"
        " as an instant. Another name is a 400."
    )

    def parse(self, raw: str | None) -> tzinfo:
        if _blank(raw):
            return UTC
        if raw not in zone_names():
            raise self.invalid(f"{shown(raw)} is not an IANA time zone name.")
        return ZoneInfo(raw)

    def schema(self) -> dict:
        return _or_blank({"type": "string", "enum": list(zone_names())}, "UTC")


def _or_blank(schema: dict, default) -> dict:
    either = {"anyOf": [schema, BLANK]}
    return either if default is None else {**either, "default": default}


@cache
def zone_names() -> tuple[str, ...]:
    """The IANA zone names of the pinned tzdata release, whatever the machine's own zone
    files hold (`localtime` is not a zone)."""
    return tuple(resources.files("tzdata").joinpath("zones").read_text().split())


def midnight(day: date, zone: tzinfo) -> datetime:
    """The instant a local day of `zone` starts (local midnight, or the first instant after
    it where a DST change skips midnight), as a naive UTC datetime."""
    local = datetime.combine(day, time(), zone)
    return local.astimezone(UTC).replace(tzinfo=None)


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
    lower: datetime | date | None,
    upper: datetime | date | None,
    names: tuple[str, str],
    *,
    upper_inclusive: bool,
    zone: tzinfo = UTC,
) -> Window:
    """A window from two parsed Timestamp values named `names`. A bare-date upper bound D
    means before the local day after D starts, whatever the family's comparison for
    timestamps (metrics.md); days are those of `zone` (api.md, `tz`)."""
    if _is_day(lower):
        lower = midnight(lower, zone)
    upper_is_day, inclusive = _is_day(upper), upper_inclusive
    if upper_is_day:
        upper, inclusive = midnight(upper + timedelta(days=1), zone), False
    # A bare-date upper bound D ends with day D: a lower bound from D + 1 day on is after it.
    if (
        lower is not None
        and upper is not None
        and (lower > upper or (upper_is_day and lower == upper))
    ):
        raise falcon.HTTPInvalidParam(
            f"The window is empty: {names[0]} is after {names[1]}.", names[0]
        )
    return Window(lower, upper, inclusive)


def _is_day(value: datetime | date | None) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def relative_window(period: str, now: datetime) -> Window:
    """`[now - period, now]` for periods such as 1h, 24h, 7d (metrics.md)."""
    amount, unit = int(period[:-1]), period[-1]
    span = timedelta(hours=amount) if unit == "h" else timedelta(days=amount)
    return Window(now - span, now, upper_inclusive=True)
