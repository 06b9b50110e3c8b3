"""What the registry watch costs each process, and how long a promotion takes to be served.

    python benchmarks/bench_model_watch.py --models-dir DIR

Prints the CPU time of one look at the registry (``service.model_watch.registry_mark``: read
``current``, stat three files), which every process pays every TRIAGE_MODEL_WATCH_SECONDS, and
the time one process takes to load and warm the current model (``service.state.load_serving``),
which is most of what a promotion waits for after the watch has seen it. Nothing is changed in
the registry. The propagation to every process of a real deployment is measured by
tests/test_model_watch.py and tests/test_stack.py (printed with ``-s``; docs/CAPACITY.md).
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
from pathlib import Path

from service.model_watch import registry_mark
from service.state import LoadFailure, load_serving
from triage.settings import Settings

log = logging.getLogger("bench_model_watch")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path, default=Path("models"))
    parser.add_argument("--looks", type=int, default=20_000)
    parser.add_argument("--loads", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    start = time.process_time()
    for _ in range(args.looks):
        registry_mark(args.models_dir)
    per_look_us = (time.process_time() - start) / args.looks * 1e6
    log.info("registry_mark: %.1f us of CPU per look (%d looks); at one look a second that is "
             "%.4f%% of one core per process", per_look_us, args.looks, per_look_us / 1e4)

    settings = Settings(models_dir=args.models_dir)
    walls: list[float] = []
    for _ in range(args.loads):
        t0 = time.perf_counter()
        result = load_serving(settings)
        walls.append(time.perf_counter() - t0)
        if isinstance(result, LoadFailure):
            raise SystemExit(f"cannot load the registry's current model: {result.detail}")
    log.info("load_serving (verify, unpickle, build tables, warm up): median %.2f s, max %.2f s "
             "over %d loads", statistics.median(walls), max(walls), args.loads)


if __name__ == "__main__":
    main()
