"""The unfamiliar-wording policy, measured: each action of triage.familiarity on every suite.

    .venv/bin/python benchmarks/measure_familiarity.py [--models-dir models] [--model current]

Prints, for each vignette suite and each action (flag_only, escalate, deploy): critical
sensitivity, acceptable rate, over-triage and how many vignettes were unfamiliar. The sealed
suite (vignettes/sealed.jsonl) is reported on its own line and must never be used to choose
the policy: the choice is made on the tuning suites, and the sealed line shows what it gives.
Asserts nothing: docs/CLINICAL_SAFETY.md (H2) records the figures and the choice.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from rich.console import Console
from rich.table import Table

from triage.familiarity import ACTIONS, DEFAULT_POLICY
from triage.predictor import Predictor
from triage.registry import load_predictor
from triage.vignettes import load_vignettes, score_vignettes

ROOT = Path(__file__).resolve().parents[1]
TUNING = [
    ROOT / "vignettes" / "tuning.jsonl",
    ROOT / "vignettes" / "published_audit.jsonl",
    ROOT / "vignettes" / "independent_c.jsonl",
    ROOT / "vignettes" / "independent_d.jsonl",
    ROOT.parent / "shared" / "vignettes" / "examples.jsonl",
    *sorted((ROOT / "triage" / "data").glob("vignettes_*.jsonl")),
]
SEALED = ROOT / "vignettes" / "sealed.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models-dir", type=Path, default=ROOT / "models")
    ap.add_argument("--model", default="current")
    args = ap.parse_args()
    base = load_predictor(args.models_dir, args.model)
    console = Console(highlight=False, width=150)
    table = Table(title=f"unfamiliar-wording policy, model {base.version}")
    for col in ("suite", "action", "n", "unfamiliar", "critical sens.", "acceptable", "over"):
        table.add_column(col)
    for path in [*TUNING, SEALED]:
        if not path.exists():
            continue
        vignettes = load_vignettes(path)
        for action in ACTIONS:
            policy = dataclasses.replace(DEFAULT_POLICY, action=action)
            pred = Predictor(base.model, base.version, familiarity=policy)
            got = pred.suggest_many([v.request for v in vignettes])
            score = score_vignettes(vignettes, [s.suggestion for s in got])
            table.add_row(
                ("SEALED " if path == SEALED else "") + path.name,
                action + (" (default)" if action == DEFAULT_POLICY.action else ""),
                str(score.n),
                str(sum(s.unfamiliar_wording for s in got)),
                f"{score.critical_sensitivity:.3f}",
                f"{score.acceptable_rate:.3f}",
                f"{score.over_triage_rate:.3f}",
            )
    console.print(table)


if __name__ == "__main__":
    main()
