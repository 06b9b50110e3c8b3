"""A call transcript's answers written out as the findings they give.

Seven kinds: a question about a vital sign answered "no"; the same as a CAD log's key question
without a verb ("Conscious: No. Breathing: No."); a finding asked as such a key and denied
("Chest pain: No.") or affirmed ("Rash? Yes, doesn't fade"); a measurement asked and answered
("temp? c: 36.9"); a baby's age given only as the answer to "how old is she?"; and a check for
breathing or a pulse answered "none" after a comma.

Police relay 999 calls as transcripts: "CT: is he breathing? C: no." Read on its own, the
question names breathing and the answer is one word, so nothing says the patient is not
breathing, and before 2026-12-05 no red flag was raised (a review of the twenty-second
session's changes: "is she conscious? no", "has the fit stopped? no", "has the bleeding
stopped? no", "does the rash fade under a glass? no" all raised nothing). The normaliser
(:func:`triage.text.normalise.normalise`) calls :func:`answer_vital_questions`, which writes the
finding the answer gives right after the answer word ("c: no, not breathing."), so the rules and
the model read the same words they read when the caller says it outright.

Pasted one turn a line, a transcript often loses its "?" ("Call taker: is he breathing / Caller:
no"): an answering speaker label (:data:`ANSWER_LABELS`: the caller, the officer, "A") then
stands in for it; a bare space never does (a review of the thirtieth session).

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
    "ANSWER_LABELS",
    "NOT_THE_FINDING",
    "PLAIN_NO",
    "affirm_key_questions",
    "answer_age_questions",
    "answer_key_questions",
    "answer_measure_questions",
    "answer_vital_questions",
    "deny_key_questions",
    "join_checks_answered_none",
    "join_key_values",
    "mark_transcript_questions",
]

#: A one-word "no" to a question ("not yet" too); :mod:`triage.text.negation` adds the words
#: that deny without answering a vital question ("not", "none", "never", "denies").
PLAIN_NO: tuple[str, ...] = (
    "no", "nope", "nah", "negative", "not yet",
    # a caller who looks and sees nothing ("CT: is he breathing / C: not that I can see": a
    # review of the thirtieth session)
    "not that i can see", "not that i can tell",
)
#: Words that, straight after the "no", make it a doubt or a part answer ("no idea", "not
#: sure", "not as much", "no, but I can see the cord"): such an answer neither writes a
#: finding here nor negates the question in :mod:`triage.text.negation`.
ANSWER_DOUBTS: frozenset[str] = frozenset(
    {"idea", "sure", "known", "know", "certain", "seen", "checked", "but", "as", "much",
     "completely", "fully", "entirely", "totally", "quite", "yet", "always"}
)

#: Who the question is about: a pronoun, or a determiner and one word ("the baby", "your son").
_SUBJECT = r"(?:he|she|they|it|you|patient|casualty|(?:the|your|his|her|their|my) [a-z']+)"
#: An optional speaker label before the answer ("c: ", "caller: ", "the caller: ").
_LABEL = r"(?:[a-z]{1,10}(?: [a-z]{1,10})?: ?)?"
#: The answer word, not followed by a doubt or by the finding already written out.
#: Words that, after a "no", say the answer is about something else: "is he breathing? no
#: problems" says he breathes well. They write no finding; unlike :data:`ANSWER_DOUBTS` they
#: still let the "no" negate the question ("any chest pain? no problems").
NOT_THE_FINDING: frozenset[str] = frozenset(
    {"problems", "problem", "probs", "prob", "issues", "issue", "concerns", "concern", "difficulty",
     "difficulties", "trouble", "worries", "bother", "complaints"}
)
_NO = (
    rf"({'|'.join(PLAIN_NO)}|n(?=[ .,;!]|$))\b"
    rf"(?!,? (?:{'|'.join(sorted(ANSWER_DOUBTS | NOT_THE_FINDING))})\b)"
)
#: A "?" answered "no" anywhere: the one search a narrative pays before the questions below.
#: A transcript pasted one turn a line loses its "?" as often as not, and the line break becomes
#: a space: "Call taker: is he breathing / Caller: no", "Q: Is he conscious / A: No", "CT - is he
#: breathing / C - no". Without the "?", only a speaker label that answers may stand between the
#: question and the "no" (a review of the thirtieth session: nine such transcripts raised no
#: flag). The labels are the answering side's: the caller, the officer relaying, or "A"; a bare
#: space never answers ("is he breathing no idea" is not read).
ANSWER_LABELS: tuple[str, ...] = (
    "c", "caller", "a", "ans", "answer", "officer", "pc", "reply", "response", "informant",
    # whoever is beside the patient, answering for them ("CT: is she breathing / Mum: no": a
    # review of the thirty-second session)
    "mum", "mother", "dad", "father", "wife", "husband", "partner", "son", "daughter",
    "friend", "carer", "nurse", "neighbour", "witness", "bystander", "relative", "parent",
)
_ANSWER_LABEL = rf" (?:{'|'.join(ANSWER_LABELS)})(?::|\.| -) ?"
_ANSWERED_NO = re.compile(rf"(?:\? ?{_LABEL}|{_ANSWER_LABEL})" + _NO).search

#: (question pattern, the finding the "no" answer gives). The pattern ends at the answer word.
_QUESTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (
        re.compile(
            question + rf"(?:\? ?{_LABEL}|{_ANSWER_LABEL})" + _NO + r"(?!,? " + finding + r")"
        ),
        finding,
    )
    for question, finding in (
        (rf"\b(?:is|are) {_SUBJECT} (?:still )?breathing(?: at all)?", "not breathing"),
        (rf"\b(?:is|are) {_SUBJECT} breathing (?:normally|properly|ok|okay)",
         "not breathing normally"),
        (rf"\b(?:is|are) {_SUBJECT} (?:conscious|awake|responding|responsive|alert)"
         r"(?: and (?:talking|responding|answering)(?: to (?:you|me|us|them|anyone))?)?"
         r"(?: to (?:you|me|us|them|anyone|anything|voice))?(?: at all)?(?: now)?",
         "not responding"),
        (rf"\b(?:would|will|does|did|can|could) {_SUBJECT} respond"
         r"(?: to (?:anything|anyone|voice|pain))?(?: at all)?", "not responding"),
        (r"\b(?:is|was) there (?:a|any) pulse(?: at all)?", "no pulse"),
        (r"\b(?:can|could) (?:you|they|we|i|he|she) (?:feel|find|get) (?:a|any) pulse", "no pulse"),
        (rf"\b(?:does|did|do) {_SUBJECT} have (?:a|any) pulse", "no pulse"),
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


#: A call-taker's line of a transcript typed without its "?" and answered no ("ct: any tummy
#: pain or bleeding c: no, and the baby's kicking"): the line up to the answer, with no "?",
#: no label and no other line inside it. Each line is scanned once, to the next label or "?".
_CT_LINE_ANSWERED_NO = re.compile(
    r"\bct: ((?:(?!\bct: |\bc: )[^?])+?) (?=c: (?:no|nope|nah|none|not|never|negative)\b)"
)


def mark_transcript_questions(text: str) -> str:
    """``text`` with the question mark a call-taker's line answered "no" was typed without:
    "ct: any swelling of her lips c: no" becomes "ct: any swelling of her lips? c: no", so
    the answer denies the line as it denies any question. Before the twenty-seventh session
    (a blind review of 2026-12-05) a transcript typed without "?" read every danger the
    call-taker asked about as present ("ct: is she fainting or short of breath c: no" raised
    ``not_breathing``). Idempotent: a line that ends in "?" is left as it is."""
    if "ct:" not in text or "c: n" not in text:
        return text
    return _CT_LINE_ANSWERED_NO.sub(r"ct: \1? ", text)


def answer_vital_questions(text: str) -> str:
    """``text`` (lower-cased, single-spaced) with each vital question answered "no" followed by
    the finding the answer gives: "is he breathing? c: no." becomes "is he breathing? c: no,
    not breathing." Everything else is returned unchanged."""
    if not _ANSWERED_NO(text):
        return text
    for pattern, finding in _QUESTIONS:
        text = pattern.sub(rf"\g<0>, {finding}", text)
    return text


