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

With PostgreSQL as the serving store of a DuckDB or Spark build (CALLSTATS_SERVING_STORE),
`publish_postgres` then copies the published file into PostgreSQL's schema `marts`, swapped in
within one transaction.
"""

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from uuid import uuid4

import duckdb
import psycopg

from callstats import keys, project
from callstats.warehouse import sql_literal

# PostgreSQL's type for each DuckDB type of the published marts (a list `T[]` is an array of
# T's); text columns compare by code point, as in DuckDB (metrics.md: as collate "C").
POSTGRES_TYPES = {
    "BIGINT": "bigint",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "DOUBLE": "double precision",
    "HUGEINT": "numeric",
    "INTEGER": "integer",
    "JSON": "json",
    "TIMESTAMP": "timestamp",
    "VARCHAR": "text",
}
# Rows per row group of the marts file (profiles.yml attaches it so too): a quarter of
# DuckDB's default, so that reading a window's edge hours, a page of errors or events, or a
# page's calls skips all but a finer range of rows (docs/decisions.md).
MARTS_ROW_GROUP_SIZE = 32768
# where publish_postgres fills the tables before they replace schema `marts`, and what the
# replaced schema is renamed to (with a unique suffix) until no query reads it
PUBLISHING_SCHEMA = "marts_publishing"
REPLACED_PREFIX = "marts_replaced_"


def published_path(warehouse: Path) -> Path:
    return warehouse.with_name(f"{warehouse.stem}-published.duckdb")


def building_path(warehouse: Path) -> Path:
    """The marts file dbt builds into (CALLSTATS_MARTS while `callstats build` runs)."""
    return warehouse.with_name(f"{warehouse.stem}-marts.duckdb")


def prepare(warehouse: Path, empty: bool = False) -> Path:
    """Start the marts file of a build as a copy of the published marts; with none published
    or `empty`, no file (a full refresh rebuilds every table: over a copy, the file would
    stay twice as large, half of it free blocks)."""
    building = building_path(warehouse)
    for leftover in (building, building.with_name(f"{building.name}.wal")):
        leftover.unlink(missing_ok=True)
    published = published_path(warehouse)
    if published.exists() and not empty:
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


def publish_parquet(warehouse: Path, schema: Path, files: Mapping[str, list[str]]) -> Path:
    """Publish marts stored as Parquet files (a Spark build's) as the published marts file.

    `schema` is the marts file of a DuckDB build: every table of its schema `marts` is
    published, with its columns and their DuckDB types. `files[table]` lists the Parquet files
    of a table (paths or URIs DuckDB reads), in the order of its rows. Each table is created in
    a new marts file (building_path) as `schema` has it and receives the files' rows in that
    order (a model's `order by` stays the physical order, as on DuckDB), cast to its column
    types; the file then replaces the published one. Raises duckdb.Error (a column missing
    from the files, a value that does not cast) with nothing published.
    """
    building, target = prepare(warehouse, empty=True), published_path(warehouse)
    settings = {
        **project.duckdb_settings(),
        "preserve_insertion_order": True,
        "temp_directory": f"{building}.tmp",
    }
    with duckdb.connect(config=settings) as connection:
        connection.execute("set TimeZone = 'UTC'")  # timestamps with a time zone cast in UTC
        connection.execute(
            f"attach {sql_literal(building)} as building (row_group_size {MARTS_ROW_GROUP_SIZE})"
        )
        connection.execute("use building")
        connection.execute(f"attach {sql_literal(schema)} as reference (read_only)")
        connection.execute("create schema marts")
        for table, columns in marts_columns(connection, "reference").items():
            names = ", ".join(f'"{name}"' for name, _ in columns)
            connection.execute(
                f'create table marts."{table}" as from reference.marts."{table}" limit 0'
            )
            if paths := files[table]:
                connection.execute(
                    f'insert into marts."{table}" select {names} from read_parquet(?)', [paths]
                )
        connection.execute("detach reference")
        connection.execute("use memory")
        connection.execute("detach building")
    os.replace(building, target)
    return target


def marts_columns(
    connection: duckdb.DuckDBPyConnection, database: str | None = None
) -> dict[str, list[tuple[str, str]]]:
    """Each table of schema `marts` in DuckDB's `database` (default: the connection's own),
    by name, with its columns' (name, DuckDB type) in order."""
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in connection.execute(
        "select table_name, column_name, data_type from duckdb_columns()"
        " where database_name = coalesce(?, current_database()) and schema_name = 'marts'"
        " order by table_name, column_index",
        [database],
    ).fetchall():
        columns.setdefault(table, []).append((column, data_type))
    return columns


def publish_postgres(marts: Path) -> None:
    """Publish a DuckDB marts file (what a DuckDB or Spark build publishes) into schema `marts`
    of the PostgreSQL database the PG* variables name, for API hosts and BI tools that share it.

    Every table of the file's schema `marts` is created in schema `marts_publishing` with
    PostgreSQL's types for its columns (POSTGRES_TYPES), receives the rows by `COPY` (written
    by DuckDB as CSV, in the file's order) and is analyzed. Then one transaction renames schema
    `marts` to `marts_replaced_<hex>` and `marts_publishing` to `marts`, and grants the marts'
    reader role (keys.READER_ROLE) what a PostgreSQL build grants it: renaming waits for
    no query, so readers see the old marts or the new ones and never wait. Replaced schemas are
    dropped once no query reads them (_drop_replaced), and with them any view on the old
    tables, as dbt drops them when it rebuilds a table. Publications into one database run one
    at a time (an advisory lock). Raises ValueError for a column type without a PostgreSQL
    type, psycopg.Error for the rest; either leaves `marts` as it was.
    """
    with (
        duckdb.connect(str(marts), read_only=True) as source,
        psycopg.connect("", autocommit=True) as target,
        tempfile.TemporaryDirectory(prefix="callstats-publish-") as scratch,
    ):
        source.execute("set enable_progress_bar = false")  # `callstats build` has its own
        # one publication at a time into a database: another waits here for this one
        target.execute("select pg_advisory_lock(hashtext(%s))", [PUBLISHING_SCHEMA])
        target.execute(f"drop schema if exists {PUBLISHING_SCHEMA} cascade")
        target.execute(f"create schema {PUBLISHING_SCHEMA}")
        rows = Path(scratch) / "rows.csv"
        for table, table_columns in marts_columns(source).items():
            relation = f'{PUBLISHING_SCHEMA}."{table}"'
            definitions = ", ".join(
                f'"{name}" {_postgres_type(kind)}' for name, kind in table_columns
            )
            target.execute(f"create table {relation} ({definitions})")
            values = ", ".join(_postgres_text(name, kind) for name, kind in table_columns)
            source.execute(
                f'copy (select {values} from marts."{table}") to {sql_literal(rows)}'
                " (format csv, header false)"
            )
            with (
                target.cursor().copy(f"copy {relation} from stdin (format csv)") as copy,
                rows.open("rb") as written,
            ):
                while chunk := written.read(1 << 20):
                    copy.write(chunk)
            target.execute(f"analyze {relation}")
        with target.transaction():
            if target.execute("select to_regnamespace('marts')").fetchone()[0] is not None:
                target.execute(f"alter schema marts rename to {REPLACED_PREFIX}{uuid4().hex}")
            target.execute(f"alter schema {PUBLISHING_SCHEMA} rename to marts")
            keys.create_reader_role(target)
            target.execute(f"grant usage on schema marts to {keys.READER_ROLE}")
            target.execute(f"grant select on all tables in schema marts to {keys.READER_ROLE}")
        _drop_replaced(target)


def _drop_replaced(target: psycopg.Connection) -> None:
    """Drop the schemas publications replaced, each unless a query still reads it (holds a
    lock for more than 10 s): that one is dropped by a later publication. Autovacuum, which
    vacuums freshly filled tables, gives its lock up to a waiting drop after PostgreSQL's
    `deadlock_timeout` (1 s); no API request waits, as every one reads the new schema."""
    replaced = target.execute(
        "select nspname from pg_namespace where starts_with(nspname, %s)", [REPLACED_PREFIX]
    ).fetchall()
    for (schema,) in replaced:
        try:
            with target.transaction():
                target.execute("set local lock_timeout = '10s'")
                target.execute(f'drop schema "{schema}" cascade')
        except psycopg.errors.LockNotAvailable:
            continue


def _postgres_type(duckdb_type: str) -> str:
    """PostgreSQL's type for a DuckDB column type of the marts (text collated "C")."""
    element = duckdb_type.removesuffix("[]")
    if element not in POSTGRES_TYPES:
        raise ValueError(f"no PostgreSQL type for the marts' DuckDB type {duckdb_type}")
    if element != duckdb_type:
        return f"{POSTGRES_TYPES[element]}[]"
    return 'text collate "C"' if element == "VARCHAR" else POSTGRES_TYPES[element]


def _postgres_text(column: str, duckdb_type: str) -> str:
    """The column as DuckDB's CSV writes what PostgreSQL's `COPY` reads: a list as an array
    literal of quoted elements, anything else as it is."""
    if not duckdb_type.endswith("[]"):
        return f'"{column}"'
    element = """coalesce('"' || cast(x as varchar) || '"', 'NULL')"""
    elements = f"""array_to_string(list_transform("{column}", lambda x: {element}), ',')"""
    return f"'{{' || {elements} || '}}' as \"{column}\""
