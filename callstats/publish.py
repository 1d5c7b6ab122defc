"""Publish the built marts to the API: a copy in a new file, swapped in atomically.

The API only ever opens the published file, read-only, so dbt never waits for its lock; a
rebuild writes a new file and `os.replace` puts it in place in one step. Workers notice the new
file (its inode changes) and open it for their next request.
"""

import os
import uuid
from pathlib import Path

import duckdb

MARTS_SCHEMA = "marts"


def published_path(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}-published.duckdb")


def publish(warehouse: Path) -> Path:
    """Copy every marts table of the warehouse into a new file, then swap it into place."""
    target = published_path(warehouse)
    staging = target.with_name(f".{target.stem}-{uuid.uuid4().hex}.duckdb")
    try:
        # The warehouse is opened with default settings: in the process that just ran dbt,
        # this shares dbt's own database instance instead of conflicting with it.
        with duckdb.connect(str(warehouse)) as connection:
            tables = connection.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = current_database() and table_schema = ? "
                "and table_type = 'BASE TABLE' order by 1",
                [MARTS_SCHEMA],
            ).fetchall()
            connection.execute(f"attach '{_quoted(staging)}' as publication")
            connection.execute(f"create schema publication.{MARTS_SCHEMA}")
            for (table,) in tables:
                connection.execute(
                    f'create table publication.{MARTS_SCHEMA}."{table}" as '
                    f'select * from {MARTS_SCHEMA}."{table}"'
                )
            connection.execute(
                "create table publication.main.publication as "
                "select cast(now() at time zone 'UTC' as timestamp) as marts_built_at"
            )
            connection.execute("detach publication")
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    return target


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
