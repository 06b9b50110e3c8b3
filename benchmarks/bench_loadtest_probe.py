"""Does the load generator measure the service or itself? locust's p50 beside an independent probe.

Issue 12 found ``triage loadtest --profile soak --scale 1000`` reporting p50 31 ms for
``POST /v1/triage`` while a client sending one request every 200 ms to the same service at the
same time saw 5.5 ms: the closed workload measured its own bursts. This runs one
``triage loadtest`` (as a subprocess, exactly as ops run it) against a running service and, for
the same time, a probe thread that sends one ``POST /v1/triage`` every ``--probe-interval``
seconds on its own keep-alive connection. Printed: locust's p50 / p99 for ``POST /v1/triage``,
the probe's, the service's own (from /metrics, when the load test reports it), the ratio
locust / probe, and the generator's CPU and lateness.

``--code-root DIR`` runs the load test from another checkout (e.g. the main branch before the
open workload) with this one's interpreter, to compare generators against the same service.

Usage: .venv/bin/python benchmarks/bench_loadtest_probe.py --host http://127.0.0.1:8000
       --key-file handler.key [--profile soak] [--scale 1000] [--duration 30] [--workers 0]
       [--code-root /path/to/other/checkout]
Loopback targets only (the load test refuses others). Synthetic data only.
"""

from __future__ import annotations

import argparse
import json
import os
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

from loadtests.payloads import generate  # noqa: E402
from loadtests.runner import ensure_loopback  # noqa: E402


def probe(url: str, key: str, interval: float, stop: threading.Event) -> list[float]:
    """Latencies (ms) of one POST /v1/triage every ``interval`` seconds until ``stop``."""
    pool = generate(200, 7)
    out: list[float] = []
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=url, timeout=10.0, follow_redirects=False) as client:
        i = 0
        next_at = time.monotonic()
        while not stop.is_set():
            body = {**pool[i % len(pool)], "request_id": f"PROBE-{os.getpid()}-{i}"}
            t0 = time.perf_counter()
            resp = client.post("/v1/triage", json=body, headers=headers)
            elapsed = (time.perf_counter() - t0) * 1000
            if resp.status_code == 200:
                out.append(elapsed)
            i += 1
            next_at += interval
            stop.wait(max(0.0, next_at - time.monotonic()))
    return out


def loadtest(args: argparse.Namespace, out: Path) -> dict[str, Any]:
    cmd = [
        sys.executable, "-c", "from triage_cli.main import main; main()", "loadtest",
        "--profile", args.profile, "--host", args.host, "--scale", str(args.scale),
        "--duration", str(args.duration), "--key-file", str(args.key_file),
        "--out", str(out), "--json",
    ]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    env = dict(os.environ)
    if args.code_root:
        env["PYTHONPATH"] = str(Path(args.code_root).resolve())
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                          timeout=args.duration + 180)
    lines = proc.stdout.strip().splitlines()
    if not lines:
        raise SystemExit(f"the load test printed nothing:\n{proc.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--key-file", type=Path, required=True)
    parser.add_argument("--profile", default="soak")
    parser.add_argument("--scale", type=float, default=1000)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--probe-interval", type=float, default=0.2)
    parser.add_argument("--code-root", default="")
    args = parser.parse_args()
    url = ensure_loopback(args.host)
    key = args.key_file.read_text(encoding="utf-8").strip()
    stop = threading.Event()
    probed: list[float] = []
    thread = threading.Thread(
        target=lambda: probed.extend(probe(url, key, args.probe_interval, stop)), daemon=True
    )
    thread.start()
    with tempfile.TemporaryDirectory(prefix="bench-probe-") as tmp:
        verdict = loadtest(args, Path(tmp))
    stop.set()
    thread.join()
    triage = next(e for e in verdict["endpoints"] if e["name"] == "POST /v1/triage")
    service = {r["name"]: r for r in verdict.get("service", [])}.get("POST /v1/triage")
    p50 = statistics.median(probed)
    figures = {
        "generator": "other checkout" if args.code_root else "this checkout",
        "profile": args.profile, "scale": args.scale, "duration_s": args.duration,
        "workers": args.workers, "requests": verdict["requests"],
        "achieved_actions_per_s": round(verdict["achieved_rate"], 2),
        "locust_p50_ms": triage["p50_ms"], "locust_p99_ms": triage["p99_ms"],
        "probe_requests": len(probed), "probe_p50_ms": round(p50, 1),
        "probe_p99_ms": round(quantile(probed, 0.99), 1),
        "service_p50_ms": None if service is None else service["p50_ms"],
        "service_p99_ms": None if service is None else service["p99_ms"],
        "locust_over_probe_p50": round(triage["p50_ms"] / p50, 2),
        "generator_cpu_max": verdict.get("generator_cpu_max"),
        "arrivals": verdict.get("arrivals"),
        "notes": verdict.get("notes"),
    }
    sys.stdout.write(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
