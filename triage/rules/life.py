"""Signs of life beside a reported death: whether someone there is alive.

When the rules read a death as certain they cancel every red flag and hand the death to the
clinical desk to verify: no ambulance goes (docs/CLINICAL_SAFETY.md, H2 control 6). A request
that reports a death may still show someone alive, the reported person or another named only as
"his wife" or "the cyclist" (a helper's blind probes of 2026-12-04: 75 of 160 living people
beside a death had had the death verified and their flags cancelled). The tables'
``[signs_of_life]`` (concepts.toml) say what shows it; this module reads it:

- a sign no dead body shows, in the narrative (``concepts``), or beside a death beyond doubt
  what no such body shows (``beside_death_beyond_doubt``);
- a red flag no dead body raises (``flags``), read on the narrative alone;
- a keyed fact that describes the request's patient alive (``facts``: conscious, breathing):
  the operator keys the patient the ambulance is asked for, often the living second person;
- in either, only what the history reading leaves in the present (:func:`live_concepts`): "had
  chest pain yesterday" is the dead person's past.

Pure functions over what :mod:`triage.rules.engine` matched; no tables are read here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from triage.rules.history import SENTENCE_ENDS, SIGN_NOW, Match, present_matches
from triage.rules.phrases import parse_phrase
from triage.rules.tables import DEATH, Clause, RedFlagTables, RuleSpec, clause_evidence

__all__ = ["SIGN_IN_HISTORY", "SIGN_NOW", "SignsOfLife", "Spans", "apart_sentences", "asides",
           "compile_signs", "death_spans", "entry_index", "keyed_alive", "live_concepts",
           "shows_life"]

#: The normalised text and each word's start and end in it (to find a word's sentence).
Spans = tuple[str, list[int], list[int]]

#: Time and habit words that place a sign in the dead person's past ("yesterday", "lately",
#: "often", "dementia"), and those that keep it in the present ("now", "still", "since").
SIGN_IN_HISTORY = "sign_in_history"
#: Signs that name their own person and tense ("his wife is unconscious", "conscious but
#: bleeding"): a past time in their clause is never theirs ("son who was with him last night
#: has taken an overdose"), so the history reading never discounts them.
_PERSON_SIGNS = frozenset({"person_named_in_need", "person_placed_in_need",
                           "person_beside_certain_death", "conscious_now"})


@dataclass(frozen=True, slots=True)
class SignsOfLife:
    """The tables' ``[signs_of_life]``, compiled (:func:`compile_signs`)."""

    #: concepts no dead body shows
    signs: frozenset[str] = frozenset()
    #: the above and what no body whose death is beyond doubt shows (unconscious, CPR)
    signs_beside_certain_death: frozenset[str] = frozenset()
    #: concepts whose every match the engine keeps with its position: the signs, the time
    #: words and what the living flags' clauses need
    timed: frozenset[str] = frozenset()
    #: the flags no dead body raises, with their clauses
    living_rules: tuple[tuple[RuleSpec, tuple[Clause, ...]], ...] = ()
    #: the request's structured fields: evidence "field=value" is keyed, not narrative
    fact_fields: tuple[str, ...] = ()
    #: keyed facts ("conscious=yes") that describe the request's patient alive
    keyed: frozenset[str] = frozenset()
    #: words that end a place ("upstairs", "bedroom"): beside a death to verify, a break after
    #: one is joined in a second reading ("his lodger is upstairs, unresponsive")
    places: frozenset[str] = frozenset()
    #: signs that count only in a sentence no sign of the death shares ("Dad was in his
    #: armchair, unresponsive, cold, rigor mortis" is the body)
    apart: frozenset[str] = frozenset()
    #: the concepts that report or prove a death, kept with their positions for ``apart``
    death_evidence: frozenset[str] = frozenset()
    #: of those, the signs of a death (rigor, decomposition...): an ``apart`` sign counts only
    #: after one ("Sudden death." is a heading, not a sign)
    death_signs: frozenset[str] = frozenset()
    #: signs read through an aside after the person they name, in the joined reading ("his
    #: wife (78) has collapsed", "partner, Sarah, is unresponsive", "his wife Mary has
    #: collapsed"): the verdict is the same as without the aside
    asides: frozenset[str] = frozenset()
    #: the words that name a person an ``apart`` sign is about (the first words of its
    #: phrases: "wife", "lodger", "neighbour"...): an aside is read through only after one
    persons: frozenset[str] = frozenset()
    #: a person who may be anyone ("woman", "male", "victim"): someone new after one of
    #: ``introducers`` ("a", "another", "second"); and the words that make a sentence the
    #: body's story ("says", "states"): :func:`apart_sentences`
    new_persons: frozenset[str] = frozenset()
    introducers: frozenset[str] = frozenset()
    reporting: frozenset[str] = frozenset()


