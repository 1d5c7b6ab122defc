"""`make bench`: what a build costs at a given size, written to docs/benchmarks.md.

The raw data of BENCH_CALLS calls (default 1,000,000) over 90 days is generated once into
BENCH_DIR (default warehouse/bench) and reused. Each run copies it into a fresh warehouse and
runs the commands a user runs, each in its own process, measuring wall time, the process's
peak RSS and the peak size of DuckDB's temporary files:

1. the full build (`callstats build`: models, every test, publish);
2. one more day of calls (BENCH_CALLS / 90, generated after the 90 days), built incrementally;
3. a late-data batch: 1 % of the calls, spread over the 90 days, re-sent with new costs (as an
   EL tool writes them), built incrementally;
4. the API on the result (callstats.bench_api): every documented request and polling throughput.

Figures, not tests: nothing here asserts a time.
"""

import contextlib
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import duckdb

from callstats import bench_api, project

DAYS = 90
END = datetime(2026, 11, 1)
# The end of the API's 30-day window (and its now): not on the hour.
API_END = END + timedelta(hours=7, minutes=17, seconds=23)
GIB = 1 << 30
BUILT = re.compile(
    r"built in (?P<total>[\d.]+) s \(models (?P<models>[\d.]+) s, tests (?P<tests>[\d.]+) s,"
    r" publish (?P<publish>[\d.]+) s\)"
)
# 1 % of the calls, picked by a hash of their id so they spread over the 90 days, re-sent a day
# later with a new cost and loaded now.
LATE_BATCH_SQL = """
insert into raw.calls by name
select * replace (
    updated_at + interval 1 day as updated_at,
    round(coalesce(total_cost_usd, 0) * 1.1 + 0.01, 6) as total_cost_usd,
    $loaded_at as loaded_at
)
from raw.calls
where call_id is not null and hash(call_id) % 100 = 0
qualify row_number() over (partition by call_id order by updated_at desc, loaded_at desc) = 1
"""


@dataclass(frozen=True)
class Step:
    """One command's cost: wall seconds, peak RSS and peak temporary files in bytes, and a
    build's own split (total, models, tests, publish seconds)."""

    name: str
    wall_s: float
    peak_rss_bytes: int
    peak_temp_bytes: int
    split: dict[str, float] = field(default_factory=dict)


def run_step(name: str, args: list[str], warehouse: Path) -> Step:
    """Run `callstats <args>` on `warehouse` in its own process and measure it."""
    env = {**os.environ, "CALLSTATS_WAREHOUSE": str(warehouse), "CALLSTATS_TARGET": "duckdb"}
    temp = warehouse.with_name(f"{warehouse.name}.tmp")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "callstats", *args],
        env=env,
        cwd=project.PROJECT_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ended: dict = {}
    output: dict[str, str] = {}

    def reap() -> None:
        # wait4, unlike Popen.wait, gives the child's own resource usage
        _, status, usage = os.wait4(process.pid, 0)
        ended.update(code=os.waitstatus_to_exitcode(status), usage=usage)

    threads = [
        threading.Thread(target=reap),
        threading.Thread(target=lambda: output.update(stdout=process.stdout.read())),
        threading.Thread(target=lambda: output.update(stderr=process.stderr.read())),
    ]
    for thread in threads:
        thread.start()
    peak_temp = 0
    while threads[0].is_alive():
        peak_temp = max(peak_temp, _directory_bytes(temp))
        threads[0].join(0.2)
    wall = time.perf_counter() - started
    process.returncode = ended["code"]
    for thread in threads[1:]:
        thread.join()
    if ended["code"]:
        raise RuntimeError(f"callstats {' '.join(args)} failed:\n{output['stderr'][-2000:]}")
    built = BUILT.search(output["stdout"])
    split = {key: float(value) for key, value in built.groupdict().items()} if built else {}
    return Step(name, wall, ended["usage"].ru_maxrss * 1024, peak_temp, split)


