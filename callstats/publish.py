"""Publish the built marts to the API: their database file, swapped in atomically.

On DuckDB dbt builds the marts into a database file of their own (profiles.yml attaches
`CALLSTATS_MARTS`). `callstats build` starts that file as a copy of the published marts, so an
incremental build only applies the run's changes, then `os.replace`s it over the published
file in one step. The API only ever opens the published file, read-only, so dbt never waits for
its lock; workers notice the new file (its inode changes) and open it for their next request.
A failed build leaves the published file as it was.

On Spark dbt builds the marts as Parquet tables of Spark's catalog; `publish_parquet` writes
them into a new marts file, in the tables, columns and DuckDB types a DuckDB build has, and
swaps that in the same way (docs/decisions.md, Apache Spark).
"""

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from callstats import project


def published_path(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}-published.duckdb")


def building_path(warehouse: Path) -> Path:
    """The marts file dbt builds into (CALLSTATS_MARTS while `callstats build` runs)."""
    return warehouse.with_name(f"{warehouse.stem}-marts.duckdb")


def prepare(warehouse: Path) -> Path:
    """Start the marts file of a build as a copy of the published marts (none: empty)."""
    building = building_path(warehouse)
    for leftover in (building, building.with_name(f"{building.name}.wal")):
        leftover.unlink(missing_ok=True)
    published = published_path(warehouse)
    if published.exists():
        shutil.copyfile(published, building)
    return building


def publish(warehouse: Path) -> Path:
    """Swap the built marts file in as the published one.

    In the process that ran dbt, dbt's DuckDB instance still has the marts file attached:
    connecting to the warehouse with default settings shares that instance, and detaching
    writes any write-ahead log into the file and closes it, so what moves is complete.
    """
    building, target = building_path(warehouse), published_path(warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        attached = connection.execute(
            "select database_name from duckdb_databases() where path = ?", [str(building)]
        ).fetchall()
        for (name,) in attached:
            connection.execute(f'detach "{name}"')
    duckdb.connect(str(building)).close()
    os.replace(building, target)
    return target


def publish_parquet(warehouse: Path, schema: Path, files: Callable[[str], list[str]]) -> Path:
    """Publish marts stored as Parquet files (a Spark build's) as the published marts file.

    `schema` is the marts file of a DuckDB build: every table of its schema `marts` is
    published, with its columns and their DuckDB types. `files(table)` lists the Parquet files
    of a table, in the order of its rows. Each table is created in a new marts file
    (building_path) as `schema` has it and receives the files' rows in that order (a model's
    `order by` stays the physical order, as on DuckDB), cast to its column types; the file then
    replaces the published one. Raises duckdb.Error (a column missing from the files, a value
    that does not cast) with nothing published.
    """
    building, target = building_path(warehouse), published_path(warehouse)
    for leftover in (building, building.with_name(f"{building.name}.wal")):
        leftover.unlink(missing_ok=True)
    settings = {**project.duckdb_settings(), "preserve_insertion_order": True}
    with duckdb.connect(str(building), config=settings) as connection:
        connection.execute("set TimeZone = 'UTC'")  # timestamps with a time zone cast in UTC
        connection.execute(f"attach {_literal(schema)} as reference (read_only)")
        connection.execute("create schema marts")
        tables = connection.execute(
            "select table_name from duckdb_tables()"
            " where database_name = 'reference' and schema_name = 'marts' order by table_name"
        ).fetchall()
        for (table,) in tables:
            columns = connection.execute(
                "select column_name from duckdb_columns() where database_name = 'reference'"
                " and schema_name = 'marts' and table_name = ? order by column_index",
                [table],
            ).fetchall()
            names = ", ".join(f'"{name}"' for (name,) in columns)
            connection.execute(
                f'create table marts."{table}" as from reference.marts."{table}" limit 0'
            )
            if paths := files(table):
                connection.execute(
                    f'insert into marts."{table}" select {names} from read_parquet(?)', [paths]
                )
        connection.execute("detach reference")
    os.replace(building, target)
    return target


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"
