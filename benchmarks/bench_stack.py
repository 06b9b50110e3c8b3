"""The multi-replica stack under concurrent clients: throughput and latency through nginx, and
what a kill -9 of one replica costs (failures, lost and duplicated audit records).

    python benchmarks/bench_stack.py --models-dir DIR [--replicas 2] [--clients 16]
        [--seconds 20] [--kill]

Brings up ``triage stack up``'s stack (its own PostgreSQL) on loopback in a temporary folder,
with a throw-away handler key, sends ``POST /v1/triage`` from ``--clients`` threads (each
request with its own ``request_id``; a failed one is retried once with the same id, as a CAD
system would), and prints the figures. With ``--kill``, replica-1 is killed (SIGKILL) a third of
the way through. Then every acknowledged suggestion is looked up in the audit store. The stack
is taken down (and its data deleted) at the end. The clients share the machine with the stack:
on a small machine they, not the stack, may be the limit.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import sqlalchemy as sa

from service.keys import add_key
from service.stack import StackConfig, down, free_port, up
from service.store_db import make_engine, suggestions

log = logging.getLogger("bench_stack")

REQUEST = {
    "narrative": "SYNTHETIC: male 40s found on floor of flat by officers, smells of alcohol, "
    "small cut to head, no LOC, talking normally",
    "incident_type": "concern_for_welfare",
    "age": 45,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, default=Path("models"))
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--kill", action="store_true", help="kill -9 replica-1 a third in")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)

    with tempfile.TemporaryDirectory(prefix="bench-stack-") as tmp:
        keys = Path(tmp) / "keys.json"
        key = add_key(keys, "bench", "handler")
        config = StackConfig(state_dir=Path(tmp) / "stack", models_dir=args.models_dir,
                             keys_file=keys, replicas=args.replicas, port=free_port(),
                             replica_env={"TRIAGE_RATE_LIMIT": "1000000/second"},
                             startup_seconds=300)
        state = up(config)
        try:
            run(state.url, state.db_url, key, args, state.replicas[0].pid)
        finally:
            down(config.state_dir, purge=True)


def run(url: str, db_url: str, key: str, args: argparse.Namespace, victim: int) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    lock = threading.Lock()
    latencies: list[float] = []
    first_failures: Counter[str] = Counter()
    final_failures: Counter[str] = Counter()
    acked: dict[str, str] = {}
    stop = threading.Event()

    def send(client: httpx.Client, body: dict[str, object]) -> tuple[str | None, str]:
        try:
            r = client.post("/v1/triage", json=body, headers=headers)
        except httpx.HTTPError as exc:
            return None, type(exc).__name__
        return (r.json()["id"], "200") if r.status_code == 200 else (None, str(r.status_code))

    def client_loop(n: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as client:
            i = 0
            while not stop.is_set():
                body = {**REQUEST, "request_id": f"B-{n}-{i}"}
                t0 = time.perf_counter()
                sid, status = send(client, body)
                if sid is None:
                    with lock:
                        first_failures[status] += 1
                    time.sleep(0.2)
                    sid, status = send(client, body)
                    if sid is None:
                        with lock:
                            final_failures[status] += 1
                if sid is not None:
                    with lock:
                        latencies.append(time.perf_counter() - t0)
                        acked[str(body["request_id"])] = sid
                i += 1

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(args.clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    if args.kill:
        time.sleep(args.seconds / 3)
        os.kill(victim, signal.SIGKILL)
        time.sleep(args.seconds * 2 / 3)
    else:
        time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    wall = time.perf_counter() - started

    engine = make_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(suggestions.c.request_id, suggestions.c.id)).all()
    engine.dispose()
    stored: dict[str, list[str]] = {}
    for rid, sid in rows:
        stored.setdefault(str(rid), []).append(sid)
    lost = [rid for rid, sid in acked.items() if sid not in stored.get(rid, [])]
    duplicated = [rid for rid, ids in stored.items() if len(ids) > 1]
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    log.info("%d replicas, %d clients, %.0f s%s: %d acknowledged (%.0f/s); p50 %.1f ms, p95 "
             "%.1f ms, p99 %.1f ms", args.replicas, args.clients, wall,
             ", replica-1 killed (SIGKILL) a third in" if args.kill else "", len(acked),
             len(acked) / wall, q[49] * 1e3, q[94] * 1e3, q[98] * 1e3)
    log.info("first attempts failed: %d %s; failed after the client's one retry: %d %s",
             sum(first_failures.values()), dict(first_failures), sum(final_failures.values()),
             dict(final_failures))
    log.info("audit store: %d rows; acknowledged but not stored: %d; request_ids stored twice: "
             "%d", len(rows), len(lost), len(duplicated))


if __name__ == "__main__":
    main()
