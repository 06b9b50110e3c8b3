"""Unfamiliar wording (issue 10, item 4): the answer says when the model does not know most of
a narrative's words, and the suggestion follows an explicit policy. Narratives are SYNTHETIC."""

from __future__ import annotations

import pytest
from model_support import trained

from triage import familiarity
from triage.familiarity import DEFAULT_POLICY, FamiliarityPolicy, content_words
from triage.predictor import Predictor
from triage.schema import Disposition, TriageRequest

KNOWN = {"chest", "pain", "neg_breathing", "breathing", "drunk", "fell", "head"}


def test_content_words_skip_stop_words_numbers_and_short_tokens() -> None:
    toks = ["the", "patient", "neg_breathing", "x2", "is", "drunk", ".", "ok", "flibber"]
    assert content_words(toks) == ["breathing", "drunk", "flibber"]


@pytest.mark.parametrize(
    ("tokens", "unfamiliar", "unknown"),
    [
        (["chest", "pain", "drunk"], False, ()),
        (["flibber", "wozzle", "chest"], True, ("flibber", "wozzle")),
        (["flibber", "chest"], True, ("flibber",)),  # half unknown: the share is inclusive
        (["flibber"], False, ("flibber",)),  # one content word is short, not unfamiliar
        (["neg_breathing", "quandish"], True, ("quandish",)),
    ],
)
def test_assess(tokens: list[str], unfamiliar: bool, unknown: tuple[str, ...]) -> None:
    f = DEFAULT_POLICY.assess(tokens, KNOWN)
    assert f.unfamiliar is unfamiliar
    assert f.unknown == unknown


@pytest.mark.parametrize(
    ("action", "before", "after"),
    [
        ("escalate", Disposition.HEAR_AND_TREAT, Disposition.CLINICAL_ADVICE),
        ("escalate", Disposition.CLINICAL_ADVICE, Disposition.CLINICAL_ADVICE),
        ("escalate", Disposition.DEPLOY, Disposition.DEPLOY),
        ("deploy", Disposition.HEAR_AND_TREAT, Disposition.DEPLOY),
        ("flag_only", Disposition.HEAR_AND_TREAT, Disposition.HEAR_AND_TREAT),
    ],
)
def test_actions(action: str, before: Disposition, after: Disposition) -> None:
    assert FamiliarityPolicy(action=action).apply(before) is after  # type: ignore[arg-type]


def test_bad_policies_are_refused() -> None:
    with pytest.raises(ValueError, match="action must be one of"):
        FamiliarityPolicy(action="ignore")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown_share must be in"):
        FamiliarityPolicy(unknown_share=0.0)
    with pytest.raises(ValueError, match="min_content_words must be at least 1"):
        FamiliarityPolicy(min_content_words=0)


@pytest.fixture(scope="module")
def predictor() -> Predictor:
    return Predictor(trained("linear"), "test")


def test_a_narrative_of_unknown_words_is_marked_and_escalated(predictor: Predictor) -> None:
    s = predictor.suggest(TriageRequest(narrative="flibber wozzle quandish merrow plinth"))
    assert s.unfamiliar_wording is True
    assert s.unfamiliar_reason is not None and "'flibber'" in s.unfamiliar_reason
    assert s.suggestion is not Disposition.HEAR_AND_TREAT
    assert s.unfamiliar_reason in s.reasons


def test_familiar_wording_is_not_marked(predictor: Predictor) -> None:
    s = predictor.suggest(
        TriageRequest(narrative="male 40s drunk, fell over, small cut to hand, walking and talking")
    )
    assert s.unfamiliar_wording is False and s.unfamiliar_reason is None


def test_red_flags_still_force_deploy_on_unfamiliar_wording(predictor: Predictor) -> None:
    s = predictor.suggest(TriageRequest(narrative="flibber wozzle quandish, not breathing"))
    assert s.suggestion is Disposition.DEPLOY and s.red_flags


def test_a_death_to_verify_is_clinical_advice_with_its_reason(predictor: Predictor) -> None:
    s = predictor.suggest(
        TriageRequest(narrative="Male found hanging in the woods, rigor mortis present, body cold")
    )
    assert s.suggestion is Disposition.CLINICAL_ADVICE
    assert not s.red_flags
    assert s.reasons[0].startswith("A death to verify, not to attend: rigor")


def test_the_unfamiliar_reason_never_claims_a_change_the_rules_overruled() -> None:
    """A death to verify outranks the policy: the reason must not say 'Suggested deploy'."""
    pred = Predictor(trained("linear"), "test", familiarity=FamiliarityPolicy(action="deploy"))
    s = pred.suggest(
        TriageRequest(narrative="flibber wozzle quandish merrow, decomposed, feels fine")
    )
    assert s.model_suggestion is not Disposition.DEPLOY  # so the policy alone would deploy
    assert s.unfamiliar_wording is True and s.unfamiliar_reason is not None
    assert s.suggestion is Disposition.CLINICAL_ADVICE
    assert "Suggested deploy" not in s.unfamiliar_reason
    assert "Read the request yourself" in s.unfamiliar_reason


def test_content_words_stay_right_when_their_memo_fills_and_is_emptied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each token's content word is remembered across requests in a bounded dict: filling it
    empties it, and a reading never depends on what was remembered before."""
    monkeypatch.setattr(familiarity, "_CONTENT", {})
    monkeypatch.setattr(familiarity, "_CONTENT_MAX", 3)
    tokens = ["chest", "neg_pain", "the", "ab", "breathless", "neg_the", "12", "sweaty", "chest"]
    expected = ["chest", "pain", "breathless", "sweaty", "chest"]
    for _ in range(3):
        assert content_words(tokens) == expected
        assert len(familiarity._CONTENT) <= 3

