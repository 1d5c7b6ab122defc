"""Read-only access to the published marts: each answer reads one publication, the next
answer the newest."""

import hashlib
import logging
import os
import pickle
import sqlite3
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import diskcache
import duckdb
import numpy as np
from cachetools import LRUCache

log = logging.getLogger("callstats.api")

# The API's statements keep their text from one request to the next (the values are
# parameters), and parsing one takes DuckDB a third of the time of running it on the rollups:
# each text is parsed once per worker, the most recently used kept (docs/decisions.md: the
# documented requests use 82; at most about 75 MB if each were a page of 1,000 call ids).
_PARSED_STATEMENTS = 256
# The answers of lasting statements (Publication.lasting_rows) each worker keeps for the
# publication of the moment, the most recently used, by size (_size of their parameters and rows): a
# scope's agents' names and days with calls take a few hundred, and values chosen by requests
# (agent ids in a path or a list) cannot make the kept answers larger than about 10 MB.
_LASTING_SIZE = 10_000_000
# The types of the values a statement returns that weigh a unit each (`_size`).
_UNITS = frozenset({bool, int, float, Decimal, date, datetime, type(None)})
# The lasting answers the workers of a host share (`_Kept`), in a disk cache beside the published
# file: at most this many bytes, the oldest stored dropped first.
_SHARED_BYTES = 256 * 2**20
# How long a worker waits for another's write to the shared answers before it goes without.
_SHARED_WAIT_S = 0.05
# The reads of one answer that `Publication.together` runs at once, besides the caller's own.
_TOGETHER_THREADS = 2


class MartsUnavailable(Exception):
    """The marts cannot be read: a 503 whose description is the class's `description`."""

    description = "No marts are published yet: run callstats build."


class MartsUnreachable(MartsUnavailable):
    """The store that holds the marts (PostgreSQL) does not answer."""

    description = "The marts cannot be read now: try again later."


class MartsOutdated(MartsUnavailable):
    """The published marts lack a table this API reads: they were built by an older release."""

    description = "The published marts lack a table this API reads: run callstats build."


class MartsReplaced(MartsUnavailable):
    """A publication's tables were replaced by others while it was read (PostgreSQL)."""

    description = "A new build replaced the marts while this answer was read: try again."


