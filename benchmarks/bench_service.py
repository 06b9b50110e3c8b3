"""Throughput of POST /v1/triage against a baseline and a naive implementation, in ONE run.

Servers with one worker each, on free loopback ports, each measured in turn (never at
the same time) by the same bounded load generator (a fixed number of requests, a time limit,
a fixed number of concurrent keep-alive connections):

(a) ``product``: the service itself (``service.app:create_app``): key check, validation, the
    predictor, the audit write committed (SQLite WAL, synchronous=FULL) before the answer.
(b) ``baseline``: validates the same body (``TriageRequest``) and returns a constant: the floor
    set by uvicorn + FastAPI + pydantic on this machine.
(c) ``naive``: builds a one-row pandas DataFrame from the request (converted to polars, which is
    what the pipeline reads) and calls ``pipeline.predict_proba``, per request: the way a model
    is often first served.
(d) ``product-async``: the product app plus a variant of the triage route doing the same work
    but awaiting its commit with ``asyncio.wrap_future`` (one loop wake-up per request), to
    compare with the product's route, which awaits through ``service.audit_wait`` (one loop
    wake-up per committed group).
(e) ``no-audit``: the product's route without the audit write, to show what the audit costs
    (a diagnostic: the service never answers without recording).
(f) with Granian installed (``pip install granian``), ``baseline-granian`` and
    ``product-granian``: the same two apps under Granian's Rust HTTP core instead of uvicorn
    (uvloop + httptools, as ``triage serve`` runs it).
(g) with ``--mlserver PATH``: MLServer 1.7 (scikit-learn runtime) serving the same naive
    Pipeline (V2 inference protocol, pandas content type, ``predict_proba``), from its own
    environment: ``python -m venv .venv-mlserver && .venv-mlserver/bin/pip install
    "mlserver==1.7.1" "mlserver-sklearn==1.7.1" -e .`` (it pins fastapi<0.116, so it cannot be an
    extra of this project).

Targets: product >= 0.35 x baseline (issue 14; issue 5 had 0.6) and >= 15 x naive. Also
printed: ``Predictor.suggest`` median (us) and ``suggest_many`` on 1,000 requests (ms), in
process.

The baseline, naive, async and no-audit apps exist only here, never in the product.

Usage: .venv/bin/python benchmarks/bench_service.py [--models-dir models] [--requests 3000]
       [--concurrency 16] [--seconds 60] [--mlserver .venv-mlserver/bin/mlserver]
The registry needs a promoted model (``triage train --data FILE --promote``). Synthetic data only.
"""

# No ``from __future__ import annotations`` here: the comparison apps import their types inside
# their factories, and FastAPI must resolve the route annotations from those local names.
import argparse
import asyncio
import json
import logging
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

log = logging.getLogger("bench_service")


# ---------------------------------------------------------------------------------------------
# The comparison apps (uvicorn imports these factories from this file in a subprocess)
# ---------------------------------------------------------------------------------------------


def baseline_app() -> Any:
    """Validates the same body as POST /v1/triage and returns a constant."""
    from fastapi import FastAPI

    from service.responses import OrjsonResponse
    from triage.schema import TriageRequest

    app = FastAPI()
    constant = {"suggestion": "deploy"}

    @app.post("/v1/triage")
    async def triage(request: TriageRequest) -> OrjsonResponse:
        return OrjsonResponse(constant)

    return app


def naive_app() -> Any:
    """One-row pandas DataFrame per request, then pipeline.predict_proba."""
    import pandas as pd
    import polars as pl
    from fastapi import FastAPI

    from triage.registry import load_model
    from triage.schema import DISPOSITIONS, TriageRequest

    model, _manifest = load_model(Path(os.environ["TRIAGE_MODELS_DIR"]))
    app = FastAPI()

    @app.post("/v1/triage")
    def triage(request: TriageRequest) -> dict[str, Any]:
        frame = pd.DataFrame([request.model_dump()])
        proba = model.pipeline.predict_proba(pl.from_pandas(frame))[0]
        return {d.value: float(p) for d, p in zip(DISPOSITIONS, proba, strict=True)}

    return app


