"""GET /api/agents/{agent_id}/call_stats: one agent's call records (seed 004), exactly."""

from datetime import datetime, timedelta

import pytest

from api.queries import records

A1 = "/api/agents/a-1/call_stats"

# c-2 (a-1, org-a): two versions, in_progress at 09:30:05 then " COMPLETED " at 09:31:05.
# No duration_s: answered 09:30:05 to ended 09:31:05 = 60 s. Turn 1 has no LLM latency, so
# llm_data has turn 0 only; no models were reported. The tool call without an id is rejected.
C2 = {
    "call_id": "c-2",
    "call_agent_id": "a-1",
    "stt_data": [
        {"turn_index": 0, "provider": "deepgram", "model": None, "latency_ms": 200},
        {"turn_index": 1, "provider": "deepgram", "model": None, "latency_ms": 180},
    ],
    "llm_data": [{"turn_index": 0, "provider": "openai", "model": None, "latency_ms": 800}],
    "tts_data": [
        {"turn_index": 0, "provider": "elevenlabs", "model": None, "latency_ms": 150},
        {"turn_index": 1, "provider": "elevenlabs", "model": None, "latency_ms": 130},
    ],
    "call_transcription": [
        {"turn_index": 0, "role": "user", "text": "My bill is wrong"},
        {"turn_index": 0, "role": "agent", "text": "Let me check"},
        {"turn_index": 1, "role": "user", "text": "A person please"},
        {"turn_index": 1, "role": "agent", "text": "Transferring you"},
    ],
    "call_recording_url": None,
    "from_number": None,
    "to_number": None,
    "recording_id": None,
    "call_context": {},
    "call_status": "ANSWERED",
    "call_duration": 60,
    "billed_duration": None,
    "initiation_time": "2026-03-02T09:30:00Z",
    "answer_time": "2026-03-02T09:30:05Z",
    "end_time": "2026-03-02T09:31:05Z",
    "hangup_cause_name": None,
    "hangup_source": None,
    "call_direction": "outbound",
    "task_id": None,
    "call_state_changes": [
        {"status": "in_progress", "at": "2026-03-02T09:30:05Z"},
        {"status": "completed", "at": "2026-03-02T09:31:05Z"},
    ],
    "call_triggered": True,
    "call_quality": {},
    "call_insights": {},
    "call_timeline": None,
    "tool_data": [
        {
            "name": "send_sms",
            "started_at": "2026-03-02T09:30:30Z",
            "latency_ms": 80,
            "is_success": None,
            "error_message": None,
        }
    ],
    "audio_config": {},
    "org_id": "org-a",
}

# c-1 (a-1, org-a): queued 09:00:00, in_progress 09:00:10, completed 09:05:10 (sent twice,
# one exact repeat). Turn 2 is delivered twice and has no user text; turn 3 is kept with its
# negative LLM latency nulled, so it is in stt_data and tts_data (100 ms each) but not in
# llm_data, and it has no texts. Metadata carries recording_id, call_context and call_timeline
# only.
C1 = {
    "call_id": "c-1",
    "call_agent_id": "a-1",
    "stt_data": [
        {"turn_index": 0, "provider": "deepgram", "model": "nova-2", "latency_ms": 100},
        {"turn_index": 1, "provider": "deepgram", "model": "nova-2", "latency_ms": 120},
        {"turn_index": 2, "provider": "deepgram", "model": "nova-2", "latency_ms": 140},
        {"turn_index": 3, "provider": "deepgram", "model": "nova-2", "latency_ms": 100},
    ],
    "llm_data": [
        {"turn_index": 0, "provider": "openai", "model": "gpt-4o-mini", "latency_ms": 400},
        {"turn_index": 1, "provider": "openai", "model": "gpt-4o-mini", "latency_ms": 500},
        {"turn_index": 2, "provider": "openai", "model": "gpt-4o-mini", "latency_ms": 600},
    ],
    "tts_data": [
        {"turn_index": 0, "provider": "cartesia", "model": "sonic", "latency_ms": 80},
        {"turn_index": 1, "provider": "cartesia", "model": "sonic", "latency_ms": 90},
        {"turn_index": 2, "provider": "cartesia", "model": "sonic", "latency_ms": 100},
        {"turn_index": 3, "provider": "cartesia", "model": "sonic", "latency_ms": 100},
    ],
    "call_transcription": [
        {"turn_index": 0, "role": "user", "text": "I need a refill"},
        {"turn_index": 0, "role": "agent", "text": "Sure, which one?"},
        {"turn_index": 1, "role": "user", "text": "Lisinopril"},
        {"turn_index": 1, "role": "agent", "text": "Done."},
        {"turn_index": 2, "role": "agent", "text": "Anything else?"},
    ],
    "call_recording_url": "https://recordings.example/c-1.wav",
    "from_number": None,
    "to_number": None,
    "recording_id": "rec-1",
    "call_context": {"topic": "refill"},
    "call_status": "ANSWERED",
    "call_duration": 300,
    "billed_duration": 300,
    "initiation_time": "2026-03-02T09:00:00Z",
    "answer_time": "2026-03-02T09:00:10Z",
    "end_time": "2026-03-02T09:05:10Z",
    "hangup_cause_name": None,
    "hangup_source": None,
    "call_direction": "inbound",
    "task_id": "wf-1",
    "call_state_changes": [
        {"status": "queued", "at": "2026-03-02T09:00:00Z"},
        {"status": "in_progress", "at": "2026-03-02T09:00:10Z"},
        {"status": "completed", "at": "2026-03-02T09:05:10Z"},
    ],
    "call_triggered": False,
    "call_quality": {},
    "call_insights": {},
    "call_timeline": [{"event": "answered"}],
    "tool_data": [
        {
            "name": "lookup_account",
            "started_at": "2026-03-02T09:00:20Z",
            "latency_ms": 120,
            "is_success": True,
            "error_message": None,
        },
        {
            "name": "book_appointment",
            "started_at": "2026-03-02T09:01:10Z",
            "latency_ms": 3000,
            "is_success": False,
            "error_message": "timeout",
        },
    ],
    "audio_config": {},
    "org_id": "org-a",
}

