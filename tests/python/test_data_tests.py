"""The data tests of big tables check what the run rebuilt (macro in_change_set): every row
after a first complete build, the change set's rows after another."""

import duckdb
import pytest
from warehouses import copy_warehouse, run_dbt, run_results

from callstats.publish import published_path

pytestmark = pytest.mark.slow(cpu_s=30)

UNIQUE_CALLS = "unique_combination_of_columns_fct_calls_call_id__call_id"


def _with_a_repeated_call(warehouse) -> str:
    """One call twice in fct_calls, as a faulty model could leave it: its call_id."""
    with duckdb.connect(str(published_path(warehouse))) as connection:
        [(call_id,)] = connection.execute("select min(call_id) from marts.fct_calls").fetchall()
        connection.execute(
            "insert into marts.fct_calls select * from marts.fct_calls where call_id = ?",
            [call_id],
        )
    return call_id


def _change_set(warehouse, sql: str, call_id: str | None = None) -> None:
    """Run `sql` on the change set of the last build (the calls it rebuilt)."""
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(
            sql.format(change_set="intermediate.int_calls_changed_this_run"),
            [call_id] if call_id else [],
        )


def _add_to_change_set(warehouse, call_id: str) -> None:
    """Put the call into the change set as a run that changed it does: with the start hour
    and day of each of its versions."""
    _change_set(
        warehouse,
        "insert into {change_set} (call_id, started_hour, started_date)"
        " select distinct call_id, date_trunc('hour', started_at), cast(started_at as date)"
        " from staging.base_raw__calls where call_id = ?",
        call_id,
    )


def _test_unique_calls(warehouse) -> dict:
    run_dbt("test", "--select", UNIQUE_CALLS, warehouse=warehouse, check=False)
    [result] = [
        result
        for result in run_results()
        if result["unique_id"].startswith(f"test.callstats.{UNIQUE_CALLS}.")
    ]
    return result


def test_every_row_is_checked_when_no_complete_build_came_before(fixture_warehouse, tmp_path):
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    _with_a_repeated_call(warehouse)
    with duckdb.connect(str(published_path(warehouse))) as connection:
        connection.execute("delete from marts.build_manifest")
    _change_set(warehouse, "delete from {change_set}")

    result = _test_unique_calls(warehouse)

    assert (result["status"], result["failures"]) == ("fail", 1)


def test_only_the_change_set_is_checked_after_a_complete_build(fixture_warehouse, tmp_path):
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    call_id = _with_a_repeated_call(warehouse)
    _change_set(warehouse, "delete from {change_set} where call_id = ?", call_id)

    assert _test_unique_calls(warehouse)["status"] == "pass"

    _add_to_change_set(warehouse, call_id)

    result = _test_unique_calls(warehouse)
    assert (result["status"], result["failures"]) == ("fail", 1)


def test_a_facts_values_are_checked_on_the_change_set_after_a_complete_build(
    fixture_warehouse, tmp_path
):
    """A negative duration and a call counted as both completed and live, in a call the run
    did not rebuild, pass; once the call is in the change set, each fails on its one row."""
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    with duckdb.connect(str(published_path(warehouse))) as connection:
        [(call_id,)] = connection.execute(
            "select min(call_id) from marts.fct_calls where is_completed"
        ).fetchall()
        connection.execute(
            "update marts.fct_calls set duration_s = -1, is_live = true where call_id = ?",
            [call_id],
        )
    tests = ["fct_calls,test_name:no_nulls_or_negatives", "fct_calls,test_name:expression_is_true"]

    def failures() -> dict[str, int]:
        run_dbt("test", "--select", *tests, warehouse=warehouse, check=False)
        return {
            result["unique_id"].split(".")[2].split("_fct_calls_")[0]: result["failures"]
            for result in run_results()
            if result["failures"]
        }

    _change_set(warehouse, "delete from {change_set} where call_id = ?", call_id)
    assert failures() == {}

    _add_to_change_set(warehouse, call_id)
    assert failures() == {"no_nulls_or_negatives": 1, "expression_is_true": 1}
