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

from collections.abc import Sequence
from dataclasses import dataclass

from triage.rules.history import SIGN_NOW, Match, present_matches, sentence_index
from triage.rules.tables import DEATH, Clause, RedFlagTables, RuleSpec, clause_evidence

__all__ = ["SIGN_IN_HISTORY", "SIGN_NOW", "SignsOfLife", "Spans", "compile_signs", "keyed_alive",
           "live_concepts", "shows_life"]

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
    #: after the first sentence that holds one ("Sudden death." is a heading, not a sign)
    death_signs: frozenset[str] = frozenset()


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
    apart = frozenset(t.signs_apart_from_death)
    if not apart <= signs:
        raise ValueError(
            "[signs_of_life] apart_from_death names concepts that are not signs of life: "
            f"{sorted(apart - signs)}."
        )
    evidence = frozenset(c for c in deaths if c in t.concepts) if apart else frozenset()
    if apart and not evidence & death_signs:
        raise ValueError("[signs_of_life] apart_from_death needs the signs of a death to place "
                         "its signs after.")
    if not signs and not t.living_flags:
        return SignsOfLife(fact_fields=fact_fields, keyed=keyed, places=t.living_places)
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
    )


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
        live = (live - life.apart) | (live & _apart_signs(found, life, timed, spans))
    signs = life.signs_beside_certain_death if beyond_doubt else life.signs
    return not signs.isdisjoint(live) or _living_flag(found, life, live)


def _apart_signs(found: dict[str, str], life: SignsOfLife, timed: list[Match],
                 spans: Spans) -> set[str]:
    """The ``apart`` signs with a match told after the first sentence with a sign of the death,
    in a sentence that reports or proves no death."""
    if DEATH not in found:
        return set()
    sentence = sentence_index(*spans)
    dead = {sentence[s] for c, s, _ in timed if c in life.death_evidence}
    signs = [sentence[s] for c, s, _ in timed if c in life.death_signs]
    if not signs:
        return set()
    first = min(signs)
    return {c for c, s, _ in timed
            if c in life.apart and sentence[s] > first and sentence[s] not in dead}


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
