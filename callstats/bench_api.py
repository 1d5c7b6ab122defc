"""The API side of `make bench`: what each documented request costs, served as users serve it.

On a built warehouse, `callstats serve` (gunicorn, 2 workers) answers every documented request
(api.md; the paths of /openapi.json) for a 30-day window whose edges are not on the hour, with
the token of the org with the most calls and with an all-scope token: the first (cold)
request, then RUNS more for p50 and p99, one client at a time, each run's window one second
earlier than the last, as a dashboard's window moves with now, so that no run is a kept answer
(a polled path keeps the answer of a URL it has given). Then a loopback load generator
(ApacheBench, bounded in time and count) polls each of the six endpoints seed 001 gives
dashboard refresh rates for, one URL each as a dashboard does, and a bare Falcon endpoint
under the same gunicorn, in the same run: polling throughput in requests per second.

Figures, not tests: nothing here asserts a time.
"""

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import falcon

from api.endpoints import ENDPOINTS, last_30_days
from api.openapi_document import document
from callstats import cli, publish
from callstats.keys import Scope, SqliteKeyStore, keys_path

RUNS = 20
WORKERS = 2
# The load generator: concurrent clients, and its bounds per endpoint.
CLIENTS = 4
POLL_SECONDS = 10
POLL_REQUESTS = 5000
# The paths of seed 001's dashboard refresh table: those with a polling interval.
POLLED_PATHS = [endpoint.path for endpoint in ENDPOINTS if endpoint.max_age_s is not None]
# ApacheBench's completed requests and elapsed time (its requests per second are missing when
# no request completed within its time limit).
COMPLETE = re.compile(r"Complete requests:\s+(\d+)")
TAKEN = re.compile(r"Time taken for tests:\s+([\d.]+) seconds")
# ApacheBench's failed requests by kind, and its count of answers other than 2xx (absent when
# none). A "Length" failure is an answer whose length differs from the first one's: averages
# summed over threads differ in their last digits from one answer to the next; not an error.
FAILED = re.compile(r"\(Connect: (\d+), Receive: (\d+), Length: \d+, Exceptions: (\d+)\)")
NON_2XX = re.compile(r"Non-2xx responses:\s+(\d+)")


@dataclass(frozen=True)
class Timing:
    """One documented request's latency in milliseconds: the first request, then p50 and p99
    of RUNS more; and the HTTP status they got."""

    path: str
    token: str
    status: int
    cold_ms: float
    p50_ms: float
    p99_ms: float


@dataclass(frozen=True)
class Throughput:
    """Requests per second one endpoint served to CLIENTS concurrent pollers."""

    path: str
    requests_per_s: float


class _Bare:
    def on_get(self, _: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"ok": True}


# The bare endpoint the polling throughput is compared with: Falcon, no middleware, no data.
bare_app = falcon.App()
bare_app.add_route("/bare", _Bare())


def measure(warehouse: Path, end: datetime) -> tuple[list[Timing], list[Throughput]]:
    """Serve the published marts of `warehouse` and measure every documented request and the
    polling throughput, for a 30-day window ending at `end` (also the server's now)."""
    org_id, agent_id = _busiest(warehouse)
    tokens = _tokens(warehouse, org_id)
    queries = [urlencode(last_30_days(end - timedelta(seconds=run))) for run in range(RUNS + 1)]
    environment = {
        "CALLSTATS_WAREHOUSE": str(warehouse),
        "CALLSTATS_TARGET": "duckdb",
        "CALLSTATS_NOW": f"{end:%Y-%m-%dT%H:%M:%S}",
    }
    with _served("api.wsgi:app", "/health", environment) as port:
        timings = [
            _time(
                port,
                path,
                [f"{path.replace('{agent_id}', agent_id)}?{query}" for query in queries],
                label,
                token,
            )
            for label, token in tokens.items()
            for path in document()["paths"]
        ]
        polled = [
            Throughput(path, _poll(port, f"{path}?{queries[0]}", tokens["org"]))
            for path in POLLED_PATHS
        ]
    with _served(f"{__name__}:bare_app", "/bare", environment) as port:
        polled.append(Throughput("/bare", _poll(port, "/bare", None)))
    return timings, polled


def _busiest(warehouse: Path) -> tuple[str, str]:
    """The org with the most calls, and its agent with the most calls."""
    with duckdb.connect(str(publish.published_path(warehouse)), read_only=True) as connection:
        [row] = connection.execute(
            "select org_id, agent_id from marts.fct_calls group by 1, 2"
            " order by sum(count(*)) over (partition by org_id) desc, 1, count(*) desc, 2"
            " limit 1"
        ).fetchall()
    return row


