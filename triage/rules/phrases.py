"""The red-flag tables' phrase language: parsing a phrase into the positions it matches.

Used by the matcher (:mod:`triage.rules.matcher`) and, through :func:`compile_phrase`, by tests
and readers of the tables. Pure functions, no tables read here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise, product

__all__ = ["ANY", "NUMBER_WORDS", "SKIP", "Num", "Pos", "alternatives", "compile_phrase", "expand",
           "number_value",
           "parse_phrase", "without_clitic",
           "without_fillers", "written_out"]

# A phrase is words separated by spaces, matched against consecutive words of normalised text
# that are not separated by clause punctuation. Each position is one of:
#   word          that word exactly
#   a|b|c         any one of these words
#   [a|b]         optionally one of these words
#   #             any number (digits like 60 or 2.1, or a number word like "sixty")
#   #>=10  #<=8   a number in that range (also #>5, #<37, and #20-36 for 20 to 36)
#   *             any single word;  [*] optionally any single word

NUMBER_WORDS: dict[str, float] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "couple": 2,
}


@dataclass(frozen=True, slots=True)
class Num:
    lo: float
    hi: float


ANY = "*"


@dataclass(frozen=True, slots=True)
class Pos:
    """One position of a phrase: the words, numbers or wildcard it accepts; may it be skipped."""

    words: frozenset[str]
    nums: tuple[Num, ...]
    any: bool
    optional: bool

    def accepts(self, word: str) -> bool:
        if self.any or word in self.words:
            return True
        if self.nums:
            v = number_value(word)
            return v is not None and any(n.lo <= v <= n.hi for n in self.nums)
        return False


def _parse_number(spec: str) -> Num:
    rest = spec[1:]
    inf = float("inf")
    if not rest:
        return Num(-inf, inf)
    if "-" in rest and rest[0].isdigit():
        lo_s, _, hi_s = rest.partition("-")
        try:
            return Num(float(lo_s), float(hi_s))
        except ValueError:
            pass
    for op in (">=", "<=", ">", "<"):
        if rest.startswith(op):
            try:
                v = float(rest[len(op) :])
            except ValueError:
                break
            if op == ">=":
                return Num(v, inf)
            if op == "<=":
                return Num(-inf, v)
            if op == ">":
                return Num(v + 1e-9, inf)
            return Num(-inf, v - 1e-9)
    raise ValueError(f"Bad number position {spec!r}: use #, #>=N, #<=N, #>N, #<N or #A-B.")


def without_clitic(word: str) -> str:
    """A word with its "'s" clitic removed: "baby's", "neck's", "he's" read as "baby", "neck",
    "he". People write "his neck's stiff", "the lass's face has gone lopsided", "the pain's
    back": possessive or "is"/"has", the clitic never carries the clinical meaning, and every
    phrase already makes "is" and "has" optional where they may stand. Applied to the narrative's
    words and the phrases' words alike, so a phrase may still be written with it."""
    if len(word) > 2 and word.endswith("'s"):
        return word[:-2]
    return word


