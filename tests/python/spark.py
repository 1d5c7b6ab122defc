"""Spark for the tests: a DuckDB warehouse's raw rows copied into the `spark` target's
catalog (Parquet tables beside the warehouse), and its marts compared with DuckDB's."""

from pathlib import Path

import duckdb
from warehouses import BUILD_RECORDS, assert_same_rows, comparable_rows

from callstats.publish import published_path
from callstats.raw_schema import PLATFORM_TABLES, PLATFORMS, declared_tables
from callstats.warehouse import SparkTarget


def copy_raw_tables(duckdb_warehouse: Path, session) -> None:
    """Fill Spark's raw tables (and the landing tables DuckDB has) with the rows of a DuckDB
    warehouse's, every column, loaded_at included, as an EL tool would."""
    with duckdb.connect(str(duckdb_warehouse), read_only=True) as source:
        present = {
            f"{schema}.{table}"
            for schema, table in source.execute(
                "select table_schema, table_name from information_schema.tables"
            ).fetchall()
        }
        target = SparkTarget(session, source)
        tables = declared_tables()
        for platform in PLATFORMS:
            if PLATFORM_TABLES[platform][0] in present:
                target.ensure_tables(platform)
                tables.update([PLATFORM_TABLES[platform]])
        target.ensure_tables()
        for table, columns in tables.items():
            if table in present:
                target.append(source, f"select * from {table}", table, list(columns))


def assert_same_marts(duckdb_warehouse: Path, session) -> None:
    """Every marts table a DuckDB warehouse published and Spark's hold the same rows (floats
    within 1e-9 relative, json as parsed values)."""
    with duckdb.connect(str(published_path(duckdb_warehouse)), read_only=True) as duck:
        tables = duck.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
            f" and table_type = 'BASE TABLE' and table_name not in ({BUILD_RECORDS}) order by 1"
        ).fetchall()
        assert len(tables) >= 20
        for (table,) in tables:
            columns = [
                column
                for (column,) in duck.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
            ]
            expected = comparable_rows(
                duck.execute(f"select {', '.join(columns)} from marts.{table}").fetchall()
            )
            names = ", ".join(f"`{column}`" for column in columns)
            built = comparable_rows(session.sql(f"select {names} from marts.{table}").collect())
            assert_same_rows(built, expected, table)
