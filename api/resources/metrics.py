"""Family C: /v1/metrics (seed 002), read exactly from the call-grain facts."""

import falcon

from api import errors, params
from api.call_window import bucket_starts, calls_in, series_span
from api.marts import Marts
from api.params import Window
from api.scope import org_predicate
from api.serialize import day

RESOLUTIONS = ("resolved", "transferred", "abandoned", "other")


def _percent(condition: str) -> str:
    """100 times the count of rows meeting `condition`, as a float so that dividing it is exact
    on every engine (PostgreSQL divides integers as integers)."""
    return f"cast(100 * count(*) filter (where {condition}) as double precision)"


LLM_LATENCY = "sum(llm_latency_sum_ms) / nullif(sum(llm_latency_turns), 0)"

# Each field as an SQL aggregate over the calls; `number | null` fields of seed 002 stay null
# over an empty set, the others fall back to 0 (metrics.md, Empty sets).
METRICS = {
    "totalCalls": "count(*)",
    "totalMinutes": "coalesce(sum(duration_s), 0) / 60",
    "resolutionRate": (
        "coalesce(" + _percent("resolution = 'resolved'") + " / nullif(count(*), 0), 0)"
    ),
    "avgDuration": "coalesce(avg(duration_s), 0)",
    "activeAgents": "count(distinct agent_id)",
    "responseTime": LLM_LATENCY,
    "sentimentPercent": (_percent("sentiment = 'positive'") + " / nullif(count(sentiment), 0)"),
    "escalationRate": f"{_percent('is_escalated')} / nullif(count(*), 0)",
}
RESOLUTION_BREAKDOWN = {
    resolution: f"count(*) filter (where resolution = '{resolution}')" for resolution in RESOLUTIONS
}
AI_INSIGHTS = {
    "intentAccuracy": (f"{_percent('user_corrections = 0')} / nullif(count(user_corrections), 0)"),
    "contextRetention": "100 * avg(cached_token_ratio)",
    "speechRecognition": "100 * avg(stt_confidence)",
    "entityExtraction": (
        "cast(100 * sum(tool_calls_succeeded) as double precision)"
        " / nullif(sum(tool_calls_with_outcome), 0)"
    ),
    "responseLatency": LLM_LATENCY,
    "trainingSessions": "count(*)",
}


def narrowed_calls(marts: Marts, req: falcon.Request, window: Window) -> tuple[str, list]:
    """Calls in the window and the token's scope, narrowed to `organizationId` and to the orgs
    of `resellerId` when they are given (an intersection: they never widen the scope)."""
    scope = req.context.scope
    where, parameters = calls_in(scope, window)
    in_scope, scope_parameters = org_predicate(scope, "org_id")
    organization = params.text(req, "organizationId")
    if organization is not None:
        # An org is known by its row or by its calls, whichever came first.
        if not marts.rows(
            f"""
            select 1
            from (
                select org_id from marts.dim_orgs union select org_id from marts.fct_calls
            ) as orgs
            where org_id = ? and {in_scope}
            """,
            [organization, *scope_parameters],
        ):
            raise errors.not_visible("organizationId", organization)
        where += " and calls.org_id = ?"
        parameters.append(organization)
    reseller = params.text(req, "resellerId")
    if reseller is not None:
        # A reseller is visible through the visible orgs that name it.
        if not marts.rows(
            f"select 1 from marts.dim_orgs where reseller_id = ? and {in_scope}",
            [reseller, *scope_parameters],
        ):
            raise errors.not_visible("resellerId", reseller)
        where += " and calls.org_id in (select org_id from marts.dim_orgs where reseller_id = ?)"
        parameters.append(reseller)
    return where, parameters


