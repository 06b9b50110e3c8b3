"""Out-of-fold reading of the hand-written corpus: how the product reads suites it never learnt.

    .venv/bin/python benchmarks/measure_corpus_cv.py --data history.parquet --out /tmp/cv \
        [--folds 4] [--seed 8] [--json cv.json] [--slice-tolerance 0.02]

Every suite in the corpus listing (vignettes/corpus.toml) also trains the model, so reading
those suites with the shipped model measures what it was taught, and the sealed suites may
never be used to choose anything. This script gives a third, honest measure to choose on: the
listing's files are split into ``--folds`` groups (whole files, shuffled with ``--seed``); for
each group a model is trained with ``triage train --corpus`` on a listing WITHOUT that group
(same history, same settings, its own registry under ``--out``), and the group's vignettes are
read by that model. Every tuned vignette is thus read once by a model that never saw it.

Printed overall (and per fold in ``--json``):
- critical sensitivity as served (rules and model) and of the model alone;
- acceptable rate as served and of the model alone;
- requests that need an ambulance (acceptable only ``deploy``) not sent one;
- why each unacceptable answer was unacceptable: a red flag over-rode a non-deploy model, the
  model's deploy threshold (its global one, or a slice threshold below it), or a non-deploy
  answer outside what was acceptable;
- the same reading with the policy's slice thresholds removed, so their cost on hand-written
  wording is measured beside what they buy on synthetic history
  (``benchmarks/measure_oracle_gap.py``).

The rules in force are the current ones, tuned on these same suites, so the served figures are
optimistic about the rules. The model-alone figures are nearly out of sample: the model never
trained on a held group, but the text normaliser it reads through (abbreviations, spellings) was
also tuned on some of these suites. Never pass a sealed suite (the
corpus loader refuses one). Asserts nothing: docs/CLINICAL_SAFETY.md (H1) records the figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import random
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from triage.corpus import default_listing, load_corpus
from triage.policy import SLICE_TOLERANCE, DecisionPolicy
from triage.predictor import Predictor
from triage.registry import load_predictor, read_manifest
from triage.schema import Disposition
from triage.vignettes import Vignette, load_vignettes

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Tally:
    """Counts for one group of out-of-fold vignettes under one policy."""

    n: int = 0
    critical: int = 0
    critical_served: int = 0
    critical_model: int = 0
    acceptable_served: int = 0
    acceptable_model: int = 0
    need: int = 0
    need_missed: int = 0
    causes: Counter[str] = field(default_factory=Counter)

    def add(self, v: Vignette, served: Disposition, model: Disposition, flagged: bool,
            slice_only: bool) -> None:
        self.n += 1
        self.acceptable_served += served in v.acceptable
        self.acceptable_model += model in v.acceptable
        if v.critical:
            self.critical += 1
            self.critical_served += served is Disposition.DEPLOY
            self.critical_model += model is Disposition.DEPLOY
        if v.acceptable == [Disposition.DEPLOY]:
            self.need += 1
            self.need_missed += served is not Disposition.DEPLOY
        if served in v.acceptable:
            return
        if served is Disposition.DEPLOY and model is not Disposition.DEPLOY and flagged:
            self.causes["a red flag over a non-deploy model"] += 1
        elif served is Disposition.DEPLOY and slice_only:
            self.causes["the model, at a slice threshold"] += 1
        elif served is Disposition.DEPLOY:
            self.causes["the model, at the global threshold"] += 1
        elif Disposition.DEPLOY in v.acceptable and v.acceptable == [Disposition.DEPLOY]:
            self.causes["not sent an ambulance it needed"] += 1
        else:
            self.causes[f"{served.value} where {'/'.join(a.value for a in v.acceptable)}"] += 1

    def row(self) -> list[str]:
        def rate(a: int, b: int) -> str:
            return f"{a}/{b} = {a / b:.3f}" if b else "-"
        return [str(self.n), rate(self.critical_served, self.critical),
                rate(self.critical_model, self.critical), f"{self.acceptable_served / self.n:.3f}",
                f"{self.acceptable_model / self.n:.3f}", f"{self.need_missed}/{self.need}"]

    def describe(self) -> dict[str, Any]:
        return {**{k: v for k, v in dataclasses.asdict(self).items() if k != "causes"},
                "causes": dict(self.causes)}


def split_listing(listing: Path, folds: int, seed: int) -> tuple[dict[str, Any], list[list[str]]]:
    """The listing's table and its files in ``folds`` groups (whole files, shuffled).

    The listing is loaded once as training would load it first (``load_corpus``: every file
    valid, no sealed suite beside the listing or in the project), so a bad listing stops the
    run before anything is trained.
    """
    load_corpus(listing)
    raw = tomllib.loads(listing.read_text(encoding="utf-8"))
    files = [f["path"] for f in raw["file"]]
    if not 2 <= folds <= len(files):
        raise SystemExit(f"--folds must be 2..{len(files)} for {listing}. Got {folds}.")
    random.Random(seed).shuffle(files)
    return raw, [sorted(files[k::folds]) for k in range(folds)]


def _toml_str(text: str) -> str:
    """A TOML basic string: JSON's escaping without its surrogate pairs (TOML takes raw Unicode)."""
    return json.dumps(text, ensure_ascii=False)


