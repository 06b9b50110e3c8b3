"""Emergencies told without their trigger words (fortieth session, 2026-12-07).

A blind writer (a helper who had read only the spec) wrote 300 probes: 200 time-critical
presentations told without the word a keyword list waits for (a lopsided smile, a loop of cord,
a band round the chest, "groaning to sternal rub", a body bounced off a windscreen) and 100
look-alikes. Read once on the product: all 200 emergencies were sent an ambulance, but 52 only
by the model, at deploy probabilities from 0.15 (a window cleaner's fall from a second-floor
ladder) to 0.97; 5 look-alikes raised a flag. Now 195 of the 200 raise their flag, and one
look-alike ("stabbed in the back by his mates who grassed him up", left on the safe side).
These rows are the misses reworded, the look-alikes the tuning itself met, and what two reviews
of the change (helpers' 521 and 283 probes) found, including what the first review's narrowing
had lost.
docs/CLINICAL_SAFETY.md, H2 control 33. Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rules_support import flags, flags_without_guard, reading

from triage.rules.tables import tables, target_words


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("stroke", "Husband says her smile is all lopsided and she dropped her tea, 20 mins ago."),
        ("stroke", "Woke up with his arm not working properly, wife says he looks odd."),
        ("stroke", "Gran's speech has gone thick since lunch, she's 81."),
        ("after_restraint", "Detainee held on the ground by 4 officers, stopped struggling, "
                            "now not answering."),
        ("seizure", "Lad on the landing floor twitching, eyes rolled back, going on 7 minutes "
                    "now."),
        ("seizure", "Had a shaking episode, came round, went again, not woken properly between "
                    "them."),
        ("labour_complications", "Waters broke, she says there's a loop of cord hanging out."),
        ("not_breathing", "Newborn, just born on the bathroom floor, has not cried yet, floppy."),
        ("not_breathing", "Girl 7 asthmatic, sucking in under the ribs, lips a bit blue."),
        ("severe_bleeding", "Woman delivered 40 minutes ago, blood keeps coming and she's gone "
                            "very pale."),
        ("severe_bleeding", "Cut his forearm on a window, bath towel soaked through and still "
                            "dripping."),
        ("pregnancy_danger", "Mum 3 weeks post baby, big gush of blood, heart rate 128, feels "
                             "faint."),
        ("strangulation", "Says her ex choked her out last night, voice rough today."),
        ("thunderclap_headache", "Sudden head pain while lifting at the gym, light hurting his "
                                 "eyes, worst ever."),
        ("falling_consciousness", "Cell 4: only to a shake at 02:00, groaning to sternal rub at "
                                  "02:30."),
        ("falling_consciousness", "Answers to his name, then drifting straight off again, not "
                                  "making sense."),
        ("major_trauma", "Girl 9 clipped by a van, bounced off the windscreen, now crying."),
        ("major_trauma", "Roofer came off his ladder, it was up at the second floor windows."),
        ("hypothermia", "Pulled out of a snowy field at dawn, freezing, slurred and clumsy."),
        ("hypothermia", "Man in the bus shelter, minus 4 overnight, not making sense, not even "
                        "shivering now."),
        ("cardiac_chest_pain", "'Just trapped wind, I keep burping' he says, 66, grey, sick once."),
        ("cardiac_chest_pain", "Detainee says his jaw and both arms ache, looks grey, says it's "
                               "nerves."),
        ("cardiac_chest_pain", "Feels like a band round me, clammy, pulse 108."),
        ("cardiac_chest_pain", "Old fella says his chest's all tight like a vice, sweating."),
        ("cardiac_chest_pain", "Thought it was a pulled muscle, now going into his left arm and "
                               "he's clammy."),
        ("cardiac_chest_pain", "Known angina, the ache goes up into his neck, spray has not "
                               "helped after two goes, clammy."),
        ("dangerous_heart_rate", "Says his heart is racing and skipping, went white and slid down "
                                 "the wall."),
        ("dangerous_heart_rate", "Boy 16 dropped during football, came round after a minute, no "
                                 "knock to the head."),
        ("significant_overdose", "Took a few of his nan's sleeping tablets with a bottle of "
                                 "vodka, drifting off now."),
        ("significant_overdose", "Swallowed some of her dad's pills, the dad's tablets are for "
                                 "his heart."),
        ("significant_overdose", "Lad had some of his gran's methadone, pupils like pinpricks."),
        ("swallowed_drugs", "Swallowed two bags to hide them from the police, now vomiting."),
        ("significant_overdose", "Admits stuffing packages up himself, now sweaty, pulse 150."),
        ("penetrating_injury", "Pricked in the neck by a broken bottle, voice going croaky."),
        ("sepsis_meningitis", "Catheter, shivering, skin blotchy, making no sense at all."),
        ("sepsis_meningitis", "Red line going up his arm from a cut on his hand, temp 39.4."),
        ("pregnancy_danger", "Girl 22 says she's late, sore tummy, fainted in the toilets."),
        ("pregnancy_danger", "Thinks she's pregnant, pain one side of her belly, pale and "
                             "dizzy."),
        ("testicular_torsion", "Boy 14, tummy ache, eventually admits it's his privates, one "
                               "side sitting higher."),
        ("missed_dialysis", "Goes for dialysis, missed it because of his arrest, feels weak."),
        ("abdominal_pain_with_collapse", "Belly ache, officer says the tummy feels like it's "
                                         "pulsing, pale, keeps fainting."),
        ("airway_threat", "Boy 5 sitting forward and drooling, burning up, won't lie down."),
        # the review's variants (a helper's 364 emergencies, read before and after)
        ("not_breathing", "She just gave birth, the baby hasn't cried or breathed."),
        ("not_breathing", "Baby delivered at home 5 minutes ago and is not crying or breathing."),
        ("not_breathing", "Recessions under the ribs, lips going blue, baby struggling."),
        ("cardiac_chest_pain", "Like someone tying a rope round my chest, sweaty."),
        ("cardiac_chest_pain", "Constantly burping and grey and clammy, 60."),
        ("cardiac_chest_pain", "Heart condition, two puffs of her spray have not worked."),
        ("cardiac_chest_pain", "His chest felt heavy lifting weights, then he went grey and "
                               "sweaty."),
        ("cardiac_chest_pain", "Pain into both arms and his jaw, grey and sweating."),
        ("stroke", "Mum's smile droops on one side since this morning."),
        ("stroke", "Dad woke up and his leg will not work on one side."),
        ("penetrating_injury", "Her neck was slashed with a bottle, voice croaky."),
        ("testicular_torsion", "Lad 13, one of his balls is higher than the other, sudden pain."),
        ("major_trauma", "Boy struck by a car, his head smashed the windscreen."),
        ("significant_overdose", "Took some of his methadone, drifting off and snoring."),
        ("sepsis_meningitis", "A red line is creeping up her leg, she is burning up and confused."),
    ],
)
def test_emergencies_told_without_their_trigger_words_raise_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        # the blind set's look-alikes the tuning kept unflagged
        "Headache built up over the afternoon, like a band round her head, paracetamol easing.",
        "Fingers went white and numb after sleeping out, now warm and pink, moving them fine.",
        "Sweating after the match, trapped wind, he jokes, otherwise fine.",
        "Heart racing after a row, asked if she fainted: no, just felt wobbly and sat down.",
        "Teen fainted at her ear piercing, came round straight away, heart racing, fine now.",
        "Speech slow and slurred since his stroke in 2019, normal for him, noise complaint.",
        "On lots of tablets for his heart, took them all as normal this morning.",
        "Smoked spice 4 hours ago, was sleepy at arrest, now alert, eating his meal.",
        "Child 6 vomited a large amount of dark red sick after a bottle of blackcurrant squash.",
        "Pain in her right side low down from coughing with covid, fainted yesterday, fine now.",
        "Suspect dropped to the floor of the tent and hid, tummy ache from the cider.",
        "Baby hasn't cried all morning, fast asleep in the pram, 5 months old, feeding well.",
        "Dropped his phone while running for the bus, cut his thumb picking it up.",
        "Tea towel soaked through from the spilt kettle, nobody burnt.",
        # the review's look-alikes of the first version
        "Man reports his wallet got dropped while running for the bus, a stranger handed it in.",
        "Playing football in the park, the ball dropped mid air onto a parked car, owner upset.",
        "Suspect went white and fell silent when officers mentioned the warrant, calm and well.",
        "Stole three bags of ground coffee from the shop, detained, no injuries.",
        "His grip was tight like a vice on the wheel during his driving test, nervous, well.",
        "The tattoo is going into his left arm next week, he is sweaty from the gym, well.",
        "She's on the pill and was puffed after her 5k run, feels fine, reporting a flasher.",
        "Report of a doll in the pond, officers confirm it is a doll, nobody in the water.",
    ],
)
def test_look_alikes_of_the_new_wordings_raise_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("narrative", "guard"),
    [
        ("Supervisor nearly had a stroke seeing the overtime claim, she's only testing the line.",
         "nearly|almost had a stroke|coronary"),
        ("Her husband went through the roof when he saw the phone bill, everyone fine.",
         "through the roof when [he|she|they] saw|heard|read|opened"),
        ("Chest sore after a heavy bench press yesterday, tender when pressed, worse when he "
         "twists, otherwise well.",
         "heavy bench|weights|weight|lifting|lift|press|squat|squats|deadlift|deadlifts|session|"
         "workout"),
        # the review's
        ("The smoke from the bonfire choked me out of my own garden, I am fine, coughing a bit.",
         "choked [me|him|her|them|us] out of"),
        ("She's late for her shift, sore tummy from skipping breakfast, felt faint on the bus, "
         "fine now.", "late for|home|back|getting|in|to"),
        ("Heart condition, his nasal spray has not helped his blocked nose.",
         "nasal|throat|fly|hay|hair|pepper|pava|tan|fake|body|deodorant|wasp|weed|ant|oven|room|"
         "insect|air|paint spray"),
        ("The tumble dryer had another shaking episode, going on 10 minutes now, landlord "
         "dispute.",
         "dryer|machine|washer|boiler|engine|fridge|car|van [has|had|having] [had] [a|another] "
         "shaking episode|episodes|fit|fits"),
        ("Lost dog, she only responds to a shake of the treat tin, last seen in the park.",
         "shake of [the|a|his|her|their] [*] hand|hands|head|tin|box|bottle|bag|branch|tree|keys"),
        ("He has been moaning to pain clinic staff about his wait, making threats, he is well.",
         "pain clinic|management|relief|team|service|nurse|specialist|consultant"),
        # the second review's
        ("The sat nav is making no sense and he is drowsy from driving all night, pulled into a "
         "lay-by, safe.",
         "bill|letter|form|council|bank|it|this|that|app|nav|satnav|map|sign|signs|instructions|"
         "system [is|are|was] making no sense"),
        ("His words were coming out thick and fast, he was so excited about the win, all fine.",
         "thick and fast"),
    ],
)
def test_each_new_guard_is_what_keeps_its_look_alike_unflagged(
    narrative: str, guard: str, red_flag_tables: Path
) -> None:
    """Unflagged with the tables as they are, and flagged with this one guard taken out."""
    assert flags(narrative) == set()
    assert flags_without_guard(narrative, guard, red_flag_tables)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # the first version read "it was a doll" anywhere as no body, and "through the roof when
        # he got" as anger: each hid an emergency (the review's losses)
        ("death_not_certain", "Caller thought it was a doll in the pond but it's a toddler, she "
                              "thinks he is dead, not sure, still warm."),
        ("death_not_certain", "The security guard thought it was a shop mannequin but it was a "
                              "real person, he thinks she is dead but she is still warm."),
        ("major_trauma", "He went through the roof when he got onto the shed."),
        # the first review's narrowing lost these; a second review found them (restored)
        ("dangerous_heart_rate", "Our striker dropped during the match, no contact, now awake "
                                 "but pale."),
        ("dangerous_heart_rate", "My husband dropped while jogging and is grey and sweaty."),
        ("seizure", "Keeps having turns and has not woken properly in between them."),
        ("pregnancy_danger", "She says she is late with sharp tummy pain and went grey."),
        ("hypothermia", "It was minus 8, he was lying in the garden, mumbling and confused."),
        ("sepsis_meningitis", "Making no sense and burning up, temperature 39.5."),
        ("cardiac_chest_pain", "Dad is holding the baby, keeps burping, gone grey and sweaty."),
        ("injury_with_shock", "He went white and fell to the floor, stab wound to the belly."),
        ("pulmonary_embolism_signs", "She's really puffed and her calf is swollen after the long "
                                     "flight."),
    ],
)
def test_what_the_first_version_hid_keeps_its_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


def test_a_reported_body_found_to_be_a_thing_is_no_death_to_doubt() -> None:
    """``not_a_body`` cancels ``death_not_certain`` only: a person beside the mannequin keeps
    every flag of their own."""
    assert reading("Report of a body in the canal, officers confirm it's a shop mannequin.") \
        == (set(), None)
    assert "death_not_certain" in flags("Report of a body in the canal, officers on the way.")
    assert "not_breathing" in flags(
        "Body in the canal is a shop mannequin, but a man pulled out beside it is not breathing.")


@pytest.mark.parametrize(
    ("slip", "word"),
    [("chied", "child"), ("crild", "child")],
)
def test_the_new_newborn_and_neck_words_draw_no_slip(slip: str, word: str) -> None:
    """"cried" (a newborn not crying), "nicked" (a neck cut) and "burping" (a heart attack taken
    for wind) are read where they stand but are never correction targets: as targets "cried"
    took slips of "child", "nicked" took "nickrd" (a police arrest) and "burping" a misspelt
    "burning"."""
    from triage.text.spelling import correct_word

    assert correct_word(slip) == word
    assert not {"cried", "nicked", "burping"} & target_words(tables())
    assert correct_word("burpnig") != "burping"