def product_async_app() -> Any:
    """The product app plus ``POST /v1/triage-async``: the same work as the product's route,
    the audit commit awaited per request with ``asyncio.wrap_future``."""
    import asyncio
    import uuid
    from time import perf_counter

    from service.app import create_app
    from service.deps import HandlerKey, ServingDep, StateDep
    from service.responses import OrjsonResponse
    from service.routers.triage import audit_row, suggestion_body
    from triage.schema import TriageRequest

    app = create_app()

    @app.post("/v1/triage-async")
    async def triage_async(
        request: TriageRequest, principal: HandlerKey, serving: ServingDep, state: StateDep
    ) -> OrjsonResponse:
        t0 = perf_counter()
        s = serving.predictor.suggest(request)
        body = suggestion_body(str(uuid.uuid4()), s, (perf_counter() - t0) * 1000.0)
        row = audit_row(body, request, principal, datetime.now(UTC), None)
        await asyncio.wrap_future(state.store.add_suggestions([row]))
        state.metrics.observe_suggestion(s)
        return OrjsonResponse(body)

    return app


def product_no_audit_app() -> Any:
    """The product app plus ``POST /v1/triage-no-audit``: the product's route WITHOUT the audit
    write (never acceptable in service: it exists to show what the audit costs)."""
    import uuid
    from time import perf_counter

    from service.app import create_app
    from service.deps import HandlerKey, ServingDep, StateDep
    from service.responses import OrjsonResponse
    from service.routers.triage import suggestion_body
    from triage.schema import TriageRequest

    app = create_app()

    @app.post("/v1/triage-no-audit")
    def triage_no_audit(
        request: TriageRequest, principal: HandlerKey, serving: ServingDep, state: StateDep
    ) -> OrjsonResponse:
        t0 = perf_counter()
        s = serving.predictor.suggest(request)
        body = suggestion_body(str(uuid.uuid4()), s, (perf_counter() - t0) * 1000.0)
        state.metrics.observe_suggestion(s)
        return OrjsonResponse(body)

    return app


# ---------------------------------------------------------------------------------------------
# Servers and the load generator
# ---------------------------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Target:
    name: str
    factory: str
    path: str
    requests: int
    server: str = "uvicorn"  # or "granian"


#: The naive pipeline served by MLServer (its scikit-learn runtime), and the request fields
#: it is sent (the features' fields: MLServer's pandas codec builds the one-row frame).
MLSERVER_MODEL = "triage-naive"
MLSERVER_FIELDS = ("narrative", "incident_type", "age", "sex", "conscious", "breathing",
                   "bleeding", "officer_on_scene", "location_type")


def mlserver_folder(workdir: Path, port: int, models_dir: Path) -> Path:
    """An MLServer model repository holding the served model's Pipeline (joblib), one
    in-process worker (``parallel_workers: 0``), on free ports."""
    import joblib

    from triage.registry import load_model

    folder = workdir / "mlserver"
    folder.mkdir(exist_ok=True)
    model, _manifest = load_model(models_dir)
    joblib.dump(model.pipeline, folder / "model.joblib")
    (folder / "settings.json").write_text(json.dumps({
        "http_port": port, "grpc_port": free_port(), "metrics_port": free_port(),
        "parallel_workers": 0, "debug": False,
    }))
    (folder / "model-settings.json").write_text(json.dumps({
        "name": MLSERVER_MODEL, "implementation": "mlserver_sklearn.SKLearnModel",
        "parameters": {"uri": "./model.joblib"},
    }))
    return folder


def mlserver_body(request: dict[str, Any]) -> bytes:
    """A V2 inference request for one triage request (pandas content type, predict_proba)."""
    inputs = []
    for name in MLSERVER_FIELDS:
        value = request.get(name)
        if value is None:
            continue
        if isinstance(value, bool):
            inputs.append({"name": name, "shape": [1], "datatype": "BOOL", "data": [value]})
        elif isinstance(value, int):
            inputs.append({"name": name, "shape": [1], "datatype": "INT64", "data": [value]})
        else:
            inputs.append({"name": name, "shape": [1], "datatype": "BYTES", "data": [str(value)],
                           "parameters": {"content_type": "str"}})
    return json.dumps({"inputs": inputs, "parameters": {"content_type": "pd"},
                       "outputs": [{"name": "predict_proba"}]}).encode()


