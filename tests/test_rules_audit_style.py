"""Standardised patient vignettes as published audits write them (forty-second session,
2026-12-07).

A blind writer (a helper who had read only the spec) wrote 300 probes in the style of published
symptom-checker and telephone-triage audits: a stated age and sex, the complaint, its onset, the
positives and the key negatives a clinician records, relayed by police. Read once on the product:
200 of 200 emergencies were sent an ambulance, 182 flagged by the rules; the rest rested on the
model (a heart attack told as a jaw and shoulder ache with grey clammy skin, a defibrillator that
fired, a muffled voice and dribbling, tar-black stools, a rigid belly, a tampon left in with a
sunburn rash, a twisted ovary or testicle, rainbows round the lights, a car flipped over with the
driver stuck). A second blind writer's 200 probes, written with the key negatives as lists
("no LOC, vomiting or confusion", "not on warfarin, apixaban or any blood thinner"), were read as
a held-out measure: 130 of 130 emergencies deployed, 125 flagged before and after the first
writer's tuning. An arrest told as a list of signs of life ("not moving, breathing or
responding") now reads as one (triage/text/lists.py); a reading of every list of denials, and
guards on noisy breathing when crying and on a vaccination called a shot, were withdrawn after a
third review found them hiding emergencies. docs/CLINICAL_SAFETY.md, H2 control 35. Every
narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import flags


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        (
            "cardiac_chest_pain",
            "Female 78 at home. Since about 40 mins ago ache in her jaw and left shoulder with "
            "nausea, she is grey, clammy and a bit short of breath sitting still. No actual chest "
            "pain she says.",
        ),
        (
            "dangerous_heart_rate",
            "Daughter: Dad's heart is going like the clappers and he looks terrible. He's got a "
            "heart device fitted and it's gone off and thumped him.",
        ),
        (
            "airway_threat",
            "Wife says he had a sore throat this morning, now he can't even swallow his spit, "
            "he's dribbling and his voice sounds all muffled.",
        ),
        (
            "severe_bleeding",
            "Son: Mum's 75 and she's been going to the toilet and it's jet black and smelly like "
            "tar, she nearly fainted getting off the loo.",
        ),
        (
            "bowel_obstruction",
            "Wife says husband 73 tummy is swollen up like a baloon, he keeps being sick dark "
            "smelly stuff, hasnt been to the toilet or even passed wind for 3 days.",
        ),
        (
            "abdominal_pain_with_collapse",
            "Custody: DP male 45, sudden severe upper abdominal pain 1 hr ago, now lying very "
            "still with knees drawn up, his tummy is rigid. Pale and sweating.",
        ),
        (
            "abdominal_pain_with_collapse",
            "DP male 60, at 0500 sudden severe pain in upper tummy, lying dead still, custody "
            "nurse says tummy 'hard as a board', pulse 118.",
        ),
        (
            "appendicitis_signs",
            "Girl 14, abdominal pain 24 hrs, started round the navel and now right lower tummy, "
            "worse on coughing and walking, vomited x3, temp 38.5.",
        ),
        (
            "appendicitis_signs",
            "mum says her son 10 has had tummy pain since yesterday by his belly button now its "
            "down on the right side, he screams when the car goes over bumps",
        ),
        (
            "abdominal_pain_with_collapse",
            "Male 41, smells of alcohol. Severe epigastric pain going through to his back for "
            "6 hrs, vomiting repeatedly, heavy drinker.",
        ),
        (
            "swallowed_drugs",
            "Mum says her son 19 told her he swallowed his stuff when the police came to the "
            "door, now hes being sick and shaking and says his heart is going mad",
        ),
        (
            "missed_dialysis",
            "wife says hes on kidney dialisys and hes missed two goes this week, now hes so weak "
            "he cant stand and says his heart is skipping",
        ),
        (
            "sepsis_meningitis",
            "mum says her daughter 15 is really poorly, red all over like sunburn, temprature, "
            "being sick, fainted, she thinks she left a tampon in since the weekend",
        ),
        (
            "stroke",
            "Son says mum's arm keeps going dead and her talking goes funny, it comes and goes, "
            "its hapening again right now. shes 80",
        ),
        (
            "stroke",
            "Wife says: his words are all muddled and he keeps dropping his cup, it started at "
            "breakfast about 40 minutes ago. Male 74.",
        ),
        (
            "abdominal_pain_with_collapse",
            "Female 15, sudden severe left lower abdominal pain 2 hrs ago, vomited x4, pale. "
            "Ovarian cyst seen on scan last month.",
        ),
        (
            "abdominal_pain_with_collapse",
            "Mum says her daughter 13 has sudden terrible pain low in her tummy on the right, "
            "she's been sick lots and is doubled over crying, she was told she had a cyst.",
        ),
        (
            "testicular_torsion",
            "Boy 14, woke with sudden severe left testicular pain 1 hr ago, swollen, vomited x2.",
        ),
        (
            "acute_glaucoma",
            "Husband says her eye has gone red and rock hard and is agony, seeing rainbows round "
            "the lights, shes throwing up. shes 72",
        ),
        (
            "major_trauma",
            "Caller says a car has flipped over on the motorway going really fast, the man inside "
            "is stuck and they cant get him out",
        ),
        (
            "sepsis_meningitis",
            "Boy 6, temp 40 since this morning, breathing fast, hands and feet icy cold, says his "
            "legs hurt and wont get up off the sofa. No rash, no stiff neck.",
        ),
        (
            "sepsis_meningitis",
            "Wife 80 says husband 84 isn't himself, he's muddled and keeps trying to get out of "
            "bed, he's hot and breathing fast, coughing up green.",
        ),
        (
            "threatened_limb",
            "Male 73 with AF. Left leg suddenly painful, cold and white 2 hrs ago, can't feel his "
            "toes and can't move his foot.",
        ),
    ],
)
def test_audit_style_emergencies_raise_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # an arrest or an obstruction told as a list under one negation (a review of the change)
        ("not_breathing", "he is not moving, breathing or responding"),
        ("unconscious", "he is not moving, breathing or responding"),
        ("not_breathing", "no heartbeat, breathing or response, lying on the kitchen floor"),
        # a rash that does not fade, told without a glass or without the rash
        ("sepsis_meningitis", "rash that doesn't fade, fever"),
        ("sepsis_meningitis", "put a glass on it and it doesn't go white, fever"),
        ("sepsis_meningitis", "not turning white under the glass, temperature 39"),
        ("dangerous_heart_rate", "the device in his chest has fired and he passed out"),
        ("abdominal_pain_with_collapse", "tummy is rigid and she's in agony"),
    ],
)
def test_emergencies_a_review_wrote_against_the_change_raise_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # forty-third session: an arrest told as a list in any of its shapes (a review of the
        # forty-second session listed them; the rules flagged none of these before)
        ("not_breathing", "she is not moving, breathing, or responding"),
        ("unconscious", "she is not moving, breathing, or responding"),
        ("not_breathing", "not moving, breathing nor responding"),
        ("not_breathing", "neither moving nor breathing"),
        ("not_breathing", "He doesn't move, breathe or respond."),
        ("unconscious", "He doesn't move, breathe or respond."),
        ("not_breathing", "he's not moving or breathing or responding"),
        ("unconscious", "he is not moving or responding"),
        ("not_breathing", "not talking, moving or breathing"),
        ("not_breathing", "baby not crying or breathing"),
        ("not_breathing", "hasn't moved or breathed since"),
        # a second review of the change: the longest list of signs is read, whatever follows it
        ("not_breathing", "not moving, breathing or responding or making any sounds"),
        ("unconscious", "he is not talking or not moving, breathing or responding"),
        ("not_breathing", "CAD: male on floor of flat, not moving, responding or breathing or "
                          "showing any signs of life. PC starting CPR."),
    ],
)
def test_an_arrest_told_as_a_list_raises_its_flags(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        # a list of everyday words beside a sign, not ending its clause, or without one
        "she is not sleeping, eating or breathing properly with the stress",
        "the goldfish isn't moving, breathing or eating, child upset",
        "the app is not loading, updating or responding",
        "he is not eating, drinking or talking, just sulking",
    ],
)
def test_a_list_that_is_not_an_arrest_raises_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # a rash that partly fades is still a rash that does not fade
        ("sepsis_meningitis", "the bigger blotches go white but the tiny pinpricks stay under "
                              "the glass"),
        ("sepsis_meningitis", "fever and a rash, the spots dont go white when you press a glass "
                              "on them"),
        # stridor after smoke or strangulation, told as a whistly noise breathing in
        ("not_breathing", "Woman mid 40s choked by husband with his forearm across her throat. "
                          "Struggling to swallow her own spit and theres a whistly noise when "
                          "she breathes in."),
        # a real shooting at a pharmacy or a surgery
        ("penetrating_injury", "my cousin was shot at the chemist, bleeding from his belly"),
        # mild breathlessness beside chest pain is still a cardiac feature
        ("cardiac_chest_pain", "Male 60, central chest pain for 20 minutes, a bit short of breath, "
                               "grey and sweaty."),
        # a finding after a list that ends in "and" is not denied
        ("head_injury", "Fell and hit his head, no LOC, vomiting and drowsy."),
        # a review of the change (543 probes): a list denied only for a time, drowsiness after a
        # denied loss of consciousness, an attempted shooting told as "had a shot at"
        ("falling_consciousness", "no LOC, vomiting or confusion at first, now drowsy and "
                                  "vomiting"),
        ("falling_consciousness", "Bumped into a door, no LOC, now drowsy."),
        ("penetrating_injury", "had a shot at the doctor's, gunman fired through the window, "
                               "patient bleeding from the head"),
        # a third review (566 probes): the findings after a denied scene fact or history, and
        # the guards on noisy breathing when crying and on a vaccination called a shot, which
        # were withdrawn because they hid these
        ("penetrating_injury", "No weapon seen, stab wound or slash, left side of chest."),
        ("cardiac_chest_pain", "No PMH, crushing chest pain or sweats."),
        ("anaphylaxis", "No known allergy, tongue swelling or lip swelling, wheezy."),
        ("airway_threat", "Noisy breathing only when she is upset, now drooling."),
        ("penetrating_injury", "He was shot for the flu money he owed, bullet wound to stomach."),
    ],
)
def test_the_mends_keep_these_emergencies_flagged(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "mum says her daughter 6 has got chicken pox, itchy blistery spots everywhere, a bit "
        "grumpy, shes drinking and watching telly, spots go white under a glass",
        "Boy aged 4, 38.3, playing and eating, spots on his arm go white under the glass, moves "
        "neck fine.",
        "a man in the cells, drowsy, been drinking all day, responds to voice, bleeding the "
        "radiators when police arrived",
        "she is a bit short of breath walking to the shops, otherwise well",
        # a review's look-alikes of the first version
        "the road surface is jet black and shiny after rain",
        "the shed smells like tar from the new roof",
        "the car has rolled back down the drive into the hedge, nobody inside",
        "speech went weird on the phone because of a bad signal",
        "her speech goes funny when she's tired, has done for years since her stroke in 2015",
        "his speech goes funny when he's nervous, has a stammer, nothing new",
        "his talking goes funny after a few pints, he's drunk and happy",
        "ache in the jaw from grinding his teeth, pale and sweaty after the gym",
    ],
)
def test_look_alikes_raise_nothing(narrative: str) -> None:
    assert flags(narrative) == set()
