"""Deaths nobody has checked, people nobody has seen, and house numbers that negated a finding
(thirty-eighth session, 2026-12-07).

A blind writer (a helper who had read only the spec) wrote 260 probes of deaths, apparent deaths
and look-alikes. Read once on the product, 3 of its 110 emergencies were not sent an ambulance:
a man on a bench a caller said had been "dead for hours" although nobody had checked him, and a
decomposed body beside the officer who found it, collapsed and not responding (both handed to
the desk as deaths to verify), and a smell of death from a flat whose tenant nobody had seen
(suggested hear and treat). docs/CLINICAL_SAFETY.md, H2 control 31. Every narrative here is
SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import flags, reading

from triage.text.normalise import normalise


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("unconscious", "Old man at no 12 is unresponsive on the floor."),
        ("unconscious", "Male at no 4 is unconscious, wife with him."),
        ("seizure", "Resident of no 5 is fitting and has been for 10 minutes."),
        ("unconscious", "Detainee in cell no 3 is unresponsive, snoring."),
        ("unconscious", "Female outside No. 27 is not responding to officers."),
        ("unconscious", "Male on the no 38 bus is unconscious, driver has pulled over."),
        ("seizure", "no 4 ash grove woman fitting for 10 mins"),
        ("death_not_certain", "Neighbour says the old man at no 12 is dead, she can see him "
                              "through the window lying on the floor not moving."),
    ],
)
def test_a_house_or_cell_number_does_not_negate_what_follows(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("male at no 12 is unconscious", "male at number 12 is unconscious"),
        ("resident of no. 5 is fitting", "resident of number 5 is fitting"),
        ("cell no 3a, snoring", "cell number 3a, snoring"),
        ("no 4 ash grove", "number 4 ash grove"),
        ("on the no. 38 bus", "on the number 38 bus"),
        # a "no" before a number that no placing word introduces is left as written
        ("c: no 2 or 3 tablets", "c: no 2 or 3 tablets"),
        ("no 2nd fit, no 999 call made", "no 2nd fit, no 999 call made"),
    ],
)
def test_only_a_placed_no_before_a_number_is_read_as_number(text: str, expected: str) -> None:
    assert normalise(text) == expected
    assert normalise(expected) == expected


def test_a_real_negation_near_a_house_number_still_negates() -> None:
    assert flags("Male at no 12, no LOC, no head injury, walking and talking") == set()


@pytest.mark.parametrize(
    "narrative",
    [
        "Girl 14 in the park, friends say she's dead, lying on her back not moving after a "
        "bottle of vodka, vomit round her mouth.",
        "Kids say he's dead, he's lying at the bottom of the slide not moving.",
        "Caller says the man on the bench has been 'dead for hours', she walked past him "
        "this morning and again now. Nobody has checked him.",
        "Man slumped in the bus shelter, passers-by reckon he's been dead for a few hours, "
        "no one has gone near him.",
    ],
)
def test_a_death_said_by_bystanders_and_unchecked_is_not_certain(narrative: str) -> None:
    found, verified = reading(narrative)
    assert "death_not_certain" in found
    assert verified is None


@pytest.mark.parametrize(
    "narrative",
    [
        "Been dead for hours, cold, rigor mortis in the jaw and limbs, officers on scene.",
        "Male found decomposed in the flat, been there for weeks, nobody else in the property.",
    ],
)
def test_a_death_with_its_signs_is_still_handed_to_the_desk(narrative: str) -> None:
    found, verified = reading(narrative)
    assert verified is not None
    assert found == set()


def test_the_officer_who_found_the_body_and_collapsed_keeps_the_ambulance() -> None:
    found, verified = reading(
        "Decomposed body found at 61 Ash Rd. The PC who went in first has vomited, collapsed "
        "in the front garden and isn't responding now.")
    assert verified is None
    assert "unconscious" in found


@pytest.mark.parametrize(
    "narrative",
    [
        "Neighbours report a smell like something dead coming from flat 14 and flies at the "
        "window. Nobody has seen the tenant for a week. Officers at the door, no answer.",
        "Strong smell of decomposition from a car in the long-stay car park, windows black "
        "with flies. Officers can't see inside, car locked.",
        "Putrid smell from the flat, not seen since Christmas, no answer at the door.",
        "Smell of death from the bungalow, council officer can see someone in the bed "
        "through the window, can't see if they're moving.",
    ],
)
def test_a_smell_of_death_from_someone_nobody_has_seen_is_not_certain(narrative: str) -> None:
    assert "death_not_certain" in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Smell of cannabis from the flat, no answer at the door.",
        "Stench of rotting food from the bins, tenant away, no answer.",
        "Smell of decomposition from flat 3, officers forced entry, male found decomposed on "
        "the sofa, nobody else there.",
    ],
)
def test_a_smell_that_is_not_a_death_or_a_body_found_raises_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


def test_moaning_from_inside_a_flat_nobody_has_got_into_is_a_long_lie() -> None:
    assert "long_lie" in flags(
        "Smell from flat 2. Officers at the door can hear moaning from inside. Door bolted, "
        "working on entry.")


def test_calling_for_help_where_someone_is_seen_is_not_a_long_lie() -> None:
    assert flags("Lady at the door calling for help with her shopping bags, no injuries") == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("hypothermia", "Man found by the river bank after a night out, not shivering, "
                        "muttering nonsense, skin ice cold."),
        ("corrosive_or_face_burn", "Man in the burnt-out van, fire crews say he's badly burned "
                                   "all over but they heard him moan."),
    ],
)
def test_the_other_emergencies_the_set_left_to_the_model_are_read(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        # each read as an emergency with its guard taken out of guards.toml
        "Smell of death from the bins behind the flats, no answer at the door.",
        "House smells of death since the dog died, tenant not answering the door.",
        "Elderly man calling for help with his shopping, no answer at the door of his flat.",
        "The pub has been dead for hours, landlord says one drunk asleep at a table, rousable "
        "and talking.",
        "Mum says her son is dead brilliant at football, he hurt his ankle, walking on it.",
        "The neighbours say they are dead friendly, no disturbance, welfare check, all well.",
    ],
)
def test_the_guards_of_the_new_wordings_keep_their_look_alikes_unflagged(narrative: str) -> None:
    assert flags(narrative) == set()
