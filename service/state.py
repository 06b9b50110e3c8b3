"""What one running app holds: settings, the serving predictor, keys, store and metrics.

The predictor is swapped by assigning one attribute (``ServiceState.serving``) under a lock; a
request reads that attribute once, when it starts, and keeps the object it got until it
answers, so a reload never changes the model under a request in flight and never fails one.

Every process follows the registry's ``current`` on its own (``watch_registry``, see
``service.model_watch``): a promotion or rollback reaches every worker and replica without a
restart or an admin call. A version that fails to load leaves the process on its previous
model, and ``load_problem`` says so (/readyz, the log, ``triage_model_load_failed``).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, Literal

from starlette.concurrency import run_in_threadpool

from service.batch_pool import BatchPool
from service.keys import KeyRing
from service.metrics import ServiceMetrics
from service.model_watch import RegistryMark, registry_mark
from service.shadow import ShadowRunner
from service.store import AuditStore
from triage.jsonsafe import json_safe
from triage.manifest import Manifest
from triage.policy import DecisionPolicy
from triage.population import RollingDrift
from triage.predictor import Predictor
from triage.registry import IntegrityError, RegistryError, load_predictor, read_manifest
from triage.schema import IncidentType, TriageRequest
from triage.settings import Settings

log = logging.getLogger(__name__)

#: A synthetic request run once through each newly loaded model before it serves.
WARM_UP_REQUEST = TriageRequest(
    narrative="SYNTHETIC warm-up: male 40s fell in street, c/b, not breathing normally, bleeding",
    incident_type=IncidentType.FALL,
    age=45,
)


@dataclass(frozen=True, slots=True)
class Serving:
    """A loaded predictor and what GET /v1/model says about it (computed once, at load)."""

    predictor: Predictor
    info: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LoadFailure:
    error: str  # not_found, integrity or invalid
    detail: str


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """The registry's current version could not be loaded by this process, which keeps serving
    the model it had (if any). Cleared by the next successful load, or when ``current`` names
    the served version again (a rollback)."""

    registry_version: str | None  # what ``current`` held when the load was tried
    serving_version: str | None
    error: str  # not_found, integrity or invalid
    detail: str
    at: datetime


#: What started a load: the lifespan, POST /v1/admin/reload, or the registry watch.
LoadTrigger = Literal["start", "admin", "watch"]


def describe(settings: Settings, predictor: Predictor) -> dict[str, Any]:
    """GET /v1/model's body for ``predictor``: its manifest's provenance and metrics, and the
    thresholds and targets its decision policy applies (read from the loaded policy itself, so
    they are what is actually served)."""
    manifest = Manifest.read(read_manifest(settings.models_dir, predictor.version),
                             predictor.version).to_json()
    model = predictor.model
    policy = json_safe(model.policy.describe())
    thresholds = {"deploy_threshold": policy.pop("deploy_threshold", None)}
    # what the policy was fitted to (the target, its margin, the slice tolerance); the rest is
    # what the fit saw on validation
    target = {k: v for k, v in policy.items() if k in DecisionPolicy.target_fields()}
    validation = {k: v for k, v in policy.items() if k not in target}
    # The file's name identifies the data (with its fingerprint); the training machine's
    # folders are nobody's business who holds a key.
    trained_on = {**manifest["data"], "path": PurePath(manifest["data"]["path"]).name}
    corpus = manifest.get("corpus")
    # The hand-written corpus the linear fit also read (None: the export alone), by file name.
    trained_on["corpus"] = None if not corpus else {
        "listing": PurePath(corpus["listing"]).name, "listing_sha256": corpus["listing_sha256"],
        "rows": corpus["rows"], "weight": corpus["weight"],
        "files": [f["path"] for f in corpus["files"]],
    }
    metrics = manifest["metrics"]
    if validation:
        metrics = {**metrics, "policy_validation": validation}
    return {
        "version": predictor.version,
        "kind": str(model.kind),
        "created_at": manifest["created"],
        "trained_on": trained_on,
        "metrics": metrics,
        "thresholds": thresholds,
        "target": target,
        "text_preprocessing": predictor.text_preprocessing.describe(),
        "loaded_at": datetime.now(UTC).isoformat(),
    }


def load_serving(settings: Settings) -> Serving | LoadFailure:
    """Load the registry's current model, or say why not (never raises for registry trouble)."""
    try:
        predictor = load_predictor(settings.models_dir, ref="current")
        info = describe(settings, predictor)
        # The first suggestion pays one-off costs (lazy compilation, caches); pay them here,
        # before the model serves, not on a call handler's request.
        predictor.suggest(WARM_UP_REQUEST)
    except IntegrityError as exc:
        return LoadFailure("integrity", str(exc))
    except RegistryError as exc:
        return LoadFailure("not_found", str(exc))
    except Exception as exc:
        # Anything else a damaged or incompatible artifact raises while loading or warming up
        # (unpickling runs arbitrary code paths): the model is not served, the service stays up.
        return LoadFailure("invalid", f"{type(exc).__name__}: {exc}")
    return Serving(predictor, info)