def check_fold_model(models: Path, version: str, listing: Path, held: list[str]) -> None:
    """Refuse a fold model whose corpus is not the listing minus ``held`` as the files are now:
    the guarantee that every group is read by a model that never trained on it (checked from
    the model's own manifest, so a model reused from another split, seed or listing is caught)."""
    corpus = read_manifest(models, version).get("corpus") or {}
    trained = {Path(f["path"]).name: f["sha256"] for f in corpus.get("files", [])}
    raw = tomllib.loads(listing.read_text(encoding="utf-8"))
    expected = {}
    for entry in raw["file"]:
        if entry["path"] not in held:
            path = listing.parent / entry["path"]
            expected[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()
    if trained != expected:
        raise SystemExit(
            f"{models} ({version}) was trained on another corpus than this fold's "
            f"(differs on {sorted(set(trained.items()) ^ set(expected.items()))[:3]}...). "
            "Run without --reuse, or with another --out."
        )


def write_listing(raw: dict[str, Any], listing: Path, held: list[str], out: Path) -> Path:
    """A listing without ``held``, its paths pointing at the original files."""
    base = listing.parent.resolve()
    lines = [f"weight = {float(raw['weight'])!r}",
             f"weight_reason = {_toml_str('Cross-validation fold: ' + raw['weight_reason'])}",
             ""]
    for entry in raw["file"]:
        if entry["path"] in held:
            continue
        rel = os.path.relpath(base / entry["path"], out.resolve())
        lines += ["[[file]]", f"path = {_toml_str(rel)}",
                  f"reason = {_toml_str(entry['reason'])}", ""]
    path = out / "corpus.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def train_fold(data: Path, corpus: Path, models: Path, slice_tolerance: float) -> None:
    env = {**os.environ, "TRIAGE_MODELS_DIR": str(models)}
    cmd = [sys.executable, "-c", "from triage_cli.main import main; main()", "train",
           "--data", str(data), "--corpus", str(corpus), "--promote", "--quiet",
           "--slice-tolerance", str(slice_tolerance)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"training for {corpus} failed ({done.returncode}):\n{done.stderr}")


def policies(shipped: DecisionPolicy) -> dict[str, DecisionPolicy]:
    """The policy as fitted, and the same with its slice thresholds removed (global kept)."""
    return {"shipped": shipped,
            "no slice thresholds": dataclasses.replace(shipped, slice_thresholds={})}


def read_fold(predictor: Predictor, vignettes: list[Vignette], tallies: dict[str, Tally]) -> None:
    """Each vignette read under the shipped policy and without its slice thresholds."""
    for name, policy in policies(predictor.model.policy).items():
        pred = Predictor(dataclasses.replace(predictor.model, policy=policy), predictor.version)
        got = pred.suggest_many([v.request for v in vignettes])
        for v, s in zip(vignettes, got, strict=True):
            p = s.probabilities[Disposition.DEPLOY.value]
            slice_only = p < policy.deploy_threshold
            tallies[name].add(v, s.suggestion, s.model_suggestion, bool(s.red_flags), slice_only)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="synthetic history to train on")
    ap.add_argument("--out", type=Path, required=True, help="a folder for the fold registries")
    ap.add_argument("--listing", type=Path, default=default_listing())
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--json", type=Path, default=None, help="write the figures here too")
    ap.add_argument("--slice-tolerance", type=float, default=SLICE_TOLERANCE,
                    help="the policy's slice tolerance for every fold (docs/CLINICAL_SAFETY.md, "
                    "H1, read the folds at 6 points with 0.06)")
    ap.add_argument("--reuse", action="store_true",
                    help="read models already trained under --out instead of training again")
    args = ap.parse_args()
    console = Console(highlight=False, width=150)

    raw, groups = split_listing(args.listing, args.folds, args.seed)
    overall = {"shipped": Tally(), "no slice thresholds": Tally()}
    per_fold: list[dict[str, Any]] = []
    for k, held in enumerate(groups):
        out = args.out / f"fold{k}"
        out.mkdir(parents=True, exist_ok=True)
        if not args.reuse:
            train_fold(args.data, write_listing(raw, args.listing, held, out), out / "models",
                       args.slice_tolerance)
        predictor = load_predictor(out / "models")
        check_fold_model(out / "models", predictor.version, args.listing, held)
        vignettes = [v for f in held for v in load_vignettes(args.listing.parent / f)]
        tallies = {"shipped": Tally(), "no slice thresholds": Tally()}
        read_fold(predictor, vignettes, tallies)
        for name, t in tallies.items():
            o = overall[name]
            for attr in ("n", "critical", "critical_served", "critical_model",
                         "acceptable_served", "acceptable_model", "need", "need_missed"):
                setattr(o, attr, getattr(o, attr) + getattr(t, attr))
            o.causes.update(t.causes)
        policy = predictor.model.policy
        per_fold.append({"fold": k, "held_out": held, "model": predictor.version,
                         "deploy_threshold": policy.deploy_threshold,
                         "slice_thresholds": dict(policy.slice_thresholds or {}),
                         **{name: t.describe() for name, t in tallies.items()}})
        console.print(f"fold {k}: {predictor.version} never saw {', '.join(held)}")

    table = Table(title=f"out-of-fold reading of {args.listing.name} ({args.folds} folds)")
    for col in ("policy", "vignettes", "critical, served", "critical, model alone",
                "acceptable, served", "acceptable, model alone", "need deploy, missed"):
        table.add_column(col)
    for name, t in overall.items():
        table.add_row(name, *t.row())
    console.print(table)
    causes = Table(title="why an answer was unacceptable (out of fold)")
    causes.add_column("cause")
    for name in overall:
        causes.add_column(name, justify="right")
    for cause in sorted(set().union(*(t.causes for t in overall.values()))):
        causes.add_row(cause, *(str(t.causes[cause]) for t in overall.values()))
    console.print(causes)
    if args.json is not None:
        args.json.write_text(json.dumps(
            {"listing": str(args.listing), "folds": per_fold,
             "overall": {name: t.describe() for name, t in overall.items()}}, indent=2))


if __name__ == "__main__":
    main()
