"""A call transcript's answers written out as the findings they give.

Three kinds: a question about a vital sign answered "no"; a baby's age given only as the answer
to "how old is she?"; and a check for breathing or a pulse answered "none" after a comma.

Police relay 999 calls as transcripts: "CT: is he breathing? C: no." Read on its own, the
question names breathing and the answer is one word, so nothing says the patient is not
breathing, and before 2026-12-05 no red flag was raised (a review of the twenty-second
session's changes: "is she conscious? no", "has the fit stopped? no", "has the bleeding
stopped? no", "does the rash fade under a glass? no" all raised nothing). The normaliser
(:func:`triage.text.normalise.normalise`) calls :func:`answer_vital_questions`, which writes the
finding the answer gives right after the answer word ("c: no, not breathing."), so the rules and
the model read the same words they read when the caller says it outright.

Only a question that starts with its verb and names one of a few vital states is answered
(breathing, consciousness, a fit, bleeding, a rash under a glass); "no idea" and "not sure" are
doubts and write nothing. Each pattern is a bounded alternation with no nested repetition, so
matching stays linear in the narrative's length (crafted input is tested in
``tests/test_pasted_text.py``), and the rewrite is idempotent: an answer already followed by
its finding is left alone.

An age given as an answer ("CT: how old is the baby? C: six weeks") names no baby and says no
"old", so the rules' reading of a baby under 3 months ("six weeks old") missed it (a sixth red
team, R6-222: a six-week-old at 38.4 C). :func:`answer_age_questions` adds the "old". A check
answered after a comma ("checked for breathing, there is none") is two clauses, and a phrase never
runs across a clause break (a review of 2026-12-05); :func:`join_checks_answered_none` joins them
with "and", as the caller would have said it without the pause.
"""

from __future__ import annotations

import re

__all__ = [
    "ANSWER_DOUBTS",
    "PLAIN_NO",
    "answer_age_questions",
    "answer_vital_questions",
    "join_checks_answered_none",
]

#: A one-word "no" to a question ("not yet" too); :mod:`triage.text.negation` adds the words
#: that deny without answering a vital question ("not", "none", "never", "denies").
PLAIN_NO: tuple[str, ...] = ("no", "nope", "nah", "negative", "not yet")
#: Words that, straight after the "no", make it a doubt or a part answer ("no idea", "not
#: sure", "not as much", "no, but I can see the cord"): such an answer neither writes a
#: finding here nor negates the question in :mod:`triage.text.negation`.
ANSWER_DOUBTS: frozenset[str] = frozenset(
    {"idea", "sure", "known", "know", "certain", "seen", "checked", "but", "as", "much",
     "completely", "fully", "entirely", "totally", "quite", "yet", "always"}
)

#: Who the question is about: a pronoun, or a determiner and one word ("the baby", "your son").
_SUBJECT = r"(?:he|she|they|it|you|(?:the|your|his|her|their|my) [a-z']+)"
#: An optional speaker label before the answer ("c: ", "caller: ", "the caller: ").
_LABEL = r"(?:[a-z]{1,10}(?: [a-z]{1,10})?: ?)?"
#: The answer word, not followed by a doubt or by the finding already written out.
_NO = (
    rf"({'|'.join(PLAIN_NO)})\b"
    rf"(?!,? (?:{'|'.join(sorted(ANSWER_DOUBTS))})\b)"
)
#: A "?" answered "no" anywhere: the one search a narrative pays before the questions below.
_ANSWERED_NO = re.compile(r"\? ?" + _LABEL + _NO).search