class Metrics:
    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        window = params.window(req, "startDate", "endDate", upper_inclusive=True)
        where, parameters = narrowed_calls(self._marts, req, window)
        sections = (METRICS, RESOLUTION_BREAKDOWN, AI_INSIGHTS)
        expressions = [expression for section in sections for expression in section.values()]
        [row] = self._marts.rows(
            f"select {', '.join(expressions)} from marts.fct_calls as calls where {where}",
            parameters,
        )
        values = iter(row)
        metrics, breakdown, insights = (
            {name: next(values) for name in section} for section in sections
        )
        resp.media = {
            "metrics": metrics,
            "dailyVolume": self._daily_volume(window, where, parameters),
            "hourlyDistribution": self._hourly_distribution(where, parameters),
            "resolutionBreakdown": breakdown,
            "agentPerformance": self._agent_performance(where, parameters),
            "aiInsights": insights,
            "escalationReasons": self._escalation_reasons(where, parameters),
        }

    def _daily_volume(self, window: Window, where: str, parameters: list) -> list[dict]:
        counts = {
            start: (calls, resolved)
            for start, calls, resolved in self._marts.rows(
                f"""
                select
                    date_trunc('day', started_at),
                    count(*),
                    count(*) filter (where resolution = 'resolved')
                from marts.fct_calls as calls
                where {where}
                group by 1
                """,
                parameters,
            )
        }
        first, count = series_span(window, "day", counts, "startDate")
        volume = []
        for start in bucket_starts(first, count, "day"):
            calls, resolved = counts.get(start, (0, 0))
            volume.append(
                {"date": day(start.date()), "totalCalls": calls, "resolvedCalls": resolved}
            )
        return volume

    def _hourly_distribution(self, where: str, parameters: list) -> list[dict]:
        by_hour = {
            hour: (calls, minutes)
            for hour, calls, minutes in self._marts.rows(
                f"""
                select
                    cast(extract(hour from started_at) as integer),
                    count(*),
                    coalesce(sum(duration_s), 0) / 60
                from marts.fct_calls as calls
                where {where}
                group by 1
                """,
                parameters,
            )
        }
        distribution = []
        for hour in range(24):
            calls, minutes = by_hour.get(hour, (0, 0))
            distribution.append({"hour": f"{hour:02d}:00", "calls": calls, "minutes": minutes})
        return distribution

    def _agent_performance(self, where: str, parameters: list) -> list[dict]:
        percent = {
            name: _percent(f"calls.{column} = '{name}'")
            for column, names in (("resolution", RESOLUTIONS), ("sentiment", ("positive",)))
            for name in names
        }
        rows = self._marts.rows(
            f"""
            select
                calls.agent_id,
                min(agents.agent_name),
                count(*),
                count(*) filter (where calls.resolution = 'resolved'),
                count(*) filter (where calls.resolution = 'transferred'),
                count(*) filter (where calls.resolution = 'abandoned'),
                count(*) filter (where calls.resolution = 'other'),
                {percent["resolved"]} / count(*),
                {percent["transferred"]} / count(*),
                {percent["abandoned"]} / count(*),
                {percent["other"]} / count(*),
                coalesce(avg(calls.duration_s), 0),
                {percent["positive"]} / nullif(count(calls.sentiment), 0),
                min(agents.agent_status)
            from marts.fct_calls as calls
            inner join marts.dim_agents as agents on agents.agent_id = calls.agent_id
            where {where}
            group by calls.agent_id
            order by count(*) desc, calls.agent_id collate "C"
            """,
            parameters,
        )
        fields = (
            "agentId",
            "agentName",
            "totalCalls",
            "resolved",
            "transferred",
            "abandoned",
            "other",
            "resolvedPercent",
            "transferredPercent",
            "abandonedPercent",
            "otherPercent",
            "avgDuration",
            "sentimentPercent",
            "status",
        )
        return [dict(zip(fields, row, strict=True)) for row in rows]

    def _escalation_reasons(self, where: str, parameters: list) -> list[dict]:
        rows = self._marts.rows(
            f"""
            with escalated as (
                select escalation_reason, seconds_before_escalation
                from marts.fct_calls as calls
                where calls.is_escalated and {where}
            )

            select
                escalation_reason,
                count(*),
                cast(100 * count(*) as double precision) / (select count(*) from escalated),
                coalesce(avg(seconds_before_escalation), 0)
            from escalated
            where escalation_reason is not null
            group by escalation_reason
            order by count(*) desc, escalation_reason collate "C"
            """,
            parameters,
        )
        fields = ("reason", "count", "percentOfTotal", "avgTimeBeforeEscalation")
        return [dict(zip(fields, row, strict=True)) for row in rows]


def add_routes(app: falcon.App, marts: Marts) -> None:
    """Register this family's resources on the app."""
    app.add_route("/v1/metrics", Metrics(marts))