class Publication:
    """Runs parameterised SQL on one published marts file (`Marts.publication`), through a
    cursor per thread opened by its first statement there (an answer whose statements are all
    kept lasting answers opens none). A table the file lacks raises MartsOutdated."""

    # Lasting answers are kept (`lasting_rows`): a statement worth keeping is read once.
    keeps_answers = True

    def __init__(
        self,
        path: Path,
        connection: duckdb.DuckDBPyConnection,
        kept: "_Kept",
        lock: threading.Lock,
    ):
        self._path = path
        self._connection = connection
        self._cursors: dict[int, duckdb.DuckDBPyConnection] = {}
        self._kept = kept
        self._lock = lock
        # While `together` runs reads in a thread: that thread, and what starts the reads
        # not started yet in the worker's threads.
        self._spreading: tuple[int, Callable[[], None]] | None = None

    def rows(self, sql: str, parameters: Sequence = ()) -> list[tuple]:
        return self._execute(sql, parameters).fetchall()

    def columns(self, sql: str, parameters: Sequence = ()) -> dict[str, np.ndarray]:
        """The rows of `sql` as a numpy array per column, by name, in the statement's order
        (a column with nulls is a masked array)."""
        return self._execute(sql, parameters).fetchnumpy()

    def _execute(self, sql: str, parameters: Sequence) -> duckdb.DuckDBPyConnection:
        """`sql` run through this thread's cursor, which its first statement opens."""
        thread = threading.get_ident()
        if self._spreading is not None and self._spreading[0] == thread:
            self._spreading[1]()
        cursor = self._cursors.get(thread)
        if cursor is None:
            with self._lock:
                cursor = self._cursors[thread] = self._connection.cursor()
        try:
            return cursor.execute(_parsed(sql), list(parameters))
        except duckdb.CatalogException as error:
            raise MartsOutdated(f"{self._path}: {error}") from error

    def together(self, *reads: Callable[[], Any]) -> list:
        """The values of `reads`, functions of no argument that read this publication, in their
        order. They run one after the other in the calling thread until one of them runs a
        statement: the reads not started then start at once in threads of the worker, each
        through a cursor of its own, so that an answer's independent statements use more than
        one core, while reads whose answers are all kept run in one thread, without handing the
        interpreter between threads (docs/decisions.md, Reads of an answer at once). Every read
        has finished when it returns or raises; an exception of a read is raised, the earliest
        read's first. A read must not call `together` itself: the threads it would wait for may
        all be waiting already."""
        waiting = list(enumerate(reads))
        started: dict[int, Future] = {}

        def spread() -> None:
            for position, read in waiting:
                started[position] = _readers().submit(read)
            waiting.clear()

        values: dict[int, Any] = {}
        self._spreading = (threading.get_ident(), spread)
        try:
            while waiting:
                position, read = waiting.pop(0)
                values[position] = read()
        finally:
            self._spreading = None
            wait(started.values())
        for position, future in sorted(started.items()):
            values[position] = future.result()
        return [values[position] for position in range(len(reads))]

    def lasting_rows(
        self, sql: str, parameters: Sequence = (), shape: Callable[[list[tuple]], Any] | None = None
    ) -> Any:
        """`rows` of a statement whose answer only a new publication changes, whatever the
        request's window (a dimension's rows, a scope's first and last day with calls): read
        once per publication by one of the host's workers and kept (`_Kept`, weighed by the
        rows); with `shape`, `shape(rows)`, shaped once and kept in its place (a shape is a
        module's function or a frozen dataclass: it is part of the shared answers' keys).
        Callers must not change what it returns."""
        return self._lasting(self.rows, sql, parameters, shape, _size)

    def lasting_columns(
        self, sql: str, parameters: Sequence, shape: Callable[[dict[str, np.ndarray]], Any]
    ) -> Any:
        """As `lasting_rows`, for a statement of many rows: `shape` takes its `columns`, and
        the answer weighs as `_size` weighs their values (a list column's, each element)."""
        return self._lasting(
            self.columns, sql, parameters, shape, lambda columns: _size(list(columns.values()))
        )

    def lasting_items(
        self,
        read: Callable[["Publication", list], dict[Hashable, Any]],
        keys: Sequence[Hashable],
        ahead: Sequence[Hashable] = (),
    ) -> list:
        """The value of each of `keys`, in their order: values that only a new publication
        changes, kept one by one (`_Kept`, each weighed by `_size`), so that a request whose
        keys mostly stay the same as an earlier one's reads only the new ones. When one of
        `keys` is not kept, those of `ahead` (keys the next requests are likely to ask for)
        that are not kept either are read with it. `read(publication, missing)` reads the keys
        not kept, given in their order, as a value for each by key; it is a module's function
        (part of the shared answers' keys). The values of a request's keys and `ahead` are
        shared with the host's workers as one answer: another worker asked for the same reads
        them in one lookup (docs/decisions.md, Pages of calls kept). Callers must not change
        what it returns."""
        kept = [self._kept.own((read, key)) for key in keys]
        if any(item is None for item in kept):
            wanted = [*keys, *ahead]
            together = (read, tuple(wanted))
            shared = self._kept.shared(together)
            if shared is None:
                kept += [self._kept.own((read, key)) for key in ahead]
                values = read(
                    self, [key for key, item in zip(wanted, kept, strict=True) if item is None]
                )
                shared = [
                    (_size(values[key]), values[key]) if item is None else item
                    for key, item in zip(wanted, kept, strict=True)
                ]
                self._kept.share(together, shared)
            kept = shared
            for key, (size, value) in zip(wanted, kept, strict=True):
                self._kept.keep((read, key), size, value)
        return [value for _, value in kept[: len(keys)]]

    def _lasting(
        self,
        read: Callable[[str, Sequence], Any],
        sql: str,
        parameters: Sequence,
        shape: Callable[[Any], Any] | None,
        size: Callable[[Any], int],
    ) -> Any:
        key = (
            sql,
            shape,
            *(tuple(value) if isinstance(value, list) else value for value in parameters),
        )
        kept = self._kept.get(key)
        if kept is not None:
            return kept
        answer = read(sql, parameters)
        shaped = answer if shape is None else shape(answer)
        self._kept.put(key, _size(parameters) + size(answer), shaped)
        return shaped

    def built_at(self) -> datetime | None:
        """When this publication's marts were built (UTC), read once per publication."""
        [(built_at,)] = self.lasting_rows("select marts_built_at from marts.publication")
        return built_at

    def close(self) -> None:
        for cursor in self._cursors.values():
            cursor.close()


