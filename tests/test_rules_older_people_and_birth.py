"""Emergencies of older people in their own words and their carers', and of pregnancy, birth and
the weeks after (thirty-fifth session, 2026-12-06; docs/CLINICAL_SAFETY.md, H2 control 27).

Two blind writers (helpers who had not read the tables; 160 probes each) had 87 and 86 of their
100 emergencies flagged by the rules before any tuning on them; these rows are their misses,
reworded, and look-alikes that must stay unflagged. Among the misses was a phrase that could
never match: arm_jaw_pain's "pain in his jaw|left arm" meant "jaw arm" or "left arm", so "pain in
his jaw" read nothing. Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import assert_reads_concept, flags


@pytest.mark.parametrize(
    ("concept", "wording"),
    [
        ("arm_jaw_pain", "pain in his jaw"),
        ("arm_jaw_pain", "pain in her left arm"),
        ("person_placed_in_need", "his lodger is upstairs unresponsive"),
        ("stroke_sign_lay", "her mouth has dropped on the left side"),
        ("white_cold_limb", "her leg is white and freezing"),
        ("no_urine", "nothing in his catheter bag since last night"),
        ("long_lie", "on floor unknown time"),
        ("hands_at_throat", "hands at her throat"),
        ("labour", "SROM 10 min ago"),
        ("labour_complication", "the baby's head is crowning"),
        ("baby_born_recently", "baby born 10 days ago"),
        ("postnatal_psychosis_sign", "voices are telling her to hurt the baby"),
    ],
)
def test_each_new_wording_reads_its_concept(concept: str, wording: str) -> None:
    assert_reads_concept(concept, wording)


EMERGENCIES = (
    ("PCSO at sheltered flat, resident 84 answered the door but her mouth has dropped on the "
     "left side and she's talking like she's had a few, she doesn't drink.", "stroke"),
    ("Daughter went round: mum's left leg from the knee down is white and freezing, came on "
     "suddenly this afternoon, agony, can't move her toes.", "threatened_limb"),
    ("Carer log: Mr O 80, long term catheter, nothing in bag since last night, shaking "
     "uncontrollably, hot, HR 125, sats 91.", "sepsis_meningitis"),
    ("Officers went in through the back: man 88 on floor unknown time, soiled, confused, skin on "
     "his hip purple where he's been lying.", "long_lie"),
    ("Wife says husband 75 has had pain in his jaw and down both arms for an hour, he's grey "
     "and sweating, history of angina.", "cardiac_chest_pain"),
    ("Carer: client 75 with prostate cancer woke with legs completely weak, can't stand, can't "
     "pass water.", "cauda_equina"),
    ("Husband says waters just went at 37 weeks and he can see something like a grey rope "
     "hanging down between her legs.", "labour_complications"),
    ("CAD: 38/40, SROM 10 min ago, husband reports a loop of cord visible.",
     "labour_complications"),
    ("Cell check: female DP complaining of constipation for hours, now screaming, officer can "
     "see a baby's head crowning.", "labour_complications"),
    ("Baby born 10 days ago. She hasn't slept for 3 nights and says the baby is possessed and "
     "she has to set it free.", "pregnancy_danger"),
    ("Female 28, coil, positive test yesterday, sudden pain right side low down, fainted twice.",
     "pregnancy_danger"),
    ("Pregnant about 24 weeks, partner kicked her in the belly, now cramping pain coming every "
     "few minutes.", "pregnancy_danger"),
    ("Baby 5 days old very yellow, even the whites of the eyes, won't feed, very sleepy.",
     "infant_fever_or_floppy"),
    # a general blind writer's emergencies (read once, then tuned on)
    ("Chip pan fire, woman's arms and chest burnt, skin coming off in sheets, some bits white "
     "and leathery.", "corrosive_or_face_burn"),
    ("Electrician took a belt off a live 3-phase cable, thrown across the room, heart "
     "fluttering.", "electrical_injury"),
    ("My son, 4 years, he eat the small round battery from the car key, now drooling.",
     "battery_or_magnet_swallowed"),
    ("Out in the garden all night after a fall, talking slow, skin like ice.", "hypothermia"),
    ("Old man diabetic, weeks of thirst, now barely responds, saying odd words.",
     "falling_consciousness"),
)


@pytest.mark.parametrize(("narrative", "flag"), EMERGENCIES)
def test_an_emergency_the_blind_writers_told_raises_its_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


LOOK_ALIKES = (
    "Resident 90 slid off her chair onto the carpet, no head strike, not on blood thinners, "
    "got up with help, chatting, no pain.",
    "Usual dementia confusion per care home staff, no change from normal, eating and drinking.",
    "Known COPD, chronic cough, same as always, talking in full sentences.",
    "Black stools since starting iron tablets, GP said to expect it, otherwise well.",
    "DP 12 weeks pregnant asking for her folic acid tablets, no pain, no bleeding.",
    "Mum asking about formula, baby 3 weeks old feeding well, wet nappies, settled.",
    "Well baby with a snuffly nose, feeding fine, no temperature.",
    # a read-through of the first version (a helper's 398 probes): its words in other senses
    "Mum 2 weeks postnatal says she has not slept for 3 nights because baby has colic.",
    "Driver breath test positive, complaining of stomach ache, drowsy.",
    "toddler's nose running, it's bright green, no temperature",
    "singer with hands at her throat, hoarse voice after gig",
    "she says her stools are like tar after eating blueberries, feels well",
    "Teenage son barely responds when we speak, moody, normal otherwise",
    "Her mouth has dropped open, she's asleep in the chair snoring, carers checked, she's fine",
    "suspect used a loop of cord to tie the gate shut",
    "used her spray for her sore throat, made no difference, still a bit of pain",
    "girl 15, fast heart rate after PE, feels fine now",
    # a second read-through: an animal or a machine, and a jaw put down to a tooth
    "Dog shaking and frothing at the mouth after eating chocolate, owner wants vet number",
    "Washing machine shaking and foaming out of the door, elderly resident panicking",
    "Sweating loads after a curry, he had a stent years ago, pain in his jaw from toothache "
    "for 3 days",
)


@pytest.mark.parametrize("narrative", LOOK_ALIKES)
def test_a_minor_request_in_the_same_world_raises_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()


def test_someone_elses_recent_birth_never_cancels_a_pregnant_womans_bleeding() -> None:
    # a read-through: "baby born 3 weeks ago" had been a postnatal_stated, which cancels it
    assert flags("Female 30 weeks pregnant, bleeding PV, her sister whose baby was born 3 "
                 "weeks ago is with her") == {"pregnancy_danger"}


@pytest.mark.parametrize(
    "narrative",
    [
        "MALE 60S CENTRAL CHEST PAIN RADIATING TO JAW FROM DENTIST APPT THIS MORNING",
        "Male 62 central chest pain going into his jaw with his teeth aching, started 30 mins ago",
        "CP radiating to L jaw from tooth area, 66M, onset 20 mins",
    ],
)
def test_chest_pain_spreading_to_the_jaw_stays_cardiac_whatever_the_tooth(narrative: str) -> None:
    # the toothache guard blocks only "pain in his jaw from" a tooth (two wider first versions
    # took these heart attacks' flag)
    assert "cardiac_chest_pain" in flags(narrative)
