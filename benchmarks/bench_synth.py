"""Speed and memory of the synthetic history generator (prints figures; asserts nothing).

    .venv/bin/python benchmarks/bench_synth.py [--rows 1000000] [--seed 7] [--write parquet|csv]

Target: 1,000,000 rows in under a minute on 2 cores. The generation runs in a fresh child
process so that the peak RSS printed is the generator's alone (plus the interpreter and
libraries, measured separately as the baseline). The data is SYNTHETIC.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time

from rich.console import Console

console = Console(highlight=False)

_CHILD = """
import json, resource, sys, time
from pathlib import Path
import polars as pl
from triage.history import synth
rows, seed, write = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
df = synth.generate(rows, seed)
t1 = time.perf_counter()
out = {"generate_s": t1 - t0, "baseline_kb": base}
if write != "none":
    path = Path(sys.argv[4]) / f"synth.{write}"
    synth.write_frame(df, path)
    out["write_s"] = time.perf_counter() - t1
    out["file_mb"] = path.stat().st_size / 1e6
out["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
out["frame_mb"] = df.estimated_size() / 1e6
mix = synth.class_mix(df)
out["mix"] = mix
print(json.dumps(out))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--write", choices=("none", "parquet", "csv"), default="none")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # warm the phrase catalogue's imports out of the timing: import time is reported apart
        t0 = time.perf_counter()
        res = subprocess.run(
            [sys.executable, "-c", _CHILD, str(args.rows), str(args.seed), args.write, tmp],
            capture_output=True, text=True, check=False,
        )
        wall = time.perf_counter() - t0
    if res.returncode != 0:
        console.print(f"[red]benchmark child failed:[/red]\n{res.stderr}")
        raise SystemExit(1)
    fig = json.loads(res.stdout.strip().splitlines()[-1])
    rate = args.rows / fig["generate_s"]
    console.print(f"synthetic rows:     {args.rows:,} (seed {args.seed})")
    console.print(f"generate:           {fig['generate_s']:.2f} s  ->  {rate:,.0f} rows/s")
    if "write_s" in fig:
        console.print(f"write {args.write}:      {fig['write_s']:.2f} s  ({fig['file_mb']:.0f} MB)")
    console.print(f"process wall time:  {wall:.2f} s (incl. interpreter and imports)")
    console.print(f"peak RSS:           {fig['peak_kb'] / 1024:,.0f} MB "
                  f"(after imports: {fig['baseline_kb'] / 1024:,.0f} MB; "
                  f"frame {fig['frame_mb']:,.0f} MB)")
    mix = ", ".join(f"{k} {v:.1%}" for k, v in fig["mix"].items())
    console.print(f"class mix:          {mix}")


if __name__ == "__main__":
    main()
