"""Values as the API writes them (api.md): RFC 3339 UTC timestamps, ISO dates."""

from datetime import date, datetime

import numpy as np


def timestamp(moment: datetime | None) -> str | None:
    """`2026-01-17T10:00:00Z`, with fractional seconds only when they are not zero."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.replace(tzinfo=None)
    text = moment.isoformat(timespec="seconds")  # years below 1000 padded
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return f"{text}Z"


def timestamps(moments: np.ndarray) -> list[str]:
    """Whole-second UTC instants (numpy datetime64) as `timestamp` writes them."""
    return [f"{text}Z" for text in np.datetime_as_string(moments, unit="s").tolist()]


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None
