"""What a request covers: the token's scope, narrowed by the request, and its window.

Tenant scope meets SQL here only: every query of the layer filters its tables with
`Selection.predicate`, inside the query, never after it (api.md, Scope).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, tzinfo

from api.marts import Publication
from api.params import Window
from callstats.keys import Scope

_RESELLER_ORGS = "select org_id from marts.dim_orgs where reseller_id = ?"


@dataclass(frozen=True)
class Selection:
    """The token's scope, narrowed to one org (`org_id`), the orgs of one reseller
    (`reseller_id`) and a list of agents (`agent_ids`) when given: narrowing intersects the
    scope, it never widens it. `window` bounds the time column of each query; `zone` is the
    time zone of the days, hours and weeks of its series (api.md, `tz`)."""

    scope: Scope
    window: Window
    zone: tzinfo = UTC
    org_id: str | None = None
    reseller_id: str | None = None
    agent_ids: tuple[str, ...] | None = None

    def predicate(self, table: str = "", *, with_agents: bool = True) -> tuple[str, list]:
        """The selection (not the window) as a predicate on the `org_id` and `agent_id`
        columns of `table` (an alias, or "" for unqualified columns), with its parameters.
        `with_agents=False` for tables without agents, read only by unnarrowed selections."""
        prefix = f"{table}." if table else ""
        clauses, parameters = [], []
        if self.scope.kind == "org":
            clauses.append(f"{prefix}org_id = ?")
            parameters.append(self.scope.value)
        elif self.scope.kind == "reseller":
            clauses.append(f"{prefix}org_id in ({_RESELLER_ORGS})")
            parameters.append(self.scope.value)
        if self.org_id is not None:
            clauses.append(f"{prefix}org_id = ?")
            parameters.append(self.org_id)
        if self.reseller_id is not None:
            clauses.append(f"{prefix}org_id in ({_RESELLER_ORGS})")
            parameters.append(self.reseller_id)
        if self.agent_ids is not None:
            if not with_agents:
                raise ValueError("this table has no agents to narrow to")
            clauses.append(in_list(f"{prefix}agent_id", self.agent_ids))
            parameters.extend(self.agent_ids)
        return " and ".join(clauses) or "true", parameters

    def one_org(self) -> str | None:
        """The org whose calls the selection is, when it is one org's with no reseller or
        agent narrowing (an org's token, or an all-scope token narrowed to one org);
        otherwise None."""
        narrowed = self.reseller_id is not None or self.agent_ids is not None
        if narrowed or self.scope.kind == "reseller":
            return None
        orgs = {self.org_id, self.scope.value if self.scope.kind == "org" else None} - {None}
        return orgs.pop() if len(orgs) == 1 else None

    def of_every_org(self) -> "Selection":
        """Every org's calls in the same window and zone: what a read by org covers."""
        return Selection(Scope("all"), self.window, self.zone)


def in_list(column: str, values: Sequence) -> str:
    """`column` in `values`, one placeholder each: a list of constants, which the engine can
    push into a scan (a top-N over one agent then skips the row groups it cannot reach)."""
    return f"{column} in ({', '.join('?' for _ in values) or 'null'})"


def _in_scope(scope: Scope) -> tuple[str, list]:
    return Selection(scope, Window(None, None, False)).predicate()


def visible_agents(marts: Publication, scope: Scope, agent_ids: Sequence[str] | None) -> list[str]:
    """The agents the token may see (api.md, visibility) among `agent_ids`, or all of them;
    by agent_id."""
    where, parameters = _in_scope(scope)
    if agent_ids is not None:
        where = f"{where} and {in_list('agent_id', agent_ids)}"
        parameters = [*parameters, *agent_ids]
    rows = marts.lasting_rows(
        f"select agent_id from marts.dim_agent_orgs where {where} "
        'group by agent_id order by agent_id collate "C"',
        parameters,
    )
    return [agent_id for (agent_id,) in rows]


def first_org(marts: Publication) -> str | None:
    """The first org in org_id order, None without orgs."""
    [(org_id,)] = marts.lasting_rows("select min(org_id) from marts.dim_orgs")
    return org_id


def org_visible(marts: Publication, scope: Scope, org_id: str) -> bool:
    """The org is in the scope and known, by its row or by its calls, whichever came first."""
    where, parameters = _in_scope(scope)
    return bool(
        marts.lasting_rows(
            f"""
            select 1
            from (
                select org_id from marts.dim_orgs union select org_id from marts.rpt_calls_daily
            ) as orgs
            where org_id = ? and {where}
            """,
            [org_id, *parameters],
        )
    )


def reseller_visible(marts: Publication, scope: Scope, reseller_id: str) -> bool:
    """A reseller is visible through the visible orgs that name it."""
    where, parameters = _in_scope(scope)
    return bool(
        marts.lasting_rows(
            f"select 1 from marts.dim_orgs where reseller_id = ? and {where}",
            [reseller_id, *parameters],
        )
    )
