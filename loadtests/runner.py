"""``triage loadtest``: run locust headless against a profile and judge the run against an SLO.

The verdict: p99 latency (all requests) within ``p99_ms``, failure ratio within
``max_failure_ratio``, and achieved actions at least ``THROUGHPUT_TOLERANCE`` of the arrivals
that fell due (an open workload: the Poisson schedule says how many; loadtests/arrivals.py).
Exit 0 when all hold, 1 on a breach, 2 when the run could not be made or read. Traffic goes to
loopback addresses only, and every run is bounded in time and in requests.

Beside locust's figures the report puts the service's own latency for the same window (its
``/metrics`` histogram scraped before and after: loadtests/service_latency.py) and says when
the generator, not the service, is the bottleneck. ``workers=N`` runs locust distributed on
this machine: one master (the shape, the summary, the CSV) and N worker processes, the way ops
run it across machines (docs/CAPACITY.md).

The host name is resolved ONCE, here: locust is given the checked loopback address itself, so
a name that resolves differently a moment later cannot send the load (and the key) elsewhere;
and the users never follow a redirect (a 3xx is a failure), so a redirect cannot either. The
API key reaches locust through its environment, never its command line (which ``ps`` shows to
every local user).
"""

from __future__ import annotations

import csv
import dataclasses
import ipaddress
import json
import math
import os
import socket
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from loadtests import payloads, profiles, service_latency
from loadtests.service_latency import ScrapeError, ServiceLatency

#: Achieved actions must be at least this share of those offered (users are whole numbers and
#: a run starts and stops between paces, so a perfect server still lands a little either side).
THROUGHPUT_TOLERANCE = 0.9
#: Seconds allowed beyond --duration for start-up and shutdown before the run is killed.
GRACE_SECONDS = 90.0
#: Locust's own CPU warning threshold (%): above it the generator constrains the load.
GENERATOR_CPU_LIMIT = 90.0
#: locust's p50 more than this many times the service's own (and more than
#: CLIENT_EXCESS_MIN_MS above it): the time is spent outside the service.
CLIENT_TO_SERVICE_RATIO = 2.0
CLIENT_EXCESS_MIN_MS = 2.0
#: More than this share of arrivals woken over 10 ms late (or held by a previous answer): the
#: generator (or the service) did not keep to the schedule.
LATE_SHARE_LIMIT = 0.05
MAX_WORKERS = 16
LOCUSTFILE = Path(__file__).with_name("locustfile.py")


class LoadTestError(Exception):
    """The load test could not be run or its results could not be read (exit code 2)."""


@dataclass(frozen=True)
class SLO:
    p99_ms: float = 50.0
    max_failure_ratio: float = 0.0


@dataclass
class Endpoint:
    name: str
    requests: int
    failures: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rps: float


@dataclass
class Verdict:
    profile: str
    scale: float
    duration_s: float
    requests: int
    failures: int
    failure_ratio: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    throughput_rps: float
    offered_actions: float
    achieved_actions: int
    offered_rate: float
    achieved_rate: float
    slo: SLO
    breaches: list[str] = field(default_factory=list)
    endpoints: list[Endpoint] = field(default_factory=list)
    report_html: str = ""
    csv_prefix: str = ""
    #: The open workload's arrivals (sent, overdue, due, lateness): loadtests/arrivals.py.
    arrivals: dict[str, Any] = field(default_factory=dict)
    burst: dict[str, Any] = field(default_factory=dict)
    generator_cpu_max: float | None = None
    generator_cpu_mean: float | None = None
    #: Locust worker processes (0: one local process) and the actions each completed.
    workers: int = 0
    worker_actions: dict[str, int] = field(default_factory=dict)
    #: The service's own latency in the same window (from /metrics), or why it is unknown.
    service: list[ServiceLatency] = field(default_factory=list)
    service_error: str = ""
    #: Who limited the figures: the generator or the service, in plain words.
    notes: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.breaches

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out["passed"] = self.passed
        for row in out["service"]:  # an empty window's quantiles are NaN: not valid JSON
            for key, value in row.items():
                if isinstance(value, float) and math.isnan(value):
                    row[key] = None
        return out


