"""`make bench` keeps working: at a few thousand calls it runs every step, the API's among
them, and writes its section of the benchmarks document, keeping the other sizes' sections."""

import dataclasses
import http.server
import json
import shutil
import threading
import time

import pytest
from warehouses import dbt_target

from api.openapi_document import document as api_document
from callstats import bench, bench_api, generate

pytestmark = pytest.mark.slow(cpu_s=120)


def test_bench_runs_every_step_and_writes_its_section(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_api, "RUNS", 3)
    monkeypatch.setattr(bench_api, "POLL_SECONDS", 1)
    monkeypatch.setattr(bench_api, "POLL_REQUESTS", 50)
    document = tmp_path / "benchmarks.md"
    document.write_text("# Benchmarks\n\n## 10,000,000 calls over 90 days\n\nearlier figures\n")
    steps, raw_bytes, marts_bytes, api, rewrites = bench.run(2700, tmp_path / "bench")
    assert [step.name for step in steps] == [
        "generate",
        "full build",
        "nothing new, incremental",
        "+1 day, incremental",
        "late batch (1 % of calls), incremental",
    ]
    builds = steps[1:]
    assert all(set(step.split) == {"total", "models", "tests", "publish"} for step in builds)
    assert all(step.peak_rss_bytes > 0 and step.wall_s > step.split["total"] for step in builds)
    # each build's slowest nodes of the project, slowest first
    manifest = json.loads((dbt_target() / "manifest.json").read_text())
    nodes = {node["name"] for node in manifest["nodes"].values()}
    for step in builds:
        seconds = [node_seconds for _, node_seconds in step.slowest]
        assert len(step.slowest) == bench.SLOWEST_NODES and seconds == sorted(seconds)[::-1]
        assert {name for name, _ in step.slowest} <= nodes
    # every table the full build stored, written again alone, slowest first
    stored = {
        f"{node['schema']}.{node['alias']}"
        for node in manifest["nodes"].values()
        if node["config"].get("materialized") in ("table", "incremental", "seed")
    }
    seconds = [table_seconds for _, table_seconds in rewrites]
    assert stored <= {name for name, _ in rewrites}
    assert seconds == sorted(seconds)[::-1] and seconds[-1] > 0
    assert raw_bytes == (tmp_path / "bench" / "raw-2700.duckdb").stat().st_size
    assert marts_bytes > 0
    # every documented request, with each token, answered
    rows = {tuple(line.split(" | ")[:2]): line for line in api.splitlines()}
    for path in api_document()["paths"]:
        for token in ("org", "all"):
            row = rows[(f"| `{path}`", token)]
            assert row.split(" | ")[2] == "200", row
    polled = [line for line in api.splitlines() if line.startswith("| `/api/v1/analytics/")]
    polled = [line for line in polled if line.count(" | ") == 2]
    assert len(polled) == len(bench_api.POLLED_PATHS)
    assert "| `/bare` |" in api
    bench.write(
        document, bench.section(2700, steps, raw_bytes, marts_bytes, rewrites=rewrites) + api
    )
    text = document.read_text()
    words = " ".join(text.split())
    assert f"Writing the full build's {len(rewrites)} tables alone" in words
    assert f"before it computes anything): {sum(seconds):.1f} s, of which the marts" in words
    [(node, seconds), *_] = builds[0].slowest
    assert f"- full build: `{node}` {seconds:.1f}, `" in text
    assert text.index("## 2,700 calls") < text.index("## 10,000,000 calls")
    assert "earlier figures" in text
    assert text.count("| late batch (1 % of calls), incremental |") == 1
    assert text.count("### API") == 1
    # another target's section of the same size comes after DuckDB's and replaces its own
    for figures in ("figures-one", "figures-two"):
        bench.write(document, f"## 2,700 calls over 90 days on Spark\n\n{figures}\n")
    text = document.read_text()
    assert (
        text.index("## 2,700 calls over 90 days\n")
        < text.index("on Spark")
        < text.index("## 10,000,000 calls")
    )
    assert "figures-two" in text and "figures-one" not in text
    assert text.count("### API") == 1
    # the raw data is generated once and reused, its generation's figures with it
    raw, reused = bench.raw_data(2700, tmp_path / "bench")
    assert raw == tmp_path / "bench" / "raw-2700.duckdb"
    assert reused.name.startswith("generate (") and reused.name.endswith(
        " UTC, the raw data reused since)"
    )
    assert dataclasses.replace(reused, name="generate") == steps[0]


def test_a_poll_that_completes_nothing_within_its_time_is_zero_requests_per_second(monkeypatch):
    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(2)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    monkeypatch.setattr(bench_api, "POLL_SECONDS", 1)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert bench_api._poll(server.server_address[1], "/", None) == 0.0
    finally:
        server.shutdown()


def test_a_disk_without_room_for_the_run_stops_it_before_it_writes(tmp_path):
    """A run takes WORK_PER_RAW_BYTE (5) times the raw data, and the raw data until it is
    generated (RAW_BYTES_PER_CALL each call): calls whose raw data is a third of the free space
    cannot fit, a fiftieth can."""
    free = shutil.disk_usage(tmp_path).free
    directory = tmp_path / "bench"
    with pytest.raises(SystemExit) as stopped:
        bench.check_free_space(directory, free // 3 // generate.RAW_BYTES_PER_CALL)
    assert str(stopped.value).startswith("make bench: ")
    assert str(stopped.value).endswith(" free some space or lower BENCH_CALLS.")
    bench.check_free_space(directory, free // 50 // generate.RAW_BYTES_PER_CALL)
    assert list(directory.iterdir()) == []


@pytest.mark.parametrize("calls", ["abc", "1e6", "0", "-5"])
def test_bench_calls_must_be_a_whole_number(calls, monkeypatch):
    monkeypatch.setenv("BENCH_CALLS", calls)
    with pytest.raises(SystemExit) as stopped:
        bench.main()
    assert str(stopped.value) == (
        f"make bench: BENCH_CALLS must be a whole number of calls, not {calls!r}"
    )


def test_a_failed_generation_leaves_no_partial_raw_data(tmp_path, monkeypatch):
    def failing_generate(name, args, path, target="duckdb"):
        path.write_bytes(b"half of the raw rows")
        raise RuntimeError("callstats generate failed")

    monkeypatch.setattr(bench, "run_step", failing_generate)
    with pytest.raises(RuntimeError, match="callstats generate failed"):
        bench.raw_data(2700, tmp_path)
    assert list(tmp_path.iterdir()) == []
