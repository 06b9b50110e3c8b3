"""Assaults and violence told obliquely (forty-third session, 2026-12-07).

A blind writer (a helper who had read only the spec) wrote 300 probes in the words of officers,
door staff, victims and bystanders: the violence and the police matter first, the clinical
danger later, in passing and in lay words. Read once on the product: 199 of 200 emergencies
were sent an ambulance, but the rules flagged only 143; the rest rested on the model (the lowest
a knife cut to the belly at a cashpoint robbery, told as "they nicked me", at p_deploy 0.024).
The sealed suites' only critical misses are three assaults the model scored under 0.03 with no
flag, so the rules now read these shapes (docs/CLINICAL_SAFETY.md, H2 control 36). Each case
below failed on the session's starting rules; the look-alikes guard the narrowing. Every
narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import flags


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # a blow to the head, told as the assault, then what followed
        ("head_injury", "Girlfriend: the bouncer slapped him round the head, didnt think anything "
                        "of it, its 4am now and hes been sick about six times."),
        ("head_injury", "Victim's husband: he keeps throwing up and his headache is getting worse "
                        "ever since the lad punched him in the temple."),
        ("head_injury", "They hit dad with a cricket bat across the back of the head, he was out "
                        "for a bit, now awake and says hes OK."),
        ("head_injury", "Male assaulted with a claw hammer to the head. Talking but slow to answer "
                        "and keeps shutting his eyes."),
        ("head_injury", "Bus driver says the lad got smacked once, his head hit the edge of the "
                        "pavement, now seeing double and feels sick."),
        ("head_injury", "Brother says they booted him in the head a few times, now clear watery "
                        "stuff keeps dripping from his nose and a headache."),
        ("head_injury", "Wife says he was hit once outside the pub and fell against the kerb, now "
                        "hes not making sense."),
        ("head_injury", "Flatmate: she got punched in the queue, fell and smashed her head on the "
                        "kerb, now shes being weird, laughing then crying."),
        ("head_injury", "Door sup: one punch, his head hit the kerb edge, words slurred and keeps "
                        "toppling over to his left when he stands."),
        # a child thrown or shaken
        ("head_injury", "Grandmother: he threw the baby onto the sofa and she bounced onto the "
                        "floor, shes been sleepy ever since."),
        ("head_injury", "DA, father threw 2yo across the living room, one side of his head is "
                        "swollen and squishy."),
        # a kick to the groin
        ("testicular_torsion", "Bouncer kicked in the groin by a punter at 2300, now sweating and "
                               "vomiting."),
        ("testicular_torsion", "He kneed me in the nuts, its just normal sore, but one side is "
                               "swelling up like an orange and he cant stop throwing up."),
        # the chest, the airway, the neck
        ("major_trauma", "They hit him in the ribs with a bat, he cant get a breath in and his "
                         "lips are going a bit blue."),
        ("major_trauma", "One of them jumped on his chest. Ribs crunch when he breathes, lips "
                         "going a bit blue."),
        ("airway_threat", "Since the fight his jaws broken, bloods running down the back of his "
                          "throat and he chokes on it."),
        ("airway_threat", "Stamped on his face, spitting blood constantly, says his throat is "
                          "filling up."),
        ("strangulation", "DA. IP says partner knelt on her neck during argument, voice sounds "
                          "rough."),
        ("strangulation", "Report of male choking female in car park, female was out on the "
                          "ground approx 30s per wits."),
        # knives, needles, blood
        ("penetrating_injury", "Robbery at knifepoint. Vic says they nicked me, small cut L side "
                               "of tummy approx 1cm, walking and chatty."),
        ("penetrating_injury", "Door staff: punter jabbed with a key in the chest during a "
                               "scuffle, tiny puncture, a bit short of breath."),
        ("severe_bleeding", "Friend says he got glassed and blood is coming out in squirts from "
                            "under his jaw."),
        ("severe_bleeding", "Officers now see it was a blade, wound inside the top of his thigh, "
                            "blood filling his trainer."),
        ("severe_bleeding", "Felt a sharp scratch in his groin on the dancefloor, small cut at the "
                            "top of his leg, jeans soaked dark, now dizzy."),
        # burns, restraint, pregnancy
        ("corrosive_or_face_burn", "Some girl chucked something out of a jar at her, its burnt a "
                                   "hole through her top, her neck is red raw."),
        ("corrosive_or_face_burn", "He threw his cup of tea at her face, just boiled, shes got "
                                   "blisters on her cheek and neck."),
        ("after_restraint", "Security guard: we sat on him till the police came, hes stopped "
                            "fighting now, hes gone a funny colour."),
        ("not_breathing", "Custody: DP in spit hood, held on floor of cell 7. Now not resisting "
                          "and making gasping noises."),
        ("pregnancy_danger", "Shes pregnant, 32 weeks, he kicked her in the stomach, now pains "
                             "that come and go and are getting stronger."),
        ("unconscious", "Her boyfriend pushed her down the concrete stairwell, shes lying at the "
                        "bottom and isnt really answering."),
    ],
)
def test_an_assault_told_obliquely_raises_its_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        # the ratchet's look-alikes that the first tables read (narrowed before landing)
        "Long one sorry - RP rang 101 to report his former partner attacked him in November 2023, "
        "he says she hit him over the head with a frying pan and he was knocked out, he went to "
        "hospital at the time and had a scan which was fine. He has been fine since.",
        "fell in the river yesterday, dried off, today not answering when I call his phone, "
        "probably sulking",
        "partner grabbed her by the throat earlier, no LOC, no voice change, sitting on the floor "
        "giving a statement",
        # the writer's minor assaults
        "Punched on the nose outside the club, nosebleed stopped, fully alert and walking, wants "
        "to give a statement.",
        "Slapped round the face by his girlfriend, red cheek, no other injuries, angry not hurt.",
    ],
)
def test_minor_assaults_and_histories_raise_nothing(narrative: str) -> None:
    assert flags(narrative) == set()
