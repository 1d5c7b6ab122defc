"""`dbt docs generate` works, every model and column it finds is described, and the marts carry
the descriptions."""

import json

from warehouses import copy_warehouse, dbt_target, run_dbt


def test_every_model_and_column_is_described(fixture_warehouse, tmp_path):
    """The catalog of the built warehouse against the project's descriptions (the builds
    compile every node already: here only the catalog is made)."""
    run_dbt(
        "docs", "generate", "--no-compile", warehouse=copy_warehouse(fixture_warehouse, tmp_path)
    )
    manifest = json.loads((dbt_target() / "manifest.json").read_text())
    catalog = json.loads((dbt_target() / "catalog.json").read_text())
    models = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model"
    }
    undescribed = [name for name, node in models.items() if not node["description"]]
    undescribed += [
        f"{node['name']}.{column}"
        for node in models.values()
        for column, properties in node["columns"].items()
        if not properties["description"]
    ]
    undocumented = [
        f"{models[unique_id]['name']}.{column}"
        for unique_id, built in catalog["nodes"].items()
        if unique_id in models
        for column in built["columns"]
        if column not in models[unique_id]["columns"]
    ]
    assert undescribed == []
    assert undocumented == []
    assert len(catalog["nodes"]) >= 30  # staging and marts were all found in the warehouse


def test_the_published_marts_carry_their_descriptions_as_comments(query):
    """What BI tools show of a table and its columns: the descriptions of _facts__models.yml."""
    [(table,)] = query(
        "select comment from duckdb_tables()"
        " where schema_name = 'marts' and table_name = 'fct_calls'"
    )
    assert table.startswith("One row per call: its current version (the newest accepted one)")
    columns = query(
        "select column_name, comment from duckdb_columns()"
        " where schema_name = 'marts' and table_name = 'fct_calls'"
        " and column_name in ('call_id', 'call_sid')"
        " order by 1"
    )
    assert columns == [("call_id", "Call id."), ("call_sid", "The telephony provider's call id.")]
