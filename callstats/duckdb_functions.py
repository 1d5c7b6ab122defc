"""SQL functions dbt-duckdb registers on its connections (profiles.yml `plugins`)."""

import json
from decimal import Decimal

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection
from duckdb.sqltypes import VARCHAR


def json_canonical(text: str) -> str:
    """JSON text in one form per value: keys sorted, no blanks, numbers by value (1.0 is 1),
    so that two documents compare equal exactly when their parsed values do."""
    return _canonical(json.loads(text, parse_float=Decimal, parse_int=Decimal))


def _canonical(value) -> str:
    if isinstance(value, dict):
        members = (f"{json.dumps(key)}:{_canonical(value[key])}" for key in sorted(value))
        return "{" + ",".join(members) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_canonical(item) for item in value) + "]"
    if isinstance(value, Decimal):
        return format(value.normalize() + 0, "f")
    return json.dumps(value, ensure_ascii=False)


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        # dbt may configure a new connection to a database instance that already has it
        [(registered,)] = conn.execute(
            "select count(*) from duckdb_functions() where function_name = 'json_canonical'"
        ).fetchall()
        if not registered:
            conn.create_function("json_canonical", json_canonical, [VARCHAR], VARCHAR)
