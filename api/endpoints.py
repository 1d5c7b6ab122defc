"""Every endpoint of api.md, declared once: its path, parameters (with defaults, ranges and
choices), answer schema and how it answers. The routes and the parsing (`Resource`), the
OpenAPI document and the tests' no-5xx sweep are all derived from ENDPOINTS.

An answer is computed from the marts, the token's scope and the request's `Arguments`: each
declared parameter is parsed when the answer first reads it (so `period`, which an explicit
window replaces, is not even read then), and reading an undeclared one is an error.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo

import falcon

from api import errors
from api.marts import Marts, MartsReplaced, MartsUnavailable, Publication
from api.params import (
    Choice,
    IdList,
    Integer,
    Parameter,
    PathId,
    Text,
    Timestamp,
    Window,
    Zone,
    relative_window,
    window,
)
from api.queries import calls, events, records, turns
from api.queries.selection import (
    Selection,
    first_org,
    org_visible,
    reseller_visible,
    visible_agents,
)
from api.schemas import array, daily, holds_numbers, ref
from callstats import project
from callstats.keys import Scope


class Arguments(Mapping):
    """A request's values of an endpoint's parameters, each parsed (or a 400) when first read
    from its `query` (name → value, or the list of values of a name given more than once) or
    its `path` values."""

    def __init__(
        self, parameters: tuple[Parameter, ...], query: Mapping[str, str | list[str]], path: dict
    ):
        self._parameters = {parameter.name: parameter for parameter in parameters}
        self._query = query
        self._path = path
        self._values = {}

    def __getitem__(self, name: str):
        if name not in self._values:
            parameter = self._parameters[name]
            raw = self._path[name] if parameter.location == "path" else self._query.get(name)
            if isinstance(raw, list):
                raise parameter.invalid("It is given more than once: give it once.")
            self._values[name] = parameter.parse(raw)
        return self._values[name]

    def __iter__(self):
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)


Answer = Callable[[Publication, Scope, Arguments], object]


@dataclass(frozen=True)
class Endpoint:
    """A GET that needs a token and answers JSON of schema `response` (api.md)."""

    path: str
    operation_id: str
    tag: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    response: dict
    answer: Answer
    max_age_s: int | None = None  # seed 001's refresh rate: Cache-Control max-age
    # A list of stored rows: no sums, so its ETag hashes its numbers as they are (caching.py).
    lists_rows: bool = False

    @property
    def takes_ids(self) -> bool:
        """Whether an id the token cannot see may answer 404."""
        return any(parameter.is_id for parameter in self.parameters)

    @property
    def rounds_numbers(self) -> bool:
        """Whether its answers hold sums of doubles, whose last digits vary from one request to
        the next: their ETag hashes them rounded (api.caching)."""
        return not self.lists_rows and holds_numbers(self.response)


# At most this many publications are read for one answer, each replaced while it was read.
_READS = 3


class Resource:
    """The Falcon resource of one endpoint. Its answer reads one publication of the marts
    (`Marts.publication`), whose build it leaves in `req.context.built_at` for the answer's
    ETag (api.caching); a publication replaced while it was read (PostgreSQL) is read again,
    and after _READS such reads the answer is a 503 (MartsReplaced)."""

    def __init__(self, endpoint: Endpoint, marts: Marts):
        self._endpoint = endpoint
        self._marts = marts
        self.max_age_s = endpoint.max_age_s
        self.rounds_numbers = endpoint.rounds_numbers

    def on_get(self, req: falcon.Request, resp: falcon.Response, **path: str) -> None:
        arguments = Arguments(self._endpoint.parameters, req.params, path)
        for _ in range(_READS):
            try:
                with self._marts.publication() as marts:
                    answer = self._endpoint.answer(marts, req.context.scope, arguments)
                    built_at = marts.built_at()
            except MartsReplaced:
                continue
            resp.media, req.context.built_at = answer, built_at
            return
        raise MartsReplaced(f"the marts were replaced during each of {_READS} reads")

    # The same status and headers without the body (Falcon sends none for HEAD).
    on_head = on_get


# Family A (seed 000): a call is in when start_date <= started_at <= end_date.
_A = "Analytics (seed 000)"
_START_DATE = Timestamp(
    name="start_date",
    description="Calls from this instant on: `start_date <= started_at` (STT events:"
    " `created_at`).",
)
_END_DATE = Timestamp(
    name="end_date",
    description="Calls up to this instant: `started_at <= end_date` (STT events: `created_at`);"
    " a bare date D means `< D + 1 day`.",
)
_AGENT_ID = Text(
    name="agent_id",
    description="Only this agent's calls. An agent the token cannot see answers 404, like an"
    " unknown one.",
    is_id=True,
)
_TZ = Zone()


def _series_limit(named: str = "the window's lower bound") -> str:
    """The rule a series' window must keep (metrics.md, Time series)."""
    return (
        f" A series of more than 10 000 buckets is a 400 naming {named} (an open side of the"
        " window ends at the first or last call)."
    )


