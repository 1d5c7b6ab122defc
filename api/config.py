"""Where the API finds its marts and tokens, from the environment (cli.md)."""

from dataclasses import dataclass
from pathlib import Path

from callstats import keys, project, publish


@dataclass(frozen=True)
class Config:
    marts_path: Path
    keys_path: Path

    @classmethod
    def from_environment(cls) -> "Config":
        warehouse = project.warehouse_path()
        return cls(
            marts_path=publish.published_path(warehouse),
            keys_path=keys.keys_path(warehouse),
        )