def drift_for(settings: Settings, version: str) -> RollingDrift | None:
    """A drift window against ``version``'s training-data profile, or None without one."""
    try:
        profile = Manifest.read(read_manifest(settings.models_dir, version),
                                version).input_profile
        if profile is None:
            log.warning("model %s has no input profile in its manifest: no drift metric", version)
            return None
        return RollingDrift(profile, settings.drift_window, settings.drift_min_requests)
    except (RegistryError, ValueError) as exc:
        log.warning("model %s: no drift metric (%s)", version, exc)
        return None


def freeze_heap() -> None:
    """Move everything alive now (the model's many small objects above all) out of the cyclic
    garbage collector's reach: otherwise every full collection walks the whole model, which
    showed as 5-12 ms stalls on about one request in ten (measured: mean ``suggest`` 1.1 ms ->
    0.6 ms, p90 4.4 ms -> 0.45 ms). On a reload the frozen set is thawed and collected first, so
    the replaced model is freed once no request holds it."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@dataclass
class ServiceState:
    settings: Settings
    keys: KeyRing
    store: AuditStore
    metrics: ServiceMetrics
    serving: Serving | None = None
    not_ready_reason: str = "no model loaded yet"
    reload_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: Live input drift against the serving model's training data (None: its manifest has no
    #: input profile, e.g. a model trained before profiles were recorded).
    drift: RollingDrift | None = None
    #: The shadow model's runner when TRIAGE_SHADOW_VERSION is set and it loaded.
    shadow: ShadowRunner | None = None
    #: This process, as /readyz, /v1/model and /metrics name it.
    replica: str = ""
    process_id: int = 0
    #: Why the registry's current version is not the one served, when a load of it failed.
    load_problem: LoadProblem | None = None
    #: What ``current`` held when this process last looked.
    registry_pointer: str | None = None
    #: The registry as it was when a load last failed: not tried again until it changes.
    failed_mark: RegistryMark | None = None

    #: Where batches are scored, off the event loop (made on the first batch).
    batch_pool: BatchPool | None = None

    @property
    def serving_version(self) -> str | None:
        serving = self.serving
        return serving.predictor.version if serving is not None else None

    async def reload(
        self, trigger: LoadTrigger
    ) -> tuple[str | None, Serving | LoadFailure] | None:
        """Load the registry's current model in a worker thread and, only if it loaded
        completely, make it serve (one reference swap); otherwise keep the model served and
        record why (``load_problem``). Returns the version served before and the load's result.
        Loads are serialised; a watch load that finds, once it holds the lock, that another load
        already did its work returns None."""
        async with self.reload_lock:
            mark = await run_in_threadpool(registry_mark, self.settings.models_dir)
            self.registry_pointer = mark.pointer
            if trigger == "watch" and not self.wants(mark):
                return None
            previous = self.serving_version
            result = await run_in_threadpool(load_serving, self.settings)
            counter = self.metrics.watch_loads if trigger == "watch" else self.metrics.reloads
            if isinstance(result, LoadFailure):
                self.failed_mark = mark
                self.load_problem = LoadProblem(mark.pointer, previous, result.error,
                                                result.detail, datetime.now(UTC))
                if trigger != "start":
                    counter.labels("failure").inc()
                if self.serving is None:
                    self.fail_initial(result)
                else:
                    self.metrics.load_failed.set(1)
                log.error(
                    "the registry's current model %s could not be loaded (%s, on %s); still "
                    "serving %s: %s", mark.pointer or "(none promoted)", result.error, trigger,
                    previous or "no model", result.detail, extra={"model_version": previous},
                )
                return previous, result
            self.install(result)
            if trigger != "start":
                counter.labels("success").inc()
            version = result.predictor.version
            log.info("serving model %s (was %s; loaded on %s)", version, previous, trigger,
                     extra={"model_version": version})
            return previous, result

    def wants(self, mark: RegistryMark) -> bool:
        """Whether the registry as ``mark`` saw it calls for a load: ``current`` names another
        version than the one served, and the last failed load did not see the same registry."""
        if mark.version is not None and mark.version == self.serving_version:
            if self.load_problem is not None:
                log.info("the registry's current is again %s, the version served", mark.version)
                self.load_problem = None
                self.failed_mark = None
                self.metrics.load_failed.set(0)
            return False
        return mark != self.failed_mark

    async def follow_registry(self) -> None:
        """One look at the registry (a file read and three stats, in a worker thread: a slow
        filesystem never holds the event loop) and a load if it calls for one."""
        mark = await run_in_threadpool(registry_mark, self.settings.models_dir)
        self.registry_pointer = mark.pointer
        if self.wants(mark):
            await self.reload("watch")

    async def watch_registry(self) -> None:
        """Follow the registry every ``model_watch_seconds`` until cancelled. The first look
        comes at a random point of the first interval, so the processes of a deployment do not
        all read (and load) at the same instant."""
        interval = self.settings.model_watch_seconds
        await asyncio.sleep(random.uniform(0, interval))
        while True:
            try:
                await self.follow_registry()
            except Exception:
                # The watch must outlive any one failure (it is how promotions arrive).
                log.exception("model watch: looking at the registry failed; trying again")
            await asyncio.sleep(interval)

    def batches(self) -> BatchPool:
        """The bounded pool batches run on (``TRIAGE_BATCH_WORKERS``, ``TRIAGE_BATCH_QUEUE``)."""
        if self.batch_pool is None:
            self.batch_pool = BatchPool(self.settings.batch_workers, self.settings.batch_queue)
        return self.batch_pool

    def close_batches(self) -> None:
        """Stop the batch pool's threads (at shutdown, after the last request)."""
        if self.batch_pool is not None:
            self.batch_pool.close()

    def install(self, serving: Serving) -> None:
        """Make ``serving`` the model every new request uses (one reference assignment)."""
        self.serving = serving
        self.load_problem = None
        self.failed_mark = None
        self.metrics.load_failed.set(0)
        self.metrics.set_model(serving.predictor.version, str(serving.info.get("kind")),
                               serving.predictor.text_preprocessing.matches)
        self.drift = drift_for(self.settings, serving.predictor.version)
        freeze_heap()

    def after_answer(self, answered: list[tuple[str, TriageRequest, str]]) -> None:
        """What follows every committed suggestion ``(id, request, final suggestion)``: the
        drift window sees the request, and the shadow (if any) is handed it, without waiting."""
        drift = self.drift
        if drift is not None:
            for _, request, _ in answered:
                drift.observe(request)
        if self.shadow is not None:
            self.shadow.submit(answered)

    def refresh_drift(self) -> None:
        """Put the drift window's current figures on the metrics (called by GET /metrics)."""
        drift = self.drift
        if drift is not None:
            self.metrics.set_drift(drift.psi_by_field(), len(drift))

    def start_shadow(self) -> None:
        """Load TRIAGE_SHADOW_VERSION and start its runner. A shadow that cannot be loaded is
        logged and left off: it must never stop the serving model from serving."""
        version = self.settings.shadow_version
        if not version:
            return
        try:
            predictor = load_predictor(self.settings.models_dir, ref=version)
            predictor.suggest(WARM_UP_REQUEST)
        except Exception as exc:
            log.error("shadow model %s not loaded, so no shadow runs: %s: %s", version,
                      type(exc).__name__, exc)
            return
        self.shadow = ShadowRunner(predictor, self.store, self.metrics,
                                   self.settings.shadow_queue)
        log.info("shadow model %s scores every request beside the serving one",
                 predictor.version, extra={"model_version": predictor.version})

    def stop_shadow(self) -> None:
        if self.shadow is not None:
            self.shadow.stop()
            self.shadow = None

    def fail_initial(self, failure: LoadFailure) -> None:
        self.not_ready_reason = (
            f"no model loaded: {failure.detail} (registry: {self.settings.models_dir}); "
            "train and promote one, then POST /v1/admin/reload"
        )
        self.metrics.set_model(None, None)