def _window_a(arguments: Arguments, zone: tzinfo = UTC) -> Window:
    return window(
        arguments["start_date"],
        arguments["end_date"],
        ("start_date", "end_date"),
        upper_inclusive=True,
        zone=zone,
    )


def _agent_calls(compute: Callable[[Publication, Selection], object]) -> Answer:
    """An answer over the calls of the window, agent_id and the scope, in the zone of `tz`
    where the endpoint takes it."""

    def answer(marts: Publication, scope: Scope, arguments: Arguments) -> object:
        zone = arguments.get("tz", UTC)
        window_a = _window_a(arguments, zone)
        agent_id, agent_ids = arguments["agent_id"], None
        if agent_id is not None:
            if not visible_agents(marts, scope, [agent_id]):
                raise errors.not_visible("agent_id", agent_id)
            agent_ids = (agent_id,)
        return compute(marts, Selection(scope, window_a, zone, agent_ids=agent_ids))

    return answer


def _agent_comparison(marts: Publication, scope: Scope, arguments: Arguments) -> list[dict]:
    requested = arguments["agent_ids"]
    visible = visible_agents(marts, scope, requested)
    if requested is not None:
        hidden = [agent_id for agent_id in requested if agent_id not in visible]
        if hidden:
            raise errors.not_visible("agent_ids", hidden[0])
    agent_ids = tuple(requested if requested is not None else visible)
    # Narrowed to the agents asked for only: the scope's calls are those of its visible agents.
    narrowed = None if requested is None else agent_ids
    return calls.agent_comparison(
        marts, Selection(scope, _window_a(arguments), agent_ids=narrowed), agent_ids
    )


def _stt_events(marts: Publication, scope: Scope, arguments: Arguments) -> list[dict]:
    return events.stt_events(
        marts,
        Selection(scope, _window_a(arguments)),
        arguments["limit"],
        arguments["call_sid"],
        arguments["event_type"],
    )


def _stt_summary(marts: Publication, scope: Scope, arguments: Arguments) -> dict:
    return events.stt_summary(marts, Selection(scope, _window_a(arguments)))


