"""The list endpoints of single records: errors (seed 001) and an agent's calls (seed 004)."""

from datetime import datetime
from itertools import accumulate
from operator import itemgetter

import orjson

from api.marts import Publication
from api.queries.selection import Selection
from api.serialize import timestamp

# The largest OFFSET the marts' SQL engines take (DuckDB reads it as a BIGINT): a larger one
# is the same empty page.
MAX_OFFSET = 2**63 - 1
# A page whose records are not all kept reads with them the records after it, this share of
# its length: those a window moved back or the next page shows first.
_READ_AHEAD = 0.25

# A page of errors is read as a page of calls is (below): the page's keys (error id and
# time), from two columns, with the count of the window's errors; then the records of the
# errors it has not shown before (`Publication.lasting_items`), joined to their agents'
# names. The table is in occurred_at order, so bounding the read by the first and last time
# read lets the engine read only the row groups of those instants.
_ERROR_KEYS = """
select errors.error_id, errors.occurred_at
from marts.fct_call_errors as errors
where {where}
order by errors.occurred_at desc, errors.error_id collate "C"
limit ? offset ?
"""
_ERROR_COLUMNS_SQL = """
select
    errors.error_id,
    errors.call_id,
    errors.occurred_at,
    errors.service,
    errors.level,
    errors.message,
    errors.details,
    coalesce(agents.agent_name, errors.agent_id)
from marts.fct_call_errors as errors
left join marts.dim_agents as agents on agents.agent_id = errors.agent_id
where errors.occurred_at between ? and ? and errors.error_id = any(?)
"""


def errors(
    marts: Publication,
    selection: Selection,
    limit: int,
    offset: int,
    service: str | None = None,
    level: str | None = None,
) -> dict:
    """A page of the errors that occurred in the window, newest first, then by id, and how
    many there are. An error of no accepted call has no org: it is visible to all-scope
    tokens only, with `agent` null."""
    in_window, parameters = selection.window.predicate("errors.occurred_at")
    in_selection, selection_parameters = selection.predicate("errors")
    clauses, parameters = [in_window, in_selection], [*parameters, *selection_parameters]
    for column, value in (("service", service), ("level", level)):
        if value is not None:
            clauses.append(f"errors.{column} = ?")
            parameters.append(value)
    where = " and ".join(clauses)
    counted, keys = marts.together(
        lambda: marts.rows(
            f"select count(*) from marts.fct_call_errors as errors where {where}", parameters
        ),
        lambda: marts.rows(
            _ERROR_KEYS.format(where=where),
            [*parameters, read_ahead(limit), min(offset, MAX_OFFSET)],
        ),
    )
    [(total,)] = counted
    items = marts.lasting_items(error_records, keys[:limit], ahead=keys[limit:])
    return {"items": items, "total": total}


def error_records(marts: Publication, keys: list[tuple[str, datetime]]) -> dict[tuple, dict]:
    """The record of each error of `keys` (error id, time), by its key."""
    rows = marts.rows(_ERROR_COLUMNS_SQL, spanned(keys))
    by_key = {(row[0], row[2]): _error(*row) for row in rows}
    return {key: by_key[key] for key in keys}


def read_ahead(limit: int) -> int:
    """How many keys a page of `limit` records reads: its own and those read ahead."""
    return limit + int(limit * _READ_AHEAD)


def spanned(keys: list[tuple[str, datetime]]) -> list:
    """The parameters of a read of the records of `keys` (id, time): the first and last time,
    then the ids."""
    times = [time for _, time in keys]
    return [min(times), max(times), [record_id for record_id, _ in keys]]


def _error(error_id, call_id, occurred_at, service, level, message, details, agent) -> dict:
    return {
        "id": error_id,
        "call_id": call_id,
        "timestamp": timestamp(occurred_at),
        "service": service,
        "level": level,
        "message": message,
        "details": orjson.loads(details) if details is not None else None,
        "agent": agent,
    }