def ensure_loopback(url: str) -> str:
    """Refuse any target that is not this machine; return ``url`` with its host replaced by
    the loopback address it resolved to (load tests send traffic to loopback only)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadTestError(f"--host must be a URL such as http://127.0.0.1:8000. Got {url!r}.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise LoadTestError(f"--host has an invalid port: {exc}.") from None
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise LoadTestError(f"Cannot resolve host {parts.hostname!r}: {exc}.") from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for address in addresses:
        if not address.is_loopback:
            raise LoadTestError(
                f"Refusing to load-test {parts.hostname!r} ({address}): load tests send "
                "traffic to loopback addresses only (127.0.0.0/8, ::1)."
            )
    if not addresses:
        raise LoadTestError(f"Host {parts.hostname!r} resolved to no address.")
    address = addresses[0]
    netloc = f"[{address}]:{port}" if address.version == 6 else f"{address}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def read_key(key_file: Path | None) -> str | None:
    """The API key from ``key_file`` (first line), else ``TRIAGE_API_KEY``, else None."""
    if key_file is None:
        return os.environ.get("TRIAGE_API_KEY") or None
    try:
        key = key_file.read_text(encoding="utf-8").strip().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise LoadTestError(f"Cannot read the key file {key_file}: {exc}.") from None
    if not key or not key[0].strip():
        raise LoadTestError(f"The key file {key_file} is empty.")
    return key[0].strip()


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def read_stats(csv_prefix: Path) -> tuple[Endpoint, list[Endpoint]]:
    """The aggregated row and the per-endpoint rows of locust's ``_stats.csv``."""
    path = Path(f"{csv_prefix}_stats.csv")
    if not path.exists():
        raise LoadTestError(f"locust wrote no statistics ({path} is missing).")
    rows = list(csv.DictReader(path.open(newline="")))
    endpoints: list[Endpoint] = []
    aggregated: Endpoint | None = None
    for row in rows:
        ep = Endpoint(
            name=row["Name"],
            requests=int(row["Request Count"]),
            failures=int(row["Failure Count"]),
            p50_ms=_float(row["50%"]),
            p95_ms=_float(row["95%"]),
            p99_ms=_float(row["99%"]),
            rps=_float(row["Requests/s"]),
        )
        if row["Name"] == "Aggregated":
            aggregated = ep
        else:
            endpoints.append(ep)
    if aggregated is None:
        raise LoadTestError(f"{path} has no Aggregated row.")
    return aggregated, endpoints


def with_final_counts(
    aggregated: Endpoint, endpoints: list[Endpoint], final: dict[str, list[int]]
) -> tuple[Endpoint, list[Endpoint]]:
    """The CSV's rows with the request and failure counts locust held when its users had all
    stopped (``final``: name -> [requests, failures], "Aggregated" for the total; the summary's
    ``final_counts``). Locust rewrites ``_stats.csv`` once a second and not again as it exits,
    so a request answered in the run's last second is missing from the CSV while the service
    counted it (a CI run, 2026-12-04: the service's 40 against the CSV's 39, none cut off).
    The latencies stay the CSV's: at most a second's answers short."""

    def final_of(ep: Endpoint) -> Endpoint:
        counts = final.get(ep.name)
        if counts is None:
            return ep
        requests, failures = int(counts[0]), int(counts[1])
        return dataclasses.replace(
            ep, requests=max(ep.requests, requests), failures=max(ep.failures, failures)
        )

    return final_of(aggregated), [final_of(ep) for ep in endpoints]


def judge(
    aggregated: Endpoint, endpoints: list[Endpoint], summary: dict[str, Any], slo: SLO
) -> Verdict:
    """Compare one run's figures with the SLO."""
    elapsed = max(float(summary.get("elapsed_s", 0.0)), 1e-9)
    duration = float(summary.get("duration_s", elapsed))
    offered = float(summary.get("offered_actions", 0.0))
    achieved = int(summary.get("actions_completed", 0))
    arrivals = summary.get("arrivals")
    # An open workload: the number of arrivals is itself random (Poisson), so the service is
    # judged on those that fell due, not on their expectation.
    due = float(arrivals["due"]) if isinstance(arrivals, dict) else offered
    ratio = aggregated.failures / aggregated.requests if aggregated.requests else 1.0
    breaches = []
    if aggregated.requests == 0:
        breaches.append("no request completed")
    if aggregated.p99_ms > slo.p99_ms:
        breaches.append(f"p99 {aggregated.p99_ms:.1f} ms > {slo.p99_ms:g} ms")
    if ratio > slo.max_failure_ratio:
        breaches.append(f"failure ratio {ratio:.4f} > {slo.max_failure_ratio:g}")
    if achieved < THROUGHPUT_TOLERANCE * due:
        breaches.append(
            f"throughput: {achieved} actions done < {THROUGHPUT_TOLERANCE:.0%} of "
            f"{due:.0f} {'due' if isinstance(arrivals, dict) else 'offered'}"
        )
    return Verdict(
        profile=str(summary.get("profile", "")),
        scale=float(summary.get("scale", 0.0)),
        duration_s=duration,
        requests=aggregated.requests,
        failures=aggregated.failures,
        failure_ratio=ratio,
        p50_ms=aggregated.p50_ms,
        p95_ms=aggregated.p95_ms,
        p99_ms=aggregated.p99_ms,
        throughput_rps=aggregated.requests / elapsed,
        offered_actions=offered,
        achieved_actions=achieved,
        offered_rate=offered / max(duration, 1e-9),
        achieved_rate=achieved / elapsed,
        slo=slo,
        breaches=breaches,
        endpoints=endpoints,
        arrivals=dict(arrivals) if isinstance(arrivals, dict) else {},
        burst=dict(summary["burst"]) if isinstance(summary.get("burst"), dict) else {},
        generator_cpu_max=_optional_float(summary.get("generator_cpu_max")),
        generator_cpu_mean=_optional_float(summary.get("generator_cpu_mean")),
        worker_actions=dict(summary.get("worker_actions") or {}),
    )


