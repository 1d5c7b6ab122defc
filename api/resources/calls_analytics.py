"""Family D: /api/v1/calls/analytics (seed 003), read exactly from the call-grain facts."""

import falcon

from api import params
from api.call_window import calls_in
from api.marts import Marts
from api.serialize import day
from callstats import project

PERIODS = ("1d", "7d", "30d", "90d")
TOP_ASSISTANTS = 10


class CallsAnalytics:
    def __init__(self, marts: Marts):
        self._marts = marts

    def on_get(self, req, resp) -> None:
        period = params.choice(req, "period", PERIODS, "7d")
        window = params.relative_window(period, project.now())
        where, parameters = calls_in(req.context.scope, window)
        [(total, completed, failed, ongoing, duration, avg_duration, success_rate)] = (
            self._marts.rows(
                f"""
                select
                    count(*),
                    count(*) filter (where is_completed),
                    count(*) filter (where is_failed),
                    count(*) filter (where active_until >= ?),
                    coalesce(sum(duration_s), 0),
                    coalesce(avg(duration_s), 0),
                    coalesce(
                        cast(100 * count(*) filter (where is_completed) as double precision)
                        / nullif(count(*), 0),
                        0
                    )
                from marts.fct_calls as calls
                where {where}
                """,
                [window.upper, *parameters],
            )
        )
        resp.media = {
            "total_calls": total,
            "completed_calls": completed,
            "failed_calls": failed,
            "ongoing_calls": ongoing,
            "total_duration": duration,
            "avg_duration": avg_duration,
            "success_rate": success_rate,
            "daily_stats": self._daily_stats(where, parameters),
            "top_assistants": self._top_assistants(where, parameters),
        }

    def _daily_stats(self, where: str, parameters: list) -> dict[str, dict]:
        """Only the days that have calls, oldest first (metrics.md)."""
        rows = self._marts.rows(
            f"""
            select
                cast(started_at as date),
                count(*),
                count(*) filter (where is_completed),
                count(*) filter (where is_failed)
            from marts.fct_calls as calls
            where {where}
            group by 1
            order by 1
            """,
            parameters,
        )
        return {
            day(started): {"total": total, "completed": completed, "failed": failed}
            for started, total, completed, failed in rows
        }

    def _top_assistants(self, where: str, parameters: list) -> list[dict]:
        rows = self._marts.rows(
            f"""
            select
                calls.agent_id,
                min(agents.agent_name),
                count(*),
                coalesce(sum(calls.duration_s), 0)
            from marts.fct_calls as calls
            inner join marts.dim_agents as agents on agents.agent_id = calls.agent_id
            where {where}
            group by calls.agent_id
            order by count(*) desc, calls.agent_id collate "C"
            limit ?
            """,
            [*parameters, TOP_ASSISTANTS],
        )
        fields = ("assistant_id", "assistant_name", "calls", "duration")
        return [dict(zip(fields, row, strict=True)) for row in rows]


def add_routes(app: falcon.App, marts: Marts) -> None:
    """Register this family's resources on the app."""
    app.add_route("/api/v1/calls/analytics", CallsAnalytics(marts))
