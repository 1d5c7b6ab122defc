"""Start the real command as a server process, and talk to it over HTTP."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def http_get(
    url: str, token: str | None = None, timeout: float = 10, headers: dict | None = None
) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@contextmanager
def running(*args: str, warehouse: Path, ready_url: str, env: dict | None = None):
    """Run `callstats ARGS` in its own process group until the block ends, once ready_url
    answers; yields the file its output goes to."""
    output = warehouse.with_name(f"{warehouse.stem}-{args[0]}.log")
    with output.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "callstats", *args],
            env={**os.environ, "CALLSTATS_WAREHOUSE": str(warehouse), **(env or {})},
            cwd=warehouse.parent,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_for(ready_url, process, output)
        yield output
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _wait_for(url: str, process: subprocess.Popen, output: Path) -> None:
    """Until `url` answers, the process having started (a demo builds first) within 15
    minutes on a busy machine; each try waits up to 30 s for an answer, so a slow first
    answer is not abandoned and asked for again."""
    deadline = time.monotonic() + 900
    while True:
        try:
            urllib.request.urlopen(url, timeout=30).close()
            return
        except OSError:  # refused, reset, or accepted but not yet answered
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"no answer at {url}:\n{output.read_text()}") from None
            time.sleep(0.2)
