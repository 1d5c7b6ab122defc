"""The command as a user meets it: the demo, and one-line errors with a non-zero exit."""

import pytest
from warehouses import run_callstats

from callstats import cli

DEMO_NOW = "2026-03-02T12:00:00Z"


def test_demo_builds_sample_data_and_prints_headline_numbers(tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    first = run_callstats("demo", warehouse=warehouse, now=DEMO_NOW)
    assert f"Warehouse: {warehouse}" in first.stdout
    assert "Calls started 2026-01-31 12:00 to 2026-03-02 11:00 UTC: 20,000" in first.stdout

    again = run_callstats("demo", warehouse=warehouse, now=DEMO_NOW)
    assert "already holds calls" in again.stdout
    assert ": 20,000" in again.stdout  # nothing generated twice


def test_build_without_raw_tables_fails_with_one_line(tmp_path):
    result = run_callstats("build", warehouse=tmp_path / "empty.duckdb", check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("callstats: dbt build failed")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["generate", "--calls", "0"], "argument --calls: must be at least 1: '0'"),
        (["generate", "--end", "yesterday"], "not an ISO 8601 timestamp: 'yesterday'"),
        (["teleport"], "invalid choice: 'teleport'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1
    assert message in stderr


def test_unknown_target_is_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CALLSTATS_TARGET", "oracle")
    monkeypatch.setenv("CALLSTATS_WAREHOUSE", str(tmp_path / "callstats.duckdb"))
    assert cli.main(["build"]) == 1
    assert capsys.readouterr().err == (
        "callstats: CALLSTATS_TARGET must be one of duckdb, postgres, not 'oracle'\n"
    )
