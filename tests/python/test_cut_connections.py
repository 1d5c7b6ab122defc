"""The connections a window's edges cut, from their events kept (api/queries/events.py,
`_CutConnections`): each lasts from its first opening in the window to the first closing
after it in the window (docs/decisions.md)."""

from datetime import datetime

import numpy as np

from api.params import Window
from api.queries.events import _cut_connections

TEN = datetime(2026, 3, 2, 10)


def at(minute: int, second: int = 0) -> datetime:
    return TEN.replace(minute=minute, second=second)


# k-1: opened 10:00 and 10:20, closed 10:10 and 10:35; k-2: opened 10:05, closed 10:50;
# k-3: opened 10:40, never closed. Rows in order of connection, then instant.
EVENTS = [
    ("k-1", False, at(0)),
    ("k-1", True, at(10)),
    ("k-1", False, at(20)),
    ("k-1", True, at(35)),
    ("k-2", False, at(5)),
    ("k-2", True, at(50)),
    ("k-3", False, at(40)),
]
CONNECTIONS = _cut_connections(
    {
        "connection_key": np.array([key for key, _, _ in EVENTS], dtype=object),
        "is_closing": np.array([closing for _, closing, _ in EVENTS]),
        "created_at": np.array([moment for _, _, moment in EVENTS], dtype="datetime64[us]"),
    }
)


def test_each_connection_from_its_first_opening_to_the_next_closing_in_the_window():
    # the whole hour: k-1 10:00-10:10 (600 s), k-2 10:05-10:50 (2700 s); k-3 never closes
    assert CONNECTIONS.durations(Window(TEN, at(59, 59), False)) == (2, 600.0 + 2700.0)
    # from 10:06: k-1's first opening in the window is 10:20, closed 10:35 (900 s); k-2's
    # opening is before the window
    assert CONNECTIONS.durations(Window(at(6), at(59), False)) == (1, 900.0)
    # to 10:50, excluded then included: k-2's closing
    assert CONNECTIONS.durations(Window(TEN, at(50), False)) == (1, 600.0)
    assert CONNECTIONS.durations(Window(TEN, at(50), True)) == (2, 3300.0)
    # open bounds; a window with no events
    assert CONNECTIONS.durations(Window(None, None, False)) == (2, 3300.0)
    assert CONNECTIONS.durations(Window(at(36), at(39), False)) == (0, 0.0)


def test_no_connections_no_durations():
    empty = _cut_connections(
        {
            "connection_key": np.array([], dtype=object),
            "is_closing": np.array([], dtype=bool),
            "created_at": np.array([], dtype="datetime64[us]"),
        }
    )
    assert empty.durations(Window(TEN, at(59), False)) == (0, 0.0)