#: (question pattern, the finding the "no" answer gives). The pattern ends at the answer word.
_QUESTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(question + r"\? ?" + _LABEL + _NO + r"(?!,? " + finding + r")"), finding)
    for question, finding in (
        (rf"\b(?:is|are) {_SUBJECT} (?:still )?breathing(?: at all)?", "not breathing"),
        (rf"\b(?:is|are) {_SUBJECT} breathing (?:normally|properly|ok|okay)",
         "not breathing normally"),
        (rf"\b(?:is|are) {_SUBJECT} (?:conscious|awake|responding|responsive|alert)(?: now)?",
         "not responding"),
        (rf"\b(?:has|have|did) {_SUBJECT} (?:come round|come to|woken up|woke up|opened "
         r"(?:his|her|their) eyes)(?: yet| now)?", "not responding"),
        (rf"\b(?:has|have) {_SUBJECT} stopped (?:fitting|seizing|shaking|jerking)(?: yet| now)?",
         "fitting will not stop"),
        (r"\b(?:has|is) the (?:fit|fitting|seizure|seizing|shaking|jerking) "
         r"(?:stopped|over|finished|ended)(?: yet| now)?", "fitting will not stop"),
        (r"\b(?:has|is) the bleeding (?:stopped|under control|controlled|slowed)(?: yet| now)?",
         "bleeding will not stop"),
        (r"\b(?:does|did|do) the (?:rash|spots|marks|blotches) (?:fade|go|disappear|blanch)"
         r"(?: [a-z']+){0,8}", "rash does not fade"),
    )
)


def answer_vital_questions(text: str) -> str:
    """``text`` (lower-cased, single-spaced) with each vital question answered "no" followed by
    the finding the answer gives: "is he breathing? c: no." becomes "is he breathing? c: no,
    not breathing." Everything else is returned unchanged."""
    if not _ANSWERED_NO(text):
        return text
    for pattern, finding in _QUESTIONS:
        text = pattern.sub(rf"\g<0>, {finding}", text)
    return text


#: "how old is the baby? c: six weeks" and "age? c: 10 days": the answer, a number (digits or
#: one word) of days, weeks or months, not already followed by "old". Bounded, no nested
#: repetition.
_AGE_ANSWER = re.compile(
    rf"\b(?:how old(?: is| are|'s) {_SUBJECT}(?: now)?|age)\? ?" + _LABEL
    + r"(?:(?:about|around|only|just|nearly|roughly|under) )?"
    r"(?:(?:he|she|they|it)(?:'s| is| are) )?"
    r"(?:\d{1,3}|[a-z]{3,9})(?: and a half)? (?:days?|weeks?|months?)\b(?! old)"
)


def answer_age_questions(text: str) -> str:
    """``text`` with an age in days, weeks or months given as an answer followed by "old":
    "how old is the baby? c: six weeks." becomes "... c: six weeks old." Everything else is
    returned unchanged; idempotent."""
    if "age?" not in text and "how old" not in text:
        return text
    return _AGE_ANSWER.sub(r"\g<0> old", text)


#: "checked for breathing, there is none" / "checked for a pulse - nothing": a check and its
#: "none" across a comma, dash or colon, the "none" ending its clause ("nothing abnormal" is not
#: an answer of none), written as one clause: "checked for a pulse and there is none".
_CHECK_ANSWERED_NONE = re.compile(
    r"\b(check|checked|checking|felt|feel|feeling|looked|looking) (for )?"
    r"(a |any |his |her |their )?"
    r"(breathing|breath|pulse)(?:,|, -| -|:| --|--|-|) ?(?:no, )?(?:but )?"
    r"(?:there is |there was |there's |theres )?(?:none|nothing|not one|not any)"
    r"(?: at all| found| there)?(?=[.,;:!?]|$)"
)
#: The same written as a log line: "pulse checked - none found", "breathing checked: nil".
_CHECKED_NONE = re.compile(
    r"\b(pulse|breathing) checked(?:,|, -| -|:| --|--|-|) ?(?:none|nothing|nil)(?: at all| found)?"
    r"(?=[.,;:!?]|$)"
)


def join_checks_answered_none(text: str) -> str:
    """``text`` with a check for breathing or a pulse and its "none" in one clause, in the
    words the rules read: "checked for breathing, there is none" and "felt for a pulse - nothing"
    become "checked for breathing and there is none", "checked for a pulse and there is none".
    Everything else is returned unchanged; idempotent."""
    # every match names a pulse or breathing: most narratives hold "not " ("cannot"), few both
    if "pulse" not in text and "breath" not in text:
        return text
    if "none" not in text and "nothing" not in text and "not " not in text and "nil" not in text:
        return text
    text = _CHECK_ANSWERED_NONE.sub(r"checked \2\3\4 and there is none", text)
    if "checked" in text:
        text = _CHECKED_NONE.sub(r"checked for \1 and there is none", text)
    return text
