"""The `callstats` command (cli.md)."""

import argparse
import os
import socket
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime

import duckdb
import psycopg

from api.config import Config
from callstats import build, generate, headline, load, project, warehouse
from callstats.keys import KeyStore, KeysUnavailable, Scope
from callstats.raw_schema import PLATFORM_TABLES, PLATFORMS


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


def _id(text: str) -> str:
    """An org or reseller id as staging reads ids: trimmed, never blank."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be blank")
    return text.strip()


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from error
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return number


def _port(text: str) -> int:
    number = _positive_int(text)
    if number > 65535:
        raise argparse.ArgumentTypeError(f"must be at most 65535: {text!r}")
    return number


def _command(commands: argparse._SubParsersAction, name: str, summary: str) -> _Parser:
    """A subcommand listed with `summary`, which also heads its own --help."""
    return commands.add_parser(name, help=summary, description=summary)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="callstats",
        description="Call analytics for voice-AI agents: generate or load raw call data, build"
        " the marts with dbt, serve the vendor APIs' analytics endpoints.",
        epilog="The warehouse is the file CALLSTATS_WAREHOUSE names (default:"
        " warehouse/callstats.duckdb); the README lists every setting.",
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_Parser
    )

    demo = _command(commands, "demo", "generate sample data, build and show headline numbers")
    demo.add_argument(
        "--source", choices=PLATFORMS, help="instead, a voice platform's sample payloads"
    )

    gen = _command(commands, "generate", "write synthetic raw data")
    for flag, metavar, default, meaning in (
        ("--calls", "N", generate.DEFAULT_CALLS, "calls to append"),
        ("--days", "D", generate.DEFAULT_DAYS, "days before --end over which the calls start"),
        ("--orgs", "K", generate.DEFAULT_ORGS, "organizations"),
        ("--agents-per-org", "A", generate.DEFAULT_AGENTS_PER_ORG, "agents of each organization"),
    ):
        gen.add_argument(
            flag,
            metavar=metavar,
            type=_positive_int,
            default=default,
            help=f"{meaning} (default: %(default)s)",
        )
    gen.add_argument(
        "--end",
        type=_timestamp,
        metavar="TIMESTAMP",
        help="newest start time, ISO 8601, UTC unless it has an offset (default: now)",
    )
    gen.add_argument(
        "--seed",
        metavar="S",
        type=int,
        default=generate.DEFAULT_SEED,
        help="with the same other options, the same seed writes the same rows"
        " (default: %(default)s)",
    )

    loader = _command(commands, "load", "append files into the raw tables")
    loader.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="files named after their table (calls.jsonl, ...); with --source, the platform's"
        " exports under any name",
    )
    loader.add_argument("--dry-run", action="store_true", help="only report what would load")
    loader.add_argument(
        "--source", choices=PLATFORMS, help="a voice platform's exports, landed as they are"
    )
    loader.add_argument(
        "--org",
        type=_id,
        metavar="ID",
        help="with --source: the records' org (livekit, pipecat, retell: required)",
    )
    loader.add_argument(
        "--agent",
        type=_id,
        metavar="ID",
        help="with --source: the records' agent (livekit, pipecat: the framework's name if none)",
    )

    builder = _command(commands, "build", "dbt build, then publish the marts to the API")
    builder.add_argument(
        "--full-refresh",
        action="store_true",
        help="rebuild every staged row and mart from the raw tables, not only what changed:"
        " needed after deleting or updating raw rows, or changing the dbt vars",
    )
    builder.add_argument("--verbose", action="store_true", help="show dbt's own log")

    server = _command(commands, "serve", "serve the API with gunicorn")
    server.add_argument("--host", default="127.0.0.1", help="address (default: %(default)s)")
    server.add_argument("--port", type=_port, default=8000, help="port (default: %(default)s)")
    server.add_argument(
        "--workers",
        type=_positive_int,
        default=2,
        help="gunicorn worker processes (default: %(default)s)",
    )

    key_commands = _command(commands, "keys", "API tokens").add_subparsers(
        dest="keys_command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    creator = _command(key_commands, "create", "create a token")
    scope = creator.add_mutually_exclusive_group(required=True)
    scope.add_argument("--org", type=_id, metavar="ID", help="the token sees this org")
    scope.add_argument(
        "--reseller", type=_id, metavar="ID", help="the token sees this reseller's orgs"
    )
    scope.add_argument("--all", action="store_true", help="the token sees every org")
    creator.add_argument("--name", help="a label shown by keys list")
    _command(key_commands, "list", "list tokens (never the token itself)")
    revoker = _command(key_commands, "revoke", "revoke a token")
    revoker.add_argument("key_id", metavar="ID", help="the key's id, as keys list shows it")
    return parser


def _generate(args: argparse.Namespace) -> None:
    end = args.end or project.now()
    if project.target() != "postgres":  # the rows are written on this machine's disk
        generate.check_free_space(project.warehouse_path().parent, args.calls)
    with warehouse.raw_target() as target:
        generate.generate(
            target.work,
            calls=args.calls,
            days=args.days,
            orgs=args.orgs,
            agents_per_org=args.agents_per_org,
            end=end,
            seed=args.seed,
            target=target,
            progress=sys.stderr.isatty(),
        )
    newest = f"{end:%Y-%m-%d %H:%M:%S}"
    days = f"{args.days} day{'s' if args.days > 1 else ''}"
    print(f"generated {args.calls:,} calls started over {days} up to {newest} UTC")


def _load(args: argparse.Namespace) -> int:
    if (args.org or args.agent) and not args.source:
        raise load.LoadFailed("--org and --agent go with --source")
    if args.source in load.PLATFORMS_WITHOUT_ORGS and not args.org:
        raise load.LoadFailed(f"--source {args.source} needs --org: its logs name no org")
    with warehouse.raw_target() as target:
        report = load.load_files(
            target.work,
            args.paths,
            dry_run=args.dry_run,
            target=target,
            progress=sys.stderr.isatty(),
            platform=args.source,
            tenant=load.Tenant(args.org, args.agent),
        )
    for line in [*report.warnings, *report.problems]:
        print(line, file=sys.stderr)
    print(report.summary())
    return 1 if report.has_unparsed_records else 0


def _build(args: argparse.Namespace) -> None:
    times = build.build_marts(
        full_refresh=args.full_refresh, verbose=args.verbose, progress=sys.stderr.isatty()
    )
    print(
        f"built in {times.total_s:.1f} s (models {times.models_s:.1f} s,"
        f" tests {times.tests_s:.1f} s, publish {times.publish_s:.1f} s)"
    )


def _keys(args: argparse.Namespace) -> int:
    with closing(Config.from_environment().key_store()) as store:
        return _run_keys_command(store, args)


def _run_keys_command(store: KeyStore, args: argparse.Namespace) -> int:
    if args.keys_command == "create":
        if args.all:
            scope = Scope("all")
        elif args.org is not None:
            scope = Scope("org", args.org)
        else:
            scope = Scope("reseller", args.reseller)
        key, token = store.create(scope, args.name)
        print(f"created key {key.key_id} ({_describe(key.scope)}); the token, shown only once:")
        print(token)
        return 0
    if args.keys_command == "list":
        rows = [
            (
                key.key_id,
                _describe(key.scope),
                key.name or "-",
                f"revoked {key.revoked_at}" if key.revoked_at else "active",
            )
            for key in store.list()
        ]
        # each column as wide as its widest value, two spaces apart
        widths = [max(map(len, column)) for column in zip(*rows, strict=True)]
        for row in rows:
            padded = (value.ljust(width) for value, width in zip(row, widths, strict=True))
            print("  ".join(padded).rstrip())
        return 0
    if not store.revoke(args.key_id):
        print(f"callstats: no active key {args.key_id!r}", file=sys.stderr)
        return 1
    print(f"revoked key {args.key_id}")
    return 0


def _describe(scope: Scope) -> str:
    return "all" if scope.kind == "all" else f"{scope.kind} {scope.value}"


def _serve(args: argparse.Namespace) -> None:
    Config.from_environment()  # what every worker reads: a bad setting is one line here
    serve(args.host, args.port, args.workers)


def serve(host: str, port: int, workers: int) -> None:
    """Replace this process with gunicorn serving the API. Raises OSError, saying why, when
    nothing can listen on `host`:`port` (a name that does not resolve, an address in use):
    gunicorn would retry and log each try instead."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
        with socket.socket(family, kind, protocol) as listener:
            # as gunicorn binds: a port whose last connections are still closing is free
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(address)
    except OSError as error:
        raise OSError(f"cannot serve on {host}:{port}: {error.strerror or error}") from error
    os.execvp(sys.executable, gunicorn_command(host, port, workers))