def server_command(target: Target, port: int) -> list[str]:
    """uvicorn with uvloop and httptools (what ``triage serve`` runs), Granian (a Rust HTTP
    core, ASGI interface, uvloop), or MLServer (``target.factory`` is its executable and the
    model folder): one worker each."""
    if target.server == "mlserver":
        return target.factory.split("\0")
    if target.server == "granian":
        return [str(Path(sys.executable).with_name("granian")), "--interface", "asgi",
                "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--loop",
                "uvloop", "--log-level", "warning", "--no-access-log", "--factory",
                target.factory]
    return [sys.executable, "-m", "uvicorn", target.factory, "--factory", "--host", "127.0.0.1",
            "--port", str(port), "--workers", "1", "--loop", "uvloop", "--http", "httptools",
            "--no-access-log", "--log-level", "warning", "--app-dir", str(HERE)]


def start(target: Target, env: dict[str, str], workdir: Path,
          port: int | None = None) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port() if port is None else port
    logf = (workdir / f"{target.name}.log").open("wb")
    proc = subprocess.Popen(
        server_command(target, port), cwd=ROOT, env=env, stdout=logf, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log_text = (workdir / f"{target.name}.log").read_text()
            raise RuntimeError(f"{target.name} exited: {log_text}")
        ready = "/v2/health/ready" if target.server == "mlserver" else "/docs"
        try:
            if httpx.get(f"http://127.0.0.1:{port}{ready}", timeout=1.0).status_code == 200:
                return proc, port
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{target.name} did not start")


def http_request(path: str, body: bytes, key: str | None) -> bytes:
    head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json",
            f"Content-Length: {len(body)}"]
    if key:
        head.append(f"Authorization: Bearer {key}")
    return ("\r\n".join(head) + "\r\n\r\n").encode() + body


