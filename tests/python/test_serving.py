"""The API under real gunicorn: over HTTP, and through a rebuild without a failed request."""

import os
import re
import subprocess
import sys
import threading

import pytest
from servers import free_port, http_get, running
from warehouses import PROJECT_DIR, copy_warehouse, run_callstats

from callstats.keys import Scope, SqliteKeyStore, keys_path
from callstats.publish import published_path

pytestmark = pytest.mark.slow(cpu_s=40)


def test_gunicorn_serves_the_api_over_http(server, tokens):
    assert http_get(f"{server}/health")[0] == 200
    status, body = http_get(f"{server}/analytics/overview", tokens["all"])
    assert (status, body["total_calls"]) == (200, 6)
    assert http_get(f"{server}/analytics/overview")[0] == 401


def test_a_long_request_line_reaches_the_api(server, tokens):
    # 600 agent ids make a request line of 6.6 kB, over gunicorn's default limit (4 kB):
    # the API answers it, here a 404 naming the first id it does not know.
    agent_ids = ",".join(f"agent-{number:04d}" for number in range(600))
    url = f"{server}/analytics/agent-comparison?agent_ids={agent_ids}"
    assert len(url) > 6000
    status, body = http_get(url, tokens["all"])
    assert (status, body["description"]) == (404, "agent_ids: 'agent-0000' is not found.")


def test_long_or_many_headers_reach_the_api(server, tokens):
    # over gunicorn's default limits (a header of 8 kB, 100 headers), which it answers in HTML
    # (callstats serve raises them to 64 kB and 500)
    assert http_get(f"{server}/analytics/overview", "x" * 20_000) == (
        401,
        {
            "title": "Unauthorized",
            "description": "Authorization: Bearer <token> with a valid token is required.",
        },
    )
    many = {f"X-Header-{number}": "1" for number in range(200)}
    status, body = http_get(f"{server}/analytics/overview", tokens["all"], headers=many)
    assert (status, body["total_calls"]) == (200, 6)


def test_the_apis_log_lines_are_gunicorns_with_their_time_and_pid(tmp_path):
    warehouse = tmp_path / "callstats.duckdb"
    _, token = SqliteKeyStore(keys_path(warehouse)).create(Scope("all"), "log")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # no marts published: /openapi.json answers, an endpoint is a 503 whose detail is logged
    with running(
        "serve", "--port", str(port), warehouse=warehouse, ready_url=f"{base}/openapi.json"
    ) as output:
        status, _ = http_get(f"{base}/analytics/overview", token)
        printed = output.read_text()
    assert status == 503
    [line] = [line for line in printed.splitlines() if "no marts published" in line]
    assert re.fullmatch(r"\[[^]]+\] \[\d+\] \[WARNING\] no marts published at .+", line)


def test_the_served_app_is_left_out_of_the_collectors_passes(tmp_path):
    """gunicorn's workers import api.wsgi: the app it builds, and whatever else exists by then,
    is frozen (gc.freeze), so no request pays for a full pass over it; and freed at exit,
    where duckdb's bindings would report what is still alive as leaked."""
    check = (
        "import gc, api.wsgi;"
        " print(any(o is api.wsgi.app for o in gc.get_objects()), gc.get_freeze_count() > 0)"
    )
    imported = subprocess.run(
        [sys.executable, "-c", check],
        env={**os.environ, "CALLSTATS_WAREHOUSE": str(tmp_path / "callstats.duckdb")},
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert imported.stdout.split() == ["False", "True"]
    assert imported.stderr == ""


def test_a_rebuild_under_steady_requests_loses_none(fixture_warehouse, tmp_path):
    """The fixture's build (a copy of its warehouse and published marts), then 500 more calls
    built while the API answers."""
    warehouse = copy_warehouse(fixture_warehouse, tmp_path)
    _, token = SqliteKeyStore(keys_path(warehouse)).create(Scope("all"))
    first_publication = published_path(warehouse).stat().st_ino

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    outcomes: list[int] = []
    built_at: set[str] = set()
    stop = threading.Event()

    def keep_calling() -> None:  # steady requests: two every tenth of a second
        while not stop.wait(0.1):
            outcomes.append(http_get(f"{base}/analytics/overview", token)[0])
            built_at.add(http_get(f"{base}/health")[1].get("marts_built_at"))

    with running("serve", "--port", str(port), warehouse=warehouse, ready_url=f"{base}/health"):
        client = threading.Thread(target=keep_calling)
        client.start()
        try:
            more = ["--calls", "500", "--days", "1", "--end", "2026-03-09T00:00:00", "--seed", "9"]
            run_callstats("generate", *more, warehouse=warehouse)
            run_callstats("build", warehouse=warehouse)
            status, body = http_get(f"{base}/analytics/overview", token)
        finally:
            stop.set()
            client.join()

    assert published_path(warehouse).stat().st_ino != first_publication
    assert (status, body["total_calls"]) == (200, 6 + 500)  # the new marts, at once
    assert len(outcomes) > 20
    assert set(outcomes) == {200}
    assert len(built_at) == 2  # answered from the old marts, then from the new ones
