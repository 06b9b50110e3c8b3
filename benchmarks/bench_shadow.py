"""What shadow running costs the caller: POST /v1/triage latency with and without a shadow.

The real service (uvicorn, one worker, SQLite audit) is started twice on loopback from the same
registry: once serving alone, once with ``TRIAGE_SHADOW_VERSION`` set. Each run sends the same
bounded load (a fixed number of synthetic requests from a fixed number of keep-alive
connections) and the client measures every request's latency. Runs alternate (off, on, off, on)
so that a busy machine affects both alike. Printed: p50, p95 and p99 per run and the p99
difference, and how many requests the shadow scored or dropped.

Usage: .venv/bin/python benchmarks/bench_shadow.py --models-dir DIR --shadow VERSION
       [--requests 2000] [--concurrency 8] [--rounds 2]
The registry needs a promoted model and the shadow version registered. Synthetic data only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.keys import add_key  # noqa: E402
from triage.history.synth import generate  # noqa: E402
from triage.schema import TriageRequest  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bodies(n: int) -> list[bytes]:
    frame = generate(n, 99)
    fields = [f for f in TriageRequest.model_fields if f in frame.columns]
    return [TriageRequest.model_validate(r).model_dump_json(exclude_none=True).encode()
            for r in frame.select(fields).iter_rows(named=True)]


def run(models_dir: Path, shadow: str | None, payloads: list[bytes], concurrency: int
        ) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="bench-shadow-"))
    key = add_key(work / "keys.json", "bench", "handler")
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env.update(TRIAGE_MODELS_DIR=str(models_dir), TRIAGE_DB_URL=f"sqlite:///{work / 'a.db'}",
               TRIAGE_KEYS_FILE=str(work / "keys.json"), TRIAGE_LOG_LEVEL="warning")
    if shadow:
        env["TRIAGE_SHADOW_VERSION"] = shadow
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "service.app:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("the service did not become ready")
        latencies: list[float] = []
        lock = threading.Lock()
        headers = {"Authorization": f"Bearer {key}", "content-type": "application/json"}

        def worker(chunk: list[bytes]) -> None:
            with httpx.Client(base_url=url, timeout=30) as c:
                for body in chunk:
                    t0 = time.perf_counter()
                    r = c.post("/v1/triage", content=body, headers=headers)
                    dt = time.perf_counter() - t0
                    if r.status_code != 200:
                        raise RuntimeError(f"status {r.status_code}: {r.text[:200]}")
                    with lock:
                        latencies.append(dt)

        threads = [threading.Thread(target=worker, args=(payloads[i::concurrency],))
                   for i in range(concurrency)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        time.sleep(1.0)
        metrics = httpx.get(url + "/metrics", timeout=10).text
        scored = sum(float(v) for v in re.findall(
            r"^triage_shadow_suggestions_total\{[^}]*\} ([0-9.]+)$", metrics, re.M))
        dropped = sum(float(v) for v in re.findall(
            r"^triage_shadow_dropped_total ([0-9.]+)$", metrics, re.M))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    q = statistics.quantiles(latencies, n=100)
    return {"shadow": shadow is not None, "n": len(latencies), "rps": len(latencies) / elapsed,
            "p50_ms": q[49] * 1000, "p95_ms": q[94] * 1000, "p99_ms": q[98] * 1000,
            "shadow_scored": scored, "shadow_dropped": dropped}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models-dir", type=Path, required=True)
    ap.add_argument("--shadow", required=True, help="The registered version to shadow with.")
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    payloads = bodies(args.requests)
    results = []
    for _ in range(args.rounds):
        for shadow in (None, args.shadow):
            r = run(args.models_dir, shadow, payloads, args.concurrency)
            results.append(r)
            sys.stderr.write(json.dumps(r) + "\n")
    off = [r["p99_ms"] for r in results if not r["shadow"]]
    on = [r["p99_ms"] for r in results if r["shadow"]]
    summary = {"p99_ms_without_shadow": statistics.median(off),
               "p99_ms_with_shadow": statistics.median(on),
               "p99_cost_ms": statistics.median(on) - statistics.median(off),
               "requests": args.requests, "concurrency": args.concurrency,
               "rounds": args.rounds, "runs": results}
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
