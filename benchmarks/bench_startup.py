"""Time from ``triage serve`` to ready (``/readyz`` 200), and where the start-up time goes.

Issue 14: a 300,000-row model must be ready within 2 s of ``triage serve`` starting. This
script, on a registry with a promoted model (``--models-dir``):

1. starts ``triage serve`` (one worker, SQLite audit store and keys file in a temporary folder)
   ``--rounds`` times, polling ``GET /readyz`` every 10 ms, and prints the seconds from the
   process's start to the first 200, each round and the median (the machine is shared: a
   neighbour's burst lands on one round, the median is the figure);
2. in a fresh interpreter, times the phases of a start: importing the service, reading and
   hash-checking the artifact, unpickling it, building the predictor (compiling the scorer, the
   rule tables, the spelling index, the look-alike table), the smoke check on the compiled
   scorer and the warm-up request; and, for comparison, the Pipeline's own smoke check
   (``predict_proba``), which serving ran before issue 14 and no longer does.

Build a 300,000-row model first (synthetic data only)::

    triage synth --rows 300000 --seed 11 --out /tmp/h300k.parquet
    TRIAGE_MODELS_DIR=/tmp/models300k triage train --data /tmp/h300k.parquet --promote
    .venv/bin/python benchmarks/bench_startup.py --models-dir /tmp/models300k

Target: median <= 2.0 s (issue 14).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger("bench_startup")

#: The phases of a start, timed in a fresh interpreter (printed as JSON on stdout).
_PHASES = r"""
import gc, json, sys, time
from pathlib import Path
gc.disable()  # as triage serve starts (triage.collector); the lifespan turns it back on
t = [time.perf_counter()]
import service.app  # noqa: F401  (what uvicorn imports)
from triage import registry
t.append(time.perf_counter())
models_dir = Path(sys.argv[1])
version = registry.resolve_version(models_dir, "current")
manifest = registry.read_manifest(models_dir, version)
path, data = registry.read_verified_artifact(models_dir, version, manifest)
t.append(time.perf_counter())
model = registry.unpickle_model(path, data)
t.append(time.perf_counter())
from triage.predictor import Predictor
p = Predictor(model, version)
t.append(time.perf_counter())
registry.check_runs(model, manifest, path, p.proba_records)  # as load_predictor does
t.append(time.perf_counter())
from service.state import WARM_UP_REQUEST
p.suggest(WARM_UP_REQUEST)
t.append(time.perf_counter())
registry.check_runs(model, manifest, path)  # the Pipeline's check, which serving no longer runs
t.append(time.perf_counter())
names = ["import service", "read + sha256", "unpickle", "Predictor()", "smoke check",
         "warm-up", "(Pipeline check)"]
json.dump({n: t[i + 1] - t[i] for i, n in enumerate(names)}, sys.stdout)
"""


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _triage_command() -> list[str]:
    script = Path(sys.executable).with_name("triage")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from triage_cli.main import main; main()"]


def time_to_ready(models_dir: Path, work: Path, timeout: float = 120.0) -> float:
    """Seconds from starting ``triage serve`` to its first ``/readyz`` 200."""
    from service.keys import add_key

    keys = work / "keys.json"
    if not keys.exists():
        add_key(keys, "bench", "handler")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env.update(
        TRIAGE_MODELS_DIR=str(models_dir),
        TRIAGE_KEYS_FILE=str(keys),
        TRIAGE_DB_URL=f"sqlite:///{work / f'audit-{port}.db'}",
        TRIAGE_LOG_LEVEL="warning",
    )
    logf = (work / f"serve-{port}.log").open("wb")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*_triage_command(), "serve", "--port", str(port)],
        cwd=work, env=env, stdout=logf, stderr=subprocess.STDOUT,
    )
    try:
        with httpx.Client(timeout=1.0) as client:
            while time.perf_counter() - t0 < timeout:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"triage serve exited: {(work / f'serve-{port}.log').read_text()}"
                    )
                try:
                    if client.get(f"http://127.0.0.1:{port}/readyz").status_code == 200:
                        return time.perf_counter() - t0
                except httpx.HTTPError:
                    pass
                time.sleep(0.01)
        raise RuntimeError(f"not ready within {timeout:.0f} s")
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        logf.close()


def phases(models_dir: Path) -> dict[str, float]:
    """Seconds of each phase of a start, in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _PHASES, str(models_dir)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models-dir", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    models_dir = args.models_dir.resolve()
    from triage.registry import read_manifest, resolve_version

    version = resolve_version(models_dir, "current")
    manifest = read_manifest(models_dir, version)
    data = manifest.get("data")
    rows = data.get("rows", {}).get("read") if isinstance(data, dict) else None
    artifact = next(models_dir.joinpath(version).glob("model.*"), None)
    size = artifact.stat().st_size / 1e6 if artifact is not None else float("nan")
    log.info("model %s (%s training rows, artifact %.1f MB)", version, rows, size)
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        for i in range(args.rounds):
            s = time_to_ready(models_dir, Path(tmp))
            times.append(s)
            log.info("round %d: ready %.2f s after triage serve started", i + 1, s)
    parts = phases(models_dir)
    for name, secs in parts.items():
        log.info("  phase %-16s %6.3f s", name, secs)
    load1, _, _ = os.getloadavg()
    log.info("machine load average (1 min): %.1f on %d CPUs", load1, os.cpu_count() or 0)
    median = statistics.median(times)
    log.info("ready after triage serve: median %.2f s, best %.2f s (target <= 2.0 s)",
             median, min(times))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
