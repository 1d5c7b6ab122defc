"""The published DuckDB marts as the API reads them (api/marts.py): a statement's text is
parsed once, each run of it reads its publication with its own values, every statement of a
publication reads one file even when another is published meanwhile, and a lasting statement
is read once per publication (by one of the host's workers), and reads of one answer run
together."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pytest

import api.marts
from api.marts import Marts, MartsOutdated

LONG_CALLS = "select count(*), sum(duration_s) from marts.fct_calls where duration_s >= ?"
DRAWN = "select random() from marts.fct_calls where duration_s >= ?"


def _publish(published: Path, durations_s: range) -> None:
    """A marts file whose calls last `durations_s`, swapped in as `callstats build` does."""
    building = published.with_name("building.duckdb")
    with duckdb.connect(str(building)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.fct_calls as select range as duration_s from range(?, ?)",
            [durations_s.start, durations_s.stop],
        )
    building.replace(published)


def _rows(marts: Marts, sql: str, parameters: list) -> list[tuple]:
    with marts.publication() as publication:
        return publication.rows(sql, parameters)


def _lasting_rows(marts: Marts, sql: str, parameters: list) -> list[tuple]:
    with marts.publication() as publication:
        return publication.lasting_rows(sql, parameters)


def test_each_publication_reads_the_file_published_when_it_opened(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(3))
    marts = Marts(published)
    assert _rows(marts, LONG_CALLS, [1]) == [(2, 1 + 2)]
    with marts.publication() as publication:
        assert publication.rows(LONG_CALLS, [1]) == [(2, 1 + 2)]
        _publish(published, range(5))
        # the statements of one publication read one file, the new one swapped in or not
        assert publication.rows(LONG_CALLS, [0]) == [(3, 0 + 1 + 2)]
        assert publication.lasting_rows(LONG_CALLS, [2]) == [(1, 2)]
    assert _rows(marts, LONG_CALLS, [1]) == [(4, 1 + 2 + 3 + 4)]
    assert _rows(marts, LONG_CALLS, [3]) == [(2, 3 + 4)]
    assert _lasting_rows(marts, LONG_CALLS, [2]) == [(3, 2 + 3 + 4)]


def test_a_lasting_statement_is_read_once_per_publication_and_parameters(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(3))
    marts = Marts(published)
    # random() answers differently each time the statement is read
    drawn = _lasting_rows(marts, DRAWN, [1])
    assert len(drawn) == 2
    assert _lasting_rows(marts, DRAWN, [1]) == drawn
    assert _rows(marts, DRAWN, [1]) != drawn
    assert _lasting_rows(marts, LONG_CALLS, [1]) == [(2, 1 + 2)]
    assert _lasting_rows(marts, LONG_CALLS, [2]) == [(1, 2)]
    _publish(published, range(5))
    assert _lasting_rows(marts, LONG_CALLS, [1]) == [(4, 1 + 2 + 3 + 4)]
    again = _lasting_rows(marts, DRAWN, [1])
    assert len(again) == 4 and again[:2] != drawn


# The rows `total` shaped (a shape is part of the shared answers' keys: a module's function).
_SHAPED: list[list[tuple]] = []


def total(rows: list[tuple]) -> float:
    _SHAPED.append(rows)
    return sum(map(sum, rows))


def test_a_shaped_lasting_answer_is_shaped_once_per_publication(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(3))
    marts = Marts(published)
    shaped = _SHAPED
    shaped.clear()

    with marts.publication() as publication:
        drawn = publication.lasting_rows(DRAWN, [1], shape=total)
        # random() answers differently each time the statement is read: shaped once
        assert publication.lasting_rows(DRAWN, [1], shape=total) == drawn
        assert len(shaped) == 1 and drawn == shaped[0][0][0] + shaped[0][1][0]
        # the rows of the same statement are kept apart from their shape
        assert len(publication.lasting_rows(DRAWN, [1])) == 2
    _publish(published, range(5))
    with marts.publication() as publication:
        # 4 calls of 1, 2, 3 and 4 s
        assert publication.lasting_rows(LONG_CALLS, [1], shape=total) == 4 + (1 + 2 + 3 + 4)
    assert len(shaped) == 2


def column_totals(columns: dict) -> dict:
    return {name: column.sum().item() for name, column in columns.items()}


def test_lasting_columns_come_as_arrays_shaped_once_per_publication(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(3))
    marts = Marts(published)
    statement = "select duration_s, random() as drawn from marts.fct_calls where duration_s >= ?"
    with marts.publication() as publication:
        kept = publication.lasting_columns(statement, [1], shape=column_totals)
        assert kept["duration_s"] == 1 + 2
        # random() answers differently each time the statement is read: shaped once
        assert publication.lasting_columns(statement, [1], shape=column_totals) == kept
        assert publication.columns(statement, [1])["drawn"].sum() != kept["drawn"]
    _publish(published, range(5))
    with marts.publication() as publication:
        kept = publication.lasting_columns(statement, [1], shape=column_totals)
        assert kept["duration_s"] == 1 + 2 + 3 + 4


def test_the_workers_of_a_host_share_their_lasting_answers(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(3))
    first, second = Marts(published), Marts(published)
    # random() answers differently each time the statement is read: read by the first worker
    drawn = _lasting_rows(first, DRAWN, [1])
    assert _lasting_rows(second, DRAWN, [1]) == drawn
    # the same rows published again: another file, read again, once
    _publish(published, range(3))
    again = _lasting_rows(second, DRAWN, [1])
    assert again != drawn
    assert _lasting_rows(first, DRAWN, [1]) == again


def test_workers_of_another_release_do_not_share_answers(tmp_path, monkeypatch):
    published = tmp_path / "published.duckdb"
    _publish(published, range(3))
    monkeypatch.setattr(api.marts, "_code", lambda: "one release")
    drawn = _lasting_rows(Marts(published), DRAWN, [1])
    assert _lasting_rows(Marts(published), DRAWN, [1]) == drawn
    # the answers one release shaped may be of classes another release lacks or changed
    monkeypatch.setattr(api.marts, "_code", lambda: "another release")
    assert _lasting_rows(Marts(published), DRAWN, [1]) != drawn


def test_where_answers_cannot_be_shared_each_worker_keeps_its_own(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(3))
    (tmp_path / "published.answers").write_text("a file where the shared answers would be")
    first, second = Marts(published), Marts(published)
    drawn = _lasting_rows(first, DRAWN, [1])
    assert _lasting_rows(first, DRAWN, [1]) == drawn
    assert _lasting_rows(second, DRAWN, [1]) != drawn
    assert _lasting_rows(second, LONG_CALLS, [1]) == [(2, 1 + 2)]


def test_a_lasting_answer_larger_than_what_is_kept_is_read_each_time(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(3))
    marts = Marts(published)
    drawn_text = "select random(), repeat('x', ?)"
    # a double, its parameter and 9,999,998 characters: a size of 10,000,000, kept
    kept = _lasting_rows(marts, drawn_text, [9_999_998])
    assert _lasting_rows(marts, drawn_text, [9_999_998]) == kept
    # one character more is not
    large = _lasting_rows(marts, drawn_text, [9_999_999])
    assert len(large[0][1]) == 9_999_999
    assert _lasting_rows(marts, drawn_text, [9_999_999]) != large
    # long strings among the parameters count by their characters: 5,000,001, kept
    ids = ["a" * 5_000_000, "b" * 4_999_998]
    kept = _lasting_rows(marts, "select random() from range(1) where ? <> ''", [ids[0]])
    assert _lasting_rows(marts, "select random() from range(1) where ? <> ''", [ids[0]]) == kept
    # a list counts by its items: 10,000,000 characters and a double, not kept
    listed = _lasting_rows(marts, "select random() where len(?) = 3", [[*ids, "cc"]])
    assert len(listed) == 1
    assert _lasting_rows(marts, "select random() where len(?) = 3", [[*ids, "cc"]]) != listed


def test_lasting_columns_weigh_each_element_of_their_lists(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(3))
    marts = Marts(published)
    statement = "select 'ab' as name, list(duration_s) as durations_s from marts.fct_calls"
    with marts.publication() as publication:
        columns = publication.columns(statement)
    # 'ab' (2 characters) and the list of 3 durations
    assert api.marts._size(list(columns.values())) == 2 + 3


def test_an_answer_weighs_its_strings_characters_and_a_unit_for_each_other_value():
    rows = [("ab", 1, 2.5, None), ("c", Decimal("1.5"), date(2026, 11, 1), True)]
    # 2 + 3 units, then 1 + 3 units
    assert api.marts._size(rows) == 5 + 4
    # a dict's values; an array of objects walked; another array a unit per element; any other
    # value (a time of day) a unit
    kept = {"names": np.array(["abc", 7], dtype=object), "counts": np.arange(4), "at": time(1)}
    assert api.marts._size(kept) == 3 + 1 + 4 + 1
    assert api.marts._size("abcd") == 4


# The keys each call of `drawn_per_duration` read (a read is part of the shared answers' keys:
# a module's function).
_READ_KEYS: list[list[int]] = []


def drawn_per_duration(publication, durations_s: list[int]) -> dict[int, tuple]:
    """Each duration's calls, counted, and a random draw, read in one statement."""
    _READ_KEYS.append(durations_s)
    rows = publication.rows(
        "select duration_s, count(*), random() from marts.fct_calls"
        " where duration_s = any(?) group by duration_s",
        [durations_s],
    )
    return {duration_s: (calls, drawn) for duration_s, calls, drawn in rows}


