"""A few headline numbers read from the built marts, for the end of `callstats demo`."""

from pathlib import Path

import duckdb

from callstats.publish import published_path

HEADLINE_SQL = """
with

calls as (
    select
        sum(total_calls) as total_calls,
        sum(completed_calls) as completed_calls,
        sum(duration_sum_s) as duration_sum_s,
        sum(calls_with_duration) as calls_with_duration,
        sum(cost_sum_usd) as cost_sum_usd,
        sum(total_latency_sum_ms) as total_latency_sum_ms,
        sum(total_latency_turns) as total_latency_turns,
        min(started_hour) as first_hour,
        max(started_hour) as last_hour
    from marts.rpt_calls_hourly
),

audit as (
    select
        sum(rows_read) as rows_read,
        sum(rows_rejected) as rows_rejected,
        sum(exact_repeats) as exact_repeats
    from marts.audit_row_counts
)

select * from calls cross join audit
"""


def _mean(total: float, count: int, unit: str, digits: int) -> str:
    return f"{total / count:,.{digits}f} {unit}" if count else "none measured"


def report(warehouse: Path, *, target: str = "duckdb") -> str:
    """The headline numbers of the published DuckDB marts (DuckDB and Spark builds); on
    PostgreSQL a one-line note instead (the marts are there, read them with any PostgreSQL
    client)."""
    if target == "postgres":
        return "Marts built in PostgreSQL (schema marts); headline numbers show on DuckDB only."
    with duckdb.connect(str(published_path(warehouse)), read_only=True) as connection:
        cursor = connection.execute(HEADLINE_SQL)
        names = [column[0] for column in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
    total = row["total_calls"] or 0
    if not total:
        return f"Warehouse: {warehouse}\nNo calls yet."
    return "\n".join(
        [
            f"Warehouse: {warehouse}",
            f"Calls started {row['first_hour']:%Y-%m-%d %H:00} to "
            f"{row['last_hour']:%Y-%m-%d %H:00} UTC: {total:,}",
            f"  completed: {row['completed_calls']:,} "
            f"({100 * row['completed_calls'] / total:.1f} %)",
            "  average duration: "
            + _mean(row["duration_sum_s"], row["calls_with_duration"], "s", 1),
            f"  total cost: ${row['cost_sum_usd']:,.2f}",
            "  average voice-to-voice latency: "
            + _mean(row["total_latency_sum_ms"], row["total_latency_turns"], "ms", 0),
            f"Raw rows read: {row['rows_read']:,}; rejected: {row['rows_rejected']:,}; "
            f"exact repeats: {row['exact_repeats']:,} (see marts.audit_rejected_rows)",
        ]
    )
