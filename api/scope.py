"""Tenant scope as SQL: applied inside every query, never after it."""

from collections.abc import Sequence

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
