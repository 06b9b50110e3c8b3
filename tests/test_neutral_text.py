"""The premise of ``benchmarks/measure_neutral_text.py``: its sentences say nothing clinical.

The measure appends each of ``benchmarks/data/neutral_sentences.txt`` (or of the second set,
``neutral_sentences_2.txt``) to SYNTHETIC requests and
vignettes and counts the answers that change. That measures the model's sensitivity to words
that say nothing only if a sentence, appended, leaves what the red-flag rules read unchanged (the
rules would otherwise change the answer for a reason), and if the model never saw the sentences
as the generator's phrases (it would have learnt them in every class alike). These tests hold
both, and the measure's own reading of the file.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from triage.history.synth import generate
from triage.history.synth_phrases import catalogue
from triage.records import requests_of
from triage.vignettes import load_safety_suite

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "measure_neutral_text.py"
_WORDS = re.compile(r"[a-z0-9']+")


@pytest.fixture(scope="module")
def measure() -> ModuleType:
    spec = importlib.util.spec_from_file_location("measure_neutral_text", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=["SENTENCES", "SENTENCES_2"])
def sentences(measure: ModuleType, request: pytest.FixtureRequest) -> list[str]:
    """Each set in turn: the first, used to compare remedies, and the second, unseen."""
    lines: list[str] = measure.read_sentences(getattr(measure, request.param))
    return lines


def test_the_sentences_are_distinct_plain_and_of_every_length(sentences: list[str]) -> None:
    assert len(sentences) >= 50
    assert len(set(sentences)) == len(sentences)
    assert all(s.isascii() for s in sentences)
    words = [len(s.split()) for s in sentences]
    # the measure reports by length band: each band needs sentences
    assert sum(w < 12 for w in words) >= 10 and sum(w >= 25 for w in words) >= 10


def test_an_empty_sentence_file_is_refused_naming_it(measure: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match=r"empty\.txt: no sentences"):
        measure.read_sentences(path)


def test_a_blank_line_is_refused_with_its_line(measure: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "sentences.txt"
    path.write_text("Ref 4411 refers.\n\nCopy, out.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2: a blank line"):
        measure.read_sentences(path)


def test_appending_a_sentence_leaves_what_the_rules_read(
    measure: ModuleType, sentences: list[str]
) -> None:
    # the gate suite (every red flag, its negated look-alikes, deploys with no flag, the benign)
    # and SYNTHETIC requests; each request gets every sentence in turn
    requests = [v.request for v in load_safety_suite()]
    requests += requests_of(generate(150, 31))
    moved = []
    for r in requests:
        as_written = measure.reading(r)
        for i, s in enumerate(sentences):
            longer = r.model_copy(update={"narrative": measure.padded(r.narrative, s)})
            if measure.reading(longer) != as_written:
                moved.append((r.narrative[:60], i + 1))
    assert not moved


def test_no_sentence_shares_four_words_running_with_a_generator_phrase(
    sentences: list[str],
) -> None:
    def runs(text: str) -> set[tuple[str, ...]]:
        w = _WORDS.findall(text.lower())
        return {tuple(w[i : i + 4]) for i in range(len(w) - 3)}

    generator: set[tuple[str, ...]] = set()
    for phrase in catalogue().table.series().drop_nulls().to_list():
        generator |= runs(str(phrase))
    shared = {s: sorted(runs(s) & generator) for s in sentences if runs(s) & generator}
    assert not shared


def test_a_share_names_its_denominator(measure: ModuleType) -> None:
    assert measure.share(3, 40) == "0.075 (3 of 40)"
    assert measure.share(0, 0) == "none"


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_a_count_that_is_not_positive_is_refused_naming_the_option(
    measure: ModuleType, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        measure.parse_args(["--rows", value])
    err = capsys.readouterr().err
    assert "--rows" in err and f"Got '{value}'" in err


def test_a_sentence_file_that_is_not_there_is_refused_naming_it(
    measure: ModuleType, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit):
        measure.parse_args(["--sentences", str(tmp_path / "no_such.txt")])
    err = capsys.readouterr().err
    assert "--sentences" in err and "no_such.txt" in err