#: Where a key question may start: the start of the narrative or of a clause, a speaker label,
#: or the answer to the key question before it ("conscious? n breathing? n", "chest pain:
#: negative sob: no"); never straight after a "?", where "the caller: nope" is a speaker and an
#: answer. Fixed-width look-behinds, so nothing here can backtrack. Every one-word denial an
#: answer can be is here: with "negative" missing, "nb: -ve nb: -ve" read "no note note:
#: negative", then "no no note note" read again (the normaliser was not idempotent; a property
#: test found it on 2026-12-06).
_KEY_AT = (
    r"(?:^|(?<=[.!:;,|(\[/])|(?<=[.!:;,|(\[/] )|(?<=\bno )|(?<=\bn )|(?<=\byes )|(?<=\by )"
    r"|(?<=\bnegative )|(?<=\bnil )|(?<=\bnone )|(?<=\bnope )|(?<=\bnah )|(?<=\babsent ))"
)
#: Whom a vital key names, kept in front of the finding ("patient breathing: no"). A key may
#: be asked with its verb and answered as a key ("is pt conscious - N", "is he breathing: no");
#: the verb is dropped with the answer (a review of 2026-12-05: "Is pt conscious - N" raised no
#: flag).
_KEY_SUBJECT = (
    r"(?:(?:is|are) (?:(?:the|your|his|her|their|my) (?!patient |casualty )[a-z']+ "
    r"|(?:mum|dad|nan|nana|gran|granny|grandma|grandad|grandpa|wife|husband|partner|son"
    r"|daughter) "
    r"|(?=(?:the )?(?:patient|casualty|male|female|man|woman|baby|child|he|she|they) )))?"
    r"(?P<subj>(?:(?:the )?(?:patient|casualty|male|female|man|woman|baby|child|he|she|they) )?)"
)
#: What separates a key from its answer: "?", ":", " -" or "?" and a speaker label.
_KEY_SEP = r"(?:\? ?" + _LABEL + r"|: ?| - | -)"
#: The conscious key may also be answered "no" after a bare space: "Conscious N, breathing
#: normal", and "conscious = no" (the character table makes "=" a space). Only a one-word "no",
#: and only the conscious key, whose "no" must still end its clause: "breathing no" after a
#: bare space is as often a complaint denied in a list ("chest pain no, breathing no, bleeding
#: no": a review of 2026-12-05), and a finding denied after a bare space ("not breathing no
#: pulse") is never read as a denial (:data:`_DENIED_KEY` keeps :data:`_KEY_SEP`).
_VITAL_KEY_SEP = r"(?:\? ?" + _LABEL + r"|: ?| - | -| (?=(?:no|nope|nah|negative|n)\b))"
#: The answer ends its clause, a dash or a slash follows it, or the next key question does
#: ("n breathing? n"). A "no" with more words ("no problems", "no LOC", "no idea") is not a
#: one-word answer.
_ANSWER_ENDS = r"[.,;!|)\]]|$| and\b| -| /| \(| [a-z']{1,20}(?: [a-z']{1,20})?[?:]"
_KEY_ANSWER_END = rf"(?={_ANSWER_ENDS})"
#: ... and a vital key's answer may run on into a new sentence that says what is wrong, typed
#: without its full stop ("is she breathing: nah she's gone grey", "Breathing - no the male is
#: blue": a look-alike list of 2026-12-05 left them unread). Only a sentence naming a danger:
#: "Breathing: no she's fine", "Responsive - no he is just ignoring us" and "Conscious: no he's
#: sound asleep" are an answer about something else (a review of the change, 2026-12-05).
_RUN_ON_WHO = (
    r"(?:he|she|they|hes|shes|theyre|it|mum|dad|baby|nan|nana|gran|granny|grandma|grandad"
    r"|grandpa|(?:(?:the|my|our|his|her|their) )?(?:old |young |little )?(?:male|female|man"
    r"|woman|lad|girl|boy|baby|child|patient|casualty|son|daughter|wife|husband|partner|brother"
    r"|sister|mum|dad|nan|grandad|friend|mate)|(?:his|her|their) (?:lips|face|skin|chest)"
    r"|babys|baby's|mum's|dad's|his|her|their)"
)
#: The dangers a run-on sentence must name. Not "pale", "white", "cold", "stiff", "snoring",
#: "eyes closed" or "not responding": "Breathing: no the male is white, approx 30, black
#: hoodie" is a description, "Conscious: no eyes closed because of the pepper spray, talking"
#: and "Responsive - no he is not responding to questions, no comment" are alive (a second
#: review of the change, 2026-12-05); nor "dead drunk" and its like. Nothing after the danger
#: cancels it: a look-ahead for "talking" or "awake" also read "mum is talking to her" and
#: "not talking" as the patient alive (a third review).
_RUN_ON_DANGER = (
    r"(?:blue|grey|gray|purple|limp|floppy|lifeless|unresponsive|motionless|collapsed|slumped"
    r"|unconscious|dead(?! (?:drunk|tired|beat|against|set|keen|sure|right|serious|happy|funny"
    r"|quiet|asleep|to the world))|stopped|fitting|out cold"
    r"|not (?:moving(?! (?:his|her|their|the|a|an|any)"
    r" )|breathing(?! (?:fast|heavily|hard|quickly|as|so))|rousable|waking|conscious|reacting)"
    r"|eyes (?:rolled|rolling)|pupils fixed"
    r"|lips (?:are |look |gone |turned )?(?:blue|grey|gray|purple)|gasping|gurgling"
    r"|a funny colour)"
)
#: Subjectless dangers: "Breathing: no lips blue", "no cant see his chest moving".
_RUN_ON_BARE = (
    r"(?:(?:lips|face) (?:is |are |looks? |gone |turned )?(?:blue|grey|gray|purple)"
    r"|(?:only |just )?gasping|(?:cannot|cant|can't) (?:see (?:his|her|their|the|any) chest"
    r"|see (?:him|her|them) breath|feel (?:a|any) pulse|find (?:a|any) pulse)"
    r"|eyes (?:rolled|rolling)|(?:we've|we have|weve|officers have|they've) started cpr"
    r"|pupils fixed|nothing at all"
    r"|(?:his|her|their) chest (?:is not|isnt|isn't|not) (?:going|moving|rising))"
)
_VITAL_ANSWER_END = (
    rf"(?={_ANSWER_ENDS}"
    rf"| {_RUN_ON_WHO}(?:'s|'re| is| are| was| were| has| have| looks?| seems?)?"
    r"(?: (?:gone|turned|going|looking|now|still|all|really|very|completely|totally|just"
    r"|lying there|just lying there))?"
    rf" {_RUN_ON_DANGER}\b"
    rf"| {_RUN_ON_BARE}\b)"
)

