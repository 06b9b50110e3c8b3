"""The premise of ``benchmarks/measure_neutral_text.py``: its sentences say nothing clinical.

The measure appends each of ``benchmarks/data/neutral_sentences.txt`` to SYNTHETIC requests and
vignettes and counts the answers that change. That only measures the model's sensitivity to
words that say nothing if the sentences themselves raise no red flag and no death reading (the
rules would otherwise change the answer for a reason), and if the model never saw them as the
generator's own phrases (it would have learnt them in every class alike). These tests hold both,
and the arithmetic the measure reports.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from triage.history.synth_phrases import catalogue
from triage.rules.engine import read_request
from triage.schema import TriageRequest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "measure_neutral_text.py"


def _measure() -> ModuleType:
    spec = importlib.util.spec_from_file_location("measure_neutral_text", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    path: Path = _measure().SENTENCES
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all(line.strip() for line in lines), f"{path}: a blank line"
    return lines


def test_the_sentences_are_distinct_plain_and_enough(sentences: list[str]) -> None:
    assert len(sentences) >= 100
    assert len(set(sentences)) == len(sentences)
    assert all(s.isascii() for s in sentences)
    # a third of them long: a log line, not just a phrase
    assert sum(len(s.split()) >= 25 for s in sentences) >= len(sentences) // 4


def test_no_sentence_raises_a_red_flag_or_a_death_reading(sentences: list[str]) -> None:
    read = {s: read_request(TriageRequest(narrative=s)) for s in sentences}
    flagged = {s: [f.name for f in r.red_flags] for s, r in read.items() if r.red_flags}
    assert not flagged
    assert not [s for s, r in read.items() if r.verify_death is not None]


def test_no_sentence_is_one_of_the_generators_phrases(sentences: list[str]) -> None:
    table = {str(p).lower() for p in catalogue().table.series().drop_nulls().to_list()}
    assert not [s for s in sentences if s.lower().rstrip(".") in table]


def test_under_triage_and_diversion_are_counted_against_the_labels() -> None:
    rates = _measure()._rates
    deploy = np.array([True, False, False, True, False])
    label = np.array([True, True, False, False, False])
    # one of two labelled deploys not deployed; three of five requests not deployed
    assert rates(deploy, label) == "under-triage 50.00% (1), diversion 60.00%"
