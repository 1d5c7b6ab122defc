"""Read-only access to the marts where dbt builds them on PostgreSQL (CALLSTATS_TARGET=postgres).

The same interface as `api.marts.Marts`: a publication's `rows(sql, parameters)` runs the
API's portable SQL (`?` placeholders) and answers values as DuckDB would give them, so the
queries and the serialisation are shared. The translation lives here, in one place:

- `?` becomes psycopg's `%s` (and a literal `%` becomes `%%`);
- json and jsonb columns load as their text, as DuckDB returns json;
- numeric (averages and sums of integers, `extract`) loads as a float, as DuckDB's averages
  are DOUBLE; the queries cast to an integer type what they answer as an integer;
- a text parameter holding NUL (an id or `call_sid` as a client sent it) goes as NULL:
  PostgreSQL text cannot hold NUL, so no stored text equals it, and NULL equals nothing
  either in the API's SQL, which compares text parameters only with `=` and `= any(...)`.
  So such an id is not visible (404) and such a filter matches nothing, as on DuckDB.
"""

import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import psycopg
from psycopg.adapt import Loader
from psycopg.types.string import TextLoader
from psycopg_pool import ConnectionPool, PoolTimeout

from api.marts import MartsReplaced, MartsUnavailable, MartsUnreachable

# Connection attempts give up after this many seconds: /health then answers 503 quickly.
CONNECT_TIMEOUT_S = 5


class _FloatLoader(Loader):
    def load(self, data) -> float:
        return float(bytes(data).decode())


def _configure(connection: psycopg.Connection) -> None:
    connection.read_only = True
    connection.autocommit = False
    connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    for json_type in ("json", "jsonb"):
        connection.adapters.register_loader(json_type, TextLoader)
    connection.adapters.register_loader("numeric", _FloatLoader)


def _without_nul(value):
    """A parameter as PostgreSQL can take it: text holding NUL as NULL, in a list too."""
    if isinstance(value, str):
        return None if "\x00" in value else value
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


# The tables that `marts.<name>` names now: replacing one, or the schema, gives new ids.
_MARTS_TABLES = (
    "select coalesce(array_agg(oid order by oid), '{}') from pg_class"
    " where relnamespace = to_regnamespace('marts')"
)


def _read(cursor: psycopg.Cursor, sql: str, parameters: Sequence = ()) -> list[tuple]:
    cursor.execute(translate(sql), [_without_nul(value) for value in parameters])
    return cursor.fetchall()


def translate(sql: str) -> str:
    """The API's SQL with psycopg's placeholders: `?` → `%s`, `%` → `%%`."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresPublication:
    """Runs the API's SQL in one transaction of `PostgresMarts.publication`."""

    # Lasting answers are read each time (`lasting_rows`): read only what the answer needs.
    keeps_answers = False

    def __init__(self, cursor: psycopg.Cursor):
        self._cursor = cursor

    def rows(self, sql: str, parameters: Sequence = ()) -> list[tuple]:
        return _read(self._cursor, sql, parameters)

    def together(self, *reads: Callable[[], Any]) -> list:
        """The values of `reads`, in their order, read one after the other: a transaction is
        one connection, which runs one statement at a time."""
        return [read() for read in reads]

    def lasting_rows(
        self, sql: str, parameters: Sequence = (), shape: Callable[[list[tuple]], Any] | None = None
    ) -> Any:
        """`rows` (`shape(rows)` with a `shape`), read each time: the tables of schema `marts`
        are replaced model by model (a build into this database) or all at once (a
        publication's schema swap), with no mark a worker could check without a query."""
        rows = self.rows(sql, parameters)
        return rows if shape is None else shape(rows)

    def lasting_items(
        self,
        read: Callable[["PostgresPublication", list], dict[Hashable, Any]],
        keys: Sequence,
        ahead: Sequence = (),
    ) -> list:
        """The value of each of `keys`, in their order, read each time (as `lasting_rows`);
        nothing is kept, so nothing is read `ahead`."""
        values = read(self, list(keys)) if keys else {}
        return [values[key] for key in keys]

    def built_at(self) -> datetime | None:
        """When the marts this transaction reads were built."""
        [(built_at,)] = self.rows("select marts_built_at from marts.publication")
        return built_at


class PostgresMarts:
    """The marts in schema `marts` of a PostgreSQL database, read through a pool of read-only
    connections opened on the first read."""

    def __init__(self, connection: Mapping[str, str], max_size: int = 4):
        self._pool = ConnectionPool(
            kwargs={**connection, "connect_timeout": CONNECT_TIMEOUT_S},
            min_size=1,
            max_size=max_size,
            open=False,
            configure=_configure,
            # a connection the server closed (a restart, a failover) is replaced, not used
            check=ConnectionPool.check_connection,
            timeout=CONNECT_TIMEOUT_S,
            name="callstats-marts",
        )
        self._lock = threading.Lock()
        self._opened = False

    def _open(self) -> ConnectionPool:
        with self._lock:
            if not self._opened:
                self._pool.open(wait=False)
                self._opened = True
        return self._pool

    @contextmanager
    def _cursor(self) -> Iterator[psycopg.Cursor]:
        try:
            with self._open().connection() as connection, connection.cursor() as cursor:
                yield cursor
        except (PoolTimeout, psycopg.OperationalError) as error:
            raise MartsUnreachable(f"PostgreSQL is not reachable: {error}") from error
        except psycopg.errors.UndefinedTable as error:
            raise MartsUnavailable(f"no marts built in PostgreSQL: {error}") from error

    @contextmanager
    def publication(self) -> Iterator[PostgresPublication]:
        """The marts of one `repeatable read` transaction, read by every statement of one
        answer; raises MartsReplaced after them when the tables of schema `marts` were
        replaced meanwhile (a publication's schema swap, or dbt swapping in a model), which
        later statements would have read instead: a publication's tables may hold rows
        committed before the transaction began. Such reads can fail in any way (a page's call
        missing from the rows read for its keys), so a failure of the answer's own is a
        MartsReplaced too when the tables were replaced."""
        with self._cursor() as cursor:
            tables = _read(cursor, _MARTS_TABLES)

            def replaced() -> bool:
                return _read(cursor, _MARTS_TABLES) != tables

            try:
                yield PostgresPublication(cursor)
            except psycopg.Error:
                raise  # the transaction is aborted: nothing more can be read in it
            except Exception as error:
                if replaced():
                    raise MartsReplaced("the tables of schema marts were replaced") from error
                raise
            if replaced():
                raise MartsReplaced("the tables of schema marts were replaced")

    def built_at(self) -> datetime | None:
        """When dbt last built the marts without a failure (macro record_marts_built_at)."""
        with self._cursor() as cursor:
            return PostgresPublication(cursor).built_at()