async def one_connection(port: int, payloads: list[bytes], counter: list[int], total: int,
                         deadline: float, latencies: list[float], statuses: dict[int, int]
                         ) -> None:
    """A keep-alive HTTP/1.1 connection sending requests one after another (a minimal client:
    the generator must cost far less CPU than the servers it measures)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while counter[0] < total and time.perf_counter() < deadline:
            i = counter[0]
            counter[0] += 1
            t0 = time.perf_counter()
            writer.write(payloads[i % len(payloads)])
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def drive(port: int, payloads: list[bytes], total: int, concurrency: int,
                seconds: float) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counter = [0]
    t0 = time.perf_counter()
    await asyncio.gather(*(
        one_connection(port, payloads, counter, total, t0 + seconds, latencies, statuses)
        for _ in range(concurrency)
    ))
    elapsed = time.perf_counter() - t0
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[int(len(latencies) * 0.99) - 1],
        "statuses": statuses,
    }


def synthetic_requests(n: int) -> list[dict[str, Any]]:
    from triage.history.synth import generate
    from triage.schema import TriageRequest

    frame = generate(n, seed=7)
    fields = set(TriageRequest.model_fields)
    # no request_id: the payloads are sent over and over, and a repeated request_id is a retry
    # (the product answers it from the stored row; the plain insert of product-async refuses it)
    fields.discard("request_id")
    out = []
    for row in frame.iter_rows(named=True):
        req = {k: v for k, v in row.items() if k in fields and v is not None}
        req["received_at"] = req["received_at"].isoformat()
        out.append(json.loads(TriageRequest.model_validate(req).model_dump_json(
            exclude_none=True)))
    return out


def in_process(models_dir: Path, requests: list[dict[str, Any]]) -> dict[str, float]:
    from triage.registry import load_predictor
    from triage.schema import TriageRequest

    predictor = load_predictor(models_dir)
    reqs = [TriageRequest.model_validate(r) for r in requests]
    for r in reqs[:200]:
        predictor.suggest(r)
    times = []
    for r in reqs:
        t0 = time.perf_counter_ns()
        predictor.suggest(r)
        times.append(time.perf_counter_ns() - t0)
    batch = (reqs * (1000 // len(reqs) + 1))[:1000]
    many = []
    for _ in range(5):
        t0 = time.perf_counter()
        predictor.suggest_many(batch)
        many.append(time.perf_counter() - t0)
    return {"suggest_median_us": statistics.median(times) / 1000,
            "suggest_p99_us": sorted(times)[int(len(times) * 0.99)] / 1000,
            "suggest_many_1000_ms": 1000 * statistics.median(many)}


def _targets(args: argparse.Namespace, work: Path, models_dir: Path, ml_port: int
             ) -> list[Target]:
    """Every server measured: the echo baseline, the product, its variants, the naive one."""
    targets = [
        Target("baseline", "bench_service:baseline_app", "/v1/triage", args.requests),
        Target("product", "service.app:create_app", "/v1/triage", args.requests),
    ]
    if shutil.which("granian") or Path(sys.executable).with_name("granian").exists():
        targets += [
            Target("baseline-granian", "bench_service:baseline_app", "/v1/triage",
                   args.requests, "granian"),
            Target("product-granian", "service.app:create_app", "/v1/triage",
                   args.requests, "granian"),
        ]
    else:
        log.info("granian is not installed (pip install granian): its rows are skipped")
    targets += [
        Target("product-async", "bench_service:product_async_app", "/v1/triage-async",
               args.requests),
        Target("no-audit", "bench_service:product_no_audit_app", "/v1/triage-no-audit",
               args.requests),
        Target("naive", "bench_service:naive_app", "/v1/triage", args.naive_requests),
    ]
    if args.mlserver is not None:
        folder = mlserver_folder(work, ml_port, models_dir)
        targets.append(Target("mlserver", f"{args.mlserver}\0start\0{folder}",
                              f"/v2/models/{MLSERVER_MODEL}/infer", args.naive_requests,
                              "mlserver"))
    return targets


def _measure(targets: list[Target], args: argparse.Namespace, env: dict[str, str], work: Path,
             key: str, requests: list[dict[str, Any]], ml_port: int
             ) -> dict[str, list[dict[str, Any]]]:
    """Start every target, then drive them in rounds; each target's figures per round."""
    servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
    rounds: dict[str, list[dict[str, Any]]] = {t.name: [] for t in targets}
    try:
        for target in targets:
            env["TRIAGE_DB_URL"] = f"sqlite:///{work / f'audit-{target.name}.db'}"
            servers[target.name] = start(
                target, env, work, ml_port if target.server == "mlserver" else None
            )
        # Targets are measured one at a time, in rounds (a b c d, a b c d, ...), so that a
        # change in the machine's load during the run hits every target alike; each
        # target's figure is its median round.
        for n in range(args.rounds):
            for target in targets:
                _proc, port = servers[target.name]
                payloads = [
                    http_request(target.path, mlserver_body(r), None)
                    if target.server == "mlserver"
                    else http_request(target.path, json.dumps(r).encode(), key)
                    for r in requests
                ]
                asyncio.run(drive(port, payloads, 100, args.concurrency, args.seconds))
                r = asyncio.run(drive(port, payloads, target.requests, args.concurrency,
                                      args.seconds))
                rounds[target.name].append(r)
                log.info("round %d %-13s %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (%d "
                         "requests in %.1f s, statuses %s)", n + 1, target.name, r["rps"],
                         r["p50_ms"], r["p99_ms"], r["requests"], r["seconds"],
                         r["statuses"])
    finally:
        for proc, _port in servers.values():
            proc.terminate()
            proc.wait(timeout=30)
    return rounds