#: ... or the next vital key follows after a bare space, itself answered ("conscious = no
#: breathing = no"; never "conscious no breathing problems": a review of 2026-12-05).
_NEXT_VITAL_KEY = (
    r"|(?= (?:breathing|breath|breaths|respirations|conscious|responsive|responding|rousable"
    r"|pulse|avpu)(?:\?|:| -| (?:no|nope|nah|negative|n|yes|y)\b))"
)
#: A one-word "no"; "now" or "still" may follow it ("conscious: no now").
_KEY_NO = r"(?:no|nope|nah|negative|n|nil)"
_KEY_TAIL = r"(?P<tail> now| still| at all)?"
#: How a recognition-of-life-extinct form says the check was made, dropped with the answer:
#: "carotid pulse: none over 1 min", "breathing: none seen or heard over 1 min", "pulse: none
#: felt". Left in, "carotid pulse" read as a pulse felt, a doubt that kept a certain death
#: from the desk (a blind writer's deaths, thirty-eighth session).
_KEY_CHECKED = (
    r"(?: (?:seen|felt|heard|found|palpable|detected)(?: or (?:seen|heard|felt|found))?)?"
    r"(?: (?:over|for|in|after|during) (?:\d{1,3}|one|a|an|ten|thirty|sixty)"
    r" (?:minutes?|mins?|seconds?|secs?))?"
)
#: (key question, the answers that deny it, the finding a denial gives). A key without a verb:
#: CAD logs and the key questions of 999 call scripts ("Conscious: No. Breathing: No."). The
#: key and its answer are replaced by the finding, as the caller would have said it: the key's
#: own word ("breathing") would otherwise read as a sign of life beside a death. A conscious key
#: answered no is written "conscious answered no", which the rules read as unconscious but,
#: like a keyed ``conscious=no``, never as someone else unconscious beside a death beyond
#: doubt ("Skeletal remains. CAD: Consc - N, Breath - N." is the remains' own log).
_KEY_TABLE: tuple[tuple[str, str, str], ...] = (
    (r"breathing (?:normally|properly|ok|okay)", _KEY_NO, "not breathing normally"),
    (r"(?:any )?(?:breathing|breath|breaths|respirations)", rf"(?:{_KEY_NO}|none|absent)",
     "not breathing"),
    (r"(?:conscious|responsive|responding|rousable)", _KEY_NO, "conscious answered no"),
    (r"(?:any |a )?(?:pulse|carotid pulse|radial pulse|central pulse)",
     rf"(?:{_KEY_NO}|none|absent|nothing|cannot feel (?:one|it|any|a pulse))", "no pulse"),
    (r"avpu", r"(?:u|unresponsive)", "not responding"),
    (r"avpu", r"(?:p|pain)", "responds to pain only"),
)
#: All the keys in one alternation, so one left-to-right pass reads "conscious? n breathing? n"
#: (each key's start is looked for in the text as written, before any rewrite).
_KEYS = re.compile(
    _KEY_AT + _KEY_SUBJECT + "(?:"
    + "|".join(f"(?P<k{i}>{key}){_VITAL_KEY_SEP if 'conscious' in key else _KEY_SEP}"
               f"{answers}" for i, (key, answers, _) in enumerate(_KEY_TABLE))
    + ")" + _KEY_CHECKED + _KEY_TAIL + r"(?:" + _VITAL_ANSWER_END + _NEXT_VITAL_KEY + ")"
)
#: The cheap test before the key patterns: a key word followed by one of the separators or by
#: a bare space and a one-word denial. Only the conscious keys take a bare space
#: (:data:`_VITAL_KEY_SEP`); the test lets the others through too, because one alternation is
#: cheaper than two and :data:`_KEYS` decides.
_KEY_WORDS = re.compile(
    r"\b(?:breathing(?: normally| properly| ok| okay)?|breath|breaths|respirations|conscious"
    r"|responsive|responding|rousable|pulse|avpu)(?:\?|:| -| (?:no|nope|nah|negative|n)\b)"
).search