def parse_phrase(phrase: str) -> tuple[Pos, ...]:
    """Parse one phrase of the phrase language into its positions.

    Raises ValueError naming the phrase when it is malformed: empty, an empty alternative,
    unbalanced brackets, a bad number spec, nothing but optional positions, or a wildcard
    ``*`` where the phrase can start (the matcher starts phrases from a word or a number).
    """
    parts = phrase.split()
    if not parts:
        raise ValueError("Empty phrase in the red-flag tables.")
    positions: list[Pos] = []
    for p in parts:
        optional = p.startswith("[") and p.endswith("]")
        if (p.startswith("[") or p.endswith("]")) and not optional:
            raise ValueError(f"Unbalanced brackets in phrase {phrase!r} at {p!r}.")
        body = p[1:-1] if optional else p
        words: set[str] = set()
        nums: list[Num] = []
        wildcard = False
        alternatives = body.split("|")
        twice = sorted({a for a in alternatives if a and alternatives.count(a) > 1})
        if twice:
            # "rock hard|hard|sore" is {rock}, {hard, sore}: the writer took an alternative for
            # two words; it matched "belly rock sore" and never "belly sore" (a red team's
            # postnatal sepsis, 2026-12-04), so the tables refuse a word listed twice
            raise ValueError(
                f"Phrase {phrase!r} lists {'|'.join(twice)!r} twice in one position at {p!r}. "
                "A space starts a new position, so an alternative of several words does not "
                "work. Write each wording as its own phrase.")
        for a in alternatives:
            if not a:
                raise ValueError(f"Empty alternative in phrase {phrase!r} at {p!r}.")
            if a.startswith("#"):
                nums.append(_parse_number(a))
            elif a == ANY:
                wildcard = True
            else:
                words.add(without_clitic(a))
        positions.append(Pos(frozenset(words), tuple(nums), wildcard, optional))
    if all(pos.optional for pos in positions):
        raise ValueError(f"Phrase {phrase!r} has only optional positions.")
    _refuse_split_negative(positions, phrase)
    _refuse_doubled_word(positions, phrase)
    _refuse_leading_wildcard(positions, f"Phrase {phrase!r} may not start with the wildcard '*'.")
    return tuple(positions)


#: Words that already say "not": beside one of them in a position, a following "not" means the
#: writer took an alternative for two words ("cannot|could not stand").
_NEGATIVE_WORDS = frozenset({"cannot", "unable", "never", "not"})


def _refuse_split_negative(positions: Sequence[Pos], phrase: str) -> None:
    """A space always starts a new position, so "cannot|could not stand" is the positions
    {cannot, could}, {not}, {stand}: it matches "could not stand" and "cannot not stand", never
    "cannot stand". Written four times in one session (2026-12-02) and caught only by review,
    so the tables refuse it: a negative word beside other alternatives, then a required "not"."""
    for pos, nxt in pairwise(positions):
        if (len(pos.words) > 1 and pos.words & _NEGATIVE_WORDS and nxt.words == {"not"}
                and not nxt.optional
                and not nxt.nums and not nxt.any):
            raise ValueError(
                f"Phrase {phrase!r}: {'|'.join(sorted(pos.words))} followed by 'not' reads as "
                "two positions (a space starts a new one), so the negative alternative would "
                "need 'not' after it too. Write each wording as its own phrase.")


def _refuse_doubled_word(positions: Sequence[Pos], phrase: str) -> None:
    """Two required positions side by side that both read a word ("shot at goal|the goal|the
    target" is {shot}, {at}, {goal, the}, {goal, the}, {target}) mean the writer took an
    alternative for several words: the phrase then matches "at the goal target" and never "shot
    at goal". Found in three table phrases on 2026-12-03 (a guard that never kept "took a shot at
    goal" from reading as a gunshot), so the tables refuse it: no text needs a word twice in a
    row to raise a red flag or keep one down."""
    for pos, nxt in pairwise(positions):
        if pos.optional or nxt.optional:
            continue
        both = pos.words & nxt.words
        if both and (len(pos.words) > 1 or len(nxt.words) > 1):
            raise ValueError(
                f"Phrase {phrase!r}: two positions side by side both read "
                f"{'|'.join(sorted(both))!r}. A space starts a new position, so an alternative "
                "of several words does not work. Write each wording as its own phrase.")


def _refuse_leading_wildcard(positions: Sequence[Pos], message: str) -> None:
    """The matcher starts a phrase from a word or a number: a ``*`` that can come first (at
    the start, or after only optional positions) is refused with ``message``."""
    for pos in positions:
        if pos.any:
            raise ValueError(message)
        if not pos.optional:
            break


def compile_phrase(phrase: str) -> list[tuple[str | Num, ...]]:
    """Expand one phrase into every word sequence it matches (for reading and testing rules).

    ``"radiating to [his|her] left|right arm"`` -> ``[("radiating","to","left","arm"),
    ("radiating","to","his","left","arm"), ...]``. The matcher itself never expands (a phrase
    with many alternatives would multiply out); it walks the positions of :func:`parse_phrase`.
    """
    return expand(parse_phrase(phrase))


