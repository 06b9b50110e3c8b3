"""Shadow running: a second registered model scores every live request, off the request's path.

``TRIAGE_SHADOW_VERSION`` names the version. The service loads it once at start-up (hash- and
library-checked, like the serving model) and hands every answered request to ``ShadowRunner``
AFTER the serving suggestion is committed and just before the answer is sent: the handler's
answer never waits for the shadow and never contains its suggestion. One thread takes the
waiting requests in groups, scores them with ``Predictor.suggest_many`` and stores each shadow
suggestion on its audit record (``AuditStore.add_shadow``).

Bounded cost: the queue holds at most ``TRIAGE_SHADOW_QUEUE`` requests; beyond it a request is
not shadowed (``triage_shadow_dropped_total``) rather than let the shadow fall ever further
behind. The thread's scoring shares the CPU (and the GIL) with the serving path: the measured
p99 cost is in docs/CAPACITY.md.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

import orjson

from service.metrics import ServiceMetrics
from service.store import AuditStore, ShadowRow, StoreError
from triage.predictor import Predictor
from triage.schema import TriageRequest

log = logging.getLogger(__name__)

#: Most requests scored together (one suggest_many, one audit write).
SHADOW_GROUP = 64
#: Seconds the shadow thread waits for its audit write before counting it failed.
SHADOW_WRITE_TIMEOUT = 30.0
_STOP = object()
#: What the shadow is handed per answered request: (suggestion id, request, served suggestion).
ShadowItem = tuple[str, TriageRequest, str]


class ShadowRunner:
    """One daemon thread scoring queued ``(suggestion id, request, serving suggestion)``."""

    def __init__(self, predictor: Predictor, store: AuditStore, metrics: ServiceMetrics,
                 max_queue: int) -> None:
        self.predictor = predictor
        self.version = predictor.version
        self._store = store
        self._metrics = metrics
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max_queue)
        self._thread = threading.Thread(target=self._run, name="shadow", daemon=True)
        self._thread.start()

    def submit(self, items: Sequence[ShadowItem]) -> None:
        """Queue requests for the shadow without waiting; those that do not fit are dropped."""
        for item in items:
            try:
                self._queue.put_nowait(item)
            except queue.Full:
                self._metrics.shadow_dropped.inc()

    def stop(self, timeout: float = 30.0) -> None:
        """Score what is queued, then stop."""
        self._queue.put(_STOP)
        self._thread.join(timeout=timeout)

    @property
    def pending(self) -> int:
        return self._queue.qsize()

    def _take(self, first: object) -> tuple[list[ShadowItem], bool]:
        """``first`` and whatever else is waiting (up to SHADOW_GROUP), and whether to stop."""
        items: list[ShadowItem] = []
        stop = False
        nxt: object = first
        while True:
            if nxt is _STOP:
                stop = True
                break
            items.append(cast(ShadowItem, nxt))
            if len(items) >= SHADOW_GROUP:
                break
            try:
                nxt = self._queue.get_nowait()
            except queue.Empty:
                break
        return items, stop

    def _run(self) -> None:
        while True:
            items, stop = self._take(self._queue.get())
            if items:
                try:
                    self._score(items)
                except Exception:
                    # The shadow must never take the service down: its failures are logged and
                    # counted, and the next group is scored as usual.
                    log.error("shadow: a group failed", exc_info=True)
                    self._metrics.shadow_failed.inc(len(items))
            if stop:
                return

    def _score(self, items: list[ShadowItem]) -> None:
        results = self.predictor.suggest_many([req for _, req, _ in items])
        now = datetime.now(UTC)
        rows = []
        for (sid, _, serving), s in zip(items, results, strict=True):
            rows.append(ShadowRow(
                id=sid, version=self.version, suggestion=s.suggestion.value,
                model_suggestion=s.model_suggestion.value,
                probabilities_json=orjson.dumps(s.probabilities).decode(),
                red_flags_json=orjson.dumps([f.name for f in s.red_flags]).decode(),
                unfamiliar_wording=s.unfamiliar_wording, at=now))
            self._metrics.observe_shadow(serving, s.suggestion.value)
        try:
            self._store.add_shadow(rows).result(timeout=SHADOW_WRITE_TIMEOUT)
        except (StoreError, TimeoutError):
            log.error("shadow: %d suggestions could not be stored", len(rows), exc_info=True)
            self._metrics.shadow_failed.inc(len(rows))