#: A conscious key answered "no" after a bare space ("conscious n", "responsive no"): with a
#: separator, the substring tests most narratives stop at before :data:`_KEY_WORDS`' search.
_BARE_KEY_NO = ("conscious n", "responsive n", "responding n", "rousable n")


def _key_finding(m: re.Match[str]) -> str:
    if "?" in m.group(0) and m.group(0).startswith(("is ", "are ")):
        return m.group(0)  # a verb question asked with "?" is answer_vital_questions' to read
    i = next(i for i in range(len(_KEY_TABLE)) if m.group(f"k{i}") is not None)
    return f"{m.group('subj')}{_KEY_TABLE[i][2]}{m.group('tail') or ''}"


def answer_key_questions(text: str) -> str:
    """``text`` with each key question of a CAD log or call script that is answered "no"
    written as its finding: "conscious: no. breathing: no." becomes "conscious answered no.
    not breathing." A "no" that goes on ("breathing: no problems", "conscious: no loc") is
    left alone. Everything else is returned unchanged; idempotent.

    Before 2026-12-05 (the twenty-fourth session) the key questions of a collapse typed as a
    log, "Conscious: No. Breathing: No." or "conscious? n breathing? n", raised no flag."""
    if not (_has_separator(text) or any(k in text for k in _BARE_KEY_NO)) or not _KEY_WORDS(
        text
    ):
        return text
    return _KEYS.sub(_key_finding, text)


