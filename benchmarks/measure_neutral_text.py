"""Does a sentence that says nothing clinical change the answer? Measured on SYNTHETIC requests.

    .venv/bin/python benchmarks/measure_neutral_text.py [--models-dir models] [--model current]
        [--rows 2000] [--seed 12] [--per-vignette 5] [--sentences FILE]

Control-room narratives carry chatter (references, access and parking, radio traffic, a
statement's "At 1420 hours I attended ..."), and the same request can be typed tersely or at
length. A suggestion should not move because of it. This script appends sentences of
``benchmarks/data/neutral_sentences.txt`` to narratives and reads them as served
(``Predictor.suggest_many``: the model, the policy with its slice thresholds, the red-flag
rules).

1. **Synthetic requests** of another seed than the training data (``triage synth`` rows,
   ``--seed``), each with EVERY sentence in turn. It counts:
   - of the requests not sent an ambulance, the share that now gets ``deploy``;
   - of the requests sent one, the share that no longer does;
   - each pooled over all sentences, then by sentence length (under 12 words, 12 to 24, 25 or
     more), with the lowest and highest sentence;
   - the median change in the deploy log-odds;
   - against the synthetic labels, the labelled deploys a sentence newly misses.

   A padded request whose red flags or death reading differ from the request as written is
   counted apart and left out of the shares: the rules read the sentence, so the change is not
   the model's.
2. **Vignettes**: every suite in ``vignettes/`` but the sealed ones, the package's gate suite
   and the shared examples, each vignette with ``--per-vignette`` different sentences. Critical
   vignettes still deployed, answers that move up to ``deploy`` or down from it, and the
   acceptable rate, as written and padded, apart for the suites the model is trained on (the
   corpus listing) and the rest.

The sentences were written on 2026-12-06 by a helper briefed only to write chatter with no
clinical content in varied control-room voices, who saw neither the generator's phrases nor the
model. A second helper, reviewing, struck out those a clinician would not call neutral (custody
and arrest, danger at the scene, urgency, weather and exposure, vulnerability, reassurance) or
that a rule reads; 56 remain. They have since been used to compare remedies
(docs/experiments/neutral_text.md), so they are no longer unseen: judge the next change with a
new set as well. That set is ``benchmarks/data/neutral_sentences_2.txt`` (``--sentences``):
110 sentences written on 2026-12-06 (thirtieth session) by another helper, briefed the same way
with the struck-out kinds named up front, who saw neither the first set nor the product. Of its
120, two that share four running words with a generator phrase were left out, and eight that the
rules read beside some request ("Hi team" as a head injury, "a grey Skoda" as a grey patient,
"the yellow door" as jaundice, "lovely talking to you" as a sign of life beside a death): guards
for such chatter were tried and not taken (docs/experiments/chatter_guards.md).
``tests/test_neutral_text.py`` holds, for both sets, that no sentence changes the red flags of
the gate suite's requests or of 150 SYNTHETIC ones; on other rows a few readings still move ("say
that again?" beside ``breathing=difficulty``) and the measure counts them apart.

Asserts nothing: docs/CLINICAL_SAFETY.md (H1, "Words that say nothing") records the figures.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from rich.console import Console

from triage.corpus import project_corpus
from triage.history.synth import generate
from triage.predictor import Predictor
from triage.records import requests_of
from triage.registry import load_predictor
from triage.rules.engine import read_request
from triage.schema import Disposition, TriageRequest
from triage.suggestion import Suggestion
from triage.vignettes import Vignette, load_vignettes, safety_suite_paths

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT / "benchmarks" / "data" / "neutral_sentences.txt"
SENTENCES_2 = ROOT / "benchmarks" / "data" / "neutral_sentences_2.txt"
EXAMPLES = ROOT.parent / "shared" / "vignettes" / "examples.jsonl"
#: Sentence length bands, in words: (label, shortest, longest).
BANDS = (("under 12 words", 0, 11), ("12 to 24 words", 12, 24), ("25 words or more", 25, 10**6))

console = Console(highlight=False)


def read_sentences(path: Path = SENTENCES) -> list[str]:
    """The sentences, one a line; a blank line or an empty file is refused (it would measure
    nothing)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines, 1):
        if not line.strip():
            raise ValueError(f"{path}, line {i}: a blank line; write one sentence a line.")
    if not lines:
        raise ValueError(f"{path}: no sentences; write one sentence a line.")
    return lines


