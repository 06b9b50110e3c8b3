"""Driving the real stack (``triage stack up``: nginx, replicas, PostgreSQL) in tests: bounded
traffic through nginx that keeps every answer, and the audit store's view of it."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from service_support import SAMPLE_REQUEST

from service.store import AuditStore

#: Bounds of one traffic run (per thread, and in seconds).
TRAFFIC_REQUESTS = 600
TRAFFIC_SECONDS = 90.0


@dataclass
class Answer:
    request_id: str
    status: int | str  # an HTTP status, or the client error's name
    suggestion_id: str | None = None
    model_version: str | None = None
    upstream: str | None = None
    attempt: int = 1
    body: dict[str, Any] | None = None


@dataclass
class Traffic:
    """Threads sending ``POST /v1/triage`` through nginx, each with its own ``request_id``,
    until stopped (bounded by count and time). A request that fails is retried ONCE with the
    same request_id (what a CAD system does), so the answers show both what failed at first and
    what a caller finally got."""

    url: str
    headers: dict[str, str]
    threads: int = 2
    answers: list[Answer] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[threading.Thread] = field(default_factory=list)

    def _send(self, client: httpx.Client, body: dict[str, Any], attempt: int) -> Answer:
        rid = body["request_id"]
        try:
            r = client.post("/v1/triage", json=body, headers=self.headers)
        except httpx.HTTPError as exc:
            return Answer(rid, type(exc).__name__, attempt=attempt)
        if r.status_code != 200:
            return Answer(rid, r.status_code, upstream=r.headers.get("x-upstream"),
                          attempt=attempt)
        data = r.json()
        return Answer(rid, 200, data["id"], data["model_version"], r.headers.get("x-upstream"),
                      attempt, data)

    def _run(self, n: int) -> None:
        deadline = time.monotonic() + TRAFFIC_SECONDS
        with httpx.Client(base_url=self.url, timeout=30.0) as client:
            for i in range(TRAFFIC_REQUESTS):
                if self._stop.is_set() or time.monotonic() > deadline:
                    return
                body = {**SAMPLE_REQUEST, "request_id": f"LOAD-{n}-{i}"}
                answer = self._send(client, body, 1)
                with self._lock:
                    self.answers.append(answer)
                if answer.status != 200:
                    time.sleep(0.2)
                    retry = self._send(client, body, 2)
                    with self._lock:
                        self.answers.append(retry)

    def __enter__(self) -> Traffic:
        self._workers = [threading.Thread(target=self._run, args=(n,), daemon=True)
                         for n in range(self.threads)]
        for t in self._workers:
            t.start()
        return self

    def acknowledged(self) -> list[Answer]:
        with self._lock:
            return [a for a in self.answers if a.status == 200]

    def wait_for(self, n: int, seconds: float = TRAFFIC_SECONDS) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and len(self.acknowledged()) < n:
            time.sleep(0.02)
        if len(self.acknowledged()) < n:
            raise AssertionError(f"only {len(self.acknowledged())} of {n} answers in {seconds} "
                                 f"s: {Counter(a.status for a in self.answers)}")

    def stop(self) -> None:
        self._stop.set()
        for t in self._workers:
            t.join(timeout=TRAFFIC_SECONDS)

    def __exit__(self, *exc: object) -> None:
        self.stop()


def stored_by_request_id(db_url: str) -> dict[str, list[str]]:
    """Every stored suggestion id, by the request_id it was stored under."""
    import sqlalchemy as sa

    from service.store_db import suggestions

    store = AuditStore(db_url)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(sa.select(suggestions.c.request_id, suggestions.c.id)).all()
    finally:
        store.engine.dispose()
    out: dict[str, list[str]] = {}
    for request_id, sid in rows:
        out.setdefault(str(request_id), []).append(sid)
    return out