#: A denial of a finding asked as a key: a one-word "no", or "denies", "none", "nil" and "none
#: seen", "none found".
_KEY_DENIAL = (
    r"(?:no|nope|nah|negative|n|nil|none|denies|denied|absent)(?: seen| found| noted| known)?"
)
#: A finding asked as a key without a verb and denied: "chest pain: no", "serious bleeding? n",
#: "sob - n", "any chest pain - no": up to four words from the start of a clause, then the
#: denial ending its clause. Keys naming a state that is good to have ("talking: no", "alert?
#: no") are left alone: their "no" is a finding, not a denial.
_DENIED_KEY = re.compile(
    _KEY_AT
    + r"(?!(?:is|are|was|were|has|have|had|did|does|do|can|could|will|would|anything"
    r"|anyone|how|what|where|when|who|why|no|not|yes|n|y)\b)"
    r"((?:[a-z']+ ){0,3}[a-z']+)" + _KEY_SEP + _KEY_DENIAL + _KEY_ANSWER_END
)
#: The last word of a key whose "no" is a finding ("responding to voice: no").
_GOOD_STATES = frozenset(
    {"breathing", "breath", "breaths", "respirations", "conscious", "responsive", "responding",
     "awake",
     "alert", "talking", "speaking", "orientated", "oriented", "walking", "moving", "feeding",
     "eating", "drinking", "pulse", "rousable", "normally", "properly", "ok", "okay", "well",
     "fine", "safe", "voice", "pain", "warm", "pink", "sentences", "colour", "color", "avpu"}
)
#: ... unless the key names a trouble with it ("difficulty breathing", "chest pain").
_TROUBLE_WORDS = frozenset(
    {"difficulty", "difficulties", "problems", "problem", "trouble", "short", "shortness",
     "chest", "abdominal", "abdo", "stomach", "back", "head", "neck", "severe", "new"}
)


