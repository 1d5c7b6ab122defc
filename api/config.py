"""Where the API finds its marts and tokens, from the environment (cli.md)."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from callstats import keys, project, publish

# libpq's environment variables and the connection keyword each one sets; unset ones are left
# to libpq's defaults.
POSTGRES_ENVIRONMENT = {
    "PGHOST": "host",
    "PGPORT": "port",
    "PGUSER": "user",
    "PGPASSWORD": "password",
    "PGDATABASE": "dbname",
}


@dataclass(frozen=True)
class Config:
    marts_path: Path
    keys_path: Path
    # the serving store (project.serving_store): "duckdb" or "postgres"
    store: str = "duckdb"
    # psycopg connection keywords, read when store is "postgres".
    postgres: Mapping[str, str] = field(default_factory=dict)

    def key_store(self) -> keys.KeyStore:
        """The serving store's API keys: the SQLite file at keys_path beside a DuckDB
        warehouse, `callstats_keys.api_keys` in PostgreSQL."""
        if self.store == "postgres":
            return keys.PostgresKeyStore(self.postgres)
        return keys.SqliteKeyStore(self.keys_path)

    @classmethod
    def from_environment(cls) -> "Config":
        warehouse = project.warehouse_path()
        return cls(
            marts_path=publish.published_path(warehouse),
            keys_path=keys.keys_path(warehouse),
            store=project.serving_store(),
            postgres=postgres_connection(os.environ),
        )


def postgres_connection(environment: Mapping[str, str]) -> dict[str, str]:
    """psycopg connection keywords from the PG* variables that are set (and not blank)."""
    return {
        keyword: environment[variable]
        for variable, keyword in POSTGRES_ENVIRONMENT.items()
        if environment.get(variable)
    }
