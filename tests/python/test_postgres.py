"""The same raw rows built by dbt on PostgreSQL give the same marts as on DuckDB, and BI
tools get a role that reads the marts and nothing else."""

import psycopg2
import pytest
from postgres import assert_same_marts, libpq


def test_marts_are_identical_on_duckdb_and_postgresql(fixture_warehouse, postgres_warehouse):
    assert_same_marts(fixture_warehouse, postgres_warehouse)


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
