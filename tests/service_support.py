"""Running the REAL service under uvicorn, in a subprocess on a free loopback port, for tests.

Each server gets its own models folder, SQLite (or PostgreSQL) audit store and keys file, all in
a tmp dir, and its stderr (the JSON logs) goes to a file the test can read.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import orjson

from service.keys import add_key
from service.store import SuggestionRow, new_id
from triage.files import atomic_write
from triage.schema import TriageRequest

ROOT = Path(__file__).resolve().parents[1]
#: Generous: a 2-core machine shared by several test runs took over 60 s to import and load.
STARTUP_SECONDS = 180.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Keys:
    handler: str
    analyst: str
    admin: str

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, role)}"}


@dataclass
class ServerEnv:
    """Where one server keeps its state (all under ``root``)."""

    root: Path
    models_dir: Path
    db_url: str
    keys_file: Path
    keys: Keys
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def db_path(self) -> Path:
        return Path(self.db_url.removeprefix("sqlite:///"))

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
        env.update(
            TRIAGE_MODELS_DIR=str(self.models_dir),
            TRIAGE_DB_URL=self.db_url,
            TRIAGE_KEYS_FILE=str(self.keys_file),
            TRIAGE_LOG_LEVEL="info",
            PYTHONUNBUFFERED="1",
        )
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        env.update(self.extra_env)
        return env


def make_env(root: Path, models_src: Path | None, db_url: str | None = None) -> ServerEnv:
    """A private copy of the registry ``models_src`` (None: an empty registry), a fresh store
    and three keys (handler, analyst, admin)."""
    root.mkdir(parents=True, exist_ok=True)
    models_dir = root / "models"
    if models_src is not None:
        shutil.copytree(models_src, models_dir)
    else:
        models_dir.mkdir()
    keys_file = root / "keys.json"
    keys = Keys(
        handler=add_key(keys_file, "desk-1", "handler"),
        analyst=add_key(keys_file, "analyst-1", "analyst"),
        admin=add_key(keys_file, "ops-admin", "admin"),
    )
    return ServerEnv(
        root=root,
        models_dir=models_dir,
        db_url=db_url or f"sqlite:///{root / 'var' / 'triage.db'}",
        keys_file=keys_file,
        keys=keys,
        # Tests drive one key far faster than any control room; the rate limit has its own
        # tests (test_hardening_service.py), which set it low.
        extra_env={"TRIAGE_RATE_LIMIT": "100000/second"},
    )


@dataclass
class Server:
    env: ServerEnv
    proc: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, timeout: float = 30.0) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=timeout)

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.logs().splitlines() if line.strip()]

    def kill9(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)


def _healthy(url: str) -> bool:
    return httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200


def start_server(
    env: ServerEnv,
    name: str = "server",
    *,
    serve_args: Sequence[str] | None = None,
    ready: Callable[[str], bool] = _healthy,
    extra_env: Mapping[str, str] | None = None,
    startup_seconds: float = STARTUP_SECONDS,
) -> Server:
    """THE way a test starts the service; returns once ``ready(url)`` holds.

    By default uvicorn with the app factory (``service.app:create_app``), ready when /healthz
    answers 200. With ``serve_args`` the ``triage serve`` command instead (``--host`` and
    ``--port`` are set here; pass ``--workers N`` and the like), as an operator runs it.
    ``ready`` may raise ``httpx.HTTPError`` while the server is not up yet. A port taken
    between choosing and binding is retried on another.
    """
    last_error = ""
    for _attempt in range(3):
        port = free_port()
        log_path = env.root / f"{name}-{port}.log"
        if serve_args is None:
            command = [sys.executable, "-m", "uvicorn", "service.app:create_app", "--factory",
                       "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
                       "--log-level", "info"]
        else:
            command = [str(Path(sys.executable).with_name("triage")), "serve", "--host",
                       "127.0.0.1", "--port", str(port), *serve_args]
        with log_path.open("wb") as log_fh:
            proc = subprocess.Popen(command, cwd=ROOT, env={**env.env(), **(extra_env or {})},
                                    stdout=log_fh, stderr=subprocess.STDOUT)
        server = Server(env, proc, port, log_path)
        deadline = time.monotonic() + startup_seconds
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                last_error = server.logs()[-3000:]
                break
            try:
                if ready(server.url):
                    return server
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        else:
            server.stop()
            raise RuntimeError(f"server not ready in {startup_seconds}s:\n{server.logs()}")
        if "address already in use" not in last_error.lower():
            break
    raise RuntimeError(f"server exited during startup:\n{last_error}")


@contextmanager
def running(env: ServerEnv, name: str = "server", **options: Any) -> Iterator[Server]:
    """``start_server`` (same options) for a ``with`` block; stopped at its end."""
    server = start_server(env, name, **options)
    try:
        yield server
    finally:
        server.stop()


def current_version(models_dir: Path) -> str:
    return (models_dir / "current").read_text(encoding="utf-8").strip()


def clone_version(models_dir: Path, source: str, new_version: str) -> None:
    """Register a copy of ``source`` under ``new_version`` (same artifact, manifest renamed):
    a second, valid version to reload to."""
    src = models_dir / source
    dst = models_dir / new_version
    shutil.copytree(src, dst)
    manifest_path = dst / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["version"] = new_version
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


def point_current(models_dir: Path, version: str) -> None:
    atomic_write(models_dir / "current", version + "\n", mode=0o644)


SAMPLE_REQUEST: dict[str, Any] = {
    "narrative": "SYNTHETIC: male 40s found on floor of flat by officers, smells of alcohol, "
    "small cut to head, no LOC, talking normally",
    "incident_type": "concern_for_welfare",
    "age": 45,
    "conscious": "yes",
    "breathing": "normal",
}


#: Bounds of the load runs (requests per thread and seconds).
LOAD_REQUESTS = 400
LOAD_SECONDS = 60.0


class Load:
    """Threads sending POST /v1/triage until told to stop (bounded by count and time),
    recording every status and the ids of the suggestions answered 200."""

    def __init__(self, server: Server, threads: int = 2) -> None:
        self.server = server
        self.statuses: Counter[object] = Counter()
        self.ids: list[str] = []
        self.versions: Counter[str] = Counter()
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]

    def _run(self) -> None:
        headers = self.server.env.keys.auth("handler")
        deadline = time.monotonic() + LOAD_SECONDS
        with httpx.Client(base_url=self.server.url, timeout=30.0) as client:
            for _ in range(LOAD_REQUESTS):
                if self._stop.is_set() or time.monotonic() > deadline:
                    return
                try:
                    r = client.post("/v1/triage", json=SAMPLE_REQUEST, headers=headers)
                except httpx.HTTPError as exc:
                    with self._lock:
                        self.statuses[type(exc).__name__] += 1
                        self.errors.append(repr(exc))
                    if self._stop.is_set():
                        return
                    continue
                with self._lock:
                    self.statuses[r.status_code] += 1
                    if r.status_code == 200:
                        body = r.json()
                        self.ids.append(body["id"])
                        self.versions[body["model_version"]] += 1

    def __enter__(self) -> Load:
        for t in self._threads:
            t.start()
        return self

    def wait_for(self, n: int) -> None:
        deadline = time.monotonic() + LOAD_SECONDS
        while time.monotonic() < deadline:
            with self._lock:
                if sum(self.statuses.values()) >= n:
                    return
            time.sleep(0.01)

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=LOAD_SECONDS)

    def __exit__(self, *exc: object) -> None:
        self.stop()


def sample_row(
    *, sid: str | None = None, when: datetime | None = None, request: TriageRequest | None = None,
    suggestion: str = "deploy",
) -> SuggestionRow:
    req = request or TriageRequest(narrative="SYNTHETIC: female 70s fallen, on floor, c/b")
    return SuggestionRow(
        id=sid or new_id(),
        created_at=when or datetime.now(UTC),
        key_name="desk-1",
        model_version="20261121T230000Z-abcdef",
        request_json=req.model_dump_json(exclude_none=True),
        suggestion=suggestion,
        model_suggestion="clinical_advice",
        overridden=suggestion == "deploy",
        probabilities_json=orjson.dumps(
            {"hear_and_treat": 0.2, "clinical_advice": 0.5, "deploy": 0.3}
        ).decode(),
        red_flags_json="[]",
        reasons_json='["synthetic"]',
        latency_ms=0.5,
    )
