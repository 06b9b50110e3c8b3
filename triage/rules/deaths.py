"""Whether a request's death is one the clinical desk verifies (docs/CLINICAL_SAFETY.md, H2
control 6): the concepts that report, prove, doubt or share a death, and ``settle_death``, which
decides in what the engine found whether the death is unequivocal, doubted, or beside someone
alive (the signs of life, :mod:`triage.rules.life`).

Pure functions over what :mod:`triage.rules.engine` matched; no tables are read here.
"""

from __future__ import annotations

from triage.rules.history import Match
from triage.rules.life import SignsOfLife, Spans, keyed_alive, shows_life
from triage.rules.tables import DEATH

__all__ = [
    "ANOTHER_PERSON",
    "CPR_IN_PROGRESS",
    "DEATH_BEYOND_DOUBT",
    "DEATH_CONCEPTS",
    "DEATH_DOUBTED",
    "DEATH_REPORTED",
    "DEATH_SIGNS",
    "DEATH_SIGN_IF_REPORTED",
    "DEATH_STATED",
    "EXPECTED_DEATH",
    "PASSENGER",
    "SUDDEN_DEATH_KEYED",
    "a_death_reported",
    "settle_death",
]

#: A sign that means death only when the request also states a death (a bloated tummy, blood
#: pooling on the floor, cold and stiff with hypothermia are findings in the living): alone it
#: never cancels a rule (docs/CLINICAL_SAFETY.md, H2).
DEATH_SIGN_IF_REPORTED = "death_sign_if_reported"
DEATH_STATED = "death_stated"
#: A doubt on scene (a faint breath, "not happy he's gone") or CPR going on: the death is not
#: read as unequivocal, so the flags it would cancel stand, and an expected death is not handed
#: to the desk to verify (the flags an expected death cancels stay cancelled: the model decides)
#: (docs/CLINICAL_SAFETY.md, H2 control 6; suite S, 2026-12-02: a landlord's "dead for days"
#: through the letterbox, then officers inside found a possible faint breath and started CPR).
#: Signs beyond any doubt (``death_beyond_doubt``: decapitation, skeletal remains...) still stand
#: against a doubt; decomposition is not one of them (a doubt or CPR outweighs it). CPR beside a
#: death beyond doubt is someone else's resuscitation (the tables' signs of life, 2026-12-04).
DEATH_DOUBTED = "death_doubted"
CPR_IN_PROGRESS = "cpr_in_progress"
DEATH_BEYOND_DOUBT = "death_beyond_doubt"
#: More than one person in the request: a death read there may be another's, so no death is
#: handed to the desk to verify (a review of 2026-12-03: "two occupants, one deceased, the other
#: ... unresponsive" had been verified, cancelling the living one's flags).
ANOTHER_PERSON = "another_person"
#: A passenger named: beside a death, someone other than the dead driver ("driver decapitated,
#: ambulance for the passenger"); not another person beside a breathing complaint, where on a
#: train, bus or coach the passenger is the patient (twenty-sixth session: a train guard's panic
#: attack "female passenger 20s" kept `not_breathing` through `another_person`).
PASSENGER = "passenger_word"
#: Concepts that make a reported death one to verify rather than to attend.
EXPECTED_DEATH = "expected_death"
DEATH_REPORTED = "death_reported"
#: Concepts that report or prove a death: no sign of life may rest on one.
#: The keyed incident type that reports a death.
SUDDEN_DEATH_KEYED = "incident_type=sudden_death"
#: The signs of a death among them (not a statement or a heading such as "Sudden death."): a
#: person placed after the first sentence holding one is someone else (triage.rules.life).
DEATH_SIGNS = frozenset({DEATH, DEATH_SIGN_IF_REPORTED, DEATH_BEYOND_DOUBT})
DEATH_CONCEPTS = frozenset({DEATH, DEATH_STATED, DEATH_REPORTED, EXPECTED_DEATH,
                            DEATH_SIGN_IF_REPORTED, DEATH_BEYOND_DOUBT, SUDDEN_DEATH_KEYED})


def a_death_reported(found: dict[str, str]) -> bool:
    """A death the request reports (unequivocal, reported, or keyed ``sudden_death``); a death
    named only in passing ("her husband died last year") is not one."""
    return DEATH in found or DEATH_REPORTED in found or SUDDEN_DEATH_KEYED in found


def settle_death(
    found: dict[str, str], life: SignsOfLife, timed: list[Match], words: list[str],
    breaks: list[bool], spans: Spans,
) -> None:
    """Decide, in ``found``, whether a death is unequivocal, doubted, or beside someone alive
    (docs/CLINICAL_SAFETY.md, H2 control 6)."""
    sign = found.get(DEATH_SIGN_IF_REPORTED)
    if sign is not None and DEATH not in found:
        stated = found.get(DEATH_STATED)
        if stated is not None:
            found[DEATH] = f"{sign} + {stated}"
    if (DEATH_DOUBTED in found or CPR_IN_PROGRESS in found) and DEATH_BEYOND_DOUBT not in found:
        # someone on scene doubts the death, or is resuscitating: whatever signs were reported
        # before (a landlord's "been dead for days" through a letterbox), it is not certain;
        # unless the body shows what no doubt changes (decapitation, skeletal remains...);
        # CPR beside such a body is on someone else, read with the signs of life below
        found.pop(DEATH, None)
    keyed = keyed_alive(found, life)
    if keyed is not None and a_death_reported(found) and DEATH_BEYOND_DOUBT not in found:
        # the operator keyed a living patient ("conscious=yes") beside a reported death: read
        # as a doubt on scene, the death is not certain and no expected death is verified
        # (read_request), but the flags an expected death cancels stay cancelled (a palliative
        # patient keyed sudden_death while still alive: the model decides)
        found.pop(DEATH, None)
    if ANOTHER_PERSON in found or PASSENGER in found or (
        keyed is not None and DEATH_BEYOND_DOUBT in found and a_death_reported(found)
    ) or (
        (DEATH in found or EXPECTED_DEATH in found) and a_death_reported(found)
        and shows_life(found, life, timed, words, breaks, spans,
                       beyond_doubt=DEATH_BEYOND_DOUBT in found)
    ):
        # more than one person, a patient keyed alive beside a death beyond doubt (someone
        # else), or beside a reported death a sign no dead body shows: the death may be
        # another's, and even a death beyond doubt ("driver decapitated, passenger trapped")
        # or an expected one leaves a patient whose flags must stand, so neither cancels a
        # flag nor is handed to the desk
        found.pop(DEATH, None)
        found.pop(EXPECTED_DEATH, None)