# A page of calls is read in two steps: the page's keys (call id and start), from two
# columns; then the records of its calls, each kept once read (`Publication.lasting_items`):
# only the calls a page has not shown before are read, at once (`Publication.together`), their
# turns, tool calls and state changes in one statement and their own columns in another. The
# calls and their child tables are stored in the order of the calls' starts, so bounding each
# read by the first and last start of the calls read lets the engine read only the row groups
# of those instants (docs/decisions.md, Pages of calls kept).
_KEYS = """
select call_id, started_at
from marts.fct_calls
where {selection} and {window}
order by started_at desc, call_id collate "C"
limit ? offset ?
"""
_COLUMNS_SQL = """
select call_id, agent_id, org_id, workflow_id, direction, agent_call_status, started_at,
    answered_at, ended_at, duration_s, billed_duration_s, from_number, to_number,
    hangup_cause, hangup_source, recording_url, recording_id, call_timeline, call_context,
    call_quality, call_insights, audio_config, stt_provider, stt_model, llm_provider,
    llm_model, tts_provider, tts_model
from marts.fct_calls
where started_at between ? and ? and call_id = any(?)
"""
# Each child table: its columns (after call_id) with their SQL types, and its order within a
# call, as a sort key of a row (code point order for ids, as `collate "C"`).
_CHILDREN = {
    "turns": (
        "marts.fct_call_turns",
        {"turn_index": "integer", "user_text": "text", "agent_text": "text",
         "stt_latency_ms": "double precision", "llm_latency_ms": "double precision",
         "tts_latency_ms": "double precision"},
        itemgetter("turn_index"),
    ),
    "tools": (
        "marts.fct_tool_calls",
        {"tool_name": "text", "started_at": "timestamp", "latency_ms": "double precision",
         "is_success": "boolean", "error_message": "text", "tool_call_id": "text"},
        lambda tool: (tool["started_at"] is None, tool["started_at"] or datetime.min,
                      tool["tool_call_id"]),
    ),
    "states": (
        "marts.fct_call_state_changes",
        {"status": "text", "changed_at": "timestamp"},
        itemgetter("changed_at"),
    ),
}  # fmt: skip
# The children of a page's calls as one statement: `(child, call_id, *values)` with a column
# per child and column, a typed null in the other children's rows (PostgreSQL types a union's
# column from its first two parts).
_CHILDREN_SQL = " union all ".join(
    f"select '{name}', call_id, "
    + ", ".join(
        column if child == name else f"cast(null as {sql_type})"
        for child, (_, child_columns, _) in _CHILDREN.items()
        for column, sql_type in child_columns.items()
    )
    + f" from {table} where call_started_at between ? and ? and call_id = any(?)"
    for name, (table, _, _) in _CHILDREN.items()
)
# Each child's columns and where their values lie in a row of _CHILDREN_SQL (after call_id).
_CHILD_VALUES = {
    name: (tuple(columns), slice(end - len(columns), end))
    for (name, (_, columns, _)), end in zip(
        _CHILDREN.items(),
        accumulate(len(columns) for _, columns, _ in _CHILDREN.values()),
        strict=True,
    )
}


def agent_calls(marts: Publication, selection: Selection, limit: int, offset: int) -> list[dict]:
    """A page of the call records of the selection's one agent in its window, newest first
    (seed 004), each with its turns, tool calls and state changes."""
    in_selection, selection_parameters = selection.predicate()
    in_window, window_parameters = selection.window.predicate("started_at")
    keys = marts.rows(
        _KEYS.format(selection=in_selection, window=in_window),
        [
            *selection_parameters,
            *window_parameters,
            read_ahead(limit),
            min(offset, MAX_OFFSET),
        ],
    )
    return marts.lasting_items(call_records, keys[:limit], ahead=keys[limit:])


def call_records(marts: Publication, keys: list[tuple[str, datetime]]) -> dict[tuple, dict]:
    """The record of each call of `keys` (call id, start), by its key."""
    bounds = spanned(keys)
    children, rows = marts.together(
        lambda: _grouped(marts.rows(_CHILDREN_SQL, bounds * len(_CHILDREN))),
        lambda: marts.rows(_COLUMNS_SQL, bounds),
    )
    by_id = {row[0]: row for row in rows}
    return {
        key: _record(by_id[key[0]], *(children[name].get(key[0], []) for name in _CHILDREN))
        for key in keys
    }


