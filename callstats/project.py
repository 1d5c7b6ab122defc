"""Where the project and its warehouse live, read from the environment (cli.md)."""

import hashlib
import os
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
TARGETS = ("duckdb", "postgres", "spark")


def target() -> str:
    name = os.environ.get("CALLSTATS_TARGET") or "duckdb"
    if name not in TARGETS:
        raise ValueError(f"CALLSTATS_TARGET must be one of {', '.join(TARGETS)}, not {name!r}")
    return name


def serving_store() -> str:
    """Where the API reads the marts and its keys (CALLSTATS_SERVING_STORE): `duckdb`, the
    published DuckDB file (keys in a SQLite file beside it), or `postgres`, schema `marts` of
    the PG* variables' database (keys in its schema `callstats_keys`). By default the target's
    own: `postgres` on the postgres target, which serves only where dbt builds, else `duckdb`.
    Raises ValueError for any other name or combination."""
    own = "postgres" if target() == "postgres" else "duckdb"
    name = os.environ.get("CALLSTATS_SERVING_STORE") or own
    if name not in ("duckdb", "postgres"):
        raise ValueError(f"CALLSTATS_SERVING_STORE must be duckdb or postgres, not {name!r}")
    if own == "postgres" and name != own:
        raise ValueError("CALLSTATS_SERVING_STORE must be postgres on the postgres target")
    return name


def warehouse_path() -> Path:
    configured = os.environ.get("CALLSTATS_WAREHOUSE")
    path = Path(configured) if configured else PROJECT_DIR / "warehouse" / "callstats.duckdb"
    return path.resolve()


def duckdb_settings() -> dict[str, str]:
    """What DuckDB may use, in every process of the command: memory
    (CALLSTATS_DUCKDB_MEMORY_LIMIT) and temporary files (CALLSTATS_DUCKDB_TEMP_LIMIT). dbt
    builds read the same variables, with the same defaults, in profiles.yml."""
    return {
        "memory_limit": os.environ.get("CALLSTATS_DUCKDB_MEMORY_LIMIT") or "6GB",
        "max_temp_directory_size": os.environ.get("CALLSTATS_DUCKDB_TEMP_LIMIT") or "20GB",
    }


def spark_dir() -> Path:
    """Where the `spark` target keeps its catalog and tables: <warehouse>-spark/."""
    path = warehouse_path()
    return path.with_name(path.name.removesuffix(".duckdb") + "-spark")


def digest() -> str:
    """16 hex digits that change when what a DuckDB build's tables and types follow from
    changes: the project's dbt files, its DuckDB functions, and the versions of dbt-core,
    dbt-duckdb and duckdb."""
    files = [PROJECT_DIR / name for name in ("dbt_project.yml", "profiles.yml")]
    files.append(PROJECT_DIR / "callstats" / "duckdb_functions.py")
    for folder in ("models", "macros", "seeds"):
        files += sorted(path for path in (PROJECT_DIR / folder).rglob("*") if path.is_file())
    hashed = hashlib.sha256()
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        hashed.update(f"{package}=={version(package)}\n".encode())
    for path in files:
        hashed.update(f"{path.relative_to(PROJECT_DIR)}\n".encode() + path.read_bytes())
    return hashed.hexdigest()[:16]


def spark_settings() -> dict[str, str]:
    """The Spark configuration of the `spark` target, as profiles.yml passes it to dbt-spark
    (with the ANSI mode dbt-spark turns off), for the Spark session of `callstats load`."""
    home = spark_dir()
    return {
        "spark.master": "local[*]",
        "spark.driver.memory": os.environ.get("CALLSTATS_SPARK_DRIVER_MEMORY") or "4g",
        "spark.sql.warehouse.dir": str(home / "tables"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={home / 'metastore_db'};create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={home}",
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.shuffle.partitions": "4",
        "spark.ui.enabled": "false",
        "spark.sql.ansi.enabled": "false",
    }


def now() -> datetime:
    """The current UTC instant as a naive timestamp, or CALLSTATS_NOW when it is set."""
    pinned = os.environ.get("CALLSTATS_NOW")
    if not pinned:
        return datetime.now(UTC).replace(tzinfo=None)
    moment = datetime.fromisoformat(pinned)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
