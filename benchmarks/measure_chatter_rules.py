"""Does clinically empty chatter change what the red-flag RULES read? On SYNTHETIC requests.

    .venv/bin/python benchmarks/measure_chatter_rules.py [--sentences FILE] [--rows 600]
        [--seed 31] [--show 40]

``benchmarks/measure_neutral_text.py`` measures the model's sensitivity to words that say
nothing, and leaves out every padded request the rules read differently. This script measures
that other half: each sentence of ``--sentences`` (default
``benchmarks/data/chatter_sentences.txt``: 300 clinically empty sentences in control-room voices
that use everyday words with a medical sense, "Hi team", "the grey Skoda", "the yellow door",
"the stroke of six", "fits the description", written on 2026-12-06 by a helper who had not read
the tables) is appended in turn to every request of the gate suite and ``--rows`` SYNTHETIC
requests, and the red flags and the death reading are compared with the request's own.

It prints how many sentences change some request's reading, how many of them add a flag, remove
one or change whether a death is verified (a removed flag and a death newly verified are listed
whatever their rank: they are the side that could hide an emergency), and for the ``--show``
that change most, how many requests each changes and its commonest change. On the rules of
2026-12-06, 106 of the 300 did, mostly by adding a flag beside an ordinary request
(``injury_with_shock`` for "grey" beside any injury, ``stroke`` beside everything for "the
stroke of six"). Guards for them were tried and not taken: three blind reviews found each
version hiding emergencies in run-on text (docs/experiments/chatter_guards.md).

Asserts nothing: the figures are recorded in docs/experiments/chatter_guards.md.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from measure_neutral_text import padded, positive, read_sentences, reading, sentence_file
from rich.console import Console

from triage.history.synth import generate
from triage.records import requests_of
from triage.schema import TriageRequest
from triage.vignettes import load_safety_suite

ROOT = Path(__file__).resolve().parents[1]
CHATTER = ROOT / "benchmarks" / "data" / "chatter_sentences.txt"

console = Console(highlight=False)

#: What the rules read of one request: the red flags' names, and whether a death is verified.
Reading = tuple[tuple[str, ...], bool]


@dataclass
class Moved:
    """How one sentence, appended, moves what the rules read."""

    sentence: str
    requests: int = 0
    #: (flags added, flags removed, death verified before, after) -> how many requests
    changes: Counter[tuple[tuple[str, ...], tuple[str, ...], bool, bool]] = field(
        default_factory=Counter
    )


def requests(rows: int, seed: int) -> list[TriageRequest]:
    """The gate suite's requests, then ``rows`` SYNTHETIC ones."""
    return [v.request for v in load_safety_suite()] + requests_of(generate(rows, seed))


def moved_by(
    sentence: str, reqs: Sequence[TriageRequest], as_written: Sequence[Reading]
) -> Moved:
    """What ``sentence``, appended to each request, changes in what the rules read."""
    out = Moved(sentence)
    for r, before in zip(reqs, as_written, strict=True):
        after = reading(r.model_copy(update={"narrative": padded(r.narrative, sentence)}))
        if after != before:
            out.requests += 1
            added = tuple(sorted(set(after[0]) - set(before[0])))
            removed = tuple(sorted(set(before[0]) - set(after[0])))
            out.changes[(added, removed, before[1], after[1])] += 1
    return out


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=sentence_file, default=CHATTER)
    ap.add_argument("--rows", type=positive, default=600, help="SYNTHETIC requests")
    ap.add_argument("--seed", type=int, default=31)
    ap.add_argument("--show", type=positive, default=40, help="sentences to list")
    return ap.parse_args(argv)


def describe(change: tuple[tuple[str, ...], tuple[str, ...], bool, bool]) -> str:
    """One change in words: flags added (+) and removed (-), and the death reading."""
    added, removed, verify_before, verify_after = change
    what = f"+{list(added)}" if added else ""
    what += f" -{list(removed)}" if removed else ""
    if verify_before != verify_after:
        what += " death now verified" if verify_after else " death no longer verified"
    return what.strip()


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    sentences = read_sentences(args.sentences)
    reqs = requests(args.rows, args.seed)
    as_written = [reading(r) for r in reqs]
    results = [moved_by(s, reqs, as_written) for s in sentences]
    moving = sorted((m for m in results if m.requests), key=lambda m: -m.requests)
    adds = [m for m in moving if any(c[0] for c in m.changes)]
    removes = [m for m in moving if any(c[1] for c in m.changes)]
    verified = [m for m in moving if any(c[3] and not c[2] for c in m.changes)]
    unverified = [m for m in moving if any(c[2] and not c[3] for c in m.changes)]
    console.print(
        f"{len(sentences)} sentences of {args.sentences}, each appended to {len(reqs):,} "
        f"requests (the gate suite and {args.rows:,} SYNTHETIC of seed {args.seed}): "
        f"{len(moving)} change what the rules read beside some request; {len(adds)} add a flag, "
        f"{len(removes)} remove one, {len(verified)} newly hand a death to the desk, "
        f"{len(unverified)} stop one being verified"
    )
    for m in moving[: args.show]:
        change, n = m.changes.most_common(1)[0]
        console.print(f"  {m.requests:5d} requests, most often {describe(change)} ({n}): "
                      f"{m.sentence[:100]}")
    for m in removes + [v for v in verified if v not in removes]:
        for change, n in m.changes.items():
            if change[1] or (change[3] and not change[2]):
                console.print(f"  REMOVES or VERIFIES: {describe(change)} beside {n} "
                              f"request(s): {m.sentence[:100]}")


if __name__ == "__main__":
    main()
