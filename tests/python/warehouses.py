"""Run the real `callstats` command and read the warehouses it builds."""

import datetime
import decimal
import json
import math
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
from pytest import approx

from callstats.publish import prepare, published_path

PROJECT_DIR = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_NOW = "2026-03-02T12:00:00Z"
# Tables of schema marts that record builds (when, which) rather than hold data.
BUILD_RECORDS = "'build_attempts', 'build_manifest', 'publication'"


def _run(
    command: list[str], warehouse: Path, now: str | None, check: bool, env: dict | None = None
) -> subprocess.CompletedProcess:
    # in the warehouse's folder, by its name: dbt's profile is then the same for every
    # warehouse of one name, and dbt reuses its parsed project (partial parsing)
    env = {
        **os.environ,
        "CALLSTATS_WAREHOUSE": warehouse.name,
        "CALLSTATS_TARGET": "duckdb",
        **(env or {}),
    }
    if now:
        env["CALLSTATS_NOW"] = now
    if env["CALLSTATS_TARGET"] != "duckdb":
        env["DBT_TARGET_PATH"] = target_folder(env["CALLSTATS_TARGET"])
    result = subprocess.run(
        command, env=env, cwd=warehouse.parent, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(command)} exited {result.returncode}\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result


def run_callstats(
    *args: str,
    warehouse: Path,
    now: str | None = None,
    check: bool = True,
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """Run the installed command in a fresh process, as a user would."""
    return _run([sys.executable, "-m", "callstats", *args], warehouse, now, check, env)


def dbt_target() -> Path:
    """dbt's target folder: DBT_TARGET_PATH (each pytest-xdist worker's own), or the
    project's."""
    return Path(os.environ.get("DBT_TARGET_PATH", PROJECT_DIR / "target"))


def target_folder(target: str) -> str:
    """dbt's target folder for builds on `target` other than DuckDB, inside dbt_target(): dbt
    keeps one parsed project per target folder, so another target's build would replace the
    DuckDB one, which the next build would parse again."""
    return str(dbt_target() / target)


def run_results() -> list[dict]:
    """The results of the last dbt invocation's nodes (run_results.json in dbt_target())."""
    return json.loads((dbt_target() / "run_results.json").read_text())["results"]


def run_result(model: str) -> dict:
    """The result of `model` in the last dbt invocation."""
    [result] = [result for result in run_results() if result["unique_id"].endswith(f".{model}")]
    return result


def copy_warehouse(warehouse: Path, folder: Path) -> Path:
    """A copy of a built warehouse and its published marts in `folder`, for a test that
    writes to it."""
    copy = folder / warehouse.name
    shutil.copyfile(warehouse, copy)
    shutil.copyfile(published_path(warehouse), published_path(copy))
    return copy


def run_dbt(
    *args: str, warehouse: Path, check: bool = True, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run dbt itself on the project, as a data engineer would, on a copy of the published
    marts (the marts file dbt writes by default, as `callstats build` starts it); `env` adds
    to the environment (another target's, for one)."""
    prepare(warehouse)
    dbt = str(Path(sys.executable).parent / "dbt")
    project = ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    return _run([dbt, *args, *project], warehouse, None, check, env)


Query = Callable[[str], list[tuple]]


def query_function(database: Path) -> Query:
    """Queries of a DuckDB file, read-only as the API opens the published marts."""

    def query(sql: str) -> list[tuple]:
        with duckdb.connect(str(database), read_only=True) as connection:
            return connection.execute(sql).fetchall()

    return query


def assert_same_rows(built: list[tuple], expected: list[tuple], table: str) -> None:
    """Equal rows, floats within 1e-9 relative (sums may add up in another order)."""
    assert len(built) == len(expected), table
    for built_row, expected_row in zip(built, expected, strict=True):
        assert built_row == tuple(
            approx(value, rel=1e-9) if isinstance(value, float) else value for value in expected_row
        ), table


def _comparable(value):
    """One form per value across engines: json as parsed values, numbers as floats."""
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    if isinstance(value, str) and value.startswith(("{", "[")):
        return json.dumps(json.loads(value), sort_keys=True)
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def comparable_rows(rows) -> list[tuple]:
    """Rows of a marts table from any engine, in one form and one order, to compare."""
    rows = [tuple(_comparable(value) for value in row) for row in rows]
    return sorted(rows, key=lambda row: [(value is None, str(value)) for value in row])


def assert_same_json(expected, actual, where: str = "") -> None:
    """JSON values equal, floats within 1e-9 relative."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and list(actual) == list(expected), where
        for key in expected:
            assert_same_json(expected[key], actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), where
        for position, (left, right) in enumerate(zip(expected, actual, strict=True)):
            assert_same_json(left, right, f"{where}[{position}]")
    elif isinstance(expected, float) or isinstance(actual, float):
        assert type(actual) is type(expected), (where, expected, actual)
        assert math.isclose(expected, actual, rel_tol=1e-9, abs_tol=1e-12), (
            where,
            expected,
            actual,
        )
    else:
        assert actual == expected and type(actual) is type(expected), (where, expected, actual)


def stored_orders() -> dict[str, list[tuple[str, bool]]]:
    """The marts models stored in an order, each with its columns and whether each is
    descending: their query ends in `order by <column> [desc], ...`."""
    found = {}
    for model in sorted((PROJECT_DIR / "models" / "marts").rglob("*.sql")):
        text = model.read_text().strip()
        ending = re.search(r"^\s*order by ([\w ,]+?)\s*(--.*)?\Z", text, re.MULTILINE)
        if ending:
            found[model.stem] = [
                (column, descending == " desc")
                for column, descending in re.findall(r"(\w+)( desc)?", ending.group(1))
            ]
    return found


def in_stored_order(rows: list[tuple], order: list[tuple[str, bool]]) -> bool:
    """Whether `rows` (their values in the columns of `order`; rows with a null left out)
    come in that order."""
    rows = [tuple(row) for row in rows if None not in tuple(row)]
    expected = list(rows)
    for index, (_, descending) in reversed(list(enumerate(order))):
        expected.sort(key=lambda row, index=index: row[index], reverse=descending)
    return rows == expected
