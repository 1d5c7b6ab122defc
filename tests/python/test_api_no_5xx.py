"""No input, however malformed, produces a 5xx (api.md): every declared endpoint, each of its
declared parameters with hostile values and the edges of its range and choices, every token
scope; and paths with odd ids."""

import pytest

from api.endpoints import ENDPOINTS, Endpoint
from api.params import Choice, Integer

HOSTILE = [
    "", " ", "x", "-1", "0", "1e309", "99999999999999999999999", "2026-02-30",
    "0001-01-01T00:00:00+01:00", "9998-12-31T23:59:59-23:59", "1000-01-01T00:00:00+23:59",
    "9999-12-31", "2026-03-02T00:00:00 02:00", ",", "a,,b", "' or 1=1 --", "\u00e9\u6f22",
    "2026-03-02T25:00:00Z", "../../etc/passwd", "Etc/GMT+14", "America/New_York\u0000",
    "\u0661", "1_0", "\n",
]  # fmt: skip


def edges(parameter) -> list[str]:
    """Values at and beyond the parameter's declared range and choices."""
    if isinstance(parameter, Integer):
        limits = [parameter.minimum, parameter.maximum or 2**63]
        return [str(limit + step) for limit in limits for step in (-1, 0, 1)]
    if isinstance(parameter, Choice):
        return [*parameter.choices, *(choice.upper() for choice in parameter.choices)]
    return []


def path_of(endpoint: Endpoint) -> str:
    return endpoint.path.replace("{agent_id}", "a-1")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.path)
def test_no_value_of_any_parameter_gives_a_5xx(get, endpoint):
    for token in ("all", "org-b", "res-1"):
        for parameter in endpoint.parameters:
            if parameter.location == "path":
                continue
            for value in [*HOSTILE, *edges(parameter)]:
                result = get(path_of(endpoint), token, **{parameter.name: value})
                assert result.status_code < 500, (endpoint.path, token, parameter.name, value)
                assert result.headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "path", ["/api/agents/%20/call_stats", "/api/agents/a%00b/call_stats", "/analytics/%00"]
)
def test_odd_paths_give_no_5xx(get, path):
    for token in ("all", "org-b", "res-1"):
        result = get(path, token, start_date="2026-03-01")
        assert result.status_code < 500, (path, token)
        assert result.headers["Content-Type"].startswith("application/json")
