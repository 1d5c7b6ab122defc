"""Connections to the warehouse that holds the raw tables and the marts.

DuckDB does the work of `callstats load` and `callstats generate` (parsing files, making
rows) in a DuckDB connection: the warehouse file on the `duckdb` target, an in-memory
database on `postgres` and `spark`. A `RawTarget` is where the rows then land: the same DuckDB
file, PostgreSQL through a bulk `COPY` of a CSV export, or Spark's catalog tables (Parquet)
through a Parquet export.
"""

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb

from callstats import project
from callstats.raw_schema import (
    PLATFORM_TABLES,
    PLATFORMS,
    RAW_SCHEMA,
    create_table_statements,
    declared_tables,
    engine_type,
)

COPY_CHUNK_BYTES = 1 << 20


def sql_literal(text: str | Path) -> str:
    """`text` (a path, a name) as a SQL string literal, its quotes doubled: for the statements
    that take no parameters (ATTACH, COPY, and the names in a query's text)."""
    return "'" + str(text).replace("'", "''") + "'"


def connect() -> duckdb.DuckDBPyConnection:
    """Open the DuckDB warehouse file for writing, creating its folder when missing."""
    path = project.warehouse_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path), config=project.duckdb_settings())


def ensure_raw_tables(connection: duckdb.DuckDBPyConnection, platform: str | None = None) -> None:
    for statement in create_table_statements("duckdb", platform):
        connection.execute(statement)


def has_rows(connection, table: str) -> bool:
    """Whether `table` holds a row, on a DuckDB or a psycopg connection."""
    return connection.execute(f"select exists (select 1 from {table})").fetchone()[0]


def _newest_loaded_at_sql(tables: list[str]) -> str:
    return (
        " union all ".join(f"select max(loaded_at) from {RAW_SCHEMA}.{table}" for table in tables)
        + " order by 1 desc nulls last limit 1"
    )


class RawTarget:
    """The raw tables rows land in. `work` is the DuckDB connection that makes the rows.

    `local` is true when `work` is the warehouse itself: rows made in its raw tables have
    landed already.
    """

    local: bool
    work: duckdb.DuckDBPyConnection

    def ensure_tables(self, platform: str | None = None) -> None:
        """Create the raw tables (and `platform`'s landing table) where missing."""
        raise NotImplementedError

    def has_rows(self, table: str) -> bool:
        """Whether `table` (schema-qualified, existing) holds a row."""
        raise NotImplementedError

    def newest_loaded_at(self, tables: list[str]) -> datetime | None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield

    def append(
        self, source: duckdb.DuckDBPyConnection, query: str, table: str, columns: list[str]
    ) -> None:
        """Append the rows of a DuckDB `query` on `source` to `table` (schema-qualified)."""
        raise NotImplementedError


class DuckDBTarget(RawTarget):
    local = True

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.work = connection

    def ensure_tables(self, platform: str | None = None) -> None:
        ensure_raw_tables(self.work, platform)

    def has_rows(self, table: str) -> bool:
        return has_rows(self.work, table)

    def newest_loaded_at(self, tables: list[str]) -> datetime | None:
        return self.work.execute(_newest_loaded_at_sql(tables)).fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.work.begin()
        try:
            yield
            self.work.commit()
        except BaseException:
            self.work.rollback()
            raise

    def append(
        self, source: duckdb.DuckDBPyConnection, query: str, table: str, columns: list[str]
    ) -> None:
        names = ", ".join(columns)
        source.execute(f"insert into {table} ({names}) select {names} from ({query})")


