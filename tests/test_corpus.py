"""The hand-written corpus (``triage.corpus``): what it holds, what it refuses, what it teaches.

Every vignette written here is SYNTHETIC.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.model_support import history, requests_of
from triage.corpus import CorpusError, default_listing, load_corpus
from triage.history.synth import generate, write_frame
from triage.model import TrainedModel, fit_model
from triage.registry import read_manifest
from triage.schema import DEPLOY_INDEX, TriageRequest
from triage_cli.main import app

ROOT = Path(__file__).resolve().parents[1]
VIGNETTES = ROOT / "vignettes"
runner = CliRunner()


def _vignette(vid: str, narrative: str, expected: str) -> dict[str, object]:
    critical = expected == "deploy"
    return {"id": vid, "request": {"narrative": narrative, "incident_type": "other"},
            "expected": expected, "critical": critical,
            "acceptable": [expected], "rationale": "synthetic test vignette"}


def _write_suite(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _listing(folder: Path, files: list[str], weight: str = "2.0",
             extra: str = "") -> Path:
    body = [f"weight = {weight}", 'weight_reason = "a test weight"', extra]
    body += [f'[[file]]\npath = "{f}"\nreason = "a test suite"\n' for f in files]
    path = folder / "corpus.toml"
    path.write_text("\n".join(body), encoding="utf-8")
    return path


# -- the project's corpus ----------------------------------------------------------------


def test_the_project_corpus_holds_every_tuned_suite_and_no_sealed_one() -> None:
    listing = default_listing()
    assert listing == VIGNETTES / "corpus.toml"
    corpus = load_corpus(listing)
    listed = {s.path for s in corpus.sources}
    tuned = {p.name for p in VIGNETTES.glob("independent_*.jsonl")} | {"tuning.jsonl"}
    tuned |= {p.name for p in VIGNETTES.glob("redteam_*.jsonl")}
    assert listed == tuned
    assert not any("sealed" in name for name in listed)
    # suites tuned on whose listing was measured and not taken (docs/CLINICAL_SAFETY.md, H1
    # control 9, H2 control 34) and those not listed (H2 control 35) are named tuned_*, and
    # never listed
    assert sorted(p.name for p in VIGNETTES.glob("tuned_*.jsonl")) == [
        "tuned_zl.jsonl", "tuned_zm.jsonl", "tuned_zo.jsonl", "tuned_zp.jsonl",
        "tuned_zq.jsonl"]
    assert not any(name.startswith("tuned_") for name in listed)
    assert "published_audit.jsonl" not in listed  # kept as a measure
    assert corpus.rows == sum(s.rows for s in corpus.sources) - len(corpus.left_out) > 5_000
    assert corpus.weight == tomllib.loads(listing.read_text(encoding="utf-8"))["weight"]
    assert all(s.reason.startswith("Hand-written") for s in corpus.sources)
    assert len({s.sha256 for s in corpus.sources}) == len(corpus.sources)


def test_no_corpus_narrative_is_in_a_sealed_suite() -> None:
    sealed = sorted(VIGNETTES.glob("*sealed*.jsonl"))
    assert len(sealed) >= 13
    corpus = load_corpus(default_listing(), sealed=sealed)  # raises on any shared narrative
    assert corpus.frame.columns == ["narrative", "disposition"]


def test_the_frame_is_narratives_and_expected_dispositions_only(tmp_path: Path) -> None:
    _write_suite(tmp_path / "a.jsonl", [
        {**_vignette("A-1", "collapsed, grey, not breathing right", "deploy"),
         "request": {"narrative": "collapsed, grey, not breathing right", "age": 70,
                     "conscious": "no", "breathing": "difficulty"}},
        _vignette("A-2", "stubbed his toe on the kerb", "hear_and_treat"),
    ])
    corpus = load_corpus(_listing(tmp_path, ["a.jsonl"]))
    assert corpus.frame.to_dicts() == [
        {"narrative": "collapsed, grey, not breathing right", "disposition": "deploy"},
        {"narrative": "stubbed his toe on the kerb", "disposition": "hear_and_treat"},
    ]
    described = corpus.describe()
    assert described["rows"] == 2 and described["weight"] == 2.0
    assert described["files"][0]["path"] == "a.jsonl" and described["files"][0]["rows"] == 2
    assert len(described["files"][0]["sha256"]) == 64


# -- what the loader refuses ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["sealed_9.jsonl", "Sealed-Extra.jsonl"])
def test_a_sealed_suite_is_refused_by_name(tmp_path: Path, name: str) -> None:
    # The sealed file is elsewhere and no sealed suite is compared by content, so only the
    # name can refuse it.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _write_suite(elsewhere / name, [_vignette("S-1", "fell over", "hear_and_treat")])
    listing = _listing(tmp_path, [f"elsewhere/{name}"])
    with pytest.raises(CorpusError, match=r"its name holds 'sealed'"):
        load_corpus(listing, sealed=[], held_out=[])


def test_a_link_to_a_sealed_suite_is_refused_by_the_name_it_resolves_to(tmp_path: Path) -> None:
    _write_suite(tmp_path / "sealed_4.jsonl", [_vignette("S-1", "fell over", "hear_and_treat")])
    (tmp_path / "innocent.jsonl").symlink_to(tmp_path / "sealed_4.jsonl")
    with pytest.raises(CorpusError, match=r"'innocent.jsonl' resolves to sealed_4.jsonl"):
        load_corpus(_listing(tmp_path, ["innocent.jsonl"]), sealed=[], held_out=[])


def test_a_sealed_narrative_is_refused_whatever_its_file_is_called(tmp_path: Path) -> None:
    _write_suite(tmp_path / "sealed_1.jsonl",
                 [_vignette("S-7", "Chest  tight, sweaty and grey", "deploy")])
    _write_suite(tmp_path / "mine.jsonl", [
        _vignette("M-1", "chest tight, sweaty and GREY", "deploy"),
        _vignette("M-2", "lost his wallet", "hear_and_treat"),
    ])
    with pytest.raises(CorpusError,
                       match=r"1 corpus narrative.*mine.jsonl M-1 \(in sealed_1.jsonl S-7\)"):
        load_corpus(_listing(tmp_path, ["mine.jsonl"]), held_out=[])


def test_the_project_sealed_suites_guard_a_listing_kept_anywhere(tmp_path: Path) -> None:
    """A listing outside vignettes/ is still compared with the project's sealed suites."""
    sealed_file = sorted(VIGNETTES.glob("sealed_*.jsonl"))[0]
    first = json.loads(sealed_file.read_text(encoding="utf-8").splitlines()[0])
    copied = {**first, "id": "COPY-1"}
    _write_suite(tmp_path / "renamed.jsonl", [copied])
    with pytest.raises(CorpusError, match=r"renamed.jsonl COPY-1 \(in sealed"):
        load_corpus(_listing(tmp_path, ["renamed.jsonl"]), held_out=[])


