"""Certain deaths in other words: what is read now, and the lay signs left alone on purpose
(thirty-eighth session, 2026-12-07).

A blind writer's 120 certain deaths (a helper who had read only the spec) were read once on the
product: 74 were sent an ambulance by a flag, most told the way officers and families tell them
("jaw locked, can't bend his arms, purple all down his back where he's been lying"). Rigor mortis
and hypostasis in lay words were tried a third time, only the two together beside a reported
death and never beside the cold, the water, a fit or a small child; a read-through of 329 living
people written against it found 178 handed to the desk as dead (18 on the rules before), so it
was withdrawn (docs/CLINICAL_SAFETY.md, H2 control 31). What stays: a recognition-of-life-extinct
form's "Carotid pulse: none over 1 min" is no longer read as a pulse felt, an empty passenger seat
is not a second person, and skeletal remains in other words are read. The one lay sign of
lividity the tables had read alone beside a stated death ("purple marks down the back of his
legs") went too: the same read-through found 14 of its living people verified through it.
Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import reading

from triage.text.normalise import normalise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Carotid pulse: none over 1 min", "no pulse"),
        ("Pulse: none felt", "no pulse"),
        ("Breathing: none seen or heard over 1 min", "not breathing"),
        # a pulse present is left as written
        ("Carotid pulse: present, weak", "carotid pulse: present, weak"),
    ],
)
def test_a_check_answered_none_on_a_form_is_read_as_the_finding(text: str, expected: str) -> None:
    assert normalise(text) == expected
    assert normalise(expected) == expected


def test_a_recognition_of_life_extinct_form_is_not_read_as_a_pulse_felt() -> None:
    found, verified = reading(
        "ROLE checklist: Response to voice/pain: none; Breathing: none seen or heard over 1 min; "
        "Carotid pulse: none over 1 min; Unequivocal sign: hypostasis to dependent areas, rigor "
        "in jaw and upper limbs.",
        incident_type="sudden_death", conscious="no", breathing="not_breathing")
    assert verified is not None
    assert found == set()


def test_an_empty_passenger_seat_is_not_a_second_person() -> None:
    found, verified = reading(
        "M5: car went under a lorry trailer, driver decapitated. Passenger seat empty, officers "
        "confirm sole occupant.")
    assert verified is not None
    assert reading("M5: driver decapitated, empty passenger seat, sole occupant.")[1] is not None
    found, verified = reading(
        "Male deceased in car, rigor. His girlfriend in the passenger seat unresponsive")
    assert verified is None
    assert found


@pytest.mark.parametrize(
    "narrative",
    [
        "Skeleton found by builders taking up the floorboards.",
        "Body in a suitcase in the river, partly skeletal.",
    ],
)
def test_skeletal_remains_in_other_words_are_verified(narrative: str) -> None:
    assert reading(narrative)[1] is not None


@pytest.mark.parametrize(
    ("narrative", "facts"),
    [
        ("Male in armchair. Cold. Jaw and limbs rigid. Purple discolouration to lower legs and "
         "feet.", {"incident_type": "sudden_death"}),
        ("Male 60, stiff all over, purple marks on his back, wife says he is dead.", {}),
        ("Mum is dead I think, she's gone stiff, her legs are purple", {}),
        # purple or dark marks on the back of the legs alone, beside a death someone only
        # believes in, no longer make it certain (the second read-through's living people)
        ("Bus driver reports a man on the bench at the stop, rigid, dark patches on the back of "
         "his legs, driver thinks he's deceased, did not get off the bus.",
         {"incident_type": "sudden_death"}),
        ("Assault. Victim on the floor of the kebab shop, stiff, purple marks on his back from "
         "kicks, staff say he is dead.", {"incident_type": "assault"}),
    ],
)
def test_lay_rigor_and_lividity_still_send_an_ambulance(
    narrative: str, facts: dict[str, str]
) -> None:
    # withdrawn on purpose: the same words describe living people too often (H2 control 31)
    found, verified = reading(narrative, **facts)
    assert verified is None
    assert "death_not_certain" in found
