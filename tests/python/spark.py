"""Spark for the tests: a DuckDB warehouse's raw rows copied into the `spark` target's
catalog (Parquet tables beside the warehouse), and its marts compared with DuckDB's."""

import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import NamedTuple
from unittest.mock import patch

import duckdb
import pyspark
from servers import free_port
from warehouses import (
    BUILD_RECORDS,
    FIXTURE_NOW,
    assert_same_rows,
    comparable_rows,
    target_folder,
)

from callstats import project, warehouse
from callstats.publish import published_path
from callstats.warehouse import SparkTarget

# The rows of a marts table: (table, its columns) -> rows.
Select = Callable[[str, list[str]], list]


class SparkBuild(NamedTuple):
    """A warehouse built on Spark (its catalog in <warehouse>-spark/) and the Spark session
    that built it."""

    warehouse: Path
    session: object


@contextmanager
def target(warehouse: Path) -> Iterator[None]:
    """The environment of `callstats` on the spark target with this warehouse at the fixture's
    time, and a dbt target folder of its own (warehouses.target_folder), for as long as the
    block runs: afterwards the process's environment is as before (later tests in the process
    run on DuckDB)."""
    spark_target = {
        "CALLSTATS_WAREHOUSE": str(warehouse),
        "CALLSTATS_TARGET": "spark",
        "CALLSTATS_NOW": FIXTURE_NOW,
        "DBT_TARGET_PATH": target_folder("spark"),
    }
    with patch.dict(os.environ, spark_target):
        yield


@contextmanager
def thrift_server() -> Iterator[int]:
    """What a cluster offers dbt-spark's `thrift` method: a Spark Thrift server (Spark's
    HiveThriftServer2, from pyspark's own jars) with the `spark` target's catalog and tables
    (project.spark_settings(), in the environment of target()), on one core with 1 GB. Yields
    its port on 127.0.0.1 once it accepts connections; stopped afterwards."""
    home = project.spark_dir()
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    settings = {**project.spark_settings(), "spark.master": "local[1]", "spark.driver.memory": "1g"}
    command = [str(Path(pyspark.__file__).parent / "bin" / "spark-submit")]
    command += [f"--conf={key}={value}" for key, value in settings.items()]
    command += ["--class", "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"]
    environment = {
        **os.environ,
        "HIVE_SERVER2_THRIFT_BIND_HOST": "127.0.0.1",
        "HIVE_SERVER2_THRIFT_PORT": str(port),
    }
    log = home / "thrift-server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*command, "spark-internal"], stdout=output, stderr=output, env=environment
        )
    try:
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, log.read_text()[-2000:]
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            with socket.socket() as client:
                if client.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.5)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def copy_raw_tables(duckdb_warehouse: Path, session, after: datetime | None = None) -> None:
    """Fill Spark's raw tables (and the landing tables DuckDB has) with the rows of a DuckDB
    warehouse's, every column, loaded_at included, as an EL tool would; only the rows loaded
    after `after` when given."""
    with duckdb.connect(str(duckdb_warehouse), read_only=True) as source:
        warehouse.copy_raw_tables(source, SparkTarget(session, source), after)


def spark_select(session) -> Select:
    """The rows of Spark's marts tables."""

    def select(table: str, columns: list[str]) -> list:
        names = ", ".join(f"`{column}`" for column in columns)
        return session.sql(f"select {names} from marts.{table}").collect()

    return select


def duckdb_select(marts: Path) -> Select:
    """The rows of a DuckDB marts file's tables."""

    def select(table: str, columns: list[str]) -> list:
        names = ", ".join(f'"{column}"' for column in columns)
        with duckdb.connect(str(marts), read_only=True) as connection:
            return connection.execute(f"select {names} from marts.{table}").fetchall()

    return select


def assert_same_marts(duckdb_warehouse: Path, select: Select) -> None:
    """Every marts table a DuckDB warehouse published and `select`'s hold the same rows (floats
    within 1e-9 relative, json as parsed values)."""
    with duckdb.connect(str(published_path(duckdb_warehouse)), read_only=True) as duck:
        tables = duck.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
            f" and table_type = 'BASE TABLE' and table_name not in ({BUILD_RECORDS}) order by 1"
        ).fetchall()
        assert len(tables) >= 20
        for (table,) in tables:
            columns = [
                column
                for (column,) in duck.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
            ]
            expected = comparable_rows(
                duck.execute(f"select {', '.join(columns)} from marts.{table}").fetchall()
            )
            assert_same_rows(comparable_rows(select(table, columns)), expected, table)


def marts_columns(marts: Path) -> list[tuple[str, str, str]]:
    """(table, column, DuckDB type) of every column of a DuckDB marts file, in order."""
    with duckdb.connect(str(marts), read_only=True) as connection:
        return connection.execute(
            "select table_name, column_name, data_type from information_schema.columns"
            " where table_schema = 'marts' order by table_name, ordinal_position"
        ).fetchall()
