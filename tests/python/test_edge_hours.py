"""A window's edge hours kept (docs/decisions.md, Edge hours kept): the sums over any part of
an hour from the running sums of its rows (api/queries/rollups.py, `_RunningSums`), and the
turn values of any part of an hour in their histogram buckets (api/queries/turns.py,
`_EdgeValues`)."""

from datetime import datetime

import numpy as np

from api.queries.periods import Span
from api.queries.rollups import _RunningSums
from api.queries.turns import _edge_values

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
    # inside the rows: the rows' own sum
    assert a.between(Span(at(TEN, 10), at(TEN, 30))) == [2, 4.0 + 1.0]
    assert a.between(Span(at(TEN, 41), ELEVEN)) is None
    assert running[TEN][("b",)].between(Span(at(TEN, 30), at(TEN, 31))) == [1, 16.0]
    calls, duration_s = running[ELEVEN][("a",)].between(Span(ELEVEN, at(ELEVEN, 30)))
    # numbers as Python's, which every JSON encoder takes
    assert (calls, duration_s) == (1, 32.0)
    assert (type(calls), type(duration_s)) == (int, float)


def test_a_part_inside_an_hours_rows_adds_its_own_rows():
    # 1000.1 s at 10:05, 46.535 s at 10:20, 2.2 s at 10:40: (1000.1 + 46.535) - 1000.1 is
    # 46.53499999999997 in floats
    instants = [at(TEN, 5), at(TEN, 20), at(TEN, 40)]
    running = _RunningSums(width=0, floats=(True,))(
        {
            "started_hour": np.array([TEN] * 3, dtype="datetime64[us]"),
            "started_at": np.array(instants, dtype="datetime64[us]"),
            "duration_sum_s": np.array([1000.1, 46.535, 2.2]),
        }
    )
    assert running[TEN][()].between(Span(at(TEN, 10), at(TEN, 30))) == [46.535]


def test_an_hour_without_rows_has_no_keys():
    empty = np.array([], dtype="datetime64[us]")
    running = _RunningSums(width=0, floats=(False,))(
        {"started_hour": empty, "started_at": empty, "calls": np.array([], dtype=np.int64)}
    )
    assert running == {}


def lists(rows: list[list]) -> np.ndarray:
    """A list column as DuckDB's `fetchnumpy` gives it: an array of arrays."""
    column = np.empty(len(rows), dtype=object)
    for position, values in enumerate(rows):
        column[position] = np.asarray(values)
    return column


def test_the_turn_values_of_any_part_of_the_edge_hours():
    # Turn values per provider and bucket, in order: llm openai 400 ms at 10:10 (bucket 602);
    # stt deepgram 100 ms at 10:05, 99.9 at 11:00 and 100.5 at 10:20 (bucket 463), 250 ms at
    # 10:40 (bucket 555).
    buckets = [
        ("llm", "openai", 602, [(at(TEN, 10), 400.0)]),
        ("stt", "deepgram", 463, [(at(TEN, 5), 100.0), (ELEVEN, 99.9), (at(TEN, 20), 100.5)]),
        ("stt", "deepgram", 555, [(at(TEN, 40), 250.0)]),
    ]
    values = _edge_values(
        {
            "provider_type": np.array([row[0] for row in buckets], dtype=object),
            "provider_name": np.array([row[1] for row in buckets], dtype=object),
            "histogram_bucket": np.array([row[2] for row in buckets], dtype=np.int32),
            "started_at": lists(
                [np.array([start for start, _ in row[3]], "datetime64[us]") for row in buckets]
            ),
            "latency_ms": lists([[value for _, value in row[3]] for row in buckets]),
        }
    )

    def intervals(*spans: Span) -> dict:
        """Each provider's intervals as (bucket, min, max, count) tuples."""
        return {
            provider: list(zip(*(column.tolist() for column in columns), strict=True))
            for provider, columns in values.intervals(spans).items()
        }

    assert intervals(Span(at(TEN, 6), ELEVEN)) == {
        ("llm", "openai"): [(602, 400.0, 400.0, 1)],
        ("stt", "deepgram"): [(463, 100.5, 100.5, 1), (555, 250.0, 250.0, 1)],
    }
    # a start is in, an end is out; two spans, in two hours
    assert intervals(Span(at(TEN, 5), at(TEN, 40)), Span(ELEVEN, at(ELEVEN, 30))) == {
        ("llm", "openai"): [(602, 400.0, 400.0, 1)],
        ("stt", "deepgram"): [(463, 99.9, 100.5, 3)],
    }
    assert intervals(Span(at(TEN, 41), at(TEN, 59))) == {}
