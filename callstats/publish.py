"""Publish the built marts to the API: their database file, swapped in atomically.

On DuckDB dbt builds the marts into a database file of their own (profiles.yml attaches
`CALLSTATS_MARTS`). `callstats build` starts that file as a copy of the published marts, so an
incremental build only applies the run's changes, then `os.replace`s it over the published
file in one step. The API only ever opens the published file, read-only, so dbt never waits for
its lock; workers notice the new file (its inode changes) and open it for their next request.
A failed build leaves the published file as it was.
"""

import os
import shutil
from pathlib import Path

import duckdb


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
