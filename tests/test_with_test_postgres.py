"""``scripts/with-test-postgres.sh``: the throw-away PostgreSQL that ``make test`` runs under.

A stopped run (Ctrl+C, a killed CI job) must not leave its server holding the port, or the next
run cannot start one; and a server that cannot start must say why (2026-12-03: a killed run left
one behind and the next ``make test`` ended in "pg_ctl: could not start server" and a log that had
already been deleted).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "with-test-postgres.sh"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(port: int, *command: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRIAGE_TEST_PG_PORT": str(port)}
    return subprocess.run(["bash", str(SCRIPT), *command], env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)


def test_the_command_sees_the_server_and_its_exit_status_is_kept() -> None:
    port = _free_port()
    r = _run(port, "bash", "-c", 'echo "$TRIAGE_TEST_PG_URL"; exit 3')
    assert r.returncode == 3, r.stderr
    assert r.stdout.strip() == f"postgresql+psycopg://triage@127.0.0.1:{port}/triage_test"


def test_a_terminated_run_frees_its_port_for_the_next() -> None:
    port = _free_port()
    env = {**os.environ, "TRIAGE_TEST_PG_PORT": str(port)}
    proc = subprocess.Popen(["bash", str(SCRIPT), "bash", "-c", "echo ready; sleep 120"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 143
    assert time.monotonic() - started < 30  # at once, not when the command would have ended
    r = _run(port, "true")
    assert r.returncode == 0, r.stderr


def test_a_server_that_cannot_start_says_why() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = int(busy.getsockname()[1])
        r = _run(port, "true")
    assert r.returncode == 1
    assert f"did not start on 127.0.0.1:{port}" in r.stderr
    assert "TRIAGE_TEST_PG_PORT" in r.stderr
    assert "Address already in use" in r.stderr
