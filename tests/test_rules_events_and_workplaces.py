"""Emergencies of the night-time economy, events and sport, of older people living alone, and
of workplaces and farms, told as officers, door staff, carers and neighbours would
(twenty-seventh session, 2026-12-05).

Two blind reviews (helpers who had not read the tables; 180 probes each, 120 emergencies and 60
look-alikes) read 116 and 111 of their emergencies flagged before any tuning on them; these rows
come from their misses and their look-alikes, reworded. docs/CLINICAL_SAFETY.md, H2 control 20,
says what each reading is and why. Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import assert_reads_concept, flags


@pytest.mark.parametrize(
    ("concept", "wording"),
    [
        ("water_excess", "necking bottles of water"),
        ("water_excess", "drinking water all night"),
        ("confused", "asking where she is over and over"),
        ("confused", "calling her by his mum's name"),
        ("heat_context", "running the half marathon"),
        ("penetrating", "cut with a knife on the side of his chest"),
        ("nicked_by_blade", "nicked with a blade on his chest"),
        ("woke_on_rousal", "woke straight up when the officers spoke"),
        ("alert_now", "knows where he lives"),
        ("alert_now", "chatting away"),
        ("fast_breathing", "breathing very fast"),
        ("lips_tinged", "lips slightly blue"),
        ("lips_tinged", "lips look a bit grey"),
        ("hf_acid", "hf etching gel"),
        ("cement_word", "a bag of lime"),
        ("co_source", "the charcoal grill"),
        ("extractor_broken", "the extractor fan has broken"),
        ("hot_tar", "hot bitumen splashed on his face"),
        ("fire_context", "her sleeve caught on the gas hob"),
        ("abdo_pain", "his belly and lower back are killing him"),
        ("cola_urine", "his wee is dark like cola"),
        ("dark_urine_after_lie", "the wee in his pad is dark like strong tea"),
        ("no_urine", "pad bone dry"),
        ("stroke_sign_lay", "his words are coming out in the wrong order"),
        ("stroke_sign_lay", "keeps dropping his cup out of his right hand"),
        ("double_vision", "seeing two of her"),
        ("gi_bleed", "passing black stuff like tar"),
        ("struggle_strength", "taken 4 officers to hold him"),
        ("struggle_strength", "incredibly strong"),
        ("confused", "keeps calling his son by his brother's name"),
        ("confused", "thinks it's still yesterday afternoon"),
        ("spat_out", "spat most of it out"),
    ],
)
def test_each_phrase_of_the_events_and_workplaces_reads_its_concept(
    concept: str, wording: str
) -> None:
    assert_reads_concept(concept, wording)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("girl 19 at the club took molly, necking bottles of water for hours, now vomiting and "
         "asking where she is over and over", "confusion_with_headache_and_vomiting"),
        ("lad 20 at the campsite, drinking water all night after pills, had a fit",
         "confusion_with_headache_and_vomiting"),
        ("runner at the half marathon finish collapsed, boiling hot, staggering",
         "heat_stroke"),
        ("walked into the front office, says he got nicked with a blade on his chest in the "
         "taxi queue, small cut, wants to give a statement", "penetrating_injury"),
        ("cut with a knife on the side of his chest outside the kebab shop", "penetrating_injury"),
        ("Male 80 fell Sunday night, still on the kitchen floor Tuesday, wee dark like cola",
         "long_lie"),
        ("gran's sleeve caught on the gas hob, burns up her neck, voice gone croaky",
         "airway_burns"),
        ("F 90 breathing very fast in her chair and her lips slightly blue", "not_breathing"),
        ("husband 78 with a catheter, shaking and burning hot, calling her by his mum's name",
         "sepsis_meningitis"),
        ("man 70 collapsed in the bathroom, his belly and lower back are killing him, grey",
         "abdominal_pain_with_collapse"),
        ("glassworks, HF etching gel soaked into his trouser leg, pain getting worse",
         "corrosive_or_face_burn"),
        ("bag of lime split open and the dust blew into the labourer's eyes, cannot open them",
         "corrosive_or_face_burn"),
        ("hot bitumen sprayed up onto the roofer's face, eye shut", "corrosive_or_face_burn"),
        ("cafe kitchen, extractor fan has broken, 3 staff with headaches being sick, one "
         "fainted", "carbon_monoxide"),
        ("son found dad 88 on the floor, keeps calling him by his brother's name, pad bone dry",
         "long_lie"),
        ("lady on the hall floor since yesterday morning, hasn't had a wee at all", "long_lie"),
        ("man 75 at the bus stop, his words are coming out in the wrong order", "stroke"),
        ("came on all of a sudden, walking like he's drunk, seeing two of everything, being "
         "sick", "stroke"),
        ("passing black stuff like tar for 2 days, now grey and dizzy", "severe_bleeding"),
        ("type 1 diabetic at the club, sweaty and confused, no food all night", "hypoglycaemia"),
        ("detainee red hot, incredibly strong, taken 4 officers to hold him",
         "after_restraint"),
        ("toddler drank bleach, spat some out, now drooling", "significant_overdose"),
        ("found not breathing, woke straight up when officers spoke to him, then stopped "
         "breathing again", "not_breathing"),
        # a second review of the session's changes: what its first versions lost
        ("toddler put drain unblocker in his mouth, spat it out, crying", "corrosive_or_face_burn"),
        ("took a mouthful of bleach to kill herself, spat it out", "significant_overdose"),
        ("drank some bleach, spat out a tooth earlier in the fight", "significant_overdose"),
        ("carer found her not breathing on the kitchen floor, woke when shaken, talking",
         "not_breathing"),
        ("carer found her not breathing on the kitchen floor, woke when shaken, talking "
         "normally now", "not_breathing"),
        # dangers beside which an answered report of not breathing keeps its flag
        ("reported not breathing, woke when shaken, talking normally, he hit his head on the "
         "kerb", "not_breathing"),
        ("reported not breathing, woke when shaken, talking normally, diabetic, sugar is low",
         "not_breathing"),
        ("reported not breathing, woke when shaken, talking normally, face droopy on one side",
         "not_breathing"),
        ("Is the lad conscious - no", "unconscious"),
        ("Is mum breathing - no", "not_breathing"),
        # the twenty-eighth session: a vital key's answer running on into a new sentence, and
        # a death found with a pronoun between the words
        ("mum collapsed in the kitchen. is she breathing: nah she's gone grey", "not_breathing"),
        ("found him dead on the bathroom floor", "death_not_certain"),
        ("Breathing: no the male is blue", "not_breathing"),
        ("Breathing: no cant see his chest moving", "not_breathing"),
        ("Conscious: no eyes rolled back, twitching", "unconscious"),
        ("neighbour felt her pulse and says its really slow, keeps blacking out",
         "dangerous_heart_rate"),
        ("cut his hand on barbed wire, now the whole arm's gone red up to the armpit, shaking, "
         "talking daft", "sepsis_meningitis"),
        ("landlord went down the cellar to change a barrel and hasnt come back up",
         "carbon_monoxide"),
        ("seen putting something in his mouth when arrested, now sweating, heart racing",
         "significant_overdose"),
    ],
)
def test_events_and_workplace_emergencies_raise_their_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "roofer has burnt his neck and arms in the sun, red and sore, no blisters",
        "felt like she couldn't breathe in the crowd, now breathing normal, chatting away",
        "reported not breathing on a bench, officers found him asleep, woke when shaken, "
        "talking normally now, knows where he lives",
        "took a swig of diluted bleach by mistake, spat most of it out, no burning, breathing "
        "normally",
        "man fell in the garden and got straight up, says his wee looks like tea",
        "Key Qs: chest pain no, breathing no, bleeding no. Grazed knee",
        "office worker drinking water all day to stay hydrated, bit sleepy after lunch",
        "watching the London Marathon on TV, sore throat",
        "bathroom extractor fan broken, tenant has a headache, known migraines",
        "blue slushie, lips slightly blue, running about fine",
        "Male 50s, conscious no breathing problems, small cut to hand",
        "lips a bit blue from the blue slush, breathing fast from running around",
        "found asleep on the floor of the tent, can't remember last night, wet through, walked "
        "off fine",
        "kid got tar on his face at the beach, no burns, how to get it off",
        "garden bbq, a few with headaches and sick, think it was the chicken",
        "door staff say a bloke is dead on his feet after a fun run, fully awake, talking",
        "arrested for shoplifting, shoved it in his back pocket, no injuries, calm",
        "suspect nicked with a knife in his chest pocket, no injuries, wants a solicitor",
        "she'd been trapped in her bathroom for an hour, lock jammed, not hurt, chatting",
        "she found her dead cat in the road, very upset, not hurt",
        "chest pain: no he's just sore from the fall onto his knee, walking about",
        "Breathing: no she's fine, chatting to officers",
        "Responsive - no he is just ignoring us, arms folded, swearing",
        "Conscious: nah he's sound asleep in bed, woke up and told us to go away",
        "Breathing: no they're not smoking in the cell, the smoke alarm was the toaster",
        "CT: any headache or swelling in her face C: no CT: is she fainting or short of breath "
        "C: no, shes just fed up",
    ],
)
def test_events_and_workplace_look_alikes_raise_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()

