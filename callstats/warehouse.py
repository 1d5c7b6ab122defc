"""Connections to the warehouse that holds the raw tables and the marts."""

import duckdb

from callstats import project
from callstats.raw_schema import create_table_statements


def connect() -> duckdb.DuckDBPyConnection:
    """Open the DuckDB warehouse file for writing, creating its folder when missing."""
    path = project.warehouse_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(path))


def ensure_raw_tables(connection: duckdb.DuckDBPyConnection) -> None:
    for statement in create_table_statements("duckdb"):
        connection.execute(statement)


def has_calls(connection: duckdb.DuckDBPyConnection) -> bool:
    return connection.execute("select exists (select 1 from raw.calls)").fetchone()[0]