def padded(narrative: str, sentence: str) -> str:
    return f"{narrative}. {sentence}"


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def reading(request: TriageRequest) -> tuple[tuple[str, ...], bool]:
    """What the rules read: the flags' names, and whether a death is to be verified."""
    r = read_request(request)
    return tuple(f.name for f in r.red_flags), r.verify_death is not None


def share(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part} of {whole})" if whole else "none"


def _requests(rows: int, seed: int) -> tuple[list[TriageRequest], np.ndarray]:
    """Synthetic requests and whether each one's label is ``deploy``."""
    df = generate(rows, seed)
    return requests_of(df), (df["disposition"] == Disposition.DEPLOY.value).to_numpy()


def synthetic(pred: Predictor, sentences: Sequence[str], rows: int, seed: int) -> None:
    requests, label = _requests(rows, seed)
    before = pred.suggest_many(requests)
    deployed = np.array([s.suggestion is Disposition.DEPLOY for s in before])
    logit = np.array([_logit(s.probabilities["deploy"]) for s in before])
    read = [reading(r) for r in requests]
    ups, downs, shifts, missed, rule_moved = [], [], [], 0, 0
    for sentence in sentences:
        longer = [r.model_copy(update={"narrative": padded(r.narrative, sentence)})
                  for r in requests]
        after = pred.suggest_many(longer)
        same = np.array([reading(x) == b for x, b in zip(longer, read, strict=True)])
        rule_moved += int((~same).sum())
        now = np.array([a.suggestion is Disposition.DEPLOY for a in after])
        ups.append((int((same & ~deployed & now).sum()), int((same & ~deployed).sum())))
        downs.append((int((same & deployed & ~now).sum()), int((same & deployed).sum())))
        shifts.append(np.abs(np.array([_logit(a.probabilities["deploy"]) for a in after])
                             - logit)[same])
        missed += int((same & label & deployed & ~now).sum())
    n = len(requests)
    console.print(
        f"synthetic requests of seed {seed}: {n:,} ({int(label.sum())} labelled deploy; "
        f"{int(deployed.sum())} deployed as written), each with each of {len(sentences)} "
        f"sentences: {n * len(sentences):,} padded requests, of which {rule_moved} read "
        "differently by the rules (left out below)")
    lengths = [len(s.split()) for s in sentences]
    for name, rows_of in (("all sentences", range(len(sentences))),
                          *((band, [i for i, w in enumerate(lengths) if lo <= w <= hi])
                            for band, lo, hi in BANDS)):
        idx = list(rows_of)
        if not idx:
            continue
        up = (sum(ups[i][0] for i in idx), sum(ups[i][1] for i in idx))
        down = (sum(downs[i][0] for i in idx), sum(downs[i][1] for i in idx))
        rates = [ups[i][0] / max(ups[i][1], 1) for i in idx]
        console.print(
            f"  {name} ({len(idx)}): not deployed -> deploy {share(*up)}, sentence range "
            f"{min(rates):.3f} to {max(rates):.3f}; deployed -> not {share(*down)}")
    console.print(
        f"  |change in deploy log-odds|: median {np.median(np.concatenate(shifts)):.3f}; "
        f"labelled deploys newly missed, summed over sentences: {missed} "
        f"(of {int(label.sum()) * len(sentences):,} labelled deploy readings)")


def _suites() -> tuple[list[Path], set[str]]:
    """The suites to read (never a sealed one) and the names of those in the corpus."""
    paths = sorted(p for p in (ROOT / "vignettes").glob("*.jsonl") if "sealed" not in p.name)
    paths += safety_suite_paths()
    if EXAMPLES.exists():
        paths.append(EXAMPLES)
    else:
        console.print(f"the shared examples are not at {EXAMPLES}: left out")
    corpus = project_corpus()
    trained = {Path(s.path).name for s in corpus.sources} if corpus is not None else set()
    return paths, trained


