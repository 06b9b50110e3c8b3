"""A list of signs of life under one negation: "he is not moving, breathing or responding".

A relative or an officer tells an arrest as a list: "not moving, breathing or responding", "no
pulse, breathing or response", "he doesn't move, breathe or respond", "neither moving nor
breathing". A negation stops at a comma, so "breathing" and "responding" read as normal and such
an arrest raised no red flag. :func:`distribute_negation`, the last step of
:func:`triage.text.normalise.normalise`, writes the negator before each sign ("not moving, not
breathing or not responding"), so each reads as the finding it is. A sign named as a verb is
written as the finding's word ("does not move, breathe or respond" -> "does not moving, not
breathing or not responding"): the tables name the finding ("not breathing"), not every tense.

CAD writes the same list with slashes ("male not moving/breathing", "not conscious / breathing /
responding"): a list joined by slashes alone is written out the same way, unless a word of
manner or degree follows its last item, which makes the slash a break before a sign that is
present ("not moving/breathing heavily", "... ok", "... 20 a minute"); words that say how long
or how bad ("but still warm", "very pale", "more than a minute") do not stop it (a blind
writer's drink and drugs probes and two reviews, forty-sixth session, docs/CLINICAL_SAFETY.md,
H2 control 39). A slash list of a device ("escalator not moving/responding") reads as its
"or" list always has.

Only lists of signs of life are written out, the longest such list after its negator ("not
moving, breathing or responding or gasping" writes out the three signs and reads "or gasping" as
written), with the everyday things a person who is alive does ("not talking, moving or
breathing", "not waking, feeding or breathing") allowed beside them when the list ends its
clause. A wider reading was built and withdrawn (docs/CLINICAL_SAFETY.md, H2
control 35): carrying any negation through a list of denials ("no LOC, vomiting or confusion")
spared the audit-style key negatives their false flags, but three reviews (helpers' 543, 452 and
566 probes) found it hiding emergencies however it was narrowed, because police text puts a
finding straight after a denied scene fact ("No weapon seen, stab wound or slash, chest"; "No
PMH, crushing chest pain or sweats"). Under-triage is the harm, so a denied list keeps reading
its later items as present. Writing a negator before a sign of life can only add a finding.
"""

from __future__ import annotations

import re

from triage.text.signs import nil_written

__all__ = ["EVERYDAY_WORDS", "MAX_LIST_ITEMS", "VITAL_WORDS", "distribute_negation"]

#: A list is read to at most this many items: a crafted narrative of a thousand items costs no
#: more than an ordinary one.
MAX_LIST_ITEMS = 12

#: The signs of life a list under one negation denies all at once. Any other word in the list
#: ("the app is not loading, updating or responding", "no reply, answer or response" at a door,
#: "not sure, snoring or gurgling") leaves it as written, unless it is one of
#: :data:`EVERYDAY_WORDS`.
VITAL_WORDS: frozenset[str] = frozenset(
    {
        "moving", "breathing", "responding", "response", "responsive", "pulse", "heartbeat",
        "breath", "rousable", "waking", "movement", "conscious", "breathe", "respond", "move",
        "wake", "awake", "alert", "moved", "breathed", "responded", "woken",
    }
)

#: What a living person does, denied beside a sign of life: "not talking, moving or breathing",
#: "not waking, feeding or breathing" (a baby). Such a mixed list is written out only when it
#: ends its clause, so "not sleeping, eating or breathing properly with the stress" (a complaint
#: of anxiety) keeps its reading, and a list of these words alone never is ("not talking or
#: answering"). Not eating or drinking: a pet or a person off their food is told that way
#: ("the goldfish isn't moving, breathing or eating", a review's look-alike of the forty-second
#: session).
EVERYDAY_WORDS: frozenset[str] = frozenset(
    {
        "talking", "speaking", "crying", "blinking", "answering", "reacting", "talk", "speak",
        "cry", "blink", "answer", "react", "anything", "feeding", "feed",
    }
)

#: A sign of life named as a verb, or a noun the tables do not read after "not", written as the
#: word they read: "not breathing", "not responding", "not moving", "not waking".
_FINDING_WORD: dict[str, str] = {
    "breathe": "breathing", "breathed": "breathing", "breath": "breathing", "respond": "responding",
    "responded": "responding", "move": "moving", "moved": "moving", "wake": "waking",
    "woken": "waking",
}