#: The alternative that skips an optional position (in :func:`alternatives`).
SKIP = ""


def alternatives(positions: Sequence[Pos]) -> list[list[str | Num]]:
    """Each position's alternatives in the order :func:`expand` walks them: its words sorted,
    its numbers, the wildcard, then ``SKIP`` if it is optional. Shared by :func:`expand` and the
    matcher's depth-first trie build, so both enumerate a phrase the same way."""
    out: list[list[str | Num]] = []
    for pos in positions:
        alts: list[str | Num] = [*sorted(pos.words), *pos.nums]
        if pos.any:
            alts.append(ANY)
        if pos.optional:
            alts.append(SKIP)
        out.append(alts)
    return out


def expand(positions: tuple[Pos, ...]) -> list[tuple[str | Num, ...]]:
    alternatives_ = alternatives(positions)
    out: list[tuple[str | Num, ...]] = []
    for combo in product(*alternatives_):
        seq = tuple(x for x in combo if x != SKIP)
        if seq:
            out.append(seq)
    return out


def _a_word_for(alt: str | Num) -> str:
    """One word an alternative accepts: the word itself, a number in range, "it" for ``*``."""
    if isinstance(alt, Num):
        if alt.lo == float("-inf"):
            return "5" if alt.hi == float("inf") else str(math.floor(alt.hi))
        whole = math.ceil(alt.lo)
        return str(whole) if whole <= alt.hi else f"{alt.lo:g}"
    return "it" if alt == ANY else alt


def written_out(positions: Sequence[Pos]) -> list[str]:
    """The phrase written out as text, in as few wordings as use every alternative of every
    position at least once: wording k takes alternative k (mod its count) at each position.

    Why: a phrase is matched against *normalised* text, and the normaliser rewrites some word
    pairs ("gone grey" -> "grey", "flaked out" -> "collapsed"), so a phrase can be valid in the
    phrase language and still never match as written. Reading these wordings back through the
    rules (tests/test_rules.py) finds such dead wordings, which no check of single words can.
    """
    alts = alternatives(positions)
    out: list[str] = []
    for k in range(max(len(a) for a in alts)):
        words = [_a_word_for(a[k % len(a)]) for a in alts]
        text = " ".join(w for w in words if w != SKIP)
        if text and text not in out:
            out.append(text)
    return out


def without_fillers(
    positions: tuple[Pos, ...], fillers: frozenset[str], phrase: str
) -> tuple[Pos, ...]:
    """``positions`` as the matcher sees them: filler words are skipped in the text, so they
    are dropped from phrases too ("very sleepy" is matched as "sleepy")."""
    out: list[Pos] = []
    for pos in positions:
        words = pos.words - fillers
        if words == pos.words:
            out.append(pos)
        elif words or pos.nums or pos.any:
            # the text may have held the (skipped) filler here: the position becomes optional
            out.append(Pos(words, pos.nums, pos.any, True))
    if not out or all(p.optional for p in out):
        raise ValueError(f"Phrase {phrase!r} is nothing but filler words.")
    _refuse_leading_wildcard(
        out, f"Phrase {phrase!r} would start with '*' once fillers are skipped."
    )
    return tuple(out)


def number_value(word: str) -> float | None:
    """The number a narrative word holds, or None. A reading written as two numbers with a
    slash ("82/45" a blood pressure, "8/15" a GCS, "32/40" weeks of pregnancy) holds its first
    number: the phrases that read one ("bp #40-90", "gcs #<=8") name what it measures. A
    fraction or a rota ("3/4 hours ago", "1/2 a tablet", "24/7") is not a reading: its second
    number has one digit.
    """
    if word[0].isdigit():
        try:
            return float(word)
        except ValueError:
            first, slash, second = word.partition("/")
            if slash and len(second) > 1 and second[:2].isdigit():
                try:
                    float(second)
                    return float(first)
                except ValueError:
                    return None
            return None
    return NUMBER_WORDS.get(word)
