"""Emergencies told in wordings chosen to be unanticipated (thirty-ninth session, 2026-12-07).

A blind writer (a helper who had read only the spec) wrote 300 probes: 200 emergencies told in
the patient's own quoted words, as an officer's question, in understatement, similes and
idioms, as what bystanders are doing, as numbers only, in phone typing and voice-to-text,
beyond the spec's list, or buried in a long report; and 100 look-alikes. Read once on the
product: all 200 emergencies were sent an ambulance, but 39 only by the model, one of them at a
deploy probability of 0.19 (a vice-like chest pain "going up into my teeth"). Each now raises
its flag. docs/CLINICAL_SAFETY.md, H2 control 32. Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import flags

from triage.text.normalise import normalise


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("cardiac_chest_pain", "Lady 60s at the front counter reporting her purse stolen. She "
                               "said 'my chest is like somebody's got it in a vice and it's going "
                               "up into my teeth'."),
        ("unconscious", "Female 20s at the taxi rank, friends say she's sleeping like the dead, "
                        "we can't get a flicker out of her, pinched her ear and nothing."),
        ("major_trauma", "Is it alright to leave him with his wife? Fell off his ladder from "
                         "about upstairs window height, keeps asking what happened."),
        ("major_trauma", "man fell of scaffold 3 floors hes not movin"),
        # the review's emergencies read by the second pass
        ("unconscious", "Cannot get a flicker from him, he is slumped on the toilet floor."),
        ("unconscious", "Not a flicker from him when we pinched his ear, he is lying on the path."),
        ("unconscious", "We pinched her ear, no reaction at all, she is on the floor."),
        ("unconscious", "Pinched his earlobe and got nothing back, lying on the floor, snoring."),
        ("sepsis_meningitis", "I pressed on the rash and it did not fade, he has a fever."),
        ("threatened_limb", "After the football tackle his shin is tight as anything and it is "
                            "agony when we move his toes."),
        ("threatened_limb", "His forearm has gone tight as anything after the crush, pins and "
                            "needles in his fingers."),
        ("threatened_limb", "Leg is tight as anything after being crushed, pins and needles in "
                            "his foot."),
        # a second blind set: standardised-patient cases retold as police requests
        ("cardiac_chest_pain", "Man 48 in custody says he's a bit tight across his chest like a "
                               "band, but he's sweating and been sick."),
        ("dangerous_heart_rate", "Man 80 fallen 3 times today, came round on the floor each "
                                 "time. Officer felt his pulse, very slow, about 32."),
        ("sepsis_meningitis", "Diabetic, graze on his shin 2 days ago, now the leg is in agony "
                              "way beyond what it looks, skin going purple and blistered."),
        ("penetrating_injury", "Got poked with something in a fight, small cut on the left side "
                               "of his chest, getting a bit breathless."),
        ("infant_fever_or_floppy", "Baby 6/52. Temp 38.2 axilla. Feeding less."),
        ("infant_fever_or_floppy", "baby 6 weaks old temp 38 5 mum worried wont feed"),
        ("not_breathing", "Mum is blowing into the baby's mouth and pressing on her chest, dad "
                          "is screaming. Baby 4 months, found in the cot."),
        ("sepsis_meningitis", "2 year old girl is hot and whingey, little purple dots on her "
                              "legs that don't go when I pressed my thumb on them."),
        ("severe_bleeding", "Put his arm through the glass door, big gash on the inside of his "
                            "upper arm, it spurts whenever he takes his hand off."),
        ("severe_bleeding", "Takeaway staff have a tea towel pressed on the side of a "
                            "customer's neck, it's soaked through and they're on the second "
                            "one. Someone ran off up the road with a knife."),
        ("seizure", "[voice to text] female on the floor at the bus stop having a caesar for "
                    "10 minutes still going"),
        ("seizure", "Female 50s on the bus, shaking like a washing machine on spin, about 10 "
                    "mins now, frothing at the mouth."),
        ("anaphylaxis", "[VTT] lad with a nut allergy having an Anna Phil axis mums using his "
                        "eppy pen he's wheezing"),
        ("stroke", "Husband says her face has slid down like a melted candle on one side."),
        ("stroke", "He keeps saying 'I just can't feel my left side properly and my mouth won't "
                   "do what I'm telling it'."),
        ("thunderclap_headache", "Guest 58 says 'I've never had a head like this in my life, "
                                 "it came on like somebody flicked a switch'. Been sick twice."),
        ("thunderclap_headache", "DP 41 says his head feels like it's going to burst, came on "
                                 "all in one go like a firework going off inside."),
        ("strangulation", "She says 'he just gave me a bit of a squeeze round the neck'. Her mum "
                          "says she went limp for a few seconds and wet herself."),
        ("strangulation", "Voice croaky like a frog and there's a red line all round his neck "
                          "like a rope mark."),
        ("not_breathing", "Female 23 took her nan's oxycodone with drink, her breathing's gone "
                          "very slow."),
        ("corrosive_or_face_burn", "Male attacked with a squeezy bottle, shouting 'my face is "
                                   "on fire, I can't open my eyes'."),
        ("airway_threat", "Female 66 in custody says 'my tongue feels massive and I can't "
                          "swallow my spit, it's getting harder to breathe'."),
        ("anaphylaxis", "Takes ramipril. Lips and tongue visibly swollen."),
        ("heat_stroke", "Male 25 dancing all afternoon in 31 degrees, stopped sweating, "
                        "gibbering, fallen over twice."),
        ("injury_with_shock", "Lad 11 came off his BMX into the handlebars, tummy really hurts, "
                              "his mate says he's gone a funny white colour."),
        ("long_lie", "Forced entry for welfare, male 35 found on the floor, thinks he's been "
                     "there 2 days, his wee is the colour of cola."),
        ("electrical_injury", "Apprentice 19 grabbed a cable, site manager says it's an 11kV "
                              "feed. Burn marks on his palm and foot."),
        ("threatened_limb", "Female 75 with AF, her left leg suddenly went cold, white and very "
                            "painful an hour ago."),
        ("threatened_limb", "Took a knock on the shin 2 hours ago, now the leg's tight as "
                            "anything and he screams when we move his toes."),
        ("self_harm_danger", "Shop staff are pressing on his wrist with a towel, he's gone grey. "
                             "Male 30s cut himself at the till saying he wanted to die."),
        ("swallowed_drugs", "Is it OK to take her to custody? She's gone very pale and clammy "
                            "since the strip search and said she'd been 'keeping something safe "
                            "inside'."),
        ("swallowed_drugs", "He said he'd swallowed what he had in his pocket when security "
                            "grabbed him. Now being sick, sweating, heart banging."),
        ("cardiac_chest_pain", "Male 72 saying 'my back's ripping, it's going right through "
                               "into my belly'. Sweaty."),
        ("sepsis_meningitis", "Known to inject, says he's burning up and can't stop shaking, "
                              "'my groin where I inject has gone black and stinks'."),
        ("pregnancy_danger", "Had her baby 10 days ago, says she's got a thumping head and can't "
                             "see properly out of one side."),
        ("pregnancy_danger", "The baby was born in the bathroom ten minutes ago, she's still "
                             "bleeding, the towel's soaked and she's shaking."),
        ("pulmonary_embolism_signs", "Just landed from Singapore, keeps stopping to catch his "
                                     "breath, says it came on suddenly 20 minutes ago."),
        ("hypoglycaemia", "diabetic havin a hippo cnt wake him properly hes sweaty n groanin"),
        ("significant_overdose", "[VTT] she says she's taken an over those of pair of sea "
                                 "tamol and her mums tablets about 40 she's very sleepy"),
    ],
)
def test_emergencies_told_in_unanticipated_words_raise_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # weeks and gestation at the end of a sentence ("6/52." had been left as written)
        ("baby 6/52. temp 38.2", "baby 6 weeks. temp 38.2"),
        ("32/40. headache", "32 weeks pregnant. headache"),
        ("6/52.5", "6/52.5"),
        ("6 weaks old", "6 weeks old"),
        ("cnt wake him", "cannot wake him"),
        ("having an anna phil axis", "having an anaphylaxis"),
        ("his eppy pen", "his epipen"),
    ],
)
def test_the_new_spellings_are_read_as_the_word(text: str, expected: str) -> None:
    assert normalise(text) == expected
    assert normalise(expected) == expected


@pytest.mark.parametrize(
    "narrative",
    [
        # look-alikes of the new wordings, written beside them
        "Lad sulking in his room, we cannot get a flicker of interest out of him, refuses school.",
        "The outside tap spurts whenever you turn it on, landlord asked us to ring a plumber.",
        "Neighbours had fireworks going off all night, she has a headache from the noise.",
        "Female 30 weeks pregnant, cannot see properly without her glasses, lost them in the "
        "bag snatch, no headache.",
        "Just landed from Spain, twisted his ankle on the aircraft steps, walking on it.",
        "Rash on her arms, I pressed my thumb on them and they went white, playing happily.",
        "Baby 6/52, mum asking about jabs, feeding well, no temperature.",
        "Male in the cell says the cuffs were tight as anything, wrists a bit red, moving his "
        "hands fine.",
        "Scaffold 4 storeys high came down in the wind onto the pavement, nobody was under it, "
        "no injuries.",
        "Cat stuck on the roof 3 storeys up, owner wants help, no person at risk.",
        "Male is an 11kV jointer for the electricity board, reporting his van broken into.",
        "Her face is on fire after the curry, eyes watering, laughing about it.",
        "cut her wrists 3 years ago, drowsy tonight after her antihistamine, no new injuries",
        # look-alikes a review of the first version found flagged (a helper's 627 probes)
        "He works as an 11kV cable jointer and has been assaulted by a neighbour, bruised cheek.",
        "Child blowing into the mouth of a balloon at a party, neighbour complaining about noise.",
        "Threw his keys down from upstairs window height to his mate, they landed on a car.",
        "Trying to fix the Christmas lights, cannot get a flicker out of them, man shouting.",
        "Pinched her ear and nothing, she's fine, just ignoring her brother while gaming.",
        "Pinched her ear and got nothing back, she was asleep on the sofa and woke up grumpy, "
        "chatting now.",
        "I pressed on the rash and it faded, he has a fever but is playing.",
        "Her calf is tight as hell after the marathon, pins and needles in her foot from the new "
        "trainers.",
        "The seatbelt was tight across his chest in the crash, small bruise, no pain now, walking "
        "about.",
        "Felt his pulse, very slow, he was asleep and woke fine, chatting now.",
        "Small cut on the left side of his chest from a razor while shaving, bleeding stopped.",
        "Got caught in the rain, soaked through and we are on the second towel drying the dog.",
        "He looks like a melted candle after sitting in the sun all day, sunburnt, wants a lift.",
        "His leg will not do what he wants since he got cramp in the pool, walking it off now.",
        "She said the words came out wrong in the email, apologising to the neighbour.",
        "Man says his back is ripping after digging the allotment all day, looks a bit pale.",
        "Her face is on fire with embarrassment after a drink was thrown at her by her ex.",
        "The lad was gibbering with cold after the charity dip but is now warm in a dry robe.",
        "Asthmatic man has gone through his inhaler this month, needs a repeat prescription.",
        "Slipped on the ice, bruised rib, it is sore when he breathes in, just landed from "
        "Tenerife last week.",
        "Pregnant 20 weeks, cannot see straight out of her car because of the fog.",
        "Pregnant woman frothing at the mouth with rage about the parking, shouting.",
        "The download came on all in one go and now he has a headache from staring at the "
        "screen.",
        "Like a firework going off, the car backfired and gave him a headache.",
        "He swallowed what he had in his mouth when the officer came over, it was a sandwich, "
        "feels sick from drinking.",
        "She is keeping something safe inside the house for her brother, officers want to "
        "search, she has a headache.",
        "Friend gave him a squeeze round the neck as a hug, he is drunk and sleepy, wants a taxi.",
        "His hand suddenly went white holding the frozen peas, Raynaud's, fine after warming.",
        "Tap spurts whenever you turn it, he cut his finger on the broken glass, bleeding a "
        "little.",
    ],
)
def test_look_alikes_of_the_new_wordings_raise_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    "narrative",
    [
        # each read as an emergency with its guard taken out of guards.toml
        "Welfare check, family say he's not responding to any of their messages. Officers found "
        "him at home, well.",
        "Reports of gunshots turned out to be fireworks, no one hurt.",
        "Kid 8 with blue lips after a blue raspberry slushie, running around, fine.",
        "Female 19 says her head feels like an elephant has sat on it, hangover, headache since "
        "she woke.",
        "Student worried he's got meningitis after his flatmate had a sore throat, cold for 2 "
        "days, no rash.",
    ],
)
def test_the_new_guards_keep_their_look_alikes_unflagged(narrative: str) -> None:
    assert flags(narrative) == set()
