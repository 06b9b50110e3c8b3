"""A list of signs of life under one negation: "he is not moving, breathing or responding".

A relative or an officer tells an arrest as a list: "not moving, breathing or responding", "no
pulse, breathing or response". A negation stops at a comma, so "breathing" and "responding" read
as normal and such an arrest raised no red flag. :func:`distribute_negation`, the last step of
:func:`triage.text.normalise.normalise`, writes the negator before each sign ("not moving, not
breathing or not responding"), so each reads as the finding it is.

Only lists made wholly of signs of life are written out. A wider reading was built and withdrawn
(docs/CLINICAL_SAFETY.md, H2 control 35): carrying any negation through a list of denials ("no
LOC, vomiting or confusion") spared the audit-style key negatives their false flags, but three
reviews (helpers' 543, 452 and 566 probes) found it hiding emergencies however it was narrowed,
because police text puts a finding straight after a denied scene fact ("No weapon seen, stab
wound or slash, chest"; "No PMH, crushing chest pain or sweats"). Under-triage is the harm, so
a denied list keeps reading its later items as present.
"""

from __future__ import annotations

import re

__all__ = ["MAX_LIST_ITEMS", "VITAL_WORDS", "distribute_negation"]

#: A list holds at most this many items (a negator's first word, up to three more after
#: commas, and the word after "or").
MAX_LIST_ITEMS = 5

#: The signs of life a list under one negation denies all at once. Any other word in the list
#: ("the app is not loading, updating or responding", "no reply, answer or response" at a door,
#: "not sure, snoring or gurgling") leaves it as written.
VITAL_WORDS: frozenset[str] = frozenset(
    {
        "moving", "breathing", "responding", "response", "responsive", "pulse", "heartbeat",
        "breath", "rousable", "waking", "movement", "conscious", "breathe", "respond", "move",
    }
)
#: A negator, then one word, then one to three more ", word", then "or" and the last word. Two
#: words joined by "or" alone are left: "not breathing or gasping" may name a finding's
#: alternative.
_VITAL_LIST_RE = re.compile(
    rf"\b(not|no|nil|never) ([a-z]+)((?:, [a-z]+){{1,{MAX_LIST_ITEMS - 2}}}) or ([a-z]+)\b"
)


def _distribute(match: re.Match[str]) -> str:
    neg, first, middle, last = match.group(1), match.group(2), match.group(3), match.group(4)
    items = [first, *(w for w in middle.split(", ") if w), last]
    if not all(w in VITAL_WORDS for w in items):
        return match.group(0)
    rest = "".join(f", {neg} {w}" for w in items[1:-1])
    return f"{neg} {first}{rest} or {neg} {last}"


def distribute_negation(text: str) -> str:
    """``text`` (lower-case, normalised) with the negator of a list of signs of life written
    before each of them: "not moving, breathing or responding" -> "not moving, not breathing or
    not responding"; "no pulse, breathing or response" -> "no pulse, no breathing or no
    response", so each reads as the finding it is. Any list holding another word is left as
    written. Idempotent: a negated item is no vital word."""
    if " or " not in text or ", " not in text:
        return text
    return _VITAL_LIST_RE.sub(_distribute, text)