# c-5 (hard-deleted agent a-9, org-b): two accepted versions, both completed: 11:00:20 (its
# negative cost nulled) then the current 11:00:30, so one state change at 11:00:20; no turns,
# no tool calls, no metadata.
C5 = {
    "call_id": "c-5",
    "call_agent_id": "a-9",
    "stt_data": [],
    "llm_data": [],
    "tts_data": [],
    "call_transcription": [],
    "call_recording_url": None,
    "from_number": None,
    "to_number": None,
    "recording_id": None,
    "call_context": {},
    "call_status": "ANSWERED",
    "call_duration": 30,
    "billed_duration": 30,
    "initiation_time": "2026-03-02T11:00:00Z",
    "answer_time": "2026-03-02T11:00:00Z",
    "end_time": "2026-03-02T11:00:30Z",
    "hangup_cause_name": None,
    "hangup_source": None,
    "call_direction": "inbound",
    "task_id": None,
    "call_state_changes": [{"status": "completed", "at": "2026-03-02T11:00:20Z"}],
    "call_triggered": False,
    "call_quality": {},
    "call_insights": {},
    "call_timeline": None,
    "tool_data": [],
    "audio_config": {},
    "org_id": "org-b",
}


def _ids(result) -> list[str]:
    assert result.status_code == 200, result.json
    return [record["call_id"] for record in result.json]


def test_an_agents_calls_are_its_records_newest_first(get):
    # c-6, c-7 and c-8 of a-1 have no accepted version, so only c-2 (09:30) and c-1 (09:00).
    result = get(A1)
    assert result.status_code == 200
    assert result.json == [C2, C1]
    assert list(result.json[0]) == list(C2)  # the seed's field order


def test_a_deleted_agent_is_listed_to_the_tokens_that_see_its_calls(get):
    for token in ("all", "org-b"):
        assert get("/api/agents/a-9/call_stats", token).json == [C5]


def test_a_live_call_and_a_call_without_direction(get):
    # a-3: c-9 (11:45, status outside the vocabulary, no direction) then c-4 (10:40, live).
    c9, c4 = get("/api/agents/a-3/call_stats", "org-b").json
    assert (c9["call_id"], c9["call_status"], c9["call_direction"], c9["call_triggered"]) == (
        "c-9",
        "FAILED",
        "inbound",
        False,
    )
    assert c9["call_duration"] == 60
    assert c9["call_state_changes"] == [{"status": "unknown", "at": "2026-03-02T11:46:00Z"}]
    assert (c4["call_id"], c4["call_status"], c4["call_duration"], c4["end_time"]) == (
        "c-4",
        "ANSWERED",
        None,
        None,
    )
    assert c4["call_state_changes"] == [
        {"status": "ringing", "at": "2026-03-02T10:40:00Z"},
        {"status": "in_progress", "at": "2026-03-02T10:40:30Z"},
    ]
    assert c4["llm_data"] == [
        {"turn_index": 0, "provider": "openai", "model": None, "latency_ms": 300}
    ]
    assert c4["call_transcription"] == [
        {"turn_index": 0, "role": "user", "text": "Hello?"},
        {"turn_index": 0, "role": "agent", "text": "Hi, how can I help?"},
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"start_date": "2026-03-02T09:15:00Z"}, ["c-2"]),
        ({"start_date": "2026-03-02T09:30:00Z"}, ["c-2"]),  # the lower bound is inclusive
        ({"end_date": "2026-03-02T09:00:00Z"}, ["c-1"]),  # so is the upper one
        ({"end_date": "2026-03-02T09:29:59.999Z"}, ["c-1"]),
        ({"end_date": "2026-03-02T10:30:00+01:00"}, ["c-2", "c-1"]),  # 09:30:00Z
        ({"end_date": "2026-03-02T10:29:59 01:00"}, ["c-1"]),  # a '+' read as a space
        ({"end_date": "2026-03-02T09:29:59"}, ["c-1"]),  # no offset: UTC
        ({"end_date": "2026-03-01"}, []),  # a bare date D means < D + 1 day
        ({"start_date": "2026-03-02", "end_date": "2026-03-02"}, ["c-2", "c-1"]),
        ({"start_date": "2026-03-03"}, []),  # a visible agent without calls in the window
        ({"start_date": " ", "end_date": ""}, ["c-2", "c-1"]),  # blank is absent
    ],
)
def test_the_window_filters_on_the_start(get, params, expected):
    assert _ids(get(A1, **params)) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"limit": "1"}, ["c-2"]),
        ({"limit": "1", "offset": "1"}, ["c-1"]),
        ({"offset": "1"}, ["c-1"]),
        ({"offset": "2"}, []),
        ({"limit": "1000", "offset": "0"}, ["c-2", "c-1"]),
        ({"offset": str(10**30)}, []),  # beyond what the database counts in, still a page
    ],
)
def test_limit_and_offset_page_through_the_calls(get, params, expected):
    assert _ids(get(A1, **params)) == expected


