"""A narrative pasted in lines, read with the breaks that may end a clause ending it.

The normaliser reads a line break as a space: a report wrapped at a fixed width splits phrases
anywhere ("is not / breathing", "central chest / Pain: heavy"). That lets a pasted list or form
run into one clause: a negation runs on into the next item ("No head injury / Unconscious" read
nothing), a post-negation reaches back into the line before ("Found unconscious / Drugs
denied"), a form's answer runs into the free text after it ("Conscious: No / PC with him"), and
a field's key loses the break that marks it as asked ("Found collapsed in street / Breathing:
no"). Which a break is cannot be told from the text alone, so the red-flag rules read both
(:func:`triage.rules.engine.read_request` keeps every flag either reading raises: under-triage
is the harm, and a second reading can only add flags); the model reads the normalised text as
it always has (docs/CLINICAL_SAFETY.md, H2 control 24).
"""

from __future__ import annotations

from triage.text.abbreviations import REPLACEMENTS
from triage.text.answers import ANSWER_LABELS
from triage.text.normalise import (
    AFTER_NO,
    BULLET_START_RE,
    FIELD_RE,
    LINE_BREAK_RE,
    LINE_NEGATIONS,
    RUNS_ON,
    WRAP_WORDS,
    has_line_break,
)

__all__ = [
    "LINE_SCOPE_WORDS", "POST_NEGATIONS", "POST_PAIRS", "POST_SCOPE_WORDS", "lines_as_clauses"
]

#: How many of a line's last words a negation's scope can run past its end: the scope's length
#: (``triage.text.negation.MAX_SCOPE_TOKENS``; a test keeps the two equal).
LINE_SCOPE_WORDS = 5
#: How many of a line's first words a post-negation at their end reaches back over
#: (``triage.text.negation.MAX_POST_SCOPE_TOKENS``), and the words that end its triggers
#: (``POST_TRIGGERS``: "denied", "negative", "absent", "excluded"; and "ruled out", "not present").
POST_SCOPE_WORDS = 3  # a test keeps these three in step with triage.text.negation
POST_NEGATIONS: frozenset[str] = frozenset({"denied", "negative", "absent", "excluded"})
POST_PAIRS: dict[str, str] = {"ruled": "out", "not": "present"}
#: A line of at most this many words is an item of a list rather than a line wrapped at its
#: width.
ITEM_WORDS = 6
#: A field line of at most this many words is a form's line; a longer one that starts with a
#: key ("Weapon: knife (recovered by officers, not used). Victim punched, ..., no") is a report
#: wrapped at its width.
FIELD_WORDS = 6
_CLAUSE_END = frozenset(".,;:?!")
#: A short line's break before one of these is a wrap, not a new item ("he can't get / his
#: breath").
_CONTINUES: frozenset[str] = frozenset(WRAP_WORDS) | {
    "and", "or", "nor", "for", "at", "in", "on", "any", "out", "through", "off", "up", "down",
    "over", "under", "about", "around", "after", "before", "since", "because",
}
#: A field's answer in one word: what a form's line ends with.
_ANSWERS = frozenset({"no", "n", "none", "nil", "nope", "nah", "yes", "y", "absent", "negative",
                      "nad", "denies", "denied", "unknown", "nk"})
#: Words after a negation that wait for the object it negates ("no witnessed / LOC", "denies
#: experiencing / chest pain", "no longer / unconscious"): a line ending in them runs on.
_AWAITING = frozenset({
    "any", "witnessed", "obvious", "apparent", "current", "visible", "new", "known", "other",
    "further", "significant", "acute", "recent", "previous", "real", "actual", "evident",
    "reported", "suspected", "clear", "definite", "more", "longer", "sign", "signs", "history",
    "hx", "complaint", "complaints", "experiencing", "having", "feeling", "being", "getting",
    "of", "the", "a", "an", "his", "her", "their", "to", "with", "from", "for", "at", "in", "on",
})
#: Conjunctions: a line they start carries the line before on, capital or not.
_JOINS = frozenset({"and", "or", "nor", "but", "&"})
#: The negation triggers' first words, and every word the normaliser's table writes out as a
#: negation ("doesnt", "didnae", "cant": the raw line is read here, before the table).
_NEGATIONS: frozenset[str] = frozenset(LINE_NEGATIONS) | {"cannot"} | {
    k for k, v in REPLACEMENTS.items() if " " not in k and (v == "cannot" or v.endswith(" not"))
}
_STRIP = "\"'()[]\u2018\u2019\u201c\u201d"


def _word(w: str) -> str:
    return w.strip(_STRIP).lower().replace("\u2019", "'")


def _open_negation(tail: str) -> bool:
    """Whether a negation in the line's last words has no clause punctuation after it, so its
    scope would run on into the next line. Not when only words that wait for their object
    follow it on the line (:data:`_AWAITING`): its object is on the next line ("he denies /
    chest pain", "no witnessed / LOC", "denies experiencing / chest pain" are one statement)."""
    words = tail.split()[-LINE_SCOPE_WORDS:]
    after = 0  # words after the candidate that do not wait for an object
    for w in reversed(words):
        if w[-1] in _CLAUSE_END:
            return False
        core = _word(w)
        if core in _NEGATIONS or core.endswith("n't"):
            return after > 0
        if core not in _AWAITING:
            after += 1
    return False


