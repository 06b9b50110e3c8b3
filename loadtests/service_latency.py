"""The service's own latency for a load test's window, from its Prometheus histogram.

Locust measures from the generator: its figures include the generator's own queueing, its
share of the CPU and the network. The service measures each request from its first byte to its
last (``triage_http_request_duration_seconds``, by route template). Scraping ``/metrics``
before and after a run and differencing the cumulative buckets gives the service's histogram for
the same window; quantiles are interpolated inside buckets the way Prometheus's
``histogram_quantile`` does, so they are as coarse as the buckets (1, 2.5, 5, 10, 25, 50 ms...).
Set side by side, the two say whether a slow figure is the service's or the generator's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import httpx
from prometheus_client.parser import text_string_to_metric_families

HISTOGRAM = "triage_http_request_duration_seconds"
SCRAPE_TIMEOUT_S = 10.0

#: locust's request names (loadtests/locustfile.py) and the route templates the service labels
#: the same requests with.
LOCUST_TO_ROUTE: dict[str, tuple[str, str]] = {
    "POST /v1/triage": ("POST", "/v1/triage"),
    "POST /v1/triage/batch": ("POST", "/v1/triage/batch"),
    "POST /v1/triage/{id}/outcome": ("POST", "/v1/triage/{suggestion_id}/outcome"),
    "GET /v1/model": ("GET", "/v1/model"),
}

#: (method, route) -> {upper bound in seconds: cumulative count}
Buckets = dict[tuple[str, str], dict[float, float]]


class ScrapeError(Exception):
    """``/metrics`` could not be read or does not hold the service's latency histogram."""


@dataclass
class ServiceLatency:
    """One route's (or all routes') latency as the service measured it, in the window."""

    name: str
    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float


def parse(text: str) -> Buckets:
    """The latency histogram's cumulative buckets in one Prometheus text exposition."""
    out: Buckets = {}
    for family in text_string_to_metric_families(text):
        if family.name != HISTOGRAM:
            continue
        for sample in family.samples:
            if not sample.name.endswith("_bucket"):
                continue
            key = (sample.labels.get("method", ""), sample.labels.get("route", ""))
            out.setdefault(key, {})[float(sample.labels["le"])] = float(sample.value)
    return out


def scrape(urls: Iterable[str]) -> Buckets:
    """The histogram summed over every ``/metrics`` URL (one per replica; with ``--workers N``
    one service already sums its workers)."""
    total: Buckets = {}
    for url in urls:
        try:
            resp = httpx.get(url, timeout=SCRAPE_TIMEOUT_S, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise ScrapeError(f"cannot read {url}: {exc}") from None
        if resp.status_code != 200:
            raise ScrapeError(f"{url} answered {resp.status_code}")
        buckets = parse(resp.text)
        if not buckets:
            raise ScrapeError(f"{url} has no {HISTOGRAM} histogram")
        for key, counts in buckets.items():
            into = total.setdefault(key, {})
            for le, value in counts.items():
                into[le] = into.get(le, 0.0) + value
    return total


def difference(before: Buckets, after: Buckets) -> Buckets:
    """What was observed between two scrapes. A count that went down means a process restarted
    in the window (its counters began again): the window cannot be measured, so that raises."""
    out: Buckets = {}
    for key, counts in after.items():
        earlier = before.get(key, {})
        delta = {le: value - earlier.get(le, 0.0) for le, value in counts.items()}
        if any(v < 0 for v in delta.values()):
            raise ScrapeError(
                f"the counters of {key[0]} {key[1]} went down during the run (a process "
                "restarted): the service's own figures for this window are unknown"
            )
        if delta.get(math.inf, 0.0) > 0:
            out[key] = delta
    return out


def quantile(counts: dict[float, float], q: float) -> float:
    """The ``q`` quantile (seconds) of one cumulative histogram, interpolated linearly inside
    its bucket (as Prometheus's ``histogram_quantile``; the highest finite bound when it falls
    in the +Inf bucket). NaN for an empty histogram."""
    bounds = sorted(counts)
    total = counts.get(math.inf, 0.0)
    if total <= 0:
        return math.nan
    rank = q * total
    lower, below = 0.0, 0.0
    for le in bounds:
        cumulative = counts[le]
        if cumulative >= rank:
            if math.isinf(le):
                return lower
            inside = cumulative - below
            return lower + (le - lower) * ((rank - below) / inside if inside else 1.0)
        lower, below = le, cumulative
    return lower


def _merge(histograms: Iterable[dict[float, float]]) -> dict[float, float]:
    merged: dict[float, float] = {}
    for counts in histograms:
        for le, value in counts.items():
            merged[le] = merged.get(le, 0.0) + value
    return merged


def _summarise(name: str, counts: dict[float, float]) -> ServiceLatency:
    return ServiceLatency(
        name=name,
        requests=round(counts.get(math.inf, 0.0)),
        p50_ms=quantile(counts, 0.50) * 1000,
        p95_ms=quantile(counts, 0.95) * 1000,
        p99_ms=quantile(counts, 0.99) * 1000,
    )


def summarise(window: Buckets) -> list[ServiceLatency]:
    """One row per locust request name the service saw, then ``Aggregated`` over them (the
    routes the load test sends; /metrics, /healthz and the page are left out, as locust's
    Aggregated row leaves them out)."""
    rows = []
    for name, key in LOCUST_TO_ROUTE.items():
        if key in window:
            rows.append(_summarise(name, window[key]))
    load_routes = set(LOCUST_TO_ROUTE.values())
    merged = _merge(counts for key, counts in window.items() if key in load_routes)
    rows.append(_summarise("Aggregated", merged))
    return rows
