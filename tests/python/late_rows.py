"""Late and repeated rows for the calls a warehouse already holds, as a loader would receive
them after a build: what an incremental build must take in exactly as a full refresh does."""

from pathlib import Path

import duckdb
from warehouses import Query

# When the late rows land.
LATE_LOAD = "2026-03-12T02:00:00"

# Late and repeated rows for calls of the first batch, written as a loader would receive them.
LATE_ROWS = {
    "calls": """
        -- exact repeats
        (select * exclude (loaded_at) from raw.calls order by call_id, updated_at limit 40)
        union all by name
        -- a later version with a corrected cost for 30 completed calls
        (select * exclude (loaded_at) replace (
            updated_at + interval 3 day as updated_at,
            1.23 as total_cost_usd,
            'resolved' as outcome
         ) from raw.calls where status = 'completed' and total_cost_usd is not null
         order by call_id limit 30)
        union all by name
        -- a later version that moves the start two hours earlier
        (select * exclude (loaded_at) replace (
            updated_at + interval 1 day as updated_at,
            started_at - interval 2 hour as started_at
         ) from raw.calls where status = 'failed' order by call_id limit 5)
        union all by name
        -- a later version naming another LLM provider for 5 completed calls: the latencies of
        -- their turns move to it, though no turn of theirs is re-sent
        (select * exclude (loaded_at) replace (
            updated_at + interval 2 day as updated_at,
            'late-llm' as llm_provider
         ) from raw.calls where status = 'completed' and llm_provider is not null
         qualify row_number() over (partition by call_id order by updated_at desc) = 1
         order by call_id desc limit 5)
        union all by name
        -- two different rows for every version of the only call of an hour, landing
        -- together: the call loses all its versions and its hour is left without calls
        (select calls.* exclude (loaded_at) replace (choices.outcome as outcome)
         from raw.calls as calls
         cross join (values ('first telling'), ('second telling')) as choices (outcome)
         where calls.call_id = $lonely_call_id)
        union all by name
        -- a call of five days ago that only arrives now
        (select * exclude (loaded_at) replace (
            'late-call-1' as call_id,
            started_at - interval 5 day as started_at
         ) from raw.calls
         where call_id = (select min(call_id) from raw.calls where status = 'completed'))
        union all by name
        -- exact repeats of the rows without an id
        (select * exclude (loaded_at) from raw.calls where nullif(trim(call_id), '') is null)
    """,
    "call_turns": """
        (select * exclude (loaded_at) from raw.call_turns order by call_id, turn_index limit 30)
        union all by name
        (select * exclude (loaded_at) replace (99 as turn_index)
         from raw.call_turns where turn_index = 0 order by call_id limit 20)
        union all by name
        -- exact repeats of the rows without an id
        (select * exclude (loaded_at) from raw.call_turns where nullif(trim(call_id), '') is null)
    """,
    "call_errors": """
        -- an error re-sent naming another call
        (select * exclude (loaded_at) replace (
            (select max(call_id) from raw.calls where status = 'completed') as call_id
         ) from raw.call_errors
         where error_id = (select min(error_id) from raw.call_errors where level = 'error'))
        union all by name
        -- new errors of old calls
        (select
            'late-error-' || call_id as error_id,
            call_id,
            started_at + interval 5 second as occurred_at,
            'stt' as service,
            stt_provider as provider_name,
            'error' as level,
            'Connection reset' as message
         from raw.calls where status = 'completed' order by call_id limit 10)
    """,
    "tool_calls": """
        -- a tool call re-sent naming another call
        select * exclude (loaded_at) replace (
            (select max(call_id) from raw.calls where status = 'completed') as call_id,
            false as is_success
        ) from raw.tool_calls
        where tool_call_id = (select min(tool_call_id) from raw.tool_calls)
    """,
    "stt_events": """
        select * exclude (loaded_at) from raw.stt_events order by event_id limit 10
    """,
}


def write_late_files(warehouse: Path, directory: Path, lonely_call_id: str) -> list[str]:
    """Write LATE_ROWS, selected from a DuckDB warehouse's raw tables, as JSON lines files
    (one per raw table) into `directory`; their paths."""
    paths = []
    with duckdb.connect(str(warehouse)) as connection:
        for table, sql in LATE_ROWS.items():
            path = directory / f"{table}.jsonl"
            parameters = {"lonely_call_id": lonely_call_id} if "$lonely" in sql else {}
            connection.execute(f"copy ({sql}) to '{path}' (format json)", parameters)
            paths.append(str(path))
    return paths


def lonely_call(query: Query) -> tuple[str, object]:
    """The first call of the start hour with the fewest calls (the first such hour) in a
    published marts file, and that hour."""
    [(call_id, hour)] = query(
        "select min(call_id), started_hour from marts.fct_calls "
        "group by started_hour order by count(*), started_hour limit 1"
    )
    return call_id, hour
