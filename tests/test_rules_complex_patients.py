"""Red flags for people with complex conditions and around pregnancy and birth (twenty-sixth
session, 2026-12-05): after a birth or a pregnancy loss, a pregnancy told without the word
"pregnant", bleeding on an anticoagulant or with a bleeding disorder, penetrating and alkali eye
injuries, fever or confusion under chemotherapy or immunosuppression, a dusky baby.

Two blind reviews (helpers who had not read the tables) wrote the probes these rows come from:
160, then 180 read before any tuning on them. docs/CLINICAL_SAFETY.md, H2 control 17, says what
each reading is and why; every narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import assert_reads_concept, flags

from triage.rules.engine import _compiled, _present_concepts
from triage.schema import TriageRequest


@pytest.mark.parametrize(
    ("concept", "wording"),
    [
        ("pregnancy", "delivered 6 days ago"),
        ("pregnancy", "10 days post partum"),
        ("pregnancy", "freebirth at home"),
        ("pregnancy", "she is up the duff"),
        ("pregnancy", "a bun in the oven"),
        ("pregnancy", "his wife is due in 3 weeks"),
        ("pregnancy", "she is due in march"),
        ("pregnancy", "her baby bump"),
        ("postnatal_stated", "2 weeks post birth"),
        ("postnatal_stated", "gave birth 4 weeks ago"),
        ("retained_placenta", "the placenta has not come out"),
        ("retained_placenta", "afterbirth still not out"),
        ("retained_placenta", "retained placenta"),
        ("pregnancy_danger_sign", "passing clots the size of her fist"),
        ("pregnancy_danger_sign", "been through 3 pads in an hour"),
        ("pregnancy_danger_sign", "her belly has gone rock hard"),
        ("pregnancy_danger_sign", "agony in her lower belly"),
        ("pregnancy_bleeding", "bleeding"),
        ("foul_discharge", "foul smelling discharge"),
        ("maternal_infection", "the wound is weeping"),
        ("maternal_infection", "going hot then cold"),
        ("maternal_infection", "waters smell bad"),
        ("pregnancy_loss_recent", "took the abortion tablets"),
        ("pregnancy_loss_recent", "after losing her pregnancy"),
        ("pregnancy_loss_recent", "had a termination at the clinic on monday"),
        ("illness_severe_feel", "says she has never felt this ill"),
        ("illness_severe_feel", "feels like she is going to die"),
        ("bleeding_disorder", "haemophiliac"),
        ("bleeding_disorder", "von willebrands"),
        ("anticoagulant", "the rat poison tablets"),
        ("anticoagulant", "on xeralto"),
        ("bleeding_persists", "still bleeding 5 hours later"),
        ("bleeding_persists", "still oozing after 30 minutes of pressure"),
        ("mouth_filling_blood", "mouth keeps filling with blood"),
        ("joint_swollen", "knee swelling up like a balloon"),
        ("bruise_spreading", "bruise on her belly spreading fast"),
        ("heavy_period", "period flooding through everything"),
        ("eye_projectile", "a taser barb"),
        ("eye_projectile", "a ball bearing"),
        ("eye_projectile", "shard of glass"),
        ("eye_struck", "into his right eye"),
        ("eye_struck", "still stuck in his eye"),
        ("eye_rupture_sign", "clear jelly like fluid leaking from the eye"),
        ("eye_rupture_sign", "the eye looks flat and misshapen"),
        ("eye_rupture_sign", "blood visible in front of eye"),
        ("eye_rupture_sign", "wire sticking out of his eye"),
        ("cement_word", "wet cement"),
        ("immunosuppressed", "kidney transplant"),
        ("immunosuppressed", "on anti rejection tablets"),
        ("immunosuppressed", "on infliximab"),
        ("chemo", "on capecitabine"),
        ("dusky_colour", "now a dusky colour"),
        ("fever", "her temp is 39.5"),
        ("breathless_any", "cannot get enough air"),
        ("pulse_fast_measured", "pulse on the officer's watch is 128"),
    ],
)
def test_each_phrase_of_the_complex_patient_readings_reads_its_concept(
    concept: str, wording: str
) -> None:
    assert_reads_concept(concept, wording)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # After a birth or a pregnancy loss (spec: the six weeks after birth)
        ("CALLERS SISTER HAD BABY ON LANDING 40 MINS AGO CORD STILL ATTACHED PLACENTA NOT "
         "DELIVERED MUM NOW PALE", "labour_complications"),
        ("woman had her baby 9 days ago, tonight passing clots the size of her fist, been "
         "through 3 maternity pads in an hour", "pregnancy_danger"),
        ("MOP STATES DAUGHTER IN LAW DELIVERED 6 DAYS AGO NOW BANGING HEADACHE BLURRED VISION",
         "pregnancy_danger"),
        ("girlfriend took the abortion tablets 4 days ago. Now temp 39.5, rigors, stomach pain "
         "and her heart's racing", "sepsis_meningitis"),
        ("discharged after her C-section last week. Foul smelling discharge from down below, "
         "breathing fast, says she has never felt this ill", "sepsis_meningitis"),
        ("had a section 8 days ago. Wound is weeping smelly stuff, she keeps going hot then "
         "cold, and her pulse on the officer's watch is 128", "sepsis_meningitis"),
        ("baby due next month. Waters went 3 days ago and now smell bad, she's hot to the touch "
         "and shivering", "sepsis_meningitis"),
        ("mum is 12 days post delivery. her left calf is swollen, red and hot, and now she is "
         "out of breath", "pulmonary_embolism_signs"),
        ("Gave birth 4 weeks ago, now has chest pain when she breathes in and is coughing up a "
         "bit of blood", "pulmonary_embolism_signs"),
        ("2 weeks after the birth, bleeding, now pale and dizzy when she stands",
         "pregnancy_danger"),
        # A pregnancy told without the word
        ("driver is due in march, about 30 wks, seatbelt went across the bump, now bump tight "
         "and painful and she feels faint", "pregnancy_danger"),
        ("the caller's wife is due in 3 weeks and the baby hasn't moved at all since yesterday",
         "pregnancy_danger"),
        ("sister says she's 'up the duff', 6 weeks or so. agony in lower belly, blacked out",
         "pregnancy_danger"),
        ("Ped vs car low speed, female expecting in about 6 weeks, abdo pain and says her belly "
         "has gone rock hard", "pregnancy_danger"),
        # Anticoagulants and bleeding disorders
        ("girl with von willebrands had a tooth pulled this morning, still bleeding 5 hours "
         "later", "severe_bleeding"),
        ("Dad is on warfarin, now peeing blood, bruises all over him, really tired and pale",
         "severe_bleeding"),
        ("Haemophiliac lad, 16, came off his bike. Knee swelling up like a balloon",
         "severe_bleeding"),
        ("teen with severe haemophilia took a boot to the head, now has a headache",
         "head_injury"),
        ("Gent 91 tripped on the kerb. Takes 'the rat poison tablets' for his AF. Cut above his "
         "eye from the fall, alert and chatty", "head_injury"),
        ("detainee on Xarelto has cut his forearm, cuts still oozing after 30 mins of pressure",
         "severe_bleeding"),
        ("on clexane jabs after a knee op, bruise on her belly spreading fast, feels faint",
         "severe_bleeding"),
        ("woman on warfarin, period flooding through everything, passed out at a bus stop",
         "severe_bleeding"),
        ("88 on rivaroxaban, pushed over, thigh really swollen and cannot get up",
         "severe_bleeding"),
        # Eyes
        ("lad took a dart straight in the eye, it's still stuck in", "penetrating_injury"),
        ("Taser deployed - one of the barbs has gone into the DP's right eye",
         "penetrating_injury"),
        ("GLASS FROM SMASHED WINDSCREEN INTO DRIVERS EYE, BLEEDING", "penetrating_injury"),
        ("hit in the eye with a ball bearing, eye looks flat and misshapen", "penetrating_injury"),
        ("Strimmer threw up a bit of wire, wire now sticking out of his eye",
         "penetrating_injury"),
        ("Builder got wet cement splashed in his eye, says it's burning",
         "corrosive_or_face_burn"),
        ("rocket went off in his face, face and both eyes burnt", "corrosive_or_face_burn"),
        # Chemotherapy, transplant, immunosuppression; a dusky baby
        ("Kidney transplant 2 years ago, fever 39 and vomiting", "sepsis_meningitis"),
        ("Teen on infliximab for Crohn's, fever 39, rigors and vomiting", "sepsis_meningitis"),
        ("Hickman line on chemo, feeling clammy and confused, temp 37.9", "sepsis_meningitis"),
        ("F on capecitabine tablets, feels hot and shivery, thermometer says 37.9",
         "sepsis_meningitis"),
        ("Baby 6 wks old with congenital heart disease, breathing fast and now a dusky colour",
         "not_breathing"),
    ],
)
def test_complex_patient_emergencies_raise_their_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Postnatal 2 weeks, small amount of brownish spotting, no clots, no pain, feels fine",
        "F two weeks after delivery still has light bleeding like the end of a period, no pain, "
        "no fever, no clots, just wants to know if thats normal",
        "2 weeks post birth, spotting, walking about normally. No temp, no pain.",
        "Male lost the sight in one eye years ago in an accident, has a glass eye. Wants advice "
        "about a sore socket",
        "Builder knelt in wet concrete all afternoon, both knees red raw with blisters. Face "
        "and eyes fine. Can walk",
        "His court case is due in 3 weeks, he has a headache and wants paracetamol",
        "Kidney transplant 10 years ago, a runny nose and a sore throat, no fever, eating and "
        "drinking",
        "Her brother has haemophilia; she is asking about a GP letter",
        "On warfarin, missed last night's dose, feels well, asking what to do",
        "Contact lens stuck in her eye, eye watering, can see fine",
    ],
)
def test_complex_patient_look_alikes_raise_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()


def test_a_light_loss_after_a_birth_needs_faintness_or_shock_but_a_pregnancy_bleed_does_not(
) -> None:
    """The spec's danger after a birth is heavy bleeding: a light loss for weeks is lochia
    (NICE CG37). In pregnancy any bleeding is read."""
    assert "pregnancy_danger" not in flags("3 weeks post partum, still bleeding a little")
    assert "pregnancy_danger" in flags("3 weeks post partum, bleeding, feels faint and clammy")
    assert "pregnancy_danger" in flags("28 weeks pregnant, bleeding")


def test_the_guards_that_keep_their_sense_block_the_new_readings() -> None:
    """"Dying for a wee" is no sense of dying, and a contact lens stuck in the eye no object
    in it."""
    found = _present_concepts(
        TriageRequest(narrative="says she feels like she is dying for a wee"), _compiled())
    assert "illness_severe_feel" not in found
    found = _present_concepts(
        TriageRequest(narrative="contact lens stuck in her eye"), _compiled())
    assert "eye_struck" not in found


def test_the_handler_sentence_of_a_bleed_on_a_blood_thinner_says_so() -> None:
    """A call handler reads the flag's sentence, not its clauses: a warfarin bleed must not be
    explained only as 'severe or uncontrolled bleeding'."""
    from triage.rules.engine import detect_red_flags
    from triage.schema import TriageRequest

    flagged = detect_red_flags(TriageRequest(
        narrative="Dad on warfarin, peeing blood, really tired and pale"))
    assert [f.name for f in flagged] == ["severe_bleeding"]
    assert "blood thinner or with a bleeding disorder" in flagged[0].reason
