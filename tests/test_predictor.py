"""Predictor: Suggestion fields, red-flag override, readable reasons, and the fast-path parity.

Models are trained once per process on SYNTHETIC history (tests/model_support.py); the parity
records are 10,000 rows of ``triage.history.synth.generate`` from another seed.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pytest
from model_support import requests_of, trained

from triage.explain import Explainer
from triage.fastscore import CompileError
from triage.history.synth import generate
from triage.model import TrainedModel
from triage.policy import DecisionPolicy
from triage.predictor import Predictor
from triage.schema import DISPOSITIONS, Disposition, TriageRequest
from triage.suggestion import RedFlag, Suggestion
from triage.text.negation import preprocess
from triage.text.tokens import tokens_of

pytestmark = pytest.mark.slow

PARITY_ROWS = 10_000
PARITY_SEED = 777
RAW_FEATURE_ID = re.compile(r"text:|fact:|neg_|\w+=\w+|<\w|\w>")


@pytest.fixture(scope="module", params=["linear", "boosted"])
def model(request: pytest.FixtureRequest) -> TrainedModel:
    return trained(request.param)


@pytest.fixture(scope="module")
def predictor(model: TrainedModel) -> Predictor:
    return Predictor(model, "test-v1")


@pytest.fixture(scope="module")
def parity_frame():
    return generate(PARITY_ROWS, PARITY_SEED)


def _rows_on_a_split(
    model: TrainedModel, predictor: Predictor, frame: Any, rows: np.ndarray
) -> set[int]:
    """The rows among ``rows`` whose linear-stage decision value, as the Pipeline computes it,
    lies within 1e-12 of a split threshold of the boosted trees on that value."""
    trees = getattr(predictor._scorer, "trees", None)
    if trees is None or rows.size == 0:
        return set()
    z = model.pipeline[:-1].transform(frame[rows.tolist()])
    first = z.shape[1] - len(DISPOSITIONS)
    on: set[int] = set()
    for j in range(first, z.shape[1]):
        split = trees.split_threshold
        thresholds = split[(trees.split_feature == j) & np.isfinite(split)]
        near = np.abs(z[:, j][:, None] - thresholds[None, :]).min(axis=1) <= 1e-12
        on |= {int(r) for r in rows[near]}
    return on


def test_fast_path_matches_the_pipeline_on_10000_records(
    model: TrainedModel, predictor: Predictor, parity_frame
) -> None:
    slow = model.pipeline.predict_proba(parity_frame)
    fast = predictor.proba_records(parity_frame.to_dicts())
    assert fast.shape == slow.shape == (PARITY_ROWS, len(DISPOSITIONS))
    # The two paths sum the same linear terms in a different order (about 1e-16 apart). A
    # narrative identical to a training one can sit exactly on a tree's split threshold and take
    # the other branch on one path: such ties are allowed, must be rare, and must be ties.
    off = np.flatnonzero(np.abs(fast - slow).max(axis=1) > 1e-9)
    assert off.size <= PARITY_ROWS // 1000, off.size
    assert set(off.tolist()) <= _rows_on_a_split(model, predictor, parity_frame, off)
    # The served path (TriageRequest -> suggest / suggest_many) gives the same numbers.
    reqs = requests_of(parity_frame.head(300))
    many = predictor.suggest_many(reqs)
    one = [predictor.suggest(r) for r in reqs]
    served = np.array([[s.probabilities[d.value] for d in DISPOSITIONS] for s in many])
    assert np.abs(served - slow[:300]).max() <= 1e-9
    assert [s.suggestion for s in one] == [s.suggestion for s in many]
    assert [s.reasons for s in one] == [s.reasons for s in many]


def test_suggestion_fields(predictor: Predictor, model: TrainedModel) -> None:
    req = TriageRequest(narrative="Male 40s found on floor of flat, c/b, no LOC", age=45)
    s = predictor.suggest(req)
    assert isinstance(s, Suggestion)
    assert s.model_version == "test-v1" == predictor.version
    assert predictor.model is model
    assert set(s.probabilities) == {d.value for d in DISPOSITIONS}
    assert sum(s.probabilities.values()) == pytest.approx(1.0, abs=1e-12)
    assert all(0.0 <= p <= 1.0 for p in s.probabilities.values())
    assert s.model_suggestion is model.policy.decide_one(
        [s.probabilities[d.value] for d in DISPOSITIONS]
    )
    assert isinstance(s.red_flags, tuple) and isinstance(s.reasons, tuple)


def test_probabilities_sum_to_one_for_many(predictor: Predictor, parity_frame) -> None:
    for s in predictor.suggest_many(requests_of(parity_frame.head(200))):
        assert sum(s.probabilities.values()) == pytest.approx(1.0, abs=1e-12)
        assert s.suggestion in DISPOSITIONS
    assert predictor.suggest_many([]) == []


def test_red_flag_forces_deploy_and_says_overridden(model: TrainedModel) -> None:
    # A policy that never deploys on the model's word alone, so any deploy comes from a rule.
    never = dataclasses.replace(model, policy=DecisionPolicy(1.0, 0.02))
    p = Predictor(never, "test-never")
    flagged = p.suggest(TriageRequest(narrative="Male stabbed in the chest, bleeding heavily"))
    assert flagged.red_flags, "the rules must find the stab wound"
    assert all(isinstance(f, RedFlag) for f in flagged.red_flags)
    assert flagged.suggestion is Disposition.DEPLOY
    assert flagged.model_suggestion is not Disposition.DEPLOY
    assert flagged.overridden is True
    # Probabilities stay the model's own, and the first reasons are the red flags' own words.
    plain = Predictor(model, "x").suggest(
        TriageRequest(narrative="Male stabbed in the chest, bleeding heavily")
    )
    assert flagged.probabilities == plain.probabilities
    assert flagged.reasons[: len(flagged.red_flags)] == tuple(f.reason for f in flagged.red_flags)
    calm = p.suggest(TriageRequest(narrative="lost his prescription, asking about repeat"))
    assert calm.red_flags == () and calm.overridden is False
    assert calm.suggestion is calm.model_suggestion


def test_negated_red_flag_is_not_an_override(predictor: Predictor) -> None:
    s = predictor.suggest(TriageRequest(narrative="Male 30s, breathing normally, no LOC, alert"))
    assert not any(f.name in ("not_breathing", "unconscious") for f in s.red_flags)


def test_reasons_are_readable_words(predictor: Predictor, parity_frame) -> None:
    for s in predictor.suggest_many(requests_of(parity_frame.head(300))):
        assert s.reasons, "every suggestion carries at least one reason"
        for r in s.reasons:
            assert r and r[0].isupper(), r
            assert not RAW_FEATURE_ID.search(r), f"raw feature id in reason: {r!r}"
        assert "deploy threshold" in s.reasons[-1]


def test_reasons_name_the_driving_facts_and_negations(predictor: Predictor) -> None:
    s = predictor.suggest(
        TriageRequest(narrative="Elderly man, unconscious, not breathing", age=84, conscious="no")
    )
    text = " ".join(s.reasons)
    assert s.suggestion is Disposition.DEPLOY
    assert "Conscious: no" in text or "unconscious" in text or "breathing" in text
    calm = predictor.suggest(
        TriageRequest(narrative="Man hit his head, no loss of consciousness, alert")
    )
    assert calm.reasons


@pytest.mark.parametrize(
    ("text", "word", "reason"),
    [
        ("hanging, cut down by family, not breathing", "neg_breathing",
         "Narrative: 'breathing' negated"),
        ("hit his head, no loss of consciousness, alert", "neg_loss",
         "Narrative: 'loss of consciousness' negated"),
        ("chest pain denied", "neg_chest", "Narrative: 'chest pain' negated"),
        ("no history of heart problems", "neg_heart", "Narrative: 'heart problems' negated"),
        ("not on any blood thinners", "neg_blood", "Narrative: 'any blood thinners' negated"),
    ],
)
def test_a_negated_run_is_reported_as_negated_wherever_its_trigger_is(
    text: str, word: str, reason: str
) -> None:
    """A negated run is named with the word "negated", never as if it were present, whether
    its trigger comes before it, after it ("denied") or is several words long ("no history
    of"); and never as "'not breathing' (read as negated)", which read to a red team as if a
    red flag's own words had been dismissed (2026-12-02)."""
    toks = tokens_of(preprocess(text))
    assert word in toks
    assert Explainer._word_text(word, toks) == reason
    assert Explainer._word_text("chest pain", ["chest", "pain"]) == (
        "Narrative mentions 'chest pain'")


def test_saved_and_loaded_model_serves_the_same(model: TrainedModel, predictor: Predictor) -> None:
    again = Predictor(joblib.load(_dumped(model)), "test-v1")
    req = TriageRequest(narrative="Female 70s fell down stairs, hip pain, cannot get up", age=74)
    assert again.suggest(req) == predictor.suggest(req)


def test_a_model_records_the_speller_it_read_its_training_text_with(predictor: Predictor) -> None:
    from triage.text.spelling import speller_fingerprint

    assert predictor.text_preprocessing.trained == speller_fingerprint()
    assert predictor.text_preprocessing.matches is True
    assert predictor.text_preprocessing.describe()["matches"] is True


def test_a_model_trained_beside_other_rule_tables_says_so_when_it_loads(
    model: TrainedModel, caplog: pytest.LogCaptureFixture
) -> None:
    """The rule tables feed the speller's lexicon: a rules change alone moves what the model
    reads. A model fitted with another lexicon loads and serves, and says so (log and
    GET /v1/model); one fitted before fingerprints were recorded says it cannot tell."""
    other = joblib.load(_dumped(model))
    other.pipeline.named_steps["features"].text_.speller_sha256_ = "0" * 64
    with caplog.at_level(logging.WARNING, logger="triage.predictor"):
        skewed = Predictor(other, "test-skew")
    assert skewed.text_preprocessing.matches is False
    assert "retrain" in skewed.text_preprocessing.describe()["note"]
    assert any("another speller lexicon" in r.getMessage() for r in caplog.records)
    req = TriageRequest(narrative="Female 70s fell down stairs, hip pain, cannot get up", age=74)
    assert skewed.suggest(req).suggestion in Disposition

    older = joblib.load(_dumped(model))
    del older.pipeline.named_steps["features"].text_.speller_sha256_
    unknown = Predictor(older, "test-old")
    assert unknown.text_preprocessing.matches is None
    assert unknown.text_preprocessing.describe()["speller_sha256_trained"] is None


def _dumped(model: TrainedModel) -> io.BytesIO:
    buf = io.BytesIO()
    joblib.dump(model, buf)
    buf.seek(0)
    return buf


def test_predictor_refuses_what_it_cannot_serve(model: TrainedModel) -> None:
    with pytest.raises(TypeError, match="needs a TrainedModel"):
        Predictor(model.pipeline, "x")  # type: ignore[arg-type]
    from sklearn.pipeline import Pipeline

    broken = dataclasses.replace(model, pipeline=Pipeline([("classifier", model.pipeline[-1])]))
    with pytest.raises(CompileError, match="features"):
        Predictor(broken, "x")


def test_bad_record_names_the_field(predictor: Predictor) -> None:
    with pytest.raises(ValueError, match="Record 1: 'conscious' must be one of"):
        predictor.proba_records([{"narrative": "x"}, {"narrative": "y", "conscious": "maybe"}])


def test_a_new_predictor_has_its_text_tables_built_before_the_first_request(
    trained_models_dir: Path,
) -> None:
    """The rule tables, the spelling index and the look-alike table are built when the model is
    loaded, so the first handler's request does not pay for them (0.4 s measured)."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from triage.rules import engine as rules\n"
        "from triage.text import charfold, spelling\n"
        "from triage.registry import load_predictor\n"
        "load_predictor(Path(sys.argv[1]))\n"
        "print(rules._compiled.cache_info().currsize, spelling.speller.cache_info().currsize,"
        " charfold.confusable_table.cache_info().currsize)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(trained_models_dir)],
        capture_output=True, text=True, check=True, timeout=300,
    )
    assert done.stdout.split() == ["1", "1", "1"]
