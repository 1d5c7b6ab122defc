"""schemathesis, every check, against the served /openapi.json: the document says what the API
accepts and answers (no 5xx, no valid request rejected, no invalid one accepted, every answer
and header as documented). Bounded: a fixed seed and a few examples per operation; the rules
that span two parameters are in schemathesis_hooks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow(cpu_s=150)

HERE = Path(__file__).parent


def test_schemathesis_finds_no_failure(server, tokens, tmp_path):
    command = [
        str(Path(sys.executable).parent / "st"), "run", f"{server}/openapi.json",
        "--checks", "all",
        "--header", f"Authorization: Bearer {tokens['org-a']}",
        "--max-examples", "5",
        "--seed", "20261130",
        "--generation-database", "none",
        "--no-color",
    ]  # fmt: skip
    result = subprocess.run(
        command,
        env={**os.environ, "SCHEMATHESIS_HOOKS": "schemathesis_hooks", "PYTHONPATH": str(HERE)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "No issues found" in result.stdout, result.stdout[-6000:]
    assert "Tested: 28" in result.stdout, result.stdout[-6000:]
