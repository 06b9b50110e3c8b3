"""Emergencies told by people who play them down, deny them or correct themselves (thirty-seventh
session, 2026-12-06).

A blind writer (a helper who had read only the spec) wrote 250 probes: 150 emergencies hidden in
hedging ("says she's fine honestly, but ..."), denial, sarcasm and corrections, and 100 minor
requests told with the same constructions. Read once on the product, every emergency was
deployed; the rules flagged 142 of 150. The rows here come from the eight the rules missed, and
from the look-alikes a read-through and the ratchet held against the first wording of the fix.
A second blind writer wrote 250 requests whose keyed facts and narrative disagree (fields keyed
at the first call, the narrative updated since); the last rows come from its three emergencies
the rules missed. docs/CLINICAL_SAFETY.md, H2 control 30. Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import flags

from triage.rules.engine import read_request
from triage.schema import TriageRequest
from triage.text.negation import preprocess
from triage.text.normalise import normalise


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # "no change" had denied everything up to five words after it
        ("asthma_not_relieved", "Asthmatic female 30s says shes fine honestly, but has had about "
                                "10 puffs of the blue inhaler with no change and can only get two "
                                "words out at a time."),
        ("stroke", "Lady in her 80s says shes fine and doesnt want a fuss. Carer found her with "
                   "her left side weak and she cant swallow her tea, started about an hour ago."),
        ("labour_complications", "Woman says its only her waters going, no rush. 36 weeks, and "
                                 "she can see the cord hanging down."),
        ("major_trauma", "Man pinned between a van and a wall. Caller says hes talking so hes ok, "
                         "but hes trapped from the waist down."),
        ("hypothermia", "Rough sleeper found by street pastors at 5am, insists hes fine and "
                        "doesnt need anything, but shivering violently, cant tell us where he is "
                        "or what day it is, very cold to touch."),
        ("major_trauma", "Oh yeah hes absolutely fine, just lying in the road not moving after "
                         "the car hit him, says the caller."),
        ("death_not_certain", "Neighbour reckons shes dead, not seen for 2 days. Officers "
                              "entered, female on the floor, cold to touch but no stiffness, no "
                              "other signs, and one officer thinks he saw her chest move."),
        ("electrical_injury", "Electrician says it was only a little 415 volt zap. Burns on both "
                              "hands, now says his chest feels funny."),
        ("electrical_injury", "got an electric shock at work, pulse is all over the place"),
        ("not_breathing", "hes nae breathing"),
    ],
)
def test_an_emergency_told_down_is_still_read(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # a read-through of the first wording (a helper's 305 probes aimed at the change)
        ("dangerous_heart_rate", "Her heart's all over the place and she's gone grey"),
        ("dangerous_heart_rate", "Heartbeat erratic, fainted at the station counter"),
        ("dangerous_heart_rate", "Palps, pulse irreg 160+, feels faint"),
        ("dangerous_heart_rate", "His heart is jumping all over the place and he has chest pain"),
        ("electrical_injury", "240v shock, arm burnt, heart racing"),
        ("major_trauma", "A van hit the boy on his bike, he's 8, not moving"),
        ("major_trauma", "Car ran him over in the car park, he's under the car"),
        ("major_trauma", "Pinned between two cars in the car park, screaming"),
        ("death_not_certain", "Wife thinks he might be dead, he's not moving in bed"),
        ("death_not_certain", "Neighbour reckoned they were dead, no answer since Tuesday"),
        ("stroke", "Her left side is not working properly and her face is drooping"),
        ("stroke", "His left side's nae working and his face is aw droopy"),
        ("unconscious", "Bumped his heid, nae sleepy at first, nae sick, but noo he's nae "
                        "responding"),
        ("unconscious", "Nae response fae him at aw, lying on the floor"),
        ("hypothermia", "Divvent knaa where she is, found on the Quayside in the cold, wet "
                        "through"),
        ("labour_complications", "Her waters hae gone an the bairn's comin, she's only 33 weeks"),
        ("asthma_not_relieved", "Nil improvement with salbutamol, tiring and can't talk"),
    ],
)
def test_the_read_throughs_wordings_are_read(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "The weans fine noo, he was greetin cause he bumped his heid on the table, nae sleepy, "
        "nae sick, playin away.",
        # the narrowing's look-alikes (the ratchet held them against the first wording)
        "Pregnant F 28 wks tripped on an extension cord hanging out of a cupboard, didn't fall, "
        "no pain, no bleeding, baby moving normally",
        "trapped from the waist down in the bath (cannot get out), elderly lady, not injured, "
        "needs help to get up",
        "the 415 volt panel was isolated before he opened it, no contact, electrician is "
        "stressed as manager shouting at him",
        "Heart problems, used his inhaler spray and made no difference to his cough, wants GP",
        # the read-through's look-alikes of the first wording
        "Phone trapped between the car seat and the console, she's locked out, no injury",
        "Finger trapped between the gate and the post, small cut, moving it fine",
        "Arrest warrant executed, male pinned between a wall and an officer briefly, no "
        "injuries, no complaints",
        "Her left side is numb from the dentist's injection, wearing off, just wants to know if "
        "she can take paracetamol",
        "Known MS, her left side is weak as usual, no change, carer asks about catheter "
        "supplies",
        "Neighbour feared they are dead but they answered the door, both well, apologised",
        "a car hit his wing mirror, no injuries",
        # "dead" as an intensifier, not a death reported
        "Mum says he is dead set on going home, alert, no injuries, just drunk",
        "Staff reckon he is dead lucky to walk away, no injuries, walked from the scene",
        "Her left side is dead sore where she banged it on the table, no other injury",
        "Mum says he's dead to her, refuses to let him in, he's drunk but walking and talking",
    ],
)
def test_their_look_alikes_stay_unflagged(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    "narrative",
    [
        # the ratchet's deaths the intensifier guard must not hide
        "Breathing: nah looks dead to me",
        "my brother is dead against the radiator",
        "husband is dead sure of it",
    ],
)
def test_dead_beside_words_that_are_not_intensifiers_is_still_a_death(narrative: str) -> None:
    assert "death_not_certain" in flags(narrative)


def test_a_treatment_that_made_no_change_negates_only_itself() -> None:
    words = preprocess(
        "had 10 puffs of the inhaler with no change and can only get two words out"
    ).split()
    assert "neg_change" in words
    assert "get" in words and "neg_get" not in words
    # a denial that is not a treatment's failure still negates what follows it
    assert "neg_chest" in preprocess("no chest pain, sore ankle").split()


@pytest.mark.parametrize(
    "finding",
    ["no change", "no difference", "no improvement", "no better", "no relief", "no effect",
     "nil improvement", "nil change", "nil effect", "nil relief"],
)
def test_each_failed_treatment_finding_negates_only_its_own_word(finding: str) -> None:
    words = preprocess(f"used the inhaler, {finding} and can only get two words out").split()
    assert "neg_" + finding.split()[1] in words
    assert "get" in words and "neg_get" not in words


def test_scots_nae_reads_as_not_or_no() -> None:
    assert normalise("nae sleepy, nae sick") == "not sleepy, not sick"
    # before a pulse or a response it is "no", so the finding reads
    assert normalise("nae pulse, nae response") == "no pulse, no response"
    assert normalise("nae reply, nae answer, nae sign, nae signs") == (
        "no reply, no answer, no sign, no signs"
    )
    assert normalise("her waters hae gone, divvent knaa") == "her waters have gone, do not know"


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # a second blind writer's requests whose keyed facts and narrative disagree (read once
        # on the product: every emergency deployed; these three by the model alone)
        ("anaphylaxis", "Female given antibiotics by GP this morning, now body covered in raised "
                        "rash, face swollen, dizzy and feels like she'll pass out."),
        ("after_restraint", "Custody nurse: DP restrained on the floor for 10 mins in the charge "
                            "room, now very hot, sweating, shouting nonsense, still fighting, "
                            "temp 39.6."),
        ("self_harm_danger", "MH crisis call, keyed as verbal threats only. Caller now says her "
                             "partner is in the garage with the car running and hosepipe in "
                             "window, he's not answering."),
    ],
)
def test_an_emergency_the_keyed_facts_understate_is_read(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "restrained after a chase, hot and sweaty, calm now, no injuries",
        "restrained earlier, has a cold and a temperature, sweaty, wants paracetamol",
        "checked the bath thermometer shows 38, restrained earlier, sweaty",
        "GP gave her antibiotics for a chest infection yesterday, face a bit puffy from crying, "
        "feels fine",
    ],
)
def test_their_look_alikes_are_not_flagged(narrative: str) -> None:
    assert flags(narrative) == set()


def test_a_death_by_exhaust_fumes_beyond_doubt_is_still_verified() -> None:
    """The exhaust raises self-harm, which a death by self-harm raises too, not carbon
    monoxide, which no dead body raises ([signs_of_life] flags): a body with rigor and a hose
    from the exhaust is still handed to the desk to verify."""
    reading = read_request(TriageRequest(
        narrative="male found deceased in car, rigor mortis, hose from exhaust",
        incident_type="sudden_death",
    ))
    assert reading.red_flags == ()
    assert reading.verify_death is not None


@pytest.mark.parametrize(
    "narrative",
    [
        # an injury the people on scene call serious or massive is major trauma, with or
        # without a mechanism (a read-through's "HGV hit him as he crossed, massive head injury",
        # deployed by the model alone)
        "HGV hit him as he crossed, massive head injury",
        "male with a serious head injury after a fall down the stairs",
        "life threatening injuries after the crash",
    ],
)
def test_an_injury_named_severe_is_major_trauma(narrative: str) -> None:
    assert "major_trauma" in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "no serious injuries, walking wounded",
        "minor injuries only, nothing serious",
        "DP arrested for causing serious injury by dangerous driving, in cell, wants his inhaler, "
        "no wheeze",
    ],
)
def test_a_denied_severity_or_an_offence_is_not(narrative: str) -> None:
    assert "major_trauma" not in flags(narrative)