def _items(marts: Marts, keys: list[int], ahead: list[int] = ()) -> list[tuple]:
    with marts.publication() as publication:
        return publication.lasting_items(drawn_per_duration, keys, ahead)


def test_lasting_items_read_only_the_keys_not_kept_once_per_publication(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(5))
    marts = Marts(published)
    read = _READ_KEYS
    read.clear()
    first = _items(marts, [3, 1, 2])
    assert [calls for calls, _ in first] == [1, 1, 1]
    # keys 1 and 2 kept (the same draws), only 4 read, the values in the keys' order
    second = _items(marts, [4, 2, 1])
    assert second[1:] == [first[2], first[1]]
    assert read == [[3, 1, 2], [4]]
    assert _items(marts, [2, 4]) == [first[2], second[0]]
    assert len(read) == 2
    # another publication reads them again
    _publish(published, range(5))
    again = _items(marts, [3, 1])
    assert read[2:] == [[3, 1]] and again != first[:2]


def test_lasting_items_read_the_keys_ahead_with_a_key_not_kept(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(6))
    marts = Marts(published)
    read = _READ_KEYS
    read.clear()
    first = _items(marts, [0, 1], ahead=[2, 3])
    assert len(first) == 2 and read == [[0, 1, 2, 3]]
    # every key kept: nothing read, not even the keys ahead not kept
    assert [calls for calls, _ in _items(marts, [2, 3], ahead=[4])] == [1, 1]
    assert len(read) == 1
    # a key not kept: it is read with the keys ahead not kept, in their order
    assert _items(marts, [3, 4], ahead=[1, 5])[1][0] == 1
    assert read == [[0, 1, 2, 3], [4, 5]]
    assert _items(marts, [5, 1]) == [_items(marts, [5])[0], first[1]]
    assert len(read) == 2