def compile_signs(
    t: RedFlagTables,
    rules: Sequence[tuple[RuleSpec, tuple[Clause, ...]]],
    deaths: frozenset[str],
    fact_fields: tuple[str, ...],
    facts: frozenset[str],
    death_signs: frozenset[str] = frozenset(),
) -> SignsOfLife:
    """Check and compile ``t``'s signs of life against the compiled ``rules``.

    No sign, keyed fact or living flag may rest on a concept in ``deaths`` (a concept that
    reports or proves a death: listing one would stop every such death being verified, or let
    a death prove itself alive), the time words are never signs, and every keyed fact is one of
    ``facts`` (the request schema's field=value). Raises ValueError naming what is wrong.
    """
    keyed = frozenset(t.living_facts)
    wrong_keyed = sorted(keyed - facts)
    if wrong_keyed:
        raise ValueError(
            f"[signs_of_life] facts names {wrong_keyed}, which are not a field=value of the "
            "request schema."
        )
    if keyed & deaths:
        raise ValueError(
            "[signs_of_life] facts lists keyed facts that report a death: "
            f"{sorted(keyed & deaths)}."
        )
    signs = {*t.signs_of_life, *t.signs_beside_death_beyond_doubt}
    apart, asides, persons = _apart_and_asides(t, frozenset(signs))
    evidence = frozenset(c for c in deaths if c in t.concepts) if apart else frozenset()
    if apart and not evidence & death_signs:
        raise ValueError("[signs_of_life] apart_from_death needs the signs of a death to place "
                         "its signs after.")
    if not signs and not t.living_flags:
        return SignsOfLife(fact_fields=fact_fields, keyed=keyed, places=t.living_places,
                           new_persons=t.new_persons, introducers=t.introducers,
                           reporting=t.reporting)
    wrong = sorted(signs & (deaths | {SIGN_IN_HISTORY, SIGN_NOW}))
    if wrong:
        raise ValueError(
            f"[signs_of_life] lists concepts that report a death or place a sign: {wrong}."
        )
    for name in (SIGN_IN_HISTORY, SIGN_NOW):
        if name not in t.concepts:
            raise ValueError(f"[signs_of_life] needs the concept {name!r} to place its signs.")
    living = tuple((r, c) for r, c in rules if r.name in t.living_flags)
    needed: set[str] = set()
    for rule, clauses in living:
        for clause in clauses:
            used = {c for group in clause.all_of for c in group}
            if used & deaths:
                raise ValueError(
                    f"[signs_of_life] flags: {rule.name!r} rests on a death "
                    f"({sorted(used & deaths)}), so it cannot show someone alive."
                )
            needed |= used
    return SignsOfLife(
        frozenset(t.signs_of_life),
        frozenset(signs),
        frozenset(signs | needed | evidence | {SIGN_IN_HISTORY, SIGN_NOW}),
        living,
        fact_fields,
        keyed,
        t.living_places,
        apart,
        evidence,
        evidence & death_signs,
        asides,
        persons,
        t.new_persons,
        t.introducers,
        t.reporting,
    )


def _apart_and_asides(t: RedFlagTables, signs: frozenset[str]
                      ) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """``apart_from_death`` and ``through_asides``, checked to be signs of life, and the persons
    the apart signs name (the first words of their phrases). Raises ValueError naming what is
    wrong."""
    apart = frozenset(t.signs_apart_from_death)
    asides = frozenset(t.signs_through_asides)
    for key, names in (("apart_from_death", apart), ("through_asides", asides)):
        if not names <= signs:
            raise ValueError(f"[signs_of_life] {key} names concepts that are not signs of "
                             f"life: {sorted(names - signs)}.")
    if asides and not apart:
        raise ValueError("[signs_of_life] through_asides needs apart_from_death: an aside is "
                         "read through after the persons its phrases name.")
    persons = frozenset(w for c in sorted(apart) for p in t.concepts[c]
                        for w in parse_phrase(p)[0].words)
    return apart, asides, persons


