"""Findings written in any order and shape: "heavy bleeding", "bleeding is heavy", "Bleeding:
heavy", "Bleeding - heavy" (docs/CLINICAL_SAFETY.md, H2 control 25).

A word-order grid of the thirty-third session wrote ten findings in thirteen shapes: 1,276 of
1,690 readings raised no flag ("ongoing seizure", "pulse not palpable", "the bleeding is very
heavy", "Airway: compromised"). Two blind reviews of the same session found the same gap in
pasted forms and clinical shorthand, and a second one the other way round: a form's denial
after a line break was never read ("Head: small bump / LOC: no / Anticoag: none" raised
``head_injury``). All narratives here are SYNTHETIC.
"""

from __future__ import annotations

import itertools

import pytest

from triage.rules.engine import detect_red_flags, read_request
from triage.schema import TriageRequest
from triage.text.keyed import join_danger_values
from triage.text.normalise import end_lines_before_denials, normalise

#: (finding, its dangerous states, the flags any one of which must be raised)
FINDINGS: tuple[tuple[str, tuple[str, ...], frozenset[str]], ...] = (
    ("bleeding", ("heavy", "severe", "profuse", "uncontrolled", "massive", "catastrophic",
                  "torrential", "significant", "excessive", "arterial", "spurting"),
     frozenset({"severe_bleeding"})),
    ("blood loss", ("heavy", "severe", "massive", "significant", "large", "excessive"),
     frozenset({"severe_bleeding"})),
    ("seizure", ("ongoing", "continuous", "continuing", "prolonged"), frozenset({"seizure"})),
    ("fit", ("ongoing", "continuing"), frozenset({"seizure"})),
    ("airway", ("obstructed", "blocked", "compromised", "occluded"),
     frozenset({"not_breathing", "choking_airway"})),
    ("breathing", ("agonal", "gasping", "laboured", "irregular", "shallow"),
     frozenset({"not_breathing"})),
    ("lips", ("blue", "cyanosed", "dusky"), frozenset({"not_breathing"})),
    ("pulse", ("absent", "undetectable", "impalpable"), frozenset({"not_breathing"})),
)
#: The shapes every state of every finding is read in.
SHAPES: tuple[str, ...] = (
    "{s} {n}", "{n} {s}", "{n} is {s}", "{n} is very {s}", "{n}: {s}", "{N}: {s}", "{n} - {s}",
    "{N} - {s}", "{n}: very {s}", "Male 40s on the pavement. {N} is {s}.",
    "Male 40s on the pavement.\n{N}: {s}",
)
#: No past tense: "the seizure was prolonged in 2019", "the bleeding was heavy this morning but
#: it has stopped" are histories (a read-through of the change: 17 of its look-alikes).
#: A pulse is there or not: "very absent" is no one's shape.
_NO_DEGREES = frozenset({"pulse"})
#: "an active fit man", "a massive fit about the bill": a state before "fit" is not read.
_NO_PREFIX = frozenset({"fit"})


def _readings() -> list[tuple[str, frozenset[str]]]:
    out = []
    for (n, states, flags), shape in itertools.product(FINDINGS, SHAPES):
        if ("very" in shape and n in _NO_DEGREES) or (shape == "{s} {n}" and n in _NO_PREFIX):
            continue
        for s in states:
            out.append((shape.format(n=n, N=n[0].upper() + n[1:], s=s), flags))
    return out


