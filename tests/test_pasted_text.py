"""Pasted text never hides a red flag (issue 10, item 1 and 6). Every narrative is SYNTHETIC.

Format characters (zero-width space and joiners, soft hyphen, word joiner, BOM), look-alike
letters from other alphabets, full-width letters, ligatures and every kind of Unicode space are
what text pasted from CAD logs, e-mails and PDFs carries. Inserting any of them anywhere in a
red-flag narrative must leave its red flags exactly as they were.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.test_rules import POSITIVE
from triage.rules.engine import detect_red_flags
from triage.schema import TriageRequest
from triage.text.charfold import MIN_SPACED_LETTERS, confusable_table, fold
from triage.text.normalise import normalise

ROOT = Path(__file__).resolve().parents[1]
FORMAT_CHARS = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\u200e", "\u202a")
SPACES = ("\u00a0", "\u2002", "\u2003", "\u2009", "\u202f", "\u3000", "\t", "\n", "\r\n")
#: Latin letter -> a Cyrillic or Greek look-alike of it.
LOOK_ALIKES = {
    "a": "\u0430", "c": "\u0441", "e": "\u0435", "i": "\u0456", "o": "\u043e", "p": "\u0440",
    "s": "\u0455", "x": "\u0445", "y": "\u0443", "j": "\u0458", "v": "\u03bd",
    "h": "\u04bb", "k": "\u043a",
}  # fmt: skip


def _critical_examples() -> list[str]:
    path = ROOT.parent / "shared" / "vignettes" / "examples.jsonl"
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        v = json.loads(line)
        if v["critical"]:
            out.append(v["request"]["narrative"])
    return out


NARRATIVES = [n for _, n in POSITIVE] + _critical_examples()


def names(narrative: str) -> set[str]:
    return {f.name for f in detect_red_flags(TriageRequest(narrative=narrative))}


def test_the_look_alikes_used_here_are_in_the_unicode_confusables_table() -> None:
    table = confusable_table()
    assert {table[ord(v)] for v in LOOK_ALIKES.values()} == set(LOOK_ALIKES)


@pytest.mark.parametrize(
    ("pasted", "plain"),
    [
        ("un\u200bconscious", "unconscious"),
        ("not b\u00adreathing", "not breathing"),
        ("\ufb01t", "fit"),
        ("\u0455t\u0430bbed", "stabbed"),
        ("\uff55\uff4e\uff43\uff4f\uff4e\uff53\uff43\uff49\uff4f\uff55\uff53", "unconscious"),
        ("gcs\u2003\u2003\u20038", "gcs 8"),
        ("na\u00efve caf\u00e9", "naive cafe"),
        ("a\x00b\tc\u00a0d", "ab c d"),
    ],
)
def test_fold_reads_pasted_text_as_a_reader_sees_it(pasted: str, plain: str) -> None:
    assert fold(pasted) == plain


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_fold_is_idempotent_and_leaves_no_invisible_or_doubled_space(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert "  " not in once and once == once.strip()
    assert not any(c in once for c in FORMAT_CHARS)


@st.composite
def pasted(draw: st.DrawFn) -> tuple[str, str]:
    """A red-flag narrative and the same narrative with pasted-text damage at random places."""
    narrative = draw(st.sampled_from(NARRATIVES))
    chars = list(narrative)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(("format", "look_alike", "space", "fullwidth")))
        i = draw(st.integers(0, len(chars) - 1))
        if kind == "format":
            chars.insert(i, draw(st.sampled_from(FORMAT_CHARS)))
        elif kind == "look_alike":
            hits = [j for j, c in enumerate(chars) if c in LOOK_ALIKES]
            if hits:
                j = draw(st.sampled_from(hits))
                chars[j] = LOOK_ALIKES[chars[j]]
        elif kind == "space":
            hits = [j for j, c in enumerate(chars) if c == " "]
            if hits:
                chars[draw(st.sampled_from(hits))] = draw(st.sampled_from(SPACES))
        else:
            hits = [j for j, c in enumerate(chars) if c.isascii() and c.isalnum()]
            if hits:
                j = draw(st.sampled_from(hits))
                chars[j] = chr(ord(chars[j]) + 0xFEE0)  # the full-width form
    return narrative, "".join(chars)


@settings(max_examples=400, deadline=None)
@given(pasted())
def test_pasted_text_damage_keeps_every_red_flag(pair: tuple[str, str]) -> None:
    original, damaged = pair
    assert names(original), f"not a red-flag narrative: {original!r}"
    assert names(damaged) == names(original), (original, damaged)


@pytest.mark.parametrize("narrative", NARRATIVES)
def test_every_critical_example_keeps_its_flags_with_zero_width_spaces_in_every_word(
    narrative: str,
) -> None:
    damaged = " ".join("\u200b".join(w) for w in narrative.split(" "))
    assert names(damaged) == names(narrative)


@pytest.mark.parametrize("padding", ["\u2003", " \t", "\u00a0\u200b", "\n"])
def test_a_crafted_long_narrative_is_read_correctly(padding: str) -> None:
    """Thousands of odd spaces after "GCS" or "BM" (the old backtracking input) read as one."""
    for head, tail, expected in (("GCS", "8", "gcs 8"), ("BM", "2.1", "blood glucose 2.1"),
                                 ("BP", "80/40", "bp 80/40")):
        text = head + padding * (3990 // len(padding)) + tail
        assert len(text) <= 4000
        assert normalise(text) == expected


def letter_spaced(narrative: str) -> str:
    """``narrative`` as some apps paste it: its characters one space apart, words two apart."""
    return "  ".join(" ".join(w) for w in narrative.split())


@pytest.mark.parametrize(
    "narrative", [n for n in NARRATIVES if len(n.replace(" ", "")) >= MIN_SPACED_LETTERS]
)
def test_every_critical_example_keeps_its_flags_letter_spaced(narrative: str) -> None:
    """A fourth red team (2026-12-04, SYNTHETIC): "h e  i s  n o t  b r e a t h i n g" had no
    flag; every critical example of ten characters or more spaced out so reads as written."""
    assert fold(letter_spaced(narrative)) == fold(narrative)
    assert names(letter_spaced(narrative)) == names(narrative)


@pytest.mark.parametrize(
    "ordinary",
    [
        "grade A B C on the form, m 45, c/o cp",
        "J  P  Smith, DOB 1/2/80, says he is fine",
        "options a) b) c) given, she chose b",
        "h e i s n o t b r e a t h i n g",  # no wider gap: where its words end is not shown
        "patient is N O T breathing",  # one word spaced among ordinary ones
        "a  b  c  d  e  f",
        "reg  C P R  1 2 3",  # under ten pieces: a spaced-out code (a review, 2026-12-04)
        "v ped  reg  L O C  1 2 3",
    ],
)
def test_text_not_letter_spaced_throughout_is_read_as_written(ordinary: str) -> None:
    assert fold(ordinary) == " ".join(ordinary.split())


@pytest.mark.parametrize(
    ("pasted", "flag"),
    [
        # emoji that stand for a clinical word (a fourth red team, 2026-12-04; SYNTHETIC)
        ("\U0001f476 3wks temp 38.2 \U0001f321\ufe0f not feeding v sleepy",
         "infant_fever_or_floppy"),
        ("\U0001f930 34 weeks, bleeding heavily, feels faint", "pregnancy_danger"),
        ("\U0001f48a x 30 gone, she is \U0001f92e and drowsy", "significant_overdose"),
    ],
)
def test_emoji_that_stand_for_a_clinical_word_are_read_as_it(pasted: str, flag: str) -> None:
    assert flag in names(pasted)


@pytest.mark.parametrize(
    "pasted",
    [
        "heart\U0001f494broken after the break-up, crying, no thoughts of self-harm",
        "that party was \U0001f525\U0001f525, feels rough today, drinking water",
    ],
)
def test_emoji_with_no_single_clinical_reading_are_not_read(pasted: str) -> None:
    assert names(pasted) == set()
