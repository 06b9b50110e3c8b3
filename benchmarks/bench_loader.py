"""Loader throughput and memory on a large synthetic export (prints figures; asserts nothing).

    .venv/bin/python benchmarks/bench_loader.py --rows 1000000 [--format csv|parquet]
        [--bad-fraction 0.001] [--multiline] [--truncated]

The export is synthetic (``triage.history.synth.generate``, CSV written by
``triage.history.synth.write_frame`` as ``triage synth`` does). It is written once to a temporary
folder, then ``load_export`` runs in a fresh child process so that its peak RSS is the loader's
alone. ``--bad-fraction`` corrupts that share of rows (age 300) to time the rejects path;
``--multiline`` puts a line break in every 50th narrative (quoted line breaks, still the fast path);
``--truncated`` cuts the file inside a quoted narrative, as an interrupted export does, which polars
refuses, so the exact csv-module path is timed.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl
from rich.console import Console

from triage.history import synth

console = Console(highlight=False)


def synthetic_frame(rows: int, seed: int) -> pl.DataFrame:
    """A valid synthetic export from the project's generator (SYNTHETIC data, says so)."""
    return synth.generate(rows, seed)


def child(path: Path) -> None:
    """Load once and report (runs in its own process)."""
    from triage.history.loader import load_export

    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    result = load_export(path, write_rejects=False)
    dt = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peak_mib = after.ru_maxrss / 1024
    size_mib = path.stat().st_size / 2**20
    console.print(
        f"{path.suffix[1:]}: {result.rows_read:,} rows ({size_mib:,.0f} MiB): wall {dt:.2f} s = "
        f"{result.rows_read / dt:,.0f} rows/s; CPU {cpu:.2f} s (all threads); kept "
        f"{result.kept:,}, rejected {result.rejected:,}; peak RSS {peak_mib:,.0f} MiB; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--bad-fraction", type=float, default=0.0)
    parser.add_argument("--multiline", action="store_true")
    parser.add_argument("--truncated", action="store_true")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child)
        return
    with tempfile.TemporaryDirectory(prefix="bench-loader-") as tmp:
        t0 = time.perf_counter()
        df = synthetic_frame(args.rows, args.seed)
        if args.bad_fraction > 0:
            rng = np.random.default_rng(args.seed + 1)
            bad = pl.Series(rng.random(df.height) < args.bad_fraction)
            df = df.with_columns(pl.when(bad).then(300).otherwise(pl.col("age")).alias("age"))
        if args.multiline:
            every = pl.int_range(pl.len()) % 50 == 0
            df = df.with_columns(
                pl.when(every)
                .then(pl.col("narrative") + "\nsecond line")
                .otherwise(pl.col("narrative"))
                .alias("narrative")
            )
        path = Path(tmp) / f"export.{args.format}"
        synth.write_frame(df, path)
        if args.truncated and args.format == "csv":
            with path.open("ab") as f:
                f.write(b'"Synthetic: male trapped in car, conscious, bleeding from')
        del df
        console.print(f"generated {args.rows:,} synthetic rows in {time.perf_counter() - t0:.1f} s")
        subprocess.run([sys.executable, __file__, "--child", str(path)], check=True)


if __name__ == "__main__":
    main()