def shows_life(
    found: dict[str, str], life: SignsOfLife, timed: list[Match], words: list[str],
    breaks: list[bool], spans: Spans, *, beyond_doubt: bool,
) -> bool:
    """Whether a request that reports a death shows someone alive in its narrative: a sign
    (beside a death ``beyond_doubt``, the wider list) or a living flag, on the matches the
    history reading leaves in the present. Keyed fields never count here (:func:`keyed_alive`
    reads those): "conscious=no" describes the body as well as a patient. A person named only
    by a first name is read by what they show ("Dave has since collapsed", "Dave is sweating"),
    not by the name ("Dave is unresponsive" may be the body). A sign ``apart`` counts only
    beside an unequivocal death (not an expected one, whose patient it describes), in a
    sentence after the first that holds a sign or statement of the death and not sharing one
    (``spans`` places each word in its sentence): "Dad is in the bedroom, unresponsive. He is
    cold and stiff" is the body; "man dead in his armchair, decomposing. His lodger is
    upstairs, unresponsive" is someone else."""
    if not timed:
        return False
    live = live_concepts(timed, words, breaks)
    if not life.apart.isdisjoint(live):
        live = (live - life.apart) | (live & _apart_signs(found, life, timed, breaks, spans))
    signs = life.signs_beside_certain_death if beyond_doubt else life.signs
    return not signs.isdisjoint(live) or _living_flag(found, life, live)


#: Besides the sentence ends, what ends an entry of a CAD log for the ``apart`` signs: a spaced
#: slash or dash ("Sudden death / rigor mortis / wife collapsed, unresponsive"), and a time
#: that starts one ("[03:27] Room 5 male found slumped").
_ENTRY_ENDS = (" / ", " - ")
_ENTRY_TIME_RE = re.compile(r"\b\d\d:\d\d\b")


def entry_index(text: str, starts: list[int], ends: list[int]) -> list[int]:
    """Each word's sentence, counted from 0, a CAD log's entries ended as sentences are."""
    times = {m.start() for m in _ENTRY_TIME_RE.finditer(text)} if ":" in text else set()
    entry = [0] * len(starts)
    for i in range(1, len(starts)):
        gap = text[ends[i - 1] : starts[i]]
        entry[i] = entry[i - 1] + (not SENTENCE_ENDS.isdisjoint(gap)
                                   or any(e in gap for e in _ENTRY_ENDS)
                                   or (starts[i] in times and ":" not in gap))
    return entry


#: A sentence that holds one of these followed by one of ``_OBJECTS`` tells what someone saw of
#: the body ("son found him unresponsive"), not their own state; so does one where "him" or
#: "them" is what someone did something to ("brother Gary who cut him down"), not after a
#: preposition ("wife has been alone with him for 2 days" is her own state).
_SAW = frozenset({"found", "discovered", "saw", "seen", "checked", "noticed", "heard", "left",
                  "last"})
_OBJECTS = frozenset({"him", "her", "them"})
_DONE_TO = frozenset({"him", "them"})
_PREPOSITIONS = frozenset({
    "with", "beside", "by", "near", "to", "for", "from", "of", "about", "behind", "next",
    "after", "before", "at", "on", "over", "under", "than", "like", "without", "around",
    "towards", "round", "against", "into", "onto", "between", "among", "alongside",
})
#: How many of a sentence's first words may name who it is about, and how many words may stand
#: between an introducer and the person ("an elderly frail woman").
_LEAD_WORDS = 4
_BETWEEN = 2


def death_spans(matches: list[Match], life: SignsOfLife) -> tuple[list[tuple[int, int]], int]:
    """The spans of the matches that report or prove a death, and the word after the first
    sign of it (-1 when there is none)."""
    evidence = [(s, e) for c, s, e in matches if c in life.death_evidence]
    return evidence, min((e for c, _, e in matches if c in life.death_signs), default=-1)


def apart_sentences(words: list[str], spans: Spans, evidence: list[tuple[int, int]],
                    first_sign: int, life: SignsOfLife) -> list[tuple[int, int]]:
    """The sentences (first word, end word) told after the death's first sign (``first_sign``,
    the word after it) that report no death (``evidence``: the spans of the words that report
    or prove one) and begin with someone introduced as new ("a woman in the bedroom",
    "another male", "second victim", "a neighbour") among their first ``_LEAD_WORDS`` words;
    not one that tells what someone said, saw or did of the body ("a neighbour says he had
    chest pain", "a carer tried to wake him", "a passer-by did CPR"). Read alone, such a
    sentence that raises a red flag is a living person in need
    (:func:`triage.rules.engine._reading`). A relative named without an introducer ("Wife
    tried CPR", "Son gave CPR for 10 mins") is too often telling the body's story: a
    read-through of the first version found 57 of 219 real deaths read as someone alive that
    way."""
    n = len(words)
    if not 0 < first_sign < n or not (life.persons or life.new_persons):
        return []
    sentence = entry_index(*spans)
    told = {sentence[s] for s, _ in evidence}
    out: list[tuple[int, int]] = []
    i = first_sign
    while i < n and sentence[i] == sentence[first_sign - 1]:
        i += 1  # the rest of the sign's own sentence
    while i < n:
        j = i
        while j < n and sentence[j] == sentence[i]:
            j += 1
        if sentence[i] not in told and _leads_with_someone(words[i:j], life, _labels(spans, i, j)):
            out.append((i, j))
        i = j
    return out