def _optional_float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def bottleneck_notes(v: Verdict) -> list[str]:
    """Who limited the run's figures, in plain words: the generator (its CPU, its schedule, or
    time spent outside the service) or the service."""
    notes: list[str] = []
    if v.generator_cpu_max is not None and v.generator_cpu_max >= GENERATOR_CPU_LIMIT:
        notes.append(
            f"GENERATOR: locust's CPU reached {v.generator_cpu_max:.0f}% (>= "
            f"{GENERATOR_CPU_LIMIT:g}%): it constrained the load and its latency figures include "
            "its own queueing; add workers (--workers) or machines."
        )
    sent = int(v.arrivals.get("sent", 0) or 0)
    late = v.arrivals.get("late")
    late_10 = int(late.get("0.01", 0)) if isinstance(late, dict) else 0
    held = int(v.arrivals.get("held", 0) or 0)
    if sent and late_10 / sent > LATE_SHARE_LIMIT:
        notes.append(
            f"GENERATOR: locust woke {late_10 / sent:.0%} of its arrivals more than 10 ms after "
            "their scheduled time: its event loop is short of CPU, and its latency figures "
            "include that wait."
        )
    generator_limited = bool(notes)
    if sent and held / sent > LATE_SHARE_LIMIT:
        notes.append(
            f"SERVICE: {held / sent:.0%} of arrivals were sent late because the same user was "
            "still waiting for its previous answer: answers are slower than the schedule allows."
        )
    if v.service_error:
        notes.append(f"the service's own latency is unknown: {v.service_error}")
        return notes
    client = {e.name: e for e in v.endpoints}
    for row in v.service:
        ep = client.get(row.name)
        if row.name == "Aggregated" or ep is None or not row.requests or math.isnan(row.p50_ms):
            continue
        excess = ep.p50_ms - row.p50_ms
        if ep.p50_ms > CLIENT_TO_SERVICE_RATIO * row.p50_ms and excess > CLIENT_EXCESS_MIN_MS:
            where = (
                "GENERATOR: most of that time is spent in the generator (see above)"
                if generator_limited else
                "QUEUE: locust kept its schedule, so most of that time is spent before the "
                "app's timer starts (the server's accept queue or event loop, when the service "
                "is saturated) or in the network"
            )
            prefix, _, rest = where.partition(": ")
            notes.append(
                f"{prefix}: {row.name}: locust's p50 {ep.p50_ms:g} ms is "
                f"{ep.p50_ms / max(row.p50_ms, 1e-9):.1f} x the service's own {row.p50_ms:.1f} "
                f"ms; {rest}."
            )
    overall = next((r for r in v.service if r.name == "Aggregated"), None)
    if overall is not None and overall.requests and overall.p99_ms > v.slo.p99_ms:
        notes.append(
            f"SERVICE: the service's own p99 ({overall.p99_ms:.1f} ms) is above the SLO's "
            f"{v.slo.p99_ms:g} ms: the service is the bottleneck."
        )
    if not notes:
        notes.append(
            "locust's figures agree with the service's own (p50 within "
            f"{CLIENT_TO_SERVICE_RATIO:g}x, generator CPU below {GENERATOR_CPU_LIMIT:g}%): "
            "they are the service's figures."
        )
    return notes


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").strip().splitlines()[-lines:])
    except OSError:
        return ""


def _run_local(cmd: list[str], env: dict[str, str], timeout: float) -> str:
    """One locust process; returns the tail of its output (for an error message)."""
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise LoadTestError(f"locust did not finish within {timeout:g} s; killed.") from exc
    tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-15:]
    return f"locust exited with code {proc.returncode}:\n" + "\n".join(tail)


