"""Emergencies the thirtieth session's three blind reviews left unread, read now (thirty-first
session, 2026-12-06), and the look-alikes that share their words.

The reviews (helpers who had not read the tables) wrote 963 emergencies beside chatter; 65 raised
no flag before and after that session (docs/CLINICAL_SAFETY.md, H2 control 22). These rows are
the ones a presentation, a transcript's layout or a spelling explains; docs/CLINICAL_SAFETY.md,
H2 control 23, says what each reading is and why, and which were left. Every narrative here is
SYNTHETIC.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

import pytest
from rules_support import assert_reads_concept, flags

from triage.text import negation
from triage.text.answers import PLAIN_NO
from triage.text.normalise import LINE_NEGATIONS, normalise


@pytest.mark.parametrize(
    ("flag", "narrative", "facts"),
    [
        (
            "pregnancy_danger",
            "positive pregnancy test, sudden pain one side low down, feels faint light headed",
            {"sex": "female"},
        ),
        (
            "severe_bleeding",
            "heavy period, soaked through, faint light headed when stands",
            {"sex": "female"},
        ),
        (
            "seizure",
            "driver pulled over in the car seizure started 7 minutes ago",
            {"incident_type": "seizure"},
        ),
        ("seizure", "lad who fits a lot normally but this is 20 mins long now", {}),
        (
            "seizure",
            "detained at the property seizure in the back of the van lasted over 5 minutes",
            {},
        ),
        ("seizure", "known user took spice now having drug seizures one after another", {}),
        ("seizure", "first ever drug seizure at the festival still twitching", {}),
        (
            "labour_complications",
            "in labour, member of staff says baby's foot is out",
            {"sex": "female"},
        ),
        (
            "labour_complications",
            "first baby in labour leader of the midwives says shoulder is stuck",
            {},
        ),
        ("labour_complications", "she is in labour and the baby is stuck", {}),
        ("choking_airway", "choking with a grape in his throat, 3 yr old", {"age": 3}),
        ("penetrating_injury", "boy on bike rack fell onto spike through his thigh", {"age": 12}),
        ("major_trauma", "scaffolder on site crashed through the roof 6 metres", {}),
        ("major_trauma", "cyclist fall under another car, not moving", {}),
        (
            "major_trauma",
            "cyclist had a fall under another vehicle, lorry wheels went over legs",
            {},
        ),
        ("cardiac_chest_pain", "central chest pain, looks gray", {}),
        ("cardiac_chest_pain", "pub CP radiating left arm", {}),
        ("cardiac_chest_pain", "chest pain lips a little blue door staff have him sat down", {}),
        ("cardiac_chest_pain", "woman 50s pain down left arm and she's clammy", {}),
        (
            "pregnancy_danger",
            "baby delivered an hour ago mum losing blood pale and white post delivery feels faint",
            {},
        ),
        (
            "thunderclap_headache",
            "bad headache, says it is the worst pain, throwing up repeatedly",
            {},
        ),
        ("thunderclap_headache", "worst pain of his life in his head sick x3", {}),
        ("airway_burns", "warehouse fire assembly point, worker coughing soot, voice going", {}),
        ("not_breathing", "lips cold and blue cap refill slow breathing fast", {}),
        (
            "electrical_injury",
            "trip switch tripped electric shock off the cable now on the floor not moving",
            {},
        ),
        (
            "self_harm_danger",
            "superficial cuts to arms and one deep cut to wrist still pouring",
            {"incident_type": "self_harm"},
        ),
        (
            "self_harm_danger",
            "history of minor self harm, tonight cut her wrist deeply and it is bleeding",
            {"incident_type": "self_harm"},
        ),
        (
            "self_harm_danger",
            "the cuts are minor but he has also cut his throat and it is bleeding",
            {"incident_type": "self_harm"},
        ),
        (
            "self_harm_danger",
            "cut her wrists bleeding, the officer thinks the cuts are minor but its pouring",
            {},
        ),
        ("strangulation", "neck compressed by partner, lips went blue", {}),
        ("not_breathing", "Patient is not\n- breathing", {}),
        ("cardiac_chest_pain", "- central chest pain spreading into\n- left arm", {}),
        ("not_breathing", "Call taker: is he breathing\nCaller: no", {}),
        ("not_breathing", "Operator: is she breathing\nOfficer: no", {}),
        ("unconscious", "Q: Is he conscious\nA: No", {}),
        ("not_breathing", "Q. is he breathing\nA. no", {}),
        ("not_breathing", "CT - is he breathing\nC - no", {}),
        ("not_breathing", "Is the patient breathing\nAnswer: No", {}),
    ],
)
def test_emergencies_the_chatter_reviews_left_unread_raise_their_flag(
    flag: str, narrative: str, facts: dict[str, Any]
) -> None:
    assert flag in flags(narrative, **facts)


@pytest.mark.parametrize(
    "narrative",
    [
        "her car keys fell under the car so she crawled to get them, no injury",
        "known epileptic, care plan says call only if a fit lasts over 5 minutes, fine today",
        "officers at the address for a drugs seizure, male detained has a small graze to his hand",
        "large drug seizure at the port, officer twisted his ankle on the gangway",
        "choking back tears, says she has a lump in her throat, no injuries",
        "got a tickle in his throat, choking a bit on his tea earlier, fine now",
        "small cut to her finger, bleeding stopped, it is pouring with rain so she is sheltering",
        "heavy period this month, otherwise well, wants advice on painkillers",
        "the water came through the ceiling, nobody hurt",
        "his temperature went through the roof last night, 37.2 now and eating",
        "prices went through the roof, he is upset but well",
    ],
)
def test_look_alikes_of_the_new_readings_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("transcript", "finding"),
    [
        ("Call taker: is he breathing\nCaller: no", "caller: no, not breathing"),
        ("Q: Is he conscious\nA: No", "a: no, not responding"),
        ("Q. is he breathing\nA. no", "a. no, not breathing"),
        ("CT - is he breathing\nC - no", "c - no, not breathing"),
        ("Is the patient breathing\nAnswer: No", "answer: no, not breathing"),
    ],
)
def test_a_transcript_pasted_one_turn_a_line_is_answered(transcript: str, finding: str) -> None:
    """Without its "?", a vital question answered "no" under an answering label still gives its
    finding; the rewrite is idempotent."""
    once = normalise(transcript)
    assert once.endswith(finding)
    assert normalise(once) == once


@pytest.mark.parametrize(
    "text",
    [
        "is he breathing no idea",
        "is he breathing: no problems",
        "Q: Is he breathing\nA: not sure",
        "asked if he is breathing a lot after the run, no",
    ],
)
def test_a_doubt_or_a_bare_space_answers_nothing(text: str) -> None:
    assert "not breathing" not in normalise(text)
    assert "not responding" not in normalise(text)


@pytest.mark.parametrize(
    ("pasted", "read"),
    [
        ("Patient is not\n- breathing", "patient is not breathing"),
        (
            "- central chest pain spreading into\n- left arm",
            "- central chest pain spreading into left arm",
        ),
        ("Pt is not\u2028\u2022 breathing", "patient is not breathing"),
        ("Pt is not\u2029\u2022 breathing", "patient is not breathing"),
        ("Pt is not\r\n\u2022 breathing", "patient is not breathing"),
    ],
)
def test_a_bullet_that_continues_a_wrapped_line_is_dropped(pasted: str, read: str) -> None:
    assert normalise(pasted) == read


def test_a_bullet_after_a_complete_line_stays_a_break() -> None:
    """A line that ends in a word a clause may end with starts a new item: the bullet keeps
    ending the negation scope of "no chest pain"."""
    assert "pain - collapsed" in normalise("- no chest pain\n- collapsed in the kitchen")
    assert "cardiac_chest_pain" in flags("- no breathing problems\n- crushing chest pain, sweaty")


@pytest.mark.parametrize(
    ("flag", "pasted"),
    [
        ("unconscious", "- not eating or drinking, not getting up\n- unresponsive to voice"),
        ("severe_bleeding", "- denies pain when lying down\n- vomiting blood"),
        ("severe_bleeding", "- denies any pain with\n- vomiting blood"),
        ("unconscious", "- no food today, he is\n- unresponsive to voice"),
    ],
)
def test_a_join_never_carries_a_negation_onto_the_next_item(flag: str, pasted: str) -> None:
    """A read-through of 2026-12-06 found the first join list ("up", "down") and a join after
    an earlier "not" or "denies" carrying the negation onto the next bullet, hiding its flag."""
    assert flag in flags(pasted)


def test_the_american_spelling_of_grey_reads_as_grey() -> None:
    assert normalise("looks gray and grayish") == "looks grey and greyish"


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("pain goin down both arms", "pain going down both arms"),
        ("lump in his goin, hard", "lump in his groin, hard"),
        ("left goin pain", "left groin pain"),
        ("cut her calvs with a razor", "cut her calves with a razor"),
    ],
)
def test_goin_and_calvs_read_as_meant(typed: str, read: str) -> None:
    """ "goin" is "going" unless a possessive or a side names the groin; the body words of
    cut_to_body stay correction targets (only "breasts" is kept out)."""
    assert normalise(typed) == read


def test_a_slip_of_breaths_is_not_read_as_another_body_word() -> None:
    """The thirtieth session's cut_to_body made "breasts" a speller target, and "only taking
    odd breatss" read as "breasts": "breasts" is now a known word, never a target."""
    assert normalise("only taking odd breatss") == "only taking odd breaths"