def _labels(spans: Spans, i: int, j: int) -> set[int]:
    """The words of ``i`` to ``j`` followed by a colon (a speaker's label, "Caller: no, he's
    cold", or a form's key): they name who speaks, not who the sentence is about."""
    text, starts, ends = spans
    return {k - i for k in range(i, min(j, len(starts) - 1))
            if ":" in text[ends[k] : starts[k + 1]]}


def _leads_with_someone(sent: list[str], life: SignsOfLife, labels: set[int]) -> bool:
    """Whether ``sent`` begins with someone introduced as new ("a woman", "an elderly man",
    "another officer", "second victim") and tells neither what was said nor what was done of
    the body (``reporting``, "found him", "cut him down")."""
    lead = [w for k, w in enumerate(sent[:_LEAD_WORDS]) if k not in labels]
    people = life.persons | life.new_persons
    someone = any(
        w in people and any(x in life.introducers for x in lead[max(0, k - 1 - _BETWEEN) : k])
        for k, w in enumerate(lead)
    )
    if not someone or not life.reporting.isdisjoint(sent):
        return False
    return not any((w in _SAW and nxt in _OBJECTS) or (nxt in _DONE_TO and w not in _PREPOSITIONS)
                   for w, nxt in pairwise(sent))


def _apart_signs(found: dict[str, str], life: SignsOfLife, timed: list[Match],
                 breaks: list[bool], spans: Spans) -> set[str]:
    """The ``apart`` signs with a match told after a sign of the death and after every report
    of it in its own sentence, a clause break between: in a later sentence that reports or
    proves no death ("man dead in his armchair, decomposing. His lodger is upstairs,
    unresponsive"), or in a later clause of the death's own sentence ("male deceased in bed
    rigor mortis, wife downstairs unresponsive"). A person told before the death's sign, or
    with a report of the death after them in their sentence, is the body ("Dad is in the
    bedroom, unresponsive. He is cold and stiff"; "Dad was in his armchair, unresponsive,
    cold, rigor mortis")."""
    if DEATH not in found:
        return set()
    sentence = entry_index(*spans)
    evidence = [(s, e) for c, s, e in timed if c in life.death_evidence]
    signs = [e for c, _, e in timed if c in life.death_signs]
    if not signs:
        return set()
    first = min(signs)
    out: set[str] = set()
    for c, s, _ in timed:
        if c not in life.apart or c in out or s < first:
            continue
        own = [(es, ee) for es, ee in evidence if sentence[es] == sentence[s]]
        if any(es >= s for es, _ in own):
            continue  # the death is reported after them in their sentence: they are the body
        last = max((ee for _, ee in own), default=None)
        if last is None or any(breaks[last - 1 : s]):
            out.add(c)
    return out


#: An aside in brackets of at most this many words is read through after a person.
_ASIDE_WORDS = 4
#: Words after a name between commas that carry on the person's own clause ("partner, Sarah,
#: is unresponsive").
_AFTER_NAME = frozenset({"is", "was", "has", "had", "who", "also", "now", "still", "then"})
#: A capitalised word after another word in the narrative as written: a name ("his wife Mary").
_NAME_RE = re.compile(r"(?<=[A-Za-z] )[A-Z][a-z]+\b")


