"""Emergencies of children and young people, and of water, the coast and the outdoors, told by
teachers, nursery staff, coaches, lifeguards, rangers, parents and officers; and CAD keys
answered into a run-on sentence, deaths found with words between, and rashes that blanch only in
part (twenty-eighth session, 2026-12-05).

Two blind reviews (helpers who had not read the tables; 180 and 160 probes) read 118 of 120 and
87 of 100 of their emergencies flagged before any tuning on them, and two reviews of the change
(helpers who read the diff) found where its first versions hid emergencies or raised false
flags; these rows come from their misses and look-alikes, reworded. docs/CLINICAL_SAFETY.md, H2
control 21, says what each reading is and why. Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import assert_reads_concept, flags

from triage.rules.engine import read_request
from triage.schema import TriageRequest


@pytest.mark.parametrize(
    ("concept", "wording"),
    [
        ("thing_from_device", "a shiny flat thing from the tv remote"),
        ("thing_from_device", "something shiny and round from his light up toy"),
        ("battery_missing", "the toy remote missing its button battery"),
        ("battery_missing", "the little round thing inside is missing"),
        ("magnet_pieces", "little balls from his magnetic building set"),
        ("snake_handled", "picked up a snake"),
        ("snake_bite", "bitten on the ankle by what looks like an adder"),
        ("corrosive", "sodium hydroxide"),
        ("body_packing", "swallowed a small bag of pills"),
        ("sepsis_sign", "the soft bit on top of his head looks puffy and tight"),
        ("sepsis_sign", "a partially blanching rash"),
        ("head_bobbing", "head bobbing with each breath"),
        ("abnormal_breathing", "a little grunting noise at the end of each one"),
        ("reduced_consciousness", "she has to really work to wake him"),
        ("reduced_consciousness", "goes straight back off to sleep"),
        ("not_breathing", "cannot see them breathing"),
        ("wild_plant", "ate some mushrooms in the woods"),
        ("glass_named", "tried the glass"),
        ("not_white_under_glass", "they dont go white when you press a glass on them"),
        ("not_white_under_glass", "the glass didnt make them go away"),
        ("rash_part_fades", "some fade under the glass but some dont"),
        ("rash_part_fades", "the purple bits remained"),
        ("death_found_between", "found my dad dead in his chair"),
        ("death_found_between", "police found 2 dead at the address"),
        ("death_found_between", "found a man dead in the park"),
        ("marks_unchanged", "the marks stay the same"),
    ],
)
def test_each_new_phrase_reads_its_concept(concept: str, wording: str) -> None:
    assert_reads_concept(concept, wording)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("Mum says 3yo swallowed a shiny flat round thing from the TV remote, now crying when "
         "she swallows", "battery_or_magnet_swallowed"),
        ("toy remote missing its button battery, 2yo was playing with it, now drooling",
         "battery_or_magnet_swallowed"),
        ("14 year old swallowed the disc from his watch as a dare", "battery_or_magnet_swallowed"),
        ("toddler had a shiny round thing from the car key in his mouth, now cant find it",
         "battery_or_magnet_swallowed"),
        ("toddler swallowed two of the little balls from his magnetic building set",
         "battery_or_magnet_swallowed"),
        ("scout leader: 9yo picked up a snake, bitten on the hand, arm swollen past the elbow",
         "snake_bite"),
        ("sodium hydroxide solution splashed into a pupil's face and eyes in the lab",
         "corrosive_or_face_burn"),
        ("16yo swallowed a small bag of pills when the teacher walked over, now sweating and "
         "shaking", "swallowed_drugs"),
        ("8mo sick twice, the soft bit on top of his head looks puffy and tight, temp 38.9",
         "sepsis_meningitis"),
        ("social worker says 7 wk old daughter is a bit warm, ear thermometer: 38.4",
         "infant_fever_or_floppy"),
        ("4mo girl with a cold, breathing really fast, head bobbing with each breath",
         "not_breathing"),
        ("6 wk old not feeding, she has to really work to wake him and he goes straight back "
         "off", "falling_consciousness"),
        ("person at the tideline, cold, not moving, cant see them breathing", "not_breathing"),
        ("3yo ate shiny black berries off the hedge, pupils huge, staggering, talking gibberish",
         "significant_overdose"),
        ("11yo ate some mushrooms on the hike 8 hrs ago, now vomiting, looks grey",
         "significant_overdose"),
        ("scrum collapsed, 16yo says his neck hurts and he cant feel his legs properly, "
         "tingling in both hands", "major_trauma"),
        ("infant with bruising to both cheeks, seems to drift off and not respond then comes "
         "back", "unconscious"),
        # rashes: partly blanching, and a glass that does not change them
        ("some of the spots go white under the glass but others stay purple, 2yo, hot",
         "sepsis_meningitis"),
        ("tried the glass test, the purple bits remained, he's sleepy and hot",
         "sepsis_meningitis"),
        ("spots look the same through the glass, toddler burning up", "sepsis_meningitis"),
        ("purple marks on his tummy, pressed a glass on them and they stay the same, hot",
         "sepsis_meningitis"),
        ("baby has a strawberry birthmark but tonight new spots that dont go white under the "
         "glass", "sepsis_meningitis"),
        # vital keys answered into a run-on sentence that names a danger
        ("Breathing: no the old man is grey", "not_breathing"),
        ("Breathing: no lips blue", "not_breathing"),
        ("Breathing: no his chest isnt going up and down", "not_breathing"),
        ("Conscious: no the lad is out cold", "unconscious"),
        ("Conscious: no he is limp", "unconscious"),
        ("Breathing: no she's gone blue mum is talking to her", "not_breathing"),
        ("Responsive: no he's collapsed not talking", "unconscious"),
        ("Caller says her husband is dead right next to her in bed", "death_not_certain"),
        ("red rash, pressed a tumbler on it and it doesnt change", "sepsis_meningitis"),
        ("tried the glass and the marks stay the same", "sepsis_meningitis"),
        ("rash, not all of it fades with the glass", "sepsis_meningitis"),
    ],
)
def test_children_and_outdoor_emergencies_raise_their_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Conscious: no he's pale but talking",
        "Breathing: no the male is white, approx 30, black hoodie, walked off from the scene",
        "Conscious: no he's not moving his arm because it hurts, chatting, fell off his bike",
        "Responsive - no he is not responding to questions, no comment, sat up in the cell",
        "made a rash decision to leave the party, some of his mates followed but others stayed",
        "the suspect is still visible through the glass of the interview room, calm",
        "she's got age spots on her hands, they don't go white with the glass, had them for years",
        "port wine stain on his cheek, doesn't go pale with the glass, always had it",
        "took her tablets with a glass of water, some went down but a couple didn't, no choking",
        "3yo swallowed a small plastic wheel off his toy, no coughing, playing",
        "the thing from the key fob is still in it, checked, all there",
        "kids found a dead badger on the road, upset, nobody hurt",
        "dog attacked the sheep, farmer found one dead and others injured, no people hurt",
        "teenager does not respond to us, headphones in, gaming in his room",
        "ate a few berries from the garden, mum worried, no symptoms, playing happily",
        "Conscious: no he's dead drunk, friends carrying him home, he's talking",
        "found him dead tired after the night shift, asleep in the car, woke when we knocked",
    ],
)
def test_children_and_outdoor_look_alikes_raise_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()


def test_a_death_found_with_words_between_is_reported_never_verified() -> None:
    """'found him dead', 'found my dad dead', 'found mrs jones dead', 'found 2 dead' are a death
    found (`death_found_between`): an ambulance whatever signs of death follow, never a death
    the desk verifies, not even beside an expected death ('found him dead asleep, cold and
    stiff, snow on him' and 'found my husband dead happy, he is on end of life care' are alive:
    two reviews of the change); beside an expected death the model decides."""
    for narrative in (
        "found him dead on the bathroom floor",
        "found my dad dead in his chair",
        "carer found mrs jones dead in bed",
        "police found 2 dead at the address, cant get near them",
        "found him dead on the bathroom floor, cold and stiff, been there days",
    ):
        reading = read_request(TriageRequest(narrative=narrative))
        assert "death_not_certain" in {f.name for f in reading.red_flags}, narrative
        assert reading.verify_death is None, narrative
    # the dead-pet guard needs a possessive or an article; "found ... dead asleep" is asleep
    my_husband = read_request(
        TriageRequest(narrative="my husband is dead dog wont let me near him")
    )
    assert {f.name for f in my_husband.red_flags} == {"death_not_certain"}
    asleep = read_request(TriageRequest(
        narrative="found him dead asleep in his van, strong smell of gas, can't wake him"))
    assert {f.name for f in asleep.red_flags} == {"unconscious"}
    assert asleep.verify_death is None
    for narrative in (
        "found my husband dead happy, he is on end of life care, DNACPR in place",
        "found my husband dead this morning, he is on end of life care, DNACPR in place",
    ):
        reading = read_request(TriageRequest(narrative=narrative))
        assert reading.verify_death is None, narrative
        assert not reading.red_flags, narrative
