"""Warehouses built by the real `callstats` command and dbt, shared by the tests."""

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import postgres
import psutil
import pytest
import spark
from falcon import testing
from filelock import FileLock
from servers import free_port, running
from warehouses import (
    FIXTURE_NOW,
    FIXTURES,
    PROJECT_DIR,
    Query,
    query_function,
    run_callstats,
)

from api.app import create_app
from api.config import Config
from callstats.build import build_marts
from callstats.keys import Scope, SqliteKeyStore, keys_path
from callstats.publish import published_path
from callstats.warehouse import spark_session


def pytest_configure(config: pytest.Config) -> None:
    """Each pytest-xdist worker (`make test`) runs dbt with target and log folders of its own:
    target/<worker>/ and logs/<worker>/."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        os.environ["DBT_TARGET_PATH"] = str(PROJECT_DIR / "target" / worker)
        os.environ["DBT_LOG_PATH"] = str(PROJECT_DIR / "logs" / worker)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The Spark tests first, then the other slow modules, longest first (their `slow` marker's
    `cpu_s`), then the rest, each module's tests together: `make test`'s workers take test
    files in this order, so the longest start first and the short ones fill in beside them."""

    def cpu_s(item: pytest.Item) -> float:
        slow = item.get_closest_marker("slow")
        return slow.kwargs["cpu_s"] if slow else 0

    items.sort(key=lambda item: (item.get_closest_marker("spark") is None, -cpu_s(item)))


def _made_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]
) -> Path:
    """The folder `name`, filled by make(folder) once per test run: under pytest-xdist (`make
    test`) by the first worker that asks, while the others wait for it. It appears whole or
    not at all."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, which holds each worker's own
    folder = root / name
    with FileLock(root / f"{name}.lock"):
        if not folder.exists():
            making = root / f"{name}.making"
            shutil.rmtree(making, ignore_errors=True)
            making.mkdir()
            make(making)
            making.rename(folder)
    return folder


def _yield_the_cpu_to_this_worker() -> None:
    """Under pytest-xdist, the other workers and every process they run or start from now on
    take the CPU after this one (nice 10): the Spark tests are the run's longest chain of work,
    one JVM on one core, and the rest fits beside them on the other core."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return
    this = psutil.Process()
    for worker in this.parent().children():
        if worker.pid != this.pid:
            for process in [worker, *worker.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    process.nice(10)


@pytest.fixture(scope="session")
def fixture_raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written raw rows of fixtures/raw, loaded but not built."""

    def load(folder: Path) -> None:
        files = sorted(str(path) for path in (FIXTURES / "raw").glob("*.jsonl"))
        warehouse = folder / "callstats.duckdb"
        loaded = run_callstats("load", *files, warehouse=warehouse, now=FIXTURE_NOW, check=False)
        assert loaded.returncode == 1, loaded.stderr  # tool_calls.jsonl line 5 is not JSON

    return _made_once(tmp_path_factory, "fixture-raw", load) / "callstats.duckdb"


@pytest.fixture(scope="session")
def fixture_warehouse(tmp_path_factory: pytest.TempPathFactory, fixture_raw: Path) -> Path:
    """fixture_raw, built. Every test of the run reads the same one: a test that writes to it
    works on a copy (warehouses.copy_warehouse)."""

    def build(folder: Path) -> None:
        warehouse = folder / fixture_raw.name
        shutil.copyfile(fixture_raw, warehouse)
        run_callstats("build", warehouse=warehouse, now=FIXTURE_NOW)

    return _made_once(tmp_path_factory, "fixture", build) / fixture_raw.name


@pytest.fixture(scope="session")
def server(fixture_warehouse: Path) -> Iterator[str]:
    """`callstats serve` (gunicorn) on the fixture warehouse, "now" pinned to the fixture's
    now: its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running(
        "serve",
        "--port",
        str(port),
        warehouse=fixture_warehouse,
        ready_url=f"{base}/health",
        env={"CALLSTATS_NOW": FIXTURE_NOW},
    ):
        yield base


@pytest.fixture(scope="session")
def query(fixture_warehouse: Path) -> Query:
    return query_function(published_path(fixture_warehouse))


@pytest.fixture(scope="session")
def tokens(fixture_warehouse: Path) -> dict[str, str]:
    """Tokens of every scope for the fixture warehouse: all, org-a, org-b, reseller res-1."""
    store = SqliteKeyStore(keys_path(fixture_warehouse))
    scopes = {
        "all": Scope("all"),
        "org-a": Scope("org", "org-a"),
        "org-b": Scope("org", "org-b"),
        "res-1": Scope("reseller", "res-1"),
    }
    return {name: store.create(scope, name)[1] for name, scope in scopes.items()}


@pytest.fixture(scope="session")
def client(fixture_warehouse: Path) -> testing.TestClient:
    """The API over the fixture warehouse's published marts."""
    config = Config(
        marts_path=published_path(fixture_warehouse), keys_path=keys_path(fixture_warehouse)
    )
    return testing.TestClient(create_app(config))


@pytest.fixture
def get(client: testing.TestClient, tokens: dict[str, str], monkeypatch):
    """GET a path as one of the fixture tokens, with "now" pinned to the fixture's now."""
    monkeypatch.setenv("CALLSTATS_NOW", FIXTURE_NOW)

    def request(
        path: str, token: str = "all", headers: dict[str, str] | None = None, **params
    ) -> testing.Result:
        authorization = {"Authorization": f"Bearer {tokens[token]}"} if token else {}
        return client.simulate_get(
            path, params=params or None, headers={**authorization, **(headers or {})}
        )

    return request


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[dict[str, str]]:
    """A throwaway PostgreSQL cluster with an empty `callstats` database: its libpq
    environment. Tests that build other data there create a database of their own."""
    with postgres.cluster() as environment:
        yield environment


@pytest.fixture(scope="session")
def postgres_warehouse(fixture_raw: Path, postgres_cluster: dict[str, str]) -> dict[str, str]:
    """The fixture's raw rows in postgres_cluster's `callstats` database, built there by
    `callstats build`."""
    postgres.copy_raw_tables(fixture_raw, postgres_cluster)
    run_callstats(
        "build",
        warehouse=fixture_raw,
        now=FIXTURE_NOW,
        env={**postgres_cluster, "CALLSTATS_TARGET": "postgres"},
    )
    return postgres_cluster


@pytest.fixture(scope="session")
def spark_warehouse(
    fixture_raw: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[spark.SparkBuild]:
    """The fixture's raw rows copied into Spark (the catalog of a warehouse of its own) and
    built there as `callstats build` does, published marts included, all in this process: one
    Spark session, which dbt-spark's `session` method reuses."""
    _yield_the_cpu_to_this_worker()
    warehouse = tmp_path_factory.mktemp("spark") / "callstats.duckdb"
    with spark.target(warehouse):
        session = spark_session()
    try:
        spark.copy_raw_tables(fixture_raw, session)
        with spark.target(warehouse):
            build_marts(progress=False)
        yield spark.SparkBuild(warehouse, session)
    finally:
        session.stop()