def _family_a() -> list[Endpoint]:
    window_text = "Calls are in when `start_date <= started_at <= end_date`."
    calls_of = (
        ("overview", "analyticsOverview", "Summary of the calls.", ref("Overview"),
         calls.overview, False),
        ("call-volume", "analyticsCallVolume", "Calls per day.",
         daily("DailyCount", "Calls per day."), calls.call_volume, True),
        ("latency", "analyticsLatency", "Mean pipeline latencies and their daily trend.",
         ref("Latency"), calls.latency, True),
        ("cost-overview", "analyticsCostOverview", "Aggregate costs.", ref("CostOverview"),
         calls.cost_overview, False),
        ("cost-trend", "analyticsCostTrend", "Total cost per day.",
         daily("DailyCost", "Total cost per day."), calls.cost_trend, True),
        ("cost-by-agent", "analyticsCostByAgent",
         "Cost per agent with calls, highest first (then agent_id).",
         array(ref("AgentCost")), calls.cost_by_agent, False),
        ("duration-distribution", "analyticsDurationDistribution",
         "Calls per duration bucket (seconds): 0-30, 30-60, 60-120, 120-300, 300+.",
         ref("Distribution"), calls.duration_distribution, False),
        ("latency-distribution", "analyticsLatencyDistribution",
         "Turns per total-latency bucket (ms): 0-500, 500-1000, 1000-2000, 2000-3000, 3000+.",
         ref("Distribution"), calls.latency_distribution, False),
        ("conversation-turns", "analyticsConversationTurns",
         "Mean turns per call and their daily trend.", ref("ConversationTurns"),
         calls.conversation_turns, True),
        ("barge-in", "analyticsBargeIn", "Barge-in rate and its daily trend.", ref("BargeIn"),
         calls.barge_in, True),
        ("provider-errors", "analyticsProviderErrors",
         "Calls and failed calls per provider, most errors first (then provider_name).",
         array(ref("ProviderErrors")), calls.provider_errors, False),
        ("peak-hours", "analyticsPeakHours",
         "Calls per weekday and hour of `tz`, by day_of_week then hour.",
         array(ref("PeakHour")), calls.peak_hours, True),
        ("outcomes", "analyticsOutcomes",
         "Calls per outcome (else status), most first (then outcome).",
         array(ref("Outcome")), calls.outcomes, False),
    )  # fmt: skip
    window_a = (_START_DATE, _END_DATE)
    daily_series = {"call-volume", "latency", "cost-trend", "conversation-turns", "barge-in"}
    endpoints = [
        Endpoint(
            f"/analytics/{name}",
            operation_id,
            _A,
            summary,
            window_text + (_series_limit() if name in daily_series else ""),
            (*window_a, _AGENT_ID, *((_TZ,) if local else ())),
            response,
            _agent_calls(compute),
        )
        for name, operation_id, summary, response, compute, local in calls_of
    ]
    agent_ids = IdList(
        name="agent_ids",
        description="Comma-separated agent ids, each trimmed, the first of duplicates kept. An"
        " empty element or an empty list is a 400; an id the token cannot see a 404.",
    )
    events_window = "Events are in when `start_date <= created_at <= end_date`."
    return [
        *endpoints,
        Endpoint(
            "/analytics/agent-comparison",
            "analyticsAgentComparison",
            _A,
            "Metrics of several agents side by side.",
            window_text + " One row per requested agent in the order given; without"
            " `agent_ids`, every agent the token can see, by agent_id.",
            (*window_a, agent_ids),
            array(ref("AgentComparison")),
            _agent_comparison,
        ),
        Endpoint(
            "/analytics/stt-events",
            "analyticsSttEvents",
            _A,
            "STT connection events, newest first (then id).",
            events_window + " Events that belong to no call are visible to all-scope tokens only.",
            (
                Text(name="call_sid", description="Only events with this call SID."),
                Choice(
                    name="event_type",
                    description="Only events of this type.",
                    choices=events.EVENT_TYPES,
                ),
                *window_a,
                Integer(
                    name="limit",
                    description="At most this many events.",
                    default=100,
                    minimum=1,
                    maximum=500,
                ),
            ),
            array(ref("SttEvent")),
            _stt_events,
            lists_rows=True,
        ),
        Endpoint(
            "/analytics/stt-events/summary",
            "analyticsSttEventsSummary",
            _A,
            "STT connection health.",
            events_window,
            window_a,
            ref("SttEventsSummary"),
            _stt_summary,
        ),
    ]


# Family B (seed 001): `[now - period, now]`, or started_after <= started_at < started_before.
_B = "API v1 analytics (seed 001)"


