"""Phrase alternatives that never sit beside their neighbour word: the "a b|c" slip, for review.

A space starts a new position in the tables' phrase language, so "belly button|navel" is the
positions {belly} {button, navel}: it reads "belly button" and "belly navel", never "navel".
The loader refuses the forms it can tell apart (the same word twice side by side, a word twice in
one position, a negative split across a space), but this one is valid and only reads wrongly.
Each slip of it found so far was an alternative that no text ever puts beside its neighbour
("belly navel", "from of", "nearly fainted" written as "nearly|almost went over|fainted"), while it
does sit beside the word one position further out ("round navel", "nearly fainted").

This script lists exactly those candidates, over the normalised words of the texts the project
holds (SYNTHETIC history from ``triage.history.synth``, the project's and shared vignettes, and the
rule probes). It prints candidates for a person to read, never a verdict: most are rare but
correct wordings ("cannot bend her neck" when no text says it). The sealed suites are never read.

Run: ``.venv/bin/python benchmarks/measure_phrase_neighbours.py [--rows N] [--seed S]``
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from rich.console import Console
from rich.table import Table

from triage.history import synth
from triage.rules.engine import CONCEPTS, MASKS
from triage.rules.phrases import Pos, parse_phrase
from triage.text.negation import analyse
from triage.text.normalise import normalise

ROOT = Path(__file__).resolve().parent.parent
#: Text files read for word pairs (the sealed suites are never read: they are measured blind).
TEXT_FILES = [
    ROOT.parent / "shared" / "vignettes" / "examples.jsonl",
    *sorted((ROOT / "triage" / "data").glob("*.jsonl")),
    *sorted(p for p in (ROOT / "vignettes").glob("*.jsonl") if "sealed" not in p.name),
    ROOT / "tests" / "fixtures" / "rule_probes.jsonl",
    ROOT / "tests" / "fixtures" / "harmless_probes.jsonl",
]


def _narratives(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            yield row["request"]["narrative"] if "request" in row else row["narrative"]


def word_pairs(texts: Iterable[str]) -> tuple[set[str], set[tuple[str, str]]]:
    """Every word the rules read in ``texts``, and every pair of them side by side within a
    clause (as the matcher sees them: normalised, never across clause punctuation)."""
    words: set[str] = set()
    pairs: set[tuple[str, str]] = set()
    for text in texts:
        a = analyse(normalise(text))
        words.update(a.words)
        pairs.update((a.words[i], a.words[i + 1]) for i in range(len(a.words) - 1)
                     if not a.breaks[i])
    return words, pairs


def _never_beside(
    fixed: Pos, alts: Pos, outer: frozenset[str], words: set[str],
    pairs: set[tuple[str, str]], forward: bool,
) -> list[str] | None:
    """The alternatives of ``alts`` that never sit beside the single required word of ``fixed``
    but do sit beside a word of ``outer`` (one position further out), when some alternative does
    sit beside it; None when the positions are not of that shape. ``forward``: ``fixed`` comes
    first in the phrase; else last (the pairs are read the other way round)."""
    if len(fixed.words) != 1 or fixed.optional or len(alts.words) < 2:
        return None
    (word,) = fixed.words

    def beside(x: str, y: str) -> bool:
        return ((x, y) if forward else (y, x)) in pairs

    never = sorted(x for x in alts.words if not beside(word, x) and x in words
                   and any(beside(w, x) for w in outer))
    return never if never and any(beside(word, x) for x in alts.words) else None


def candidates(
    phrase: str, words: set[str], pairs: set[tuple[str, str]]
) -> list[tuple[str, list[str]]]:
    """``(the fixed neighbour, its alternatives that never sit beside it)`` for each pair of
    positions in ``phrase`` where one is a single required word and the other offers
    alternatives, some of which do follow (or precede) it and some never, though these sit
    beside the word one position further out: the shape of the "a b|c" slip."""
    pos: tuple[Pos, ...] = parse_phrase(phrase)
    out: list[tuple[str, list[str]]] = []
    for i in range(len(pos) - 1):
        a, b = pos[i], pos[i + 1]
        if a.any or b.any or not a.words or not b.words:
            continue
        before = pos[i - 1].words if i > 0 else frozenset()
        after = pos[i + 2].words if i + 2 < len(pos) else frozenset()
        if never := _never_beside(a, b, before, words, pairs, forward=True):
            out.append((f"{next(iter(a.words))} _", never))
        if never := _never_beside(b, a, after, words, pairs, forward=False):
            out.append((f"_ {next(iter(b.words))}", never))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=100_000, help="synthetic narratives to read")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    console = Console()
    texts = list(synth.generate(args.rows, seed=args.seed)["narrative"])
    for path in TEXT_FILES:
        if path.is_file():
            texts.extend(_narratives(path))
    words, pairs = word_pairs(texts)
    table = Table(title=f"Alternatives never beside their neighbour ({len(texts):,} texts)")
    for col in ("concept", "phrase", "neighbour", "never beside it"):
        table.add_column(col, overflow="fold")
    found = 0
    for concept, phrases in [*CONCEPTS.items(), ("(guard)", MASKS)]:
        for phrase in phrases:
            if "=" in phrase and "#" not in phrase:
                continue  # a structured fact, not text
            for neighbour, never in candidates(phrase, words, pairs):
                found += 1
                table.add_row(concept, phrase, neighbour, ", ".join(never))
    console.print(table)
    console.print(f"{found} candidates: read each; a slip is an alternative meant to replace "
                  "the neighbour too ('belly button|navel'), to be written as its own phrase.")


if __name__ == "__main__":
    main()
