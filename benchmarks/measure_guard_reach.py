"""What each word-sense guard still hides: concept phrases that run into or out of its words.

A guard (``triage/rules/guards.toml``) drops the readings of the concepts it names in ``blocks``
where it matches, and no other (since 2026-12-05; before, it dropped every reading it overlapped,
and "stabbing pains in his chest" lost its chest pain to the guard "stabbing pain"). A concept
the guard blocks can still be hidden where its phrase runs out of the guard's words into the
rest of the sentence ("a cold" blocks cold exposure, so "a cold sweat" never read as cold
exposure), or into them from before ("dead to the world" blocks "found dead").

This script writes each guard out (``triage.rules.phrases.written_out``), lays every concept
phrase's written-out wordings over its first or last words wherever they share them, reads the
guard's own words and each overlay through the tables' matcher, and lists the readings that
overlap the guard without holding it whole: ``hidden`` (a concept the guard blocks: it is
dropped there) and, with ``--through``, ``reads through`` (a concept the guard lets through,
named in its ``lets_through``). ``tests/test_rules.py`` refuses a guard that any other concept
overlaps, so each new phrase that runs into a guard is a decision someone makes. A clinical
safety officer reads the hidden list for each guard a change adds or widens: an entry that is a
real finding in another sense ("pressure in her chest" beside "blood pressure") is a concept to
move from that guard's ``blocks`` to its ``lets_through``. The overlays are built from the
tables alone, so many are not sentences anyone would say; it prints candidates, never a
verdict.

Run: ``.venv/bin/python benchmarks/measure_guard_reach.py [--guard TEXT] [--through]``
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from dataclasses import dataclass, field

from rich.console import Console
from rich.table import Table

from triage.rules.engine import CONCEPTS, MASKS, _compiled, guard_label
from triage.rules.phrases import parse_phrase, without_clitic, written_out
from triage.text.negation import analyse
from triage.text.normalise import normalise


def _matcher_words(text: str) -> tuple[list[str], list[bool]]:
    """``text`` as the engine's matcher sees it: normalised, clitics read, fillers skipped."""
    comp = _compiled()
    a = analyse(normalise(text))
    words = [comp.bare_clitics.get(without_clitic(w), without_clitic(w)) for w in a.words]
    kept = [i for i, w in enumerate(words) if w not in comp.fillers]
    breaks = []
    for j, i in enumerate(kept):
        stop = kept[j + 1] if j + 1 < len(kept) else len(a.breaks)
        breaks.append(any(a.breaks[i:stop]))
    return [words[i] for i in kept], breaks


@dataclass
class Reach:
    """One guard's overlaps: concept -> an overlay that shows it, hidden or read through."""

    guard: str
    hidden: dict[str, str] = field(default_factory=dict)
    through: dict[str, str] = field(default_factory=dict)


def _concept_wordings() -> dict[str, list[tuple[str, list[str]]]]:
    """Every concept phrase's written-out wordings, as matcher words, filed by each word."""
    by_word: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for concept, phrases in CONCEPTS.items():
        for phrase in phrases:
            if "=" in phrase and "#" not in phrase:  # a structured fact, not text
                continue
            for wording in written_out(parse_phrase(phrase)):
                words, _ = _matcher_words(wording)
                for w in set(words):
                    by_word[w].append((concept, words))
    return by_word


def overlays(guard_words: list[str], concept_words: list[str]) -> list[str]:
    """The texts in which ``concept_words`` runs into the guard's first words from before, or
    out of its last words after it (sharing at least one word, never holding it whole)."""
    out = []
    g, c = guard_words, concept_words
    for k in range(1, min(len(g), len(c))):
        if c[-k:] == g[:k]:  # the concept's tail is the guard's head
            out.append(" ".join(c + g[k:]))
        if g[-k:] == c[:k]:  # the guard's tail is the concept's head
            out.append(" ".join(g + c[k:]))
    return out


def guard_reach(only: str | None = None) -> list[Reach]:
    """Each guard's (or the guards containing ``only``'s) overlapping concept readings, in its
    own written-out words and in every overlay, split by whether the guard blocks them."""
    comp = _compiled()
    by_word = _concept_wordings()
    result = []
    for i, phrase in enumerate(MASKS):
        if only is not None and only not in phrase:
            continue
        label = guard_label(i)
        blocks = comp.guard_blocks[label]
        reach = Reach(phrase)
        for wording in written_out(parse_phrase(phrase)):
            g, _ = _matcher_words(wording)
            if not g:
                continue
            texts = [" ".join(g)]
            for cw in {tuple(x[1]) for w in (g[0], g[-1]) for x in by_word[w]}:
                texts += overlays(g, list(cw))
            for text in texts:
                words, breaks = _matcher_words(text)
                matches = comp.matcher.matches(words, breaks)
                spans = [(s, e) for c, s, e in matches if c == label]
                for concept, s, e in matches:
                    if concept in comp.guard_blocks:
                        continue
                    for gs, ge in spans:
                        if s < ge and gs < e and not (s <= gs and ge <= e):
                            kind = reach.hidden if concept in blocks else reach.through
                            kind.setdefault(concept, text)
        result.append(reach)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--guard", help="only the guards whose phrase contains this text")
    parser.add_argument("--through", action="store_true",
                        help="list the concepts that read through each guard too")
    args = parser.parse_args()
    console = Console()
    table = Table(title="Concept readings a guard overlaps without holding it whole")
    for column in ("guard", "concept", "kind", "an overlay that shows it"):
        table.add_column(column)
    reaches = guard_reach(args.guard)
    hidden = 0
    for r in reaches:
        rows = [(c, "hidden", t) for c, t in sorted(r.hidden.items())]
        if args.through:
            rows += [(c, "reads through", t) for c, t in sorted(r.through.items())]
        for concept, kind, text in rows:
            table.add_row(r.guard[:50], concept, kind, text[:70])
        hidden += len(r.hidden)
    console.print(table)
    console.print(f"{len(reaches)} guards; {hidden} (guard, concept) readings a guard hides, in "
                  "its own words or running into or out of them: read them for the guards a "
                  "change adds or widens.")


if __name__ == "__main__":
    main()