def test_every_finding_is_read_in_every_shape() -> None:
    missed = [
        f"{text!r}: wants one of {sorted(flags)}"
        for text, flags in _readings()
        if not flags & {f.name for f in detect_red_flags(TriageRequest(narrative=text))}
    ]
    assert len(_readings()) > 400
    assert not missed, f"{len(missed)} unread:\n" + "\n".join(missed[:20])


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("Seizure in progress", "seizure"),
        ("she is in the middle of a seizure", "seizure"),
        ("having a tonic clonic seizure on the floor", "seizure"),
        ("FAST: positive", "stroke"),
        ("FAST test - positive", "stroke"),
        ("GCS 15 -> 9 over 40 mins after a fall in the cell", "falling_consciousness"),
        ("GCS: 15 → 9", "falling_consciousness"),
        ("Conscious level is reduced", "falling_consciousness"),
        ("decreasing level of consciousness", "falling_consciousness"),
        ("poss heroin OD - pinpoint pupils, resps 4/min", "not_breathing"),
        ("Tongue: swollen after eating prawns", "anaphylaxis"),
        ("her throat is closing up", "anaphylaxis"),
        ("Pulse: not palpable", "not_breathing"),
        ("Airway: not clear", "not_breathing"),
        ("Bleeding: not controlled with pressure", "severe_bleeding"),
        ("Female in labour\nBleeding: heavy\nGestation: 32 weeks", "severe_bleeding"),
        ("Seizure x3 since 0200, known epileptic", "seizure"),
        ("can she raise both arms? only the one. the other just flops back down", "stroke"),
        ("would he respond to anything? nope. not to shouting", "unconscious"),
        ("Injury: punched in the eye\nLOC: No\nVision: double\nHeadache: severe\nVomiting: Yes x3",
         "head_injury"),
        # a read-through of the change: what its first version lost
        ("massive hemorrhage from his thigh", "severe_bleeding"),
        ("hes confulsed, known diabetic, sweaty", "hypoglycaemia"),
        ("my husband is deceeased in the bed", "death_not_certain"),
        ("Ligature anchor point: wardrobe rail\nCut down by staff\nDrowsy, GCS 9",
         "self_harm_danger"),
        ("Conscious: no\nBreathing: snoring", "not_breathing"),
        ("BEFAST: positive", "stroke"),
    ],
)
def test_a_finding_in_a_shape_of_its_own_is_read(text: str, flag: str) -> None:
    assert flag in {f.name for f in detect_red_flags(TriageRequest(narrative=text))}


@pytest.mark.parametrize(
    "text",
    [
        "Bleeding: minor",
        "Bleeding: controlled",
        "bleeding is not heavy",
        "no heavy bleeding",
        "blood loss is minimal",
        "Seizure: none",
        "no ongoing seizure",
        "seizure not ongoing",
        "Airway: clear",
        "airway not compromised",
        "Breathing: normal",
        "breathing is not laboured",
        "Pulse: present",
        "Lips: pink",
        "FAST: negative",
        "CT: is the bleeding still heavy? C: no, it stopped with pressure, small cut.",
        "Lips a bit blue-ish but that's from the blue raspberry slush, he's bouncing around.",
        "His breathing was noisy but he's just got a cold and he's sat there chatting away.",
        "Head: small bump L forehead\nLOC: no\nVomiting: no\nAnticoag: none\nGCS: 15",
        "HI: walked into door frame\nLOC: nil\nGCS: 15\nAnticoagulants: none\nVomiting: none",
        "Gestation: 24/40\nHeadache: no\nBleeding: no\nVision: normal\nNote: antenatal appt",
        "Ligature: none\nLigature points: checked, cell 2 safe\nMood: settled",
        "Ligature risk assessed at booking - low. No items retained. DP calm, eating meal.",
        "Head injury form\nBumped head on open cupboard door\nLOC: no\nVomiting: no\n"
        "Blood thinners: no\nAlert, small red mark on forehead\nIce pack given",
        "Handover\nMrs S c/o indigestion after supper\nChest pain: nil\nSweating: nil\n"
        "Obs all within normal range",
        "Difficulty\nbreathing: No",
        "Does he have\nchest pain: no\nshortness of\nbreath: no",
        # histories, figures of speech and questions a first version read (a read-through)
        "seizure was prolonged in 2019 and she was ventilated; today she has a cough",
        "the seizure was ongoing when I arrived but it stopped after a minute, she's talking",
        "bleeding was heavy this morning but it has stopped completely, small cut on shin",
        "Smoke alarms fitted x2, tenant well",
        "an active fit man of 70 who walks daily",
        "having a massive fit about the bill, shouting at staff",
        "Does he respond to you? No, he's sulking",
        "is the seizure still in progress? no, she is talking",
        "Airway: obstructed? no",
        "GCS 15 - 10 mins after fall got up and walked",
        "known asthmatic, the splinter is still there after 20 minutes",
        "UTI, nil response to antibiotics",
        "purple lips from eating blackberries",
    ],
)
def test_a_look_alike_in_the_same_shapes_is_not(text: str) -> None:
    reading = read_request(TriageRequest(narrative=text))
    assert reading.red_flags == () and reading.verify_death is None


