"""The JSON Schemas of the API's answers (the OpenAPI document's components.schemas).

Field names and types follow the seed documents; a field is nullable only where metrics.md
(or the data, e.g. a deleted agent's name) makes it null, so clients can rely on the rest.
"""

from api.params import TIMESTAMP_PATTERN

# Schemas used for many fields.
_TEXT = {"type": "string"}
_NULLABLE_TEXT = {"type": ["string", "null"]}
_ID = {"type": "string", "description": "An id: the stored text, never checked for format."}
_COUNT = {"type": "integer", "minimum": 0}
_NUMBER = {"type": "number"}
_NULLABLE_NUMBER = {"type": ["number", "null"]}
_FRACTION = {"type": "number", "minimum": 0, "maximum": 1}
_PERCENT = {"type": "number", "minimum": 0, "maximum": 100}
_NULLABLE_PERCENT = {"type": ["number", "null"], "minimum": 0, "maximum": 100}
_DATE = {"type": "string", "format": "date"}
_TIMESTAMP = {"type": "string", "format": "date-time"}
_NULLABLE_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}
_JSON_OBJECT = {"type": "object"}
_NULLABLE_JSON_OBJECT = {"type": ["object", "null"]}


def ref(name: str) -> dict:
    """A reference to the schema `name` of SCHEMAS."""
    return {"$ref": f"#/components/schemas/{name}"}


def _described(schema: dict, description: str) -> dict:
    return {**schema, "description": description}


def _object(description: str, /, **properties: dict) -> dict:
    """An object whose listed properties are always present (null only where typed so)."""
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def array(items: dict, description: str | None = None, **limits) -> dict:
    schema = {"type": "array", "items": items, **limits}
    return _described(schema, description) if description else schema


def daily(name: str, description: str) -> dict:
    every_day = " Every day (of `tz`, UTC by default) of the window, oldest first."
    return array(ref(name), description + every_day)


