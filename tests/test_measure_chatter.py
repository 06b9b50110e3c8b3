"""``benchmarks/measure_chatter_rules.py``: what clinically empty chatter changes in what the
red-flag rules read (thirtieth session, 2026-12-06; docs/experiments/chatter_guards.md).

The measure appends each sentence to requests and compares the rules' reading (flags, and whether
a death is handed to the desk) with the request's own. These tests hold its counting on known
misreadings of the rules as they stand, and its reading of the sentence file. All SYNTHETIC.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from triage.schema import TriageRequest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture(scope="module")
def measure() -> ModuleType:
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCH))  # the script imports its sibling measure_neutral_text
        spec = importlib.util.spec_from_file_location(
            "measure_chatter_rules", BENCH / "measure_chatter_rules.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        mp.setitem(sys.modules, "measure_chatter_rules", module)  # its dataclasses look it up
        spec.loader.exec_module(module)
    return module


def _requests() -> list[TriageRequest]:
    return [
        TriageRequest(narrative="Man 80 slipped in the kitchen, on warfarin", incident_type="fall"),
        TriageRequest(narrative="Male 30s sprained his ankle coming down the stairs, swollen",
                      incident_type="injury_other"),
        TriageRequest(narrative="Female 25 sore throat for two days, eating and drinking"),
    ]


def test_a_sentence_that_adds_a_flag_is_counted_with_the_flag(measure: ModuleType) -> None:
    reqs = _requests()
    as_written = [measure.reading(r) for r in reqs]
    moved = measure.moved_by("He is not breathing.", reqs, as_written)
    assert moved.requests == len(reqs)
    assert all("not_breathing" in added for added, _, _, _ in moved.changes)
    assert measure.describe(next(iter(moved.changes))).startswith("+[")


def test_a_sentence_the_rules_read_as_nothing_moves_nothing(measure: ModuleType) -> None:
    reqs = _requests()
    as_written = [measure.reading(r) for r in reqs]
    moved = measure.moved_by("Keyholder is on her way from Stockport.", reqs, as_written)
    assert moved.requests == 0 and not moved.changes


def test_the_chatter_file_is_distinct_plain_sentences(measure: ModuleType) -> None:
    sentences = measure.read_sentences(measure.CHATTER)
    assert len(sentences) == len(set(sentences)) == 300
    assert all(s.strip() == s and s for s in sentences)


def test_the_measure_runs_and_prints_its_totals(
    measure: ModuleType, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sentences = tmp_path / "two.txt"
    sentences.write_text("Keyholder is on her way.\nHe is not breathing.\n", encoding="utf-8")
    measure.main(["--sentences", str(sentences), "--rows", "1", "--show", "1"])
    out = " ".join(capsys.readouterr().out.split())
    assert "2 sentences" in out and "1 change what the rules read" in out
    assert "1 add a flag, 0 remove one" in out


def test_a_sentence_file_that_is_not_there_is_refused_naming_it(
    measure: ModuleType, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "no_such.txt"
    with pytest.raises(SystemExit):
        measure.parse_args(["--sentences", str(missing)])
    err = capsys.readouterr().err
    assert "--sentences" in err and "no_such.txt" in err
