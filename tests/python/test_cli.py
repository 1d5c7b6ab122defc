"""The command as a user meets it: the demo, and one-line errors with a non-zero exit."""

import shutil
import socket
from pathlib import Path

import duckdb
import pytest
from servers import http_get, running
from warehouses import run_callstats

from callstats import cli, generate
from callstats.publish import published_path

pytestmark = pytest.mark.slow(cpu_s=115)

DEMO_NOW = "2026-03-02T12:00:00Z"
DEMO_HEALTH = "http://127.0.0.1:8000/health"


def test_demo_builds_sample_data_prints_a_token_and_serves(tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    env = {"CALLSTATS_NOW": DEMO_NOW}
    with running("demo", warehouse=warehouse, ready_url=DEMO_HEALTH, env=env) as output:
        status, body = http_get(DEMO_HEALTH)
        assert (status, body["status"]) == (200, "ok")
        printed = output.read_text()
    assert printed.startswith("built in ")
    # dbt ran in a process of its own: gunicorn, which replaces the demo's, inherits no
    # multiprocessing locks of it to report as leaked
    assert "leaked" not in printed
    assert f"Warehouse: {warehouse}" in printed
    assert "Calls started 2026-01-31 12:00 to 2026-03-02 11:00 UTC: 20,000" in printed
    assert "\nDashboard: http://127.0.0.1:8000/dashboard\n" in printed
    [curl] = [line for line in printed.splitlines() if line.startswith("Try:")]
    token = printed.split("API token (all orgs): ")[1].split()[0]
    assert curl == (
        f'Try:     curl -H "Authorization: Bearer {token}" http://127.0.0.1:8000/analytics/overview'
    )


def test_demo_of_a_platform_serves_its_sample_payloads(tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    with running(
        "demo", "--source", "retell", warehouse=warehouse, ready_url=DEMO_HEALTH
    ) as output:
        printed = output.read_text()
        token = printed.split("API token (all orgs): ")[1].split()[0]
        status, body = http_get("http://127.0.0.1:8000/analytics/overview", token)
    assert printed.startswith("retell samples: loaded 13 rows into 1 table from 3 files\n")
    # the five calls of the Retell fixture (test_platforms.py): 48 + 0 + 18 + 12 + 36 s
    assert (status, body["total_calls"], body["total_duration"]) == (200, 5, 114.0)


def test_build_without_raw_tables_publishes_empty_marts(tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    result = run_callstats("build", warehouse=warehouse)
    assert result.stdout.startswith("built in ")
    with duckdb.connect(str(published_path(warehouse))) as published:
        assert published.execute("select count(*) from marts.fct_calls").fetchone() == (0,)


def test_a_failed_build_names_the_model_and_its_first_error_line(tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema raw")
        connection.execute("create table raw.calls (call_id text, started_at text)")
        connection.execute("insert into raw.calls values ('c-1', 'not a time')")
    result = run_callstats("build", warehouse=warehouse, check=False)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        "callstats: dbt build failed: model base_raw__calls: Conversion Error:"
    )
    # the log it names is dbt's, with the failure in it
    log = Path(result.stderr.removesuffix(")\n").rpartition("(log: ")[2])
    assert log.name == "dbt.log" and "not a time" in log.read_text()
    assert not published_path(warehouse).exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["generate", "--calls", "0"], "argument --calls: must be at least 1: '0'"),
        (["generate", "--end", "yesterday"], "not an ISO 8601 timestamp: 'yesterday'"),
        (["teleport"], "invalid choice: 'teleport'"),
        (["serve", "--port", "70000"], "argument --port: must be at most 65535: '70000'"),
        (["serve", "--port", "0"], "argument --port: must be at least 1: '0'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(argv, message, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1
    assert message in stderr


def test_generate_says_what_it_wrote(tmp_path):
    generated = run_callstats(
        "generate", "--calls", "1200", "--days", "2", "--end", "2026-11-01T06:00:00",
        warehouse=tmp_path / "callstats.duckdb",
    )  # fmt: skip
    assert generated.stdout == (
        "generated 1,200 calls started over 2 days up to 2026-11-01 06:00:00 UTC\n"
    )


def test_generate_without_room_on_the_disk_is_one_line_and_writes_nothing(
    monkeypatch, tmp_path, capsys
):
    """The raw data takes RAW_BYTES_PER_CALL (860) bytes a call: calls for twice the free space
    stop before the warehouse exists."""
    warehouse = tmp_path / "new" / "callstats.duckdb"
    monkeypatch.setenv("CALLSTATS_WAREHOUSE", str(warehouse))
    calls = 2 * shutil.disk_usage(tmp_path).free // generate.RAW_BYTES_PER_CALL
    assert cli.main(["generate", "--calls", str(calls)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"callstats: {calls:,} calls need about ")
    assert f" GiB free on {tmp_path}, and " in line
    assert line.endswith(" GiB are: free some space or generate fewer calls")
    assert not warehouse.parent.exists()


def test_serve_where_nothing_can_listen_is_one_line(monkeypatch, tmp_path, capsys):
    """A port in use and a host that does not resolve stop `callstats serve` before gunicorn
    starts (which would retry and log each try)."""
    monkeypatch.setenv("CALLSTATS_WAREHOUSE", str(tmp_path / "callstats.duckdb"))

    def execvp(*command):
        raise AssertionError(f"gunicorn started: {command}")

    monkeypatch.setattr(cli.os, "execvp", execvp)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert cli.main(["serve", "--port", str(port)]) == 1
    assert capsys.readouterr().err == (
        f"callstats: cannot serve on 127.0.0.1:{port}: Address already in use\n"
    )
    assert cli.main(["serve", "--host", "bad host!!"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("callstats: cannot serve on bad host!!:8000: ")


def test_unknown_target_is_one_line(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CALLSTATS_TARGET", "oracle")
    monkeypatch.setenv("CALLSTATS_WAREHOUSE", str(tmp_path / "callstats.duckdb"))
    assert cli.main(["build"]) == 1
    assert capsys.readouterr().err == (
        "callstats: CALLSTATS_TARGET must be one of duckdb, postgres, spark, not 'oracle'\n"
    )


def test_keys_are_created_listed_without_the_token_and_revoked(tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    created = run_callstats(
        "keys", "create", "--org", "org-a", "--name", "ops", warehouse=warehouse
    )
    token = created.stdout.splitlines()[-1]
    assert token.startswith("cs_") and " " not in token
    key_id = created.stdout.split("created key ")[1].split()[0]

    listed = run_callstats("keys", "list", warehouse=warehouse).stdout
    assert listed == f"{key_id}  org org-a  ops  active\n"
    assert token not in listed
    created = run_callstats("keys", "create", "--all", warehouse=warehouse)
    other_id = created.stdout.split("created key ")[1].split()[0]
    # each column as wide as its widest value
    assert sorted(run_callstats("keys", "list", warehouse=warehouse).stdout.splitlines()) == sorted(
        [f"{key_id}  org org-a  ops  active", f"{other_id}  all        -    active"]
    )

    assert run_callstats("keys", "revoke", key_id, warehouse=warehouse).stdout == (
        f"revoked key {key_id}\n"
    )
    assert "revoked" in run_callstats("keys", "list", warehouse=warehouse).stdout
    again = run_callstats("keys", "revoke", key_id, warehouse=warehouse, check=False)
    assert (again.returncode, again.stderr) == (1, f"callstats: no active key '{key_id}'\n")


def test_a_key_needs_exactly_one_scope(capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main(["keys", "create", "--org", "a", "--all"])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--org", "--reseller"])
@pytest.mark.parametrize("value", ["", "  "])
def test_a_key_for_a_blank_org_or_reseller_is_refused(capsys, option, value):
    with pytest.raises(SystemExit) as exited:
        cli.main(["keys", "create", option, value])
    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        f"callstats keys create: argument {option}: must not be blank\n"
    )


@pytest.mark.parametrize("source", ["livekit", "pipecat", "retell"])
@pytest.mark.parametrize("options", [[], ["--agent", "agent-1"]])
def test_records_that_name_no_org_need_one(source, options, tmp_path, monkeypatch, capsys):
    warehouse = tmp_path / "callstats.duckdb"
    monkeypatch.setenv("CALLSTATS_WAREHOUSE", str(warehouse))
    log = tmp_path / "metrics.jsonl"
    log.write_text('{"type": "metrics"}\n')
    assert cli.main(["load", "--source", source, *options, str(log)]) == 1
    assert capsys.readouterr().err == (
        f"callstats: --source {source} needs --org: its logs name no org\n"
    )
    assert not warehouse.exists()
