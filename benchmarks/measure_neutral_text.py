"""Does a sentence that says nothing clinical change the answer? Measured on SYNTHETIC requests.

    .venv/bin/python benchmarks/measure_neutral_text.py [--models-dir models] [--model current]
        [--rows 3000] [--seed 12]

Control-room narratives carry chatter (who has been told, access and parking, references, the
weather, a statement's "At 1420 hours I attended ..."), and the same request can be typed tersely
or at length. A suggestion should not move because of it. For synthetic requests of another seed
than the training data (``triage synth`` rows, ``--seed``), this script appends to each narrative
one of the sentences of ``benchmarks/data/neutral_sentences.txt`` (request ``i`` gets sentence
``i`` modulo their number) and counts, as served (``Predictor.suggest_many``: the model, the
policy with its slice thresholds, the red-flag rules):

- of the requests not sent an ambulance, the share that now gets ``deploy`` (over-triage bought
  by words that say nothing);
- of the requests sent one, the share that no longer gets ``deploy`` (under-triage: the harm);
- the median and 90th percentile of the change in the deploy log-odds, in either direction;
- under-triage (labelled deploys not deployed) and diversion, as written and with the sentence,
  and the labelled deploys the sentence newly misses.

The sentences were written on 2026-12-06 by a helper briefed only to write chatter with no
clinical content in varied control-room voices, who saw neither the generator's phrases nor the
model; they are never used to train or tune (the generator's own chatter is
``triage.history.synth_chatter``, written before this file was read). None raises a red flag.

Then the same on every vignette suite tuned on or read once (``vignettes/*.jsonl`` but the
sealed ones, and the shared examples): critical vignettes still deployed, and the acceptable
rate, as written and with a sentence appended.

Asserts nothing: docs/CLINICAL_SAFETY.md (H1, "Words that say nothing") records the figures.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
from rich.console import Console

from triage.history.synth import generate
from triage.predictor import Predictor
from triage.registry import load_predictor
from triage.schema import Disposition, TriageRequest
from triage.vignettes import load_vignettes

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT / "benchmarks" / "data" / "neutral_sentences.txt"
SUITES = sorted(p for p in (ROOT / "vignettes").glob("*.jsonl") if "sealed" not in p.name)
EXAMPLES = ROOT.parent / "shared" / "vignettes" / "examples.jsonl"


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def _requests(rows: int, seed: int) -> tuple[list[TriageRequest], np.ndarray]:
    """Synthetic requests and whether each one's label is ``deploy``."""
    df = generate(rows, seed)
    fields = [c for c in df.columns if c in TriageRequest.model_fields]
    requests = [
        TriageRequest.model_validate({k: r[k] for k in fields if r[k] is not None})
        for r in df.iter_rows(named=True)
    ]
    return requests, (df["disposition"] == Disposition.DEPLOY.value).to_numpy()


def _rates(deploy: np.ndarray, label: np.ndarray) -> str:
    """Under-triage (labelled deploys not deployed) and diversion (requests not deployed)."""
    under = int((label & ~deploy).sum())
    return (f"under-triage {under / max(int(label.sum()), 1):.2%} ({under}), "
            f"diversion {1 - deploy.mean():.2%}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models-dir", type=Path, default=ROOT / "models")
    ap.add_argument("--model", default="current")
    ap.add_argument("--rows", type=int, default=3_000)
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    sentences = [s for s in SENTENCES.read_text(encoding="utf-8").splitlines() if s.strip()]
    pred = load_predictor(args.models_dir, args.model, require_gate=False)
    requests, label = _requests(args.rows, args.seed)
    padded = [r.model_copy(update={"narrative": f"{r.narrative}. {sentences[i % len(sentences)]}"})
              for i, r in enumerate(requests)]
    before = pred.suggest_many(requests)
    after = pred.suggest_many(padded)
    deployed = np.array([s.suggestion is Disposition.DEPLOY for s in before])
    now = np.array([s.suggestion is Disposition.DEPLOY for s in after])
    shift = np.abs([_logit(a.probabilities["deploy"]) - _logit(b.probabilities["deploy"])
                    for a, b in zip(after, before, strict=True)])
    up, down = int((~deployed & now).sum()), int((deployed & ~now).sum())
    Console(highlight=False).print(
        f"model {pred.version}: {len(requests):,} synthetic requests of seed {args.seed}, each "
        f"with one of {len(sentences)} neutral sentences appended\n"
        f"  not deployed -> deploy: {up / max(int((~deployed).sum()), 1):.3f} ({up})\n"
        f"  deployed -> not:        {down / max(int(deployed.sum()), 1):.3f} ({down})\n"
        f"  |change in deploy log-odds|: median {np.median(shift):.3f}, "
        f"90th percentile {np.percentile(shift, 90):.3f}\n"
        f"  against the synthetic labels: as written {_rates(deployed, label)}; "
        f"with the sentence {_rates(now, label)}; labelled deploys newly missed: "
        f"{int((label & deployed & ~now).sum())}"
    )
    Console(highlight=False).print(_vignettes(pred, sentences))


def _vignettes(pred: Predictor, sentences: list[str]) -> str:
    """Critical vignettes deployed and the acceptable rate, as written and with a sentence."""
    n = critical = kept = kept_padded = ok = ok_padded = 0
    k = 0
    for path in [*SUITES, *([EXAMPLES] if EXAMPLES.exists() else [])]:
        vignettes = load_vignettes(path)
        padded = []
        for v in vignettes:
            padded.append(v.request.model_copy(
                update={"narrative": f"{v.request.narrative}. {sentences[k % len(sentences)]}"}))
            k += 1
        before = pred.suggest_many([v.request for v in vignettes])
        after = pred.suggest_many(padded)
        for v, b, a in zip(vignettes, before, after, strict=True):
            n += 1
            ok += b.suggestion in v.acceptable
            ok_padded += a.suggestion in v.acceptable
            if v.critical:
                critical += 1
                kept += b.suggestion is Disposition.DEPLOY
                kept_padded += a.suggestion is Disposition.DEPLOY
    return (f"{n:,} vignettes of {len(SUITES) + 1} suites (sealed suites left out): critical "
            f"deployed {kept}/{critical} as written, {kept_padded}/{critical} with a sentence; "
            f"acceptable {ok / n:.3f} as written, {ok_padded / n:.3f} with a sentence")


if __name__ == "__main__":
    main()