def _window_b_parameters(rows: str = "Calls", column: str = "started_at") -> tuple[Parameter, ...]:
    """The window parameters of family B, over the `column` of `rows`."""
    return (
        Choice(
            name="period",
            description="The window `[now - period, now]`; ignored when `started_after` or"
            " `started_before` is given.",
            choices=("1h", "24h", "7d", "30d"),
            default="24h",
        ),
        Timestamp(
            name="started_after",
            description=f"{rows} with `started_after <= {column}` (replaces `period`; a missing"
            " side is open).",
        ),
        Timestamp(
            name="started_before",
            description=f"{rows} with `{column} < started_before` (replaces `period`; a missing"
            " side is open). A bare date D means the whole day D: before the next day's"
            " midnight (local in `tz` where the endpoint takes it, else UTC).",
        ),
    )


def _window_b(arguments: Arguments, zone: tzinfo = UTC) -> Window:
    """`started_after <= started_at < started_before` when either is given (the other side
    open, `period` not even read; bare dates are days of `zone`), else `[now - period, now]`."""
    lower, upper = arguments["started_after"], arguments["started_before"]
    if lower is None and upper is None:
        return relative_window(arguments["period"], project.now())
    names = ("started_after", "started_before")
    return window(lower, upper, names, upper_inclusive=False, zone=zone)


def _summary(marts: Publication, scope: Scope, arguments: Arguments) -> dict:
    return calls.summary(marts, Selection(scope, _window_b(arguments)), project.now())


def _call_volume(marts: Publication, scope: Scope, arguments: Arguments) -> dict:
    interval, zone = arguments["interval"], arguments["tz"]
    selection = Selection(scope, _window_b(arguments, zone), zone)
    return {"interval": interval, "data": calls.call_volume_series(marts, selection, interval)}


def _workflow_stats(marts: Publication, scope: Scope, arguments: Arguments) -> list[dict]:
    selection = Selection(scope, _window_b(arguments))
    return calls.workflow_stats(marts, selection, arguments["limit"])


def _provider_latency(marts: Publication, scope: Scope, arguments: Arguments) -> list[dict]:
    return turns.provider_latency(marts, Selection(scope, _window_b(arguments)))


def _errors(marts: Publication, scope: Scope, arguments: Arguments) -> dict:
    selection = Selection(scope, _window_b(arguments))
    return records.errors(
        marts,
        selection,
        arguments["limit"],
        arguments["offset"],
        arguments["service"],
        arguments["level"],
    )


def _active_calls(marts: Publication, scope: Scope, arguments: Arguments) -> dict:
    selection = Selection(scope, Window(None, None, upper_inclusive=False))
    return {"count": calls.active_calls(marts, selection, project.now())}


