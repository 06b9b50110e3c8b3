"""The instruction-count regression guard: what it measures, and its checked-in budget.

CI cannot time code on a shared machine; it can count. ``count_suggest_instructions`` runs
``instruction_workload.py`` under ``valgrind --tool=callgrind`` and returns the instructions
executed by ``GUARD_CALLS`` calls of ``Predictor.suggest`` (rules, features, model, policy,
reasons) on a small model trained here from fixed SYNTHETIC data (``GUARD_ROWS`` rows, seed
``GUARD_SEED``, ``random_state=0``). The model is the boosted stack, the candidate the product
serves (``GUARD_CANDIDATES``): its count covers the linear stage, every averaged boosting fit's
trees and the calibration, so a regression in any of them moves it (until 2026-12-03 the guard
counted a linear-only model, and the boosting's share of a request had no guard). The count
does not depend on the machine's load: the hash seed is fixed (PYTHONHASHSEED=0), numerical
libraries run one thread, and the same model and requests come out of the same seeds every
time.

``instruction_budget.json`` holds the count measured when the budget was last set, with the
Python and library versions it was measured under; ``tests/test_instruction_budget.py`` fails
when a change exceeds it by more than ``tolerance``. After a deliberate change that costs
instructions (or an upgrade), re-measure and commit the new budget, saying why::

    .venv/bin/python tests/instruction_guard.py --update
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKLOAD = HERE / "instruction_workload.py"
BUDGET_FILE = HERE / "instruction_budget.json"
#: Synthetic rows the guard's model learns from, and the seeds of its data and requests.
GUARD_ROWS = 4_000
GUARD_SEED = 1_414
#: The candidates the guard's model is fitted with: the served kind, the whole per-request path.
GUARD_CANDIDATES = ("boosted",)
REQUEST_SEED = 1_415
#: Requests warmed on (not counted), then requests counted.
WARM_CALLS = 20
GUARD_CALLS = 200
#: A count above budget * (1 + TOLERANCE) fails the guard.
TOLERANCE = 0.03
_LIBRARIES = ("numpy", "scipy", "scikit-learn", "polars", "pydantic", "symspellpy")


def library_versions() -> dict[str, str]:
    """The versions a count depends on (another version may execute other instructions)."""
    out = {"python": platform.python_version()}
    out.update({lib: version(lib) for lib in _LIBRARIES})
    return out


def build_inputs(folder: Path) -> tuple[Path, Path]:
    """Train the guard's model and write it and its requests to ``folder``."""
    import joblib

    from triage.history.synth import generate
    from triage.model import fit_model
    from triage.schema import TriageRequest

    df = generate(GUARD_ROWS, GUARD_SEED).sort("received_at")
    cut = int(df.height * 0.8)
    model = fit_model(df.head(cut), df.tail(df.height - cut), candidates=GUARD_CANDIDATES,
                      random_state=0)
    if model.kind not in GUARD_CANDIDATES:
        raise RuntimeError(f"the guard's model is {model.kind!r}, not one of {GUARD_CANDIDATES}")
    model_path = folder / "guard-model.joblib"
    joblib.dump(model, model_path)
    fields = list(TriageRequest.model_fields)
    rows = generate(WARM_CALLS + GUARD_CALLS, REQUEST_SEED).to_dicts()
    requests = [
        TriageRequest(**{k: v for k, v in row.items() if k in fields and v is not None})
        .model_dump(mode="json", exclude_none=True)
        for row in rows
    ]
    requests_path = folder / "guard-requests.json"
    requests_path.write_text(
        json.dumps({"warm": requests[:WARM_CALLS], "measured": requests[WARM_CALLS:]})
    )
    return model_path, requests_path


def count_suggest_instructions(model: Path, requests: Path, *, slowdown: bool = False) -> int:
    """Instructions executed by the workload's counted loop, under callgrind."""
    with tempfile.TemporaryDirectory(prefix="callgrind-") as tmp:
        out = Path(tmp) / "callgrind.out"
        env = {
            **os.environ,
            "PYTHONHASHSEED": "0",
            "TRIAGE_CALLGRIND": "1",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "POLARS_MAX_THREADS": "1",
        }
        cmd = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no",
            "--toggle-collect=qsort_r", f"--callgrind-out-file={out}",
            sys.executable, str(WORKLOAD), str(model), str(requests),
        ]
        if slowdown:
            cmd.append("--slowdown")
        run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200)
        if run.returncode != 0:
            raise RuntimeError(f"callgrind run failed ({run.returncode}):\n{run.stderr[-3000:]}")
        collected = re.findall(r"Collected : (\d+)", run.stderr)
        if not collected:
            raise RuntimeError(f"callgrind reported no count:\n{run.stderr[-2000:]}")
        return int(collected[-1])


def read_budget() -> dict[str, object]:
    budget: dict[str, object] = json.loads(BUDGET_FILE.read_text())
    return budget


def main() -> None:
    ap = argparse.ArgumentParser(description="Measure (and with --update, record) the budget.")
    ap.add_argument("--update", action="store_true", help=f"write {BUDGET_FILE.name}")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="instruction-guard-") as tmp:
        model, requests = build_inputs(Path(tmp))
        count = count_suggest_instructions(model, requests)
    record = {
        "instructions": count,
        "calls": GUARD_CALLS,
        "candidates": list(GUARD_CANDIDATES),
        "tolerance": TOLERANCE,
        "versions": library_versions(),
        "what": "Predictor.suggest x calls on the guard's model (tests/instruction_guard.py)",
    }
    sys.stdout.write(json.dumps(record, indent=2) + "\n")
    if args.update:
        BUDGET_FILE.write_text(json.dumps(record, indent=2) + "\n")


if __name__ == "__main__":
    main()