def test_the_workers_of_a_host_share_their_lasting_items(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(5))
    read = _READ_KEYS
    read.clear()
    first = _items(Marts(published), [0, 1])
    second = Marts(published)
    # another worker asked for the same keys reads none of them
    assert _items(second, [0, 1]) == first
    assert read == [[0, 1]]
    # asked for keys no worker was asked for together, it reads those it does not keep
    assert _items(second, [1, 2])[0] == first[1]
    assert read == [[0, 1], [2]]


def test_threads_run_one_statement_with_their_own_values(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(1000))
    marts = Marts(published)
    thresholds = [threshold for _ in range(25) for threshold in range(0, 1000, 125)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(
            pool.map(lambda threshold: _rows(marts, LONG_CALLS, [threshold]), thresholds)
        )
    # calls of threshold..999 seconds: 1000 - threshold of them, summing to the series' sum
    assert answers == [
        [(1000 - threshold, (threshold + 999) * (1000 - threshold) // 2)]
        for threshold in thresholds
    ]


def _noted_read(publication, threads: dict, threshold: int, lasting: bool = False):
    """A read of LONG_CALLS over `threshold` (a lasting statement with `lasting`) that notes
    in `threads` the thread it ran in."""

    def run() -> list[tuple]:
        threads[threshold] = threading.get_ident()
        rows = publication.lasting_rows if lasting else publication.rows
        return rows(LONG_CALLS, [threshold])

    return run


def test_reads_together_answer_in_their_order_from_more_than_one_thread(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(1000))
    marts = Marts(published)
    threads = {}

    with marts.publication() as publication:
        answers = publication.together(
            *(_noted_read(publication, threads, threshold) for threshold in (0, 500, 998))
        )
    assert answers == [[(1000, 499_500)], [(500, 374_750)], [(2, 998 + 999)]]
    # the first in the calling thread, the others in the worker's threads
    assert threads[0] == threading.get_ident() != threads[500]


def test_reads_together_run_in_the_calling_thread_until_one_runs_a_statement(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(1000))
    marts = Marts(published)
    threads = {}

    with marts.publication() as publication:
        publication.lasting_rows(LONG_CALLS, [0])
        answers = publication.together(
            _noted_read(publication, threads, 0, lasting=True),
            _noted_read(publication, threads, 998),
            _noted_read(publication, threads, 500),
        )
    assert answers == [[(1000, 499_500)], [(2, 998 + 999)], [(500, 374_750)]]
    # the kept answer, then the first read with a statement, in the calling thread; the read
    # after it started in another thread when that statement ran
    assert threads[0] == threads[998] == threading.get_ident() != threads[500]


def test_reads_together_raise_a_reads_error_once_every_read_has_finished(tmp_path):
    published = tmp_path / "published.duckdb"
    _publish(published, range(3))
    marts = Marts(published)
    finished = []

    def long_read() -> None:
        publication.rows("select count(*) from range(30000000) where range % 7 = ?", [3])
        finished.append(True)

    with marts.publication() as publication, pytest.raises(MartsOutdated):
        publication.together(lambda: publication.rows("select * from marts.fct_turns"), long_read)
    assert finished == [True]