#: A comma straight after an answer: the key after it is the log's next key ("chest pain - n,
#: sob - n").
_ANSWER_THEN_COMMA = re.compile(r"\b(?:no|n|yes|y|nil|none|denies|negative), ?$").search


def _inside_a_question(m: re.Match[str]) -> bool:
    """A key asked with "?" that starts after a comma, not after an answer, may be the last
    part of a longer question ("any swelling to the lips or tongue, any trouble breathing? c:
    no"): its answer is the whole question's, which :mod:`triage.text.negation` reads."""
    if "?" not in m.group(0):
        return False
    before = m.string[max(0, m.start() - 12) : m.start()]
    return before.rstrip().endswith(",") and not _ANSWER_THEN_COMMA(before)


def _denied(m: re.Match[str]) -> str:
    key = m.group(1)
    words = key.split()
    if (words[-1] in _GOOD_STATES and _TROUBLE_WORDS.isdisjoint(words[:-1])) or (
        _inside_a_question(m)
    ):
        return m.group(0)
    # a key in another key's answer place ("nb: chest pain: no") is denied with "not", so the
    # denial never becomes the first key's "no" answer on a second reading (idempotence)
    if m.string[: m.start()].rstrip().endswith((":", "?", "-")):
        return f"not {key}"
    return f"no {key}"


def deny_key_questions(text: str) -> str:
    """``text`` with each finding asked as a key without a verb and denied written as a
    denial: "chest pain: no. difficulty breathing? no." becomes "no chest pain. no difficulty
    breathing." Before 2026-12-05 (the twenty-fourth session) a CAD log's key questions
    answered "No" read as the findings they deny: "Serious bleeding: No." raised
    ``severe_bleeding`` and "Chest pain - N, SOB - N" ``cardiac_chest_pain``. A key that is a
    verb question ("is he bleeding? no") is left to :mod:`triage.text.negation`. Idempotent."""
    if not _has_separator(text) or not _HAS_KEY_DENIAL(text):
        return text
    return _DENIED_KEY.sub(_denied, text)


