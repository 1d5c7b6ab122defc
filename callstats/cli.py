"""The `callstats` command (cli.md)."""

import argparse
import sys
from datetime import UTC, datetime

import duckdb

from callstats import build, generate, headline, load, project, warehouse


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr."""

    def error(self, message: str) -> None:
        self.exit(2, f"{self.prog}: {message}\n")


def _timestamp(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 timestamp: {text!r}") from error
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from error
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return number


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="callstats", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    commands.add_parser("demo", help="generate sample data, build and show headline numbers")

    gen = commands.add_parser("generate", help="write synthetic raw data")
    gen.add_argument("--calls", type=_positive_int, default=generate.DEFAULT_CALLS)
    gen.add_argument("--days", type=_positive_int, default=generate.DEFAULT_DAYS)
    gen.add_argument("--orgs", type=_positive_int, default=generate.DEFAULT_ORGS)
    gen.add_argument(
        "--agents-per-org", type=_positive_int, default=generate.DEFAULT_AGENTS_PER_ORG
    )
    gen.add_argument("--end", type=_timestamp, help="newest start time (default: now)")
    gen.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)

    loader = commands.add_parser("load", help="append files into the raw tables")
    loader.add_argument("paths", nargs="+", metavar="PATH")
    loader.add_argument("--dry-run", action="store_true", help="only report what would load")

    builder = commands.add_parser("build", help="dbt build: models and tests")
    builder.add_argument("--full-refresh", action="store_true")
    return parser


def _generate(args: argparse.Namespace) -> None:
    with warehouse.connect() as connection:
        generate.generate(
            connection,
            calls=args.calls,
            days=args.days,
            orgs=args.orgs,
            agents_per_org=args.agents_per_org,
            end=args.end or project.now(),
            seed=args.seed,
        )


def _load(args: argparse.Namespace) -> int:
    with warehouse.connect() as connection:
        report = load.load_files(connection, args.paths, dry_run=args.dry_run)
    for line in [*report.warnings, *report.problems]:
        print(line, file=sys.stderr)
    print(report.summary())
    return 1 if report.has_unparsed_records else 0


def _build(args: argparse.Namespace) -> None:
    build.build_marts(full_refresh=args.full_refresh)


def _demo(_: argparse.Namespace) -> None:
    with warehouse.connect() as connection:
        warehouse.ensure_raw_tables(connection)
        if warehouse.has_calls(connection):
            print("The warehouse already holds calls: building them as they are.")
        else:
            generate.generate(
                connection,
                calls=generate.DEFAULT_CALLS,
                days=generate.DEFAULT_DAYS,
                orgs=generate.DEFAULT_ORGS,
                agents_per_org=generate.DEFAULT_AGENTS_PER_ORG,
                end=project.now(),
                seed=generate.DEFAULT_SEED,
            )
    build.build_marts()
    print(headline.report(project.warehouse_path()))


HANDLERS = {"demo": _demo, "generate": _generate, "load": _load, "build": _build}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        status = HANDLERS[args.command](args)
    except (OSError, ValueError, duckdb.Error, build.BuildFailed, load.LoadFailed) as error:
        print(f"callstats: {error}", file=sys.stderr)
        return 1
    return status or 0
