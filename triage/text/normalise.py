"""Narrative normalisation: the canonical form both the model and the red-flag rules read.

Police operators type fast: "IP c/b, ETOH, no LOC, denies CP, NB?" The model's features and the
red-flag rules must read that the same way, so both go through :func:`normalise`: it
lower-cases, unifies quotes, dashes and whitespace (after :mod:`triage.text.charfold`), expands
control-room abbreviations and negative contractions ("doesn't" -> "does not") from the tables
of :mod:`triage.text.abbreviations`, and corrects misspelt clinical words
(:mod:`triage.text.spelling`), giving one canonical spelling per concept ("unconcious" ->
"unconscious", "c/b" -> "conscious and breathing", "no LOC" -> "no loss of consciousness").
Negation is the next step (:mod:`triage.text.negation`).

Everything is deterministic, uses regexes compiled once at import (compiling is cheap; the
tables are small literals), and runs in tens of microseconds for a typical narrative
(benchmarks/bench_rules.py prints the figures).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from triage.text.abbreviations import (
    CHAR_MAP,
    COULD_NOT,
    INABILITY_GET,
    INABILITY_VERBS,
    REPLACEMENTS,
)
from triage.text.answers import (
    ANSWER_LABELS,
    affirm_key_questions,
    answer_age_questions,
    answer_key_questions,
    answer_measure_questions,
    answer_vital_questions,
    deny_key_questions,
    join_checks_answered_none,
    join_key_values,
    mark_transcript_questions,
)
from triage.text.charfold import fold
from triage.text.joins import unglued
from triage.text.keyed import join_danger_values
from triage.text.lists import distribute_negation
from triage.text.signs import write_absent_signs
from triage.text.spelling import MIN_LEN_SHORT, correct_word, known_words

__all__ = ["CACHE_SIZE", "normalise"]

#: How many recent narratives normalise() and analyse() remember (a few MB at most).
CACHE_SIZE = 4096

#: Keys of more than one word are replaced by their own (small) regex, the rest token by token.
_PHRASE_REPLACEMENTS: dict[str, str] = {k: v for k, v in REPLACEMENTS.items() if " " in k}
_WORD_REPLACEMENTS: dict[str, str] = {k: v for k, v in REPLACEMENTS.items() if " " not in k}
#: The keys by the letters and digits their first word starts with ("talkin' mince" under
#: "talkin"). The regex runs only when a key filed under one of the text's runs of letters and
#: digits is a substring of it: where the regex matches a key, a run starts (nothing alphanumeric
#: before a key) and ends where the key's first run does, so the gate never skips a match.
#: Three narratives in four hold a first word ("a", "male", "is", "head"), one in seventy a key.
#: Until 2026-12-06 the runs kept apostrophes, so a quoted key ("he was 'spark out'") whose
#: narrative held no other first word skipped the regex and was never read.


def _by_first_run(keys: Iterable[str]) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for key in keys:
        run = re.match(r"[a-z0-9]+", key)
        if run is None:
            raise ValueError(f"The replacement key {key!r} must start with a letter or a digit.")
        out[run.group(0)] = (*out.get(run.group(0), ()), key)
    return out


_PHRASES_BY_FIRST_RUN = _by_first_run(_PHRASE_REPLACEMENTS)
_PHRASE_FIRST_RUNS: frozenset[str] = frozenset(_PHRASES_BY_FIRST_RUN)
_ALNUM_RUN = re.compile(r"[a-z0-9]+").findall


def _holds_a_phrase_key(t: str) -> bool:
    """Whether ``_PHRASE_RE`` can match in ``t`` (never False where it can)."""
    return any(k in t for w in _PHRASE_FIRST_RUNS.intersection(_ALNUM_RUN(t))
               for k in _PHRASES_BY_FIRST_RUN[w])
_PHRASE_RE = re.compile(
    r"(?<![a-z0-9])(?:"
    + "|".join(re.escape(k) for k in sorted(_PHRASE_REPLACEMENTS, key=len, reverse=True))
    + r")(?![a-z0-9])"
)
#: Characters a word may carry before/after it that are not part of the word.
_LEAD = "('\""
_TRAIL = ",.;:?!)'\""
#: Splits text into separators and words (the words are the captured group).
WORD_SPLIT_RE = re.compile(r"([a-z0-9]+(?:['./&+-][a-z0-9]+)*)")
#: "+ve" / "-ve" start with punctuation, so the word table cannot see them.
_VE_RE = re.compile(r"(?<![a-z0-9])([+-])ve(?![a-z0-9])")


def _ve(match: re.Match[str]) -> str:
    return "positive" if match.group(1) == "+" else "negative"


#: "NB:" as a sentence-leading nota bene ("NB: officers on scene") is a note, not "not breathing".
_NOTA_BENE_RE = re.compile(r"(?<![a-z0-9/&+.'])nb ?:")
#: "w/" (with) glued to its next word: "w/chest pain", "w/ his wife".
#: "w/" and the space after it become "with " (one space: a doubled one hid what followed from
#: the key rewrites until a second pass, which broke idempotence: "w/ -y").
_WITH_RE = re.compile(r"(?<![a-z0-9/])w/(?!o(?![a-z]))(?: |(?=[a-z]))")
#: "couldn't breathe" is the finding "cannot breathe" (abbreviations.INABILITY_VERBS): one
#: regex, run only on narratives that say "could", keeps it out of the phrase table's pass.
_COULD_NOT_RE = re.compile(
    r"(?<![a-z0-9])(?:" + "|".join(re.escape(c) for c in COULD_NOT) + r") (?=(?:"
    + "|".join(re.escape(v) for v in sorted((*INABILITY_VERBS, *INABILITY_GET), key=len,
                                            reverse=True))
    + r")(?![a-z0-9]))"
)
#: "HR 130", "hr: 45", "HR of 210": a heart rate, when "hr" stands before a number and not after
#: one ("1 hr 30 mins" stays hours).
_HEART_RATE_RE = re.compile(r"(?<![0-9] )(?<![0-9a-z])hr(?: ?:| of)? ?(?=[0-9]{2,3}(?![0-9]))")
#: "to sob" is crying, not "short of breath": protect it before the table runs.
_TO_SOB_RE = re.compile(r"\b(to|started|began|start|begin) sob\b")
#: Numbers glued to units: "60mph", "3ft", "10mins", "40yo", "2.1mmol".
_NUMBER_UNIT_RE = re.compile(
    r"(\d)(mph|kph|ft|m|metres|meters|feet|mins?|hrs?|wks?|yrs?|yo|y/o|kg|mg|g|ml|mmol|tabs|x|c|kv|v)"
    r"(?![^\W\d_])"  # not followed by any letter (an accented one included: "0mð" is one word)
)
#: "GCS of 8", "GCS 8", "GCS:8", "gcs 8/15": canonical "gcs 8".
_GCS_RE = re.compile(r"\bgcs ?(?:of|is|was|:|-)? ?(\d{1,2})(?: ?/ ?15)?(?![0-9])")
#: A GCS and the GCS it fell to, written with an arrow or a spaced dash ("GCS 15 -> 9", "gcs 15
#: → 9", "gcs 14 - 10"): written "gcs 15 to 9", as "gcs 15-9" already is, so the rules read the
#: fall (a blind form review of the thirty-third session: "GCS 15 -> 9 over 40 mins" raised
#: nothing). Never before another number or a "/" ("gcs 15 - 9/15" is left alone), nor before a
#: time ("GCS 15 - 10 mins after the fall he walked": a read-through of the change).
_GCS_FELL_RE = re.compile(
    r"\bgcs (\d{1,2}) ?(?:-|→|=) ?(\d{1,2})\b(?! ?[/-]? ?\d)"
    r"(?! ?(?:secs?|seconds?|mins?|minutes?|hrs?|hours?|days?|weeks?|months?|years?|ago)\b)"
)
#: A rate per minute, "resps 6/min", "RR 6 / min": written "6 per minute", which the rules read
#: as a rate ("6/min" was one word no number phrase could read: "pinpoint pupils, resps 4/min"
#: raised nothing in the same review).
_PER_MINUTE_RE = re.compile(r"(\d) ?/ ?min(?:ute)?s?\b")
#: A GCS given by its parts, "E1V1M4" or "e2 v2 m5" (a review of 2026-12-05): written as its
#: total, "gcs 6", so the rules read it as they read "GCS 6". Bounded: no repetition.
_GCS_PARTS_RE = re.compile(
    r"\b(?:gcs ?[?:-]? ?(?:[a-z]{1,10}: ?)?)?e ?([1-4]) ?,? ?v ?([1-5]) ?,? ?m ?([1-6])\b"
)
#: The cheap test before it: a "v" and a digit, which most narratives lack.
_GCS_V = re.compile(r"v ?[1-5]").search


def _gcs_total(m: re.Match[str]) -> str:
    return f"gcs {int(m.group(1)) + int(m.group(2)) + int(m.group(3))}"


#: A blood pressure reading in the forms nurses and CAD logs write it ("BP:76/40", "B/P 85",
#: "B.P. 82/48", "SBP 82", "NIBP 80/40mmHg", "BP80"): canonical "bp 76/40" (twenty-first
#: session, 2026-12-04: a review found every one of these unread). "blood pressure: 80/50" loses
#: its colon, which would end the clause between the words and the number.
_BP_RE = re.compile(
    r"\b(?:nibp|s\.?b\.?p\.?|b\.p\.?|b/p|bp) ?[:=-]? ?"
    r"(\d{2,3}(?: ?/ ?\d{2,3})?)(?: ?mm ?hg)?(?![0-9])"
)
_BP_WORDS_RE = re.compile(r"\bblood pressure ?[:=-] ?(?=\d)")
#: "blood glucose of 2.1", "blood glucose: 2.1": canonical "blood glucose 2.1".
_GLUCOSE_RE = re.compile(r"\bblood glucose ?(?:of|is|was|:|-|reading of|reading)? ?(\d)")
#: a lone "m" after a number is metres ("fell 3 m").
_METRES_RE = re.compile(r" m(?<=[0-9] m)(?![^\W_]|[/&+'])")
#: A range of small numbers, "4-5 breaths a min", "20-30 tablets": written "4 to 5", so the
#: rules read its last number as they read one given alone (a review of 2026-12-05: "only 4-5
#: breaths a min" in a heroin user raised no flag). Dates ("12-05-2026") and long numbers are
#: left alone.
_NUM_RANGE_RE = re.compile(r"(?<![0-9./-])(\d{1,3})-(\d{1,3})(?![0-9./-])")
#: "No 12" after a word that places it is a house, flat or cell number, never a negation: "old
#: man at no 12 is unresponsive", "resident of no 5 is fitting" had lost their flags to the "no"
#: (a blind writer's deaths, thirty-eighth session); so is one that starts the narrative ("no 4
#: ash grove woman fitting") or follows "the" ("on the no 38 bus"). "No" straight before a
#: number elsewhere is left alone (a transcript's "C: no 2 or 3").
_HOUSE_NUMBER_RE = re.compile(
    r"(^|\b(?:at|of|from|to|outside|opposite|near|behind|beside|by|in|into|flat|house|"
    r"property|address|door|garden|unit|room|cell|bay|bed|platform|gate|apartment|block|plot|"
    r"bungalow|cottage|caravan|lives|living|neighbour|neighbours|next|the|bus|route) )"
    r"no\.? ?(?=\d{1,4}[a-z]?(?![0-9a-z]))"
)
#: Two words joined by a slash, "swelling of lips/tongue": spaced, so each reads as a word; only
#: words of three letters or more, so "c/o", "n/k" and "s/h" stay whole; and a word before "no"
#: and a word ("not breathing/no pulse", forty-sixth session), but for a form's "yes/no".
_SLASH_SPLIT = r"\b([a-z]{3,})/(?=[a-z]{3,}\b|(?<!\byes/)no"
_SLASH_WORDS_RE = re.compile(_SLASH_SPLIT + r" [a-z])")
#: The same split inside one word of :func:`_replace_words`, where "no" ends the word
#: ("unresp/no pulse": "unresp / no", each replaced in the same pass, a review's idempotence
#: fault of the forty-sixth session)
_SLASH_WORD_RE = re.compile(_SLASH_SPLIT + r"$)")
#: hyphens inside words become spaces ("self-harm" == "self harm", "worst-ever", "x-ray").
_HYPHEN_RE = re.compile(r"-(?<=[a-z0-9]-)(?=[a-z])|-(?<=[a-z]-)(?=[0-9])")
_SPACES_RE = re.compile(r"\s{2,}")
#: Gestation as midwives write it: "32/40" is 32 weeks pregnant.
_GESTATION_RE = re.compile(r"(?<![0-9/.])([1-4]?[0-9])/40(?![0-9/]|\.[0-9])")
#: Weeks as clinicians write them: "6/52" is six weeks (an age, "baby 6/52", or a duration,
#: "cough 2/52"); no month or pressure is over 52, so the form is unambiguous (a seventh red
#: team, R7-156: "baby 6/52, temp 38.4").
_WEEKS_RE = re.compile(r"(?<![0-9/.])([1-5]?[0-9])/52(?![0-9/]|\.[0-9])")
#: clinicians' months of age, "infant 2/12": only after a word naming a child or an age, since
#: "2/12" alone is as often a date (2 December).
_MONTHS_OLD_RE = re.compile(
    r"\b(infant|baby|child|aged|age|boy|girl|son|daughter|toddler|male|female|patient)(,? )"
    r"([1-9]|1[01])/12(?![0-9/]|\.[0-9])"
)
#: The cheap test before the unit split: a digit straight before a letter (every unit starts
#: with one), which most narratives with a number lack ("male 45, fell 3 ft").
_DIGIT_LETTER = re.compile(r"\d[a-z]").search
#: The cheap test before the house-number rewrite: "no", an optional "." and space, a digit
#: (everything the rewrite needs after its leading word), which "not", "knocked" and "nose"
#: beside any digit do not pass (the substitution tries its leading words at every position).
_NO_NUMBER = re.compile(r"no\.? ?\d").search
#: A pasted bullet list wraps a long line onto a new bullet: "Patient is not / - breathing",
#: "- central chest pain spreading into / - left arm". The bullet then reads as a clause break
#: and splits the phrase (a review of the thirtieth session: three such lists raised no flag).
#: A line that ends in a word no clause ends with (a negation "not", a preposition that needs
#: its object, an article, a possessive, "is" or "has") runs on: its next line's bullet is
#: dropped. Not "no" ("Injuries: no / - bleeding from the head" is an answer, then a new item),
#: nor "up", "down", "in", "on", "at", "and" or "or", which end complete items ("not getting up /
#: - unresponsive to voice"). And never after a negation earlier on the line: joining "- denies
#: pain when lying to / - vomiting blood" would carry the denial onto the next item (a
#: read-through of 2026-12-06 found both losing flags); "is not" at the end is the only negation
#: a join may carry.
WRAP_WORDS: tuple[str, ...] = (
    "not", "into", "to", "of", "the", "a", "an", "his", "her", "their", "is", "was", "are",
    "were", "with", "from", "by", "very", "has", "have", "had", "been", "its", "my", "your",
)
#: "goin" is "going" with its g dropped ("pain goin down both arms"), unless a possessive or a
#: side names a body part: "lump in his goin" is a groin (a read-through of 2026-12-06: the
#: speller's dropped-g rule, moved first for "goin down both arms", took the hernia's groin).
_GROIN_SLIP_RE = re.compile(r"\b(his|her|their|my|your|the|left|right) goin\b")
_WRAP_TAIL = 300


def _has_labelled_no(t: str) -> bool:
    """Whether a speaker label's separator is followed by a "no"-like word (every word of
    PLAIN_NO starts with "n"): the cheap test before a transcript without "?" is searched."""
    return ": n" in t or ":n" in t or ". n" in t or ".n" in t or "- n" in t or "-n" in t


#: A line break of any kind, and a bullet at the start of a line (also read by
#: :mod:`triage.text.lines`).
LINE_BREAK_RE = re.compile(r"\r\n|[\n\r\u2028\u2029\u0085]")


def has_line_break(text: str) -> bool:
    """Whether ``text`` holds a line break of any kind (substring tests: no regex on a narrative
    of one line, which most are)."""
    return "\n" in text or "\r" in text or "\u2028" in text or "\u2029" in text or "\u0085" in text
_WRAPPED_LINE_RE = re.compile(rf"\b({'|'.join(WRAP_WORDS)})[ \t\u00a0]*$", re.IGNORECASE)
BULLET_START_RE = re.compile(r"^[ \t\u00a0]*[-*\u2022\u00b7\u2013\u2014>]+[ \t\u00a0]*")
#: The first word of every negation trigger of :mod:`triage.text.negation` (which imports this
#: module, so the list is kept here; ``tests/test_rules_review_gaps.py`` checks they agree):
#: a join after any of them would carry its scope onto the next item (a second read-through of
#: 2026-12-06: "- nobody was with her / - unconscious" lost its flag to a narrower list).
LINE_NEGATIONS: tuple[str, ...] = (
    "no", "not", "nil", "none", "never", "nor", "neither", "nothing", "nobody", "without",
    "denies", "denied", "denying", "deny", "negative", "absence", "absent", "free", "ruled",
    "excluded",
)
_LINE_NEGATION_RE = re.compile(
    rf"\b(?:{'|'.join(LINE_NEGATIONS)})\b|n't\b", re.IGNORECASE
)


def _join_wrapped_bullets(text: str) -> str:
    """``text`` with each bullet that continues a wrapped line dropped (:data:`WRAP_WORDS`):
    one pass over the lines, each line read a bounded number of times."""
    lines = LINE_BREAK_RE.split(text)
    out = [lines[0]]
    for line in lines[1:]:
        bullet = BULLET_START_RE.match(line)
        # only the joined line's last _WRAP_TAIL characters are read, so a crafted run of
        # wrapped lines costs linear time (a negation's scope is five words: none reaches further)
        tail = out[-1][-_WRAP_TAIL:]
        end = _WRAPPED_LINE_RE.search(tail) if bullet else None
        if end and bullet and not _LINE_NEGATION_RE.search(tail, 0, end.start()):
            out[-1] = out[-1][: len(out[-1]) - len(tail) + end.end()] + " " + line[bullet.end() :]
        else:
            out.append(line)
    return "\n".join(out)


#: A field of a pasted form: a key of one to four words and its separator ("Breathing: no",
#: "Presenting complaint: seizure", "GCS = 8", "Head injury? no", "Any injuries - no"), not a
#: time ("14:32"). Shared with :mod:`triage.text.lines`, which reads the same fields.
FIELD_KEY = r"[ \t\u00a0]*([a-z][a-z'/&]*(?: [a-z][a-z'/&]*){0,3}) ?(?:[:=?]| -)"
FIELD_RE = re.compile(FIELD_KEY, re.IGNORECASE)
#: A pasted form's line that denies its field in one word: "LOC: no", "Anticoag: none",
#: "Headache - nil" (a speaker's label is not a key: "C: no" answers the line before it).
_DENIED_FIELD_LINE_RE = re.compile(
    FIELD_KEY + r" ?(?:no|n|none|nil|nope|nah|negative|neg|absent|denied|nad)[ \t\u00a0.!]*",
    re.IGNORECASE,
)


#: A line ending in one of these runs on into the next: the words no clause ends with
#: (:data:`WRAP_WORDS`), conjunctions and prepositions ("no facial droop or / slurred speech").
#: Shared with :mod:`triage.text.lines`.
RUNS_ON: frozenset[str] = frozenset(WRAP_WORDS) | {
    "and", "or", "nor", "but", "any", "some", "if", "that", "than", "as", "for", "at", "in",
    "on", "onto", "about", "around", "over", "under", "after", "before", "through", "towards",
    "without", "both", "either", "neither", "following", "follows", "below",
}
#: Words that follow "no" as one phrase ("Breathing: no / problems" is "no problems"). Shared
#: with :mod:`triage.text.lines`.
AFTER_NO: frozenset[str] = frozenset({
    "problems", "problem", "probs", "concerns", "concern", "issues", "issue", "worries", "change",
    "changes", "further", "more", "other", "obvious", "difficulty", "difficulties", "trouble",
    "distress", "pain", "apparent", "signs", "sign", "known", "new", "current", "visible",
})


def _a_line_of_its_own(line: str) -> bool:
    """A field line, or a line of three words or more that does not run on: never the start of
    the next line's key ("Difficulty / breathing: No", "Short of / breath: no", "Unconscious at
    any / point: no"). "Bumped head on open cupboard door / LOC: no" is one (the third blind
    review of the thirty-third session: its "LOC: no" was never read)."""
    if FIELD_RE.match(line):
        return True
    words = line.split()
    return len(words) >= 3 and words[-1].lower().strip("\"'()") not in RUNS_ON | {"no"}


#: Words that make a denied field's "no" one phrase with the capitalised line after it
#: ("Breathing: no / Difficulty"). Narrower than :data:`AFTER_NO`, which the line reader uses
#: in text typed in one case: a capital marks a new item, so "Prolonged seizure: no / Known
#: epileptic" ends its denial (with AFTER_NO's "known" it read "no known" and kept the seizure).
_DENIAL_PHRASE_WORDS = frozenset({
    "problems", "problem", "difficulty", "difficulties", "concerns", "issues", "trouble",
    "change", "changes", "distress", "response", "effort",
})


def _starts_anew(line: str, one_case: bool) -> bool:
    """A field line, or in text not typed in one case a line that starts with a capital and
    not with a word a "no" before it would make a phrase of."""
    if FIELD_RE.match(line):
        return True
    words = line.split()
    return (not one_case and bool(words) and words[0][:1].isupper()
            and words[0].lower().strip(",.;:") not in _DENIAL_PHRASE_WORDS)


def end_lines_before_denials(text: str) -> str:
    """``text`` with a ";" ending each field line that a denied field follows (the blind form review
    of the thirty-third session: "Head: small bump / LOC: no / Vomiting: no / Anticoag: none"
    read as "... forehead loss of consciousness: no no vomiting anticoagulant: none" raised
    ``head_injury``: a key after a line's last word is not where a key starts, so its "no" was
    never read, and 4 of 80 harmless forms were flagged that way). A denial line carries no
    phrase over from the line before, so no finding is lost; the red-flag rules' second reading
    (:mod:`triage.text.lines`) ends more lines still."""
    lines = LINE_BREAK_RE.split(text)
    one_case = text.isupper() or text.islower()
    for i, line in enumerate(lines):
        field = _DENIED_FIELD_LINE_RE.fullmatch(line)
        if field is None or field.group(1).lower() in ANSWER_LABELS:
            continue
        prev = lines[i - 1].rstrip() if i else ""
        if prev and prev[-1] not in ".,;:?!" and _a_line_of_its_own(prev):
            lines[i - 1] = prev + ";"
        if i + 1 < len(lines) and _starts_anew(lines[i + 1], one_case):
            # and the denial ends with its line when a field or a new item follows ("Anticoag:
            # none / GCS: 15", "Blood thinners: no / Alert, small red mark"), never before a
            # word that makes it a phrase ("BREATHING: NO / DIFFICULTY")
            lines[i] = line.rstrip().rstrip(".!") + ";"
    return "\n".join(lines)


def _answered(t: str) -> str:
    """``t`` with a form's and a transcript's answers written as findings, and each danger keyed
    joined to its key; when a join changed the text, the answer passes read it again, so a
    second normalisation finds nothing left to do ("Bleeding - heavy / Conscious: yes": the
    joined key made "conscious: yes" a key the first reading had not seen)."""
    t = join_checks_answered_none(affirm_key_questions(deny_key_questions(answer_key_questions(t))))
    joined = join_danger_values(t)
    if joined == t:
        return t
    return join_checks_answered_none(
        affirm_key_questions(deny_key_questions(answer_key_questions(joined))))


def _slash_readings(t: str) -> str:
    """``t`` with the readings written with a slash written out: weeks of pregnancy ("32/40"),
    weeks ("6/52"), months of age ("3/12") and rates per minute ("resps 6/min")."""
    if "/40" in t:
        t = _GESTATION_RE.sub(r"\1 weeks pregnant", t)
    if "/52" in t:
        t = _WEEKS_RE.sub(r"\1 weeks", t)
    if "/ min" in t or "/min" in t:
        t = _PER_MINUTE_RE.sub(r"\1 per minute", t)
    if "/12" in t:
        t = _MONTHS_OLD_RE.sub(r"\1\2\3 months old", t)
    return t


def _phrase(match: re.Match[str]) -> str:
    return _PHRASE_REPLACEMENTS[match.group(0)]


def _joined_words(core: str) -> str | None:
    """The replacement of words joined by a slash, or None when there is none.

    Abbreviations joined by a slash read as alternatives ("cp/sob": "chest pain or short of
    breath"). Other words of three letters or more joined by a slash are split as
    :data:`_SLASH_WORDS_RE` splits them and each is replaced now ("resp/cardiac":
    "respiratory / cardiac"; replaced only on a second pass before, so normalising twice
    changed the text).
    """
    table = _WORD_REPLACEMENTS
    parts = core.split("/")
    if all(p in table for p in parts):
        return " or ".join(table[p] for p in parts)
    split = _SLASH_WORD_RE.sub(r"\1 / ", core)
    if split == core:
        return None
    return " ".join(table.get(w) or _joined_words(w) or w for w in split.split(" "))


def _replace_words(text: str) -> str:
    """Replace whole words found in the table, keeping punctuation glued to them.

    Splitting on spaces and looking every word up is the fast path; only words that carry
    punctuation ("c/b," "(etoh" "n.b.") are stripped and looked up again, and abbreviations
    joined by a slash ("CP/SOB") become alternatives ("chest pain or short of breath").
    """
    if "+" in text:  # a phrase rewrite can free a plus ("collapsed+non responsive")
        text = unglued(text)
    table = _WORD_REPLACEMENTS
    get = table.get
    ws = text.split(" ")
    out = [get(w, w) for w in ws]
    lead, trail = _LEAD, _TRAIL
    for i in [i for i, w in enumerate(ws) if w and (w[-1] in trail or w[0] in lead or "/" in w)]:
        w = ws[i]
        core = w.strip(trail).lstrip(lead)
        r = get(core) if core else None
        if r is None and "/" in core:
            r = _joined_words(core)
        if r is not None:
            j = w.index(core)
            out[i] = w[:j] + r + w[j + len(core) :]
    return " ".join(out)


def _correct_spelling(text: str) -> str:
    """Misspelt clinical words replaced by the word meant (:mod:`triage.text.spelling`).

    Only words of MIN_LEN_SHORT+ letters that are not known words are looked at: a length
    test and one set look-up each for the rest. "his goin" is read in context first
    (:data:`_GROIN_SLIP_RE`).
    """
    if "goin" in text:
        text = _GROIN_SLIP_RE.sub(r"\1 groin", text)
    known = known_words()
    out: list[str] | None = None
    ws = text.split(" ")
    for i, w in enumerate(ws):
        if len(w) < MIN_LEN_SHORT or w in known:
            continue
        core = w.strip(_TRAIL).lstrip(_LEAD)
        if len(core) < MIN_LEN_SHORT or core in known or not core.isalpha():
            continue
        fixed = correct_word(core)
        if fixed is not None:
            if out is None:
                out = list(ws)
            j = w.index(core)
            out[i] = w[:j] + fixed + w[j + len(core) :]
    return text if out is None else " ".join(out)


@lru_cache(maxsize=CACHE_SIZE)
def normalise(text: str) -> str:
    """Return the canonical form of a narrative: what the model and the rules read.

    Lower-case; curly quotes, dashes, ellipses and odd whitespace unified; control-room
    abbreviations, negative contractions and common misspellings replaced by canonical words
    (see the module docstring for the ambiguous ones); numbers split from their units; GCS and
    blood-glucose readings put in one form ("gcs 8", "blood glucose 2.1"); single spaces.
    Punctuation that ends a clause (. , ; : ? !) is kept because it ends negation scopes.

    Deterministic and idempotent: ``normalise(normalise(t)) == normalise(t)``. Each regex
    pass that only some narratives need is guarded by a substring test, which is what keeps a
    300-character narrative in the tens of microseconds. Results are cached (LRU,
    CACHE_SIZE narratives) because the predictor reads each narrative twice: once for the
    model's features, once for the red-flag rules.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalise() needs a str narrative. Got {type(text).__name__}.")
    if has_line_break(text):
        text = end_lines_before_denials(_join_wrapped_bullets(text))
    # stripped now, not only at the end: a rewrite anchored at the start must see the start a
    # second pass sees (a curly quote's space hid '"quoted" self-harm - +ve' the first time)
    t = fold(text).translate(CHAR_MAP).strip()
    if ("M" in t or "F" in t) and _HAS_DIGIT(t) and not t.isupper():
        t = _AGE_SEX_RE.sub(_age_sex, t)
    t = t.lower()
    t = unglued(t)
    if "  " in t:
        t = _SPACES_RE.sub(" ", t)
    if _HAS_DIGIT(t):
        if _GCS_V(t):
            t = _GCS_PARTS_RE.sub(_gcs_total, t)
        if _DIGIT_LETTER(t):
            t = _NUMBER_UNIT_RE.sub(r"\1 \2", t)
        if "-" in t:
            t = _NUM_RANGE_RE.sub(r"\1 to \2", t)
        if _NO_NUMBER(t):  # "no 4", "no. 4" and "no4" alike (tests/test_text_gates.py)
            t = _HOUSE_NUMBER_RE.sub(r"\1number ", t)
    if "nb" in t:
        t = _NOTA_BENE_RE.sub("note:", t)
    if "w/" in t:
        t = _WITH_RE.sub("with ", t)
    if "sob" in t:
        t = _TO_SOB_RE.sub(r"\1 cry", t)
    if "-" in t:
        t = _HYPHEN_RE.sub(" ", t)
    if "+ve" in t or "-ve" in t:
        t = _VE_RE.sub(_ve, t)
    if "hr" in t:
        t = _HEART_RATE_RE.sub("heart rate ", t)
    if "could" in t:
        t = _COULD_NOT_RE.sub("cannot ", t)
    if _holds_a_phrase_key(t):
        t = _PHRASE_RE.sub(_phrase, t)
    t = _replace_words(t)
    if "/" in t:
        t = _SLASH_WORDS_RE.sub(r"\1 / ", t)
    t = _correct_spelling(t)
    if "gcs" in t:
        t = _GCS_FELL_RE.sub(r"gcs \1 to \2", _GCS_RE.sub(r"gcs \1", t))
    if ("bp" in t or "b/p" in t or "b.p" in t) and _HAS_DIGIT(t):
        t = _BP_RE.sub(_bp, t)
    if "blood pressure" in t and _HAS_DIGIT(t):
        t = _BP_WORDS_RE.sub("blood pressure ", t)
    if "blood glucose" in t:
        t = _GLUCOSE_RE.sub(r"blood glucose \1", t)
    if "/" in t:
        t = _slash_readings(t)
    if " m" in t:
        t = _METRES_RE.sub(" metres", t)
    if "ct:" in t:
        t = mark_transcript_questions(t)
    if "?" in t or _has_labelled_no(t):
        t = answer_vital_questions(t)
    if "?" in t or ":" in t or " - " in t:
        t = join_key_values(answer_measure_questions(answer_age_questions(t)))
    t = write_absent_signs(distribute_negation(_answered(t)))
    if "  " in t:
        t = _SPACES_RE.sub(" ", t)
    return t.strip()


_HAS_DIGIT = re.compile(r"\d").search

#: An age and sex as CAD logs write them, "45M", "25 F": written "45 male", so "74M" is never
#: 74 metres (a ninth red team, 2026-12-05: "Parkinson's 74M ... fall alarm" read as a fall
#: from 74 metres). Only in narratives not typed all in capitals (where "FELL 5M" is a height),
#: and never after a word of falling, height or distance ("fell 5M", "from 10M", "approx 30M")
#: nor before a thing that has a height ("a 4M ladder", "a 3M wall": a review of 2026-12-05).
_AGE_SEX_RE = re.compile(
    r"(?<![A-Za-z0-9.£$/])(\d{1,3}) ?([MF])(?![A-Za-z0-9])"
    r"(?! ?(?i:ladder|ladders|wall|walls|drop|roof|scaffold|scaffolding|fence|high|tall|fall"
    r"|bridge|balcony|cliff|height|deep|down|up|off|from|into|onto|above|below|long|away|ledge"
    r"|tree|window|stairs|staircase|platform|embankment|quarry|crane|pole)\b)"
)
_HEIGHT_BEFORE = re.compile(
    r"(?:fell|fall|falls|fallen|drop|dropped|height|from|off|of|jumped|jump|over|about|approx"
    r"|approximately|around|nearly|almost|some|roughly)\W*$", re.IGNORECASE
).search


def _age_sex(m: re.Match[str]) -> str:
    if _HEIGHT_BEFORE(m.string[max(0, m.start() - 16) : m.start()]):
        return m.group(0)
    return f"{m.group(1)} {'male' if m.group(2) == 'M' else 'female'}"


def _bp(m: re.Match[str]) -> str:
    return "bp " + m.group(1).replace(" ", "")
