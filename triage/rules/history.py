"""The history reading: an event that a time months or years back places in the past.

Police narratives carry histories beside the present ("was stabbed in 2019, has a scar",
"overdosed last year, today wants his methadone script", "hx of ligature use in 2019",
"anaphylaxis to nuts as a child, carries an epipen"). Read as findings, such histories raised
the flag of the event they name: a helper's blind probes of the thirty-fourth session (90
histories and 90 present emergencies beside a history, written without reading the tables)
found 39 of the 90 histories sent an ambulance by the rules alone.

The tables' ``[history]`` (concepts.toml) lists the *events* a remote time can place in the
past: what happens to someone (a stabbing, an overdose, a fit, a head injury, anaphylaxis),
never a present state or a finding (unresponsive, bleeding, breathing, a face droop, trapped),
which a past time beside it does not make safe, nor a condition or a medicine (a cardiac
history, warfarin), which the rules read as history on purpose. Sepsis or meningitis named is
an event although its concept also holds a rash that does not fade: a time never reaches
forward over the rash ("had sepsis in 2022 non blanching rash" keeps its flag). A match of such an
event is the past's when the concept ``remote_past`` ("in 2019", "3 years ago", "last year",
"as a child") follows it within ``EVENT_REACH`` words in the same clause, with no present
verb, new clause, past verb of a new predicate or other time between (``EVENT_STOPS``); a
time never reaches forward, over what follows it (a review of the first version: "retired in
2010 collapsed unresponsive", "booked in 2005 hrs ligature round neck" lost their flags);
and the clause says nothing of now (``sign_now``, ``event_now``: "now",
"today", "tonight", "again", "another fit"). An event read only in the past is left out of
what the request holds; any one match in the present keeps it, and a history said to have
happened again (``history_repeats``: "tonight he did it again") keeps every one. Times of
days or weeks ("last night", "3 days ago") are never remote: a paracetamol overdose two days
ago, a head injury on warfarin last week are today's danger.

:func:`present_matches` is also the history reading of the signs of life
(:mod:`triage.rules.life`), with its own time words. Pure functions over what
:mod:`triage.rules.engine` matched; no tables are read here.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping
from dataclasses import dataclass

__all__ = ["EVENT_BETWEEN", "EVENT_NOW", "EVENT_REACH", "EVENT_STOPS", "REACH", "REACH_STOPS",
           "REMOTE_PAST", "HistoryReading", "compile_history", "drop_history", "present_matches"]

#: A time months or years back, and the words that keep a clause in the present.
REMOTE_PAST = "remote_past"
EVENT_NOW = "event_now"
#: "did it again", "happened again": a history's event is today's too, wherever it is named.
HISTORY_REPEATS = "history_repeats"
SIGN_NOW = "sign_now"
#: Words that end a time word's reach over a match: a new clause or a present-tense verb
#: between them ("wife has dementia and is drowsy", "son who had a fit yesterday is fitting
#: again"); a bare "and" does not ("he was slurring and drunk last night").
REACH_STOPS = frozenset({"but", "who", "which", "that", "then", "so", "while", "now", "is",
                         "are", "has", "have", "keeps", "still"})
#: How far, in words, a time word reaches over a match in its clause.
REACH = 8
#: For the events: also a past verb that starts a new predicate, and a shorter reach, so an
#: unpunctuated log's present finding is not read into a history after it ("male stabbed in
#: chest had op in 2019": the stabbing is today's).
EVENT_STOPS = REACH_STOPS | {
    "had", "was", "were", "got", "became",
    # another time between them: the event is dated by it, not by the remote time
    "today", "tonight", "yesterday", "earlier", "night", "morning", "afternoon", "evening",
    "ago", "hour", "hours", "minutes", "am", "pm", "after", "before", "since",
}
EVENT_REACH = 6
#: The only words that may stand between an event and the time that dates it: words of
#: place, person and body ("stabbed in the back in 2020", "strangled her in 2021", "stabbed by
#: him last year", "anaphylaxis to nuts" is not one). A read-through of the second version
#: (238 probes) found 92 emergencies losing every flag to a time that dated something else
#: written after them: "took 30 sertraline prescribed last month", "stabbed in stomach dob jan
#: 2008", "cut her wrists deeply abused as a child"; any other word between keeps the event.
EVENT_BETWEEN = frozenset({
    "in", "on", "at", "by", "to", "of", "from", "with", "into", "onto", "the", "a", "an",
    "his", "her", "their", "my", "him", "them", "me", "its", "our", "your",
    "back", "leg", "legs", "arm", "arms", "chest", "head", "neck", "stomach", "tummy", "belly",
    "abdomen", "side", "thigh", "shoulder", "face", "hand", "hands", "foot", "feet", "knee",
    "buttock", "groin", "eye", "eyes", "throat", "wrist", "wrists", "hip", "ribs",
})

Match = tuple[str, int, int]  # concept, first word, one past the last word


@dataclass(frozen=True, slots=True)
class HistoryReading:
    """The tables' ``[history]``, compiled (:func:`compile_history`)."""

    #: the events a remote time places in the past
    events: frozenset[str] = frozenset()
    #: the concepts whose every match the engine keeps with its position: the events, the
    #: remote times and the words of now
    timed: frozenset[str] = frozenset()


