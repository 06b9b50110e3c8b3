"""``Predictor.suggest_many`` gives exactly what ``suggest`` gives, request by request.

The batch path (triage/batchscore.py) tokenises, scores, checks familiarity and ranks reasons
for the whole batch with array operations; it must not change a single bit of any suggestion
(probabilities, reasons and their order included), for either model kind. The requests cover
what the clinical safety case depends on: red flags, deaths to verify, negations, unfamiliar
wording, pasted text, missing facts and repeated narratives. Models are trained on SYNTHETIC
history (tests/model_support.py); the requests are synthetic too, from another seed, plus the
project's vignette suites.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from model_support import requests_of, trained

from triage.history.synth import generate
from triage.predictor import Predictor
from triage.schema import DISPOSITIONS, TriageRequest
from triage.suggestion import Suggestion
from triage.vignettes import load_safety_suite, load_vignettes

pytestmark = pytest.mark.slow

BATCH_ROWS = 1_500
BATCH_SEED = 4242
SUITES = Path(__file__).resolve().parents[1] / "vignettes"

#: Crafted narratives: wording the model never saw, pasted text, a death to verify, negations.
CRAFTED = (
    "xqzzy blorf wibble snarg plonk frabjous",
    "Мужчина без сознания, не дышит",
    "un\u200bconscious male, n\u00f6t breathing, ﬁtting",
    "decomposed body found in flat, strong smell, flies, no signs of life",
    "known DNACPR, end of life care, passed away peacefully, family present",
    "denies chest pain, no LOC, c/b, alert and talking",
    "CP radiating to L arm, sweaty and grey, hx of MI",
    "ok",
    "cp/sob, ?OD, GCS 8, BM 2.1, 32/40 pregnant, fell 3 m, 60mph rtc",
    "not breathing and cold, rigor mortis noted",
    "pt spark out, bairn says he necked a bottle of voddy, now gone blue",
)


def _varied_requests() -> list[TriageRequest]:
    reqs = requests_of(generate(BATCH_ROWS, BATCH_SEED))
    reqs += [v.request for v in load_safety_suite()]
    for name in ("tuning.jsonl", "sealed.jsonl", "independent_c.jsonl"):
        reqs += [v.request for v in load_vignettes(SUITES / name)]
    reqs += [TriageRequest(narrative=t) for t in CRAFTED]  # every fact missing
    reqs += [TriageRequest(narrative=t, age=70, officer_on_scene=True) for t in CRAFTED]
    # narrative only, facts dropped: the model and the rules read the text alone
    reqs += [TriageRequest(narrative=r.narrative) for r in reqs[:200]]
    reqs += reqs[:50]  # repeated requests in one batch
    return reqs


@pytest.fixture(scope="module", params=["linear", "boosted"])
def predictor(request: pytest.FixtureRequest) -> Predictor:
    return Predictor(trained(request.param), "test-batch")


@pytest.fixture(scope="module")
def varied() -> list[TriageRequest]:
    return _varied_requests()


def _mismatches(one: list[Suggestion], many: list[Suggestion]) -> list[int]:
    return [i for i, (a, b) in enumerate(zip(one, many, strict=True)) if a != b]


def test_suggest_many_equals_suggest_exactly(
    predictor: Predictor, varied: list[TriageRequest]
) -> None:
    many = predictor.suggest_many(varied)
    one = [predictor.suggest(r) for r in varied]
    assert len(many) == len(varied)
    bad = _mismatches(one, many)
    assert bad == [], f"suggest_many differs from suggest at rows {bad[:10]}: {many[bad[0]]}"
    # The comparison is not vacuous: it spans every disposition, red flags that override the
    # model, deaths to verify, unfamiliar wording and reasons drawn from words and facts.
    assert len({s.suggestion for s in many}) == 3
    assert any(s.red_flags and s.overridden for s in many)
    assert any(s.reasons and s.reasons[0].startswith("A death to verify") for s in many)
    assert sum(s.unfamiliar_wording for s in many) >= 3
    assert any(any(r.endswith("' negated") for r in s.reasons) for s in many)
    assert any(any(r.startswith("Age ") for r in s.reasons) for s in many)


def test_red_flags_force_deploy_on_the_batch_path(
    predictor: Predictor, varied: list[TriageRequest]
) -> None:
    many = predictor.suggest_many(varied)
    flagged = [s for s in many if s.red_flags]
    assert len(flagged) > 100
    assert all(s.suggestion.value == "deploy" for s in flagged)


def test_batch_order_does_not_matter(predictor: Predictor, varied: list[TriageRequest]) -> None:
    """A request's answer does not depend on its neighbours in the batch."""
    part = varied[:300]
    forward = predictor.suggest_many(part)
    backward = predictor.suggest_many(part[::-1])[::-1]
    assert _mismatches(forward, backward) == []


def test_suggest_many_of_one_and_of_none(predictor: Predictor) -> None:
    reqs = requests_of(generate(5, BATCH_SEED + 1))
    assert predictor.suggest_many([]) == []
    assert predictor.suggest_many(reqs[:1]) == [predictor.suggest(reqs[0])]
    crafted = [TriageRequest(narrative=t) for t in CRAFTED]
    for r in crafted:
        assert predictor.suggest_many([r]) == [predictor.suggest(r)]


def test_batch_probabilities_equal_the_pipeline(predictor: Predictor) -> None:
    """The batch path's probabilities are the Pipeline's (the fast path's contract, 1e-9)."""
    df = generate(400, BATCH_SEED + 2)
    reqs = requests_of(df)
    many = predictor.suggest_many(reqs)
    records = [predictor._record(r) for r in reqs]
    expected = predictor.model.pipeline.predict_proba(records)
    for s, row in zip(many, expected.tolist(), strict=True):
        got = [s.probabilities[d.value] for d in DISPOSITIONS]
        assert max(abs(a - b) for a, b in zip(got, row, strict=True)) <= 1e-9
