"""Feature transformers: the estimator contract, missing-as-unknown, negation, input forms.

Every record here is synthetic, written for the test.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from triage.features import (
    AGE_BAND_EDGES,
    FactFeatures,
    RequestFeatures,
    TextFeatures,
    fact_levels,
)
from triage.schema import Conscious, IncidentType, LocationType, TriageRequest, enum_fields
from triage.text.negation import preprocess
from triage.text.tokens import (
    CLAUSE_BREAK,
    CLAUSE_PUNCTUATION,
    char_ngrams,
    narrative_age,
    tokens_of,
)

RECORDS: list[dict[str, Any]] = [
    {"narrative": "Male 40s c/b, no LOC, small cut to head", "age": 45, "conscious": "yes"},
    {"narrative": "Female not breathing, CPR in progress", "breathing": "not_breathing"},
    {"narrative": "Man breathing normally, denies chest pain", "location_type": "custody_suite"},
    {"narrative": "Drunk male in pub, breathing fine, walking and talking", "age": 23},
    {"narrative": "Elderly lady fallen at home, no injuries, cannot get up", "age": 84},
    {"narrative": "Male not breathing, officers doing CPR", "officer_on_scene": True},
] * 3


def fitted_attributes(est: object) -> set[str]:
    return {k for k in vars(est) if k.endswith("_") and not k.startswith("__")}


@pytest.mark.parametrize(
    "make",
    [
        lambda: TextFeatures(min_df=1),
        lambda: FactFeatures(),
        lambda: RequestFeatures(text=TextFeatures(min_df=1), facts=FactFeatures()),
    ],
)
def test_estimator_contract(make: Any) -> None:
    est = make()
    params = est.get_params()
    # __init__ only stores its arguments: no learned state before fit.
    assert fitted_attributes(est) == set()
    with pytest.raises(NotFittedError):
        est.transform(RECORDS)
    twin = clone(est)
    assert twin.get_params().keys() == params.keys()
    assert est.fit(RECORDS) is est
    learned = fitted_attributes(est)
    assert learned, "fit must leave learned attributes ending in '_'"
    # Every attribute fit added ends in "_": nothing else was set.
    assert set(vars(est)) - set(params) == learned
    # clone gives an unfitted copy with the same parameters.
    assert fitted_attributes(clone(est)) == set()
    X = est.transform(RECORDS)
    assert X.shape == (len(RECORDS), len(est.get_feature_names_out()))
    assert np.all(np.isfinite(X.toarray()))


def test_set_params_round_trip() -> None:
    t = TextFeatures().set_params(min_df=2, char_ngram_range=(2, 3))
    assert t.get_params()["min_df"] == 2
    assert t.get_params()["char_ngram_range"] == (2, 3)
    r = RequestFeatures(text=TextFeatures()).set_params(text__min_df=5)
    assert r.text is not None and r.text.min_df == 5


def test_fact_levels_come_from_the_schema_with_missing() -> None:
    levels = fact_levels()
    fields = [
        f for f in TriageRequest.model_fields if f not in ("narrative", "request_id", "received_at")
    ]
    assert list(levels) == fields
    for field, enum in enum_fields(TriageRequest).items():
        assert levels[field] == (*(m.value for m in enum), "missing")
    assert levels["officer_on_scene"] == ("true", "false", "missing")
    assert len(levels["age"]) == len(AGE_BAND_EDGES) + 1


def test_missing_is_its_own_value_never_no() -> None:
    f = FactFeatures().fit(RECORDS)
    names = list(f.get_feature_names_out())
    X = f.transform(
        [
            {"narrative": "x", "conscious": None},
            {"narrative": "x", "conscious": "no"},
            {"narrative": "x"},  # absent key is missing too
            {"narrative": "x", "conscious": Conscious.UNKNOWN},
        ]
    ).toarray()
    col = {n: i for i, n in enumerate(names)}
    assert X[0, col["fact:conscious=missing"]] == 1 and X[0, col["fact:conscious=no"]] == 0
    assert X[1, col["fact:conscious=no"]] == 1 and X[1, col["fact:conscious=missing"]] == 0
    assert np.array_equal(X[0], X[2])
    # "unknown" (the operator said they do not know) differs from missing (nothing sent).
    assert X[3, col["fact:conscious=unknown"]] == 1
    # Missing age: the age-missing column, no band, years 0.
    assert X[0, col["fact:age=missing"]] == 1 and X[0, col["fact:age_years"]] == 0


def test_age_bands_and_years() -> None:
    f = FactFeatures().fit(RECORDS)
    col = {n: i for i, n in enumerate(f.get_feature_names_out())}
    X = f.transform([{"narrative": "x", "age": 84}, {"narrative": "x", "age": 0}]).toarray()
    assert X[0, col["fact:age=80-84"]] == 1 and X[0, col["fact:age_years"]] == pytest.approx(0.84)
    assert X[1, col["fact:age=0-1"]] == 1
    assert X[0, col["fact:age_from_narrative"]] == 0


@pytest.mark.parametrize(
    ("narrative", "age"),
    [
        ("M45. collapsed", 45),
        ("IP 45, fell", 45),
        ("pt aged 45", 45),
        ("45 y/o male", 45),
        ("45yo", 45),
        ("person approx 45", 45),
        ("man in his 80s", 85),
        ("elderly female 81 at home", 81),
        ("approx 3 hrs ago, male", None),
        ("OD 60 X PARACETAMOL", None),
        ("female 200", None),
    ],
)
def test_narrative_age(narrative: str, age: int | None) -> None:
    assert narrative_age(preprocess(narrative)) == age


def test_age_from_the_narrative_fills_a_missing_field_only() -> None:
    f = FactFeatures().fit(RECORDS)
    col = {n: i for i, n in enumerate(f.get_feature_names_out())}
    X = f.transform(
        [
            {"narrative": "elderly male 84, fallen"},
            {"narrative": "elderly male 84, fallen", "age": 60},
            {"narrative": "elderly male, fallen"},
        ]
    ).toarray()
    assert X[0, col["fact:age=80-84"]] == 1 and X[0, col["fact:age_from_narrative"]] == 1
    assert X[0, col["fact:age_years"]] == pytest.approx(0.84)
    assert X[1, col["fact:age=60-64"]] == 1 and X[1, col["fact:age_from_narrative"]] == 0
    assert X[2, col["fact:age=missing"]] == 1
    off = FactFeatures(narrative_age=False).fit(RECORDS)
    assert "fact:age_from_narrative" not in off.get_feature_names_out()
    Y = off.transform([{"narrative": "elderly male 84, fallen"}]).toarray()
    names = list(off.get_feature_names_out())
    assert Y[0, names.index("fact:age=missing")] == 1


@pytest.mark.parametrize(
    ("record", "match"),
    [
        ({"narrative": "x", "age": 300}, r"Record 0: 'age' must be an integer 0\.\.120.*Got 300"),
        ({"narrative": "x", "age": 4.5}, r"'age' must be an integer.*Got 4\.5"),
        ({"narrative": "x", "conscious": "maybe"}, r"'conscious' must be one of .*Got 'maybe'"),
        ({"narrative": "x", "location_type": "pub"}, r"'location_type' must be one of"),
        ({"narrative": "x", "officer_on_scene": "yes"}, r"'officer_on_scene' must be one of"),
        ({"narrative": ""}, r"Record 0: 'narrative' must be a non-empty string"),
        ({"age": 40}, r"Record 0: 'narrative' must be a non-empty string. Got None"),
    ],
)
def test_bad_records_are_refused_with_the_field_and_value(
    record: dict[str, Any], match: str
) -> None:
    rf = RequestFeatures(text=TextFeatures(min_df=1)).fit(RECORDS)
    with pytest.raises(ValueError, match=match):
        rf.transform([record])


def test_records_must_be_a_frame_or_mappings() -> None:
    rf = RequestFeatures(text=TextFeatures(min_df=1)).fit(RECORDS)
    with pytest.raises(TypeError, match="polars DataFrame or a sequence of mappings"):
        rf.transform("not breathing")
    with pytest.raises(TypeError, match="Record 1 must be a mapping"):
        rf.transform([{"narrative": "x"}, "y"])


def test_frame_and_mappings_give_the_same_matrix() -> None:
    rf = RequestFeatures(text=TextFeatures(min_df=1)).fit(RECORDS)
    req = [TriageRequest(**r).model_dump() for r in RECORDS]
    frame = pl.DataFrame(RECORDS).with_columns(
        pl.col("location_type").cast(pl.Enum([m.value for m in LocationType]))
    )
    a, b, c = rf.transform(RECORDS), rf.transform(req), rf.transform(frame)
    assert (a != b).nnz == 0 and (a != c).nnz == 0


def test_negation_features_differ() -> None:
    t = TextFeatures(min_df=1).fit([*RECORDS, {"narrative": "LOC"}])
    toks = t.tokens("Not breathing")
    assert "neg_breathing" in toks and "breathing" not in toks
    assert "breathing" in t.tokens("breathing normally")
    X = t.transform(
        [
            {"narrative": "not breathing"},
            {"narrative": "breathing normally"},
            {"narrative": "no LOC"},
            {"narrative": "LOC"},
        ]
    )
    names = t.get_feature_names_out()
    row = {i: {names[j] for j in X[i].indices} for i in range(4)}
    assert "text:word=neg_breathing" in row[0] and "text:word=breathing" not in row[0]
    assert "text:word=breathing" in row[1] and "text:word=neg_breathing" not in row[1]
    # "no LOC" and "LOC" share no word feature for the negated words.
    assert "text:word=neg_consciousness" in row[2] and "text:word=consciousness" not in row[2]
    assert "text:word=consciousness" in row[3] and "text:word=neg_consciousness" not in row[3]
    # The negated word's character n-grams at its edges differ from the positive word's.
    assert "!bre" in char_ngrams("neg_breathing", (3, 4))
    assert "<bre" in char_ngrams("breathing", (3, 4))
    assert not {"<bre", "ing>"} & set(char_ngrams("neg_breathing", (3, 4)))


def test_typos_share_character_features() -> None:
    t = TextFeatures(min_df=1).fit(RECORDS)
    X = t.transform(
        [{"narrative": "unconcsious male"}, {"narrative": "unconscious male"}]
    ).toarray()
    chars = slice(t.n_word_features_, None)
    a, b = X[0, chars], X[1, chars]
    cos = float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))
    assert cos > 0.5


def test_bigrams_stop_at_clause_punctuation() -> None:
    t = TextFeatures(min_df=1).fit([{"narrative": "chest pain. pain relief"}] * 2)
    assert "chest pain" in t.word_vocabulary_ and "pain relief" in t.word_vocabulary_
    assert "pain pain" not in t.word_vocabulary_


def test_unseen_words_and_empty_text_blocks() -> None:
    t = TextFeatures(min_df=1).fit(RECORDS)
    X = t.transform([{"narrative": "zzzz qqqq"}, {"narrative": "!!!"}])
    assert X.shape[0] == 2 and np.all(np.isfinite(X.data))
    assert X[1].nnz == 0


def test_word_block_is_binary_and_normalised() -> None:
    t = TextFeatures(min_df=1).fit(RECORDS)
    X = t.transform([{"narrative": "male male male not breathing"}]).toarray()[0]
    words = X[: t.n_word_features_]
    nz = words[words > 0]
    assert np.allclose(nz, nz[0]) and np.isclose(np.sum(nz**2), 1.0)


def test_incident_type_enum_members_are_accepted() -> None:
    f = FactFeatures().fit(RECORDS)
    a = f.transform([{"narrative": "x", "incident_type": IncidentType.FALL}])
    b = f.transform([{"narrative": "x", "incident_type": "fall"}])
    assert (a != b).nnz == 0


@pytest.mark.parametrize("mark", list(CLAUSE_PUNCTUATION))
def test_every_clause_punctuation_token_is_a_clause_break(mark: str) -> None:
    """The one list of clause punctuation builds the token pattern and the break test, so a
    mark the pattern takes is never read as a word."""
    assert tokens_of(f"chest pain {mark} sweaty") == ["chest", "pain", CLAUSE_BREAK, "sweaty"]
    assert tokens_of("neg_pain/ache don't 3.5") == ["neg_pain/ache", "don't", "3.5"]