def compile_history(
    events: Collection[str], concepts: Mapping[str, object], deaths: frozenset[str]
) -> HistoryReading:
    """Check and compile the tables' history events (ValueError naming what is wrong).

    Every event is a concept the tables define; none is a time or a word of now, and none
    reports or proves a death (a death read as history would never be verified)."""
    if not events:
        return HistoryReading()
    for name in (REMOTE_PAST, EVENT_NOW, SIGN_NOW, HISTORY_REPEATS):
        if name not in concepts:
            raise ValueError(f"[history] needs the concept {name!r} to place its events.")
    wrong = sorted(set(events) & (deaths | {REMOTE_PAST, EVENT_NOW, SIGN_NOW, HISTORY_REPEATS}))
    if wrong:
        raise ValueError(
            f"[history] lists concepts that place an event or report a death: {wrong}."
        )
    ev = frozenset(events)
    return HistoryReading(ev, ev | {REMOTE_PAST, EVENT_NOW, SIGN_NOW})


def present_matches(
    timed: list[Match], words: list[str], breaks: list[bool], past: str,
    now: Collection[str], always: Collection[str] = (), *,
    stops: frozenset[str] = REACH_STOPS, reach: int = REACH, ahead: bool = True,
    between_only: frozenset[str] | None = None,
) -> list[Match]:
    """The matches of ``timed`` that a time word (``past``) does not place in the past.

    A match is the past's when a ``past`` match stands within ``reach`` words of it in the same
    clause, with no ``stops`` word between, and no ``now`` concept matches in the clause;
    concepts in ``always`` never are. Without ``ahead`` a time reaches back only, over what
    comes before it ("stabbed in 2019"), never over what follows it ("retired in 2010
    collapsed unresponsive" is today's collapse). With ``between_only`` every word between
    must be one of them. The time and now words are left out.

    Only the times that start within reach of a match are looked at (found by bisection), so
    a crafted text of many events and many times costs about its length, not its square.
    """
    clause: list[int] = []
    n = 0
    for brk in breaks:
        clause.append(n)
        n += brk
    pasts = sorted((s, e) for c, s, e in timed if c == past)
    starts = [h0 for h0, _ in pasts]
    longest = max((h1 - h0 for h0, h1 in pasts), default=0)
    nows = {clause[s] for c, s, _ in timed if c in now}
    out: list[Match] = []
    for c, s, e in timed:
        if c == past or c in now:
            continue
        if c in always or clause[s] in nows:
            out.append((c, s, e))
            continue
        lo = bisect_left(starts, (e if not ahead else s - reach - longest))
        hi = bisect_right(starts, e + reach)
        if not any(
            clause[h0] == clause[s]
            and _reaches(words, h0, h1, s, e, stops, reach, between_only)
            for h0, h1 in pasts[lo:hi]
        ):
            out.append((c, s, e))
    return out


def _reaches(
    words: list[str], h0: int, h1: int, s: int, e: int, stops: frozenset[str], reach: int,
    between_only: frozenset[str] | None = None,
) -> bool:
    between = words[h1:s] if h1 <= s else words[e:h0] if e <= h0 else []
    return (len(between) <= reach and stops.isdisjoint(between)
            and (between_only is None or between_only.issuperset(between)))


def _dates(words: list[str], breaks: list[bool], e: int) -> bool:
    """Whether a remote time ending before word ``e`` dates what precedes it: a time that ends
    in a bare number and runs on into its clause is a clock time or a number more often than a
    year ("found in 2010 welfare check", "taken in 1955 approx": a read-through's probes)."""
    return not (words[e - 1].isdigit() and e < len(words) and not breaks[e - 1])


#: Punctuation that ends a sentence: a word of now (``event_now``) keeps the events of its
#: whole sentence in the present ("sudden weakness after a stroke 6 months ago, new today").
SENTENCE_ENDS = frozenset(".!?;|\n")


def sentence_index(text: str, starts: list[int], ends: list[int]) -> list[int]:
    """Each word's sentence, counted from 0: a sentence ends at punctuation of
    ``SENTENCE_ENDS`` between two words (``starts`` and ``ends`` are the words' spans)."""
    sentence = [0] * len(starts)
    for i in range(1, len(starts)):
        gap = text[ends[i - 1] : starts[i]]
        sentence[i] = sentence[i - 1] + (not SENTENCE_ENDS.isdisjoint(gap))
    return sentence


def drop_history(
    found: dict[str, str], history: HistoryReading, timed: list[Match], words: list[str],
    breaks: list[bool], text: str, starts: list[int], ends: list[int],
) -> None:
    """Leave out of ``found`` every history event whose matches are all in the past; an event
    kept whose first match was the past's takes its first present match as evidence.

    ``text``, ``starts`` and ``ends`` are the normalised text and each word's span in it: an
    ``event_now`` word keeps every event of its sentence, not only of its clause."""
    if REMOTE_PAST not in found or HISTORY_REPEATS in found or not history.events:
        return
    own = [m for m in timed if m[0] in history.timed
           and (m[0] != REMOTE_PAST or _dates(words, breaks, m[2]))]
    if not any(m[0] == REMOTE_PAST for m in own):
        return
    sentence = sentence_index(text, starts, ends)
    now_sentences = {sentence[s] for c, s, _ in own if c == EVENT_NOW}
    live: dict[str, Match] = {}
    for m in present_matches(own, words, breaks, REMOTE_PAST, (SIGN_NOW, EVENT_NOW),
                             stops=EVENT_STOPS, reach=EVENT_REACH, ahead=False,
                             between_only=EVENT_BETWEEN):
        live.setdefault(m[0], m)
    for c, s, e in own:
        if c in history.events and sentence[s] in now_sentences:
            live.setdefault(c, (c, s, e))
    for concept in history.events:
        if concept not in found:
            continue
        first = live.get(concept)
        if first is None:
            del found[concept]
        else:
            found[concept] = text[starts[first[1]] : ends[first[2] - 1]]