def test_a_danger_keyed_loses_only_its_separator() -> None:
    """Only before a danger word; " - " only at a clause's start; idempotent."""
    assert normalise("Bleeding: heavy") == "bleeding heavy"
    assert normalise("Seizure - ongoing") == "seizure ongoing"
    assert normalise("Bleeding: minor") == "bleeding: minor"
    assert normalise("Breathing: normal") == "breathing: normal"
    prose = "gcs 4, snoring resps - blue lights not needed"
    assert join_danger_values(prose) == prose
    for text in ("Bleeding: heavy", "Airway - obstructed", "lips: very blue", prose,
                 # the answer passes read a joined text again (a read-through: each of these
                 # lost its "yes" on a second normalisation)
                 "Bleeding - uncontrolled\nDizzy: yes", "Bleeding - heavy\nConscious: yes",
                 "Tongue - swollen breathing: yes", "Breathing - shallow? no, normal"):
        once = normalise(text)
        assert normalise(once) == once


def test_the_separator_goes_after_the_denials_are_read() -> None:
    """A denial keyed before a danger still ends where it did: run before the answer passes,
    "Response: none / Breathing: gasping" read "none breathing gasping", the "none" took the
    gasping, and the flag was lost."""
    text = "Male found collapsed\nResponse: none\nBreathing: gasping"
    assert "not_breathing" in {f.name for f in detect_red_flags(TriageRequest(narrative=text))}


def test_a_denied_field_ends_its_line_and_the_field_line_before() -> None:
    form = "Head: bump\nLOC: no\nGCS: 15"
    assert end_lines_before_denials(form) == "Head: bump;\nLOC: no;\nGCS: 15"
    # not after a line without a key, which may be the start of the field's own ("Short of /
    # breath: no"), nor before a word that makes the denial a phrase
    assert end_lines_before_denials("Short of\nbreath: no") == "Short of\nbreath: no"
    assert end_lines_before_denials("BREATHING: NO\nDIFFICULTY") == "BREATHING: NO\nDIFFICULTY"
    # a speaker's "no" answers the line before it
    assert end_lines_before_denials("CT: is he breathing\nC: no") == "CT: is he breathing\nC: no"
    assert "not_breathing" in {
        f.name for f in detect_red_flags(TriageRequest(narrative="CT: is he breathing\nC: no"))
    }
    assert normalise("Anticoag: none\nGCS: 15") == "no anticoagulant; gcs 15"
    # a prose line of its own ends too, and a denial before a new item; not a fragment
    assert end_lines_before_denials("Bumped head on door\nLOC: no\nAlert, talking") == (
        "Bumped head on door;\nLOC: no;\nAlert, talking")
    assert end_lines_before_denials("Unconscious at any\npoint: no") == (
        "Unconscious at any\npoint: no")
    assert end_lines_before_denials("Breathing: no\nDifficulty") == "Breathing: no\nDifficulty"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GCS 15 -> 9", "gcs 15 to 9"),
        ("gcs 15 → 9", "gcs 15 to 9"),
        ("gcs 15 - 9/15", "gcs 15 - 9/15"),
        ("resps 6/min", "resps 6 per minute"),
        ("RR 6 / min", "rr 6 per minute"),
    ],
)
def test_a_fall_in_gcs_and_a_rate_per_minute_are_written_out(text: str, expected: str) -> None:
    assert normalise(text) == expected
    assert normalise(expected) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # words the new table words would have pulled towards them, kept as written
        ("ingrowing toenail", "ingrowing toenail"),
        ("caustic degreaser in her eye", "caustic degreaser in her eye"),
        ("PC on sceen", "pc on scene"),
        ("weans red hot", "children red hot"),
    ],
)
def test_no_new_table_word_pulls_an_everyday_word_to_it(text: str, expected: str) -> None:
    assert normalise(text) == expected
