"""Requests relayed across a language barrier (forty-first session, 2026-12-07).

A blind writer (a helper who had read only the spec) wrote 300 probes in the words that reach a
control room through broken English, a telephone interpreter's literal rendering, a child
translating or a neighbour relaying: 200 time-critical presentations ("the food go wrong way, now
not cough", "his face is falling on one side", "blood jumping out like a fountain") and 100
look-alikes. Read once on the product: 199 of the 200 were sent an ambulance, 108 flagged by the
rules. A second blind writer wrote 240 probes of alarming words that are not emergencies (180
minor problems in the same voices, 60 emergency twins): 36 of the 180 raised a flag. Now 172 of
the first 200 raise their flag; the look-alikes this work met stay unflagged, and hives alone (a
skin sign with nothing of the airway, breathing or circulation) is no longer read as a swollen
face. Two reviews (helpers' 770 and 672 probes) found the first versions' losses and over-wide
wordings; these rows hold their mends. docs/CLINICAL_SAFETY.md, H2 control 34. Every narrative
here is SYNTHETIC.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rules_support import flags, flags_without_guard


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        (
            "choking_airway",
            "Restaurant owner: man eating steak, the food go the wrong way, now he "
            "not cough, lips going purple.",
        ),
        (
            "choking_airway",
            "Grandson: nan eat bread and it stuck, she cannot talk, she holding her"
            " throat, face going blue.",
        ),
        (
            "choking_airway",
            "Nursery: child swallowed a grape, he cannot make any sound, back slaps not working.",
        ),
        (
            "stroke",
            "Daughter, little English: my father face is falling on one side since "
            "breakfast, he speak strange.",
        ),
        (
            "stroke",
            "Interpreter says his wife says his smile is not even and he cannot see"
            " on one side, sudden.",
        ),
        (
            "stroke",
            "Grandson: grandma right arm is sleeping and not wake up, and she say rubbish words.",
        ),
        (
            "not_breathing",
            "Gym staff, English not first language: man on the floor making the "
            "breath like fish, no answer when I call him.",
        ),
        ("not_breathing", "Mother: my baby breath very slow and he go blue, he not look at me."),
        (
            "not_breathing",
            "Nursery worker: boy lying after his nap, no chest moving, cold and grey.",
        ),
        (
            "not_breathing",
            "Interpreter says his wife says his chest does not go up and down, she is shaking him.",
        ),
        ("not_breathing", "Friends pulled him out of the river, now he is not moving."),
        (
            "unconscious",
            "Husband, broken English: she is sleep and we cannot make her wake, I shout, nothing.",
        ),
        (
            "unconscious",
            "Park warden: man on the bench, he not wake, we call him, he no move, "
            "only big snore, seems drunk.",
        ),
        (
            "unconscious",
            "Husband: she fall on the stairs, the head is bleed, now she is sleep and not answer.",
        ),
        (
            "severe_bleeding",
            "Shop owner: blood is going from his leg a lot, glass cut, it not stop when I press.",
        ),
        (
            "severe_bleeding",
            "Interpreter says he cut his hand on the machine and the blood is "
            "jumping out like a fountain.",
        ),
        (
            "severe_bleeding",
            "Grandson: grandma leg, blood come out like tap from the vein, the floor is all red.",
        ),
        (
            "severe_bleeding",
            "Friend, little English: my friend big drinker, he throw up red blood, "
            "the bowl is full.",
        ),
        (
            "cardiac_chest_pain",
            "Son, limited English: father very pain in the chest, it go to the arm,"
            " he is wet from sweat.",
        ),
        (
            "cardiac_chest_pain",
            "Interpreter says her husband says his heart is squeezing like somebody"
            " sit on it, pain going to his jaw.",
        ),
        (
            "cardiac_chest_pain",
            "Occupant with limited English: heavy stone on the chest, his arm feels"
            " strange, cold and wet.",
        ),
        (
            "cardiac_chest_pain",
            "Shopkeeper: old uncle says chest is very tight like a rope, face is "
            "wet, breathing hard.",
        ),
        (
            "seizure",
            "Wife: he do the epilepsy attack, stop, then again another, in the "
            "middle he no wake up.",
        ),
        (
            "seizure",
            "Mother, broken English: my son shaking shaking on the floor, eyes gone"
            " up, already 10 minutes not stop.",
        ),
        (
            "seizure",
            "Partner: she stare and then her arm start to move by itself, then all "
            "body, never before.",
        ),
        (
            "hypoglycaemia",
            "Friend to bus driver: he is diabetic, he is shaking and confuse, the sugar is low.",
        ),
        (
            "hypothermia",
            "Rough sleeper's friend: he very cold, not shaking anymore, very "
            "confuse, taking off his clothes.",
        ),
        (
            "head_injury",
            "Door staff: man punched, his head go bang on the kerb, now he say the "
            "same thing again and again.",
        ),
        (
            "head_injury",
            "Interpreter relays: he fell from the ladder on his head, now one eye pupil is big.",
        ),
        (
            "head_injury",
            "Son translating: papa hit his head on the cupboard this morning, now "
            "more and more sleepy.",
        ),
        (
            "self_harm_danger",
            "Mother: blood under the bathroom door, daughter texted sorry mum I cut"
            " too deep this time.",
        ),
        (
            "self_harm_danger",
            "Son, broken English: father has the kitchen knife on his belly, he say"
            " life is finish.",
        ),
        (
            "strangulation",
            "Victim, limited English: he put the hands on my neck and squeeze, I go"
            " black out, my voice is like whisper.",
        ),
        (
            "strangulation",
            "DA victim: he choke me with the belt, I wet myself, I wake up on the floor.",
        ),
        (
            "pregnancy_danger",
            "Husband: wife 8 months pregnant, very bad head, she see light "
            "flashing, face and hands are puffy.",
        ),
        (
            "pregnancy_danger",
            "Husband through interpreter: baby is out but blood is going from her, "
            "she is cold and shaking.",
        ),
        (
            "pregnancy_danger",
            "Boyfriend: period late 6 weeks, sharp low belly pain one side, she "
            "pass out in the toilet.",
        ),
        (
            "sepsis_meningitis",
            "Friend: the wound on his leg is red going up the leg, he is hot and "
            "now he talk nonsense.",
        ),
        (
            "sepsis_meningitis",
            "Mother: baby is hot, small purple spot, I press the glass and it is still there.",
        ),
        (
            "infant_fever_or_floppy",
            "Father, limited English: son is 2, legs cold and the skin look like "
            "marble, only lying.",
        ),
        (
            "anaphylaxis",
            "Interpreter: stung by a bee, whole body red bumps, his tongue is fat, "
            "he feels he will fall down.",
        ),
        (
            "corrosive_or_face_burn",
            "Wife: hot oil from the chip pan on his arm and chest, the skin is coming off.",
        ),
        (
            "corrosive_or_face_burn",
            "Mother, broken English: kettle hot water went in the baby face and "
            "mouth, lip swelling.",
        ),
        (
            "airway_burns",
            "Interpreter: he breathed the fire from the barbecue, his eyebrows are "
            "burned, his breath is noisy.",
        ),
        (
            "major_trauma",
            "Bus passenger: the bus take the old man, he go under the front, his "
            "leg is the wrong shape.",
        ),
        (
            "major_trauma",
            "Rugby coach, limited English: player neck go bend in the scrum, arms "
            "tingling, cannot move his fingers.",
        ),
        (
            "electrical_injury",
            "Interpreter says the worker took the electric from the big cable, he "
            "fell, he is not answering.",
        ),
        (
            "injury_with_shock",
            "Wife at the crash: he say he is ok but now he is white like the paper and cold sweat.",
        ),
        (
            "significant_overdose",
            "Interpreter says he drank the weed killer from the shed, now sleepy and sick.",
        ),
        (
            "asthma_not_relieved",
            "Custody: asthmatic, used his inhaler six times, says he cannot finish "
            "the sentence, very tired.",
        ),
    ],
)
def test_emergencies_in_broken_or_relayed_english_raise_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Wife, little English: he hit his toe on the bed, the toe is blue, walking with limp.",
        "Man 24 outside the shops, breathing fast after an argument, tingly fingers, "
        "calming with officers, blue lights not needed per caller.",
        "Windscreen iced up, he says he cannot see out of one side.",
        "Grandad talks nonsense about politics all the time, mild cough, otherwise well.",
        "Robbery: offender held a knife against his stomach and took his phone, victim "
        "uninjured, shaken.",
        "Cough for 5 days, ribs hurt when I cough, I can walk up the stairs, no breath problem.",
        "He is asthmatic, his solicitor is no help, he wants to see the nurse about a headache.",
        "Female 20s, hives after eating prawns, no swelling of the throat, breathing OK.",
        "Female 44 says she is allergic and covered in lumps since starting new "
        "antibiotics, no lip or tongue swelling, breathing fine, voice normal.",
        "Son 8 had a nosebleed an hour ago, swallowed the blood, vomited once dark red, "
        "now pink and playing.",
        # the review's look-alikes of the first version (770 probes), each read before its mend
        "the deal went the wrong way and now he is shouting at his business partner, nobody hurt",
        "my English not good, sorry if I say wrong words, my mother has a cough for two days",
        "she put a scarf on his neck because it is cold outside, he is fine",
        "there is a rope tied to the banister for the kids' swing",
        "we put down poison for the rats in the garden, the kids are inside",
        "my son slept the whole night, in the middle he no wake up for toilet, very good",
        "his breath is bad, it smells of garlic and beer",
        "he did not finish his sentence, he was released early from prison",
        "breathing fast after running the race, wearing a blue shirt",
        "the headphones on one side do not work",
        "we finally got the electric back on after the power cut, nan was confused a bit "
        "in the dark",
        "food go wrong way this morning, he cough cough and it come out, now no cough, "
        "eating lunch fine",
        "he banged his head on the door frame, small bump, fine, he snores at night like always",
        "after the dentist injection her tongue is fat and numb, talking fine",
        "I got juked by a rose thorn in the garden",
        "he is in his blue football kit, breathing fast from the match",
        "the label says if you drink the weed killer you will die, keep it away from children",
        "I cut too deep into the onion and nicked my finger, bleeding a little",
    ],
)
def test_look_alikes_of_the_new_wordings_raise_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("narrative", "guard"),
    [
        (
            "Wife, little English: he hit his toe on the bed, the toe is blue, walking with limp.",
            "walking|walks|walked|walk with limp",
        ),
        (
            "Male in cell 3 asleep after vodka, rousable, snoring at times, on 30 min checks, "
            "blue lights not needed per caller.",
            "blue lights",
        ),
        (
            "Niece relaying: auntie's sugar fell, she felt shaky, took juice and two biscuits, "
            "sugar now 6.4, talking normal.",
            "sugar|glucose fell|fall|falls|dropped",
        ),
        (
            "Mum, broken English: he stop breathing when he cry, go a little blue, then breathe "
            "again by himself, now playing.",
            "stop|stops|stopped breathing when [he|she|they] cry|cries|crying",
        ),
    ],
)
def test_each_new_guard_is_what_keeps_its_look_alike_unflagged(
    narrative: str, guard: str, red_flag_tables: Path
) -> None:
    """Unflagged with the tables as they are, and flagged with this one guard taken out."""
    assert flags(narrative) == set()
    assert flags_without_guard(narrative, guard, red_flag_tables)


def test_out_cold_is_a_knock_out_not_the_cold(red_flag_tables: Path) -> None:
    """ "Out cold" is unconsciousness: it keeps its head-injury flag, and the guard keeps its
    "cold" from reading as exposure (before it, 70 of 60,000 synthetic requests and 71 project
    narratives of a punch or a fall were flagged hypothermia)."""
    narrative = "Punched, cracked his head on the kerb, out cold for a minute, now confused."
    read = flags(narrative)
    assert {"head_injury", "unconscious"} <= read
    assert "hypothermia" not in read
    assert "hypothermia" in flags_without_guard(narrative, "out cold", red_flag_tables)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # hives with the airway, breathing or circulation: anaphylaxis
        ("anaphylaxis", "Covered in hives after a wasp sting, feels dizzy and sick."),
        ("anaphylaxis", "Hives everywhere after a new tablet, now struggling to breathe."),
        (
            "anaphylaxis",
            "Allergic to nuts, ate a satay by mistake, covered in hives, feels faint, going pale.",
        ),
        ("anaphylaxis", "Raised itchy rash all over after the microwave meal, voice going hoarse."),
    ],
)
def test_hives_with_a_danger_sign_is_anaphylaxis(flag: str, narrative: str) -> None:
    """Hives is no longer read as a swollen face (Resuscitation Council UK 2021: skin or
    mucosal changes alone are not anaphylaxis); beside faintness, pallor, a fall in
    consciousness or a breathing or voice sign it is."""
    assert flag in flags(narrative)


def test_barbs_draw_no_slip_to_a_new_target() -> None:
    """ "grabs" was a correction target in the first version of the choking words, and pulled
    the fishing-hook "barbs" to it in three training narratives; the phrase names "grab" and
    "grabbing" only."""
    from triage.text.spelling import correct_word

    assert correct_word("barbs") != "grabs"


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        (
            "not_breathing",
            "She woke as soon as she was called, talking to us clearly, then she "
            "stopped breathing.",
        ),
        (
            "not_breathing",
            "He woke as soon as he was spoken to, knows the year, now he is not breathing.",
        ),
        (
            "unconscious",
            "Now he wakes and talks, talking to me normally, then he went unconscious again.",
        ),
    ],
)
def test_a_wakening_told_before_an_arrest_does_not_cancel_it(flag: str, narrative: str) -> None:
    """The review found the new wakening and sensible-answer wordings cancelling an arrest told
    after them; what happens after ("then", "now") is read on its own."""
    assert flag in flags(narrative)