_NEGATOR_RE = re.compile(r"\b(not|no|nil|never|neither) (?=[a-z])")
#: A list's item: a word, then the separator before the next item (", ", ", or ", " or ",
#: " nor ", ", nor ", or a bare space: "not moving breathing or responding", typed without its
#: commas, is read as the same list when it names two signs of life, so "not talking answering
#: or responding, glued to his phone" is left as written) if one follows.
_ITEM_RE = re.compile(r"([a-z]+)(,? or |,? nor |, | ?/ ?| )?")
#: A list joined by slashes alone ("male not moving / breathing", "not conscious / breathing /
#: responding", CAD's way of writing a list) ends at its last slash's word, unless a word of
#: manner or degree follows it, which makes the slash a clause break before a sign that is
#: present ("not moving / breathing heavily", "not moving / breathing ok but confused")
_SLASH_LIST_MANNER_RE = re.compile(
    r" (?:(?:ok|okay|alright|all right|fine|good|normally|normaly|normal|well(?! over)|nicely"
    r"|steady|steadily|regular|regularly|easy|easily|easier|heavily|heavy|fast|quickly|quick"
    r"|rapidly|rapid|deeply|deep|shallow|noisily|noisy|hard|loudly|loud|but(?! (?:still|has|is"
    r" still|was still|warm))|though|a bit|a little|slightly|better|comfortably|evenly|freely"
    r"|independently|unaided|on (?:his|her|their) own|quite|very(?! (?:pale|grey|cold|blue))"
    r"|too(?! long)|more(?! than)|less|lots|and talking|and chatting|and alert|and awake|yes"
    r"|spontaneously|calmly"
    r"|slower|slowly|through|into|by (?:him|her|them)sel(?:f|ves)|properly)\b|\d|at \d)"
)
#: A negator, a word and a slash: the only slash lists there are to write out ("not moving /
#: breathing"); most slashes are CAD's "c/o", "c/b" or a date, and need no list reading
_NEGATED_SLASH = re.compile(r"\b(?:not|no|nil|never|neither) [a-z]+ ?/").search
#: What may follow a list of signs of life with everyday words in it, or of two words only: the
#: end of the text or of a clause, or a word that begins another ("not talking or breathing -
#: help", "not moving or crying now", "not talking, moving or breathing when we shake him").
_CLAUSE_END_RE = re.compile(
    r"\s*(?:$|[-.,;:!?()]|(?:and|now|at all|either|please|when|since|after|for|i think|help)\b)"
)


def _written(neg: str, items: list[str], seps: list[str]) -> str:
    # "neither" writes "not"; "nil" writes "no" before a thing and "not" before a state, as the
    # police log means it ("nil pulse, breathing or response"; "nil rousable or responding"):
    # triage.text.signs writes a lone "nil pulse" and "nil rousable" the same way (nil_written)
    neg = "not" if neg == "neither" else neg
    words = [_FINDING_WORD.get(w, w) if neg == "not" or w == "breath" else w for w in items]
    negs = [nil_written(w) if neg == "nil" else neg for w in words]
    out = f"{negs[0]} {words[0]}"
    for sep, n, word in zip(seps, negs[1:], words[1:], strict=True):
        out += f"{sep}{n} {word}"
    return out


def _list_at(text: str, neg: re.Match[str]) -> tuple[int, str] | None:
    """The longest list of signs of life under the negator ``neg`` (its end and its written
    form), else None. The longest first: "not moving, breathing or responding or gasping" is
    the three signs, with "or gasping" read as written after them."""
    items: list[str] = []
    seps: list[str] = []
    ends: list[int] = []
    pos = neg.end()
    # a list is made of signs of life and everyday words only, so reading stops at the first
    # other word (most negators are followed by one: "no injuries", "not sure")
    while len(items) < MAX_LIST_ITEMS and (m := _ITEM_RE.match(text, pos)) is not None:
        if m.group(1) not in VITAL_WORDS and m.group(1) not in EVERYDAY_WORDS:
            break
        items.append(m.group(1))
        ends.append(m.end(1))
        if m.group(2) is None:
            break
        seps.append(m.group(2))
        pos = m.end()
    slashes = next((i for i, sep in enumerate(seps) if sep.strip() != "/"), len(seps))
    for n in range(len(items), 1, -1):
        slashed = n - 1 <= slashes
        if " or " not in seps[n - 2] and " nor " not in seps[n - 2] and not slashed:
            continue  # a list ends in "or" or "nor", or is joined by slashes alone
        if slashed and _SLASH_LIST_MANNER_RE.match(text, ends[n - 1]) is not None:
            continue
        head = items[:n]
        vital = sum(w in VITAL_WORDS for w in head)
        if not vital or (" " in seps[: n - 1] and vital < 2):
            continue  # typed without its commas, a list names two signs of life at least
        if vital < n and _CLAUSE_END_RE.match(text, ends[n - 1]) is None:
            continue
        return ends[n - 1], _written(neg.group(1), head, seps[: n - 1])
    return None


def _write_lists(text: str) -> str:
    """One left-to-right round: at each negator not inside a list already written, the longest
    list of signs of life after it, written out."""
    out: list[str] = []
    pos = 0
    for neg in _NEGATOR_RE.finditer(text):
        if neg.start() < pos:
            continue
        found = _list_at(text, neg)
        if found is not None:
            end, written = found
            out += [text[pos : neg.start()], written]
            pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def distribute_negation(text: str) -> str:
    """``text`` (lower-case, normalised) with the negator of a list of signs of life written
    before each of them: "not moving, breathing or responding" -> "not moving, not breathing or
    not responding"; "no pulse, breathing or response" -> "no pulse, no breathing or no
    response"; "neither moving nor breathing" -> "not moving nor not breathing", so each reads
    as the finding it is. Any list holding another word is left as written.

    Written again until nothing changes (a list can end where a later one, begun at its last
    item, runs on: "not responsive nor reacting or responsive, or responding"), so the result is
    idempotent, as :func:`triage.text.normalise.normalise` must be; each round writes a negator
    before at least one more word, and the rounds are bounded."""
    if " or " not in text and " nor " not in text and (
        "/" not in text or _NEGATED_SLASH(text) is None
    ):
        return text
    for _ in range(MAX_LIST_ITEMS):
        written = _write_lists(text)
        if written == text:
            break
        text = written
    return text