@pytest.mark.parametrize(
    ("concept", "wording"),
    [
        ("abdo_pain", "sudden pain one side low down"),
        ("long_duration", "lasted over 5 minutes"),
        ("long_duration", "20 mins long now"),
        ("seizure_started_ago", "seizure started 7 minutes ago"),
        ("seizure_ongoing", "having drug seizures"),
        ("drug_seizure_named", "a drug seizure"),
        ("one_after_another", "one after the other"),
        ("labour_complication", "shoulder is stuck"),
        ("labour_complication", "baby's foot is out"),
        ("choking_now", "choking"),
        ("thing_in_throat", "in his throat"),
        ("object_embedded", "spike through his thigh"),
        ("fall_word", "crashed through the roof"),
        ("run_over_by", "a fall under another car"),
        ("run_over_by", "lorry wheels went over his legs"),
        ("run_over_by", "he slipped under the bus"),
        ("cardiac_feature", "radiating left arm"),
        ("cardiac_arm", "pain down her left arm"),
        ("pregnancy", "baby delivered an hour ago"),
        ("worst_pain", "it is the worst pain"),
        ("headache", "worst pain of his life in his head"),
        ("soot_sign", "coughing soot"),
        ("voice_change", "voice gone"),
        ("lips_tinged", "lips cold and blue"),
        ("strangled", "neck compressed"),
        ("throat_cut", "cut his throat"),
        ("deep_wound", "cut her wrist deeply"),
        ("pouring_now", "its pouring"),
        ("heavy_period_named", "heavy period"),
    ],
)
def test_each_new_phrase_reads_its_concept(concept: str, wording: str) -> None:
    assert_reads_concept(concept, wording)


