"""Training at scale: synthesise, write Parquet, train_and_register; time and memory per stage.

    .venv/bin/python benchmarks/bench_training.py [--rows 1000000] [--seed 21]
        [--candidates linear,boosted] [--promote] [--keep DIR]

Target (issue 3): a 1,000,000-row export trained, evaluated, reported and registered within
5 minutes and 4 GB on 2 cores. The data is SYNTHETIC (``triage.history.synth.generate``). Each
stage's wall time is measured between the progress callbacks of
``training.train.train_and_register`` (the same ones the CLI shows), and peak RSS
(``resource.getrusage``, the process high-water mark of this process alone) and CPU seconds (user +
system of this process and of its worker processes: on a shared machine wall time exceeds it) are
taken at every stage boundary. The feature code runs joblib worker processes, whose memory the
high-water mark does not see, so a background sampler also sums the RSS of this process and all its
live descendants every 0.2 s (from /proc; shared pages count once per process, so it errs high):
that is the "tree" peak. Prints figures; asserts nothing. Say in any report that the machine was
shared, if it was.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import threading
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from training.train import train_and_register
from triage.history import synth

console = Console(highlight=False, soft_wrap=True)
PAGE = os.sysconf("SC_PAGE_SIZE")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (None if the process is gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def descendants() -> list[int]:
    """Live child processes, recursively (the feature code's joblib workers)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))) is not None:
            parent[int(entry)] = int(fields[1])
    out, frontier = [], [os.getpid()]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parent.items() if pp == pid]
        out.extend(kids)
        frontier.extend(kids)
    return out


def cpu_seconds() -> float:
    """User + system CPU of this process, its reaped children and its live descendants."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        use = resource.getrusage(who)
        total += use.ru_utime + use.ru_stime
    for pid in descendants():
        if (fields := _stat(pid)) is not None:
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def _rss_mib(pid: int | str) -> float:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE / 2**20
    except (FileNotFoundError, ProcessLookupError):
        return 0.0


def current_rss_mib() -> float:
    """RSS of this process plus its live descendants (an upper bound: shared pages count twice)."""
    return _rss_mib("self") + sum(_rss_mib(pid) for pid in descendants())


class Stages:
    """Progress callback that records when each stage starts and the RSS seen during it."""

    def __init__(self) -> None:
        self.rows: list[list[object]] = []
        self._stage: str | None = None
        self._start = time.perf_counter()
        self._cpu = cpu_seconds()
        self._max_rss = 0.0
        self.tree_peak = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            rss = current_rss_mib()
            with self._lock:
                self._max_rss = max(self._max_rss, rss)
                self.tree_peak = max(self.tree_peak, rss)

    def start(self, stage: str) -> None:
        self._close()
        self._stage = stage
        self._start = time.perf_counter()
        self._cpu = cpu_seconds()
        with self._lock:
            self._max_rss = current_rss_mib()
            self.tree_peak = max(self.tree_peak, self._max_rss)
        if not self._sampler.is_alive():
            self._sampler.start()

    def _close(self) -> None:
        if self._stage is None:
            return
        with self._lock:
            top = self._max_rss
        self.rows.append([self._stage, time.perf_counter() - self._start,
                          cpu_seconds() - self._cpu, top, peak_rss_mib()])
        self._stage = None

    def __call__(self, stage: str, detail: str) -> None:
        if stage != self._stage:
            self.start(stage)
        console.print(f"  [{time.strftime('%H:%M:%S')}] {stage}: {detail}", markup=False)

    def finish(self) -> None:
        self._close()
        self._stop.set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--candidates", default="linear,boosted")
    parser.add_argument("--promote", action="store_true", help="also run the safety gate")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the export and registry in this folder")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-training-"))
    work.mkdir(parents=True, exist_ok=True)
    stages = Stages()
    console.print(f"bench_training: {args.rows:,} SYNTHETIC rows, seed {args.seed}, "
                  f"{os.cpu_count()} CPUs visible, load average {os.getloadavg()[0]:.1f}")
    t_all = time.perf_counter()
    try:
        stages("synthesise", f"{args.rows:,} rows")
        frame = synth.generate(args.rows, args.seed)
        stages("write parquet", str(work / "export.parquet"))
        synth.write_frame(frame, work / "export.parquet")
        del frame
        result = train_and_register(
            work / "export.parquet", work / "models", promote=args.promote,
            candidates=tuple(c.strip() for c in args.candidates.split(",") if c.strip()),
            progress=stages,
        )
    finally:
        stages.finish()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - t_all

    table = Table(title=f"train_and_register on {args.rows:,} synthetic rows")
    for col in ("stage", "wall s", "CPU s", "max tree RSS in stage MiB",
                "peak RSS (main) so far MiB"):
        table.add_column(col, justify="right" if col != "stage" else "left")
    for stage, secs, cpu, top, peak in stages.rows:
        table.add_row(str(stage), f"{secs:.1f}", f"{cpu:.1f}", f"{top:,.0f}", f"{peak:,.0f}")
    console.print(table)
    m = result.metrics
    console.print(
        f"total wall {total:.1f}s (target 300s), CPU {cpu_seconds():.1f}s; peak RSS: main "
        f"process {peak_rss_mib():,.0f} MiB, process tree {stages.tree_peak:,.0f} MiB "
        f"(target 4096 MiB); load average now {os.getloadavg()[0]:.1f}\n"
        f"version {result.version}: test n {m['n']:,}, under-triage "
        f"{100 * m['under_triage_rate']:.2f}%, diversion {100 * m['diversion_rate']:.2f}%, "
        f"oracle diversion {100 * (m['oracle_diversion_rate'] or 0):.2f}%, kind {result.kind}"
    )


if __name__ == "__main__":
    main()