_HAS_KEY_DENIAL = re.compile(r"[?:-] ?(?:[a-z]{1,10}: ?)?(?:n|denie|absent)").search
_HAS_KEY_YES = re.compile(
    r"[?:-] ?(?:[a-z]{1,10}: ?)?(?:yes|yeah|yep|y|positive)(?![a-z/'])"
).search


def _has_separator(text: str) -> bool:
    """A key question needs one of its separators: the cheap test most narratives stop at."""
    return "?" in text or ":" in text or " -" in text


#: A finding asked as a key and answered yes: "rash? c: yes, does not fade", "breathing
#: difficulty: y": the key, then what follows the answer, as one clause ("rash does not fade").
_AFFIRMED_KEY = re.compile(
    _KEY_AT
    + r"(?!(?:is|are|was|were|has|have|had|did|does|do|can|could|will|would|any|anything"
    r"|anyone|how|what|where|when|who|why|no|not|yes|n|y)\b)"
    r"((?:[a-z']+ ){0,2}[a-z']+)" + _KEY_SEP + r"(?:yes|y|yeah|yep|positive)(?![a-z/'])"
    r"(?:,? (?=[a-z]))?"
)


def affirm_key_questions(text: str) -> str:
    """``text`` with each finding asked as a key and answered yes written as the finding, run
    on into what the answer goes on to say: "rash? c: yes, doesn't go when pressed with a
    glass" becomes "rash doesn't go when pressed with a glass" (a phrase never runs across the
    "?" or the comma; a review of 2026-12-05). Idempotent: a rewrite can leave the next key at
    the start of a clause it was not at ("note: positive note: positive" is "note note:
    positive" after one pass, "note note" after two: a property test's random draw, thirty-sixth
    session), so it is applied until nothing changes, at most ``_MAX_PASSES`` times (each pass
    is linear and a pass that changes nothing ends the loop)."""
    if not _has_separator(text) or not _HAS_KEY_YES(text):
        return text
    for _ in range(_MAX_PASSES):
        rewritten = _AFFIRMED_KEY.sub(_affirmed, text)
        if rewritten == text:
            break
        text = rewritten
    return text


#: Passes of :func:`affirm_key_questions` at most: a chain of affirmed keys settles in two or
#: three; the bound keeps a crafted chain linear in its length times this.
_MAX_PASSES = 6


#: Keys that name a test, not a finding: answered "positive", the answer is the finding ("FAST:
#: positive" is "fast positive"; written "fast" alone it read no stroke: the thirty-third
#: session's word-order grid).
_TEST_KEYS = frozenset({"fast", "befast", "test", "screen", "assessment", "check"})


def _affirmed(m: re.Match[str]) -> str:
    if _inside_a_question(m):
        return m.group(0)
    key = m.group(1)
    if key.rsplit(" ", 1)[-1] in _TEST_KEYS and "positive" in m.group(0)[len(key):]:
        key += " positive"
    return key + (" " if m.group(0)[-1] == " " else "")


#: A measurement asked and answered ("temp? c: 36.9", "sats? 84", "gcs? 9"): the name of the
#: measurement, the "?" and an optional speaker label, then the number. The measure names are
#: the normaliser's canonical forms (it has already written "sats" as "oxygen saturation").
_MEASURE_ANSWER = re.compile(
    r"\b(temp|temperature|oxygen saturation|saturations|saturation|spo2|gcs|resps|respirations"
    r"|respiratory rate|rr|pulse|heart rate|bp|blood pressure|blood glucose|sugar|sugars"
    r"|thermometer)"
    r"(?:\? ?" + _LABEL + r"|: ?| - )(?=~?\d|lo\b)"
)


