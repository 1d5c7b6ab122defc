"""Run dbt on the project, in-process, against the configured target."""

import multiprocessing
import os
import re
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from unittest.mock import patch
from urllib.parse import unquote, urlparse

import duckdb
import psycopg
from tqdm import tqdm

from callstats import project, publish, warehouse

if TYPE_CHECKING:
    from dbt.cli.main import dbtRunnerResult
    from dbt_common.events.base_types import EventMsg

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

    def __init__(self, enabled: bool, label: str) -> None:
        self.enabled = enabled
        self.label = label
        self.bar: tqdm | None = None

    def __call__(self, event: "EventMsg") -> None:
        name = event.info.name
        if name == "LogStartLine" and self.bar is None:
            self.bar = tqdm(
                total=event.data.total, desc=self.label, unit="node", disable=not self.enabled
            )
        elif name == "NodeFinished" and self.bar is not None:
            node = event.data.node_info
            if node.resource_type != "operation":  # hooks are not counted in the total
                self.bar.set_postfix_str(node.node_name[:40], refresh=False)
                self.bar.update()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_dbt(*args: str, verbose: bool, progress: bool, label: str = "build") -> "dbtRunnerResult":
    """Invoke dbt on the output of CALLSTATS_TARGET's name in the project's own profile (or in
    the profiles.yml of CALLSTATS_PROFILES_DIR); raise BuildFailed, naming the first node that
    failed and its first error line, when it does not succeed. Unless `verbose`, dbt's console
    log is off (its log file, logs/dbt.log, keeps everything) and `progress` shows a bar."""
    from dbt.cli.main import dbtRunner  # here: importing dbt takes seconds, unneeded elsewhere

    target = project.target()
    warehouse = project.warehouse_path()
    if target == "duckdb":
        # relative to the working directory: dbt's profile, and so its parsed project, is then
        # the same for every warehouse of one name built from there (docs/decisions.md)
        warehouse = Path(os.path.relpath(warehouse))
    # what profiles.yml reads, for this invocation only: a server this process starts later
    # (`callstats demo`) works from another folder
    profile_environment = {
        "CALLSTATS_TARGET": target,
        "CALLSTATS_WAREHOUSE": str(warehouse),
        "CALLSTATS_MARTS": str(publish.building_path(warehouse)),
    }
    bar = _Progress(progress and not verbose, label)
    quiet = [] if verbose else ["--log-level", "none", "--log-level-file", "debug"]
    try:
        with patch.dict(os.environ, profile_environment):
            result = dbtRunner(callbacks=[bar]).invoke(
                [
                    *args,
                    *quiet,
                    "--project-dir",
                    str(project.PROJECT_DIR),
                    "--profiles-dir",
                    os.environ.get("CALLSTATS_PROFILES_DIR") or str(project.PROJECT_DIR),
                    "--target",
                    target,
                ]
            )
    finally:
        bar.close()
    if not result.success:
        log = Path(os.environ.get("DBT_LOG_PATH") or project.PROJECT_DIR / "logs") / "dbt.log"
        raise BuildFailed(f"dbt {args[0]} failed: {_failure(result)} (log: {log})")
    return result


def _failure(result: "dbtRunnerResult") -> str:
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
    others = len(failed) - 1
    return line + (f" ({others} more node{'s' if others > 1 else ''} failed)" if others else "")