#: Emergencies the session's first two blind reviews (480 probes on obstetric, seizure, choking,
#: impalement, fall, run-over, transcript, cardiac, breathing, self-harm, fire and neck topics,
#: read before any tuning on them) found unread, read now. SYNTHETIC, as the reviewers wrote them.
@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        (
            "labour_complications",
            "F 28 IN LABOUR AT HSE, BABYS BOTTOM SHOWING FIRST, PARTNER ON LINE, NO MIDWIFE ETA",
        ),
        (
            "labour_complications",
            "Baby out about 40 mins, the afterbirth still hasn't come and the blood is just "
            "pouring off the bed",
        ),
        (
            "labour_complications",
            "the head came out and the cord is wrapped tight round the neck twice he cant get "
            "it loose",
        ),
        (
            "pregnancy_danger",
            "She's missed her period and she's got pain down the right side, keeps going "
            "dizzy every time she stands up",
        ),
        (
            "pregnancy_danger",
            "Known ectopic, had the injection Monday. Now sudden much worse pain and she "
            "keeps fainting.",
        ),
        (
            "pregnancy_danger",
            "She's miscarrying at home, there's blood all over the bathroom floor and she "
            "isn't making sense",
        ),
        ("labour_complications", "PV BLD ++ SYNCOPE X2 12/40"),
        (
            "severe_bleeding",
            "Period's been heavy for a week, now she can't stand without blacking out, heart "
            "racing, lips really pale",
        ),
        (
            "choking_airway",
            "DP stuffed tissue paper in his mouth in the cell and is now choking, officers "
            "can't get it out",
        ),
        (
            "penetrating_injury",
            "Slipped in the allotment and landed on the garden fork, two prongs right through "
            "the calf, bleeding",
        ),
        (
            "major_trauma",
            "drunk male running from officers went through the roof of a garage, approx 12ft "
            "drop, lying awkward and groaning",
        ),
        ("major_trauma", "Fell down the stairwell from the 4th floor landing in the flats"),
        ("major_trauma", "tram has hit a pedestrian, person is underneath the tram"),
        (
            "not_breathing",
            "Dispatcher: Breathing normally?\nCaller: not sure\nDispatcher: can you look at "
            "his chest for me\nCaller: it's only moving every now and again like a big gulp",
        ),
        ("cardiac_chest_pain", "m 60s c/p radiating L arm, sweaty, grey"),
        ("cardiac_chest_pain", "cp++ into back, pale & diaphoretic, looks awful"),
        (
            "cardiac_chest_pain",
            "caller states dad has pain in is chest goin down both arms an hes sweatin",
        ),
        (
            "cardiac_chest_pain",
            "relayed by PCSO: her man's bad with his chest, says it's like a vice, and he's "
            "come over all clammy and sick",
        ),
        ("self_harm_danger", "male sliced his neck with a razor blade, officers applying pressure"),
        ("self_harm_danger", "teenager cut wrists in the bath, water is red, she's drowsy"),
        (
            "severe_bleeding",
            "Mechanism: self-inflicted laceration\nSite: anterior neck L side\nBleeding: "
            "pulsatile\nOther: scratches to face",
        ),
        (
            "airway_burns",
            "elderly woman found in smoke-filled bungalow, drowsy, headache, unknown how long "
            "she was in there",
        ),
        (
            "airway_burns",
            "shed fire, man went back in for the dog, now breathing noisily, soot all over "
            "his face",
        ),
        ("strangulation", "he throttled me and I don't remember the next bit"),
        (
            "thunderclap_headache",
            "man outside pub clutching his head, says never had pain this bad, came on from "
            "nowhere, vomited several times",
        ),
    ],
)
def test_emergencies_the_sessions_first_reviews_found_unread_raise_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Drone hovering near the 5th floor windows, no one hurt, reporting for airspace concerns",
        "cord from the blind hanging out of the window, pregnant woman at the address "
        "reporting criminal damage",
        "his anxiety went through the roof after the burglary, talking fine, wants advice",
        "the lorry went over the kerb and clipped a bin, nobody hurt",
        "old healed cuts to her wrists seen on search, drowsy from being up all night, "
        "talking normally",
        "gas fire on in the flat, tenant well, landlord wants it checked",
        "period is heavy this month, tired, no dizziness, wants painkillers",
        "officers conducted a drugs seizure, male detained, no injuries, compliant",
    ],
)
def test_look_alikes_of_the_reviews_readings_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


