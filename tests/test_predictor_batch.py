"""``Predictor.suggest_many`` gives exactly what ``suggest`` gives, request by request.

The batch path walks the boosting's trees and applies the calibration for the whole batch at
once; it must not change a single bit of any suggestion (probabilities included), for either
model kind. Models are trained on SYNTHETIC history (tests/model_support.py); the requests are
synthetic too, from another seed.
"""

from __future__ import annotations

import pytest
from model_support import requests_of, trained

from triage.predictor import Predictor
from triage.synth import generate

pytestmark = pytest.mark.slow

BATCH_ROWS = 1_500
BATCH_SEED = 4242


@pytest.fixture(scope="module", params=["linear", "boosted"])
def predictor(request: pytest.FixtureRequest) -> Predictor:
    return Predictor(trained(request.param), "test-batch")


def test_suggest_many_equals_suggest_exactly(predictor: Predictor) -> None:
    reqs = requests_of(generate(BATCH_ROWS, BATCH_SEED))
    many = predictor.suggest_many(reqs)
    one = [predictor.suggest(r) for r in reqs]
    assert len(many) == len(reqs)
    mismatched = [i for i, (a, b) in enumerate(zip(one, many, strict=True)) if a != b]
    assert mismatched == [], f"suggest_many differs from suggest at rows {mismatched[:10]}"
    # The comparison is not vacuous: the batch spans every disposition and some red flags.
    assert {s.suggestion for s in many} == {s.suggestion for s in one}
    assert len({s.suggestion for s in many}) == 3
    assert any(s.red_flags for s in many)


def test_suggest_many_of_one_and_of_none(predictor: Predictor) -> None:
    reqs = requests_of(generate(5, BATCH_SEED + 1))
    assert predictor.suggest_many([]) == []
    assert predictor.suggest_many(reqs[:1]) == [predictor.suggest(reqs[0])]
