"""Police shorthand before and after a sign of life (forty-fourth session, 2026-12-07).

A blind writer (a helper who had read only the spec) wrote 300 probes in the words officers,
operators and custody staff type into CAD: "nil pulse", "nil resps", "no resp no pulse",
"no output", lists of absent signs typed without their commas, and look-alikes. Read once on the
forty-third session's rules: 170 of 200 emergencies flagged (docs/CLINICAL_SAFETY.md, H2
control 37). Two reviews of the change ran 695 emergencies and 503 look-alikes against the
rules before and after; what each found is held here. Of the 26 emergencies in the first list,
21 lacked their flag on the forty-third session's rules (the other five hold the rewritten
shorthand); the look-alikes are what the reviews found the first tables flagging, and the
emergencies of the third list what they found the first tables' guards hiding (those guards,
for machines, phones and refusals "not responding", were withdrawn; three of the list are read
first by this change). Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rules_support import flags, reading

from triage.rules.tables import (
    TableError,
    load_tables,
    phrase_words,
    table_words,
    tables,
    target_words,
)
from triage.text.normalise import normalise


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # "nil" before a sign of life is its absence
        ("not_breathing", "male nil pulse nil resps CPR in progress"),
        ("not_breathing", "M 60s collapsed at bus stop nil pulse PC commenced CPR"),
        ("not_breathing", "male on kitchen floor nil breathing lips blue"),
        ("not_breathing", "Nill pulse nill breathing male 30s in the park by the swings"),
        ("not_breathing", "nil puls nil breathin cpr being done by member of public"),
        ("not_breathing", "youth pulled from lake by public nil sign of life cpr by lifeguard"),
        ("not_breathing", "nil breaths seen chest not rising infant 4 months in cot"),
        ("not_breathing", "nil carotid pulse, cold, officers on the way with the defib"),
        ("not_breathing", "patient nil resp effort, officers started cpr"),
        ("not_breathing", "no respiratory effort, bystander doing compressions"),
        ("death_not_certain", "nil signs of life but son says he was fine at tea time no rigor"),
        # respirations written short, before or after
        ("not_breathing", "? sudden death, found in flat, no resps, warm to touch"),
        ("not_breathing", "resps nil pupils pinpoint spoons and foil on table"),
        ("not_breathing", "resp nil, pupils fixed"),
        ("not_breathing", "pulsless + apnoeic on arrival of PCs"),
        ("not_breathing", "male in the stairwell no resp no pulse"),
        # no output, then the arrest
        ("not_breathing", "DP in cell 6 found on 30 min check no output DOs doing CPR"),
        ("not_breathing", "no cardiac output, officers using the defib"),
        # "nil" before a state of consciousness
        ("unconscious", "female nil rousable on sofa snoring noises empty vodka bottle"),
        ("unconscious", "not rouseable diabetic sweaty wife says missed his tea"),
        ("unconscious", "nil response to voice or pain, found in alleyway"),
        ("unconscious", "nil response from male slumped over steering wheel engine running"),
        ("unconscious", "DP nil rousable or responding in cell"),
        # lists typed without their commas
        ("not_breathing", "male not moving breathing or responding"),
        ("not_breathing", "baby not moving breathing or crying"),
        # a typo the speller read as another word
        ("asthma_not_relieved", "asthma attack inhaler not wrkng cant finish sentances"),
    ],
)
def test_shorthand_for_an_absent_sign_of_life_raises_its_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        # a test, a reading or a machine's output not taken
        "no breathing test done yet, driver sober per PC, no injuries",
        "no pulse oximeter available in custody, DP has runny nose, chatting",
        "nil pulse check done as DP refused, GCS 15",
        "no rr recorded as DP refused, talking normally",
        "nil resps counted, DP refused all obs, talking normally",
        "resps nil of note RR 16, wants his inhaler",
        "resps nil distress, talking full sentences",
        "no output from the printer in custody so cant print his meds list, DP well",
        "stoma no output since this morning, no pain, eating",
        # respiratory shorthand, "resp" as responsible, and no reply
        "nil resp symptoms nil fever, DP wants his methadone script checked",
        "no resp distress, mild hay fever sneezing, wants antihistamine",
        "nil resp or cardiac hx, DP fit to detain",
        "no resp + no cardiac concerns, fit to detain",
        "no resp from keyholder, neighbour says the family are away",
        "tried mobile no resp, left voicemail, mum says he is fine just ignoring her",
        "male states he is not resp for the damage to the car",
        "DP says nil response to antibiotics for his water infection, obs fine",
        "nil response from the girl's mother re contact arrangements",
        "nil response to voice messages left on the landline, daughter safe at work",
        "nil response, answer or movement at the address, lights off, car gone, likely away",
        "nil signs of life at the caravan, owner confirmed away on holiday",
        "NSOL at number 14, vehicle not on drive, family on holiday",
        # a list of everyday words with one sign, typed without commas
        "teenage son not talking answering or responding, glued to his phone",
        # an arrest named as history
        "pulseless disease diagnosed years ago, wants his repeat prescription",
        "pulseless VT history, has ICD, DP fine",
        "chip pan fire, burnt her forearm, did not breathe smoke in, voice normal, no cough",
    ],
)
def test_a_test_a_reading_or_a_reply_raises_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # what the first tables' guards hid (withdrawn): a person beside a machine, a phone, a
        # refusal or a treatment keeps the flag the rules read there before
        ("unconscious", "cashier slumped over the till not responding staff calling for help"),
        ("unconscious", "the man under the tractor is not responding"),
        ("unconscious", "male collapsed while on his phone is not responding"),
        ("unconscious", "male found unresponsive computer still on, empty vodka bottles"),
        ("unconscious", "unresponsive till sternal rub then groaned, diabetic, sugar 1.9"),
        ("unconscious", "unresponsive to being rolled over, snoring loudly, vodka bottle by her"),
        ("unconscious", "DP not responding to requests on 30 min rousal check, eyes closed"),
        ("unconscious", "resident not responding to carers notes say diabetic, sugar low"),
        ("unconscious", "no response to calls or shaking, cold to touch"),
        ("unconscious", "no response from the landline, daughter went round, mum on floor"),
        ("unconscious", "GP collapsed in consulting room, no response from GP"),
        ("unconscious", "man slumped at the wheel at the lights not responding to us knocking"),
        ("unconscious", "No response at door, elderly male on floor, head bleeding."),
        ("not_breathing", "baby found in cot no signs of life in the flat"),
        ("not_breathing", "no pulse and temp 33, found in snow"),
        ("not_breathing", "no output for 10 mins CPR ongoing by PCs"),
        ("not_breathing", "no breathing test done, he has now stopped breathing"),
        ("not_breathing", "male pulseless arms cold and blue in bed"),
        ("not_breathing", "nil resps checked, pupils fixed"),
        ("not_breathing", "pulse nil resps nil"),
        ("not_breathing", "pulse nil resp nil CPR in progress"),
        ("asthma_not_relieved", "no response to her inhaler, cannot finish sentences"),
    ],
)
def test_a_person_beside_a_machine_or_a_refusal_keeps_the_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


def test_no_response_at_the_door_is_an_occupant_unseen_beside_a_smell_of_death() -> None:
    """"No response at the door" reads as "no answer at the door" does (occupant_unseen), so
    beside a smell of death the death is not certain; it still reads as unresponsive too."""
    assert {"death_not_certain", "unconscious"} <= flags(
        "smell of death from the flat, no response at the door")


def test_a_death_beyond_doubt_told_in_shorthand_is_still_verified() -> None:
    got, verify = reading("nil pulse, decapitated male on railway line")
    assert got == set()
    assert verify is not None


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        ("nil resp nil pulse cpr", "no breathing no pulse cpr"),
        ("nil resps nil pulse", "no breathing no pulse"),  # the second "nil" once the first is
        ("pulse nil resps nil", "pulse nil resps nil"),  # a value after its sign, as written
        ("nil puls", "no pulse"),
        ("nil rousable", "not rousable"),
        ("nil response to pain", "no response to pain"),
        ("nil response", "nil response"),  # a door or a treatment; read as written
        ("nsol", "nsol"),  # a property check's as often as a person's
        ("no resp no pulse", "no breathing no pulse"),
        ("male no resp", "male no breathing"),
        ("no resp from the keyholder", "no respiratory from the keyholder"),
        ("no resp distress", "no respiratory distress"),
        ("nil pulse check done", "nil pulse check done"),
        ("no rr recorded", "no rr recorded"),
        ("nil pulse, breathing or response", "no pulse, no breathing or no response"),
        ("nil rousable or responding", "not rousable or not responding"),
        ("not moving breathing or responding", "not moving not breathing or not responding"),
        ("not moving his arm or responding", "not moving his arm or responding"),
        ("not talking moving or breathing", "not talking not moving or not breathing"),
        ("not talking answering or responding", "not talking answering or responding"),
        ("he is not eating sleeping or breathing properly",
         "he is not eating sleeping or breathing properly"),
    ],
)
def test_shorthand_is_written_as_the_words_the_tables_read(raw: str, written: str) -> None:
    assert normalise(raw) == written
    assert normalise(written) == written


def test_a_known_only_guard_adds_no_correction_target() -> None:
    """A guard's words become speller targets unless it is ``known_only`` (the model's text
    changes with every new target: a first version's guards made "request" one, and
    "requested" in the synthetic history was read as "request"). Its words are still known, so
    never corrected away."""
    t = tables()
    others = {w for i, m in enumerate(t.masks) if i not in t.mask_known_only
              for w in phrase_words(m)}
    others |= {w for phrases in t.concepts.values() for p in phrases for w in phrase_words(p)}
    only_known = {w for i in t.mask_known_only for w in phrase_words(t.masks[i])} - others
    assert {"oximeters", "arteritis", "untoward"} <= only_known
    assert only_known.isdisjoint(target_words(t))
    assert only_known <= table_words(t)


def test_a_guard_whose_known_only_is_not_a_bool_is_refused(tmp_path: Path) -> None:
    from importlib.resources import files

    src = files("triage.rules")
    for name in ("concepts.toml", "flags.toml"):
        (tmp_path / name).write_text(src.joinpath(name).read_text(encoding="utf-8"),
                                     encoding="utf-8")
    guards = src.joinpath("guards.toml").read_text(encoding="utf-8")
    assert "\nknown_only = true\n" in guards
    (tmp_path / "guards.toml").write_text(
        guards.replace("\nknown_only = true\n", '\nknown_only = "yes"\n', 1), encoding="utf-8")
    with pytest.raises(TableError, match=r"known_only must be true or false\. Got 'yes'"):
        load_tables(tmp_path)
