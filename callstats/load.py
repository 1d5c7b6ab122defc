"""`callstats load`: append JSON Lines, CSV and Parquet files to the raw tables, or a voice
platform's exports to its landing table (cli.md, sources.md).

Loading is two steps. Parsing reads a file into DuckDB temp tables: its records with their
columns typed, and the records that could not be parsed with their physical line and reason.
Writing appends both to the target's raw tables in one transaction per file
(warehouse.RawTarget: the DuckDB warehouse itself, or PostgreSQL by bulk COPY). Every file is
parsed before anything is written, so a file that cannot be read at all fails the command with
the warehouse untouched.
"""

import csv
import mmap
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path

import duckdb
import numpy as np
from tqdm import tqdm

from callstats import project, warehouse
from callstats.raw_schema import PLATFORM_TABLES, RAW_SCHEMA, RAW_TABLES
from callstats.warehouse import sql_literal

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}
# The formats each platform exports in.
PLATFORM_FORMATS = {
    "twilio": {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"},
    "vapi": {".jsonl": "jsonl", ".ndjson": "jsonl"},
    "retell": {".jsonl": "jsonl", ".ndjson": "jsonl"},
    "livekit": {".jsonl": "jsonl", ".ndjson": "jsonl", ".log": "jsonl"},
    "pipecat": {".jsonl": "jsonl", ".ndjson": "jsonl", ".log": "jsonl"},
}
# For a platform's CSV export, the header names (in snake_case) of which it must have one:
# the call's id.
PLATFORM_CSV_IDS = {"twilio": ["sid", "call_sid"]}
# The platforms whose records name no org: `callstats load --source` needs --org.
PLATFORMS_WITHOUT_ORGS = ["livekit", "pipecat", "retell"]
# Sample payloads of each platform (the tests' fixtures), which `callstats demo --source` loads.
PLATFORM_SAMPLES = project.PROJECT_DIR / "tests" / "python" / "fixtures" / "platforms"
LOADABLE_TABLES = [table for table in RAW_TABLES if table != "load_errors"]
PROBLEMS_SHOWN_PER_FILE = 100
# How much of a file is scanned at once with numpy.
SCAN_BYTES = 1 << 24
# A line DuckDB's reader rejects, without the blank lines it prefixes it with.
RECORD_TEXT = "ltrim(any_value(csv_line), chr(13) || chr(10))"
# How much of a rejected record's text DuckDB's reader keeps.
RECORD_TEXT_BYTES = 10_000
QUOTE = ord('"')
# The bytes a quote opening a value can follow in DuckDB's reader: a field starts after a
# delimiter or a line break, and a space before its opening quote is skipped.
FIELD_STARTS = b",\r\n "

# What a typed value may look like. DuckDB's own casts are more lenient ('0x10' is 16, '1.5'
# rounds to an integer, 'epoch' is a timestamp) and a cast to timestamp drops the UTC offset.
NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
INTEGER = r"[+-]?\d+(\.0*)?"
TIMESTAMP = r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?"
WITH_OFFSET = r".*:\d{2}(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)"
TRUE_WORDS = "'true', 't', '1', 'yes'"
FALSE_WORDS = "'false', 'f', '0', 'no'"

# Per logical type: the SQL converting a non-blank text `v`, and what a failure says.
CONVERSIONS = {
    "double": (
        lambda v: (
            f"case when regexp_full_match({v}, '{NUMBER}')"
            f" and isfinite(try_cast({v} as double)) then try_cast({v} as double) end"
        ),
        "not a number",
    ),
    "bigint": (
        lambda v: f"try_cast(case when regexp_full_match({v}, '{INTEGER}') then {v} end as bigint)",
        "not an integer",
    ),
    "integer": (
        lambda v: (
            f"try_cast(case when regexp_full_match({v}, '{INTEGER}') then {v} end as integer)"
        ),
        "not an integer",
    ),
    "boolean": (
        lambda v: (
            f"case when lower({v}) in ({TRUE_WORDS}) then true"
            f" when lower({v}) in ({FALSE_WORDS}) then false end"
        ),
        "not a boolean",
    ),
    "timestamp": (
        lambda v: (
            f"case when regexp_full_match(upper({v}), '{TIMESTAMP}') then"
            f" case when regexp_full_match(upper({v}), '{WITH_OFFSET}')"
            f" then try_cast(upper({v}) as timestamptz) at time zone 'UTC'"
            f" else try_cast(upper({v}) as timestamp) end end"
        ),
        "not a timestamp",
    ),
    "json": (lambda v: f"try(json({v}))", "not valid JSON"),
}


class LoadFailed(Exception):
    """A file the command cannot load at all; raised before anything is written."""


@dataclass(frozen=True)
class Source:
    """A file to load: into raw.<table>, or, with `platform`, into that platform's landing
    table as one `payload` per record."""

    path: str
    table: str
    format: str
    platform: str | None = None

    @property
    def qualified_table(self) -> str:
        return PLATFORM_TABLES[self.platform][0] if self.platform else f"{RAW_SCHEMA}.{self.table}"

    @property
    def columns(self) -> dict[str, str]:
        """The columns a file may fill: all but `loaded_at`, which the loader sets (and, for a
        platform, `org_id`, `agent_id` and `source_file`, which the command sets)."""
        if self.platform:
            return {"payload": "json"}
        return {c: kind for c, kind in RAW_TABLES[self.table].items() if c != "loaded_at"}


@dataclass
class ParsedFile:
    """A file parsed into two temp tables.

    `typed` has one row per record: the table's columns typed, and `_reason` null when the
    record parsed. `errors` has line_number, reason and record_text of each record that did not.
    """

    source: Source
    typed: str
    errors: str
    rows: int
    unparsed: int
    ignored_columns: list[str]


@dataclass
class LoadReport:
    """What a load did or, in a dry run, would do.

    `problems` has a line per unparseable record (the first PROBLEMS_SHOWN_PER_FILE of each
    file, then a count); `warnings` a line per file that has columns the table does not load.
    """

    dry_run: bool
    files: int = 0
    tables: int = 0
    rows: int = 0
    unparsed: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def has_unparsed_records(self) -> bool:
        return self.unparsed > 0

    def summary(self) -> str:
        verb = "dry run: would load" if self.dry_run else "loaded"
        line = (
            f"{verb} {_count(self.rows, 'row')} into {_count(self.tables, 'table')}"
            f" from {_count(self.files, 'file')}"
        )
        if self.unparsed:
            line += f"; {_count(self.unparsed, 'record')} could not be parsed"
            if not self.dry_run:
                line += f" ({RAW_SCHEMA}.load_errors)"
        return line


@dataclass(frozen=True)
class Tenant:
    """What `callstats load --source` records beside each payload: the org and agent given on
    the command line (null when the records name their own)."""

    org_id: str | None = None
    agent_id: str | None = None


def load_files(
    connection: duckdb.DuckDBPyConnection,
    paths: list[str],
    *,
    dry_run: bool,
    target: warehouse.RawTarget | None = None,
    progress: bool = True,
    platform: str | None = None,
    tenant: Tenant = Tenant(),
) -> LoadReport:
    """Append each file to the raw table it is named after, or with `platform` to that
    platform's landing table (sources.md); with `dry_run`, only report.

    Files are parsed in `connection`; rows land in `target`, by default the raw tables of
    `connection` itself. With `progress`, a bar on stderr advances as each file is parsed,
    then as each is written.
    """
    target = target or warehouse.DuckDBTarget(connection)
    sources = [resolve(path, platform) for path in paths]
    loaded_at = project.now()
    parsed: list[ParsedFile] = []
    steps = len(sources) * (1 if dry_run else 2)
    try:
        with tqdm(total=steps, desc="load", unit="step", disable=not progress) as bar:
            for index, source in enumerate(sources):
                bar.set_postfix_str(f"parse {Path(source.path).name}")
                parsed.append(parse(connection, source, prefix=f"_callstats_load_{index}"))
                bar.update()
            if not dry_run:
                target.ensure_tables(platform)
                for file in parsed:
                    bar.set_postfix_str(f"write {Path(file.source.path).name}")
                    write(connection, file, loaded_at, target, tenant)
                    bar.update()
        return _report(connection, parsed, dry_run)
    finally:
        for file in parsed:
            _drop(connection, file.typed, file.errors)


def resolve(path: str, platform: str | None = None) -> Source:
    """Check that a path names a readable file of a known table (or of `platform`, whatever
    its name) and format."""
    file = Path(path)
    table = file.name.split(".", 1)[0]
    formats = PLATFORM_FORMATS[platform] if platform else FORMATS
    file_format = formats.get(file.suffix.lower())
    if file.is_dir():
        raise LoadFailed(f"{path}: a directory; name the files in it")
    if not file.is_file():
        raise LoadFailed(f"{path}: no such file")
    if file_format is None:
        raise LoadFailed(f"{path}: unknown file type; expected one of {', '.join(formats)}")
    if platform is None and table not in LOADABLE_TABLES:
        raise LoadFailed(
            f"{path}: no raw table named {table!r}; expected one of {', '.join(LOADABLE_TABLES)}"
        )
    try:
        with file.open("rb"):
            pass
    except OSError as error:
        raise LoadFailed(f"{path}: {error.strerror}") from error
    return Source(path, table, file_format, platform)


def parse(connection: duckdb.DuckDBPyConnection, source: Source, *, prefix: str) -> ParsedFile:
    """Parse one file into the temp tables `<prefix>_typed` and `<prefix>_errors`."""
    typed, errors = f"{prefix}_typed", f"{prefix}_errors"
    parsers = {"jsonl": _parse_jsonl, "csv": _parse_csv, "parquet": _parse_parquet}
    scratch = [
        f"{prefix}_{name}" for name in ("lines", "rejects", "scan", "all", "all_scan", "starts")
    ]
    try:
        ignored = parsers[source.format](connection, source, prefix)
        rows, unparsed = connection.execute(
            f"select (select count(*) from {typed} where _reason is null),"
            f" (select count(*) from {errors})"
        ).fetchone()
    except duckdb.Error as error:
        _drop(connection, typed, errors)
        raise LoadFailed(f"{source.path}: {str(error).splitlines()[0]}") from error
    finally:
        _drop(connection, *scratch)
    return ParsedFile(source, typed, errors, rows, unparsed, ignored)


def write(
    connection: duckdb.DuckDBPyConnection,
    file: ParsedFile,
    loaded_at: datetime,
    target: warehouse.RawTarget | None = None,
    tenant: Tenant = Tenant(),
) -> None:
    """Append a parsed file's rows and unparseable records in one transaction."""
    target = target or warehouse.DuckDBTarget(connection)
    source = file.source
    values = {_quote(column): _quote(column) for column in source.columns}
    if source.platform:
        values |= {
            "org_id": _literal_or_null(tenant.org_id),
            "agent_id": _literal_or_null(tenant.agent_id),
            "source_file": sql_literal(Path(source.path).name),
        }
    landed = f"timestamp {sql_literal(loaded_at.isoformat(sep=' '))}"
    select_list = ", ".join(f"{value} as {column}" for column, value in values.items())
    with target.transaction():
        target.append(
            connection,
            f"select {select_list}, {landed} as loaded_at from {file.typed} where _reason is null",
            source.qualified_table,
            [*values, "loaded_at"],
        )
        target.append(
            connection,
            f"select {sql_literal(source.qualified_table if source.platform else source.table)}"
            " as table_name,"
            f" {sql_literal(file.source.path)} as source_file, line_number, reason, record_text,"
            f" {landed} as loaded_at from {file.errors}",
            f"{RAW_SCHEMA}.load_errors",
            ["table_name", "source_file", "line_number", "reason", "record_text", "loaded_at"],
        )


def _parse_jsonl(connection: duckdb.DuckDBPyConnection, source: Source, prefix: str) -> list[str]:
    """One record per line; its line number is its row's position in the file.

    Read as a single text column, blank lines come through as nulls, so a row's position is
    its line number except past lines DuckDB rejects outright (invalid UTF-8, too long),
    which are counted back in.
    """
    lines, rejects = f"{prefix}_lines", f"{prefix}_rejects"
    typed, errors = f"{prefix}_typed", f"{prefix}_errors"
    reader = _read_text(
        source.path,
        ["line"],
        header=False,
        dialect="delim=chr(1), quote='', escape=''",
        rejects=rejects,
        scan=f"{prefix}_scan",
    )
    connection.execute(f"create temp table {lines} as {reader}")
    records = f"select rowid as _row, line as _text from {lines} where trim(line) <> ''"
    typing = _type_payload if source.platform else _type_json
    ignored = typing(connection, source, records, typed)
    connection.execute(
        f"create temp table {errors} as"
        f" select line as line_number, reason, record_text from ({_rejected(rejects)})"
    )
    connection.execute(f"""
        insert into {errors}
        with shifts as (
            select line_number - row_number() over (order by line_number) as from_row
            from {errors}
        )
        select
            _row + 1 + (select count(*) from shifts where from_row <= _row),
            _reason,
            _text,
        from {typed}
        where _reason is not null
    """)
    return ignored


def _parse_csv(connection: duckdb.DuckDBPyConnection, source: Source, prefix: str) -> list[str]:
    """A header row, then one record per line (or more, when a quoted value holds newlines).

    DuckDB's line numbers count a record as one line however many newlines its quoted values
    hold, so bad records are placed by byte offset instead. The reader rejects malformed
    records with the offset where each starts, but gives none for the records it reads. When
    some of those hold a bad value, a second read expecting one field more than the header
    rejects every record: the offsets of those the first read did not reject are, in order,
    those of the records read. Offsets become lines in _line_numbers.

    A quoted value that is never closed runs to the end of the file, making the rest of it one
    malformed record; DuckDB's reader drops it without a trace, so _unterminated_record finds it.
    """
    header = _csv_header(source)
    fields = [f"_c{index}" for index in range(len(header))]
    dialect = "delim=',', quote='\"', escape='\"'"
    lines, rejects = f"{prefix}_lines", f"{prefix}_rejects"
    typed, errors = f"{prefix}_typed", f"{prefix}_errors"
    starts, every = f"{prefix}_starts", f"{prefix}_all"
    reader = _read_text(
        source.path, fields, header=True, dialect=dialect, rejects=rejects, scan=f"{prefix}_scan"
    )
    connection.execute(f"create temp table {lines} as {reader}")
    if source.platform:
        pairs = ", ".join(
            f"{sql_literal(name)}, {field}" for name, field in zip(header, fields, strict=True)
        )
        values, reason = f"json_object({pairs}) as payload", "null"
    else:
        cells = {
            column: fields[header.index(column)] if column in header else "null::varchar"
            for column in source.columns
        }
        values, reason = _typed(source.columns, cells)
    connection.execute(
        f"create temp table {typed} as"
        f" select rowid as _row, {values}, {reason} as _reason from {lines}"
    )
    connection.execute(f"create temp table {starts} as {_rejected(rejects)}")
    if connection.execute(f"select count(*) from {typed} where _reason is not null").fetchone()[0]:
        reread = _read_text(
            source.path,
            [*fields, "_one_more"],
            header=True,
            dialect=dialect,
            rejects=every,
            scan=f"{prefix}_all_scan",
        )
        connection.execute(f"select count(*) from ({reread})").fetchall()
        connection.execute(f"""
            insert into {starts} by name
            with numbered as (
                select start, record_text, row_number() over (order by line) - 1 as _row,
                from ({_rejected(every)})
                where line not in (select line from {starts})
            )
            select numbered.start, typed._reason as reason, numbered.record_text
            from {typed} as typed
            join numbered using (_row)
            where typed._reason is not null
        """)
    _locate(connection, source.path, starts, errors)
    records = connection.execute(
        f"select (select count(*) from {lines}) + (select count(distinct line) from {rejects})"
    ).fetchone()[0]
    if unterminated := _unterminated_record(source.path, len(header), records):
        connection.execute(
            f"insert into {errors} values (?, 'unterminated quoted value', ?)", unterminated
        )
    return [] if source.platform else [name for name in header if name not in source.columns]


def _parse_parquet(connection: duckdb.DuckDBPyConnection, source: Source, prefix: str) -> list[str]:
    """Each row goes through JSON, so Parquet values follow the JSON Lines rules."""
    row = "struct_pack(*columns(* exclude (file_row_number)))"
    ignored = _type_json(
        connection,
        source,
        f"select file_row_number as _row, to_json({row})::varchar as _text"
        f" from read_parquet({sql_literal(source.path)}, file_row_number=true)",
        f"{prefix}_typed",
    )
    connection.execute(f"""
        create temp table {prefix}_errors as
        select _row + 1 as line_number, _reason as reason, _text as record_text
        from {prefix}_typed
        where _reason is not null
    """)
    return ignored


def _type_payload(
    connection: duckdb.DuckDBPyConnection, source: Source, records: str, typed: str
) -> list[str]:
    """Create `typed` from `records` (_row, _text): each JSON object whole, as `payload`."""
    connection.execute(f"""
        create temp table {typed} as
        with documents as (
            select _row, _text, try(json(_text)) as _doc from ({records})
        )
        select
            _row,
            _doc as payload,
            case
                when _doc is null then 'not valid JSON'
                when json_type(_doc) <> 'OBJECT' then 'not a JSON object'
            end as _reason,
            case when _reason is not null then _text end as _text,
        from documents
    """)
    return []


def _type_json(
    connection: duckdb.DuckDBPyConnection, source: Source, records: str, typed: str
) -> list[str]:
    """Create `typed` from `records`, one JSON document per row (_row, _text).

    Returns the document keys that are not columns the table loads.
    """
    texts = [column for column, kind in source.columns.items() if kind != "json"]
    jsons = [column for column, kind in source.columns.items() if kind == "json"]
    cells = {column: f"_s[{index}]" for index, column in enumerate(texts, 1)}
    cells |= {column: f"_j[{index}]::varchar" for index, column in enumerate(jsons, 1)}
    extracts = f"json_extract_string(_doc, {_paths(texts)}) as _s"
    if jsons:
        extracts += f", json_extract(_doc, {_paths(jsons)}) as _j"
    names = "[" + ", ".join(sql_literal(column) for column in source.columns) + "]"
    values, reason = _typed(source.columns, cells)
    connection.execute(f"""
        create temp table {typed} as
        with documents as (
            select _row, _text, try(json(_text)) as _doc from ({records})
        ),
        cells as (
            select
                _row,
                _text,
                _doc,
                {extracts},
                case
                    when _doc is null then 'not valid JSON'
                    when json_type(_doc) <> 'OBJECT' then 'not a JSON object'
                end as _not_an_object,
            from documents
        )
        select
            _row,
            {values},
            coalesce(_not_an_object, {reason}) as _reason,
            case when _reason is not null then _text end as _text,
            list_filter(json_keys(_doc), lambda key: not list_contains({names}, key)) as _ignored,
        from cells
    """)
    ignored = connection.execute(
        f"select distinct unnest(_ignored) as name from {typed} order by name"
    ).fetchall()
    return [name for (name,) in ignored]


def _typed(columns: dict[str, str], cells: dict[str, str]) -> tuple[str, str]:
    """Select-list items typing each column from its cell's text, and the `_reason` expression.

    Text is kept as given; in typed columns blanks (and in JSON columns a JSON null) are null,
    and anything else that does not convert makes the record unparseable, with a reason naming
    the column and the value.
    """
    values, reasons = [], []
    for column, kind in columns.items():
        cell, name = cells[column], _quote(column)
        if kind == "text":
            values.append(f"{cell} as {name}")
            continue
        convert, complaint = CONVERSIONS[kind]
        text = f"nullif(trim({cell}), '')"
        if kind == "json":
            text = f"nullif({text}, 'null')"
        values.append(f"{convert(text)} as {name}")
        reasons.append(
            f"case when {text} is not null and {name} is null"
            f" then '{column}: {complaint}: ' || to_json(left({text}, 60)) end"
        )
    reason = f"nullif(concat_ws('; ', {', '.join(reasons)}), '')" if reasons else "null"
    return ", ".join(values), reason


def _read_text(
    path: str, columns: list[str], *, header: bool, dialect: str, rejects: str, scan: str
) -> str:
    """A DuckDB CSV read of `path` as text columns, rejecting malformed lines into `rejects`.

    Single-threaded: DuckDB 2.0's parallel reader loses records, and their rejects, in files
    where many lines are malformed.
    """
    types = ", ".join(f"{sql_literal(column)}: 'VARCHAR'" for column in columns)
    return (
        f"select * from read_csv({sql_literal(path)}, columns={{{types}}}, header={header},"
        f" auto_detect=false, parallel=false, {dialect}, store_rejects=true,"
        f" rejects_table={sql_literal(rejects)}, rejects_scan={sql_literal(scan)})"
    )


def _rejected(rejects: str) -> str:
    """The records DuckDB's reader rejected, each with the first problem found.

    `line` is DuckDB's number for the record. `start` is the 0-based byte offset of its first
    character: DuckDB's `line_byte_position` counts from 1 and from the blank lines (and the LF
    ending a CRLF) that it prefixes the record's text with.
    """
    return f"""
        select
            line::bigint as line,
            (min(line_byte_position) - 1 + length(any_value(csv_line)) - length({RECORD_TEXT}))
                ::bigint as start,
            arg_min(error_message, coalesce(column_idx, 0)) as reason,
            {RECORD_TEXT} as record_text,
        from {rejects}
        group by line
    """


def _locate(connection: duckdb.DuckDBPyConnection, path: str, starts: str, errors: str) -> None:
    """Create `errors` from the bad records in `starts`, each at the line where it starts."""
    offsets = connection.execute(f"select start from {starts} order by start").fetchnumpy()["start"]
    connection.execute(
        f"""
        create temp table {errors} as
        select line_number, reason, record_text
        from {starts}
        join (
            select unnest($start::bigint[]) as start, unnest($line_number::bigint[]) as line_number
        ) using (start)
        """,
        {"start": offsets.tolist(), "line_number": _line_numbers(path, offsets).tolist()},
    )


def _line_numbers(path: str, offsets: np.ndarray) -> np.ndarray:
    """The 1-based physical line of each of the ascending byte `offsets` of a file.

    A line ends at a line feed, so a CRLF ends one. The file is read in chunks, only as far as
    its last offset, and only for a file that has bad records.
    """
    lines = np.zeros(len(offsets), dtype=np.int64)
    done = newlines = position = 0
    with open(path, "rb") as file:
        while done < len(offsets) and (chunk := file.read(SCAN_BYTES)):
            found = np.flatnonzero(np.frombuffer(chunk, np.uint8) == ord("\n")) + position
            position += len(chunk)
            within = int(np.searchsorted(offsets, position))
            lines[done:within] = 1 + newlines + np.searchsorted(found, offsets[done:within])
            newlines += len(found)
            done = within
    return lines


def _unterminated_record(path: str, fields: int, records: int) -> tuple[int, str] | None:
    """The line and text of a CSV's last record when it opens a quoted value never closed.

    DuckDB's reader drops such a record, and with it the rest of the file, without rejecting
    it. When the file's quotes allow one (_may_end_quoted), the csv module reads the file
    again: what it finds past the header and the `records` DuckDB read or rejected is that
    record, from its first line that is not blank. As by DuckDB, blank lines are skipped
    unless the file has a single column, and a space before an opening quote is skipped. The
    text is cut where DuckDB cuts the text of the records it rejects.
    """
    if not _may_end_quoted(path):
        return None
    newlines = 0

    def counted(lines):
        nonlocal newlines
        for line in lines:
            newlines += line.count("\n")
            yield line

    # DuckDB reads values up to its own line size limit, far past the csv module's default.
    limit = csv.field_size_limit(sys.maxsize)
    try:
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as file:
            lines = counted(file)
            reader = csv.reader(lines, strict=False, skipinitialspace=True)
            read = (row for row in reader if row or fields == 1)
            next(islice(read, records + 1, records + 1), None)
            for line in lines:
                if line.strip("\r\n"):
                    text = (line + file.read(RECORD_TEXT_BYTES)).encode()[:RECORD_TEXT_BYTES]
                    line_number = newlines - line.count("\n") + 1
                    return line_number, text.decode(errors="ignore").rstrip("\r\n")
    finally:
        csv.field_size_limit(limit)
    return None


def _may_end_quoted(path: str) -> bool:
    """Whether DuckDB's reader might reach the end of a CSV inside a quoted value.

    A run of quotes of even length leaves a value quoted or not as it was, so a value left
    open is opened by the first quote of the last run of odd length, which must then follow
    nothing or a byte of FIELD_STARTS. Counting quotes would not do: DuckDB takes a quote
    inside an unquoted value as it is, so an odd count can be well formed and an even one can
    end open. The file is scanned from its end, where in a well-formed file that run closes
    the last quoted value, after its text: the common case reads little more than one chunk.
    """
    with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        end = len(data)
        while end:
            start = max(0, end - SCAN_BYTES)
            while start and data[start - 1] == QUOTE:  # a run of quotes stays in one chunk
                start -= 1
            at = np.flatnonzero(np.frombuffer(data[start:end], np.uint8) == QUOTE)
            runs = np.flatnonzero(np.diff(at, prepend=-2) != 1)
            odd = np.flatnonzero(np.diff(runs, append=len(at)) % 2)
            if len(odd):
                first = start + int(at[runs[odd[-1]]])
                return first == 0 or data[first - 1] in FIELD_STARTS
            end = start
    return False


def _csv_header(source: Source) -> list[str]:
    """The names in a CSV's header row, which must name at least one of its table's columns
    (a platform's export: its call id column; its names are read in snake_case).

    A header naming none (most often a `;`-separated spreadsheet export, read as one column)
    would load a row of nulls per record, so the file is refused as a whole.
    """
    path = source.path
    try:
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as file:
            header = next(csv.reader(file), [])
    except (OSError, csv.Error) as error:
        raise LoadFailed(f"{path}: cannot read the header row: {error}") from error
    if not header:
        raise LoadFailed(f"{path}: no header row")
    separated = any(";" in name for name in header)
    if source.platform:
        header = [_snake_case(name) for name in header]
    repeated = [name for name, count in Counter(header).items() if count > 1]
    if repeated:
        raise LoadFailed(f"{path}: repeated in the header row: {', '.join(repeated)}")
    expected = PLATFORM_CSV_IDS[source.platform] if source.platform else source.columns
    if not set(header) & set(expected):
        reason = (
            f"{path}: the header row names none of the columns of {source.qualified_table}:"
            f" {', '.join(expected)}"
        )
        if separated:
            reason += "; it looks ;-separated, but callstats load reads comma-separated CSV"
        raise LoadFailed(reason)
    return header


def _report(
    connection: duckdb.DuckDBPyConnection, parsed: list[ParsedFile], dry_run: bool
) -> LoadReport:
    report = LoadReport(
        dry_run, files=len(parsed), tables=len({file.source.qualified_table for file in parsed})
    )
    for file in parsed:
        path = file.source.path
        report.rows += file.rows
        report.unparsed += file.unparsed
        if file.ignored_columns:
            report.warnings.append(
                f"{path}: ignored columns not loaded into {file.source.qualified_table}:"
                f" {', '.join(file.ignored_columns)}"
            )
        shown = connection.execute(
            f"select line_number, reason from {file.errors} order by line_number"
            f" limit {PROBLEMS_SHOWN_PER_FILE}"
        ).fetchall()
        report.problems += [f"{path}:{line}: {reason}" for line, reason in shown]
        if file.unparsed > len(shown):
            hidden = _count(file.unparsed - len(shown), "more record")
            report.problems.append(f"{path}: {hidden} could not be parsed")
    return report


def _drop(connection: duckdb.DuckDBPyConnection, *tables: str) -> None:
    for table in tables:
        connection.execute(f"drop table if exists {table}")


def _snake_case(name: str) -> str:
    """A CSV export's column name as the platform's JSON spells it: `Call Sid` is `call_sid`."""
    return re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")


def _literal_or_null(text: str | None) -> str:
    return "null" if text is None else sql_literal(text)


def _paths(columns: list[str]) -> str:
    return "[" + ", ".join(sql_literal(f"$.{column}") for column in columns) + "]"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