#: A finding given as a key and its value in words, "Speech: slurred", "Weapon: knife",
#: "Pupils: unequal": the colon dropped, so the rules read "speech slurred" as one clause. Keys
#: answered yes or no are the other rewrites' (a denial is kept as it is here).
_KEY_VALUE = re.compile(
    r"(?:^|(?<=[.!;|(\[/,])|(?<=[.!;|(\[/,] ))"
    r"(speech|face|smile|arm|arms|leg|legs|skin|colour|color|pupils|neck|weapon|wound|wounds"
    r"|injury|injuries|mobility|vision|eyes|lips|behaviour|mood|gait|pain|radiation)"
    r": ?(?!(?:yes|y|no|n|nil|none|denies|denied|negative|absent|not|nad)\b)(?=[a-z])"
)


#: A form's duration given as a number: "Duration: 12 min", "Length of seizure - about 8 mins"
#: are read as "duration 12 minutes", "seizure duration about 8 minutes" (the thirty-first session's
#: note: a seizure's duration after a colon was not read, the colon ending the clause before the
#: number). Bounded, no nested repetition.
_TIME_VALUE = (
    r"(?=(?:(?:approximately|about|around|over|nearly|almost|roughly) )?\d{1,3}(?:\.\d)? "
    r"(?:seconds?|minutes?|hours?)\b)"
)
_DURATION_VALUE = re.compile(
    r"\b(?:duration|length)(?: of (?:the )?(fit|fits|fitting|seizure|seizures|episode))?"
    r"(?::| ?=| -) ?" + _TIME_VALUE
)
#: ... and a seizure keyed with its duration: "Seizure: 10 mins" is "seizure for 10 minutes"
#: (never a time of day or an age: "fitting - 21:04", "last seizure: 4 months ago").
_SEIZURE_FOR = re.compile(r"\b(seizure|fit|fitting)(?::| ?=) ?" + _TIME_VALUE)


def _duration(m: re.Match[str]) -> str:
    return f"{m.group(1)} duration " if m.group(1) else "duration "


def join_key_values(text: str) -> str:
    """``text`` with a finding keyed in words written as a clause: "speech: slurred" becomes
    "speech slurred", "weapon: knife" "weapon knife" (a ninth red team, 2026-12-05: a CAD log's
    "Speech: slurred ... Arm: dropping his cup" raised no flag), and "duration: 12 minutes"
    "duration 12 minutes". Idempotent."""
    if "duration" in text or "length" in text:
        text = _DURATION_VALUE.sub(_duration, text)
    if "fit" in text or "seizure" in text:
        text = _SEIZURE_FOR.sub(r"\1 for ", text)
    if ":" not in text:
        return text
    return _KEY_VALUE.sub(r"\1 ", text)


def answer_measure_questions(text: str) -> str:
    """``text`` with each measurement asked and answered as a number written as a reading:
    "ct: temp? c: 36.9" becomes "ct: temp 36.9", "sats? 84" "oxygen saturation 84". A phrase
    never runs across the "?", so before 2026-12-05 a reading given as an answer was read by
    no rule: neither a fever of 39.8 nor a normal 36.9 (the bare word "temp" then read as a
    fever in a baby). Everything else is returned unchanged; idempotent."""
    return _MEASURE_ANSWER.sub(r"\1 ", text)


#: "how old is the baby? c: six weeks" and "age? c: 10 days": the answer, a number (digits or
#: one word) of days, weeks or months, not already followed by "old". Bounded, no nested
#: repetition.
_AGE_ANSWER = re.compile(
    rf"\b(?:how old(?: is| are|'s) {_SUBJECT}(?: now)?\?|age(?:\?|:| -)) ?" + _LABEL
    + r"(?:(?:about|around|only|just|nearly|roughly|under) )?"
    r"(?:(?:he|she|they|it)(?:'s| is| are) )?"
    r"(?:\d{1,3}|[a-z]{3,9})(?: and a half)? (?:days?|weeks?|months?)\b(?! old)"
)


def answer_age_questions(text: str) -> str:
    """``text`` with an age in days, weeks or months given as an answer followed by "old":
    "how old is the baby? c: six weeks." becomes "... c: six weeks old." Everything else is
    returned unchanged; idempotent."""
    if "age?" not in text and "age:" not in text and "age -" not in text and "how old" not in text:
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