def _first_line(text: str) -> str:
    """The first line of an error that says what went wrong, past dbt's "Runtime Error" or
    "... Error in model x (path)" heading."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    said = [line for line in lines if not re.fullmatch(r"\w+ Error(?: in .*\(.*\))?", line)]
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
    copy of the published marts (publish.py); on Spark the built tables are then written into
    a DuckDB marts file (publish_spark_marts); with PostgreSQL as their serving store, that
    file is then copied there (publish.publish_postgres). On PostgreSQL the marts are read
    where dbt built them: dbt swaps each rebuilt table in one transaction."""
    started = time.perf_counter()
    target, store = project.target(), project.serving_store()
    copy_to_postgres = store == "postgres" and target != "postgres"
    if copy_to_postgres:
        _check_serving_store()
    if target == "duckdb":
        publish.prepare(project.warehouse_path(), empty=full_refresh)
    prepared = time.perf_counter()
    result = run_dbt(
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
    if target == "duckdb":
        publish.publish(project.warehouse_path())
    elif target == "spark":
        publish_spark_marts(verbose=verbose, progress=progress)
    if copy_to_postgres:
        try:
            publish.publish_postgres(publish.published_path(project.warehouse_path()))
        except psycopg.Error as error:
            raise BuildFailed(
                "publishing into PostgreSQL failed; the DuckDB marts file is published and"
                f" PostgreSQL keeps its previous marts: {_first_line(str(error))}"
            ) from error
    ended = time.perf_counter()
    return BuildTimes(
        models_s=_busy_seconds(spans["models"]),
        tests_s=_busy_seconds(spans["tests"]),
        publish_s=(prepared - started) + (ended - published),
        total_s=ended - started,
    )


def _check_serving_store() -> None:
    """Before a build: BuildFailed unless PostgreSQL, the serving store, is reachable and its
    login may create the schema a publication fills (publish.publish_postgres)."""
    try:
        with psycopg.connect("", connect_timeout=10) as connection:
            [(database, may_create)] = connection.execute(
                "select current_database(), has_database_privilege(current_database(), 'create')"
            ).fetchall()
    except psycopg.Error as error:
        raise BuildFailed(
            f"the PostgreSQL serving store is not reachable: {_first_line(str(error))}"
        ) from error
    if not may_create:
        raise BuildFailed(
            f"the PostgreSQL serving store's login may not create schemas in database {database}"
        )


def publish_spark_marts(*, verbose: bool = False, progress: bool = True) -> Path:
    """Publish the marts tables of a Spark build as the DuckDB marts file the API reads
    (publish.published_path), as a DuckDB build publishes them.

    What to publish, and DuckDB's types for it, come from DuckDB itself: the project is built
    on DuckDB, without its tests, from empty raw tables (once for each version of the project:
    _marts_schema), and every table of that build's marts is filled with the rows of Spark's
    table of the same name, read from its Parquet files (publish.publish_parquet). Spark names
    the files through dbt's connection to it (_spark_files), whatever its method: `session`,
    or `thrift` and `http` on a cluster, whose files this host must be able to read. Raises
    BuildFailed when the DuckDB build fails or Spark lacks one of its marts tables, with
    nothing published.
    """
    schema = _marts_schema(verbose=verbose, progress=progress)
    with duckdb.connect(str(schema), read_only=True) as connection:
        tables = list(publish.marts_columns(connection))
    files = _spark_files(tables, verbose=verbose)
    return publish.publish_parquet(project.warehouse_path(), schema, files)


def _spark_files(tables: list[str], *, verbose: bool) -> dict[str, list[str]]:
    """The Parquet files of each of Spark's `marts` tables, as Spark names them in its
    `_metadata.file_path` (one `dbt show` over every table), in the order of the table's rows:
    Spark names a table's files part-00000, part-00001, ... in the order of its write's
    partitions, which for a model ending in `order by` are ranges of that order. A table
    without rows has no files. Local files (`file:` URIs) are given as paths, others (`s3://`,
    `abfss://`, ...) as their URIs."""
    listing = " union all ".join(
        f"select '{table}' as table_name, _metadata.file_path as file_path"
        f" from marts.{table} group by all"
        for table in tables
    )
    result = run_dbt("show", "--inline", listing, "--limit", "-1", verbose=verbose, progress=False)
    files: dict[str, list[str]] = {table: [] for table in tables}
    for table, uri in result.result.results[0].agate_table.rows:
        parsed = urlparse(uri)
        files[table].append(unquote(parsed.path) if parsed.scheme == "file" else uri)
    return {table: sorted(names) for table, names in files.items()}


def _marts_schema(*, verbose: bool, progress: bool) -> Path:
    """The marts file of a DuckDB build of the project from empty raw tables (_build_empty),
    kept in the Spark directory as marts-schema-<project.digest()>.duckdb: built once for
    each version of the project, the older one removed."""
    schema = project.spark_dir() / f"marts-schema-{project.digest()}.duckdb"
    if schema.exists():
        return schema
    with tempfile.TemporaryDirectory(prefix="callstats-schema-") as scratch:
        empty = Path(scratch) / "empty.duckdb"
        # A process of its own: dbt-duckdb keeps its DuckDB instance open in the process that
        # ran it, and the build's environment variables stay the Spark build's.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as process:
            process.submit(_build_empty, empty, verbose=verbose, progress=progress).result()
        built = publish.building_path(empty)
        duckdb.connect(str(built)).close()  # any write-ahead log into the file
        for older in schema.parent.glob("marts-schema-*.duckdb"):
            older.unlink()
        copied = schema.with_suffix(".copying")
        shutil.copyfile(built, copied)
        os.replace(copied, schema)
    return schema


def _build_empty(empty: Path, *, verbose: bool, progress: bool) -> None:
    """Build the project's seeds and models, not its tests, on DuckDB from empty raw tables:
    the warehouse `empty` (a new file) and its marts file, publish.building_path(empty)."""
    with duckdb.connect(str(empty)) as connection:
        warehouse.ensure_raw_tables(connection)
    os.environ.update(CALLSTATS_TARGET="duckdb", CALLSTATS_WAREHOUSE=str(empty))
    os.environ.pop("CALLSTATS_PROFILES_DIR", None)  # the project's own profile
    run_dbt(
        "build",
        "--exclude-resource-type",
        "test",
        "--exclude-resource-type",
        "unit_test",
        "--target-path",
        str(empty.parent / "target"),
        verbose=verbose,
        progress=progress,
        label="publish",
    )
