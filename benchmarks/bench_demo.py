"""Time from ``triage demo`` to a working page on a fresh checkout (prints figures; asserts
nothing).

    .venv/bin/python benchmarks/bench_demo.py [--rows 60000] [--seed 7] [--runs 2]

Runs ``triage demo --port P`` in an empty temporary folder (so it is a fresh checkout as far as
the demo can tell: no models/, no var/, no TRIAGE_* variables), and measures until
``GET /readyz`` answers 200 and ``GET /`` serves the page: the first run generates SYNTHETIC
history, trains and promotes a model; later runs in the same folder reuse it. Prints each run's
wall-clock seconds and the CPU seconds the demo process used (a fairer figure on a busy
machine), then stops the demo.
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from rich.console import Console

console = Console(highlight=False)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(folder: Path, rows: int, seed: int, timeout: float) -> tuple[float, float, str]:
    """Start the demo, wait for the page, stop it; (wall seconds, cpu seconds, first line)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env["COLUMNS"] = "200"
    cpu_before = children_cpu()
    started = time.perf_counter()
    log = (folder / f"demo-{port}.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "triage_cli.main", "demo", "--port", str(port),
         "--rows", str(rows), "--seed", str(seed)],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    wall = float("nan")
    try:
        while time.perf_counter() - started < timeout:
            if proc.poll() is not None:
                raise RuntimeError(f"the demo exited with {proc.returncode}; see {log.name}")
            try:
                ready = httpx.get(base + "/readyz", timeout=2)
                if ready.status_code == 200 and httpx.get(base + "/", timeout=2).status_code == 200:
                    wall = time.perf_counter() - started
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError(f"no page within {timeout:.0f} s; see {log.name}")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    cpu = children_cpu() - cpu_before
    text = (folder / f"demo-{port}.log").read_text(encoding="utf-8")
    model_line = next((ln for ln in text.splitlines() if ln.startswith("Model:")), "")
    return wall, cpu, model_line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=60_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=2, help="The first is fresh, then reuse.")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    console.print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="triage-demo-bench-") as tmp:
        for i in range(args.runs):
            wall, cpu, model_line = one_run(Path(tmp), args.rows, args.seed, args.timeout)
            kind = "fresh checkout" if i == 0 else "re-run"
            console.print(
                f"run {i + 1} ({kind}, {args.rows:,} synthetic rows): page up in {wall:.1f} s "
                f"wall, {cpu:.1f} s CPU. {model_line}"
            )
    console.print(f"load average {os.getloadavg()[0]:.1f} at end")


if __name__ == "__main__":
    main()
