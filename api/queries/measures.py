"""Each metric once, from the sums of its family's components (metrics.md), named as in the
semantic layer (models/marts/_marts__semantic.yml) where it has them.

`empty` is the value over an empty set: 0, or None where seed 002 types the field
`number | null` (metrics.md, Empty sets).
"""

from collections.abc import Mapping

Sums = Mapping[str, float]


def ratio(part: float, whole: float, empty: float | None = 0.0) -> float | None:
    """part / whole in double precision, `empty` when whole is 0."""
    return part / whole if whole else empty


def percent(part: float, whole: float, empty: float | None = 0.0) -> float | None:
    """100 * part / whole (a percentage), `empty` when whole is 0."""
    return 100 * part / whole if whole else empty


def total_duration(sums: Sums) -> float:
    return sums["duration_sum_s"]


def avg_duration(sums: Sums) -> float:
    return ratio(sums["duration_sum_s"], sums["calls_with_duration"])


def completion_rate(sums: Sums) -> float:
    return ratio(sums["completed_calls"], sums["total_calls"])


def success_rate(sums: Sums) -> float:
    return percent(sums["completed_calls"], sums["total_calls"])


def avg_cost_per_call(sums: Sums) -> float:
    return ratio(sums["cost_sum_usd"], sums["calls_with_cost"])


def avg_latency_ms(sums: Sums, stage: str, empty: float | None = 0.0) -> float | None:
    """The mean of a stage's (stt, llm, tts, total) turn latencies over the turns that
    measured it."""
    return ratio(sums[f"{stage}_latency_sum_ms"], sums[f"{stage}_latency_turns"], empty)


def avg_turns(sums: Sums) -> float:
    """Over the calls that have turns."""
    return ratio(sums["turns"], sums["calls_with_turns"])


def barge_in_rate(sums: Sums) -> float:
    return ratio(sums["barge_in_calls"], sums["calls_with_turns"])


def resolution_rate(sums: Sums) -> float:
    return percent(sums["resolved_calls"], sums["total_calls"])


def sentiment_percent(sums: Sums) -> float | None:
    return percent(sums["positive_calls"], sums["calls_with_sentiment"], None)


def escalation_rate(sums: Sums) -> float | None:
    return percent(sums["escalated_calls"], sums["total_calls"], None)


def intent_accuracy(sums: Sums) -> float | None:
    return percent(sums["calls_without_corrections"], sums["calls_with_corrections_measured"], None)


def context_retention(sums: Sums) -> float | None:
    return percent(sums["cached_token_ratio_sum"], sums["calls_with_cached_token_ratio"], None)


def speech_recognition(sums: Sums) -> float | None:
    return percent(sums["stt_confidence_sum"], sums["calls_with_stt_confidence"], None)


def entity_extraction(sums: Sums) -> float | None:
    return percent(sums["tool_calls_succeeded"], sums["tool_calls_with_outcome"], None)
