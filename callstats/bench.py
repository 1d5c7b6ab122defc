"""`make bench`: what a build costs at a given size, written to docs/benchmarks.md.

The raw data of BENCH_CALLS calls (default 1,000,000) over 90 days is generated once into
BENCH_DIR (default warehouse/bench) and reused, with the figures of its generation. Each run
copies it into a fresh warehouse and runs the commands a user runs on the target BENCH_TARGET
(default duckdb; spark, or postgres with the PG* environment), each in its own process,
measuring wall time, the peak RSS of the process and its descendants (Spark's JVM among them)
and the peak size of DuckDB's temporary files:

1. on spark and postgres, landing the raw rows there (an EL tool's work, for scale);
2. the full build (`callstats build`: models, every test, publish);
3. on duckdb: how long writing the full build's tables takes alone, each copied as it is into
   a new file (what storing them costs any build, before it computes anything);
4. an incremental build with nothing new landed (what every incremental build costs at least);
5. one more day of calls (BENCH_CALLS / 90, generated after the 90 days), built incrementally;
6. a late-data batch: 1 % of the calls, spread over the 90 days, re-sent with new costs (as an
   EL tool writes them), built incrementally;
7. the API on the result (callstats.bench_api): every documented request and polling
   throughput, on the targets that publish a DuckDB serving file (duckdb, spark).

The warehouse file keeps every raw row on each target: new rows are made there, and landed on
spark or postgres from there.

Figures, not tests: nothing here asserts a time.
"""

import contextlib
import json
import multiprocessing
import os
import platform
import re
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path

import duckdb
import psutil

from callstats import bench_api, project, publish, warehouse
from callstats.generate import GIB, RAW_BYTES_PER_CALL
from callstats.raw_schema import RAW_TABLES

DAYS = 90
END = datetime(2026, 11, 1)
# The end of the API's 30-day window (and its now): not on the hour.
API_END = END + timedelta(hours=7, minutes=17, seconds=23)
# The work directory at its fullest, in times the raw data: at 10 M calls (7.96 GiB of raw data)
# the warehouse, which holds a copy of the raw rows, reached 2.1 times it and the published
# marts and the copy an incremental build works on 1.25 times each (docs/decisions.md).
WORK_PER_RAW_BYTE = 5
# How many of a build's nodes its section lists, slowest first: where the time goes.
SLOWEST_NODES = 5
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
    build's own split (total, models, tests, publish seconds) and its slowest nodes (name,
    seconds)."""

    name: str
    wall_s: float
    peak_rss_bytes: int
    peak_temp_bytes: int
    split: dict[str, float] = field(default_factory=dict)
    slowest: tuple[tuple[str, float], ...] = ()


def run_step(name: str, args: list[str], path: Path, target: str = "duckdb") -> Step:
    """Run `callstats <args>` on the warehouse at `path` and `target` in its own process and
    measure it."""
    env = {**os.environ, "CALLSTATS_WAREHOUSE": str(path.resolve()), "CALLSTATS_TARGET": target}
    temp = path.with_name(f"{path.name}.tmp")
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "callstats", *args],
        env=env,
        cwd=path.parent,  # dbt's parsed project is then any `callstats.duckdb`'s (build.py)
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
    peak_temp = peak_rss = 0
    while threads[0].is_alive():
        peak_temp = max(peak_temp, _directory_bytes(temp))
        peak_rss = max(peak_rss, _tree_rss_bytes(process.pid))
        threads[0].join(0.2)
    wall = time.perf_counter() - started
    process.returncode = ended["code"]
    for thread in threads[1:]:
        thread.join()
    if ended["code"]:
        raise RuntimeError(f"callstats {' '.join(args)} failed:\n{output['stderr'][-2000:]}")
    built = BUILT.search(output["stdout"])
    split = {key: float(value) for key, value in built.groupdict().items()} if built else {}
    slowest = _slowest_nodes() if built else ()
    rss = max(ended["usage"].ru_maxrss * 1024, peak_rss)
    return Step(name, wall, rss, peak_temp, split, slowest)


def _slowest_nodes() -> tuple[tuple[str, float], ...]:
    """The SLOWEST_NODES nodes of the last dbt run by execution time: (name, seconds). dbt
    writes its results into the project's target folder, or DBT_TARGET_PATH."""
    target = Path(os.environ.get("DBT_TARGET_PATH") or project.PROJECT_DIR / "target")
    results = json.loads((target / "run_results.json").read_text())["results"]
    timed = sorted(
        ((result["unique_id"].split(".")[2], result["execution_time"]) for result in results),
        key=lambda node: -node[1],
    )
    return tuple(timed[:SLOWEST_NODES])


