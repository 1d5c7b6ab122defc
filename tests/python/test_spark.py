"""The same raw rows built by dbt on Apache Spark give the same marts as on DuckDB."""

import pytest
from spark import assert_same_marts

pytestmark = pytest.mark.spark


def test_marts_are_identical_on_duckdb_and_spark(fixture_warehouse, spark_warehouse):
    assert_same_marts(fixture_warehouse, spark_warehouse)