class Marts:
    """The published marts file, followed from one publication to the next.

    `callstats build` replaces that file atomically; the next `publication()` notices the new
    file (its inode and modification time), opens it and closes the old one (an unlinked file
    keeps its disk space while it is open). gunicorn's sync workers answer one request at a
    time, so no answer is reading the old file then.
    """

    def __init__(self, path: Path):
        self._path = path
        self._lock = threading.Lock()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._file: tuple[int, int] | None = None
        self._kept: _Kept | None = None

    @cached_property
    def _shared(self) -> diskcache.Cache | None:
        """The lasting answers the host's workers share, opened in the worker (after gunicorn's
        fork) by its first publication."""
        return _shared_answers(self._path)

    def _published_file(self) -> tuple[int, int]:
        """The published file's inode and modification time (ns): a new publication's differ."""
        try:
            stat = os.stat(self._path)
        except FileNotFoundError as error:
            raise MartsUnavailable(f"no marts published at {self._path}") from error
        return stat.st_ino, stat.st_mtime_ns

    def _current(self) -> tuple[duckdb.DuckDBPyConnection, "_Kept"]:
        """The connection to the publication of the moment, and its lasting answers."""
        published = self._published_file()
        with self._lock:
            if published != self._file:
                if self._connection is not None:
                    self._connection.close()
                self._connection = duckdb.connect(str(self._path), read_only=True)
                self._file = published
                self._kept = _Kept(published, self._shared)
            return self._connection, self._kept

    @contextmanager
    def publication(self) -> Iterator[Publication]:
        """The file published now, read by every statement of one answer even if another is
        swapped in meanwhile (so, unlike PostgreSQL's, it never raises MartsReplaced)."""
        publication = Publication(self._path, *self._current(), self._lock)
        try:
            yield publication
        finally:
            publication.close()

    def built_at(self) -> datetime | None:
        """When the marts published now were built (UTC)."""
        with self.publication() as publication:
            return publication.built_at()