def test_a_narrative_the_safety_gate_holds_is_left_out_and_named(tmp_path: Path) -> None:
    from triage.vignettes import load_safety_suite

    gate = load_safety_suite()[0]
    _write_suite(tmp_path / "mine.jsonl", [
        {**_vignette("M-1", gate.request.narrative, gate.expected.value),
         "critical": gate.critical, "acceptable": [a.value for a in gate.acceptable]},
        _vignette("M-2", "lost his wallet", "hear_and_treat"),
    ])
    corpus = load_corpus(_listing(tmp_path, ["mine.jsonl"]))
    assert corpus.rows == 1 and corpus.frame["narrative"].to_list() == ["lost his wallet"]
    assert len(corpus.left_out) == 1
    assert corpus.left_out[0].startswith("mine.jsonl M-1 (in ")
    assert corpus.left_out[0].endswith(f" {gate.id})")
    assert corpus.describe()["left_out"] == list(corpus.left_out)


@pytest.mark.parametrize(
    ("weight", "extra", "files", "match"),
    [
        ("0", "", ["a.jsonl"], r"weight: Input should be greater than 0"),
        ("500", "", ["a.jsonl"], r"weight: Input should be less than or equal to 100"),
        ("2", "colour = 'blue'", ["a.jsonl"], r"colour: Extra inputs are not permitted"),
        ("2", "", [], r"file: Field required"),
        ("2", "", ["a.jsonl", "a.jsonl"], r"'a.jsonl' is listed twice"),
        ("2", "", ["missing.jsonl"], r"corpus file 'missing.jsonl'"),
        ("2", "", ["bad.jsonl"], r"corpus file 'bad.jsonl'.*line 1"),
    ],
)
def test_a_bad_listing_is_refused_naming_what_is_wrong(
    tmp_path: Path, weight: str, extra: str, files: list[str], match: str
) -> None:
    _write_suite(tmp_path / "a.jsonl", [_vignette("A-1", "fell over", "hear_and_treat")])
    (tmp_path / "bad.jsonl").write_text('{"id": "B-1", "request": {}}\n', encoding="utf-8")
    listing = _listing(tmp_path, files, weight=weight, extra=extra)
    with pytest.raises(CorpusError, match=match) as info:
        load_corpus(listing)
    assert str(listing) in str(info.value)


def test_a_listing_that_is_not_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corpus.toml"
    path.write_text("weight = [", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"corpus.toml: the corpus listing cannot be read"):
        load_corpus(path)
    with pytest.raises(CorpusError, match=r"does not exist"):
        load_corpus(tmp_path / "nowhere.toml")


# -- what it teaches ------------------------------------------------------------------------