def _post_negation_reaches_back(line: str) -> bool:
    """Whether a post-negation among the line's first words, before any clause punctuation,
    reaches back over the break ("Drugs denied", "alcohol absent"). A line that starts with
    one never gets here (:func:`_ends_a_line`); "not present" counts only after a word of its
    own line ("Not present at scene" is no post-negation)."""
    raw = line.split()[: POST_SCOPE_WORDS + 1]
    words = [_word(w).rstrip(".,;:?!") for w in raw]
    for i, core in enumerate(words[:POST_SCOPE_WORDS]):
        if core in POST_NEGATIONS:
            return True
        if i and core in POST_PAIRS and i + 1 < len(words) and (
            words[i + 1] == POST_PAIRS[core]
        ):
            return True
        if raw[i][-1] in _CLAUSE_END:
            return False
    return False


def _ends_a_line(previous: str, line: str, one_case: bool, blank: bool) -> bool:
    """Whether the break between ``previous`` and ``line`` may end a clause.

    Never after a line ending in punctuation (the break is there). Always across a blank line
    (no wrap leaves one). Otherwise not after a line that runs on (:data:`RUNS_ON`: "is not /
    breathing"), nor before a bullet (read as a break already) or a transcript's answering
    turn (its "no" answers the line before it: "CT: is he breathing / C: no"); and then:

    - before a line whose post-negation would reach back ("Found unconscious / Drugs denied");
    - after a field line of a few words (:data:`FIELD_WORDS`), when the next line starts anew
      ("Conscious: No / PC with him"), or
      in text typed in one case when the field is answered in one word and the next line does
      not make a phrase of it (:data:`AFTER_NO`: "BREATHING: NO / PROBLEMS");
    - before a field line that starts anew;
    - after a line whose negation would run on (:func:`_open_negation`) when the next line
      starts anew, or when a negation starts a short item and the next line is whole
      (:func:`_negated_item`, :func:`_whole_line`).

    A line starts anew with a capital (not "I") in text not typed in one case. A field's key
    written in lower case after a line of prose ("Difficulty / breathing: no") may be one key
    wrapped, so it does not start anew; nor does any line of text typed in one case."""
    tail = previous[-300:].rstrip()
    if not tail or tail[-1] in _CLAUSE_END:
        return False
    if blank:
        return True
    words = line.split(maxsplit=1)
    last = _word(tail.split()[-1])
    if not words or last in RUNS_ON or tail[-1] in "-=" or BULLET_START_RE.match(line):
        return False  # the line runs on: "is not / breathing", "SOB - / N"
    if (last in _NEGATIONS or last.endswith("n't")) and not _bare_answer(previous):
        return False  # a negation's object is on the next line ("..., no / LOC")
    field = FIELD_RE.match(line)
    if field and field.group(1).lower() in ANSWER_LABELS:
        return False
    first = words[0]
    core = _word(first).rstrip(".,;:?!")
    if core in POST_NEGATIONS:
        return False  # "Chest pain radiating to left arm / Denied": it answers the line before
    # a capital starts a new line, unless the word carries the line before on ("Or shortness
    # of breath")
    capital = not one_case and first[0].isupper() and first != "I" and core not in _JOINS
    if _post_negation_reaches_back(line) or (
        capital and FIELD_RE.match(previous) and len(tail.split()) <= FIELD_WORDS
    ) or (one_case and _bare_answer(previous) and core not in AFTER_NO):
        return True
    if field:
        return capital
    if not _open_negation(tail):
        return False
    # after a negation inside a report's line, an acronym ("..., denies CP / SOB") as often
    # wraps the report as it starts a new item; after a negated item it starts one ("No head
    # injury / RTC minor shunt, ...")
    item = _negated_item(tail)
    if capital and (item or not (len(first) > 1 and first.isupper())):
        return True
    return item and _whole_line(line)


def _bare_answer(previous: str) -> bool:
    """Whether ``previous`` is a field answered in one word or number ("CONSCIOUS: NO", "pmh:
    nil", "AGE: 45")."""
    field = FIELD_RE.match(previous)
    if field is None or field.group(1).lower() in ANSWER_LABELS:
        return False  # a speaker's "no" may run on: "C: no / idea, officers not there yet"
    value = previous[field.end() :].split()
    if len(value) != 1:
        return False
    core = _word(value[0]).rstrip(".,;!")
    return core in _ANSWERS or core.replace(".", "").replace("/", "").isdigit()


def _negated_item(tail: str) -> bool:
    """An item of a list that a negation starts: "No head injury", "NIL WEAPONS", "denies
    alcohol" (a line wrapped at its width is longer, and rarely starts with its negation)."""
    words = tail.split()
    return len(words) <= ITEM_WORDS and _word(words[0]) in _NEGATIONS


def _whole_line(line: str) -> bool:
    """Whether ``line`` neither carries the line before it on ("his breath", "and unconscious")
    nor runs on into the next ("pain or"): a line of its own, not a piece of a wrapped one."""
    words = line.split()
    return _word(words[0]) not in _CONTINUES and _word(words[-1]) not in RUNS_ON


def lines_as_clauses(text: str) -> str | None:
    """``text`` with a ";" at the end of each line whose break may end a clause
    (:func:`_ends_a_line`), or None when no line's does (a narrative on one line, or a report
    wrapped at its width). Blank lines are kept as they are; linear in the text's length."""
    if not has_line_break(text):
        return None
    lines = LINE_BREAK_RE.split(text)
    one_case = text.isupper() or text.islower()
    out = [lines[0]]
    last = 0  # the last line with words
    blank = False
    ended = False
    for line in lines[1:]:
        if not line.strip():
            blank = True
            out.append(line)
            continue
        if _ends_a_line(out[last], line, one_case, blank):
            out[last] = out[last].rstrip() + ";"
            ended = True
        blank = False
        last = len(out)
        out.append(line)
    return "\n".join(out) if ended else None