class _Kept:
    """The lasting answers of one publication (`Publication.lasting_rows`): the worker's own,
    the most recently used up to _LASTING_SIZE (an answer's size is its `_size`), and those
    that the host's workers share (`shared`, keyed by the published file's inode and
    modification time and the API's code), so that one worker reads a lasting statement for all
    (docs/decisions.md, Lasting answers shared by the workers). A shared answer that cannot be
    read or written (a full disk, another worker writing for longer than _SHARED_WAIT_S) is
    read from the marts instead."""

    def __init__(self, published: tuple[int, int], shared: diskcache.Cache | None):
        self._shared_key = (*published, _code())
        self._shared = shared
        self._own = LRUCache(_LASTING_SIZE, getsizeof=itemgetter(0))
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        """The answer kept under `key` by this worker or shared by another, or None."""
        kept = self.own(key)
        if kept is None:
            kept = self.shared(key)
            if kept is not None:
                self.keep(key, *kept)
        return None if kept is None else kept[1]

    def put(self, key: tuple, size: int, answer: Any) -> None:
        """Keep `answer` of `size` under `key` and share it, unless it is larger than
        _LASTING_SIZE."""
        if size <= _LASTING_SIZE:
            self.keep(key, size, answer)
            self.share(key, (size, answer))

    def own(self, key: tuple) -> tuple[int, Any] | None:
        """The `(size, answer)` this worker keeps under `key`, or None."""
        with self._lock:
            return self._own.get(key)

    def keep(self, key: tuple, size: int, answer: Any) -> None:
        """Keep `answer` of `size` under `key` in this worker, unless it is larger than
        _LASTING_SIZE."""
        if size <= _LASTING_SIZE:
            with self._lock:
                self._own[key] = (size, answer)

    def shared(self, key: tuple) -> Any:
        """What a worker of the host shared under `key`, or None."""
        if self._shared is None:
            return None
        return _shared_call(self._shared.get, self._digest(key))

    def share(self, key: tuple, answer: Any) -> None:
        """Share `answer` under `key` with the host's workers."""
        if self._shared is not None:
            _shared_call(self._shared.set, self._digest(key), answer)

    def _digest(self, key: tuple) -> str:
        """The shared answers' key of `key`: a digest of it pickled, with the publication and
        the code. Given the tuple, diskcache would pass its pickle through `pickletools.optimize`,
        pure Python: 3.1 ms for the keys of a page of call records at each lookup and store,
        against 0.2 ms for the digest."""
        pickled = pickle.dumps((*self._shared_key, *key), protocol=pickle.HIGHEST_PROTOCOL)
        return hashlib.sha256(pickled).hexdigest()


@cache
def _code() -> str:
    """A digest of the API's source: the shared answers are keyed by it too, so a worker of
    another release (whose shapes' classes may differ) never reads what this one stored."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _shared_call(operation: Callable, *arguments: Any) -> Any:
    """`operation` of the shared answers on `arguments`; None when the disk cache fails."""
    try:
        return operation(*arguments)
    except (OSError, sqlite3.Error, diskcache.Timeout) as error:
        log.warning("shared lasting answers unavailable: %s", error)
        return None


def _shared_answers(path: Path) -> diskcache.Cache | None:
    """The disk cache of lasting answers beside the published file `path` (`<stem>.answers`),
    shared by the processes that read it; None (each worker keeps its own) where it cannot
    be opened, as in a read-only directory."""
    try:
        return diskcache.Cache(
            str(path.with_name(f"{path.stem}.answers")),
            timeout=_SHARED_WAIT_S,
            size_limit=_SHARED_BYTES,
        )
    except (OSError, sqlite3.Error, diskcache.Timeout) as error:
        log.warning("lasting answers not shared: %s", error)
        return None


def _size(value: object) -> int:
    """The characters of the strings in `value`, tuples, lists, dicts' values and numpy
    arrays of objects walked; a unit for each element of another array and for any other value.
    The values of a row (a tuple) are weighed in the loop over its items, without a call each:
    a lasting statement's few thousand rows took 8-11 ms with a call per value, 2-3 ms so."""
    if isinstance(value, tuple | list):
        items = value
    elif isinstance(value, str):
        return len(value)
    elif isinstance(value, dict):
        items = value.values()
    elif isinstance(value, np.ndarray):
        if value.dtype != object:
            return value.size
        items = value.tolist()
    else:
        return 1
    size = 0
    for item in items:
        kind = type(item)
        if kind is str:
            size += len(item)
        elif kind in _UNITS:
            size += 1
        else:
            size += _size(item)
    return size


@cache
def _readers() -> ThreadPoolExecutor:
    """The threads of `Publication.together`, started in the worker that first needs them (after
    gunicorn's fork)."""
    return ThreadPoolExecutor(_TOGETHER_THREADS, thread_name_prefix="marts-read")


@lru_cache(maxsize=_PARSED_STATEMENTS)
def _parsed(sql: str) -> duckdb.Statement:
    """The one statement of `sql`, parsed."""
    [statement] = duckdb.extract_statements(sql)
    return statement
