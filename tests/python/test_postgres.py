"""The same raw rows built by dbt on PostgreSQL give the same marts as on DuckDB, and BI
tools get a role that reads the marts and nothing else."""

import psycopg2
import pytest
from postgres import assert_same_marts, libpq
from warehouses import run_dbt


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


def test_the_calls_fact_is_planned_without_nested_loops(postgres_warehouse, tmp_path):
    """fct_calls' transaction starts with its pre-hooks, hash_joins_only among them: in it,
    PostgreSQL plans fct_calls without the nested loops it chooses otherwise, which at 30,000
    calls kept the build from finishing (docs/decisions.md)."""

    def compiled(*selection: str) -> str:
        env = {**postgres_warehouse, "CALLSTATS_TARGET": "postgres"}
        warehouse = tmp_path / "callstats.duckdb"
        return run_dbt("compile", "--quiet", *selection, warehouse=warehouse, env=env).stdout

    def plan(*statements: str) -> str:
        """fct_calls' plan in a transaction that first runs `statements`."""
        with (
            psycopg2.connect(**libpq(postgres_warehouse)) as connection,
            connection.cursor() as cursor,
        ):
            for statement in statements:
                cursor.execute(statement)
            cursor.execute(f"explain {query}")
            return "\n".join(line for (line,) in cursor.fetchall())

    hook = compiled("--inline", "{{ hash_joins_only() }}").strip()
    query = compiled("--select", "fct_calls")
    assert hook == "set local enable_nestloop = off"
    assert "Nested Loop" in plan()
    assert "Nested Loop" not in plan(hook)
