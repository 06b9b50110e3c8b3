"""Lists of findings under one negation: "denies chest pain, breathlessness or sweating".

A clinician records the key negatives as a list, and a relative tells an arrest the same way:
"no LOC, vomiting or confusion.", "not on warfarin, apixaban or any blood thinner.", "he is not
moving, breathing or responding". Before, a negation stopped at the first comma, so the denied
"vomiting" and "confusion" read as present (a false head-injury flag), and "breathing" and
"responding" read as normal (an arrest with no flag). Two readings share the word sets here:

* :func:`list_end`, used by :mod:`triage.text.negation`: a negation scope that meets a comma
  carries on through a list of denials to the end of its last item, after its "or";
* :func:`distribute_negation`, the last step of :func:`triage.text.normalise.normalise`: the
  negator of a list of signs of life is written before each of them ("not moving, breathing or
  responding" -> "not moving, not breathing or not responding"), so each reads as the finding
  it is ("not breathing" is a finding the rules read).

Both are narrow on purpose: a negation that runs too far hides a finding, which is the harm.
Two reviews of the first version (helpers' 543 and 452 probes) showed how: a list whose last
item runs straight on into a finding with no punctuation ("no history of fits, diabetes or heart
problems fitting for 10 mins"), an answer taken as an item ("not sure, snoring or gurgling"), a
list denied only for a time ("no LOC, vomiting or confusion at first, now drowsy"), objects
read as a patient ("the app is not loading, updating or responding"). So every item is one to
three plain words (no verb, hedge, preposition, time word, number, person's state or red-flag
sign), the last item must end its clause, and only lists made wholly of signs of life are
written out.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = [
    "HEDGES",
    "LIST_BLOCKERS",
    "LIST_TIME_LIMITS",
    "MAX_LIST_ITEMS",
    "MAX_LIST_ITEM_WORDS",
    "PERSON_STATES",
    "SIGN_WORDS",
    "VITAL_WORDS",
    "distribute_negation",
    "list_end",
]

#: The patient states that describe the person ("drowsy", "blue"). After "and" they end a
#: negation (:data:`triage.text.negation.AND_STATES`: "no LOC and unresponsive"), and as a list
#: item they may be a finding told as a guess ("no LOC, drowsy or drunk"), so they end a list.
PERSON_STATES: frozenset[str] = frozenset(
    {
        "unresponsive", "unconscious", "drowsy", "confused", "floppy", "blue", "grey", "clammy",
        "gasping", "cold", "pale", "sweaty",
    }
)

#: The words a list's items may not hold: a verb, a hedge, a subject, a preposition or a
#: conjunction makes the words after the comma a clause of their own, not one more thing denied.
LIST_BLOCKERS: frozenset[str] = frozenset(
    {
        "and", "or", "nor", "but", "from", "to", "in", "into", "on", "onto", "at", "by", "with",
        "after", "before", "since", "for", "over", "under", "through", "about", "around", "out",
        "is", "was", "are", "were", "be", "been", "being", "has", "have", "had", "having",
        "seems", "seem", "seemed", "looks", "look", "looked", "appears", "appear", "appeared",
        "became", "become", "becoming", "went", "gone", "going", "goes", "got", "getting",
        "gets", "keeps", "kept", "keeping", "started", "starting", "starts", "began",
        "feels", "felt", "feeling", "may", "might", "maybe", "possibly", "possible", "probably",
        "query", "unsure", "unclear", "thinks", "think", "thought", "could", "can", "will",
        "would", "should", "must", "did", "does", "do", "says", "said", "i", "we", "you", "it",
        "there", "this", "that", "who", "which", "if", "so", "like", "not", "no", "nil",
        "never", "cannot", "unable", "without", "none", "nothing", "only", "just", "even",
        "also", "still",
    }
)

#: Words that limit a list's denial to a time ("at first", "initially", "until an hour ago"):
#: what came after may be the finding the list denied, so the list is not read as one.
LIST_TIME_LIMITS: frozenset[str] = frozenset(
    {
        "first", "initially", "earlier", "originally", "previously", "before", "until", "till",
        "til", "then", "whereas", "though", "although", "but", "now", "later", "since",
        "anymore", "yesterday", "today", "tonight", "morning", "ago",
    }
)

#: Signs a list never denies in passing: a red flag's own words ("no witnesses, snoring or
#: gurgling" reports the noises). A list holding one is not read as a list.
SIGN_WORDS: frozenset[str] = frozenset(
    {
        "snoring", "gurgling", "rattling", "rasping", "twitching", "jerking", "fitting",
        "seizing", "convulsing", "shaking", "slurring", "slurred", "mumbling", "groaning",
        "moaning", "limp", "mottled", "purple", "wheezing", "choking", "grunting", "stridor",
        "unconscious", "unresponsive", "unrousable", "collapsed", "bleeding", "fitted",
        "agonal", "cyanosed", "breathless", "gasping", "dribbling", "drooling", "fits",
    }
)

#: Answers and hedges that open a clause, not a list of denials: "not sure, snoring or
#: gurgling", "not really, jerking or twitching", "no idea, fitting or something".
HEDGES: frozenset[str] = frozenset(
    {
        "sure", "really", "properly", "normally", "much", "chance", "idea", "answer", "reply",
        "reason", "warning", "response", "exactly", "certain", "quite", "right", "well",
        "good", "great", "way", "all", "sense", "apparent", "obvious", "clue",
    }
)

#: A list's items hold at most this many words each, and a list at most MAX_LIST_ITEMS of
#: them: denied findings are short nouns.
MAX_LIST_ITEM_WORDS = 3
MAX_LIST_ITEMS = 5

_LIST_ENDS = frozenset({"or", "nor"})
_NOT_ITEM_WORDS = LIST_BLOCKERS | PERSON_STATES | LIST_TIME_LIMITS | SIGN_WORDS | HEDGES


def _item_word_ok(w: str) -> bool:
    return w not in _NOT_ITEM_WORDS and not w[:1].isdigit()


def list_end(
    words: list[str],
    breaks: list[bool],
    separators: list[str],
    first: int,
    start: int,
    ends_list: Callable[[int], bool],
) -> int:
    """The index of the last word of a list of denials ("denies chest pain, breathlessness or
    sweating."), whose first item starts at word ``first`` and whose second starts after a comma
    at word ``start``; -1 when the words are not such a list.

    Every item, the first and the last included, is one to MAX_LIST_ITEM_WORDS words holding
    none of :data:`LIST_BLOCKERS`, :data:`PERSON_STATES`, :data:`LIST_TIME_LIMITS`,
    :data:`SIGN_WORDS` or :data:`HEDGES`, no number and no word for which ``ends_list(index)``
    is true (the caller's negation triggers and terminators); items are separated by commas;
    the last follows an "or" (or "nor") and must end the clause: clause punctuation or the end
    of the text comes after it, so a finding written straight on ("no history of fits,
    diabetes or heart problems fitting for 10 mins") is never read into the list.
    """
    n = len(words)
    if not 0 < start - first <= MAX_LIST_ITEM_WORDS or not all(
        _item_word_ok(words[q]) for q in range(first, start)
    ):
        return -1
    j = start
    item = 0
    items = 1
    while j < n:
        w = words[j]
        if w in _LIST_ENDS:
            if not item and j != start:
                return -1
            return _last_item_end(words, breaks, j + 1, ends_list)
        if not _item_word_ok(w) or ends_list(j):
            return -1
        item += 1
        if item > MAX_LIST_ITEM_WORDS:
            return -1
        if breaks[j]:
            if separators[j].strip() != "," or items == MAX_LIST_ITEMS:
                return -1
            item = 0
            items += 1
        j += 1
    return -1


def _last_item_end(
    words: list[str], breaks: list[bool], start: int, ends_list: Callable[[int], bool]
) -> int:
    """The last word of a list's last item (from ``start``, after its "or"), or -1 when it is
    not one to MAX_LIST_ITEM_WORDS item words that end the clause."""
    n = len(words)
    for j in range(start, min(n, start + MAX_LIST_ITEM_WORDS)):
        if not _item_word_ok(words[j]) or ends_list(j):
            return -1
        if breaks[j] or j == n - 1:
            return j
    return -1


#: The signs of life a list under one negation denies all at once: "not moving, breathing or
#: responding", "no pulse, breathing or response". Only these lists are written out item by
#: item: any other word ("not loading, updating or responding" about an app, "no reply, answer
#: or response" at a door, "not sure, snoring or gurgling") leaves the list as written.
VITAL_WORDS: frozenset[str] = frozenset(
    {
        "moving", "breathing", "responding", "response", "responsive", "pulse", "heartbeat",
        "breath", "rousable", "waking", "movement", "conscious", "breathe", "respond", "move",
    }
)
#: A negator, then one vital word, then one to three more ", word", then "or" and the last
#: word. Two words joined by "or" alone are left: "not breathing or gasping" may name a
#: finding's alternative.
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