SCHEMAS = {
    "Error": _object(
        "Every error body.",
        title=_described(_TEXT, "A short summary, e.g. `Invalid parameter` or `404 Not Found`."),
        description=_described(_TEXT, "What was wrong, naming the offending parameter."),
    ),
    "TimestampOrDate": {
        "type": "string",
        "description": (
            "An RFC 3339 timestamp (`2026-02-01T00:00:00Z`, an offset, or none = UTC; a space"
            " where the offset's `+` was; at most 6 decimals of a second, which may be left out"
            " with the seconds) or a bare date `2026-02-01`, of the years 1000 to 9998; blank"
            " is the same as absent."
        ),
        "pattern": TIMESTAMP_PATTERN,
        "examples": ["2026-02-01T00:00:00Z", "2026-02-01T01:00:00+01:00", "2026-02-01"],
    },
    "Health": _object(
        "Whether marts are published.",
        status={"type": "string", "enum": ["ok", "unavailable"]},
        marts_built_at=_described(_NULLABLE_TIMESTAMP, "Null when no marts are published."),
    ),
    # Family A (seed 000).
    "Overview": _object(
        "Summary of the calls in the window.",
        total_calls=_COUNT,
        total_duration=_described(_NUMBER, "Sum of call durations, seconds."),
        avg_duration=_described(_NUMBER, "Mean call duration, seconds; 0 without calls."),
        completed_calls=_COUNT,
        failed_calls=_COUNT,
    ),
    "DailyCount": _object("Calls started on a day of `tz`.", date=_DATE, count=_COUNT),
    "Latency": _object(
        "Mean per-turn latencies (ms) over the turns of the window's calls; 0 without turns.",
        avg_stt_latency_ms=_NUMBER,
        avg_llm_latency_ms=_NUMBER,
        avg_tts_latency_ms=_NUMBER,
        avg_total_latency_ms=_NUMBER,
        daily_trend=daily("DailyLatency", "Mean latencies per day."),
    ),
    "DailyLatency": _object(
        "Mean per-turn latencies (ms) of the calls started on a day of `tz`; 0 without turns.",
        date=_DATE,
        stt_latency_ms=_NUMBER,
        llm_latency_ms=_NUMBER,
        tts_latency_ms=_NUMBER,
        total_latency_ms=_NUMBER,
    ),
    "CostOverview": _object(
        "Costs (USD): explicit total cost, else estimated from the billable duration.",
        total_spend=_NUMBER,
        avg_cost_per_call=_described(_NUMBER, "Mean over calls with a cost; 0 without."),
        stt_cost_total=_NUMBER,
        llm_cost_total=_NUMBER,
        tts_cost_total=_NUMBER,
    ),
    "DailyCost": _object(
        "Total cost (USD) of the calls started on a day of `tz`.", date=_DATE, total_cost=_NUMBER
    ),
    "AgentCost": _object(
        "Total cost (USD) of an agent's calls.",
        agent_id=_ID,
        agent_name=_described(_NULLABLE_TEXT, "Null for a deleted agent."),
        total_cost=_NUMBER,
    ),
    "Distribution": _object(
        "Every bucket in order, zeros included.",
        buckets=array(ref("DistributionBucket")),
    ),
    "DistributionBucket": _object(
        "A bucket (lower bound inclusive, upper exclusive) and how many fall in it.",
        bucket=_described(_TEXT, "The label, e.g. `30-60` or `300+`."),
        count=_COUNT,
    ),
    "ConversationTurns": _object(
        "Mean turns of the calls with at least one turn; 0 without.",
        avg_turns=_NUMBER,
        daily_trend=daily("DailyTurns", "Mean turns per day."),
    ),
    "DailyTurns": _object("Mean turns on a day of `tz`.", date=_DATE, avg_turns=_NUMBER),
    "BargeIn": _object(
        "Fraction of calls with turns in which the caller interrupted the agent.",
        barge_in_rate=_FRACTION,
        daily_trend=daily("DailyBargeIn", "Barge-in rate per day."),
    ),
    "DailyBargeIn": _object("Barge-in rate on a day of `tz`.", date=_DATE, barge_in_rate=_FRACTION),
    "ProviderErrors": _object(
        "A provider used by the window's calls in any stage.",
        provider_name=_TEXT,
        error_count=_described(_COUNT, "Calls with a level-error row naming the provider."),
        total_calls=_described(_COUNT, "Calls that used the provider."),
        error_rate=_FRACTION,
    ),
    "PeakHour": _object(
        "Calls started in a (weekday, UTC hour) cell; only non-zero cells are listed.",
        day_of_week=_described(
            {"type": "integer", "minimum": 0, "maximum": 6}, "0 = Monday … 6 = Sunday."
        ),
        hour={"type": "integer", "minimum": 0, "maximum": 23},
        count=_COUNT,
    ),
    "Outcome": _object(
        "Calls per outcome, or per status when a call has no outcome.",
        outcome=_TEXT,
        count=_COUNT,
    ),
    "AgentComparison": _object(
        "An agent's metrics over the window; zeros when it has no calls in it.",
        agent_id=_ID,
        agent_name=_described(_NULLABLE_TEXT, "Null for a deleted agent."),
        total_calls=_COUNT,
        avg_duration=_NUMBER,
        completion_rate=_FRACTION,
        avg_stt_latency_ms=_NUMBER,
        avg_llm_latency_ms=_NUMBER,
        avg_tts_latency_ms=_NUMBER,
        avg_total_latency_ms=_NUMBER,
        avg_cost=_NUMBER,
        barge_in_rate=_FRACTION,
        avg_turns=_NUMBER,
        error_count=_described(_COUNT, "Calls with at least one level-error row."),
    ),
    "SttEvent": _object(
        "An STT connection lifecycle event.",
        id=_ID,
        call_sid=_NULLABLE_TEXT,
        event_type=_described(
            _TEXT,
            "connection_opened, connection_closed, connection_rejected, timeout, error or"
            " utterance_end_fallback (other labels are kept as they arrive).",
        ),
        provider_name=_NULLABLE_TEXT,
        model=_NULLABLE_TEXT,
        detail=_NULLABLE_JSON_OBJECT,
        created_at=_TIMESTAMP,
    ),
    "SttEventsSummary": _object(
        "STT events of the window by type, and connection health.",
        total_events=_COUNT,
        connections_opened=_COUNT,
        connections_closed=_COUNT,
        connections_rejected=_COUNT,
        timeouts=_COUNT,
        errors=_COUNT,
        utterance_end_fallbacks=_COUNT,
        avg_connection_duration_s=_described(
            _NULLABLE_NUMBER,
            "Mean, over the connections with an opening and a later closing among the window's"
            " events, of seconds from the first opening to the first closing after it; null"
            " when there is none.",
        ),
        rejection_rate=_described(_FRACTION, "rejected / (opened + rejected); 0 without."),
        # more timeouts than openings in a window make it more than 1
        timeout_rate=_described({"type": "number", "minimum": 0}, "timeouts / opened; 0 without."),
    ),
    # Family B (seed 001).
    "Summary": _object(
        "Totals of the window; `active_calls` counts the calls active now (live, and started"
        " within the last 24 hours), whatever the window.",
        total_calls=_COUNT,
        completed_calls=_COUNT,
        failed_calls=_COUNT,
        active_calls=_COUNT,
        avg_duration_seconds=_NUMBER,
        success_rate=_described(_PERCENT, "100 * completed / total; 0 without calls."),
        total_tokens=_COUNT,
        avg_stt_latency_ms=_NUMBER,
        avg_llm_latency_ms=_NUMBER,
        avg_tts_latency_ms=_NUMBER,
    ),
    "CallVolume": _object(
        "Calls per bucket, from the bucket holding the window's start to the one holding its"
        " last instant.",
        interval={"type": "string", "enum": ["hour", "day", "week"]},
        data=array(ref("CallVolumeBucket")),
    ),
    "CallVolumeBucket": _object(
        "Calls started in a bucket (days and weeks, from Monday 00:00, of `tz`).",
        timestamp=_described(_TIMESTAMP, "The bucket's start."),
        total=_COUNT,
        completed=_COUNT,
        failed=_COUNT,
    ),
    "WorkflowStats": _object(
        "A workflow with calls in the window.",
        workflow_id=_ID,
        workflow_name=_described(_NULLABLE_TEXT, "Null when the workflow has no row."),
        workflow_slug=_described(_NULLABLE_TEXT, "Null when the workflow has no row."),
        total_calls=_COUNT,
        completed_calls=_COUNT,
        failed_calls=_COUNT,
        success_rate=_PERCENT,
        avg_duration_seconds=_NUMBER,
    ),
    "ProviderLatency": _object(
        "A provider's per-turn latencies (ms) for one stage.",
        provider_type={"type": "string", "enum": ["stt", "llm", "tts"]},
        provider_name=_TEXT,
        avg_latency_ms=_NUMBER,
        p50_latency_ms=_NUMBER,
        p95_latency_ms=_NUMBER,
        p99_latency_ms=_NUMBER,
        call_count=_described(_COUNT, "Calls with at least one value for this stage."),
    ),
    "ErrorLog": _object(
        "A page of errors, newest first.",
        items=array(ref("ErrorLogItem")),
        total=_described(_COUNT, "Every matching error, not only this page."),
    ),
    "ErrorLogItem": _object(
        "An error or warning of a call.",
        id=_ID,
        call_id=_ID,
        timestamp=_described(_TIMESTAMP, "When it occurred."),
        service=_described(
            _NULLABLE_TEXT, "stt, llm, tts, workflow or tool (other labels as they arrive)."
        ),
        level=_described(_NULLABLE_TEXT, "error or warning (other labels as they arrive)."),
        message=_NULLABLE_TEXT,
        details=_NULLABLE_JSON_OBJECT,
        agent=_described(
            _NULLABLE_TEXT,
            "The agent's name, else its id; null when the error's call is not a known call.",
        ),
    ),
    "ActiveCalls": _object("Calls active now.", count=_COUNT),
    # Family C (seed 002).
    "Metrics": _object(
        "Usage metrics of the window.",
        metrics=ref("MetricsTotals"),
        dailyVolume=daily("DailyVolume", "Calls per day."),
        hourlyDistribution=array(
            ref("HourlyCalls"),
            "One entry per UTC hour, 00:00 to 23:00.",
            minItems=24,
            maxItems=24,
        ),
        resolutionBreakdown=ref("ResolutionBreakdown"),
        agentPerformance=array(ref("AgentPerformance"), "Most calls first."),
        aiInsights=ref("AiInsights"),
        escalationReasons=array(ref("EscalationReason"), "Most calls first."),
    ),
    "MetricsTotals": _object(
        "Headline numbers.",
        totalCalls=_COUNT,
        totalMinutes=_NUMBER,
        resolutionRate=_PERCENT,
        avgDuration=_described(_NUMBER, "Seconds."),
        activeAgents=_described(_COUNT, "Distinct agents with calls in the window."),
        responseTime=_described(
            _NULLABLE_NUMBER, "Mean LLM time to first token (ms); null without values."
        ),
        sentimentPercent=_described(
            _NULLABLE_PERCENT, "Share of positive calls among those with a sentiment."
        ),
        escalationRate=_described(_NULLABLE_PERCENT, "Null without calls."),
    ),
    "DailyVolume": _object(
        "Calls started on a day of `tz`.", date=_DATE, totalCalls=_COUNT, resolvedCalls=_COUNT
    ),
    "HourlyCalls": _object(
        "Calls started in a UTC hour of the day, and their minutes.",
        hour={"type": "string", "pattern": "^[0-2][0-9]:00$"},
        calls=_COUNT,
        minutes=_NUMBER,
    ),
    "ResolutionBreakdown": _object(
        "Calls per resolution.",
        resolved=_COUNT,
        transferred=_COUNT,
        abandoned=_COUNT,
        other=_COUNT,
    ),
    "AgentPerformance": _object(
        "An agent with calls in the window.",
        agentId=_ID,
        agentName=_described(_NULLABLE_TEXT, "Null for a deleted agent."),
        totalCalls=_COUNT,
        resolved=_COUNT,
        transferred=_COUNT,
        abandoned=_COUNT,
        other=_COUNT,
        resolvedPercent=_PERCENT,
        transferredPercent=_PERCENT,
        abandonedPercent=_PERCENT,
        otherPercent=_PERCENT,
        avgDuration=_NUMBER,
        sentimentPercent=_NULLABLE_PERCENT,
        status={
            "type": "string",
            "enum": ["active", "inactive", "cancelled", "pending", "deleted"],
        },
    ),
    "AiInsights": _object(
        "Model quality over the window; a percentage is null without data.",
        intentAccuracy=_NULLABLE_PERCENT,
        contextRetention=_NULLABLE_PERCENT,
        speechRecognition=_NULLABLE_PERCENT,
        entityExtraction=_NULLABLE_PERCENT,
        responseLatency=_described(_NULLABLE_NUMBER, "Mean LLM time to first token (ms)."),
        trainingSessions=_described(_COUNT, "Calls in the window."),
    ),
    "EscalationReason": _object(
        "Escalated calls with this reason.",
        reason=_TEXT,
        count=_COUNT,
        percentOfTotal=_PERCENT,
        avgTimeBeforeEscalation=_described(_NUMBER, "Seconds."),
    ),
    # Family D (seed 003).
    "CallsAnalytics": _object(
        "Totals of the period.",
        total_calls=_COUNT,
        completed_calls=_COUNT,
        failed_calls=_COUNT,
        ongoing_calls=_COUNT,
        total_duration=_NUMBER,
        avg_duration=_NUMBER,
        success_rate=_PERCENT,
        daily_stats={
            "type": "object",
            "description": "Days with calls, keyed by date (YYYY-MM-DD).",
            "propertyNames": _DATE,
            "additionalProperties": ref("DailyStats"),
        },
        top_assistants=array(ref("TopAssistant"), "Most calls first.", maxItems=10),
    ),
    "DailyStats": _object(
        "Calls started on a day of `tz`.", total=_COUNT, completed=_COUNT, failed=_COUNT
    ),
    "TopAssistant": _object(
        "An agent among the ten with most calls.",
        assistant_id=_ID,
        assistant_name=_described(_NULLABLE_TEXT, "Null for a deleted agent."),
        calls=_COUNT,
        duration=_described(_NUMBER, "Sum of durations, seconds."),
    ),
    # Family E (seed 004).
    "AgentCallRecord": _object(
        "One call of the agent.",
        call_id=_ID,
        call_agent_id=_ID,
        stt_data=array(ref("StageLatency"), "Turns with an STT latency."),
        llm_data=array(ref("StageLatency"), "Turns with an LLM latency."),
        tts_data=array(ref("StageLatency"), "Turns with a TTS latency."),
        call_transcription=array(ref("TranscriptEntry"), "By turn, user then agent."),
        call_recording_url=_NULLABLE_TEXT,
        from_number=_NULLABLE_TEXT,
        to_number=_NULLABLE_TEXT,
        recording_id=_described(_NULLABLE_TEXT, "metadata.recording_id."),
        call_context=_described(_JSON_OBJECT, "metadata.call_context; {} when absent."),
        call_status={"type": "string", "enum": ["ANSWERED", "FAILED", "INITIATED", "QUEUED"]},
        call_duration=_described(_NULLABLE_NUMBER, "Seconds; null while the call is live."),
        billed_duration=_NULLABLE_NUMBER,
        initiation_time=_TIMESTAMP,
        answer_time=_NULLABLE_TIMESTAMP,
        end_time=_NULLABLE_TIMESTAMP,
        hangup_cause_name=_NULLABLE_TEXT,
        hangup_source=_NULLABLE_TEXT,
        call_direction=_described(
            {"type": "string", "default": "inbound"},
            "inbound or outbound (other labels as they arrive); inbound when not given.",
        ),
        task_id=_described({"type": ["string", "null"]}, "The workflow id."),
        call_state_changes=array(ref("StateChange"), "Oldest first."),
        call_triggered=_described({"type": "boolean"}, "call_direction is outbound."),
        call_quality=_described(_JSON_OBJECT, "metadata.call_quality; {} when absent."),
        call_insights=_described(_JSON_OBJECT, "metadata.call_insights; {} when absent."),
        call_timeline=_described(
            {"type": ["array", "null"], "items": _JSON_OBJECT},
            "metadata.call_timeline; null when absent.",
        ),
        tool_data=array(ref("ToolCall"), "By start time, then tool call id."),
        audio_config=_described(_JSON_OBJECT, "metadata.audio_config; {} when absent."),
        org_id=_ID,
    ),
    "StageLatency": _object(
        "A turn's latency for one stage, with the call's provider and model for it.",
        turn_index={"type": "integer", "minimum": 0},
        provider=_NULLABLE_TEXT,
        model=_NULLABLE_TEXT,
        latency_ms=_NUMBER,
    ),
    "TranscriptEntry": _object(
        "What one side said in a turn.",
        turn_index={"type": "integer", "minimum": 0},
        role={"type": "string", "enum": ["user", "agent"]},
        text=_TEXT,
    ),
    "StateChange": _object(
        "The call's status from this version on.",
        status=_described(
            _TEXT,
            "queued, initiated, ringing, in_progress, completed, failed, busy, no_answer,"
            " canceled or unknown.",
        ),
        at=_described(_TIMESTAMP, "updated_at of the version that carried it."),
    ),
    "ToolCall": _object(
        "A tool the agent called.",
        name=_NULLABLE_TEXT,
        started_at=_NULLABLE_TIMESTAMP,
        latency_ms=_NULLABLE_NUMBER,
        is_success={"type": ["boolean", "null"]},
        error_message=_NULLABLE_TEXT,
    ),
}


def holds_numbers(schema: dict) -> bool:
    """Whether a value of `schema` may hold a JSON Schema `number` (not only integers), its
    references to SCHEMAS followed; a free-form object may hold anything."""
    if "$ref" in schema:
        return holds_numbers(SCHEMAS[schema["$ref"].rsplit("/", 1)[1]])
    types = schema.get("type")
    types = types if isinstance(types, list) else [types]
    if "number" in types:
        return True
    if "object" in types and "properties" not in schema:
        return holds_numbers(schema.get("additionalProperties") or {"type": "number"})
    parts = [*schema.get("properties", {}).values(), schema.get("items")]
    return any(holds_numbers(part) for part in parts if part is not None)