def gunicorn_command(host: str, port: int, workers: int, app: str = "api.wsgi:app") -> list[str]:
    """The command line of gunicorn serving the WSGI `app` as `callstats serve` does."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--no-control-socket",
        # gunicorn's own bound on a request line (4 kB by default, 8 kB at most) would answer
        # a long list of ids with an HTML 414 before the API sees it: 0 lifts it (no limit),
        # and the API answers each parameter's bad value in JSON.
        "--limit-request-line",
        "0",
        # So would a header over 8 kB (a long bogus token) or more than 100 headers (431):
        # headers of up to 64 kB and up to 500 of them reach the API, and a request's headers
        # stay bounded (32 MB).
        "--limit-request-field_size",
        "65536",
        "--limit-request-fields",
        "500",
        "--chdir",
        str(project.PROJECT_DIR),
        app,
    ]


# The org and agent `callstats demo --source` loads a platform's samples with, where its
# payloads name none.
SAMPLE_TENANTS = {
    "retell": load.Tenant("org_maple"),
    "livekit": load.Tenant("org_lk_demo", "frontdesk-lk"),
    "pipecat": load.Tenant("org_pc_demo", "clinic-bot-pc"),
}


def _demo(args: argparse.Namespace) -> int | None:
    with warehouse.raw_target() as target:
        target.ensure_tables(args.source)
        if args.source:
            _load_samples(target, args.source)
        elif target.has_rows("raw.calls"):
            print("The warehouse already holds calls: building them as they are.")
        else:
            generate.generate(
                target.work,
                calls=generate.DEFAULT_CALLS,
                days=generate.DEFAULT_DAYS,
                orgs=generate.DEFAULT_ORGS,
                agents_per_org=generate.DEFAULT_AGENTS_PER_ORG,
                end=project.now(),
                seed=generate.DEFAULT_SEED,
                target=target,
                progress=sys.stderr.isatty(),
            )
    # `callstats build` in a process of its own: dbt leaves multiprocessing locks registered in
    # the process that ran it, and this one becomes gunicorn (serve), whose start would then
    # report them as leaked.
    sys.stdout.flush()
    built = subprocess.run([sys.executable, "-m", "callstats", "build"], check=False)
    if built.returncode:
        return built.returncode
    print(headline.report(project.warehouse_path(), target=project.target()))
    with closing(Config.from_environment().key_store()) as store:
        _, token = store.create(Scope("all"), "demo")
    base = "http://127.0.0.1:8000"
    print(
        f"\nAPI token (all orgs): {token}\n"
        f"Health:  {base}/health\nDocs:    {base}/docs\nOpenAPI: {base}/openapi.json\n"
        f"Dashboard: {base}/dashboard\n"
        f'Try:     curl -H "Authorization: Bearer {token}" {base}/analytics/overview\n'
        "Serving on 127.0.0.1:8000 (Ctrl-C stops it).",
        flush=True,
    )
    serve("127.0.0.1", 8000, 2)


def _load_samples(target: warehouse.RawTarget, platform: str) -> None:
    """Land a platform's sample payloads, unless its landing table holds records already."""
    table = PLATFORM_TABLES[platform][0]
    if target.has_rows(table):
        print(f"{table} already holds records: building them as they are.")
        return
    samples = sorted(str(path) for path in (load.PLATFORM_SAMPLES / platform).iterdir())
    report = load.load_files(
        target.work,
        samples,
        dry_run=False,
        target=target,
        progress=sys.stderr.isatty(),
        platform=platform,
        tenant=SAMPLE_TENANTS.get(platform, load.Tenant()),
    )
    print(f"{platform} samples: {report.summary()}")


HANDLERS = {
    "demo": _demo,
    "generate": _generate,
    "load": _load,
    "build": _build,
    "serve": _serve,
    "keys": _keys,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        status = HANDLERS[args.command](args)
    except (
        OSError,
        ValueError,
        duckdb.Error,
        psycopg.Error,
        build.BuildFailed,
        KeysUnavailable,
        load.LoadFailed,
    ) as error:
        print(f"callstats: {error}", file=sys.stderr)
        return 1
    return status or 0