def test_the_cheap_label_test_sees_every_no_word() -> None:
    """normalise searches a transcript without "?" only when a separator is followed by an "n":
    every answer word must start with one, or its answers would go unread."""
    assert all(word.startswith("n") for word in PLAIN_NO)


def test_the_join_knows_every_negation_trigger() -> None:
    """The bullet join refuses to carry a negation onto the next item; its list must hold the
    first word of every trigger the negation module reads."""
    firsts = {t.split()[0] for t in (*negation.PRE_TRIGGERS, *negation.POST_TRIGGERS)}
    assert firsts <= set(LINE_NEGATIONS)


@pytest.mark.parametrize(
    ("flag", "pasted"),
    [
        ("unconscious", "- nobody was with her\n- unconscious on the floor"),
        ("cardiac_chest_pain", "- denying any pain in his\n- chest crushing him, sweaty and grey"),
        ("unconscious", "- nothing seen in his\n- unresponsive to voice"),
    ],
)
def test_a_join_never_follows_any_negation(flag: str, pasted: str) -> None:
    assert flag in flags(pasted)


def test_every_table_source_is_whole() -> None:
    """A source is one line of provenance: its brackets balance (a clean-up of repeated source
    entries once cut them mid-bracket, a second read-through of 2026-12-06)."""
    folder = resources.files("triage.rules")
    sources = []
    for name in ("concepts.toml", "flags.toml", "guards.toml"):
        data = tomllib.loads(folder.joinpath(name).read_text())
        entries = [*data.get("concept", {}).values(), *data.get("flag", []), *data.get("guard", [])]
        sources += [e["source"] for e in entries]
    assert len(sources) > 1000
    assert [s for s in sources if s.count("(") != s.count(")")] == []


@pytest.mark.parametrize(
    "narrative",
    [
        "self harm scratch on her wrist, it is pouring with rain, she is waiting in the car",
        "self harm scratch on her wrist, it is pouring rain, she is waiting in the car",
        "cut throat razor found in his bag, he has a small cut on his hand, bleeding",
        "cut her wrists last year, tonight drowsy after a night out",
        "choking grey smoke coming from the shed, no one inside",
        "choking fumes from the bonfire, neighbour grey with rage, no injuries",
    ],
)
def test_each_new_guard_keeps_its_look_alike_unflagged(narrative: str) -> None:
    """One row per guard the session added that no other row covers: each is flagged with its
    guard taken out of guards.toml (checked when written, 2026-12-06)."""
    assert flags(narrative) == set()
