"""Words of preprocessed narrative text, as the model's features and fast scoring paths read them.

Shared by :mod:`triage.features` (fitting and transforming), :mod:`triage.fastscore` and
:mod:`triage.batchscore` (the per-request and batch scoring paths, parity-tested against the
Pipeline): the token pattern of :func:`triage.text.negation.preprocess` output, the boundary-marked
character n-grams of one token, and the age a narrative states.
"""

from __future__ import annotations

import re

__all__ = [
    "AGE_MAX",
    "AGE_MIN",
    "CLAUSE_BREAK",
    "CLAUSE_PUNCTUATION",
    "NEGATION_PREFIX",
    "TOKEN_PATTERN",
    "char_ngrams",
    "narrative_age",
    "tokens_of",
]

#: ``triage.text.negation.mark_negation`` prefixes every word inside a negation scope with this.
NEGATION_PREFIX = "neg_"
#: Clause punctuation: ends a bigram (no word pair spans "no chest pain. breathing ...").
CLAUSE_BREAK = "."
#: Words (optionally negation-marked) and clause punctuation of ``triage.text.negation.preprocess``
#: output (the pattern is shared with the batch path, triage.batchscore, which tokenises a whole
#: batch).
#: The clause punctuation a token can be (TOKEN_PATTERN's second branch; every other token
#: starts with a letter or a digit): read as CLAUSE_BREAK.
CLAUSE_PUNCTUATION = ".,;:?!()"
TOKEN_PATTERN = r"(?:neg_)?[a-z0-9]+(?:['./&-][a-z0-9]+)*|[" + CLAUSE_PUNCTUATION + "]"
_TOKEN_RE = re.compile(TOKEN_PATTERN)
#: The ages a request (and a narrative) may state.
AGE_MIN, AGE_MAX = 0, 120

#: An age written in the (preprocessed) narrative: "male 45", "m45", "patient aged 45",
#: "person approximately 45", "45 years old", "in his 80s" / "male 40s" (a decade: its middle).
#: A number followed by a unit ("approximately 3 hours ago") is not an age.
_NARRATIVE_AGE_RE = re.compile(
    r"\b(?:neg_)?(?:patient|person|male|female|man|woman|lady|girl|boy|child|m|f|aged|age)"
    r" ?(?:(?:neg_)?(?:approximately|aged|age) )?(?:neg_)?(?P<n>\d{1,3})\b(?![.,]?\d)"
    r"(?! ?(?:hours|minutes|mins|weeks|days|months|metres|feet|tablets|x|mph|am|pm|ml|mg|%))"
    r"|\b(?:neg_)?(?P<y>\d{1,3}) (?:neg_)?years? (?:neg_)?old\b"
    r"|\b(?:neg_)?(?P<d>[1-9])0s\b"
)

_DIGIT = re.compile(r"\d").search


def narrative_age(preprocessed: str) -> int | None:
    """The first age the narrative states (``preprocess`` output), else None."""
    if _DIGIT(preprocessed) is None:
        # every form of an age has a digit; without one, spare the pattern's scan of every
        # position (its leading word boundary defeats the regex engine's prefix search)
        return None
    m = _NARRATIVE_AGE_RE.search(preprocessed)
    if m is None:
        return None
    if m.group("d") is not None:
        return int(m.group("d")) * 10 + 5
    age = int(m.group("n") if m.group("n") is not None else m.group("y"))
    return age if AGE_MIN <= age <= AGE_MAX else None


#: One set look-up tells clause punctuation from a word.
_CLAUSE_PUNCTUATION = frozenset(CLAUSE_PUNCTUATION)


def tokens_of(preprocessed: str) -> list[str]:
    """Words of ``preprocess`` output; clause punctuation becomes CLAUSE_BREAK."""
    return [CLAUSE_BREAK if t in _CLAUSE_PUNCTUATION else t
            for t in _TOKEN_RE.findall(preprocessed)]


def char_ngrams(token: str, ngram_range: tuple[int, int]) -> list[str]:
    """Character n-grams of one token inside boundary marks.

    A negated token (``text.NEGATION_PREFIX`` + word) is padded with ``!`` instead of ``<``/``>``
    so that none of its n-grams that touch the word's edges match the positive word's.
    """
    if token.startswith(NEGATION_PREFIX):
        padded = "!" + token[len(NEGATION_PREFIX) :] + "!"
    else:
        padded = "<" + token + ">"
    lo, hi = ngram_range
    n_chars = len(padded)
    grams: list[str] = []
    for n in range(lo, hi + 1):
        if n > n_chars:
            break
        grams.extend(padded[i : i + n] for i in range(n_chars - n + 1))
    return grams
