"""Which library corrects misspelt clinical words better and faster: SymSpell or rapidfuzz.

    .venv/bin/python benchmarks/bench_spelling.py [--words 400] [--seed 3]

Misspellings are made from the clinical lexicon (triage.text.spelling.lexicon) with the synthetic
generator's own slips (a swap, a drop, a double or a neighbouring key:
triage.history.synth_text._typo), then each library proposes the closest lexicon word within the
same edit distance as the product allows (1 edit for 5+ letters, 2 for 8+). Prints the share
recovered, the share corrected to a wrong word, and microseconds per look-up. Asserts nothing; the
product uses SymSpell (triage/text/spelling.py says why).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from rich.console import Console

from triage.history.synth_text import _typo
from triage.text.spelling import MIN_LEN_ONE_EDIT, MIN_LEN_TWO_EDITS, lexicon, speller


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=400)
    ap.add_argument("--seed", type=int, default=3)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    lex = sorted(w for w in lexicon() if len(w) >= MIN_LEN_ONE_EDIT)
    sp = speller()
    cases: list[tuple[str, str]] = []
    while len(cases) < args.words:
        w = rnd.choice(lex)
        t = _typo(w, rnd).lower()
        if t != w and t.isalpha() and t not in sp.known:
            cases.append((t, w))
    choices = sorted(lexicon())

    def symspell(word: str) -> str | None:
        return sp.correct(word)

    def fuzz(word: str) -> str | None:
        limit = 2 if len(word) >= MIN_LEN_TWO_EDITS else 1
        hit = process.extractOne(
            word, choices, scorer=DamerauLevenshtein.distance, score_cutoff=limit
        )
        return hit[0] if hit else None

    console = Console(highlight=False, width=120)
    console.print(f"{len(cases)} misspellings of {len(lex)} lexicon words (seed {args.seed})")
    for name, fn in (("symspellpy", symspell), ("rapidfuzz", fuzz)):
        times = []
        right = wrong = 0
        for typo, truth in cases:
            t0 = time.perf_counter_ns()
            got = fn(typo)
            times.append((time.perf_counter_ns() - t0) / 1000)
            if got == truth:
                right += 1
            elif got is not None:
                wrong += 1
        p99 = sorted(times)[int(0.99 * len(times))]
        console.print(
            f"{name:<11} recovered {right / len(cases):6.1%}  wrong word {wrong / len(cases):6.1%}"
            f"  median {statistics.median(times):7.1f} us  p99 {p99:7.1f} us"
        )


if __name__ == "__main__":
    main()
