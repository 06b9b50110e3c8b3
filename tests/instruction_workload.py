"""The workload the instruction-count guard counts (run under callgrind by instruction_guard.py).

Loads a saved ``TrainedModel``, builds its ``Predictor``, warms it on requests of its own, then
runs ``Predictor.suggest`` on every measured request from cold text caches. Only that loop is
counted: it runs inside the C library's ``qsort_r`` (a two-element ``qsort`` whose
comparison is this Python loop), and callgrind is told to collect inside ``qsort_r`` only;
nothing else in the process calls it. Under callgrind (``TRIAGE_CALLGRIND=1``) instrumentation
is switched on just before that call (``callgrind_control -i on``), so imports and loading run
at the uninstrumented speed.

``--slowdown`` wraps ``suggest`` with one extra, uncached narrative normalisation per request:
the deliberate regression the guard's own test must catch.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path


def _inside_qsort_r(fn: Callable[[], None]) -> None:
    """Run ``fn`` inside libc's ``qsort_r`` (callgrind collects there: --toggle-collect)."""
    libc = ctypes.CDLL(None)
    compare_t = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
    ran: list[bool] = []

    def compare(_a: int | None, _b: int | None) -> int:
        if not ran:
            ran.append(True)
            fn()
        return 0

    items = (ctypes.c_int * 2)(1, 2)
    # glibc's qsort sorts through qsort_r, which calls the comparison
    libc.qsort(items, 2, ctypes.sizeof(ctypes.c_int), compare_t(compare))
    if not ran:
        raise RuntimeError("qsort_r never called the workload")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path)
    ap.add_argument("requests", type=Path)
    ap.add_argument("--slowdown", action="store_true")
    args = ap.parse_args()

    import joblib

    from triage.predictor import Predictor
    from triage.schema import TriageRequest
    from triage.text.negation import analyse
    from triage.text.normalise import normalise

    data = json.loads(args.requests.read_text())
    warm = [TriageRequest.model_validate(r) for r in data["warm"]]
    measured = [TriageRequest.model_validate(r) for r in data["measured"]]
    predictor = Predictor(joblib.load(args.model), "instruction-guard")
    for r in warm:
        predictor.suggest(r)
    suggest: Callable[[TriageRequest], object] = predictor.suggest
    if args.slowdown:
        normalise_uncached = normalise.__wrapped__

        def slow(request: TriageRequest) -> object:
            normalise_uncached(request.narrative)
            return predictor.suggest(request)

        suggest = slow

    def workload() -> None:
        for r in measured:
            suggest(r)

    normalise.cache_clear()
    analyse.cache_clear()
    gc.collect()
    gc.freeze()
    if os.environ.get("TRIAGE_CALLGRIND") == "1":
        subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())],
                       check=True, capture_output=True)
    _inside_qsort_r(workload)


if __name__ == "__main__":
    main()
