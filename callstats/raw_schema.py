"""The raw tables of raw-tables.md: their columns, logical types and DDL per engine.

The tables are declared once, as the dbt source `raw` (models/staging/raw/_raw__sources.yml, each
column's `data_type` a logical type); `callstats load` and `callstats generate` create them
from that declaration, and the staging models read them through it.
"""

import yaml

from callstats.project import PROJECT_DIR

RAW_SCHEMA = "raw"
SOURCES_FILE = PROJECT_DIR / "models" / "staging" / "raw" / "_raw__sources.yml"


def _declared_tables() -> dict[str, dict[str, str]]:
    """{table: {column: logical type}} of the source `raw`, in declaration order."""
    sources = yaml.safe_load(SOURCES_FILE.read_text())["sources"]
    [raw] = [source for source in sources if source["name"] == RAW_SCHEMA]
    return {
        table["name"]: {column["name"]: column["data_type"] for column in table["columns"]}
        for table in raw["tables"]
    }


RAW_TABLES: dict[str, dict[str, str]] = _declared_tables()

ENGINE_TYPES = {
    "duckdb": {"json": "json", "double": "double"},
    "postgres": {"json": "jsonb", "double": "double precision"},
}


def create_table_statements(engine: str) -> list[str]:
    """Create the raw schema and each raw table, and add the columns an older table lacks."""
    types = ENGINE_TYPES[engine]
    statements = [f"create schema if not exists {RAW_SCHEMA}"]
    for table, columns in RAW_TABLES.items():
        typed = {column: types.get(kind, kind) for column, kind in columns.items()}
        body = ",\n    ".join(f"{column} {kind}" for column, kind in typed.items())
        statements.append(f"create table if not exists {RAW_SCHEMA}.{table} (\n    {body}\n)")
        statements += [
            f"alter table {RAW_SCHEMA}.{table} add column if not exists {column} {kind}"
            for column, kind in typed.items()
        ]
    return statements
