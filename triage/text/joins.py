"""Words CAD joins with punctuation, and the separators that end a clause between words.

Call handlers and officers list findings joined by a plus or a slash ("unresp+apnoeic",
"wont wake/dib/blue lips", "hi+loc"). :func:`unglued` splits a plus between words before any
word is looked up (a step of :func:`triage.text.normalise.normalise`), so each word is replaced
and spelt in the first pass and a second pass changes nothing. :func:`separator_marks` says,
per separator of a normalised narrative, whether it ends a clause (negation scopes and phrases
stop there) and whether it holds a slash (which ends the scope of a denied verb,
:data:`SLASH_ENDS`). Both were measured on a blind writer's probes and a review of them
(forty-fifth session, docs/CLINICAL_SAFETY.md, H2 control 38).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["SLASH_ENDS", "might_need_unglue", "separator_marks", "unglued"]

_PUNCT_GLUE_RE = re.compile(r"([,;!?])(?=[a-z(])")
_PUNCT_GLUED = re.compile(r"[,;!?][a-z(]").search
#: Words joined by a plus, two characters or more each side: "c+b" (conscious and breathing)
#: and "a+e" keep their table readings, and "+ve" is never split off
_PLUS_JOINED_RE = re.compile(r"\b([a-z0-9']{2,})\+(?=([a-z']{2,}))")
#: A plus beside one of these stays: split, "rtc+not trapped driver unconscious" would deny
#: everything after it (the session's review: 16 emergencies lost every flag); whole, the
#: token is read by nothing, as before
_PLUS_KEEPS = frozenset({
    "no", "not", "nil", "nill", "nor", "non", "neg", "never", "none", "nothing", "nobody",
    "without", "denies", "denied", "didnt", "didn't", "doesnt", "doesn't", "dont", "don't",
    "wasnt", "wasn't", "werent", "isnt", "isn't", "arent", "wont", "won't", "cant", "can't",
    "cannot", "couldnt", "hasnt", "hadnt", "havent", "ve",
})
#: Clause punctuation in a separator ends phrases and negation scopes; so does a plus written
#: between words (" + ", as :func:`unglued` writes it), but not "70+ mph"
_BREAK_SEARCH = re.compile(r"[,.;:?!()\-]| \+ ").search
#: A slash between words ends the scope of a "not" (a denied verb: "wont wake / dib / blue
#: lips" tells the blue lips) but not of "no", "nil" or "denies", which deny a list ("nil
#: confusion / drowsiness", suite H)
SLASH_ENDS: frozenset[str] = frozenset({"not", "cannot"})


def might_need_unglue(t: str) -> bool:
    """Whether :func:`unglued` can change ``t`` (the fast path's test)."""
    return "+" in t or _PUNCT_GLUED(t) is not None


def _plus_split(m: re.Match[str]) -> str:
    if m[1] in _PLUS_KEEPS or m[2] in _PLUS_KEEPS:
        return m[0]
    return m[1] + " + "


def unglued(t: str) -> str:
    """``t`` (lower-case) with a space after clause punctuation glued to the next word
    ("pale,sweaty") and words joined by a plus split ("unresp+apnoeic": "unresp + apnoeic")."""
    if _PUNCT_GLUED(t):
        t = _PUNCT_GLUE_RE.sub(r"\1 ", t)
    if "+" in t:
        t = _PLUS_JOINED_RE.sub(_plus_split, t)
    return t


def separator_marks(separators: Sequence[str]) -> tuple[list[bool], list[bool]]:
    """Per separator between two words: whether it ends a clause, and whether it holds a
    slash."""
    breaks = [sep != " " and _BREAK_SEARCH(sep) is not None for sep in separators]
    slashes = [sep != " " and "/" in sep for sep in separators]
    return breaks, slashes
