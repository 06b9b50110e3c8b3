"""Misspelt clinical words, read as the words they were meant to be.

A call handler types fast: "now not responing", "siezure", "anaphalaxis", "swetting". A red flag
written as a phrase never matches a misspelling, and a model that has never seen the misspelling
learns nothing from it. This module corrects a word only when all of these hold:

* it is not a known word: not in the English frequency dictionary that ``symspellpy`` ships
  (82,765 words), not in the clinical lexicon, not an abbreviation the normaliser knows;
* it is long enough that a slip is unlikely to land on another real word: 5+ letters for one
  edit, 8+ for two (Damerau-Levenshtein: a swap of two neighbours is one edit);
* a word ending in "in" that is a known word with its "g" dropped ("talkin", "bleedin") gets
  the "g" back;
* otherwise the clinical lexicon holds a word that close: every word of the red-flag tables
  (``triage/rules/concepts.toml``) and the extra clinical words of
  ``triage/text/lexicon/clinical.toml``. Ties go to the more frequent English word;
* failing that, a second, smaller index of the everyday content words the red-flag phrases are
  made of ("first", "found", "outside", "passed", "around": among the COMMON_RANK most frequent
  English words, 5+ letters; a slip of "because" read as "because" harms nothing, so function
  words are not filtered out). They are kept out of the first index so that a
  slip lands on the clinical word when one is as close ("yelow" is "yellow", not "below"), but
  without them "firrst ever seizure", "worts headache" and "found outisde all night" lost their
  flags: 79 of 472 one-slip variants of the flag sentences of tests/test_rules.py (2026-12-02);
* a four-letter unknown word is read as the five-letter word it is that word with one letter
  dropped ("hest", "chst" -> "chest"), when one of the two indexes holds exactly one such word.

So a surname or a street name is left alone unless it is one slip from a clinical word, in
which case the reading errs towards the red flag (an ambulance), never away from one. The
trade is measured on the benign vignettes (docs/CLINICAL_SAFETY.md, H2).

Why SymSpell and not rapidfuzz: both are well kept; ``benchmarks/bench_spelling.py`` runs each
over the same 400 misspellings made by the generator's own slips. Measured (2 shared cores):
SymSpell recovered 96.0% with 0.8% corrected to a wrong word, 30 us median per look-up;
rapidfuzz (Damerau-Levenshtein ``extractOne`` at the same distance) recovered 98.2% with 1.8%
wrong, 254 us median and a p99 of 8.6 ms, since it scans the whole lexicon. Fewer wrong
corrections and a bounded cost on the request path decided it. Corrections are cached per word.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from symspellpy import SymSpell, Verbosity
from symspellpy.suggest_item import SuggestItem

from triage.rules.tables import table_words, tables, target_words

__all__ = [
    "MIN_LEN_ONE_EDIT",
    "MIN_LEN_SHORT",
    "MIN_LEN_TWO_EDITS",
    "Speller",
    "correct_word",
    "everyday_words",
    "known_words",
    "lexicon",
    "likely_slip",
    "speller",
    "speller_fingerprint",
]

#: A word needs this many letters before one edit may be corrected ("strok" -> "stroke")...
MIN_LEN_ONE_EDIT = 5
#: ...and this many before two ("unconsous" -> "unconscious").
MIN_LEN_TWO_EDITS = 8
#: Lexicon words shorter than this are never correction targets (too many near neighbours).
MIN_TARGET_LEN = 4
#: A word this short is read only as a five-letter word with one letter dropped ("hest").
MIN_LEN_SHORT = 4
#: An everyday word as close as a clinical one, and this many times commoner in English, wins
#: ("adter": "after" is 420 times commoner than "adder", a word of the snake-bite flag).
EVERYDAY_RATIO = 100
_ENGLISH = "frequency_dictionary_en_82_765.txt"


def _clinical_extra() -> tuple[str, ...]:
    raw = resources.files("triage.text").joinpath("lexicon", "clinical.toml").read_bytes()
    doc = tomllib.loads(raw.decode("utf-8"))
    words = doc.get("words")
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ValueError("triage/text/lexicon/clinical.toml: 'words' must be a list of words.")
    return tuple(w.strip().lower() for w in words)


@cache
def lexicon() -> frozenset[str]:
    """The clinical words misspellings are corrected towards.

    The clinical list, and every word of the red-flag tables except everyday English words
    (among the COMMON_RANK most frequent): "yelow" must not become "below" because "bleeding
    from down below" is a phrase. A clinical word that is also common ("chest", "blood") is in
    the clinical list.
    """
    common = _common_english()
    words = {w for w in target_words(tables()) if w not in common}
    words.update(_clinical_extra())
    return frozenset(w for w in words if w.isalpha() and len(w) >= MIN_TARGET_LEN)


#: Table words among this many most frequent English words are not correction targets.
COMMON_RANK = 3000


@cache
def _common_english() -> frozenset[str]:
    ranked = sorted(_english().items(), key=lambda kv: -kv[1])
    return frozenset(w for w, _ in ranked[:COMMON_RANK])


@cache
def _english() -> dict[str, int]:
    text = resources.files("symspellpy").joinpath(_ENGLISH).read_text(encoding="utf-8")
    # The file is "word count" lines: read it as pairs in one pass (start-up time); any other
    # shape falls back to the line-by-line reading, which skips malformed lines.
    parts = text.split()
    words, numbers = parts[0::2], parts[1::2]
    counts: dict[str, int] = {}
    lines = text.count("\n") + (not text.endswith("\n"))
    if len(words) == len(numbers) == lines and all(map(str.isdigit, numbers)):
        counts = dict(zip(words, map(int, numbers), strict=True))
    else:
        for line in text.splitlines():
            word, _, count = line.partition(" ")
            if word and count.isdigit():
                counts[word] = int(count)
    if len(counts) < 10_000:
        raise RuntimeError(f"symspellpy's {_ENGLISH} is missing or truncated.")
    return counts


#: QWERTY key centres (row, column; each row offset as on a keyboard), for :func:`likely_slip`.
_KEYS: dict[str, tuple[float, float]] = {
    ch: (float(row), col + offset)
    for row, (keys, offset) in enumerate((("qwertyuiop", 0.0), ("asdfghjkl", 0.25),
                                          ("zxcvbnm", 0.75)))
    for col, ch in enumerate(keys)
}
#: Two keys this close (in key widths) are neighbours, diagonals included ("a": q, w, s, z).
_NEIGHBOUR = 1.3


def _near(a: str, b: str) -> bool:
    pa, pb = _KEYS.get(a), _KEYS.get(b)
    if pa is None or pb is None:
        return False
    return (pa[0] - pb[0]) ** 2 + (pa[1] - pb[1]) ** 2 <= _NEIGHBOUR**2


def likely_slip(typed: str, meant: str) -> bool:
    """Is ``typed`` one of the slips typists make most, one edit from ``meant``: a letter
    dropped, two neighbours swapped, a key's neighbour hit instead of it, or a key hit twice or
    together with its neighbour? (A random letter in place of another is a rarer slip.)"""
    n, m = len(typed), len(meant)
    if n == m - 1:
        return True  # a letter dropped
    if n == m:
        diff = [i for i in range(n) if typed[i] != meant[i]]
        if len(diff) == 1:
            return _near(typed[diff[0]], meant[diff[0]])
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and typed[diff[0]] == meant[diff[1]]
            and typed[diff[1]] == meant[diff[0]]
        )
    if n == m + 1:
        i = next((k for k in range(m) if typed[k] != meant[k]), m)  # the extra letter
        extra = typed[i]
        beside = [typed[k] for k in (i - 1, i + 1) if 0 <= k < n]
        return any(b == extra or _near(b, extra) for b in beside)
    return False


def _count(hit: SuggestItem) -> int:
    return int(hit.count)


@dataclass(frozen=True)
class Speller:
    """Known words and two SymSpell indexes: the clinical lexicon, then the everyday words of
    the red-flag phrases (see the module docstring)."""

    known: frozenset[str]
    index: SymSpell
    everyday: SymSpell

    def correct(self, word: str) -> str | None:
        """The word ``word`` is a slip of, or None when it is known or nothing is close.

        ``word`` is a lower-case token of normalised text.
        """
        n = len(word)
        if n < MIN_LEN_SHORT or word in self.known or not word.isalpha():
            return None
        if word.endswith("in") and word + "g" in self.known:
            # a dropped g: "talkin", "breathin", "bleedin"; before the four-letter rule, which
            # read "goin" as "groin" ("pain goin down both arms": a review of 2026-12-06)
            return word + "g"
        if n < MIN_LEN_ONE_EDIT:
            return self._dropped_letter(word)
        distance = 2 if n >= MIN_LEN_TWO_EDITS else 1
        clinical = self.index.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
        everyday = self.everyday.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
        nearest = min((h.distance for h in (*clinical, *everyday)), default=None)
        if nearest is None:
            return None
        # the closer index wins outright ("pressuer" is "pressure", not "pressed")
        clinical = [h for h in clinical if h.distance == nearest]
        everyday = [h for h in everyday if h.distance == nearest]
        if nearest == 1:
            # at one edit, a slip a typist makes beats one they seldom do: "srabbed" is
            # "stabbed" (r beside t), not "grabbed"; "mobth" is "month", not "mouth"
            likely = {h.term for h in (*clinical, *everyday) if likely_slip(word, h.term)}
            if likely:
                clinical = [h for h in clinical if h.term in likely]
                everyday = [h for h in everyday if h.term in likely]
        best = max(clinical, key=_count, default=None)
        alt = max(everyday, key=_count, default=None)
        if best is None:
            return None if alt is None else str(alt.term)
        # a far commoner everyday word as close wins: "adter" is "after", not "adder"
        if alt is not None and alt.count >= EVERYDAY_RATIO * best.count:
            return str(alt.term)
        return str(best.term)

    def _dropped_letter(self, word: str) -> str | None:
        """The one word of MIN_LEN_ONE_EDIT letters that ``word`` is with a letter dropped."""
        for index in (self.index, self.everyday):
            hits = index.lookup(word, Verbosity.ALL, max_edit_distance=1)
            longer = {h.term for h in hits if len(h.term) == len(word) + 1}
            if len(longer) == 1:
                return str(longer.pop())
            if longer:
                return None
        return None


def everyday_words() -> frozenset[str]:
    """The everyday content words of the red-flag phrases: the second index's targets."""
    common = _common_english()
    return frozenset(
        w for w in target_words(tables())
        if w in common and w.isalpha() and len(w) >= MIN_LEN_ONE_EDIT
    )