def asides(words: list[str], breaks: list[bool], text: str, starts: list[int],
           ends: list[int], persons: frozenset[str], narrative: str) -> frozenset[int]:
    """The words of the asides right after a person (``persons``), to be read through in the
    joined reading of a death to verify; the breaks around them are cleared in ``breaks``:
    a bracket of at most ``_ASIDE_WORDS`` words ("his wife (78) has collapsed", "his brother
    (on the sofa) is unresponsive"), one word between commas before the person's verb
    ("partner, Sarah, is unresponsive"), or a name as written ("his wife Mary (78) has
    collapsed"). The reading adds only signs of life, so an aside read through can add a
    living person and never take one away: the verdict is the one without the aside."""
    n = len(words)
    names: frozenset[str] | None = None
    skip: set[int] = set()
    for i in range(n - 1):
        if words[i] not in persons or i in skip:
            continue
        k = i  # the last word of the person and the asides read so far
        while k + 1 < n:
            gap = text[ends[k] : starts[k + 1]]
            if "(" in gap and SENTENCE_ENDS.isdisjoint(gap):
                close = _bracket_end(text, starts, ends, k + 1)
                if close is None:
                    break
                for x in range(k, close):
                    breaks[x] = False  # the bracket's own commas too: "his wife (Mary, 82)"
                skip.update(range(k + 1, close + 1))
                after = text[ends[close] : starts[close + 1]] if close + 1 < n else ""
                if not SENTENCE_ENDS.isdisjoint(after):
                    break
                breaks[close] = False
                k = close
            elif (gap.strip() == "," and k + 2 < n and words[k + 2] in _AFTER_NAME
                  and text[ends[k + 1] : starts[k + 2]].strip() == ","):
                breaks[k] = breaks[k + 1] = False
                skip.add(k + 1)
                k += 1
            elif not breaks[k]:
                if names is None:
                    names = _names(narrative)
                if words[k + 1] not in names:
                    break
                skip.add(k + 1)
                k += 1
            else:
                break
    return frozenset(skip)


def _names(narrative: str) -> frozenset[str]:
    """The capitalised words after another word in ``narrative`` (names, "his wife Mary"), in
    lower case; none in text typed in capitals or in Title Case, where every word is one."""
    found = _NAME_RE.findall(narrative)
    words = narrative.split()
    if narrative.isupper() or len(found) * 3 > len(words):
        return frozenset()
    return frozenset(w.lower() for w in found)


def _bracket_end(text: str, starts: list[int], ends: list[int], first: int) -> int | None:
    """The last word of a bracket opened before word ``first``, if it closes within
    ``_ASIDE_WORDS`` words and no sentence ends inside it."""
    n = len(starts)
    for j in range(first, min(first + _ASIDE_WORDS, n)):
        after = text[ends[j] : starts[j + 1]] if j + 1 < n else text[ends[j] :]
        if ")" in after:
            return j
        if not SENTENCE_ENDS.isdisjoint(after):
            return None
    return None


def keyed_alive(found: dict[str, str], life: SignsOfLife) -> str | None:
    """The keyed fact that describes the request's patient alive ("conscious=yes",
    "breathing=normal"), if any: the operator keys the patient the ambulance is asked for, so
    beside a reported death either the death is not certain (the patient keyed is the one
    reported dead) or the patient is someone else. Whichever, no death is verified."""
    for fact in sorted(life.keyed):
        if fact in found:
            return fact
    return None


def live_concepts(timed: list[Match], words: list[str], breaks: list[bool]) -> set[str]:
    """The timed concepts with at least one match the history reading leaves in the present.

    A match is the past's when a time or habit word (``sign_in_history``: "yesterday",
    "lately", "often") stands within ``REACH`` words of it in the same clause, with no present
    verb or new clause between (:data:`triage.rules.history.REACH_STOPS`), and the clause says
    nothing of now (``sign_now``: "now", "still", "since"). Signs that name their own person
    never are (:func:`triage.rules.history.present_matches`).
    """
    return {c for c, _, _ in present_matches(timed, words, breaks, SIGN_IN_HISTORY,
                                               (SIGN_NOW,), _PERSON_SIGNS)}


def _living_flag(found: dict[str, str], life: SignsOfLife, live: set[str]) -> bool:
    """Whether a death would cancel a flag no dead body raises (a stroke, anaphylaxis, a
    floppy infant, carbon monoxide symptoms...): such a flag is a living person's (a review of
    2026-12-04: "male deceased rigor mortis, wife's face has dropped, can't lift her arm").

    Read on the narrative's concepts the history reading leaves in the present (a second
    review: "cause of death possibly a stroke" and "chest pain radiating down his arm last
    night" had raised living flags), without keyed fields, and with any expected death kept,
    so a flag an expected death cancels stays cancelled.
    """
    if not life.living_rules:
        return False
    timed, facts = life.timed, life.fact_fields
    alive = {k: v for k, v in found.items()
             if k != DEATH and (k not in timed or k in live)
             and not ("=" in v and v.partition("=")[0] in facts)}
    for rule, clauses in life.living_rules:
        if any(u in alive for u in rule.unless):
            continue
        if any(clause_evidence(clause, alive) is not None for clause in clauses):
            return True
    return False
