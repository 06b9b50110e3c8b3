"""Emergencies in custody and mental-health crisis told as custody sergeants, detention officers
and street-triage staff would (twenty-eighth session, 2026-12-06).

A blind review (a helper who had not read the tables, 180 probes: 90 emergencies, 90 look-alikes)
read 87 of its emergencies flagged and none of its look-alikes before any tuning on it; a second
writer (response officers, BTP, cell staff, AMHPs and families: 150 probes) read 97 of 100 and
none of 50. These rows come from their misses, reworded. docs/CLINICAL_SAFETY.md, H2 control
21. Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import assert_reads_concept, flags


@pytest.mark.parametrize(
    ("concept", "wording"),
    [
        ("heart_fluttering", "says his heart is fluttering"),
        ("tight_round_neck", "the drawstring was tight round his neck"),
        ("unconscious", "did not respond to voice or a shake of the shoulder"),
        ("struggle_strength", "exceptionally strong"),
        ("crushed_under", "slipped down between the train and the platform"),
        ("head_injury", "head butting the van partition"),
        ("unequal_pupils", "right pupil looks bigger than the left"),
    ],
)
def test_each_custody_phrase_reads_its_concept(concept: str, wording: str) -> None:
    assert_reads_concept(concept, wording)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("DP 48 says heart fluttering, fainted on the way to the toilet, looks grey",
         "dangerous_heart_rate"),
        ("cell 2, DP had the drawstring from his joggers tight round his neck, removed, voice "
         "gone hoarse", "strangulation"),
        ("0315 rousal check, he didnt respond to voice or a shake of the shoulder, loud snoring",
         "unconscious"),
        ("restrained prone approx 3 mins, exceptionally strong, burning hot and pouring sweat",
         "after_restraint"),
        ("BTP: man slipped down between train and platform edge, leg trapped", "major_trauma"),
        ("prisoner head butting the van partition for 10 mins, now vomiting and confused",
         "head_injury"),
    ],
)
def test_custody_emergencies_raise_their_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "elderly man, deaf, does not respond to voice, signs to officers, minor cut",
        "DP says his heart is fluttering, anxious, no faint, talking in full sentences",
        "DP no comment throughout, refuses to engage, walking and talking, eating his meal",
        "rough sleeper, legs bandaged, a strong smell, skin above the bandage red and hot, talking",
    ],
)
def test_custody_look_alikes_raise_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()


# Self-harm with bleeding in a narrative that gives an age (twenty-ninth session, 2026-12-06).
# `bleeding_controlled` read "old", "small", "minor", "superficial", "healed" and "healing" on
# their own, anywhere, and cancelled the self-harm flag: "15 year old", "21yo" (read as "year
# old") or "a small kitchen knife" was enough. A review found it when a neutral sentence naming
# "the old owners" cancelled two vignettes' flags. "Old" and "small" now describe the wound. The
# last four rows are a second review's: a wider first version of the fix took their flag (old
# cuts beside a fresh one, bleeding that started again, another person's tiny cut).
@pytest.mark.parametrize(
    "narrative",
    [
        "15 year old girl has cut her wrists, bleeding",
        "70 year old man has cut his arms with a razor, bleeding",
        "21yo female, cut herself with a razor, still bleeding",
        "cut her wrists, bleeding, small kitchen knife",
        "she has cut her arm, bleeding, says the old scars opened",
        "Male has cut his wrists, bleeding, long history of self harm with old cuts on both arms",
        "Self inflicted cuts to wrists, bleeding, this was stopped with pressure at first but is "
        "now bleeding again",
        "Cut her wrists, bleeding, her boyfriend has a tiny cut on his thumb from the glass",
        "Cut his wrists with a razor, bleeding, has healing wounds on his legs from before",
    ],
)
def test_self_harm_with_bleeding_is_flagged_whatever_the_age_or_the_knife(
    narrative: str,
) -> None:
    assert "self_harm_danger" in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "superficial cuts to her arm, bleeding stopped",
        "cut her wrist, bleeding a small amount",
        "has cut her arms, cuts are superficial, bleeding",
        "self harm, cut arm, bleeding, cuts look old",
        "cut her forearm, small cuts, bleeding",
        "scratched her arms, superficial, bleeding",
        "DP picked the scab off an old cut on her wrist, few drops of blood, stopped with a tissue",
    ],
)
def test_self_harm_whose_wounds_are_described_as_trivial_is_not_flagged(narrative: str) -> None:
    assert "self_harm_danger" not in flags(narrative)


# A child called "a minor", and cuts to the thighs, stomach or face (thirtieth session,
# 2026-12-06). "Minor" on its own cancelled the flag as "old" and "small" did; it now describes a
# wound ("minor cuts", "the cuts look minor"); a review found a version that also read "is|was
# minor" and "very minor" on their own still hiding "female is minor aged 15 cut her wrists
# bleeding". Cuts to a part of the body that accidents reach as often (``cut_to_body``) raise the
# flag only beside stated intent or a request keyed as self-harm.
@pytest.mark.parametrize(
    ("narrative", "facts"),
    [
        ("girl, a minor, has cut her wrists and is bleeding", {}),
        ("15yo female, she is a minor, cut her arms, bleeding", {}),
        ("female is minor aged 15 cut her wrists bleeding", {}),
        ("she's a minor cut her wrists bleeding", {"incident_type": "self_harm", "age": 14}),
        ("report of self harm cuts minor aged 15 cut her wrists bleeding", {}),
        ("cut her left thigh with a razor, bleeding, says she wants to die", {}),
        ("cut her face with a knife, bleeding, says she wants to die", {}),
        ("cut her thigh with a razor, bleeding, says she wants to die", {}),
        ("has cut her thighs with a razor, bleeding", {"incident_type": "self_harm"}),
    ],
)
def test_a_minor_and_cuts_beyond_the_arms_are_flagged_as_self_harm(
    narrative: str, facts: dict[str, str]
) -> None:
    assert "self_harm_danger" in flags(narrative, **facts)


@pytest.mark.parametrize(
    ("narrative", "facts"),
    [
        ("minor cuts to her arm, bleeding", {}),
        ("cut his thigh on a fence, bleeding", {}),
        ("chef cut his hand on a knife, bleeding", {}),
        ("minor cut to her arm, bleeding a little", {}),
        ("dad cut the chest of drawers in half, bleeding from a nosebleed, says he wants to die",
         {}),
        ("cut her thigh, bleeding a small amount", {"incident_type": "self_harm"}),
    ],
)
def test_minor_self_harm_and_accidental_cuts_are_not(narrative: str, facts: dict[str, str]) -> None:
    assert "self_harm_danger" not in flags(narrative, **facts)