@pytest.mark.slow
def test_the_corpus_teaches_a_word_history_never_uses(tmp_path: Path) -> None:
    """Direction: a word only the corpus uses, always on deploys, pushes towards deploy."""
    rows = [_vignette(f"Z-{i}", text, "deploy") for i, text in enumerate([
        "found him with the zorblax again", "zorblax, going downhill fast",
        "mum says she has the zorblax", "zorblax and not making sense",
        "the zorblax came on an hour ago", "zorblax, officers worried",
    ])]
    corpus = load_corpus(_listing(tmp_path, [_write_suite(tmp_path / "z.jsonl", rows).name],
                                  weight="5"))
    train, valid = history()
    with_corpus = fit_model(train, valid, candidates=("linear",), random_state=0,
                            corpus=corpus)
    without = fit_model(train, valid, candidates=("linear",), random_state=0)
    assert "text:word=zorblax" in with_corpus.feature_names
    assert "text:word=zorblax" not in without.feature_names
    # The synthetic rows the policy and calibration are fitted on are unchanged, so a request
    # in history's own words reads nearly the same; the corpus word moves towards deploy.
    probe = requests_of(valid.head(200))
    word = [TriageRequest(narrative=f"{r.narrative} zorblax", incident_type=r.incident_type)
            for r in probe]

    def p_deploy(model: TrainedModel, reqs: list[TriageRequest]) -> np.ndarray:
        return model.pipeline.predict_proba([r.model_dump() for r in reqs])[:, DEPLOY_INDEX]

    assert (p_deploy(with_corpus, word) - p_deploy(with_corpus, probe)).mean() > 0.02
    assert abs(p_deploy(with_corpus, probe).mean() - p_deploy(without, probe).mean()) < 0.02


def test_cli_train_corpus_options_contradict(synthetic_export: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["train", "--data", str(synthetic_export), "--corpus",
                                 str(default_listing()), "--no-corpus", "--models-dir",
                                 str(tmp_path / "models"), "--quiet"])
    assert result.exit_code == 2, result.output
    assert "--corpus and --no-corpus contradict each other" in result.output


def test_cli_train_refuses_a_bad_corpus_before_training(synthetic_export: Path,
                                                        tmp_path: Path) -> None:
    _write_suite(tmp_path / "sealed_2.jsonl", [_vignette("S-1", "fell over", "hear_and_treat")])
    result = runner.invoke(app, ["train", "--data", str(synthetic_export), "--corpus",
                                 str(_listing(tmp_path, ["sealed_2.jsonl"])), "--models-dir",
                                 str(tmp_path / "models"), "--quiet"])
    assert result.exit_code == 2, result.output
    assert "its name holds 'sealed'" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


@pytest.mark.slow
def test_cli_train_no_corpus_trains_on_the_export_alone(tmp_path: Path) -> None:
    data = tmp_path / "synthetic.parquet"
    write_frame(generate(3_000, 6), data)
    models = tmp_path / "models"
    result = runner.invoke(app, ["train", "--data", str(data), "--no-corpus", "--candidates",
                                 "linear", "--models-dir", str(models), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "corpus: none (--no-corpus)" in result.stderr
    version = result.stdout.split("version: ")[1].split()[0]
    assert read_manifest(models, version)["corpus"] is None


def test_the_corpus_joins_the_linear_fit_only_at_its_weight_and_without_facts(
    tmp_path: Path,
) -> None:
    """Calibration, boosting and validation rows are history's alone; the linear rows end with
    the corpus, labelled and weighted as listed, their fact columns empty. The vocabulary sample
    of history (here smaller than the history) always takes every corpus row too."""
    from triage.manifest import TrainConfig
    from triage.model import _prepare

    rows = [_vignette("Z-1", "zorblax and grey", "deploy"),
            _vignette("Z-2", "quibbet on his toe", "hear_and_treat"),
            _vignette("Z-3", "zorblax again", "clinical_advice"),
            _vignette("Z-4", "zorblax, officers worried", "deploy")]
    corpus = load_corpus(_listing(tmp_path, [_write_suite(tmp_path / "z.jsonl", rows).name],
                                  weight="4"))
    train, valid = history()
    config = TrainConfig(max_vocab_rows=500)

    def prepare(with_corpus: bool):  # type: ignore[no-untyped-def]
        return _prepare(train, valid, config, np.random.default_rng(0), lambda _: None, 0.0,
                        corpus if with_corpus else None)

    plain, joined = prepare(False), prepare(True)
    assert joined.boost_df.equals(plain.boost_df)
    assert joined.X_cal.shape[0] == plain.X_cal.shape[0]
    assert np.array_equal(joined.y_cal, plain.y_cal) and np.array_equal(joined.y_val, plain.y_val)
    assert joined.X_val.shape[0] == plain.X_val.shape[0]
    n = plain.X_lin.shape[0]
    assert joined.X_lin.shape[0] == n + 4
    # deploy, hear_and_treat, clinical_advice, deploy (DISPOSITIONS order: h&t, advice, deploy)
    assert joined.y_lin[n:].tolist() == [2, 0, 1, 2]
    assert plain.lin_weights is None
    assert joined.lin_weights is not None
    assert joined.lin_weights[n:].tolist() == [4.0] * 4 and set(joined.lin_weights[:n]) == {1.0}
    assert joined.corpus_share == pytest.approx(16 / (n + 16))
    facts = joined.features.fact_columns_
    assert joined.X_lin[n:][:, facts].nnz == 0
    assert joined.X_lin[:n][:, facts].nnz > 0
    # Three corpus narratives hold "zorblax" (min_df 3): only the corpus rows can have built it.
    assert "zorblax" in joined.features.text_.word_vocabulary_
    assert "zorblax" not in plain.features.text_.word_vocabulary_