def _summarise(results: dict[str, dict[str, Any]], figures: dict[str, float]) -> None:
    prod, base, naive = results["product"], results["baseline"], results["naive"]
    log.info("product / baseline (echo) = %.2f (target >= 0.35, issue 14)",
             prod["rps"] / base["rps"])
    log.info("product / naive    = %.1f (target >= 15)", prod["rps"] / naive["rps"])
    if "mlserver" in results:
        log.info("product / MLServer = %.1f (target >= 15); MLServer / naive = %.2f",
                 prod["rps"] / results["mlserver"]["rps"],
                 results["mlserver"]["rps"] / naive["rps"])
    else:
        log.info("MLServer not measured (--mlserver PATH): compare with the naive server")
    if "product-granian" in results:
        pg, bg = results["product-granian"], results["baseline-granian"]
        log.info("granian: product / uvicorn product = %.2f; echo / uvicorn echo = %.2f; "
                 "product / echo under granian = %.2f", pg["rps"] / prod["rps"],
                 bg["rps"] / base["rps"], pg["rps"] / bg["rps"])
    log.info("product route / per-request wrap_future route = %.2f",
             prod["rps"] / results["product-async"]["rps"])
    log.info("product / no-audit = %.2f (what committing every suggestion first costs)",
             prod["rps"] / results["no-audit"]["rps"])
    log.info("in process: Predictor.suggest median %.0f us (p99 %.0f us); suggest_many(1000) "
             "%.1f ms", figures["suggest_median_us"], figures["suggest_p99_us"],
             figures["suggest_many_1000_ms"])


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models-dir", type=Path, default=Path(os.environ.get("TRIAGE_MODELS_DIR",
                                                                            "models")))
    ap.add_argument("--requests", type=int, default=3000)
    ap.add_argument("--naive-requests", type=int, default=600)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--mlserver", type=Path, default=None,
                    help="the mlserver executable of a separate environment (MLServer 1.7 pins "
                    "fastapi<0.116, so it cannot share this one): adds the naive pipeline under "
                    "MLServer's scikit-learn runtime")
    args = ap.parse_args()

    from service.keys import add_key
    from triage.registry import RegistryError, resolve_version

    models_dir = args.models_dir.resolve()
    try:
        version = resolve_version(models_dir, "current")
    except RegistryError as exc:
        log.error("No model to benchmark: %s", exc)
        return 2
    requests = synthetic_requests(500)
    log.info("model %s; %d synthetic requests; %d concurrent connections; bounds %d requests "
             "(naive %d) or %.0f s per target", version, len(requests), args.concurrency,
             args.requests, args.naive_requests, args.seconds)

    figures = in_process(models_dir, requests)
    with tempfile.TemporaryDirectory(prefix="bench-service-") as tmp:
        work = Path(tmp)
        key = add_key(work / "keys.json", "bench", "handler")
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
        env.update(TRIAGE_MODELS_DIR=str(models_dir), TRIAGE_KEYS_FILE=str(work / "keys.json"),
                   TRIAGE_DB_URL=f"sqlite:///{work / 'audit.db'}", TRIAGE_LOG_LEVEL="warning",
                   # one key sends every request: its rate limit (default 100/s, 3000/min)
                   # would measure the limiter, not the service
                   TRIAGE_RATE_LIMIT="1000000/second",
                   PYTHONPATH=os.pathsep.join((str(ROOT), str(HERE))))
        ml_port = free_port()
        targets = _targets(args, work, models_dir, ml_port)
        rounds = _measure(targets, args, env, work, key, requests, ml_port)
        results = {
            name: sorted(rs, key=lambda r: r["rps"])[len(rs) // 2] for name, rs in rounds.items()
        }
        ok = all(set(r["statuses"]) == {200} for rs in rounds.values() for r in rs)
        for name, r in results.items():
            log.info("median %-12s %7.0f req/s  p50 %6.2f ms  p99 %6.2f ms", name, r["rps"],
                     r["p50_ms"], r["p99_ms"])
        load1, load5, _ = os.getloadavg()
        log.info("machine load average during the run: %.1f (1 min), %.1f (5 min) on %d CPUs",
                 load1, load5, os.cpu_count() or 0)
    _summarise(results, figures)
    if not ok:
        log.error("some requests did not answer 200: the figures are not valid")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
