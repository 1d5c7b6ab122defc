"""Publishing marts stored as Parquet files (a Spark build's) as the published marts file."""

import duckdb

from callstats.publish import publish_parquet, published_path


def test_parquet_rows_are_published_in_order_in_row_groups_of_the_marts_size(tmp_path):
    """70,000 rows in two files of 40,000 and 30,000: they keep the files' order, in row
    groups of at most 32,768 rows (DuckDB's default would hold each file in one), with the
    reference file's column types."""
    reference = tmp_path / "reference.duckdb"
    with duckdb.connect(str(reference)) as connection:
        connection.execute("create schema marts")
        connection.execute("create table marts.fct_items (item_id bigint, item_name varchar)")
    files = [str(tmp_path / "part-0.parquet"), str(tmp_path / "part-1.parquet")]
    with duckdb.connect() as connection:
        for path, (start, stop) in zip(files, [(0, 40_000), (40_000, 70_000)], strict=True):
            connection.execute(
                f"copy (select cast(range as integer) as item_id, 'item ' || range as item_name"
                f" from range({start}, {stop})) to '{path}' (format parquet)"
            )
    warehouse = tmp_path / "callstats.duckdb"
    published = publish_parquet(warehouse, reference, {"fct_items": files})
    assert published == published_path(warehouse)
    with duckdb.connect(str(published), read_only=True) as connection:
        ids = connection.execute("select item_id from marts.fct_items").fetchall()
        groups = connection.execute(
            "select row_group_id, sum(count) from pragma_storage_info('marts.fct_items')"
            " where column_name = 'item_id' and segment_type <> 'VALIDITY'"
            " group by row_group_id order by row_group_id"
        ).fetchall()
        [(id_type,)] = connection.execute(
            "select data_type from duckdb_columns() where column_name = 'item_id'"
        ).fetchall()
    assert ids == [(item,) for item in range(70_000)]
    sizes = [rows for _, rows in groups]
    assert (max(sizes), sum(sizes)) == (32_768, 70_000)
    assert id_type == "BIGINT"
