"""The OpenAPI 3.1 document of the API: every endpoint, parameter and response of api.md.

Field names and types follow the seed documents; a field is nullable only where metrics.md
(or the data, e.g. a deleted agent's name) makes it null, so clients can rely on the rest.
"""

from importlib.metadata import version

from api import params
from api.queries import events
from api.resources import calls_analytics, v1_analytics
from api.resources.analytics import LOCAL_ENDPOINTS

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


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _schema(name: str) -> dict:
    return _ref("schemas", name)


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


def _array(items: dict, description: str | None = None, **limits) -> dict:
    schema = {"type": "array", "items": items, **limits}
    return _described(schema, description) if description else schema


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _integer_parameter(name: str, default: int, minimum: int, maximum: int | None, what: str):
    schema = {"type": "integer", "default": default, "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return _query(name, schema, what)


def _choice_parameter(name: str, choices: list[str], default: str | None, what: str) -> dict:
    schema = {"type": "string", "enum": choices}
    if default is not None:
        schema["default"] = default
    return _query(name, schema, what)


_WINDOW_FORMAT = (
    " An RFC 3339 timestamp (`2026-02-01T00:00:00Z`, an offset, or none = UTC) or a bare date"
    " `2026-02-01` (a day of `tz` where the endpoint takes it, else a UTC day); blank is the"
    " same as absent."
)


def _timestamp_parameter(name: str, what: str) -> dict:
    return _query(name, _schema("TimestampOrDate"), what + _WINDOW_FORMAT)


# Parameters shared by a family, referenced from components.parameters.
_PARAMETERS = {
    "If-None-Match": {
        "name": "If-None-Match",
        "in": "header",
        "required": False,
        "schema": _TEXT,
        "description": "The ETag of an earlier answer (or `*`): a 304 while it still holds.",
    },
    "start_date": _timestamp_parameter(
        "start_date", "Calls (events) from this instant on: `start_date <= started_at`."
    ),
    "end_date": _timestamp_parameter(
        "end_date",
        "Calls (events) up to this instant: `started_at <= end_date`; a bare date D means"
        " `< D + 1 day`.",
    ),
    "agent_id": _query(
        "agent_id",
        _TEXT,
        "Only this agent's calls. An agent the token cannot see answers 404, like an unknown one.",
    ),
    "period": _choice_parameter(
        "period",
        list(v1_analytics.PERIODS),
        "24h",
        "The window `[now - period, now]`; ignored when `started_after` or `started_before`"
        " is given.",
    ),
    "started_after": _timestamp_parameter(
        "started_after",
        "Calls with `started_after <= started_at` (replaces `period`; a missing side is open).",
    ),
    "started_before": _timestamp_parameter(
        "started_before",
        "Calls with `started_at < started_before` (replaces `period`; a missing side is open).",
    ),
    "tz": _query(
        "tz",
        {"type": "string", "enum": list(params.zone_names()), "default": "UTC"},
        "The IANA time zone of the answer's days, hours and weeks (Monday 00:00): a DST day"
        " has 23 or 25 hours, a half-hour zone's hours start at :30 UTC. Bare-date bounds are"
        " its midnights; a series' `date` is the local date, a `timestamp` the bucket's start"
        " as an instant. Another name is a 400.",
    ),
}

_FAMILY_A = [_ref("parameters", name) for name in ("start_date", "end_date", "agent_id")]
_FAMILY_A_WINDOW = [_ref("parameters", name) for name in ("start_date", "end_date")]
_FAMILY_B = [_ref("parameters", name) for name in ("period", "started_after", "started_before")]
_TZ = _ref("parameters", "tz")


_HEADERS = {
    "ETag": {
        "description": (
            "Strong; changes with each published build and differs between different answers"
            " (an answer over a window relative to now changes as time passes)."
        ),
        "schema": _TEXT,
    },
}


def _cached(success: dict, max_age_s: int | None = None) -> dict:
    """The 200 `success` with its ETag (and Cache-Control when the path sets a polling
    interval), and the 304 an If-None-Match holding that ETag gets."""
    headers = {"ETag": {"$ref": "#/components/headers/ETag"}}
    if max_age_s is not None:
        headers["Cache-Control"] = {
            "description": f"Poll this path at most every {max_age_s} s.",
            "schema": {"type": "string", "const": f"private, max-age={max_age_s}"},
        }
    return {
        "200": {**success, "headers": headers},
        "304": {
            "description": (
                "If-None-Match holds the answer's ETag (or `*`): the answer is unchanged and no"
                " new build is published. No body."
            ),
            "headers": headers,
        },
    }


def _error_response(description: str, headers: dict | None = None) -> dict:
    response = {
        "description": description,
        "content": {"application/json": {"schema": _schema("Error")}},
    }
    if headers:
        response["headers"] = headers
    return response


_RESPONSES = {
    "BadRequest": _error_response(
        "A parameter is malformed: an unparseable timestamp or number, a lower bound after the"
        " upper bound, a value outside its listed set, an integer outside its range, or a"
        " malformed id list. The description names the parameter."
    ),
    "Unauthorized": _error_response(
        "The bearer token is missing, malformed, unknown or revoked.",
        {
            "WWW-Authenticate": {
                "description": "Always `Bearer`.",
                "schema": {"type": "string", "const": "Bearer"},
            }
        },
    ),
    "NotFound": _error_response(
        "An id the token cannot see, answered exactly as one that does not exist (an unknown"
        " path answers the same way)."
    ),
    "MethodNotAllowed": _error_response("Any method other than GET on a path of this document."),
    "ServiceUnavailable": _error_response("No marts are published yet: run `callstats build`."),
}


def _operation(
    operation_id: str,
    tag: str,
    summary: str,
    description: str,
    parameters: list[dict],
    schema: dict,
    *,
    takes_ids: bool = False,
    max_age_s: int | None = None,
) -> dict:
    """A GET that needs a token and reads the marts."""
    responses = _cached(
        {"description": "Success.", "content": {"application/json": {"schema": schema}}},
        max_age_s,
    )
    if parameters:
        responses["400"] = _ref("responses", "BadRequest")
    responses["401"] = _ref("responses", "Unauthorized")
    if takes_ids:
        responses["404"] = _ref("responses", "NotFound")
    responses["503"] = _ref("responses", "ServiceUnavailable")
    return {
        "get": {
            "operationId": operation_id,
            "tags": [tag],
            "summary": summary,
            "description": description,
            "parameters": [*parameters, _ref("parameters", "If-None-Match")],
            "responses": responses,
        }
    }


def _daily(name: str, description: str) -> dict:
    return _array(_schema(name), description + " Every UTC day of the window, oldest first.")


_SCHEMAS = {
    "Error": _object(
        "Every error body.",
        title=_described(_TEXT, "A short summary, e.g. `Invalid parameter` or `404 Not Found`."),
        description=_described(_TEXT, "What was wrong, naming the offending parameter."),
    ),
    "TimestampOrDate": {
        "type": "string",
        "anyOf": [{"format": "date-time"}, {"format": "date"}],
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
    "DailyCount": _object("Calls started on a UTC day.", date=_DATE, count=_COUNT),
    "Latency": _object(
        "Mean per-turn latencies (ms) over the turns of the window's calls; 0 without turns.",
        avg_stt_latency_ms=_NUMBER,
        avg_llm_latency_ms=_NUMBER,
        avg_tts_latency_ms=_NUMBER,
        avg_total_latency_ms=_NUMBER,
        daily_trend=_daily("DailyLatency", "Mean latencies per day."),
    ),
    "DailyLatency": _object(
        "Mean per-turn latencies (ms) of the calls started on a UTC day; 0 without turns.",
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
        "Total cost (USD) of the calls started on a UTC day.", date=_DATE, total_cost=_NUMBER
    ),
    "AgentCost": _object(
        "Total cost (USD) of an agent's calls.",
        agent_id=_ID,
        agent_name=_described(_NULLABLE_TEXT, "Null for a deleted agent."),
        total_cost=_NUMBER,
    ),
    "Distribution": _object(
        "Every bucket in order, zeros included.",
        buckets=_array(_schema("DistributionBucket")),
    ),
    "DistributionBucket": _object(
        "A bucket (lower bound inclusive, upper exclusive) and how many fall in it.",
        bucket=_described(_TEXT, "The label, e.g. `30-60` or `300+`."),
        count=_COUNT,
    ),
    "ConversationTurns": _object(
        "Mean turns of the calls with at least one turn; 0 without.",
        avg_turns=_NUMBER,
        daily_trend=_daily("DailyTurns", "Mean turns per day."),
    ),
    "DailyTurns": _object("Mean turns on a UTC day.", date=_DATE, avg_turns=_NUMBER),
    "BargeIn": _object(
        "Fraction of calls with turns in which the caller interrupted the agent.",
        barge_in_rate=_FRACTION,
        daily_trend=_daily("DailyBargeIn", "Barge-in rate per day."),
    ),
    "DailyBargeIn": _object("Barge-in rate on a UTC day.", date=_DATE, barge_in_rate=_FRACTION),
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
            "Mean seconds from a connection's first open to the first close after it; null"
            " when no connection has both.",
        ),
        rejection_rate=_described(_FRACTION, "rejected / (opened + rejected); 0 without."),
        timeout_rate=_described(_FRACTION, "timeouts / opened; 0 without."),
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
        data=_array(_schema("CallVolumeBucket")),
    ),
    "CallVolumeBucket": _object(
        "Calls started in a bucket (weeks start on Monday 00:00 UTC).",
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
        items=_array(_schema("ErrorLogItem")),
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
        metrics=_schema("MetricsTotals"),
        dailyVolume=_daily("DailyVolume", "Calls per day."),
        hourlyDistribution=_array(
            _schema("HourlyCalls"),
            "One entry per UTC hour, 00:00 to 23:00.",
            minItems=24,
            maxItems=24,
        ),
        resolutionBreakdown=_schema("ResolutionBreakdown"),
        agentPerformance=_array(_schema("AgentPerformance"), "Most calls first."),
        aiInsights=_schema("AiInsights"),
        escalationReasons=_array(_schema("EscalationReason"), "Most calls first."),
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
        "Calls started on a UTC day.", date=_DATE, totalCalls=_COUNT, resolvedCalls=_COUNT
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
            "additionalProperties": _schema("DailyStats"),
        },
        top_assistants=_array(_schema("TopAssistant"), "Most calls first.", maxItems=10),
    ),
    "DailyStats": _object(
        "Calls started on a UTC day.", total=_COUNT, completed=_COUNT, failed=_COUNT
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
        stt_data=_array(_schema("StageLatency"), "Turns with an STT latency."),
        llm_data=_array(_schema("StageLatency"), "Turns with an LLM latency."),
        tts_data=_array(_schema("StageLatency"), "Turns with a TTS latency."),
        call_transcription=_array(_schema("TranscriptEntry"), "By turn, user then agent."),
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
        call_state_changes=_array(_schema("StateChange"), "Oldest first."),
        call_triggered=_described({"type": "boolean"}, "call_direction is outbound."),
        call_quality=_described(_JSON_OBJECT, "metadata.call_quality; {} when absent."),
        call_insights=_described(_JSON_OBJECT, "metadata.call_insights; {} when absent."),
        call_timeline=_described(
            {"type": ["array", "null"], "items": _JSON_OBJECT},
            "metadata.call_timeline; null when absent.",
        ),
        tool_data=_array(_schema("ToolCall"), "By start time, then tool call id."),
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

_A = "Analytics (seed 000)"
_B = "API v1 analytics (seed 001)"
_C = "Metrics (seed 002)"
_D = "Calls analytics (seed 003)"
_E = "Agent call stats (seed 004)"
_SERVICE = "Service"


def _family_a() -> dict:
    window = "Calls are in when `start_date <= started_at <= end_date`."
    simple = [
        ("overview", "analyticsOverview", "Summary of the calls.", _schema("Overview")),
        ("call-volume", "analyticsCallVolume", "Calls per day.",
         _daily("DailyCount", "Calls per day.")),
        ("latency", "analyticsLatency", "Mean pipeline latencies and their daily trend.",
         _schema("Latency")),
        ("cost-overview", "analyticsCostOverview", "Aggregate costs.", _schema("CostOverview")),
        ("cost-trend", "analyticsCostTrend", "Total cost per day.",
         _daily("DailyCost", "Total cost per day.")),
        ("cost-by-agent", "analyticsCostByAgent",
         "Cost per agent with calls, highest first (then agent_id).",
         _array(_schema("AgentCost"))),
        ("duration-distribution", "analyticsDurationDistribution",
         "Calls per duration bucket (seconds): 0-30, 30-60, 60-120, 120-300, 300+.",
         _schema("Distribution")),
        ("latency-distribution", "analyticsLatencyDistribution",
         "Turns per total-latency bucket (ms): 0-500, 500-1000, 1000-2000, 2000-3000, 3000+.",
         _schema("Distribution")),
        ("conversation-turns", "analyticsConversationTurns",
         "Mean turns per call and their daily trend.", _schema("ConversationTurns")),
        ("barge-in", "analyticsBargeIn", "Barge-in rate and its daily trend.",
         _schema("BargeIn")),
        ("provider-errors", "analyticsProviderErrors",
         "Calls and failed calls per provider, most errors first (then provider_name).",
         _array(_schema("ProviderErrors"))),
        ("peak-hours", "analyticsPeakHours",
         "Calls per weekday and hour of `tz`, by day_of_week then hour.",
         _array(_schema("PeakHour"))),
        ("outcomes", "analyticsOutcomes",
         "Calls per outcome (else status), most first (then outcome).",
         _array(_schema("Outcome"))),
    ]  # fmt: skip
    paths = {
        f"/analytics/{name}": _operation(
            operation_id,
            _A,
            summary,
            window,
            [*_FAMILY_A, *([_TZ] if name in LOCAL_ENDPOINTS else [])],
            schema,
            takes_ids=True,
        )
        for name, operation_id, summary, schema in simple
    }
    paths["/analytics/agent-comparison"] = _operation(
        "analyticsAgentComparison",
        _A,
        "Metrics of several agents side by side.",
        window + " One row per requested agent in the order given; without `agent_ids`, every"
        " agent the token can see, by agent_id.",
        [
            *_FAMILY_A_WINDOW,
            {
                **_query(
                    "agent_ids",
                    {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1},
                    "Comma-separated agent ids, each trimmed, the first of duplicates kept. An"
                    " empty element or an empty list is a 400; an id the token cannot see a 404.",
                ),
                "style": "form",
                "explode": False,
            },
        ],
        _array(_schema("AgentComparison")),
        takes_ids=True,
    )
    paths["/analytics/stt-events"] = _operation(
        "analyticsSttEvents",
        _A,
        "STT connection events, newest first (then id).",
        "Events are in when `start_date <= created_at <= end_date`. Events that belong to no"
        " call are visible to all-scope tokens only.",
        [
            _query("call_sid", _TEXT, "Only events with this call SID."),
            _choice_parameter(
                "event_type",
                list(events.EVENT_TYPES),
                None,
                "Only events of this type.",
            ),
            *_FAMILY_A_WINDOW,
            _integer_parameter("limit", 100, 1, 500, "At most this many events."),
        ],
        _array(_schema("SttEvent")),
    )
    paths["/analytics/stt-events/summary"] = _operation(
        "analyticsSttEventsSummary",
        _A,
        "STT connection health.",
        "Events are in when `start_date <= created_at <= end_date`.",
        _FAMILY_A_WINDOW,
        _schema("SttEventsSummary"),
    )
    return paths


def _family_b() -> dict:
    window = (
        "The window is `[now - period, now]`, or `started_after <= started_at < started_before`"
        " when either is given."
    )
    base = "/api/v1/analytics"
    return {
        f"{base}/summary": _operation(
            "v1AnalyticsSummary",
            _B,
            "Totals of the window.",
            window,
            _FAMILY_B,
            _schema("Summary"),
            max_age_s=v1_analytics.Summary.max_age_s,
        ),
        f"{base}/call-volume": _operation(
            "v1AnalyticsCallVolume",
            _B,
            "Calls per hour, day or week.",
            window + " More than 10 000 buckets is a 400.",
            [
                *_FAMILY_B,
                _choice_parameter("interval", list(v1_analytics.INTERVALS), "hour", "Bucket size."),
                _TZ,
            ],
            _schema("CallVolume"),
            max_age_s=v1_analytics.CallVolume.max_age_s,
        ),
        f"{base}/workflow-stats": _operation(
            "v1AnalyticsWorkflowStats",
            _B,
            "Workflows with calls, most calls first (then workflow_id).",
            window,
            [*_FAMILY_B, _integer_parameter("limit", 10, 1, 50, "At most this many workflows.")],
            _array(_schema("WorkflowStats")),
            max_age_s=v1_analytics.WorkflowStats.max_age_s,
        ),
        f"{base}/provider-latency": _operation(
            "v1AnalyticsProviderLatency",
            _B,
            "Latency per provider and stage (stt, llm, tts, then provider_name).",
            window,
            _FAMILY_B,
            _array(_schema("ProviderLatency")),
            max_age_s=v1_analytics.ProviderLatency.max_age_s,
        ),
        f"{base}/errors": _operation(
            "v1AnalyticsErrors",
            _B,
            "Errors and warnings, newest first (then id).",
            "Errors are in when they occurred in the window (`occurred_at`, not the call's start).",
            [
                *_FAMILY_B,
                _choice_parameter(
                    "service", list(v1_analytics.SERVICES), None, "Only this service."
                ),
                _choice_parameter("level", list(v1_analytics.LEVELS), None, "Only this level."),
                _integer_parameter("offset", 0, 0, None, "Skip this many errors."),
                _integer_parameter("limit", 50, 1, 200, "At most this many errors."),
            ],
            _schema("ErrorLog"),
            max_age_s=v1_analytics.Errors.max_age_s,
        ),
        f"{base}/active-calls": _operation(
            "v1AnalyticsActiveCalls",
            _B,
            "Calls active now.",
            "Calls in scope that are live now and started within the last 24 hours (a call whose"
            " final callback was lost stops counting a day after it started), whatever the window.",
            [],
            _schema("ActiveCalls"),
            max_age_s=v1_analytics.ActiveCalls.max_age_s,
        ),
    }


def _family_c() -> dict:
    return {
        "/v1/metrics": _operation(
            "v1Metrics",
            _C,
            "Usage metrics: volume, resolution, hours, agents, AI insights, escalations.",
            "Calls are in when `startDate <= started_at <= endDate`. `organizationId` and"
            " `resellerId` narrow the token's scope; one it cannot see is a 404.",
            [
                _timestamp_parameter("startDate", "Calls from this instant on."),
                _timestamp_parameter(
                    "endDate", "Calls up to this instant; a bare date D means `< D + 1 day`."
                ),
                _query("organizationId", _TEXT, "Only this org's calls."),
                _query("resellerId", _TEXT, "Only the calls of this reseller's orgs."),
                _TZ,
            ],
            _schema("Metrics"),
            takes_ids=True,
        )
    }


def _family_d() -> dict:
    return {
        "/api/v1/calls/analytics": _operation(
            "v1CallsAnalytics",
            _D,
            "Totals, daily stats and top assistants of the period.",
            "The window is `[now - period, now]`.",
            [
                _choice_parameter(
                    "period", list(calls_analytics.PERIODS), "7d", "Analysis period."
                ),
                _TZ,
            ],
            _schema("CallsAnalytics"),
        )
    }


def _family_e() -> dict:
    operation = _operation(
        "agentCallStats",
        _E,
        "The calls of one agent, newest first (then call_id).",
        "Calls are in when `start_date <= started_at <= end_date`. Only the calls the token"
        " can see are listed; an agent it cannot see is a 404, like an unknown one.",
        [
            {
                "name": "agent_id",
                "in": "path",
                "required": True,
                "description": "The agent.",
                "schema": _TEXT,
            },
            *_FAMILY_A_WINDOW,
            _integer_parameter("limit", 100, 1, 1000, "At most this many calls."),
            _integer_parameter("offset", 0, 0, None, "Skip this many calls."),
        ],
        _array(_schema("AgentCallRecord")),
        takes_ids=True,
    )
    return {"/api/agents/{agent_id}/call_stats": operation}


def _service() -> dict:
    def public(operation_id: str, summary: str, media_type: str, schema: dict) -> dict:
        return {
            "operationId": operation_id,
            "tags": [_SERVICE],
            "summary": summary,
            "security": [],
            "parameters": [_ref("parameters", "If-None-Match")],
            "responses": _cached(
                {"description": "Success.", "content": {media_type: {"schema": schema}}}
            ),
        }

    health = public(
        "health", "Whether marts are published, and when.", "application/json", _schema("Health")
    )
    health["responses"]["503"] = {
        "description": "No marts are published yet.",
        "content": {"application/json": {"schema": _schema("Health")}},
    }
    return {
        "/health": {"get": health},
        "/openapi.json": {
            "get": public("openapi", "This document.", "application/json", {"type": "object"})
        },
        "/docs": {
            "get": public(
                "docs",
                "This document as a page, with nothing fetched from the internet.",
                "text/html",
                _TEXT,
            )
        },
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "callstats API",
            "version": version("callstats"),
            "description": (
                "Call analytics for voice-AI agents, read from the marts. Every endpoint is a"
                " GET answering JSON; any other method answers 405 with the Error body"
                " (components.responses.MethodNotAllowed). Every endpoint except /health,"
                " /openapi.json and /docs needs `Authorization: Bearer <token>`; a token sees"
                " the calls of its org, of its reseller's orgs, or all calls. Ids are JSON"
                " strings. Timestamps are RFC 3339 UTC with `Z`, dates YYYY-MM-DD. Lists that"
                " are newest first break ties by id. Unknown query parameters are ignored."
            ),
        },
        "security": [{"bearerAuth": []}],
        "tags": [{"name": name} for name in (_A, _B, _C, _D, _E, _SERVICE)],
        "paths": {
            **_family_a(),
            **_family_b(),
            **_family_c(),
            **_family_d(),
            **_family_e(),
            **_service(),
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `callstats keys create`.",
                }
            },
            "parameters": _PARAMETERS,
            "headers": _HEADERS,
            "responses": _RESPONSES,
            "schemas": _SCHEMAS,
        },
    }
