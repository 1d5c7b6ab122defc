"""API tokens: created here, stored only as hashes, each with one scope (api.md)."""

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCOPE_KINDS = ("org", "reseller", "all")


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


def keys_path(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}-keys.sqlite3")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class KeyStore:
    """Tokens in a small SQLite file beside the warehouse: they outlive rebuilds, and the API
    reads them on every request so a revocation takes effect at once."""

    def __init__(self, path: Path):
        self._path = path

    def _connect(self) -> sqlite3.Connection:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self._path)
        connection.execute(
            "create table if not exists api_keys ("
            " key_id text primary key, name text, scope_kind text not null, scope_value text,"
            " token_sha256 text not null unique, created_at text not null, revoked_at text)"
        )
        return connection

    def create(self, scope: Scope, name: str | None = None) -> tuple[Key, str]:
        token = f"cs_{secrets.token_urlsafe(32)}"
        key = Key(
            key_id=secrets.token_hex(6),
            name=name,
            scope=scope,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            revoked_at=None,
        )
        with self._connect() as connection:
            connection.execute(
                "insert into api_keys values (?, ?, ?, ?, ?, ?, null)",
                (key.key_id, name, scope.kind, scope.value, _digest(token), key.created_at),
            )
        return key, token

    def list(self) -> list[Key]:
        with self._connect() as connection:
            rows = connection.execute(
                "select key_id, name, scope_kind, scope_value, created_at, revoked_at "
                "from api_keys order by created_at, key_id"
            ).fetchall()
        return [Key(row[0], row[1], Scope(row[2], row[3]), row[4], row[5]) for row in rows]

    def revoke(self, key_id: str) -> bool:
        with self._connect() as connection:
            revoked = connection.execute(
                "update api_keys set revoked_at = ? where key_id = ? and revoked_at is null",
                (datetime.now(UTC).isoformat(timespec="seconds"), key_id),
            )
        return revoked.rowcount == 1

    def scope_of(self, token: str) -> Scope | None:
        """The scope of a valid token; None for an unknown or revoked one."""
        with self._connect() as connection:
            row = connection.execute(
                "select scope_kind, scope_value from api_keys "
                "where token_sha256 = ? and revoked_at is null",
                (_digest(token),),
            ).fetchone()
        return Scope(row[0], row[1]) if row else None
