"""The running sums of a window's edge hours (api/queries/rollups.py, `_RunningSums`): the
sums over any part of an hour, read from the rows of the whole hour (docs/decisions.md, Edge
hours kept)."""

from datetime import datetime

import numpy as np

from api.queries.periods import Span
from api.queries.rollups import _RunningSums

TEN, ELEVEN = datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 11)


def at(hour: datetime, minute: int) -> datetime:
    return hour.replace(minute=minute)


def test_the_sums_of_any_part_of_an_hour():
    # Agent a: 10:05 (2.5 s), 10:20 (4.0 s), 10:20 (1.0 s), 10:40 (8.0 s), 11:00 (32.0 s);
    # agent b: 10:30 (16.0 s). Each row is one call, ordered by hour, agent and instant.
    starts = [at(TEN, 5), at(TEN, 20), at(TEN, 20), at(TEN, 40), at(TEN, 30), at(ELEVEN, 0)]
    running = _RunningSums(width=1, floats=(False, True))(
        {
            "started_hour": np.array([TEN] * 5 + [ELEVEN], dtype="datetime64[us]"),
            "agent_id": np.array(["a", "a", "a", "a", "b", "a"], dtype=object),
            "started_at": np.array(starts, dtype="datetime64[us]"),
            "calls": np.array([1, 1, 1, 1, 1, 1]),
            "duration_sum_s": np.array([2.5, 4.0, 1.0, 8.0, 16.0, 32.0]),
        }
    )
    assert {hour: set(keys) for hour, keys in running.items()} == {
        TEN: {("a",), ("b",)},
        ELEVEN: {("a",)},
    }
    a = running[TEN][("a",)]
    assert a.between(Span(TEN, ELEVEN)) == [4, 2.5 + 4.0 + 1.0 + 8.0]
    # a start is in, an end is out, whichever rows share the instant
    assert a.between(Span(at(TEN, 20), ELEVEN)) == [3, 4.0 + 1.0 + 8.0]
    assert a.between(Span(TEN, at(TEN, 20))) == [1, 2.5]
    # inside the rows: a difference of running sums
    assert a.between(Span(at(TEN, 10), at(TEN, 30))) == [2, 4.0 + 1.0]
    assert a.between(Span(at(TEN, 41), ELEVEN)) is None
    assert running[TEN][("b",)].between(Span(at(TEN, 30), at(TEN, 31))) == [1, 16.0]
    calls, duration_s = running[ELEVEN][("a",)].between(Span(ELEVEN, at(ELEVEN, 30)))
    # numbers as Python's, which every JSON encoder takes
    assert (calls, duration_s) == (1, 32.0)
    assert (type(calls), type(duration_s)) == (int, float)


def test_an_hour_without_rows_has_no_keys():
    empty = np.array([], dtype="datetime64[us]")
    running = _RunningSums(width=0, floats=(False,))(
        {"started_hour": empty, "started_at": empty, "calls": np.array([], dtype=np.int64)}
    )
    assert running == {}
