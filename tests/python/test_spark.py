"""The same raw rows built by dbt on Apache Spark give the same marts as on DuckDB, and
`callstats build` publishes them as a DuckDB build does: `callstats serve` answers every
documented request from them exactly as from the DuckDB build."""

import os
import shutil
from contextlib import closing
from datetime import datetime
from pathlib import Path
from unittest.mock import patch

import pytest
import yaml
from api_cases import SCOPES, assert_same_answers, each_request
from falcon import testing
from late_rows import LATE_LOAD, lonely_call, write_late_files
from pyhive import hive
from spark import (
    SparkBuild,
    assert_same_marts,
    copy_raw_tables,
    duckdb_select,
    marts_columns,
    spark_select,
    target,
    thrift_server,
)
from warehouses import (
    FIXTURE_NOW,
    copy_warehouse,
    in_stored_order,
    query_function,
    run_callstats,
    run_result,
    stored_orders,
)

from api.app import create_app
from api.config import Config
from api.serialize import timestamp
from callstats import headline, project
from callstats.build import publish_spark_marts, run_dbt
from callstats.keys import SqliteKeyStore
from callstats.publish import published_path

pytestmark = pytest.mark.spark


def test_marts_are_identical_on_duckdb_and_spark(spark_warehouse, fixture_warehouse):
    """Spark's build first: meanwhile another pytest-xdist worker builds the DuckDB one."""
    assert_same_marts(fixture_warehouse, spark_select(spark_warehouse.session))


def test_published_marts_hold_sparks_rows(fixture_warehouse, spark_warehouse):
    assert_same_marts(fixture_warehouse, duckdb_select(published_path(spark_warehouse.warehouse)))


def test_published_marts_have_the_tables_columns_and_types_of_a_duckdb_build(
    fixture_warehouse, spark_warehouse
):
    published = marts_columns(published_path(spark_warehouse.warehouse))
    assert published == marts_columns(published_path(fixture_warehouse))
    assert {"publication", "build_manifest", "fct_calls"} <= {table for table, _, _ in published}


def test_published_marts_are_stored_in_the_models_order(spark_warehouse):
    orders = stored_orders()
    assert orders["fct_calls"] == [("started_at", False)]
    assert orders["fct_stt_events_by_time"] == [("created_at", True)]
    select = duckdb_select(published_path(spark_warehouse.warehouse))
    for table, order in orders.items():
        rows = select(table, [column for column, _ in order])
        assert rows, table
        assert in_stored_order(rows, order), table


@pytest.fixture(scope="module")
def apps(fixture_warehouse: Path, spark_warehouse: SparkBuild):
    """The API as `callstats serve` starts it on the spark target (its keys in the SQLite file
    beside the warehouse), the API over the DuckDB build reading the same keys, and tokens."""
    with target(spark_warehouse.warehouse):
        on_spark = Config.from_environment()
    with closing(on_spark.key_store()) as store:
        assert isinstance(store, SqliteKeyStore)
        tokens = {name: store.create(scope, name)[1] for name, scope in SCOPES.items()}
    on_duckdb = Config(marts_path=published_path(fixture_warehouse), keys_path=on_spark.keys_path)
    return (
        testing.TestClient(create_app(on_duckdb)),
        testing.TestClient(create_app(on_spark)),
        tokens,
    )


@each_request
def test_the_api_answers_from_spark_as_from_duckdb(apps, monkeypatch, path, token, parameters):
    monkeypatch.setenv("CALLSTATS_NOW", FIXTURE_NOW)
    assert_same_answers(*apps, path, token, parameters)


def test_health_reports_the_spark_build(apps, spark_warehouse):
    _, spark, _ = apps
    [(recorded,)] = spark_warehouse.session.sql(
        "select cast(marts_built_at as string) from marts.publication"
    ).collect()
    answer = spark.simulate_get("/health")
    assert answer.status_code == 200
    assert answer.json == {
        "status": "ok",
        "marts_built_at": timestamp(datetime.fromisoformat(recorded)),
    }


def test_headline_numbers_of_a_spark_build(fixture_warehouse, spark_warehouse):
    on_spark = headline.report(spark_warehouse.warehouse, target="spark").splitlines()
    on_duckdb = headline.report(fixture_warehouse).splitlines()
    assert on_spark[0] == f"Warehouse: {spark_warehouse.warehouse}"
    assert on_spark[1:] == on_duckdb[1:]
    assert len(on_spark) > 2


