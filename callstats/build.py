"""Run dbt on the project, in-process, against the configured target."""

import os
import re
import time
from dataclasses import dataclass
from datetime import datetime

from dbt.cli.main import dbtRunner, dbtRunnerResult
from dbt_common.events.base_types import EventMsg
from tqdm import tqdm

from callstats import project, publish

LOG_PATH = project.PROJECT_DIR / "logs" / "dbt.log"
FAILED = {"error", "fail", "runtime error"}


class BuildFailed(RuntimeError):
    pass


@dataclass(frozen=True)
class BuildTimes:
    """Wall-clock seconds of a build: while any model (seeds included) or test ran, and
    publishing (copying the published marts to build on, then swapping them in)."""

    models_s: float
    tests_s: float
    publish_s: float
    total_s: float


class _Progress:
    """One bar over the nodes dbt runs (models, seeds, tests), fed by dbt's events."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: tqdm | None = None

    def __call__(self, event: EventMsg) -> None:
        name = event.info.name
        if name == "LogStartLine" and self.bar is None:
            self.bar = tqdm(
                total=event.data.total, desc="build", unit="node", disable=not self.enabled
            )
        elif name == "NodeFinished" and self.bar is not None:
            node = event.data.node_info
            if node.resource_type != "operation":  # hooks are not counted in the total
                self.bar.set_postfix_str(node.node_name[:40], refresh=False)
                self.bar.update()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _run_dbt(*args: str, verbose: bool, progress: bool) -> dbtRunnerResult:
    """Invoke dbt with the project's own profile; raise BuildFailed, naming the first node that
    failed and its first error line, when it does not succeed. Unless `verbose`, dbt's console
    log is off (its log file, logs/dbt.log, keeps everything) and `progress` shows a bar."""
    os.environ["CALLSTATS_TARGET"] = project.target()
    os.environ["CALLSTATS_WAREHOUSE"] = str(project.warehouse_path())
    os.environ["CALLSTATS_MARTS"] = str(publish.building_path(project.warehouse_path()))
    bar = _Progress(progress and not verbose)
    quiet = [] if verbose else ["--log-level", "none", "--log-level-file", "debug"]
    try:
        result = dbtRunner(callbacks=[bar]).invoke(
            [
                *args,
                *quiet,
                "--project-dir",
                str(project.PROJECT_DIR),
                "--profiles-dir",
                str(project.PROJECT_DIR),
            ]
        )
    finally:
        bar.close()
    if not result.success:
        raise BuildFailed(f"dbt {args[0]} failed: {_failure(result)} (log: {LOG_PATH})")
    return result


def _failure(result: dbtRunnerResult) -> str:
    """The first failed node and its first error line, and how many others failed."""
    if result.exception is not None:
        return _first_line(str(result.exception))
    failed = [r for r in getattr(result.result, "results", []) if str(r.status) in FAILED]
    if not failed:
        return "a model or test failed"
    first = failed[0]
    line = f"{first.node.resource_type} {first.node.name}: {_first_line(first.message or '')}"
    if "schemas on this incremental model are out of sync" in (first.message or ""):
        line += " Its columns changed: run callstats build --full-refresh"
    return line + (f" (and {len(failed) - 1} more)" if len(failed) > 1 else "")


def _first_line(text: str) -> str:
    """The first line of an error that says what went wrong, past dbt's "... Error in model
    x (path)" heading."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    said = [line for line in lines if not re.fullmatch(r"\w+ Error in .*\(.*\)", line)]
    return (said or lines or ["no message"])[0]


def _busy_seconds(intervals: list[tuple[datetime, datetime]]) -> float:
    """Seconds during which at least one of the intervals was running."""
    busy, end = 0.0, None
    for start, stop in sorted(intervals):
        if end is None or start > end:
            busy, end = busy + (stop - start).total_seconds(), stop
        elif stop > end:
            busy, end = busy + (stop - end).total_seconds(), stop
    return busy


def build_marts(
    *, full_refresh: bool = False, verbose: bool = False, progress: bool = True
) -> BuildTimes:
    """`dbt build` (every model, seed and data test), then publish the marts to the API; a
    failed model or test publishes nothing. Unit tests belong to the test suite, not to
    production builds (they read fixtures, not the warehouse). On DuckDB the build works on a
    copy of the published marts (publish.py); on PostgreSQL the marts are read where dbt built
    them: dbt swaps each rebuilt table in one transaction."""
    started = time.perf_counter()
    duckdb_target = project.target() == "duckdb"
    if duckdb_target:
        publish.prepare(project.warehouse_path())
    prepared = time.perf_counter()
    result = _run_dbt(
        "build",
        "--exclude-resource-type",
        "unit_test",
        *(["--full-refresh"] if full_refresh else []),
        verbose=verbose,
        progress=progress,
    )
    spans: dict[str, list[tuple[datetime, datetime]]] = {"models": [], "tests": []}
    for node_result in result.result.results:
        kind = "tests" if node_result.node.resource_type == "test" else "models"
        spans[kind] += [
            (timing.started_at, timing.completed_at)
            for timing in node_result.timing
            if timing.started_at and timing.completed_at
        ]
    published = time.perf_counter()
    if duckdb_target:
        publish.publish(project.warehouse_path())
    ended = time.perf_counter()
    return BuildTimes(
        models_s=_busy_seconds(spans["models"]),
        tests_s=_busy_seconds(spans["tests"]),
        publish_s=(prepared - started) + (ended - published),
        total_s=ended - started,
    )
