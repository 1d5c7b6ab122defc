"""The list endpoints of single records: errors (seed 001) and an agent's calls (seed 004)."""

from datetime import datetime

import orjson

from api.marts import Marts
from api.queries.selection import Selection
from api.serialize import timestamp

# The largest OFFSET the marts' SQL engines take (DuckDB reads it as a BIGINT): a larger one
# is the same empty page.
MAX_OFFSET = 2**63 - 1


def errors(
    marts: Marts,
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
    [(total,)] = marts.rows(
        f"select count(*) from marts.fct_call_errors as errors where {where}", parameters
    )
    # The page's keys first, from two columns; then its wide columns, joined on its times too
    # so the engine reads only those times' row groups (the table is in occurred_at order).
    rows = marts.rows(
        f"""
        with page as (
            select errors.error_id, errors.occurred_at
            from marts.fct_call_errors as errors
            where {where}
            order by errors.occurred_at desc, errors.error_id collate "C"
            limit ? offset ?
        )
        select
            errors.error_id,
            errors.call_id,
            errors.occurred_at,
            errors.service,
            errors.level,
            errors.message,
            errors.details,
            coalesce(agents.agent_name, errors.agent_id)
        from page
        inner join marts.fct_call_errors as errors
            on errors.error_id = page.error_id and errors.occurred_at = page.occurred_at
        left join marts.dim_agents as agents on agents.agent_id = errors.agent_id
        order by page.occurred_at desc, page.error_id collate "C"
        """,
        [*parameters, limit, min(offset, MAX_OFFSET)],
    )
    return {"items": [_error(*row) for row in rows], "total": total}


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


# One statement, so a page and its turns, tool calls and state changes come from the same
# publication even when `callstats build` swaps the marts file between requests. The page's
# keys are found first, reading two columns; the calls and their child tables are stored in
# the order of the calls' starts and joined to the keys on it too, so the engine reads the
# wide columns only in the row groups of the page's hours.
_CALLS = """
with keys as (
    select call_id, started_at
    from marts.fct_calls
    where {selection} and {window}
    order by started_at desc, call_id collate "C"
    limit ? offset ?
),

page as (
    select
        calls.call_id, calls.agent_id, calls.org_id, calls.workflow_id, calls.direction,
        calls.agent_call_status, calls.started_at, calls.answered_at, calls.ended_at,
        calls.duration_s, calls.billed_duration_s, calls.from_number, calls.to_number,
        calls.hangup_cause, calls.hangup_source, calls.recording_url, calls.recording_id,
        calls.call_timeline, calls.call_context, calls.call_quality, calls.call_insights,
        calls.audio_config, calls.stt_provider, calls.stt_model, calls.llm_provider,
        calls.llm_model, calls.tts_provider, calls.tts_model
    from marts.fct_calls as calls
    inner join keys
        on calls.call_id = keys.call_id and calls.started_at = keys.started_at
),

turns as (
    select
        child.call_id,
        {turns} as turns
    from marts.fct_call_turns as child
    inner join page
        on child.call_id = page.call_id and child.call_started_at = page.started_at
    group by child.call_id
),

tools as (
    select
        child.call_id,
        {tools} as tools
    from marts.fct_tool_calls as child
    inner join page
        on child.call_id = page.call_id and child.call_started_at = page.started_at
    group by child.call_id
),

states as (
    select
        child.call_id,
        {states} as states
    from marts.fct_call_state_changes as child
    inner join page
        on child.call_id = page.call_id and child.call_started_at = page.started_at
    group by child.call_id
)

select page.*, turns.turns, tools.tools, states.states
from page
left join turns on page.call_id = turns.call_id
left join tools on page.call_id = tools.call_id
left join states on page.call_id = states.call_id
order by page.started_at desc, page.call_id collate "C"
"""


_TURN = "turn_index, user_text, agent_text, stt_latency_ms, llm_latency_ms, tts_latency_ms"
_TOOL = "tool_name, started_at, latency_ms, is_success, error_message"
_STATE = "status, changed_at"


def _list(dialect: str, fields: str, order: str) -> str:
    """An aggregate of one object per `child` row, keyed by field name and in `order`: a list
    of structs on DuckDB, a json array of objects on PostgreSQL (loaded as text, see
    `_objects`)."""
    names = fields.split(", ")
    if dialect == "duckdb":
        members = ", ".join(f"{name} := child.{name}" for name in names)
        return f"list(struct_pack({members}) order by {order})"
    pairs = ", ".join(f"'{name}', child.{name}" for name in names)
    return f"json_agg(json_build_object({pairs}) order by {order})"


_LISTS = {
    dialect: {
        "turns": _list(dialect, _TURN, "child.turn_index"),
        "tools": _list(
            dialect, _TOOL, 'child.started_at nulls last, child.tool_call_id collate "C"'
        ),
        "states": _list(dialect, _STATE, "child.changed_at"),
    }
    for dialect in ("duckdb", "postgres")
}


def agent_calls(marts: Marts, selection: Selection, limit: int, offset: int) -> list[dict]:
    """A page of the call records of the selection's one agent in its window, newest first
    (seed 004), each with its turns, tool calls and state changes."""
    in_selection, selection_parameters = selection.predicate()
    in_window, window_parameters = selection.window.predicate("started_at")
    rows = marts.rows(
        _CALLS.format(selection=in_selection, window=in_window, **_LISTS[marts.dialect]),
        [*selection_parameters, *window_parameters, limit, min(offset, MAX_OFFSET)],
    )
    return [_record(row) for row in rows]


def _record(row: tuple) -> dict:
    (
        call_id, agent_id, org_id, workflow_id, direction, call_status,
        started_at, answered_at, ended_at, duration_s, billed_duration_s,
        from_number, to_number, hangup_cause, hangup_source, recording_url,
        recording_id, call_timeline, call_context, call_quality, call_insights, audio_config,
        stt_provider, stt_model, llm_provider, llm_model, tts_provider, tts_model,
        turns, tools, states,
    ) = row  # fmt: skip
    turns, tools, states = _objects(turns), _objects(tools), _objects(states)
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
            {"status": state["status"], "at": timestamp(_moment(state["changed_at"]))}
            for state in states
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
            "latency_ms": _number(turn[latency]),
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
        "started_at": timestamp(_moment(tool["started_at"])),
        "latency_ms": _number(tool["latency_ms"]),
        "is_success": tool["is_success"],
        "error_message": tool["error_message"],
    }


def _objects(aggregate: list[dict] | str | None) -> list[dict]:
    """The rows of a `_list` aggregate: DuckDB's structs, or PostgreSQL's json text."""
    if aggregate is None:
        return []
    return orjson.loads(aggregate) if isinstance(aggregate, str) else aggregate


def _number(value: float | None) -> float | None:
    """A DOUBLE of a `_list` aggregate: json writes 120.0 as 120."""
    return float(value) if value is not None else None


def _moment(value: datetime | str | None) -> datetime | None:
    """A timestamp of a `_list` aggregate: json writes it as ISO 8601 text."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _json(text: str | None, absent):
    """A metadata key as its JSON value; `absent` when the key is missing or JSON null."""
    value = orjson.loads(text) if text is not None else None
    return absent if value is None else value