def _family_b() -> list[Endpoint]:
    window_text = (
        "The window is `[now - period, now]`, or `started_after <= started_at < started_before`"
        " when either is given."
    )
    base = "/api/v1/analytics"
    return [
        Endpoint(
            f"{base}/summary",
            "v1AnalyticsSummary",
            _B,
            "Totals of the window.",
            window_text,
            _window_b_parameters(),
            ref("Summary"),
            _summary,
            max_age_s=30,
        ),
        Endpoint(
            f"{base}/call-volume",
            "v1AnalyticsCallVolume",
            _B,
            "Calls per hour, day or week.",
            window_text + _series_limit("`interval`"),
            (
                *_window_b_parameters(),
                Choice(
                    name="interval",
                    description="Bucket size.",
                    choices=("hour", "day", "week"),
                    default="hour",
                ),
                _TZ,
            ),
            ref("CallVolume"),
            _call_volume,
            max_age_s=60,
        ),
        Endpoint(
            f"{base}/workflow-stats",
            "v1AnalyticsWorkflowStats",
            _B,
            "Workflows with calls, most calls first (then workflow_id).",
            window_text,
            (
                *_window_b_parameters(),
                Integer(
                    name="limit",
                    description="At most this many workflows.",
                    default=10,
                    minimum=1,
                    maximum=50,
                ),
            ),
            array(ref("WorkflowStats")),
            _workflow_stats,
            max_age_s=60,
        ),
        Endpoint(
            f"{base}/provider-latency",
            "v1AnalyticsProviderLatency",
            _B,
            "Latency per provider and stage (stt, llm, tts, then provider_name).",
            window_text,
            _window_b_parameters(),
            array(ref("ProviderLatency")),
            _provider_latency,
            max_age_s=60,
        ),
        Endpoint(
            f"{base}/errors",
            "v1AnalyticsErrors",
            _B,
            "Errors and warnings, newest first (then id).",
            "Errors are in when they occurred in the window (`occurred_at`, not the call's start).",
            (
                *_window_b_parameters("Errors", "occurred_at"),
                Choice(
                    name="service",
                    description="Only this service.",
                    choices=("stt", "llm", "tts", "workflow", "tool"),
                ),
                Choice(name="level", description="Only this level.", choices=("error", "warning")),
                Integer(
                    name="offset",
                    description="Skip this many errors.",
                    default=0,
                    minimum=0,
                    maximum=records.MAX_OFFSET,
                ),
                Integer(
                    name="limit",
                    description="At most this many errors.",
                    default=50,
                    minimum=1,
                    maximum=200,
                ),
            ),
            ref("ErrorLog"),
            _errors,
            max_age_s=30,
            lists_rows=True,
        ),
        Endpoint(
            f"{base}/active-calls",
            "v1AnalyticsActiveCalls",
            _B,
            "Calls active now.",
            "Calls in scope that are live now and started within the last 24 hours (a call"
            " whose final callback was lost stops counting a day after it started), whatever"
            " the window.",
            (),
            ref("ActiveCalls"),
            _active_calls,
            max_age_s=10,
        ),
    ]


def _metrics(marts: Publication, scope: Scope, arguments: Arguments) -> dict:
    """Calls in the window and the token's scope, narrowed to `organizationId` and to the
    orgs of `resellerId` when they are given (an intersection: they never widen it)."""
    zone = arguments["tz"]
    names = ("startDate", "endDate")
    window_c = window(
        arguments["startDate"], arguments["endDate"], names, upper_inclusive=True, zone=zone
    )
    organization = arguments["organizationId"]
    if organization is not None and not org_visible(marts, scope, organization):
        raise errors.not_visible("organizationId", organization)
    reseller = arguments["resellerId"]
    if reseller is not None and not reseller_visible(marts, scope, reseller):
        raise errors.not_visible("resellerId", reseller)
    selection = Selection(scope, window_c, zone, org_id=organization, reseller_id=reseller)
    return calls.metrics(marts, selection)


def _calls_analytics(marts: Publication, scope: Scope, arguments: Arguments) -> dict:
    now = project.now()
    window_d = relative_window(arguments["period"], now)
    return calls.calls_analytics(marts, Selection(scope, window_d, arguments["tz"]), now)


def _agent_call_stats(marts: Publication, scope: Scope, arguments: Arguments) -> list[dict]:
    """The call records of one agent, newest first, limited to the calls the token may see."""
    window_e = _window_a(arguments)
    limit, offset, agent_id = arguments["limit"], arguments["offset"], arguments["agent_id"]
    if not visible_agents(marts, scope, [agent_id]):
        raise errors.not_visible("agent_id", agent_id)
    selection = Selection(scope, window_e, agent_ids=(agent_id,))
    return records.agent_calls(marts, selection, limit, offset)


