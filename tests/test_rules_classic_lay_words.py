"""Classic time-critical presentations in words nobody would put in a textbook (twenty-sixth
session, 2026-12-05): a frightened relative's, a non-native speaker's, a care worker's or
voice-to-text's words for a heart attack, a stroke, sepsis, anaphylaxis, a fit, a head injury.

A blind review (a helper who had not read the tables, 200 probes) read 121 of its 140
emergencies flagged before any tuning on it; these rows come from its misses.
docs/CLINICAL_SAFETY.md, H2 control 19. Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import assert_reads_concept, flags


@pytest.mark.parametrize(
    ("concept", "wording"),
    [
        ("abnormal_breathing", "a high squeaky noise when he breathes in"),
        ("laboured_breathing", "a high squeaky noise when he breathes in"),
        ("immersion", "fell through the ice"),
        ("amnesia", "keeps asking the same question"),
        ("visual_field_loss", "he cannot see the left side"),
        ("stroke_sign_lay", "all the words were in the wrong order"),
        ("stroke_sign_lay", "cant finish what hes saying"),
        ("confused", "she does not know who i am"),
        ("no_urine", "nothing in her pad since breakfast"),
        ("rigors", "shaking that much the bed is moving"),
        ("chest_pain", "pain here in heart"),
        ("chest_pain", "tightness right across his chest"),
        ("chest_pain", "his chest is in a vice"),
        ("face_swelling", "his face has swelled up like a balloon"),
        ("seizure_first", "first one ever"),
        ("anaphylaxis_word", "an anna flax is"),
        ("allergen", "started new antibiotics"),
        ("insulin_missed_or_high", "hasnt been taking her insulin"),
        ("fast_breathing", "panting"),
        ("heat_body", "skin is red and dry"),
        ("cardiac_history", "his spray under his tongue"),
        ("photophobia", "cant stand the big light on"),
        ("stiff_neck", "her neck is too stiff to look down"),
        ("unresponsive_ish", "now no wake up"),
    ],
)
def test_each_phrase_of_the_classic_lay_words_reads_its_concept(concept: str, wording: str) -> None:
    assert_reads_concept(concept, wording)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("He's making a horrible high squeaky noise when he breathes in, swallowed a button",
         "not_breathing"),
        ("Child fell through the ice on the pond, out now but blue and really lethargic",
         "not_breathing"),
        ("Cyclist hit by a car door, bleeding from his ear, keeps asking the same question",
         "head_injury"),
        ("'my husband he wake up, he cannot see the left side, he say the room is only half'",
         "stroke"),
        ("Nan was talking rubbish, like all the words were in the wrong order", "stroke"),
        ("Carer: water infection since Weds, legs gone all marbly, nothing in her pad since "
         "breakfast", "sepsis_meningitis"),
        ("'husband, pain here in heart, very strong, water on face, he is cold'",
         "cardiac_chest_pain"),
        ("tightness right across his chest like a belt being pulled in, sweating buckets",
         "cardiac_chest_pain"),
        ("grandads chest is in a vice, had his spray under his tongue twice, no better",
         "cardiac_chest_pain"),
        ("face has swelled up like a balloon, says he can't swallow", "anaphylaxis"),
        ("Elderly man had a fit, first one ever", "seizure"),
        ("'my brother he fall down, shake shake all body, blood from mouth, now no wake up, long "
         "time'", "seizure"),
        ("type 1 with flu, hasn't been taking her insulin, now confused and panting",
         "diabetic_ketoacidosis"),
        ("Roofer working in the heatwave, went confused and had a fit, skin's red and dry",
         "heat_stroke"),
        ("About 8 weeks pregnant, sudden bad pain on the right side of her belly, collapsed",
         "pregnancy_danger"),
        ("banging head since yesterday, can't stand the big light on, neck is too stiff to look "
         "down", "sepsis_meningitis"),
        # the twenty-eighth session: a rash that does not blanch, or blanches only in part
        ("toddler has spots that dont go white when you press a glass on them",
         "sepsis_meningitis"),
        ("rash, some of the spots fade under the glass but some dont", "sepsis_meningitis"),
        ("rash on her legs, not all of them fade when I press the glass", "sepsis_meningitis"),
        ("rash on his tummy, only some of the spots disappear under the glass",
         "sepsis_meningitis"),
        ("some of the spots go white under the glass but others stay purple, 2yo, hot",
         "sepsis_meningitis"),
        ("glass test: some fade some dont, she's got a temp", "sepsis_meningitis"),
        ("purple marks on his tummy, a few of them dont disappear under the glass",
         "sepsis_meningitis"),
        ("tried the glass on the rash, the ones on his arms go white, the ones on his legs don't",
         "sepsis_meningitis"),
    ],
)
def test_classic_emergencies_in_lay_words_raise_their_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Dementia (baseline confused per carer), blood in the ear from scratching eczema, no "
        "fall, no change",
        "Indigestion after a curry, had a rennie, feels better, no sweating, walking about",
        "On amoxicillin for a chest infection, a few itchy spots on her arm, breathing fine, "
        "no swelling",
        "birthmark on his leg, it doesn't go white with the glass, been there since birth",
        "told the group to go away but some of them didn't, no injuries",
        "most of the bruises from the fall last week have faded but some didn't, no pain",
        "grazed both knees at the park, some bleeding but some dont, plasters on",
    ],
)
def test_classic_lay_word_look_alikes_raise_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()


# Emergencies three blind reviews of the thirtieth session's chatter guards wrote that the rules
# missed before and after the guards (2026-12-06): a worst-ever pain "in her head" and
# vomiting said with "twice" (only "vomited twice" was read).
@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("worst pain in her head, vomited three times", "thunderclap_headache"),
        ("fall within the hour, hit head, out for a minute, vomiting twice", "head_injury"),
        ("hit his head on the kerb, been sick twice since", "head_injury"),
        # suite ZN's two rule misses (2026-12-06)
        ("her mouth went all to one side and she was talking gibberish", "stroke"),
        ("like someone had hit her on the back of the head with a cricket bat, worst pain she's "
         "ever had, then she was sick twice", "thunderclap_headache"),
        # the narrowed "keeps being" still reads "keeps being sick"
        ("headache since lunch, worst pain ever, keeps being sick", "thunderclap_headache"),
    ],
)
def test_worst_pain_in_the_head_and_vomiting_twice_are_read(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


def test_vomiting_twice_alone_or_keeps_being_is_no_flag() -> None:
    assert flags("she was vomiting twice last week but is fine now, twisted ankle") == set()
    # "keeps being" is repeated vomiting only with "sick" (a read-through, 2026-12-06)
    assert "thunderclap_headache" not in flags(
        "headache for 3 days, worst pain ever, she keeps being awkward with staff"
    )


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # a blind writer's weekend probes (thirty-sixth session, 2026-12-06; read once on the
        # product: every emergency deployed, these six by the model alone)
        ("head_injury", "my bf fell off his skateboard no helmet hit his head hes bein sick n "
                        "talkin weird n cant remember where we r"),
        ("head_injury", "cyclist no helmet hit head on kerb, vomiting twice, confused"),
        ("cardiac_chest_pain", "me da's gone all clammy like an he says his chest's dead tight an "
                               "his jaw's killin him"),
        ("not_breathing", "Male jumped into river from the bridge, pulled out by officers, was "
                          "under a couple of minutes, coughing froth, drowsy."),
        ("testicular_torsion", "Custody: DP 19 c/o sudden onset severe pain L testicle 40 mins "
                               "ago, vomiting x2."),
        ("choking_airway", "Baby 9 months choked on a grape, mum's hysterical, baby's making a "
                           "squeaky noise and going a funny colour."),
        ("long_lie", "Lifeline activation. Pendant pressed 03:20. 91yo F on floor since early "
                     "hours, cold to touch."),
    ],
)
def test_a_weekend_writers_emergencies_are_read(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        # the protection missing is negated, and only it: what follows it still is when it is
        # itself negated
        "no helmet, no head injury, walking and talking, grazed knee",
        "rode without a helmet, fell off at walking pace, no head injury, sore wrist",
        "toddler choked on a grape earlier, coughed it out, now playing, colour good, breathing "
        "normally",
        "my face went a funny colour when I saw the bill, no injuries, just wants advice",
    ],
)
def test_their_look_alikes_stay_unflagged(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("unconscious", "no reply forced entry male unconscious on floor"),
        ("not_breathing", "no answer at door forced entry female not breathing"),
    ],
)
def test_nobody_answering_the_door_does_not_deny_what_is_found_inside(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)
