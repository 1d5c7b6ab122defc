"""The raw tables of raw-tables.md and the platform landing tables of sources.md: their
columns, logical types and DDL per engine.

The tables are declared once, as dbt sources: `raw` (models/staging/raw/_raw__sources.yml) and
`raw_<platform>` (models/staging/<platform>/_<platform>__sources.yml), each column's
`data_type` a logical type. `callstats load` and `callstats generate` create the tables from
those declarations, and the staging models read them through them.
"""

import yaml

from callstats.project import PROJECT_DIR

RAW_SCHEMA = "raw"
STAGING_DIR = PROJECT_DIR / "models" / "staging"
PLATFORMS = ("twilio", "vapi", "retell", "livekit", "pipecat")


def _declared_tables(folder: str, source_name: str) -> dict[str, dict[str, str]]:
    """{table: {column: logical type}} of one dbt source, in declaration order."""
    sources_file = STAGING_DIR / folder / f"_{folder}__sources.yml"
    sources = yaml.safe_load(sources_file.read_text())["sources"]
    [declared] = [source for source in sources if source["name"] == source_name]
    return {
        table["name"]: {column["name"]: column["data_type"] for column in table["columns"]}
        for table in declared["tables"]
    }


RAW_TABLES: dict[str, dict[str, str]] = _declared_tables("raw", RAW_SCHEMA)


def _landing_table(platform: str) -> tuple[str, dict[str, str]]:
    [(table, columns)] = _declared_tables(platform, f"raw_{platform}").items()
    return f"raw_{platform}.{table}", columns


# platform: (its landing table, schema-qualified; {column: logical type})
PLATFORM_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    platform: _landing_table(platform) for platform in PLATFORMS
}

ENGINE_TYPES = {
    "duckdb": {"json": "json", "double": "double"},
    "postgres": {"json": "jsonb", "double": "double precision"},
    "spark": {"json": "string", "double": "double", "text": "string"},
}


def engine_type(engine: str, logical_type: str) -> str:
    return ENGINE_TYPES[engine].get(logical_type, logical_type)


def declared_tables(platform: str | None = None) -> dict[str, dict[str, str]]:
    """{schema-qualified table: {column: logical type}} of the raw tables (and `platform`'s
    landing table)."""
    tables = {f"{RAW_SCHEMA}.{table}": columns for table, columns in RAW_TABLES.items()}
    if platform:
        tables.update([PLATFORM_TABLES[platform]])
    return tables


def create_table_statements(engine: str, platform: str | None = None) -> list[str]:
    """Create the raw schema and each raw table (and `platform`'s landing table), and add the
    columns an older table lacks (on Spark, which has no `add column if not exists`, the
    caller adds them: warehouse.SparkTarget)."""
    statements = []
    for table, columns in declared_tables(platform).items():
        typed = {column: engine_type(engine, kind) for column, kind in columns.items()}
        body = ",\n    ".join(f"{column} {kind}" for column, kind in typed.items())
        statements.append(f"create schema if not exists {table.split('.')[0]}")
        if engine == "spark":
            statements.append(f"create table if not exists {table} (\n    {body}\n) using parquet")
            continue
        statements.append(f"create table if not exists {table} (\n    {body}\n)")
        statements += [
            f"alter table {table} add column if not exists {column} {kind}"
            for column, kind in typed.items()
        ]
    return statements
