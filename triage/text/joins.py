"""Words CAD joins with punctuation, and the separators that end a clause between words.

Call handlers and officers list findings joined by a plus or a slash ("unresp+apnoeic",
"wont wake/dib/blue lips", "hi+loc"). :func:`unglued` splits a plus between words before any
word is looked up, and again before the word table is read (steps of
:func:`triage.text.normalise.normalise`, whose phrase rewrites can free a plus: "collapsed+non
responsive"), so each word is replaced and spelt in the first pass. :func:`separator_marks`
says, per separator of a normalised narrative, whether it ends a clause (negation scopes and
phrases stop there) and whether it is a list's slash or plus (which ends the scope of a denied
verb, "will not wake / dib / blue lips", not of a denied list, "nil confusion / drowsiness" or
"denies cp + sob"). Measured on a blind writer's probes and two reviews of them (forty-fifth
session, docs/CLINICAL_SAFETY.md, H2 control 38).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["SLASH_AUXILIARIES", "separator_marks", "unglued"]

#: Space out clause punctuation glued to the next word ("c/b,smells" -> "c/b, smells"). The
#: cheap test before it (the same two characters, no group to fill): one narrative in a hundred
#: glues its punctuation, and the substitution costs several times the search.
_PUNCT_GLUE_RE = re.compile(r"([,;!?])(?=[a-z(])")
_PUNCT_GLUED = re.compile(r"[,;!?][a-z(]").search
#: Words joined by a plus, two characters or more each side ("c+b", conscious and breathing,
#: and "a+e" keep their table readings); the left may hold a slash or an ampersand ("o/d+unresp").
#: The lookbehind, not a word boundary, anchors the left word: with "\b" an apostrophe made
#: every position a start and "a'b" x 1,333 + "+" cost quadratic time (the session's review)
_PLUS_JOINED_RE = re.compile(r"(?<![a-z0-9'/&])([a-z0-9'/&]{2,})\+(?=([a-z']{2,}))")
#: A plus beside one of these stays: split, "rtc+not trapped driver unconscious" would deny
#: everything after it (the session's review: 16 emergencies lost every flag); whole, the
#: token is read by nothing, as before. Unless the negation starts a finding (below)
_PLUS_KEEPS = frozenset({
    "no", "not", "nil", "nill", "nor", "non", "neg", "never", "none", "nothing", "nobody",
    "without", "denies", "denied", "didnt", "didn't", "doesnt", "doesn't", "dont", "don't",
    "wasnt", "wasn't", "werent", "isnt", "isn't", "arent", "wont", "won't", "cant", "can't",
    "cannot", "couldnt", "hasnt", "hadnt", "havent",
})
#: A negation after a plus that starts a finding, not a denial: split ("collapsed+not
#: breathing", "unresp+no pulse"); the finding's own scope covers only its words
_PLUS_FINDINGS = (
    "not breathing", "not responding", "not responsive", "no pulse", "no breathing",
    "no cardiac output", "no signs of life", "no resp", "nil pulse", "nil resp", "nil breathing",
)
#: Clause punctuation in a separator ends phrases and negation scopes
_BREAK_SEARCH = re.compile(r"[,.;:?!()\-]").search
#: A list's slash or spaced plus ends the scope of "not" after one of these (a denied verb, as
#: "wont", "doesnt", "cant" are written: "will not wake / dib / blue lips" tells the blue lips)
#: but not of "no", "nil", "denies" or "not on" (a denied list: "nil confusion / drowsiness",
#: suite H; "not on warfarin / apixaban", the session's review)
SLASH_AUXILIARIES: frozenset[str] = frozenset(
    {"will", "would", "does", "did", "do", "can", "could"}
)


#: A death or a body packer guessed at as CAD writes it, "male ?dead", "in doorway ? deceased",
#: "courier ?packed": written "query dead", "query packed", which the tables read as a death not
#: yet verified and as drugs carried inside (a "?" is otherwise a clause break, so "? dead" read
#: as "dead" alone, which reads nothing; forty-sixth session); only a "?" that starts its word,
#: so a question's mark ("is he ok? dead drunk") keeps its sense. Other guesses ("?stroke",
#: "?OD") are read after their mark already, so their text is left as it was
_QUERY_GUESS_RE = re.compile(
    r"(?:^|(?<=[\s,;:(/?.\-]))\? ?"
    r"(?=(?:dead|deceased|decd|dec'd|packed|packer|packing|stuffer|stuffed|stuffing)\b)"
)


def _plus_split(m: re.Match[str]) -> str:
    left, right = m[1], m[2]
    if right == "ve":
        return left + " +"  # "fast+ve": "fast +ve", read as positive
    if left.isdigit():
        return left + "+ "  # "70+mph": "70+ mph", a number and its unit
    if left.strip("'") in _PLUS_KEEPS or (
        right in _PLUS_KEEPS and not m.string.startswith(_PLUS_FINDINGS, m.end())
    ):
        return m[0]
    return left + " + "


def unglued(t: str) -> str:
    """``t`` (lower-case) with a space after clause punctuation glued to the next word
    ("pale,sweaty") and words joined by a plus split ("unresp+apnoeic": "unresp + apnoeic"),
    and a death or a packer guessed at with a "?" written as a query ("?dead": "query dead")."""
    if "?" in t:
        t = _QUERY_GUESS_RE.sub("query ", t)
    if _PUNCT_GLUED(t):
        t = _PUNCT_GLUE_RE.sub(r"\1 ", t)
    if "+" in t:
        t = _PLUS_JOINED_RE.sub(_plus_split, t)
    return t


def separator_marks(
    separators: Sequence[str], text: str
) -> tuple[list[bool], list[bool] | None]:
    """Per separator between two words of ``text``: whether it ends a clause, and whether it is
    a list's slash or spaced plus (None when ``text`` holds neither, as most narratives do, so
    the per-request path builds one list, not two)."""
    breaks = [sep != " " and _BREAK_SEARCH(sep) is not None for sep in separators]
    if "/" not in text and " + " not in text:
        return breaks, None
    lists = [sep != " " and ("/" in sep or " + " in sep) for sep in separators]
    return breaks, lists
