"""`dbt source freshness` (README, Your own data) on the raw tables."""

import json

import duckdb
import pytest
from warehouses import copy_warehouse, run_dbt

pytestmark = pytest.mark.slow(cpu_s=10)


def test_rows_stamped_past_any_clock_do_not_make_a_table_fresh(fixture_warehouse, tmp_path):
    """Rows loaded at infinity and at DuckDB's last instant (past Python's datetimes) neither
    make raw.calls look fresh nor stop the check: its newest row is the fixture's, loaded at
    2026-03-02 12:00, long stale."""
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    with duckdb.connect(str(warehouse)) as connection:
        for loaded_at in ("infinity", "294247-01-10 04:00:54.775806"):
            connection.execute(
                "insert into raw.calls by name"
                " select * replace (cast($loaded_at as timestamp) as loaded_at) from raw.calls"
                " where call_id is not null order by call_id limit 1",
                {"loaded_at": loaded_at},
            )
    output = tmp_path / "sources.json"
    run_dbt(
        "source",
        "freshness",
        "--select",
        "source:callstats.raw.calls",
        "--output",
        str(output),
        warehouse=warehouse,
        check=False,
    )

    [result] = json.loads(output.read_text())["results"]
    assert (result["max_loaded_at"], result["status"]) == ("2026-03-02T12:00:00+00:00", "error")