def vignettes(pred: Predictor, sentences: Sequence[str], per_vignette: int) -> None:
    paths, trained = _suites()
    groups: dict[str, list[tuple[Vignette, Suggestion, list[Suggestion], list[bool]]]] = {
        "trained on (the corpus)": [], "not trained on": []}
    k = 0
    for path in paths:
        suite = load_vignettes(path)
        before = pred.suggest_many([v.request for v in suite])
        picks = [[sentences[(k + i + j * 7) % len(sentences)] for j in range(per_vignette)]
                 for i in range(len(suite))]
        k += len(suite)
        longer = [v.request.model_copy(update={"narrative": padded(v.request.narrative, s)})
                  for v, chosen in zip(suite, picks, strict=True) for s in chosen]
        after = pred.suggest_many(longer)
        moved = [reading(x) != reading(v.request)
                 for v, x in zip((v for v in suite for _ in range(per_vignette)), longer,
                                 strict=True)]
        group = groups["trained on (the corpus)" if path.name in trained else "not trained on"]
        for i, (v, b) in enumerate(zip(suite, before, strict=True)):
            span = range(i * per_vignette, (i + 1) * per_vignette)
            group.append((v, b, [after[j] for j in span], [moved[j] for j in span]))
    console.print(f"vignettes of {len(paths)} suites (sealed suites never read), each with "
                  f"{per_vignette} sentences")
    for name, rows in groups.items():
        critical = [(b, a) for v, b, a, _ in rows if v.critical]
        kept = sum(b.suggestion is Disposition.DEPLOY for b, _ in critical)
        kept_padded = sum(x.suggestion is Disposition.DEPLOY for _, a in critical for x in a)
        pairs = [(v, b, x) for v, b, a, m in rows for x, moved in zip(a, m, strict=True)
                 if not moved]
        up = sum(b.suggestion is not Disposition.DEPLOY and x.suggestion is Disposition.DEPLOY
                 for _, b, x in pairs)
        down = sum(b.suggestion is Disposition.DEPLOY and x.suggestion is not Disposition.DEPLOY
                   for _, b, x in pairs)
        n_up = sum(b.suggestion is not Disposition.DEPLOY for _, b, _ in pairs)
        ok = sum(b.suggestion in v.acceptable for v, b, _, _ in rows) / max(len(rows), 1)
        ok_padded = sum(x.suggestion in v.acceptable for v, _, a, _ in rows for x in a)
        rule_moved = sum(sum(m) for _, _, _, m in rows)
        console.print(
            f"  {name}: {len(rows):,} vignettes ({rule_moved} padded readings moved by the "
            f"rules, left out of the moves); critical deployed {kept}/{len(critical)} as "
            f"written, {kept_padded}/{len(critical) * per_vignette} padded; not deployed -> "
            f"deploy {share(up, n_up)}; deployed -> not {share(down, len(pairs) - n_up)}; "
            f"acceptable {ok:.3f} as written, "
            f"{ok_padded / max(len(rows) * per_vignette, 1):.3f} padded")


def sentence_file(text: str) -> Path:
    """An argument naming a sentence file: it must be a readable file."""
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"must name a file of sentences. Got {text!r}.")
    return path


def positive(text: str) -> int:
    """An argument that counts something: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1. Got {text!r}.")
    return value


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models-dir", type=Path, default=ROOT / "models")
    ap.add_argument("--model", default="current")
    ap.add_argument("--rows", type=positive, default=2_000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--per-vignette", type=positive, default=5)
    ap.add_argument(
        "--sentences", type=sentence_file, default=SENTENCES,
        help=f"one sentence a line (default {SENTENCES.relative_to(ROOT)}; the unseen second "
        f"set is {SENTENCES_2.relative_to(ROOT)})",
    )
    return ap.parse_args(argv)


def main() -> None:
    args = parse_args()
    sentences = read_sentences(args.sentences)
    console.print(f"sentences {args.sentences} ({len(sentences)})")
    pred = load_predictor(args.models_dir, args.model, require_gate=False)
    console.print(f"model {pred.version}")
    synthetic(pred, sentences, args.rows, args.seed)
    vignettes(pred, sentences, args.per_vignette)


if __name__ == "__main__":
    main()
