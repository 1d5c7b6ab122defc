"""The raw tables of raw-tables.md: their columns, logical types and DDL per engine."""

RAW_SCHEMA = "raw"

RAW_TABLES: dict[str, dict[str, str]] = {
    "organizations": {
        "org_id": "text",
        "name": "text",
        "reseller_id": "text",
        "created_at": "timestamp",
        "loaded_at": "timestamp",
    },
    "agents": {
        "agent_id": "text",
        "org_id": "text",
        "name": "text",
        "status": "text",
        "created_at": "timestamp",
        "updated_at": "timestamp",
        "loaded_at": "timestamp",
    },
    "workflows": {
        "workflow_id": "text",
        "org_id": "text",
        "name": "text",
        "slug": "text",
        "created_at": "timestamp",
        "loaded_at": "timestamp",
    },
    "calls": {
        "call_id": "text",
        "updated_at": "timestamp",
        "org_id": "text",
        "agent_id": "text",
        "workflow_id": "text",
        "call_sid": "text",
        "direction": "text",
        "status": "text",
        "outcome": "text",
        "started_at": "timestamp",
        "answered_at": "timestamp",
        "ended_at": "timestamp",
        "duration_s": "double",
        "billed_duration_s": "double",
        "from_number": "text",
        "to_number": "text",
        "hangup_cause": "text",
        "hangup_source": "text",
        "stt_provider": "text",
        "stt_model": "text",
        "llm_provider": "text",
        "llm_model": "text",
        "tts_provider": "text",
        "tts_model": "text",
        "total_cost_usd": "double",
        "stt_cost_usd": "double",
        "llm_cost_usd": "double",
        "tts_cost_usd": "double",
        "telephony_cost_usd": "double",
        "prompt_tokens": "bigint",
        "completion_tokens": "bigint",
        "cached_tokens": "bigint",
        "sentiment": "text",
        "escalation_reason": "text",
        "escalated_at": "timestamp",
        "user_corrections": "integer",
        "stt_confidence": "double",
        "recording_url": "text",
        "metadata": "json",
        "loaded_at": "timestamp",
    },
    "call_turns": {
        "call_id": "text",
        "turn_index": "integer",
        "started_at": "timestamp",
        "user_text": "text",
        "agent_text": "text",
        "stt_latency_ms": "double",
        "llm_latency_ms": "double",
        "tts_latency_ms": "double",
        "total_latency_ms": "double",
        "is_interrupted": "boolean",
        "loaded_at": "timestamp",
    },
    "tool_calls": {
        "tool_call_id": "text",
        "call_id": "text",
        "name": "text",
        "started_at": "timestamp",
        "latency_ms": "double",
        "is_success": "boolean",
        "error_message": "text",
        "loaded_at": "timestamp",
    },
    "call_errors": {
        "error_id": "text",
        "call_id": "text",
        "occurred_at": "timestamp",
        "service": "text",
        "provider_name": "text",
        "level": "text",
        "message": "text",
        "details": "json",
        "loaded_at": "timestamp",
    },
    "stt_events": {
        "event_id": "text",
        "call_id": "text",
        "call_sid": "text",
        "connection_id": "text",
        "event_type": "text",
        "provider_name": "text",
        "model": "text",
        "detail": "json",
        "created_at": "timestamp",
        "loaded_at": "timestamp",
    },
    "load_errors": {
        "table_name": "text",
        "source_file": "text",
        "line_number": "bigint",
        "reason": "text",
        "record_text": "text",
        "loaded_at": "timestamp",
    },
}

ENGINE_TYPES = {
    "duckdb": {"json": "json", "double": "double"},
    "postgres": {"json": "jsonb", "double": "double precision"},
}


def create_table_statements(engine: str) -> list[str]:
    """`create table if not exists` for the raw schema and each raw table."""
    types = ENGINE_TYPES[engine]
    statements = [f"create schema if not exists {RAW_SCHEMA}"]
    for table, columns in RAW_TABLES.items():
        body = ",\n    ".join(
            f"{column} {types.get(kind, kind)}" for column, kind in columns.items()
        )
        statements.append(f"create table if not exists {RAW_SCHEMA}.{table} (\n    {body}\n)")
    return statements