def _tokens(warehouse: Path, org_id: str) -> dict[str, str]:
    """A token of `org_id` and an all-scope token, by label (org, all)."""
    store = SqliteKeyStore(keys_path(warehouse))
    return {
        "org": store.create(Scope("org", org_id), name="bench")[1],
        "all": store.create(Scope("all"), name="bench")[1],
    }


@contextmanager
def _served(app: str, ready_path: str, environment: dict[str, str]) -> Iterator[int]:
    """gunicorn serving `app` as `callstats serve` does, on a free loopback port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        cli.gunicorn_command("127.0.0.1", port, WORKERS, app),
        env={**os.environ, **environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while _status(port, ready_path) is None:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn serving {app} did not start")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _status(port: int, path: str) -> int | None:
    try:
        return _get(port, path, None)[0]
    except OSError:
        return None


def _get(port: int, target: str, token: str | None) -> tuple[int, float]:
    """One GET on a new connection: its status and its milliseconds, body read."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    try:
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return response.status, (time.perf_counter() - started) * 1000


def _time(port: int, path: str, targets: list[str], label: str, token: str) -> Timing:
    """The timing of the documented `path`, requested as the first of `targets` (cold), then
    as each of the others."""
    status, cold = _get(port, targets[0], token)
    runs = [_get(port, target, token)[1] for target in targets[1:]]
    p99 = statistics.quantiles(runs, n=100, method="inclusive")[98]
    return Timing(path, label, status, cold, statistics.median(runs), p99)


def _poll(port: int, target: str, token: str | None) -> float:
    """Requests per second ApacheBench got from CLIENTS concurrent clients, within
    POLL_SECONDS and POLL_REQUESTS; a failed request or an answer other than 2xx is an error."""
    command = [_ab(), "-q", "-c", str(CLIENTS), "-t", str(POLL_SECONDS), "-n", str(POLL_REQUESTS)]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{target}"], capture_output=True, text=True, check=True
    ).stdout
    failed = FAILED.search(output)
    non_2xx = NON_2XX.search(output)
    if (failed and sum(map(int, failed.groups()))) or non_2xx:
        raise RuntimeError(f"polling {target}: requests failed or not answered 2xx:\n{output}")
    return int(COMPLETE.search(output).group(1)) / float(TAKEN.search(output).group(1))


def _ab() -> str:
    """ApacheBench, installed from Debian's packages when it is missing."""
    found = shutil.which("ab")
    if found is None:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "apache2-utils"], check=True)
        found = shutil.which("ab")
    if found is None:
        raise RuntimeError("no ApacheBench: apt-get install apache2-utils")
    return found


def section(timings: list[Timing], polled: list[Throughput], end: datetime) -> str:
    """The Markdown of the API figures, for the size's section of docs/benchmarks.md."""
    start = end - timedelta(days=30)
    rows = "\n".join(
        f"| `{timing.path}` | {timing.token} | {timing.status} | {timing.cold_ms:.1f}"
        f" | {timing.p50_ms:.1f} | {timing.p99_ms:.1f} |"
        for timing in timings
    )
    bare = polled[-1].requests_per_s
    polls = "\n".join(
        f"| `{poll.path}` | {poll.requests_per_s:.1f} | {100 * poll.requests_per_s / bare:.1f} % |"
        for poll in polled
    )
    return f"""
### API

`callstats serve` (gunicorn, {WORKERS} workers, each of which answers every endpoint once for
an all-scope token over the same window as it starts) on the published marts; window
{start:%Y-%m-%d %H:%M:%S} to {end:%Y-%m-%d %H:%M:%S} UTC; `org` is the token of the org with the
most calls, `all` an all-scope token; `{{agent_id}}` is that org's agent with the most calls. One
client: the first request, then p50 and p99 of {RUNS} more, each with its window one second
earlier, so none is a kept answer: each takes its whole periods' sums and its edge hours'
rows from what is kept per publication (docs/decisions.md, Whole periods kept, Edge hours
kept), which the all-scope token's warm-up had read and the org token's first request reads,
and reads the rest from the facts; a worker takes what another read from the answers they
share (Lasting answers shared by the workers).

| request | token | status | first ms | p50 ms | p99 ms |
|---|---|---|---|---|---|
{rows}

Polling throughput ({CLIENTS} concurrent clients on loopback, ApacheBench, at most
{POLL_SECONDS} s and {POLL_REQUESTS:,} requests each; `org` token; one URL per endpoint, as a
dashboard polls it, so each worker computes it once and then answers it from its kept answers;
every answer a 200, none revalidated), beside `/bare`, a bare Falcon endpoint under the same
gunicorn command:

| endpoint | requests/s | of bare |
|---|---|---|
{polls}
"""