def _tree_rss_bytes(pid: int) -> int:
    """The resident memory of a process and its descendants now (0 once it has ended)."""
    with contextlib.suppress(psutil.NoSuchProcess):
        process = psutil.Process(pid)
        total = 0
        for member in [process, *process.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                total += member.memory_info().rss
        return total
    return 0


def _directory_bytes(path: Path) -> int:
    """The size of the files under `path`, which DuckDB may remove while it is read."""
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            with contextlib.suppress(FileNotFoundError):
                total += os.stat(os.path.join(root, name)).st_size
    return total


def _raw_path(directory: Path, calls: int) -> Path:
    """Where the raw data of `calls` calls is kept in `directory`."""
    return directory / f"raw-{calls}.duckdb"


def raw_data(calls: int, directory: Path) -> tuple[Path, Step | None]:
    """The generated raw warehouse of `calls` calls, and the cost of generating it: measured
    now when this run had to generate it, else as recorded then (beside the data, its step
    named with the time it was measured), or None when nothing was recorded."""
    raw = _raw_path(directory, calls)
    recorded = raw.with_suffix(".generate.json")
    if raw.exists():
        if not recorded.exists():
            return raw, None
        figures = json.loads(recorded.read_text())
        measured_at = figures.pop("measured_at")
        slowest = tuple(map(tuple, figures.pop("slowest")))
        name = f"generate ({measured_at}, the raw data reused since)"
        return raw, Step(**{**figures, "name": name, "slowest": slowest})
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f".raw-{calls}.duckdb"
    partial.unlink(missing_ok=True)
    try:
        step = run_step(
            "generate",
            ["generate", "--calls", str(calls), "--days", str(DAYS), "--end", END.isoformat()],
            partial,
        )
    except BaseException:
        # A stopped or failed generation's file is no raw data: gigabytes on a shared disk.
        partial.unlink(missing_ok=True)
        raise
    measured_at = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    recorded.write_text(json.dumps({**asdict(step), "measured_at": measured_at}))
    partial.rename(raw)
    return raw, step


def run(
    calls: int, directory: Path, target: str = "duckdb"
) -> tuple[list[Step], int, int | None, str, tuple[tuple[str, float], ...]]:
    """Every step at `calls` calls on `target`, the sizes in bytes of the raw data and of the
    published marts file, the API's figures (none and "" on postgres, which publishes no
    DuckDB file), and on duckdb the full build's tables' rewrite_seconds."""
    work = directory / "work" / "callstats.duckdb"
    shutil.rmtree(work.parent, ignore_errors=True)
    check_free_space(directory, calls)
    raw, generated = raw_data(calls, directory)
    work.parent.mkdir(parents=True)
    shutil.copyfile(raw, work)
    steps = [generated] if generated else []
    if target != "duckdb":
        steps.append(land(f"land the raw rows on {target}", work, target))
    steps.append(run_step("full build", ["build"], work, target))
    rewrites = rewrite_seconds(work) if target == "duckdb" else ()
    steps.append(run_step("nothing new, incremental", ["build"], work, target))
    landed = _newest_loaded_at(work)
    day = ["--calls", str(max(calls // DAYS, 1)), "--days", "1", "--seed", "2"]
    run_step(
        "generate +1 day", ["generate", *day, "--end", (END + timedelta(days=1)).isoformat()], work
    )
    if target != "duckdb":
        land("land +1 day", work, target, landed)
    steps.append(run_step("+1 day, incremental", ["build"], work, target))
    landed = _newest_loaded_at(work)
    with duckdb.connect(str(work)) as connection:
        connection.execute(LATE_BATCH_SQL, {"loaded_at": END + timedelta(days=2)})
    if target != "duckdb":
        land("land the late batch", work, target, landed)
    steps.append(run_step("late batch (1 % of calls), incremental", ["build"], work, target))
    marts_bytes, api = None, ""
    if target != "postgres":
        marts_bytes = publish.published_path(work).stat().st_size
        api = bench_api.section(*bench_api.measure(work, API_END), API_END)
    raw_bytes = raw.stat().st_size
    shutil.rmtree(work.parent, ignore_errors=True)
    return steps, raw_bytes, marts_bytes, api, rewrites


def rewrite_seconds(work: Path) -> tuple[tuple[str, float], ...]:
    """How long writing each table of the built warehouse `work` takes alone: its schemas but
    `raw` and the published marts, each table copied as it is (`create table as select *`, then
    a checkpoint) into a new file made as the build makes its own (the marts' row groups,
    publish.MARTS_ROW_GROUP_SIZE), one after the other, with a build's DuckDB settings:
    (schema.table, seconds), slowest first. The new files are removed."""
    copies = [work.with_name(f"rewrite-{name}.duckdb") for name in ("warehouse", "marts")]
    timed = []
    with duckdb.connect(config=project.duckdb_settings()) as connection:
        connection.execute("set preserve_insertion_order = false")
        connection.execute(f"attach {warehouse.sql_literal(work)} as built (read_only)")
        published = publish.published_path(work)
        connection.execute(f"attach {warehouse.sql_literal(published)} as published (read_only)")
        connection.execute(f"attach {warehouse.sql_literal(copies[0])} as warehouse_copy")
        connection.execute(
            f"attach {warehouse.sql_literal(copies[1])} as marts_copy"
            f" (row_group_size {publish.MARTS_ROW_GROUP_SIZE})"
        )
        tables = connection.execute(
            "select database_name, schema_name, table_name from duckdb_tables()"
            " where database_name = 'published'"
            " or database_name = 'built' and schema_name <> 'raw'"
        ).fetchall()
        for database, schema, table in tables:
            copy = "marts_copy" if database == "published" else "warehouse_copy"
            started = time.perf_counter()
            connection.execute(
                f'create table {copy}."{table}" as select * from {database}."{schema}"."{table}"'
            )
            connection.execute(f"checkpoint {copy}")
            timed.append((f"{schema}.{table}", time.perf_counter() - started))
            connection.execute(f'drop table {copy}."{table}"')
    for copy in copies:
        copy.unlink()
    return tuple(sorted(timed, key=lambda table: -table[1]))


def check_free_space(directory: Path, calls: int) -> None:
    """Exit with one line naming what is needed when the disk of `directory` (made if missing)
    has less free space than a run at `calls` calls takes: WORK_PER_RAW_BYTE times the raw
    data, and the raw data itself when it is not generated yet (its size then estimated at
    RAW_BYTES_PER_CALL). The disk may be shared: a bench that fills it fails other work too."""
    directory.mkdir(parents=True, exist_ok=True)
    raw = _raw_path(directory, calls)
    if raw.exists():
        needed = WORK_PER_RAW_BYTE * raw.stat().st_size
    else:
        needed = (WORK_PER_RAW_BYTE + 1) * calls * RAW_BYTES_PER_CALL
    free = shutil.disk_usage(directory).free
    if free < needed:
        sys.exit(
            f"make bench: {calls:,} calls need about {needed / GIB:.1f} GiB free on"
            f" {directory} ({WORK_PER_RAW_BYTE} times the raw data, and the raw data until it is"
            f" generated), and {free / GIB:.1f} GiB are: free some space or lower BENCH_CALLS."
        )


def land(name: str, path: Path, target: str, after: datetime | None = None) -> Step:
    """Land the raw rows of the DuckDB warehouse at `path` (those loaded after `after`) on
    `target`, in a process of its own (Spark's embedded catalog admits one process at a time),
    and measure it."""
    process = multiprocessing.get_context("spawn").Process(
        target=_land, args=(str(path), target, after)
    )
    started = time.perf_counter()
    process.start()
    peak_rss = 0
    while process.is_alive():
        peak_rss = max(peak_rss, _tree_rss_bytes(process.pid))
        process.join(0.2)
    if process.exitcode:
        raise RuntimeError(f"{name} failed (exit code {process.exitcode})")
    return Step(name, time.perf_counter() - started, peak_rss, 0)


def _land(path: str, target: str, after: datetime | None) -> None:
    os.environ.update(CALLSTATS_WAREHOUSE=path, CALLSTATS_TARGET=target)
    with duckdb.connect(path, read_only=True) as source, warehouse.raw_target() as raw:
        warehouse.copy_raw_tables(source, raw, after)


def _newest_loaded_at(path: Path) -> datetime | None:
    with duckdb.connect(str(path), read_only=True) as connection:
        return warehouse.DuckDBTarget(connection).newest_loaded_at(list(RAW_TABLES))


TARGET_NAMES = {"duckdb": "DuckDB", "spark": "Spark", "postgres": "PostgreSQL"}
HEADING = re.compile(r"## ([\d,]+) calls over \d+ days(?: on (\w+))?")


def section(
    calls: int,
    steps: list[Step],
    raw_bytes: int,
    marts_bytes: int | None,
    target: str = "duckdb",
    rewrites: tuple[tuple[str, float], ...] = (),
) -> str:
    """The Markdown section of one size and target: the machine and the figures."""
    full = next(step for step in steps if step.name == "full build")
    rows = "\n".join(
        f"| {step.name} | {step.wall_s:.1f} | {_split(step, 'models')} | {_split(step, 'tests')}"
        f" | {_split(step, 'publish')} | {step.peak_rss_bytes / GIB:.2f}"
        f" | {f'{step.peak_temp_bytes / GIB:.2f}' if target == 'duckdb' else '—'} |"
        + (f" {100 * step.wall_s / full.wall_s:.0f} % |" if "incremental" in step.name else " |")
        for step in steps
    )
    slowest = "\n".join(
        f"- {step.name}: " + ", ".join(f"`{node}` {seconds:.1f}" for node, seconds in step.slowest)
        for step in steps
        if step.slowest
    )
    rewritten = ""
    if rewrites:
        marts_s = sum(seconds for name, seconds in rewrites if name.startswith("marts."))
        total_s = sum(seconds for _, seconds in rewrites)
        largest = ", ".join(f"`{name}` {seconds:.1f}" for name, seconds in rewrites[:SLOWEST_NODES])
        rewritten = f"""
Writing the full build's {len(rewrites)} tables alone, each copied as it is into a new file (what
storing them costs any build, before it computes anything): {total_s:.1f} s, of which the
marts {marts_s:.1f} s and the rest (staging, intermediate and seeds) {total_s - marts_s:.1f} s;
the slowest: {largest}.
"""
    on = "" if target == "duckdb" else f" on {TARGET_NAMES[target]}"
    marts = "" if marts_bytes is None else f", published marts {marts_bytes / GIB:.2f} GiB"
    return f"""## {calls:,} calls over {DAYS} days{on}

Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {_machine(target)}; raw data
{raw_bytes / GIB:.2f} GiB (as DuckDB stores it){marts}. Each build is `callstats build` in its
own process; RSS counts the process and its descendants.

| step | wall s | models s | tests s | publish s | RSS GiB | temp GiB | of full build |
|---|---|---|---|---|---|---|---|
{rows}

The slowest nodes of each build (dbt's execution time, seconds):

{slowest}
{rewritten}"""


def _split(step: Step, part: str) -> str:
    return f"{step.split[part]:.1f}" if part in step.split else "—"


def _machine(target: str) -> str:
    memory_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    packages = {
        "duckdb": ("duckdb", "dbt-core", "dbt-duckdb"),
        "spark": ("duckdb", "dbt-core", "dbt-spark", "pyspark"),
        "postgres": ("duckdb", "dbt-core", "dbt-postgres"),
    }[target]
    versions = ", ".join(f"{name} {version(name)}" for name in packages)
    limit = {
        "duckdb": f"DuckDB memory limit {project.duckdb_settings()['memory_limit']}",
        "spark": f"Spark driver memory {project.spark_settings()['spark.driver.memory']}",
        "postgres": (
            "PostgreSQL from the PG* environment, its server outside the RSS; dbt's threads"
            " run nodes side by side there, so models and tests add up to more than the wall"
        ),
    }[target]
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory_kib / (1 << 20):.0f} GiB,"
        f" Python {platform.python_version()}, {versions}; {limit}"
    )


def write(document: Path, text: str) -> None:
    """Put one size and target's section into the document, replacing its earlier one; the
    sections go by size, then target."""
    heading = (
        "# Benchmarks\n\n`make bench` (BENCH_CALLS calls, default 1,000,000; BENCH_TARGET,"
        " default duckdb) writes a section per size and target: peak RSS and peak temporary"
        " files are the command's own.\n"
    )
    parts = re.split(r"(?m)^(?=## )", document.read_text())[1:] if document.exists() else []
    sections = {_order(part): part.rstrip() + "\n" for part in [*parts, text]}
    body = "\n".join(sections[key] for key in sorted(sections))
    document.write_text(f"{heading}\n{body}")


def _order(section_text: str) -> tuple[int, int]:
    calls, target = HEADING.match(section_text).groups()
    names = list(TARGET_NAMES.values())
    return int(calls.replace(",", "")), names.index(target or "DuckDB")


def main() -> None:
    calls_text = os.environ.get("BENCH_CALLS") or "1000000"
    if not calls_text.isdecimal() or int(calls_text) < 1:
        sys.exit(f"make bench: BENCH_CALLS must be a whole number of calls, not {calls_text!r}")
    calls = int(calls_text)
    directory = Path(os.environ.get("BENCH_DIR") or project.PROJECT_DIR / "warehouse" / "bench")
    document = Path(os.environ.get("BENCH_DOC") or project.PROJECT_DIR / "docs" / "benchmarks.md")
    target = os.environ.get("BENCH_TARGET") or "duckdb"
    if target not in TARGET_NAMES:
        sys.exit(f"BENCH_TARGET must be one of {', '.join(TARGET_NAMES)}, not {target!r}")
    steps, raw_bytes, marts_bytes, api, rewrites = run(calls, directory, target)
    text = section(calls, steps, raw_bytes, marts_bytes, target, rewrites) + api
    write(document, text)
    print(text)


if __name__ == "__main__":
    main()