@cache
def speller() -> Speller:
    """Built once, on first use (about 0.2 s): a predictor warms it in its ``__init__``."""
    english = _english()
    lex = lexicon()
    index = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for w in sorted(lex):
        index.create_dictionary_entry(w, english.get(w, 1) + 1)
    everyday = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for w in sorted(everyday_words() - lex):
        everyday.create_dictionary_entry(w, english.get(w, 1) + 1)
    # every table word is known (never corrected away), targets or not (KNOWN_ONLY_CONCEPTS)
    known = frozenset(english) | lex | {w for w in table_words(tables()) if w.isalpha()}
    return Speller(known, index, everyday)


@cache
def speller_fingerprint() -> str:
    """sha256 of everything the speller's corrections depend on besides the code: the English
    dictionary, the clinical lexicon, the everyday words of the red-flag tables and every table
    word (known, so never corrected away).

    The tables feed the lexicon, so a rules change alone changes what the speller corrects, and
    with it the text a model reads. A model records the fingerprint it was trained with
    (``TextFeatures.speller_sha256_``); the predictor compares it with this one when it loads,
    so a model served beside rule tables it was not trained with says so (train/serve skew).
    """
    digest = hashlib.sha256()
    digest.update(resources.files("symspellpy").joinpath(_ENGLISH).read_bytes())
    table = frozenset(w for w in table_words(tables()) if w.isalpha())
    for name, words in (("lexicon", lexicon()), ("everyday", everyday_words()),
                        ("table", table)):
        digest.update(f"\n[{name}]\n".encode())
        digest.update("\n".join(sorted(words)).encode("utf-8"))
    return digest.hexdigest()


def known_words() -> frozenset[str]:
    """Every word the speller leaves alone (English dictionary, clinical lexicon, table words)."""
    return speller().known


@lru_cache(maxsize=65536)
def correct_word(word: str) -> str | None:
    """Cached :meth:`Speller.correct` on the process's speller."""
    return speller().correct(word)