def _families_c_to_e() -> list[Endpoint]:
    return [
        Endpoint(
            "/v1/metrics",
            "v1Metrics",
            "Metrics (seed 002)",
            "Usage metrics: volume, resolution, hours, agents, AI insights, escalations.",
            "Calls are in when `startDate <= started_at <= endDate`. `organizationId` and"
            " `resellerId` narrow the token's scope; one it cannot see is a 404." + _series_limit(),
            (
                Timestamp(name="startDate", description="Calls from this instant on."),
                Timestamp(
                    name="endDate",
                    description="Calls up to this instant; a bare date D means `< D + 1 day`.",
                ),
                Text(name="organizationId", description="Only this org's calls.", is_id=True),
                Text(
                    name="resellerId",
                    description="Only the calls of this reseller's orgs.",
                    is_id=True,
                ),
                _TZ,
            ),
            ref("Metrics"),
            _metrics,
        ),
        Endpoint(
            "/api/v1/calls/analytics",
            "v1CallsAnalytics",
            "Calls analytics (seed 003)",
            "Totals, daily stats and top assistants of the period.",
            "The window is `[now - period, now]`.",
            (
                Choice(
                    name="period",
                    description="Analysis period.",
                    choices=("1d", "7d", "30d", "90d"),
                    default="7d",
                ),
                _TZ,
            ),
            ref("CallsAnalytics"),
            _calls_analytics,
        ),
        Endpoint(
            "/api/agents/{agent_id}/call_stats",
            "agentCallStats",
            "Agent call stats (seed 004)",
            "The calls of one agent, newest first (then call_id).",
            "Calls are in when `start_date <= started_at <= end_date`. Only the calls the token"
            " can see are listed; an agent it cannot see is a 404, like an unknown one.",
            (
                PathId(name="agent_id", description="The agent."),
                _START_DATE,
                _END_DATE,
                Integer(
                    name="limit",
                    description="At most this many calls.",
                    default=100,
                    minimum=1,
                    maximum=1000,
                ),
                Integer(name="offset", description="Skip this many calls.", default=0, minimum=0),
            ),
            array(ref("AgentCallRecord")),
            _agent_call_stats,
            lists_rows=True,
        ),
    ]


ENDPOINTS: tuple[Endpoint, ...] = (*_family_a(), *_family_b(), *_families_c_to_e())


def add_routes(app: falcon.App, marts: Marts) -> None:
    """Route every endpoint to its resource."""
    for endpoint in ENDPOINTS:
        app.add_route(endpoint.path, Resource(endpoint, marts))


def last_30_days(end: datetime) -> dict[str, str]:
    """The query parameters of the 30 days to `end` (UTC), a dashboard's usual window, under
    every family's names: each endpoint reads its own and ignores the others (api.md)."""
    start = f"{end - timedelta(days=30):%Y-%m-%dT%H:%M:%S}Z"
    stop = f"{end:%Y-%m-%dT%H:%M:%S}Z"
    return {
        "start_date": start,
        "end_date": stop,
        "startDate": start,
        "endDate": stop,
        "started_after": start,
        "started_before": stop,
        "period": "30d",
    }


def warm(marts: Marts) -> list[tuple[str, str]]:
    """Answer every endpoint once for an all-scope token over the 30 days to now, then once for
    the token of the first org (`call_stats` for each scope's first agent), and return each
    answer's scope kind and path: DuckDB reads a table's metadata and blocks when a statement
    first needs them, so the first request of each endpoint in a new worker took 5 to 40 ms
    longer at 1 M calls (docs/decisions.md, Warm workers), and the org pass reads the lasting
    answers every org's requests share (Lasting answers by org). An empty list when no marts
    are published or they cannot be read; an endpoint that answers 4xx (with no agents,
    `call_stats`) is skipped."""
    query = last_30_days(project.now())
    answered = []
    try:
        with marts.publication() as publication:
            org_id = first_org(publication)
            scopes = [Scope("all"), *([Scope("org", org_id)] if org_id is not None else [])]
            for scope in scopes:
                agents = visible_agents(publication, scope, None)
                path = {"agent_id": agents[0] if agents else ""}
                for endpoint in ENDPOINTS:
                    arguments = Arguments(endpoint.parameters, query, path)
                    try:
                        endpoint.answer(publication, scope, arguments)
                    except falcon.HTTPError:
                        continue
                    answered.append((scope.kind, endpoint.path))
    except MartsUnavailable:
        return []
    return answered
