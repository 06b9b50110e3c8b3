"""Speed of narrative processing and red-flag detection on the per-request path.

Prints median and p99 microseconds per call for ``triage.text.normalise``,
``triage.text.negation.preprocess`` (what the model's vectorizer runs) and
``triage.rules.engine.detect_red_flags`` (normalise + negation + phrase matching + rules), over a
few thousand varied narratives: synthetic requests from ``triage.history.synth`` (SYNTHETIC data),
the shared and project clinical vignettes, and longer composite narratives (2-4 synthetic narratives
joined, about 300 characters) as a worst-typical case. Each narrative is timed individually
(``time.perf_counter_ns`` and ``time.thread_time_ns`` around one call) with the normalisation caches
cleared first, after one warm-up pass that builds the rule tables. "served (both)" is the
predictor's per-request text work: ``preprocess`` for the model, then ``detect_red_flags`` (which
reuses the cached normalisation).

Targets (docs/CLINICAL_SAFETY.md, issue 4): normalise < 30 us for a 300-character narrative;
detect_red_flags median < 50 us for a typical narrative.

Run: ``.venv/bin/python benchmarks/bench_rules.py [--rows N] [--seed S]``
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from triage.history import synth
from triage.records import requests_of
from triage.rules.engine import detect_red_flags
from triage.schema import TriageRequest
from triage.text.negation import analyse, negation_scopes, preprocess
from triage.text.normalise import normalise

ROOT = Path(__file__).resolve().parent.parent
VIGNETTE_FILES = [
    ROOT.parent / "shared" / "vignettes" / "examples.jsonl",
    *sorted((ROOT / "triage" / "data").glob("*vignettes*.jsonl")),
]


def _requests(rows: int, seed: int) -> dict[str, list[TriageRequest]]:
    synthetic = requests_of(synth.generate(rows, seed=seed))
    vignettes: list[TriageRequest] = []
    for path in VIGNETTE_FILES:
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    vignettes.append(TriageRequest.model_validate(json.loads(line)["request"]))
    rng = random.Random(seed)
    texts = [r.narrative for r in synthetic]
    long: list[TriageRequest] = []
    while len(long) < max(200, rows // 4):
        parts = rng.sample(texts, rng.randint(2, 4))
        joined = ". ".join(parts)
        if 250 <= len(joined) <= 400:
            long.append(TriageRequest(narrative=joined))
    return {"synthetic": synthetic, "vignettes": vignettes, "long (~300 chars)": long}


def _cold() -> None:
    """Forget cached normalisations so that every timed call does the full work."""
    normalise.cache_clear()
    analyse.cache_clear()


def _time(fn: Callable[[Any], object], items: Sequence[Any]) -> tuple[list[float], list[float]]:
    """Per call, from cold caches: wall-clock microseconds and this thread's CPU microseconds.

    CPU time excludes the time the process waits for a core, so on a shared, loaded machine it
    is the steadier figure of the code's own cost; wall time is what a caller sees.
    """
    wall: list[float] = []
    cpu: list[float] = []
    clock, tclock = time.perf_counter_ns, time.thread_time_ns
    for x in items:
        _cold()
        c0 = tclock()
        t0 = clock()
        fn(x)
        t1 = clock()
        c1 = tclock()
        wall.append((t1 - t0) / 1000.0)
        cpu.append((c1 - c0) / 1000.0)
    return wall, cpu


def _pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))]


def _row(name: str, what: str, n: int, chars: float, times: tuple[list[float], list[float]]) -> str:
    wall, cpu = times
    return (
        f"{name:<18} {what:<17} n={n:<5} chars~{chars:>4.0f}  "
        f"wall median {statistics.median(wall):>6.1f} p99 {_pct(wall, 0.99):>7.1f}  "
        f"cpu median {statistics.median(cpu):>6.1f} p99 {_pct(cpu, 0.99):>7.1f}  (us)"
    )


def _served(request: TriageRequest) -> None:
    """What the predictor does with a narrative: the model's text, then the rules (the second
    reads the cached normalisation)."""
    preprocess(request.narrative)
    detect_red_flags(request)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=3000, help="synthetic requests (default 3000)")
    ap.add_argument("--seed", type=int, default=20261122)
    args = ap.parse_args(argv)
    sets = _requests(args.rows, args.seed)
    # warm-up: builds the rule tables and fills caches
    for reqs in sets.values():
        for r in reqs:
            detect_red_flags(r)
    out = sys.stdout
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    out.write(
        "SYNTHETIC data (triage.history.synth) and clinical vignettes; microseconds per call; "
        f"load average {load:.1f} on {os.cpu_count()} cores\n"
    )
    for name, reqs in sets.items():
        texts = [r.narrative for r in reqs]
        norm = [normalise(t) for t in texts]
        chars = statistics.mean(len(t) for t in texts)
        n = len(reqs)
        out.write(_row(name, "normalise", n, chars, _time(normalise, texts)) + "\n")
        out.write(_row(name, "negation_scopes", n, chars, _time(negation_scopes, norm)) + "\n")
        out.write(_row(name, "preprocess", n, chars, _time(preprocess, texts)) + "\n")
        out.write(_row(name, "detect_red_flags", n, chars, _time(detect_red_flags, reqs)) + "\n")
        served = _time(_served, reqs)
        out.write(_row(name, "served (both)", n, chars, served) + "\n")
        flagged = sum(bool(detect_red_flags(r)) for r in reqs)
        out.write(f"{name:<18} flagged {flagged}/{n} requests\n")
    _crafted(out, [r.narrative for r in sets["synthetic"]])
    return 0


#: Hostile inputs at the maximum length (issue 10): what used to backtrack, and what pastes do.
CRAFTED: dict[str, str] = {
    "GCS + 4k em spaces": "GCS" + "\u2003" * 3996 + "8",
    "BM + 4k tabs/spaces": "BM" + " \t" * 1998 + "2",
    "4k zero-width spaces": "not" + "\u200b" * 3980 + " breathing",
    "4k one letter": "a" * 4000,
    "negations x800": "no no " * 666 + "pain",
    "soft hyphens in words": ("unc\u00adon\u00adscious " * 200)[:4000],
    "look-alikes": ("\u0455t\u0430bb\u0435d \u0441h\u0435st " * 250)[:4000],
    "digits and slashes": ("12/40 " * 700)[:4000],
    "age answers x250": ("how old is he? c: six " * 250)[:4000],
    "checks x160": ("checked for a pulse, there is not " * 160)[:4000],
    "key questions x300": ("conscious? n breathing: n " * 300)[:4000],
    "denied keys x250": ("chest pain - n, sob: no. " * 250)[:4000],
    "long keys x140": ("aa bb cc dd ee: nope. " * 200)[:4000],
    "measures x400": ("temp? c: 36.9 " * 400)[:4000],
    "bare conscious keys x300": ("conscious = no breathing = no " * 150)[:4000],
    "transcript lines x150": ("ct: any pain or bleeding c: no " * 150)[:4000],
    # a vital key's answer run on into a sentence, with and without a danger named
    "key run-ons x100": ("breathing: no the male is completely not moving " * 100)[:4000],
    "key run-ons, no danger x100": ("conscious: no the casualty is really fine " * 100)[:4000],
    "one unanswered ct line": "ct: " + ("is he ok and " * 400)[:3980] + " c: yes",
    "ct lists answered no x60": ("ct: any headache, pain, rash, swelling, fever or bleeding "
                                 "c: no none of that " * 60)[:4000],
    # a narrative in lines read twice (lines_as_clauses): negated items, and a form's fields
    "negated lines x250": ("No pain\nSeen " * 400)[:4000],
    "form lines x250": ("Found\nBreathing: no\n" * 250)[:4000],
    "one-case items x330": ("no pain here\n" * 330)[:4000],
    # the thirty-third session's: a danger keyed in a form (joined, then the answer passes read
    # the joined text again), denied fields a line each, values asked, GCS falls
    "danger keys + yes x140": ("Bleeding - heavy\nConscious: yes\n" * 140)[:4000],
    "denied fields x180": ("LOC: no\nAnticoag: none\n" * 180)[:4000],
    "questioned values x220": ("bleeding: heavy? no " * 220)[:4000],
    "gcs falls x400": ("gcs 15 - 9 " * 400)[:4000],
    # the thirty-fourth session's history reading: many events, each with a remote time
    # within reach, and times with nothing to reach (H3 control 9)
    "histories x180": ("stabbed in the back in 2019 " * 180)[:4000],
    "events then times x250": ("overdosed stabbed fell last year " * 250)[:4000],
    "remote times x400": ("in 2019 as a child " * 400)[:4000],
    # the forty-third session's lists of signs of life (triage/text/lists.py): many short lists,
    # and one list of hundreds of items (read to MAX_LIST_ITEMS a round, in bounded rounds)
    "signs-of-life lists x100": ("not moving, breathing, or responding, " * 110)[:4000],
    "one list of 500 signs": "not " + ", ".join(["moving", "breathing", "talking"] * 170)[:3980]
    + " or responding",
    # police shorthand for absent signs (H2 control 37): each round of the rewrite frees the
    # next "nil" of a chain, so a chain is the rewrite's worst case
    "nil chains x200": ("nil resps nil pulse " * 210)[:4000],
    "no resp chains x230": ("no resp no pulse " * 240)[:4000],
    # the forty-fifth session's (H2 control 38): words joined by a plus or a slash, each split
    # and replaced (a slash's pieces recursively), "no resp" looking three words on for CPR, and
    # a denied verb's scope ended at each slash
    "plus chains x500": ("unresp+apnoeic+" * 300)[:4000],
    "slash chains x500": ("resp/cardiac/" * 330)[:4000],
    "no resp before cpr x150": ("no resp bystander doing cpr " * 150)[:4000],
    "denied verbs and slashes x200": ("wont wake/dib/blue lips " * 180)[:4000],
    # a plus after a run of apostrophes: a word boundary before the plus's left word made every
    # position a start (quadratic), which the plus split's lookbehind refuses
    "apostrophes then a plus": ("a'b" * 1333)[:3998] + "+x",
    # the forty-sixth session's (H2 control 39): a list of signs of life joined by slashes
    # under one "not" (read to MAX_LIST_ITEMS a round), many short ones, a slash before "no",
    # and CAD's "?dead" written as a query
    "one slash list of 500 signs": "not "
    + "/".join(["moving", "breathing", "responding"] * 170)[:3996],
    "slash lists x250": ("not moving/breathing " * 200)[:4000],
    "slash before no x250": ("not breathing/no pulse " * 180)[:4000],
    "query marks x500": ("male ?dead ?packed " * 220)[:4000],
}


def _crafted(out: Any, texts: list[str]) -> None:
    """Served cost of each crafted 4,000-character narrative against an ordinary one of the same
    length (synthetic narratives joined); the target is at most 5 times."""
    ordinary: list[str] = []
    rng = random.Random(7)
    while len(ordinary) < 20:
        joined = ""
        while len(joined) < 4000:
            joined += rng.choice(texts) + ". "
        ordinary.append(joined[:4000])
    reqs = [TriageRequest(narrative=t) for t in ordinary]
    base_wall, base_cpu = _time(_served, reqs * 5)
    base = statistics.median(base_cpu)
    out.write(
        f"\nordinary 4,000-char narratives: served cpu median {base:.0f} us "
        f"(wall {statistics.median(base_wall):.0f} us)\n"
    )
    for name, text in CRAFTED.items():
        _, cpu = _time(_served, [TriageRequest(narrative=text)] * 20)
        med = statistics.median(cpu)
        out.write(f"crafted {name:<24} cpu median {med:>8.0f} us  = {med / base:4.2f}x ordinary\n")


if __name__ == "__main__":
    raise SystemExit(main())