def _directory_bytes(path: Path) -> int:
    """The size of the files under `path`, which DuckDB may remove while it is read."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                total += os.stat(os.path.join(root, name)).st_size
    return total


def raw_data(calls: int, directory: Path) -> tuple[Path, Step | None]:
    """The generated raw warehouse of `calls` calls, and the cost of generating it when this
    run had to (None when it was there already)."""
    raw = directory / f"raw-{calls}.duckdb"
    if raw.exists():
        return raw, None
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".raw-{calls}.duckdb"
    partial.unlink(missing_ok=True)
    step = run_step(
        "generate",
        ["generate", "--calls", str(calls), "--days", str(DAYS), "--end", END.isoformat()],
        partial,
    )
    partial.rename(raw)
    return raw, step


def run(calls: int, directory: Path) -> tuple[list[Step], int, str]:
    """Every step at `calls` calls, the raw data's size in bytes and the API's figures."""
    raw, generated = raw_data(calls, directory)
    work = directory / "work" / "callstats.duckdb"
    shutil.rmtree(work.parent, ignore_errors=True)
    work.parent.mkdir(parents=True)
    shutil.copyfile(raw, work)
    steps = [generated] if generated else []
    steps.append(run_step("full build", ["build"], work))
    day = ["--calls", str(max(calls // DAYS, 1)), "--days", "1", "--seed", "2"]
    run_step(
        "generate +1 day", ["generate", *day, "--end", (END + timedelta(days=1)).isoformat()], work
    )
    steps.append(run_step("+1 day, incremental", ["build"], work))
    with duckdb.connect(str(work)) as connection:
        connection.execute(LATE_BATCH_SQL, {"loaded_at": END + timedelta(days=2)})
    steps.append(run_step("late batch (1 % of calls), incremental", ["build"], work))
    api = bench_api.section(*bench_api.measure(work, API_END), API_END)
    size = raw.stat().st_size
    shutil.rmtree(work.parent, ignore_errors=True)
    return steps, size, api


def section(calls: int, steps: list[Step], raw_bytes: int) -> str:
    """The Markdown section of one size: the machine, the figures and the targets."""
    full = next(step for step in steps if step.name == "full build")
    rows = "\n".join(
        f"| {step.name} | {step.wall_s:.1f} | {_split(step, 'models')} | {_split(step, 'tests')}"
        f" | {_split(step, 'publish')} | {step.peak_rss_bytes / GIB:.2f}"
        f" | {step.peak_temp_bytes / GIB:.2f} |"
        + (f" {100 * step.wall_s / full.wall_s:.0f} % |" if "incremental" in step.name else " |")
        for step in steps
    )
    return f"""## {calls:,} calls over {DAYS} days

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {_machine()}; raw data
{raw_bytes / GIB:.2f} GiB. Each build is `callstats build` in its own process.

| step | wall s | models s | tests s | publish s | RSS GiB | temp GiB | of full build |
|---|---|---|---|---|---|---|---|
{rows}
"""


def _split(step: Step, part: str) -> str:
    return f"{step.split[part]:.1f}" if part in step.split else "—"


def _machine() -> str:
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    versions = ", ".join(f"{name} {version(name)}" for name in ("duckdb", "dbt-core", "dbt-duckdb"))
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory_kib / (1 << 20):.0f} GiB,"
        f" Python {platform.python_version()}, {versions}; DuckDB memory limit"
        f" {project.duckdb_settings()['memory_limit']}"
    )


def write(document: Path, calls: int, text: str) -> None:
    """Put one size's section into the document, replacing that size's earlier one."""
    heading = (
        "# Benchmarks\n\n`make bench` (BENCH_CALLS calls, default 1,000,000) writes a section"
        " per size: peak RSS and peak temporary files are the command's own.\n"
    )
    sections = {}
    if document.exists():
        for part in re.split(r"(?m)^(?=## )", document.read_text())[1:]:
            sections[int(part.split()[1].replace(",", ""))] = part.rstrip() + "\n"
    sections[calls] = text
    body = "\n".join(sections[size] for size in sorted(sections))
    document.write_text(f"{heading}\n{body}")


def main() -> None:
    calls = int(os.environ.get("BENCH_CALLS") or 1_000_000)
    directory = Path(os.environ.get("BENCH_DIR") or project.PROJECT_DIR / "warehouse" / "bench")
    document = Path(os.environ.get("BENCH_DOC") or project.PROJECT_DIR / "docs" / "benchmarks.md")
    steps, raw_bytes, api = run(calls, directory)
    text = section(calls, steps, raw_bytes) + api
    write(document, calls, text)
    print(text)


if __name__ == "__main__":
    main()