def _run_distributed(
    cmd: list[str], workers: int, env: dict[str, str], timeout: float, out_dir: Path
) -> str:
    """A master (``cmd`` plus --master) and ``workers`` worker processes, all on loopback;
    returns the tail of the master's output. Every process is this function's own child and
    is killed if the run overruns."""
    port = _free_loopback_port()
    master_log = out_dir / "locust-master.log"
    master_cmd = [
        *cmd, "--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port),
        "--expect-workers", str(workers),
        "--expect-workers-max-wait", str(int(GRACE_SECONDS // 2)),
    ]
    worker_cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--worker",
        "--master-host", "127.0.0.1", "--master-port", str(port), "--loglevel", "WARNING",
        *cmd[cmd.index("--payload-file"):cmd.index("--payload-file") + 2],
    ]
    procs: list[subprocess.Popen[bytes]] = []
    logs = []
    try:
        with master_log.open("wb") as log:
            procs.append(subprocess.Popen(master_cmd, env=env, stdout=log, stderr=log))
        for i in range(workers):
            path = out_dir / f"locust-worker-{i + 1}.log"
            logs.append(path)
            with path.open("wb") as log:
                procs.append(subprocess.Popen(worker_cmd, env=env, stdout=log, stderr=log))
        try:
            code = procs[0].wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise LoadTestError(f"locust did not finish within {timeout:g} s; killed.") from exc
        for proc in procs[1:]:  # workers quit when the master tells them to
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return f"locust master exited with code {code}:\n" + _tail(master_log)


def _scrape(urls: list[str]) -> tuple[service_latency.Buckets | None, str]:
    try:
        return service_latency.scrape(urls), ""
    except ScrapeError as exc:
        return None, str(exc)


def run(
    *,
    host: str,
    profile: str,
    scale: float,
    duration: float,
    slo: SLO,
    out_dir: Path,
    key: str | None,
    max_requests: int = 200_000,
    workers: int = 0,
    burst_size: int = profiles.DEFAULT_BURST_SIZE,
    metrics_urls: list[str] | None = None,
) -> Verdict:
    """Run one bounded locust run (``workers`` > 0: a master and that many workers on this
    machine) and return its verdict, with the service's own latency beside locust's (raises
    LoadTestError)."""
    profiles.get_profile(profile)  # a clear error for an unknown name, before anything runs
    if duration <= 0 or duration > 24 * 3600:
        raise LoadTestError(f"--duration must be 1..86400 seconds. Got {duration:g}.")
    if scale <= 0:
        raise LoadTestError(f"--scale must be positive. Got {scale:g}.")
    if not 0 <= workers <= MAX_WORKERS:
        raise LoadTestError(f"--workers must be 0..{MAX_WORKERS}. Got {workers}.")
    if burst_size < 0:
        raise LoadTestError(f"--burst-size must be 0 or more. Got {burst_size}.")
    target = ensure_loopback(host)
    scrape_urls = [ensure_loopback(u) for u in metrics_urls] if metrics_urls else [
        f"{target}/metrics"
    ]
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / profile
    summary_file = out_dir / f"{profile}_summary.json"
    html = out_dir / f"{profile}_report.html"
    for stale in (summary_file, Path(f"{prefix}_stats.csv")):
        stale.unlink(missing_ok=True)
    # Generated once, here: every locust process reads it instead of computing it at start-up.
    pool = payloads.write(out_dir / "payloads.json")
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--host", target, "--load-profile", profile, "--scale", str(scale),
        "--duration", str(duration), "--max-requests", str(max_requests),
        "--burst-size", str(burst_size), "--payload-file", str(pool),
        "--summary-file", str(summary_file), "--csv", str(prefix), "--html", str(html),
        "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5",
    ]
    env = dict(os.environ)
    env.pop("TRIAGE_API_KEY", None)
    if key:
        env["TRIAGE_API_KEY"] = key  # the environment, never argv (ps shows argv to anyone)
    before, scrape_error = _scrape(scrape_urls)
    timeout = duration + GRACE_SECONDS
    if workers:
        failure = _run_distributed(cmd, workers, env, timeout, out_dir)
    else:
        failure = _run_local(cmd, env, timeout)
    after, after_error = _scrape(scrape_urls)
    if not summary_file.exists():
        raise LoadTestError(failure.replace(":\n", " and no summary:\n", 1))
    summary = json.loads(summary_file.read_text())
    aggregated, endpoints = read_stats(prefix)
    if isinstance(summary.get("final_counts"), dict):
        aggregated, endpoints = with_final_counts(aggregated, endpoints, summary["final_counts"])
    verdict = judge(aggregated, endpoints, summary, slo)
    verdict.report_html = str(html)
    verdict.csv_prefix = str(prefix)
    verdict.workers = workers
    if before is not None and after is not None:
        try:
            verdict.service = service_latency.summarise(
                service_latency.difference(before, after)
            )
        except ScrapeError as exc:
            verdict.service_error = str(exc)
    else:
        verdict.service_error = scrape_error or after_error
    verdict.notes = bottleneck_notes(verdict)
    return verdict