def test_a_cluster_build_is_published_through_its_thrift_server(
    fixture_warehouse, spark_warehouse, tmp_path
):
    """On a cluster dbt reaches Spark through its Thrift server (`method: thrift`, in the
    profiles.yml of CALLSTATS_PROFILES_DIR) and publishing asks it for the marts' files. This
    server has a catalog of its own, whose marts tables are copies of the build's, one of them
    changed through the server: what is published is the server's tables."""
    with target(spark_warehouse.warehouse):
        built = project.spark_dir()
    warehouse = tmp_path / "callstats.duckdb"
    with target(warehouse), thrift_server() as port:
        copies = shutil.copytree(built / "tables" / "marts.db", project.spark_dir() / "marts")
        for schema in built.glob("marts-schema-*"):  # not built again
            shutil.copy(schema, project.spark_dir())
        with closing(hive.connect("127.0.0.1", port)) as connection:
            cursor = connection.cursor()
            cursor.execute("create database marts")
            for table in sorted(copies.iterdir()):
                cursor.execute(f"create table marts.{table.name} using parquet location '{table}'")
            cursor.execute(
                "insert overwrite marts.publication select timestamp '2031-01-02 03:04:05'"
            )
        output = {"type": "spark", "method": "thrift", "host": "127.0.0.1", "port": port}
        output |= {"user": "callstats", "schema": "default", "threads": 1}
        output |= {"server_side_parameters": {"spark.sql.session.timeZone": "UTC"}}
        profile = {"callstats": {"target": "spark", "outputs": {"spark": output}}}
        (tmp_path / "profiles.yml").write_text(yaml.safe_dump(profile))
        cluster = {
            "CALLSTATS_PROFILES_DIR": str(tmp_path),
            "DBT_TARGET_PATH": str(tmp_path / "target"),
        }
        with patch.dict(os.environ, cluster):
            publish_spark_marts(progress=False)

    select = duckdb_select(published_path(warehouse))
    assert_same_marts(fixture_warehouse, select)
    assert select("publication", ["marts_built_at"]) == [(datetime(2031, 1, 2, 3, 4, 5),)]


def test_an_incremental_build_on_spark_equals_a_full_refresh(
    fixture_warehouse, spark_warehouse, tmp_path
):
    """Late and repeated rows land on Spark after the build above; the incremental run that
    follows (`dbt run`, as a data engineer runs it, then the publication of `callstats build`)
    gives the marts of a full refresh over the same raw rows, on DuckDB (whose full build the
    tests above find equal to Spark's): every table is compared here, so the data tests, which
    ran on Spark's first build, are not run again. Runs last: it changes the Spark build."""
    reference = copy_warehouse(fixture_warehouse, tmp_path)
    lonely_call_id, _ = lonely_call(query_function(published_path(fixture_warehouse)))
    run_callstats(
        "load",
        *write_late_files(reference, tmp_path, lonely_call_id),
        warehouse=reference,
        now=LATE_LOAD,
    )
    run_callstats("build", "--full-refresh", warehouse=reference, now=FIXTURE_NOW)
    session = spark_warehouse.session
    fixture_load = datetime.fromisoformat(FIXTURE_NOW).replace(tzinfo=None)
    copy_raw_tables(reference, session, after=fixture_load)
    with target(spark_warehouse.warehouse):
        [schema] = project.spark_dir().glob("marts-schema-*")
        schema_built = schema.stat().st_mtime_ns
        run_dbt("run", verbose=False, progress=False)
        compiled = run_result("fct_calls")["compiled_code"]
        publish_spark_marts(progress=False)
        schemas = list(project.spark_dir().glob("marts-schema-*"))

    assert_same_marts(reference, spark_select(session))
    # a copy: this process's DuckDB still holds the file the API above opened, by its path
    published = tmp_path / "published.duckdb"
    shutil.copy(published_path(spark_warehouse.warehouse), published)
    assert_same_marts(reference, duckdb_select(published))
    # the run was incremental: it re-staged the calls and kept the organizations' rows
    # (no late rows), and the facts read the change set
    [(organizations,)] = session.sql(
        "select max(staged_at) from staging.base_raw__organizations"
    ).take(1)
    [(calls,)] = session.sql("select max(staged_at) from staging.base_raw__calls").take(1)
    assert organizations < calls
    # publishing reused the marts schema of the first build's DuckDB build
    assert schemas == [schema]
    assert schema.stat().st_mtime_ns == schema_built
    change_set = "intermediate.int_calls_changed_this_run"
    assert f"where call_id in (select call_id from {change_set})" in compiled