def test_scope_limits_the_calls_and_the_agents(get):
    assert get(A1, "res-1").json == [C2, C1]
    assert get(A1, "org-a").json == [C2, C1]
    assert _ids(get("/api/agents/a-2/call_stats", "res-1")) == ["c-3"]
    assert _ids(get("/api/agents/a-3/call_stats", "all")) == ["c-9", "c-4"]


@pytest.mark.parametrize(
    ("agent_id", "token"),
    [
        ("a-1", "org-b"),
        ("a-3", "res-1"),
        ("a-3", "org-a"),
        ("a-9", "res-1"),
        ("a-404", "all"),
        ("a-1' or '1'='1", "all"),
    ],
)
def test_an_agent_the_token_cannot_see_is_not_found_like_an_unknown_one(get, agent_id, token):
    result = get(f"/api/agents/{agent_id}/call_stats", token)
    assert result.status_code == 404
    assert result.json == {
        "title": "404 Not Found",
        "description": f"agent_id: {agent_id!r} is not found.",
    }


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("start_date", {"start_date": "yesterday"}),
        ("start_date", {"start_date": "2026-03-02T10:00:00Z", "end_date": "2026-03-02T09:00:00Z"}),
        ("end_date", {"end_date": "2026-02-30"}),
        ("end_date", {"end_date": "2026-03-02T25:00:00Z"}),
        ("limit", {"limit": "0"}),
        ("limit", {"limit": "1001"}),
        ("limit", {"limit": "ten"}),
        ("limit", {"limit": "1.5"}),
        ("limit", {"limit": "5\n"}),
        ("offset", {"offset": "-1"}),
        ("offset", {"offset": "x"}),
        ("offset", {"offset": "9" * 5000}),
        ("limit", {"limit": "0" * 5000 + "5"}),
    ],
)
def test_bad_values_are_a_400_naming_the_parameter(get, name, params):
    result = get(A1, **params)
    assert result.status_code == 400
    assert set(result.json) == {"title", "description"}
    assert f'"{name}"' in result.json["description"]


def test_a_token_is_required_and_only_get_is_allowed(client, tokens, get):
    assert get(A1, token=None).status_code == 401
    posted = client.simulate_post(A1, headers={"Authorization": f"Bearer {tokens['all']}"})
    assert posted.status_code == 405
    assert posted.json["description"] == f"POST is not allowed on {A1}; use GET."


def _child_row(child: str, call_id: str, **values) -> tuple:
    """A row of the page's children statement: `child`'s values, nulls elsewhere."""
    row = [child, call_id]
    for name, (columns, _) in records._CHILD_VALUES.items():
        row += [values[column] if name == child else None for column in columns]
    return tuple(row)


def test_a_pages_children_are_each_calls_lists_in_their_order():
    turn = dict.fromkeys(records._CHILD_VALUES["turns"][0])
    tool = dict.fromkeys(records._CHILD_VALUES["tools"][0])
    at = datetime(2026, 3, 2, 9, 0)
    rows = [
        _child_row("tools", "c-1", **{**tool, "tool_call_id": "t-a", "started_at": None}),
        _child_row("turns", "c-1", **{**turn, "turn_index": 2}),
        _child_row("tools", "c-1", **{**tool, "tool_call_id": "t-b", "started_at": at}),
        _child_row("states", "c-2", status="completed", changed_at=at + timedelta(minutes=1)),
        _child_row("tools", "c-1", **{**tool, "tool_call_id": "T-c", "started_at": at}),
        _child_row("turns", "c-1", **{**turn, "turn_index": 0}),
        _child_row("states", "c-2", status="in_progress", changed_at=at),
    ]
    grouped = records._grouped(rows)
    # tools by start, nulls last, then by id in code point order ("T" before "t")
    assert [tool["tool_call_id"] for tool in grouped["tools"]["c-1"]] == ["T-c", "t-b", "t-a"]
    assert [turn["turn_index"] for turn in grouped["turns"]["c-1"]] == [0, 2]
    assert grouped["states"] == {
        "c-2": [
            {"status": "in_progress", "changed_at": at},
            {"status": "completed", "changed_at": at + timedelta(minutes=1)},
        ]
    }
    assert "c-2" not in grouped["tools"] and "c-1" not in grouped["states"]
