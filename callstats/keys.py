"""API tokens: created here, stored only as hashes, each with one scope (api.md).

Where they are kept follows the target (cli.md): on DuckDB a small SQLite file beside the
warehouse (`SqliteKeyStore`); on PostgreSQL the table `callstats_keys.api_keys` in the
warehouse (`PostgresKeyStore`), so every API host reading that database shares them.
"""

import hashlib
import os
import secrets
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg

SCOPE_KINDS = ("org", "reseller", "all")
# The PostgreSQL role that reads the marts (dbt var `reader_role`): it may read the key hashes
# too, so the API's login needs no other grant.
READER_ROLE = "callstats_reader"
# Connection attempts to PostgreSQL give up after this many seconds.
CONNECT_TIMEOUT_S = 5


def create_reader_role(connection: psycopg.Connection) -> None:
    """Create READER_ROLE (no login) where no build, key store or publication made it yet."""
    connection.execute(
        "do $$ begin"
        f" if not exists (select from pg_roles where rolname = '{READER_ROLE}') then"
        f" create role {READER_ROLE} nologin; end if; end $$"
    )


@dataclass(frozen=True)
class Scope:
    """What a token may see: one org, the orgs of one reseller, or everything."""

    kind: str
    value: str | None = None


@dataclass(frozen=True)
class Key:
    key_id: str
    name: str | None
    scope: Scope
    created_at: str
    revoked_at: str | None


class KeysUnavailable(Exception):
    """The key store cannot be reached (PostgreSQL down or refusing the login)."""


def keys_path(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}-keys.sqlite3")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class KeyStore(ABC):
    """Tokens in a table `api_keys` (key_id, name, scope_kind, scope_value, token_sha256,
    created_at and revoked_at as ISO 8601 UTC text). They outlive rebuilds, and the API reads
    them on every request, so a revocation takes effect at once."""

    table = "api_keys"

    @abstractmethod
    def _execute(
        self, sql: str, parameters: Sequence = (), write: bool = False
    ) -> tuple[list[tuple], int]:
        """Run one statement (`?` placeholders) in its own transaction: the rows it answers
        and the count of rows it changed. A write creates the table where it is missing; a
        read of a missing table answers no rows."""

    def create(self, scope: Scope, name: str | None = None) -> tuple[Key, str]:
        """A new key and its token (`cs_` + 43 URL-safe characters), shown only here."""
        token = f"cs_{secrets.token_urlsafe(32)}"
        key = Key(secrets.token_hex(6), name, scope, _now(), None)
        self._execute(
            f"insert into {self.table} values (?, ?, ?, ?, ?, ?, null)",
            (key.key_id, name, scope.kind, scope.value, _digest(token), key.created_at),
            write=True,
        )
        return key, token

    def list(self) -> list[Key]:
        rows, _ = self._execute(
            "select key_id, name, scope_kind, scope_value, created_at, revoked_at "
            f"from {self.table} order by created_at, key_id"
        )
        return [Key(row[0], row[1], Scope(row[2], row[3]), row[4], row[5]) for row in rows]

    def revoke(self, key_id: str) -> bool:
        """Whether an active key `key_id` was revoked."""
        _, changed = self._execute(
            f"update {self.table} set revoked_at = ? where key_id = ? and revoked_at is null",
            (_now(), key_id),
            write=True,
        )
        return changed == 1

    def scope_of(self, token: str) -> Scope | None:
        """The scope of a valid token; None for an unknown or revoked one."""
        rows, _ = self._execute(
            f"select scope_kind, scope_value from {self.table} "
            "where token_sha256 = ? and revoked_at is null",
            (_digest(token),),
        )
        return Scope(*rows[0]) if rows else None

    @abstractmethod
    def close(self) -> None:
        """Release what the store holds open."""


_COLUMNS = (
    "key_id text primary key, name text, scope_kind text not null, scope_value text,"
    " token_sha256 text not null unique, created_at text not null, revoked_at text"
)


class SqliteKeyStore(KeyStore):
    """The keys of a DuckDB warehouse, in the SQLite file `path` (keys_path), through one kept
    connection: opened on first use, and again when the file at `path` is another one (its
    inode); `close()` ends it. Opening it creates the file and its table where missing."""

    def __init__(self, path: Path):
        self._path = path
        self._connection: sqlite3.Connection | None = None
        self._inode: int | None = None
        self._lock = threading.Lock()

    def _inode_at_path(self) -> int | None:
        try:
            return os.stat(self._path).st_ino
        except FileNotFoundError:
            return None

    def _connected(self) -> sqlite3.Connection:
        inode = self._inode_at_path()
        if self._connection is None or inode != self._inode:
            self.close()
            self._path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self._path, check_same_thread=False)
            with connection:
                connection.execute(f"create table if not exists {self.table} ({_COLUMNS})")
            self._connection, self._inode = connection, self._inode_at_path()
        return self._connection

    def _execute(
        self, sql: str, parameters: Sequence = (), write: bool = False
    ) -> tuple[list[tuple], int]:
        with self._lock, self._connected() as connection:
            cursor = connection.execute(sql, parameters)
            return cursor.fetchall(), cursor.rowcount

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class PostgresKeyStore(KeyStore):
    """The keys of a PostgreSQL warehouse, in `callstats_keys.api_keys`, through one kept
    connection (psycopg keywords; opened on first use, `close()` ends it). Creating the table
    also lets READER_ROLE read it. Raises KeysUnavailable when PostgreSQL is not reachable or
    refuses the statement."""

    table = "callstats_keys.api_keys"

    def __init__(self, connection: Mapping[str, str]):
        self._keywords = {**connection, "connect_timeout": CONNECT_TIMEOUT_S, "autocommit": True}
        self._connection: psycopg.Connection | None = None
        self._lock = threading.Lock()

    def _create_table(self, connection: psycopg.Connection) -> None:
        with connection.transaction():
            connection.execute("create schema if not exists callstats_keys")
            connection.execute(f"create table if not exists {self.table} ({_COLUMNS})")
            create_reader_role(connection)
            connection.execute(f"grant usage on schema callstats_keys to {READER_ROLE}")
            connection.execute(f"grant select on {self.table} to {READER_ROLE}")

    def _run(self, sql: str, parameters: Sequence, write: bool) -> tuple[list[tuple], int]:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(**self._keywords)
        if write:
            self._create_table(self._connection)
        cursor = self._connection.execute(sql.replace("?", "%s"), list(parameters))
        return (cursor.fetchall() if cursor.description else []), cursor.rowcount

    def _execute(
        self, sql: str, parameters: Sequence = (), write: bool = False
    ) -> tuple[list[tuple], int]:
        with self._lock:
            kept = self._connection is not None and not self._connection.closed
            try:
                try:
                    return self._run(sql, parameters, write)
                except psycopg.OperationalError:
                    self.close()
                    if not kept:
                        raise
                    # the server closed the kept connection (a restart): once more, anew
                    return self._run(sql, parameters, write)
            except psycopg.errors.UndefinedTable:
                return [], 0
            except psycopg.OperationalError as error:
                self.close()
                raise KeysUnavailable(f"PostgreSQL is not reachable: {_one_line(error)}") from error
            except psycopg.Error as error:
                raise KeysUnavailable(f"PostgreSQL refused: {_one_line(error)}") from error

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
