"""Emergencies told in numbers: AVPU, a temperature written "T 38.2", a peak flow, a NEWS2 score
(thirty-seventh session, 2026-12-06).

A blind writer (a helper who had read only the spec) wrote 250 probes of observations and scores
as custody nurses, officers with monitors and care-home staff pass them on. Read once on the
product, every one of its 150 emergencies was deployed, but the rules flagged only 118, and two
("P on AVPU" after drink and pills, "U on AVPU" in a teenager) were deployed at a probability of
0.15, a step above the threshold. docs/CLINICAL_SAFETY.md, H2 control 30. Every narrative here is
SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import flags


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("unconscious", "17 yo at a party after vodka and unknown pills, P on AVPU"),
        ("unconscious", "U on AVPU, 14 yr old at a bus stop"),
        ("unconscious", "custody: AVPU now P, snoring"),
        ("infant_fever_or_floppy", "Baby 11 weeks, T 38.2 rectal, bit sleepier than usual"),
        ("after_restraint", "restrained at arrest, now T 40.1, pouring with sweat"),
        ("asthma_not_relieved", "peak flow 90 L/min, couldnt blow properly, 35 yo asthmatic"),
        ("asthma_not_relieved", "Asthmatic. PEFR 120, best 450"),
        ("high_early_warning_score", "NEWS 8, care home resident 91"),
        ("high_early_warning_score", "Staff have scored NEWS 9, chesty for 2 days"),
        ("high_early_warning_score", "NEWS 6 with new confusion, 79 yo"),
    ],
)
def test_an_emergency_told_in_numbers_is_read(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "he heard on the news 10 minutes ago his brother died, upset, no injuries",
        "NEWS 3, chatty, wants his tablets",
        "asthmatic, peak flow 420, well, wants a new inhaler",
        "AVPU A, walking and talking, sore wrist",
        # an air temperature is not a body's ("temp 31 degrees" at a festival had read as
        # hypothermia in a first wording, withdrawn)
        "Festival site, temp 31 degrees, lost property tent robbed, no injuries",
    ],
)
def test_numbers_that_are_not_an_emergency_are_not_flagged(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # the numbers the first reading left to the model, read now
        ("severe_bleeding", "Est blood loss 1000ml, delivered 30 mins ago at home, BP 90/60"),
        ("severe_bleeding", "estimated blood loss 1.5 litres after the birth, pale"),
        ("severe_bleeding", "lost 2 litres of blood from a leg wound"),
        ("corrosive_or_face_burn", "8 yo, BBQ fire, burns about 20% of his body"),
        ("sepsis_meningitis", "9 month old, temp 39, cap refill 4s, hands and feet cold"),
        ("low_blood_pressure", "central CRT 6 sec, 80 yr old, BP 88/46"),
        ("swallowed_drugs", "Detainee admitted packing drugs internally. HR 150, BP 180/110, "
                            "T 39.0, agitated"),
    ],
)
def test_a_measured_loss_burn_area_or_refill_time_is_read(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "cap refill 2 secs, well, playing",
        "small burn 1% on the hand, cooled under the tap",
        "blood loss 200ml with her period, well",
        "drank 2 litres of water today, feels fine",
    ],
)
def test_normal_values_of_them_are_not_flagged(narrative: str) -> None:
    assert flags(narrative) == set()
