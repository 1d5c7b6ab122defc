"""Run dbt on the project, in-process, against the configured target."""

import os

from dbt.cli.main import dbtRunner

from callstats import project, publish


class BuildFailed(RuntimeError):
    pass


def run_dbt(*args: str) -> None:
    """Invoke dbt with the project's own profile; raise BuildFailed when it does not succeed."""
    os.environ["CALLSTATS_TARGET"] = project.target()
    os.environ["CALLSTATS_WAREHOUSE"] = str(project.warehouse_path())
    result = dbtRunner().invoke(
        [
            *args,
            "--project-dir",
            str(project.PROJECT_DIR),
            "--profiles-dir",
            str(project.PROJECT_DIR),
        ]
    )
    if not result.success:
        reason = result.exception or "a model or test failed (see the log above)"
        raise BuildFailed(f"dbt {args[0]} failed: {reason}")


def build_marts(*, full_refresh: bool = False) -> None:
    """`dbt build` (every model, seed and data test), then publish the marts to the API; a
    failed model or test publishes nothing. Unit tests belong to the test suite, not to
    production builds (they read fixtures, not the warehouse). On PostgreSQL the marts are
    read where dbt built them: dbt swaps each rebuilt table in one transaction."""
    run_dbt(
        "build",
        "--exclude-resource-type",
        "unit_test",
        *(["--full-refresh"] if full_refresh else []),
    )
    if project.target() == "duckdb":
        publish.publish(project.warehouse_path())
