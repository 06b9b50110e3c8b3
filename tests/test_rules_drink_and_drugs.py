"""Alcohol, drugs and the night-time economy; CAD's lists under one "not" and its "?" (forty-sixth
session).

A blind writer (a helper who had read only the spec) wrote 300 probes in the words of police
operators, door staff, friends, street pastors and custody: people who are drunk or have taken
something and are unresponsive, breathing badly, fitting, bleeding or hurt, and their harmless
look-alikes ("dead drunk", "legless", "out of it"). Read once on the forty-fifth session's rules:
191 of 200 emergencies flagged, 200 deployed by the product (docs/CLINICAL_SAFETY.md, H2
control 39). Each emergency below raised no flag on those rules; so did the gaps the forty-fifth
session left ("male not moving/breathing", "not breathing/no pulse", "male ?dead"). The
look-alikes are the project's own (tests/fixtures/harmless_probes.jsonl) and a review's (a
helper who ran its probes before and after). Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import flags

from triage.text.normalise import normalise


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # the blind writer's emergencies that raised no flag
        ("significant_overdose", "Naloxone given by outreach worker, male woke briefly and is now "
                                 "going off again, pupils pinpoint"),
        ("not_breathing", "IP resp 4-5 breaths/min, cold/blue, ?GHB"),
        ("seizure", "friend relays: 'hes doing the shaking thing again and he hasnt stopped this "
                    "time', took mdma and been drinking"),
        ("penetrating_injury", "S/W to chest, M 19, nightclub queue"),
        ("unconscious", "Ambulance request for F 22 in custody, brought in intoxicated at 0015. At "
                        "the 0200 rousal she was snoring loudly and could not be woken by voice or "
                        "shaking"),
        ("swallowed_drugs", "known courier ?packed, vomited, now c/o severe abdominal pain, "
                                 "pale, clammy"),
        ("unconscious", "Female at the student union ball, her mates thought she was just asleep "
                        "but she hasnt woken up for 40 mins and doesnt respond when they pinch "
                        "her"),
        ("significant_overdose", "RP daughter 15 took her mums tramadol 'to sleep forever', now "
                                 "drowsy and being sick"),
        # the forty-fifth session's gaps: a slash list under one "not", a "?" before a death
        ("not_breathing", "male found in doorway not moving/breathing"),
        ("not_breathing", "female not conscious/breathing, mates say GHB"),
        ("not_breathing", "IP not breathing/no pulse, door staff doing cpr"),
        ("death_not_certain", "male ?dead in alley behind the Feathers"),
        ("death_not_certain", "male in doorway, ?dead, cold to touch"),
    ],
)
def test_a_drink_or_drugs_emergency_raises_its_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # one narrative for each phrase and clause of the change, so that deleting any of them
        # fails a test; many are the review's emergencies (a helper's 260, run before and after)
        ("not_breathing", "male on the floor of the club toilets not moving/breathing"),
        ("not_breathing", "female nil moving/breathing, mates did cpr"),
        ("death_not_certain", "qry dead female in lift at the car park"),
        ("death_not_certain", "male found in the back lane, the lads say ?dead"),
        ("death_not_certain", "?dead, F, bus shelter, lying on bench"),
        ("death_not_certain", "male ?decd on kitchen floor"),
        ("death_not_certain", "male slumped in car ?dead"),
        ("unconscious", "was unable to be woken by carers"),
        ("unconscious", "not able to be roused after taking gbl"),
        ("unconscious", "wont be woken, pinpoint pupils"),
        ("unconscious", "couldn't be awoken this morning, diabetic"),
        ("unconscious", "didnt wake when shaken, took heroin"),
        ("unconscious", "did not respond when they shook her, foam at mouth"),
        ("unconscious", "does not respond to pinching, friend found him on floor"),
        ("unconscious", "no reaction when I rubbed his chest hard, lying on floor"),
        ("not_breathing", "resps 6, heroin user, lips blue"),
        ("not_breathing", "respiratory 6 per min per officer counting"),
        ("not_breathing", "respiratory 5 breaths, pinned pupils"),
        ("falling_consciousness", "gone off again, had a load of xanax"),
        ("falling_consciousness", "he keeps on going off, overdose of his tablets"),
        ("significant_overdose", "took tablets to sleep and never wake up, her mums tramadol"),
        ("significant_overdose", "took her mums oramorph so she could never wake up"),
        ("significant_overdose", "took her sisters codeine to sleep permanently"),
        ("significant_overdose", "took his wifes diazepam box, drowsy"),
        ("significant_overdose", "took his husband's tablets and his morphine, drowsy"),
        ("penetrating_injury", "S/W x2 to chest, doorway of the Crown"),
        ("penetrating_injury", "s/w to lower back outside the kebab shop"),
        ("penetrating_injury", "multiple s/w to back, lots of blood"),
        ("penetrating_injury", "S/W x3 back, conscious"),
        ("swallowed_drugs", "male ?packed at arrivals, now vomiting and clammy"),
        ("swallowed_drugs", "?packer with abdo pain at airport, sweating"),
        ("significant_overdose", "naloxone given by the officer in the park toilets"),
        ("significant_overdose", "narcan x2 given by officers, breathing better"),
        ("significant_overdose", "naloxone nasal spray given by hostel staff"),
        ("significant_overdose", "naloxone used on male in the toilets"),
        ("significant_overdose", "gave him a shot of naloxone, he came round"),
        ("significant_overdose", "used her naloxone kit on him, breathing now"),
        ("significant_overdose", "needed two doses of naloxone last night at the squat"),
        ("significant_overdose", "had 2 doses of narcan, now chatty"),
        ("significant_overdose", "naloxone admin by officers"),
        ("significant_overdose", "we narcanned him twice"),
        ("significant_overdose", "naloxone kit used on male, now breathing"),
        ("seizure", "his shaking thing will not stop"),
        ("seizure", "the shaking thing has not stopped"),
        ("seizure", "hes doing the shaking thing and he hasnt stopped this time"),
        ("significant_overdose", "took her tramadol to sleep forever"),
        ("significant_overdose", "took his codeine to sleep for ever"),
        ("swallowed_drugs", "?stuffing in custody, now sweating and vomiting"),
        # the second review's (a helper's 188 emergencies and 175 look-alikes)
        ("significant_overdose", "naloxone has been given by the outreach team, now sitting up"),
        ("significant_overdose", "had naloxone from his mate in the car park"),
        ("significant_overdose", "narcan'd by friend in the car park"),
        ("significant_overdose", "we used our naloxone on him, he is groaning"),
        ("significant_overdose", "woke with naloxone but keeps nodding"),
        ("significant_overdose", "came round with narcan, wants to leave"),
        ("significant_overdose", "drank his girlfriend's methadone, cant stay awake"),
        ("significant_overdose", "took his partners buprenorphine, confused"),
        ("significant_overdose", "took his grandads morphine, confused"),
        ("significant_overdose", "drank his flatmates methadone and is snoring"),
        ("seizure", "doing the shaking thing and it won't stop"),
        ("seizure", "doing the shaky thing and it hasnt stopped"),
        ("not_breathing", "resps approx 5, took methadone"),
        ("not_breathing", "6 resps a minute per the nurse"),
        ("penetrating_injury", "stab wnds x3 to his back"),
        ("penetrating_injury", "S/W to L axilla, pale and sweaty"),
        ("falling_consciousness", "went off again after waking, had methadone"),
        ("death_not_certain", "son ?dead in bedroom, empty pill packets"),
        ("death_not_certain", "?? dead male on the railway embankment"),
        ("not_breathing", "not moving/ breathing on the kitchen floor"),
        ("not_breathing", "male not moving/breathing but still warm, wife screaming"),
        ("not_breathing", "not moving/breathing very pale, found in the stairwell"),
        ("not_breathing", "not moving/breathing more than a minute now"),
        ("not_breathing", "not moving/breathing too long, friend panicking"),
        ("not_breathing", "not moving/breathing well over 5 mins now"),
        ("unconscious", "male unresp/no obvious injuries, lying in the road"),
        # "decd" now reads as deceased, so a second occupant cut short must read as another
        # person (the project's probe lost its flag to the death's verification on a draft)
        ("unconscious", "male decd, rigor positive. 2nd occ unconscious"),
    ],
)
def test_each_reading_of_the_change_raises_its_flag_on_its_own(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        # the review's look-alikes (a helper's 202), each flagged by a draft of these tables
        "not moving/breathing heavily, sat on the kerb chatting",
        "not moving/breathing steady, sat up talking",
        "not moving/breathing ok, sore ankle",
        "asked conscious yes/no breathing yes/no - caller answered yes to both, male sat up "
        "talking",
        "vehicle ?dead on hard shoulder, occupants safe",
        "cat ?dead in road, caller upset",
        "traffic lights ?dead at junction",
        "body cam ?dead, officer to swap",
        "his phone is ?dead so he cannot call back",
        "male says his phone is ?dead, cannot ring his wife, no injuries",
        "the battery is query dead, car wont start, driver fine",
        "location: ?dead end off Mill Lane, male asking directions",
        "2nd male ?role in the assault, officers to establish",
        "plant ?dead, neighbour dispute over hedge",
        "fridge ?dead, food spoiling, elderly tenant wants help",
        "naloxone was given yesterday in hospital, discharged, now asking for his property back",
        "narcan sprays given to the hostel staff",
        "could not be woken for his train, missed it, now angry at staff",
        "couldnt be woken by the doorbell, parcel left with neighbour",
        "toddler could not be woken from her nap, now up and playing",
        "the smoke detector keeps going off again, on methadone, fine",
        "she has gone off again without telling anyone, missing from care home, on morphine",
        "his temper keeps going off, he took his methadone and is shouting",
        "I cant stay awake at work, tired, wants advice",
        "not moving/breathing into a paper bag, panic attack settling",
        "not moving/breathing at 18 a minute, talking",
        "male previously reported ?dead is safe and well at his mums",
        "naloxone used on a dummy in the first aid training",
        "naloxone given in 2021 overdose, now clean and well",
        "naloxone given 3 weeks ago, now asking about rehab",
        "pharmacist gave him naloxone to carry",
        "naloxone given back to the pharmacy unused",
        "S/W x2 to back door to speak to mum",
        "multiple S/Ws to head to the address tomorrow",
        "not moving/breathing 20 a minute, talking to officers",
        "not moving/breathing yes, sat on the bench",
        "parcel ?packed wrong, delivery driver c/o back pain",
        "S/W in the chest clinic with mum",
        "S/W to back up officers at the visit",
        "S/W in the side room with the children",
        "S/W to head to address after 5pm",
        "S/W in the back garden with the kids",
        "resp 4 hours ago, now fine",
        "Grade 1 resp, 2 units, female cut finger",
        "resp 3 mins away, male sat up talking",
        "naloxone given out to residents at the hostel",
        "narcan given to each resident as part of the scheme",
        "given naloxone to take home by the drug service",
        "gave naloxone to the family to keep, no overdose",
        "naloxone used in the training session as a demo",
        "had naloxone on him but didnt need it, just drunk and chatting",
        "naloxone given last week, today calling about housing",
        "naloxone given in 2022, today wants his methadone script",
        "naloxone given for overdose in 2022, today complaining of withdrawal, fully alert",
        "given a naloxone kit on release, well",
        "could not be woken by the fire alarm, deep sleeper, now awake",
        "couldnt be woken for breakfast, now awake and chatting",
        "could not be woken in time for court, he is up now",
        "did not respond when the PCSO shook his hand, refused to speak, walking off",
        "his tag keeps going off again, he is on a methadone script",
        "her morphine pump alarm keeps going off again, hospice nurse on way",
        "his firm is going under again, took an overdose last year",
        "nan going under again for her hip op Friday, on morphine now",
        "the song says sleep forever, she is fine, just drunk and singing",
    ],
)
def test_a_look_alike_of_this_change_raises_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("male not moving/breathing", "male not moving / not breathing"),
        ("not breathing/no pulse", "not breathing / no pulse"),
        ("not moving/breathing heavily", "not moving / breathing heavily"),
        ("breathing yes/no", "breathing yes/no"),
        ("eyes/no reaction to light", "eyes / no reaction to light"),
        ("male ?dead in alley", "male query dead in alley"),
        ("in doorway ? deceased", "in doorway query deceased"),
        ("courier ?packed", "courier query packed"),
        ("is he ok? dead drunk", "is he ok? dead drunk"),
        ("unresp/no pulse", "unresponsive / no pulse"),
        ("male -?dead- in doorway", "male -query dead- in doorway"),
        ("not moving /breathing", "not moving /not breathing"),
        ("could not be woken", "cannot be woken"),
    ],
)
def test_cad_lists_and_query_marks_are_written_in_one_pass(text: str, written: str) -> None:
    assert normalise(text) == written
    assert normalise(written) == written