class PostgresTarget(RawTarget):
    """PostgreSQL's raw tables, connected from the PG* environment (libpq defaults)."""

    local = False

    def __init__(self, connection, work: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection
        self.work = work

    def ensure_tables(self, platform: str | None = None) -> None:
        with self.connection.transaction():
            for statement in create_table_statements("postgres", platform):
                self.connection.execute(statement)

    def has_rows(self, table: str) -> bool:
        return has_rows(self.connection, table)

    def newest_loaded_at(self, tables: list[str]) -> datetime | None:
        return self.connection.execute(_newest_loaded_at_sql(tables)).fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.connection.transaction():
            yield

    def append(
        self, source: duckdb.DuckDBPyConnection, query: str, table: str, columns: list[str]
    ) -> None:
        """Export to CSV (NULL an empty unquoted field, '' a quoted one: PostgreSQL's CSV COPY
        reads them the same way), then COPY it in."""
        names = ", ".join(columns)
        with tempfile.TemporaryDirectory(prefix="callstats-copy-") as scratch:
            export = Path(scratch) / "rows.csv"
            source.execute(
                f"copy (select {names} from ({query})) to {sql_literal(export)}"
                " (format csv, header false)"
            )
            with (
                self.connection.cursor() as cursor,
                cursor.copy(f"copy {table} ({names}) from stdin (format csv)") as copy,
                export.open("rb") as rows,
            ):
                while data := rows.read(COPY_CHUNK_BYTES):
                    copy.write(data)


class SparkTarget(RawTarget):
    """Spark's raw tables: Parquet tables of the catalog the `spark` target builds from
    (profiles.yml), written through a local Spark session. Spark has no transactions: a file
    that fails half-way may leave its first table's rows."""

    local = False

    def __init__(self, session, work: duckdb.DuckDBPyConnection) -> None:
        self.session = session
        self.work = work

    def ensure_tables(self, platform: str | None = None) -> None:
        """Create the tables where missing, and add the columns an older table lacks."""
        for statement in create_table_statements("spark", platform):
            self.session.sql(statement)
        for table, columns in declared_tables(platform).items():
            present = {name.lower() for name in self.session.table(table).columns}
            missing = [
                f"{column} {engine_type('spark', kind)}"
                for column, kind in columns.items()
                if column not in present
            ]
            if missing:
                self.session.sql(f"alter table {table} add columns ({', '.join(missing)})")

    def has_rows(self, table: str) -> bool:
        return bool(self.session.sql(f"select 1 from {table} limit 1").collect())

    def newest_loaded_at(self, tables: list[str]) -> datetime | None:
        return self.session.sql(_newest_loaded_at_sql(tables)).collect()[0][0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        yield

    def append(
        self, source: duckdb.DuckDBPyConnection, query: str, table: str, columns: list[str]
    ) -> None:
        """Export to Parquet, then insert its rows, cast to the table's columns (null for
        the columns not named)."""
        from pyspark.sql.functions import lit

        names = ", ".join(columns)
        with tempfile.TemporaryDirectory(prefix="callstats-copy-") as scratch:
            export = Path(scratch) / "rows.parquet"
            source.execute(
                f"copy (select {names} from ({query})) to {sql_literal(export)} (format parquet)"
            )
            rows = self.session.read.parquet(str(export))
            named = {column.strip('"') for column in columns}
            rows.select(
                *(
                    (rows[field.name] if field.name in named else lit(None))
                    .cast(field.dataType)
                    .alias(field.name)
                    for field in self.session.table(table).schema
                )
            ).write.insertInto(table)


def copy_raw_tables(
    source: duckdb.DuckDBPyConnection, target: RawTarget, after: datetime | None = None
) -> None:
    """Append the rows of a DuckDB warehouse's raw tables (and of the landing tables it has) to
    the target's, as an EL tool would: every column the source has, loaded_at included (the
    others null); only the rows loaded after `after` when given."""
    present: dict[str, set[str]] = {}
    for schema, table, column in source.execute(
        "select table_schema, table_name, column_name from information_schema.columns"
    ).fetchall():
        present.setdefault(f"{schema}.{table}", set()).add(column)
    tables = declared_tables()
    for platform in PLATFORMS:
        if PLATFORM_TABLES[platform][0] in present:
            target.ensure_tables(platform)
            tables.update([PLATFORM_TABLES[platform]])
    target.ensure_tables()
    since = "" if after is None else f" where loaded_at > timestamp '{after.isoformat(' ')}'"
    for table, columns in tables.items():
        if table in present:
            copied = [column for column in columns if column in present[table]]
            target.append(source, f"select * from {table}{since}", table, copied)


def spark_session():
    """A local Spark session on the `spark` target's catalog (project.spark_settings())."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in project.spark_settings().items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


@contextmanager
def raw_target() -> Iterator[RawTarget]:
    """The configured target's raw tables (CALLSTATS_TARGET), with its DuckDB connection."""
    if project.target() == "duckdb":
        with connect() as connection:
            yield DuckDBTarget(connection)
        return
    if project.target() == "spark":
        with duckdb.connect(":memory:", config=project.duckdb_settings()) as work:
            session = spark_session()
            try:
                yield SparkTarget(session, work)
            finally:
                session.stop()
        return
    import psycopg

    with (
        duckdb.connect(":memory:", config=project.duckdb_settings()) as work,
        psycopg.connect("", autocommit=True) as connection,
    ):
        yield PostgresTarget(connection, work)
