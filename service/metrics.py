"""Prometheus metrics, one registry per app instance (tests build many apps in one process).

Labels are bounded: routes are route templates (``/v1/triage/{suggestion_id}/outcome``), never
raw paths, and unmatched paths share the label ``unmatched``; dispositions and red-flag names
come from fixed vocabularies.

With ``triage serve --workers N`` (N > 1) each worker is its own process: ``triage serve`` then
sets ``PROMETHEUS_MULTIPROC_DIR`` to a fresh folder before the workers start, and ``/metrics``
answers with the sum over all live workers (prometheus-client's multiprocess collector).
"""

from __future__ import annotations

import os
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from triage.suggestion import Suggestion

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class ServiceMetrics:
    """All of the service's metrics on one registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._model_labels: tuple[str, str] | None = None
        #: Labelled children, looked up once per label set (``labels()`` validates and locks
        #: on every call; these series are never removed, so the children stay valid).
        self._request_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._suggestion_children: dict[str, Any] = {}
        r = self.registry
        self._add_traffic(r)
        self._add_outcomes(r)
        self._add_model(r)
        self._add_drift_and_shadow(r)

    def _add_traffic(self, r: CollectorRegistry) -> None:
        """Requests, latency, suggestions, red flags and unfamiliar wording."""
        self.requests = Counter(
            "triage_http_requests",
            "HTTP requests by route template, method and status.",
            ["route", "method", "status"],
            registry=r,
        )
        self.latency = Histogram(
            "triage_http_request_duration_seconds",
            "Time from the request's first byte to the response's last, by route template.",
            ["route", "method"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.suggestions = Counter(
            "triage_suggestions",
            "Suggestions returned, by final suggestion.",
            ["suggestion"],
            registry=r,
        )
        self.red_flags = Counter(
            "triage_red_flags",
            "Red flags found in requests, by flag.",
            ["flag"],
            registry=r,
        )
        self.overrides = Counter(
            "triage_red_flag_overrides",
            "Suggestions where red flags changed the model's suggestion to deploy, by flag.",
            ["flag"],
            registry=r,
        )
        self.unfamiliar = Counter(
            "triage_unfamiliar_wording",
            "Suggestions whose narrative the model mostly did not know (unfamiliar wording), "
            "by final suggestion.",
            ["suggestion"],
            registry=r,
        )
        self.red_flag_suggestions = Counter(
            "triage_red_flag_suggestions",
            "Suggestions with at least one red flag (the red-flag rate's numerator).",
            registry=r,
        )
        self.idempotent_replays = Counter(
            "triage_idempotent_replays",
            "Requests answered with the suggestion already stored for their request_id (a "
            "retry: nothing new stored), by route template.",
            ["route"],
            registry=r,
        )

    def _add_outcomes(self, r: CollectorRegistry) -> None:
        """Recorded outcomes against what was suggested."""
        self.agreement = Counter(
            "triage_outcome_agreement",
            "Recorded outcomes by what was suggested and what was finally decided.",
            ["suggested", "final"],
            registry=r,
        )
        self.handler_overrides = Counter(
            "triage_handler_overrides",
            "Recorded outcomes where the final disposition differs from the suggestion, by "
            "(suggested, final).",
            ["suggested", "final"],
            registry=r,
        )

    def _add_model(self, r: CollectorRegistry) -> None:
        """The serving model, its loads and the process behind the series."""
        self.model_info = Gauge(
            "triage_model_info",
            "The serving model (value 1 on the serving version's labels).",
            ["version", "kind"],
            registry=r,
            multiprocess_mode="liveall",
        )
        self.model_loaded = Gauge(
            "triage_model_loaded",
            "1 when a model is loaded and triage is possible, else 0.",
            registry=r,
            multiprocess_mode="liveall",
        )
        self.text_skew = Gauge(
            "triage_model_text_skew",
            "1 when the serving model was trained beside other rule tables or another clinical "
            "lexicon than this process reads text with (retrain it), 0 when they match or no "
            "model is loaded, -1 when the model did not record its speller fingerprint.",
            registry=r,
            multiprocess_mode="liveall",
        )
        self.reloads = Counter(
            "triage_model_reloads",
            "Model reload attempts by result (success or failure).",
            ["result"],
            registry=r,
        )
        self.watch_loads = Counter(
            "triage_model_watch_loads",
            "Loads started by this process's watch of the registry's 'current' (a promotion or "
            "rollback seen without POST /v1/admin/reload), by result (success or failure).",
            ["result"],
            registry=r,
        )
        self.load_failed = Gauge(
            "triage_model_load_failed",
            "1 when the registry's current version could not be loaded by this process (hash "
            "mismatch, never gated, missing, does not run), which keeps serving its previous "
            "model; else 0.",
            registry=r,
            multiprocess_mode="liveall",
        )
        self.replica_info = Gauge(
            "triage_replica_info",
            "Names the process behind these series (value 1): its replica name "
            "(TRIAGE_REPLICA_NAME, default the host name) and operating-system process id.",
            ["replica", "process_id"],
            registry=r,
            multiprocess_mode="liveall",
        )

    def _add_drift_and_shadow(self, r: CollectorRegistry) -> None:
        """Input drift against the training data, and the shadow model."""
        self.drift_psi = Gauge(
            "triage_input_drift_psi",
            "Population stability index of each request field over the last "
            "TRIAGE_DRIFT_WINDOW requests against the serving model's training data "
            "(0.1 moderate, 0.25 major shift).",
            ["field"],
            registry=r,
            multiprocess_mode="max",
        )
        self.drift_window = Gauge(
            "triage_input_drift_window_requests",
            "Requests in the drift window (no drift figure below TRIAGE_DRIFT_MIN_REQUESTS).",
            registry=r,
            multiprocess_mode="liveall",
        )
        self.shadow_suggestions = Counter(
            "triage_shadow_suggestions",
            "Requests the shadow model scored, by (serving, shadow) final suggestion.",
            ["serving", "shadow"],
            registry=r,
        )
        self.shadow_dropped = Counter(
            "triage_shadow_dropped",
            "Requests not shadowed because the shadow's queue was full.",
            registry=r,
        )
        self.shadow_failed = Counter(
            "triage_shadow_failed",
            "Requests the shadow could not score or store.",
            registry=r,
        )

    def set_replica(self, replica: str, process_id: int) -> None:
        """Name this process in /metrics (called once, when the app starts)."""
        self.replica_info.labels(replica, str(process_id)).set(1)

    def observe_request(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, status)
        children = self._request_children.get(key)
        if children is None:
            children = (
                self.requests.labels(route, method, str(status)),
                self.latency.labels(route, method),
            )
            self._request_children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def observe_suggestion(self, s: Suggestion) -> None:
        value = s.suggestion.value
        child = self._suggestion_children.get(value)
        if child is None:
            child = self._suggestion_children[value] = self.suggestions.labels(value)
        child.inc()
        if s.unfamiliar_wording:
            self.unfamiliar.labels(value).inc()
        if s.red_flags:
            self.red_flag_suggestions.inc()
        for flag in s.red_flags:
            self.red_flags.labels(flag.name).inc()
            if s.overridden:
                self.overrides.labels(flag.name).inc()

    def observe_outcome(self, suggested: str, final: str) -> None:
        """A recorded outcome: agreement by pair, and an override when they differ."""
        self.agreement.labels(suggested, final).inc()
        if suggested != final:
            self.handler_overrides.labels(suggested, final).inc()

    def observe_shadow(self, serving: str, shadow: str) -> None:
        self.shadow_suggestions.labels(serving, shadow).inc()

    def set_drift(self, psi_by_field: dict[str, float] | None, window: int) -> None:
        """The live drift figures (``None``: too few requests yet, so no figure)."""
        self.drift_window.set(window)
        for field, value in (psi_by_field or {}).items():
            self.drift_psi.labels(field).set(value)

    def set_model(self, version: str | None, kind: str | None,
                  text_matches: bool | None = None) -> None:
        previous = self._model_labels
        if previous is not None:
            if multiprocess_dir() is None:
                self.model_info.remove(*previous)
            else:  # labels cannot be removed in multiprocess mode: the old version reads 0
                self.model_info.labels(*previous).set(0)
        self._model_labels = None
        if version is not None:
            self._model_labels = (version, kind or "unknown")
            self.model_info.labels(*self._model_labels).set(1)
            self.model_loaded.set(1)
            self.text_skew.set(-1 if text_matches is None else int(not text_matches))
        else:
            self.model_loaded.set(0)
            self.text_skew.set(0)  # no model, nothing read askew (TriageNoModel says the rest)

    def render(self) -> bytes:
        """The Prometheus text exposition of this app (or of all workers in multiprocess mode)."""
        mp_dir = multiprocess_dir()
        if mp_dir is not None:
            registry = CollectorRegistry()
            MultiProcessCollector(registry, path=mp_dir)
            return generate_latest(registry)
        return generate_latest(self.registry)
