"""The same raw rows built by dbt on PostgreSQL give the same marts as on DuckDB, and BI
tools get a role that reads the marts and nothing else."""

import datetime
import decimal
import json

import duckdb
import psycopg2
import pytest
from postgres import libpq
from warehouses import assert_same_rows


def _comparable(value):
    """One form per value across engines: json as parsed values, numbers as floats."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, str) and value.startswith(("{", "[")):
        return json.dumps(json.loads(value), sort_keys=True)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def _rows(cursor, table: str, columns: list[str]) -> list[tuple]:
    names = ", ".join(f'"{column}"' for column in columns)
    cursor.execute(f"select {names} from marts.{table}")
    rows = [tuple(_comparable(value) for value in row) for row in cursor.fetchall()]
    return sorted(rows, key=lambda row: [(value is None, str(value)) for value in row])


def test_marts_are_identical_on_duckdb_and_postgresql(fixture_warehouse, postgres_warehouse):
    with duckdb.connect(str(fixture_warehouse)) as duck:
        tables = duck.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
        assert len(tables) >= 20
        with psycopg2.connect(**libpq(postgres_warehouse)) as pg, pg.cursor() as cursor:
            for (table,) in tables:
                columns = [
                    column
                    for (column,) in duck.execute(
                        "select column_name from information_schema.columns "
                        "where table_schema = 'marts' and table_name = ? "
                        "order by ordinal_position",
                        [table],
                    ).fetchall()
                ]
                on_duckdb = _rows(duck.cursor(), table, columns)
                assert_same_rows(_rows(cursor, table, columns), on_duckdb, table)


def test_the_reader_role_reads_the_marts_but_not_raw_or_staging(postgres_warehouse):
    with psycopg2.connect(**libpq(postgres_warehouse)) as admin, admin.cursor() as cursor:
        cursor.execute("create role bi_tool login in role callstats_reader")
    reader = {**libpq(postgres_warehouse), "user": "bi_tool"}
    with psycopg2.connect(**reader) as connection, connection.cursor() as cursor:
        cursor.execute("select count(*) from marts.fct_calls")
        assert cursor.fetchone() == (6,)
    for table in ("raw.calls", "raw.call_turns", "staging.stg_raw__calls"):
        with (
            psycopg2.connect(**reader) as connection,
            connection.cursor() as cursor,
            pytest.raises(psycopg2.errors.InsufficientPrivilege),
        ):
            cursor.execute(f"select count(*) from {table}")
