"""Histories beside the present: an event a time months or years back places in the past raises
no flag; today's danger beside a history keeps its flag (docs/CLINICAL_SAFETY.md, H2 control 26).

A helper's blind probes of the thirty-fourth session (90 histories and 90 present emergencies
beside a history, written without reading the tables) found 39 of the 90 histories sent an
ambulance by the rules alone ("old gunshot wound to his thigh from 2019", "overdosed last year,
today wants his methadone script", "hx of ligature use in 2019", "anaphylaxis to nuts as a
child"). All narratives here are SYNTHETIC.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.rules.engine import compile_tables, read_request
from triage.rules.history import (
    EVENT_NOW,
    REMOTE_PAST,
    HistoryReading,
    compile_history,
    present_matches,
)
from triage.rules.tables import TableError, load_tables, tables
from triage.schema import TriageRequest


def flags(narrative: str, **fields: str) -> set[str]:
    return {f.name for f in read_request(TriageRequest(narrative=narrative, **fields)).red_flags}


HISTORIES = (
    "Hx of ligature in 2019, no current risk per custody nurse. Wants paracetamol.",
    "Female at front counter reporting her ex partner strangled her in 2021. No injuries now, "
    "voice normal, wants to make a statement.",
    "Overdosed last year, today wants help with his methadone script which runs out tomorrow.",
    "Was stabbed in the back in 2020, has a scar. Now in custody wanting his scar looked at.",
    "Old gunshot wound to his thigh from 2019, long healed, aches in the cold.",
    "Had a cardiac arrest in 2018, has an ICD fitted. Today in custody, well, no chest pain.",
    "Care home: resident 88, head injury March 2023, on apixaban. Slid gently off bed onto "
    "crash mat, no head strike, no pain, back in bed.",
    "Had meningitis as a child, left with hearing loss. Just has a cold and sore throat.",
    "She had sepsis last year and wants to know about a flu jab",
)


@pytest.mark.parametrize("narrative", HISTORIES)
def test_a_history_months_or_years_back_raises_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()


PRESENT = (
    ("Stabbed 2 years ago, tonight stabbed again in the chest", "penetrating_injury"),
    ("Had a stroke in 2019 and today her face has dropped and she cant lift her arm", "stroke"),
    ("Was choked by her ex last month and reported it. Tonight he did it again, she blacked out "
     "for a few seconds and her voice is hoarse now.", "strangulation"),
    ("Had a fit last year, none since. Tonight she's had three in a row and hasn't woken up "
     "between them", "seizure"),
    ("sudden weakness after a stroke 6 months ago, new today", "stroke"),
    ("same as the stroke of two years ago wife says", "stroke"),
    ("took 40 paracetamol 2 days ago, now yellow and vomiting", "significant_overdose"),
    ("Taken about 30 of her antidepressants altogether in the past day", "significant_overdose"),
    ("banged his head last week, on warfarin, now vomiting and confused", "head_injury"),
    ("Was shot in 2019, has PTSD since. Tonight another shooting, bullet in his arm and he is "
     "going pale and cold.", "penetrating_injury"),
    ("overdosed 3 times last year, today took 40 of his tablets", "significant_overdose"),
    # this year's date is never remote
    ("found hanging 12 March 2026 at 0200, cut down, not breathing", "strangulation"),
    # wordings the blind probes found no rule read
    ("Female 31, 3 days post C-section (first baby 2019 with pre-eclampsia). Now severe "
     "headache, seeing flashing lights, face puffy.", "pregnancy_danger"),
    ("please come my husband he have sugar problem since many year, today he very confused "
     "sweating not make sense, sugar machine say 1.9", "hypoglycaemia"),
    ("SD at home - female 75, husband found her on the floor. Police say shes cold, no other "
     "signs, seen 40 minutes ago. Husband says shes dead.", "death_not_certain"),
    ("Lad 18 was floating face down in the quarry, pulled out, not moving", "not_breathing"),
    ("15 year old stab wound to chest", "penetrating_injury"),
    ("Man 60, history of angina. Usual spray not working this time, pain heavy across chest "
     "and down left arm, feels sick.", "cardiac_chest_pain"),
)


@pytest.mark.parametrize(("narrative", "flag"), PRESENT)
def test_todays_danger_beside_a_history_keeps_its_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # a past verb between a present finding and a year starts a new predicate
        ("male stabbed in chest had op in 2019", "penetrating_injury"),
        ("DP unresponsive in cell was arrested in 2019 for same", "unconscious"),
        # a year of birth is no history
        ("born in 2023 not breathing", "not_breathing"),
        ("baby born in 2026 fitting now", "seizure"),
        # a time never reaches forward, over what follows it (a read-through of the first
        # version: 79 of its 200 emergencies lost a flag, most of them this way)
        ("retired in 2010 collapsed unresponsive on kitchen floor", "unconscious"),
        ("DP placed back in cell 2005 visit 2035 found with ligature round neck",
         "self_harm_danger"),
        ("DP booked in 2010 hrs ligature made from t shirt found round neck at 2040 pulse weak",
         "self_harm_danger"),
        ("Came off antidepressants a month ago took 60 tablets", "significant_overdose"),
        ("Stroke in 2019 left sided weakness and face droop", "stroke"),
        ("Had sepsis in 2022 non blanching rash on tummy and legs high temp",
         "sepsis_meningitis"),
        # another time between them dates the event
        ("took 60 tablets last night overdose last year", "significant_overdose"),
        # a history told to have happened again, in the next sentence
        ("Tried to hang himself in 2021. Tonight he has tried the same.", "strangulation"),
        ("Fell last year and hit his head, on warfarin. Fell again.", "head_injury"),
        ("Took 30 paracetamol last year. Has taken more.", "significant_overdose"),
        # only words of place, person and body may stand between an event and its time (a
        # second read-through: 92 of 238 emergencies lost every flag to a time that dated
        # something else)
        ("took 30 sertraline prescribed last month", "significant_overdose"),
        ("16yo male stabbed in stomach dob jan 2008", "penetrating_injury"),
        ("slit her wrist bleeding everywhere abused as a child", "self_harm_danger"),
        # a bare year that runs on into its clause is a clock time or a number
        ("DP ligature round neck in 2010 welfare check", "strangulation"),
        # days and weeks are never remote
        ("stabbed 3 days ago wound now pouring blood", "severe_bleeding"),
        ("took 30 paracetamol 2 days ago", "significant_overdose"),
    ],
)
def test_a_present_finding_is_never_read_into_a_history_after_it(
    narrative: str, flag: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Husband is dead, fell off ladder, think he broke some bones, cold and pale",
        "Mum thinks her daughter is dead, she has anorexia and is just bones, cold and pale",
        "Carer says client is dead, bed sores, rotting body smell, cold",
        "My dad is dead, his leg has started to decompose from the diabetes, cold and not moving",
    ],
)
def test_lay_words_near_decomposition_never_verify_a_death(narrative: str) -> None:
    """Decomposition told in lay words was tried as a sign of death and withdrawn: with a
    death stated anywhere, bones, a rotting smell or a limb decomposing verified living
    people's deaths (a read-through: 10 of its emergencies)."""
    reading = read_request(TriageRequest(narrative=narrative))
    assert reading.verify_death is None
    assert reading.red_flags


