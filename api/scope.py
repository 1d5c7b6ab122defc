"""Tenant scope as SQL: applied inside every query, never after it."""

from collections.abc import Sequence

from api.marts import Marts
from callstats.keys import Scope


def org_predicate(scope: Scope, column: str = "org_id") -> tuple[str, Sequence]:
    """A predicate on an org id column limiting rows to the scope, with its parameters."""
    if scope.kind == "org":
        return f"{column} = ?", [scope.value]
    if scope.kind == "reseller":
        return f"{column} in (select org_id from marts.dim_orgs where reseller_id = ?)", [
            scope.value
        ]
    return "true", []


def visible_agents(marts: Marts, scope: Scope, agent_ids: Sequence[str] | None) -> list[str]:
    """The agents the token may see (api.md, visibility) among `agent_ids`, or all of them;
    by agent_id."""
    where, parameters = org_predicate(scope)
    if agent_ids is not None:
        where = f"({where}) and agent_id = any(?)"
        parameters = [*parameters, list(agent_ids)]
    rows = marts.rows(
        f"select agent_id from marts.dim_agent_orgs where {where} "
        'group by agent_id order by agent_id collate "C"',
        parameters,
    )
    return [agent_id for (agent_id,) in rows]