def _grouped(rows: list[tuple]) -> dict[str, dict[str, list[dict]]]:
    """Rows of _CHILDREN_SQL as each child's list of objects (keyed by column) per call, in
    the child's order."""
    grouped: dict[str, dict[str, list[dict]]] = {name: {} for name in _CHILDREN}
    for child, call_id, *values in rows:
        columns, part = _CHILD_VALUES[child]
        grouped[child].setdefault(call_id, []).append(dict(zip(columns, values[part], strict=True)))
    for name, (_, _, order) in _CHILDREN.items():
        for children in grouped[name].values():
            children.sort(key=order)
    return grouped


def _record(row: tuple, turns: list[dict], tools: list[dict], states: list[dict]) -> dict:
    (
        call_id, agent_id, org_id, workflow_id, direction, call_status,
        started_at, answered_at, ended_at, duration_s, billed_duration_s,
        from_number, to_number, hangup_cause, hangup_source, recording_url,
        recording_id, call_timeline, call_context, call_quality, call_insights, audio_config,
        stt_provider, stt_model, llm_provider, llm_model, tts_provider, tts_model,
    ) = row  # fmt: skip
    providers = {
        "stt": (stt_provider, stt_model),
        "llm": (llm_provider, llm_model),
        "tts": (tts_provider, tts_model),
    }
    call_direction = direction or "inbound"
    return {
        "call_id": call_id,
        "call_agent_id": agent_id,
        **{
            f"{stage}_data": _stage_data(turns, stage, provider, model)
            for stage, (provider, model) in providers.items()
        },
        "call_transcription": _transcription(turns),
        "call_recording_url": recording_url,
        "from_number": from_number,
        "to_number": to_number,
        "recording_id": recording_id,
        "call_context": _json(call_context, {}),
        "call_status": call_status,
        "call_duration": duration_s,
        "billed_duration": billed_duration_s,
        "initiation_time": timestamp(started_at),
        "answer_time": timestamp(answered_at),
        "end_time": timestamp(ended_at),
        "hangup_cause_name": hangup_cause,
        "hangup_source": hangup_source,
        "call_direction": call_direction,
        "task_id": workflow_id,
        "call_state_changes": [
            {"status": state["status"], "at": timestamp(state["changed_at"])} for state in states
        ],
        "call_triggered": call_direction == "outbound",
        "call_quality": _json(call_quality, {}),
        "call_insights": _json(call_insights, {}),
        "call_timeline": _json(call_timeline, None),
        "tool_data": [_tool(tool) for tool in tools],
        "audio_config": _json(audio_config, {}),
        "org_id": org_id,
    }


def _stage_data(turns: list[dict], stage: str, provider: str | None, model: str | None) -> list:
    """A stage's entries: only the turns that measured that stage's latency."""
    latency = f"{stage}_latency_ms"
    return [
        {
            "turn_index": turn["turn_index"],
            "provider": provider,
            "model": model,
            "latency_ms": turn[latency],
        }
        for turn in turns
        if turn[latency] is not None
    ]


def _transcription(turns: list[dict]) -> list[dict]:
    return [
        {"turn_index": turn["turn_index"], "role": role, "text": turn[column]}
        for turn in turns
        for role, column in (("user", "user_text"), ("agent", "agent_text"))
        if turn[column] is not None
    ]


def _tool(tool: dict) -> dict:
    return {
        "name": tool["tool_name"],
        "started_at": timestamp(tool["started_at"]),
        "latency_ms": tool["latency_ms"],
        "is_success": tool["is_success"],
        "error_message": tool["error_message"],
    }


def _json(text: str | None, absent):
    """A metadata key as its JSON value; `absent` when the key is missing or JSON null."""
    value = orjson.loads(text) if text is not None else None
    return absent if value is None else value