def test_the_reading_changes_nothing_without_a_remote_time() -> None:
    assert "penetrating_injury" in flags("was stabbed, has a scar")
    assert "significant_overdose" in flags("overdosed on heroin, drowsy")


def test_a_present_match_keeps_the_event_and_is_its_evidence() -> None:
    reading = read_request(TriageRequest(
        narrative="Stabbed in 2019. Stabbed again tonight in the leg, bleeding."))
    (flag,) = [f for f in reading.red_flags if f.name == "penetrating_injury"]
    assert "stabbed" in flag.evidence


def test_present_matches_drops_only_what_a_past_time_reaches() -> None:
    words = ["he", "was", "stabbed", "in", "2019", "and", "is", "fitting", "now"]
    breaks = [False] * len(words)
    timed = [("penetrating", 2, 3), (REMOTE_PAST, 3, 5), ("seizure_any", 7, 8)]
    live = present_matches(timed, words, breaks, REMOTE_PAST, (EVENT_NOW,))
    # "is" ends the time's reach over "fitting"; nothing of now is in the clause
    assert [c for c, _, _ in live] == ["seizure_any"]
    # a time that reaches back only never reaches what follows it
    words2 = ["in", "2019", "stabbed"]
    timed2 = [(REMOTE_PAST, 0, 2), ("penetrating", 2, 3)]
    assert present_matches(timed2, words2, [False] * 3, REMOTE_PAST, (), ahead=True) == []
    assert present_matches(timed2, words2, [False] * 3, REMOTE_PAST, (), ahead=False) == [
        ("penetrating", 2, 3)]
    timed_now = [*timed, (EVENT_NOW, 8, 9)]
    assert [c for c, _, _ in present_matches(timed_now, words, breaks, REMOTE_PAST,
                                             (EVENT_NOW,))] == ["penetrating", "seizure_any"]


def test_compile_history_refuses_what_cannot_be_an_event() -> None:
    concepts = tables().concepts
    assert compile_history((), concepts, frozenset()) == HistoryReading()
    with pytest.raises(ValueError, match="remote_past"):
        compile_history(("remote_past",), concepts, frozenset())
    with pytest.raises(ValueError, match="death"):
        compile_history(("death_stated",), concepts, frozenset({"death_stated"}))
    with pytest.raises(ValueError, match="needs the concept"):
        compile_history(("penetrating",), {"penetrating": ()}, frozenset())


def test_the_history_table_names_defined_concepts_once(red_flag_tables: Path) -> None:
    doc = (red_flag_tables / "concepts.toml").read_text(encoding="utf-8")
    (red_flag_tables / "concepts.toml").write_text(
        doc.replace('events = [\n    "penetrating",', 'events = [\n    "penetrating",\n'
                    '    "no_such_concept",'), encoding="utf-8")
    with pytest.raises(TableError, match=r"concepts.toml \[history\].*no_such_concept"):
        load_tables(red_flag_tables)
    t = load_tables(None)
    assert "penetrating" in t.history_events
    assert compile_tables(t).history.events == frozenset(t.history_events)


def test_no_history_event_is_a_present_state_the_reading_must_not_drop() -> None:
    """Breathing, bleeding, drowsiness and a collapse are never history events: an
    unpunctuated log ("collapsed not breathing had bypass in 2015") must not lose them."""
    states = {"not_breathing", "severe_bleeding", "bleeding_any", "bleeding_now", "drowsy",
              "collapse_faint", "reduced_consciousness", "abnormal_breathing", "shock_sign",
              "cardiac_history", "anticoagulant"}
    assert states.isdisjoint(tables().history_events)
    assert "not_breathing" in flags("collapsed not breathing had bypass in 2015")


def test_the_history_reading_is_never_done_beside_a_death() -> None:
    """A living person's event read as history could let a death be verified and every flag
    cancelled (a read-through: "rigor mortis, wife having anaphylaxis to nuts, allergic as a
    child"); without the rule this request is verified as a death and raises nothing."""
    reading = read_request(TriageRequest(
        narrative="male dead rigor mortis, wife having anaphylaxis as a child"))
    assert reading.verify_death is None
    assert "anaphylaxis" in {f.name for f in reading.red_flags}
