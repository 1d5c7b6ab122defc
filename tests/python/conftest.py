"""Warehouses built by the real `callstats` command and dbt, shared by the tests."""

from pathlib import Path

import pytest
from warehouses import FIXTURE_NOW, FIXTURES, Query, query_function, run_callstats


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written raw rows of fixtures/raw, loaded and built."""
    warehouse = tmp_path_factory.mktemp("fixture") / "callstats.duckdb"
    files = sorted(str(path) for path in (FIXTURES / "raw").glob("*.jsonl"))
    loaded = run_callstats("load", *files, warehouse=warehouse, now=FIXTURE_NOW, check=False)
    assert loaded.returncode == 1, loaded.stderr  # tool_calls.jsonl line 5 is not JSON
    run_callstats("build", warehouse=warehouse, now=FIXTURE_NOW)
    return warehouse


@pytest.fixture(scope="session")
def query(fixture_warehouse: Path) -> Query:
    return query_function(fixture_warehouse)
