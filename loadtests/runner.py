"""``triage loadtest``: run locust headless against a profile and judge the run against an SLO.

The verdict: p99 latency (all requests) within ``p99_ms``, failure ratio within
``max_failure_ratio``, and achieved actions at least ``THROUGHPUT_TOLERANCE`` of those offered.
Exit 0 when all hold, 1 on a breach, 2 when the run could not be made or read. Traffic goes to
loopback addresses only, and every run is bounded in time and in requests.

The host name is resolved ONCE, here: locust is given the checked loopback address itself, so
a name that resolves differently a moment later cannot send the load (and the key) elsewhere;
and the users never follow a redirect (a 3xx is a failure), so a redirect cannot either. The
API key reaches locust through its environment, never its command line (which ``ps`` shows to
every local user).
"""

from __future__ import annotations

import csv
import ipaddress
import json
import os
import socket
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from loadtests import profiles

#: Achieved actions must be at least this share of those offered (users are whole numbers and
#: a run starts and stops between paces, so a perfect server still lands a little either side).
THROUGHPUT_TOLERANCE = 0.9
#: Seconds allowed beyond --duration for start-up and shutdown before the run is killed.
GRACE_SECONDS = 90.0
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

    @property
    def passed(self) -> bool:
        return not self.breaches

    def to_json(self) -> dict[str, object]:
        out = asdict(self)
        out["passed"] = self.passed
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


def judge(
    aggregated: Endpoint, endpoints: list[Endpoint], summary: dict[str, float], slo: SLO
) -> Verdict:
    """Compare one run's figures with the SLO."""
    elapsed = max(float(summary.get("elapsed_s", 0.0)), 1e-9)
    duration = float(summary.get("duration_s", elapsed))
    offered = float(summary.get("offered_actions", 0.0))
    achieved = int(summary.get("actions_completed", 0))
    ratio = aggregated.failures / aggregated.requests if aggregated.requests else 1.0
    breaches = []
    if aggregated.requests == 0:
        breaches.append("no request completed")
    if aggregated.p99_ms > slo.p99_ms:
        breaches.append(f"p99 {aggregated.p99_ms:.1f} ms > {slo.p99_ms:g} ms")
    if ratio > slo.max_failure_ratio:
        breaches.append(f"failure ratio {ratio:.4f} > {slo.max_failure_ratio:g}")
    if achieved < THROUGHPUT_TOLERANCE * offered:
        breaches.append(
            f"throughput: {achieved} actions done < {THROUGHPUT_TOLERANCE:.0%} of "
            f"{offered:.0f} offered"
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
    )


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
) -> Verdict:
    """Run one bounded locust run and return its verdict (raises LoadTestError)."""
    profiles.get_profile(profile)  # a clear error for an unknown name, before anything runs
    if duration <= 0 or duration > 24 * 3600:
        raise LoadTestError(f"--duration must be 1..86400 seconds. Got {duration:g}.")
    if scale <= 0:
        raise LoadTestError(f"--scale must be positive. Got {scale:g}.")
    target = ensure_loopback(host)
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / profile
    summary_file = out_dir / f"{profile}_summary.json"
    html = out_dir / f"{profile}_report.html"
    for stale in (summary_file, Path(f"{prefix}_stats.csv")):
        stale.unlink(missing_ok=True)
    cmd = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--host", target, "--load-profile", profile, "--scale", str(scale),
        "--duration", str(duration), "--max-requests", str(max_requests),
        "--summary-file", str(summary_file), "--csv", str(prefix), "--html", str(html),
        "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5",
    ]
    env = dict(os.environ)
    env.pop("TRIAGE_API_KEY", None)
    if key:
        env["TRIAGE_API_KEY"] = key  # the environment, never argv (ps shows argv to anyone)
    try:
        proc = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=duration + GRACE_SECONDS
        )
    except subprocess.TimeoutExpired as exc:
        raise LoadTestError(
            f"locust did not finish within {duration + GRACE_SECONDS:g} s; killed."
        ) from exc
    if not summary_file.exists():
        tail = (proc.stderr or proc.stdout or "").strip().splitlines()[-15:]
        raise LoadTestError(
            f"locust exited with code {proc.returncode} and no summary:\n" + "\n".join(tail)
        )
    summary = json.loads(summary_file.read_text())
    aggregated, endpoints = read_stats(prefix)
    verdict = judge(aggregated, endpoints, summary, slo)
    verdict.report_html = str(html)
    verdict.csv_prefix = str(prefix)
    return verdict
