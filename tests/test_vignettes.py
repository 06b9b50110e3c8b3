"""Clinical vignettes: the loader's errors, the scoring arithmetic, the project's safety suite
(and its agreement with the red-flag rules), and ``triage vignettes`` through a registered model
and through a running service.

All vignettes here are written by hand and synthetic: no patient data.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from service_support import free_port, make_env, running
from typer.testing import CliRunner

from triage.predictor import Predictor
from triage.rules.engine import detect_red_flags, rule_names
from triage.schema import Disposition, TriageRequest
from triage.vignettes import (
    Vignette,
    VignetteError,
    load_safety_suite,
    load_vignettes,
    run_with_predictor,
    safety_suite_paths,
    score_vignettes,
)
from triage_cli.main import app

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "vignettes" / "examples.jsonl"

D, C, H = Disposition.DEPLOY, Disposition.CLINICAL_ADVICE, Disposition.HEAR_AND_TREAT


def _v(vid: str, expected: Disposition, acceptable: list[Disposition], critical: bool = False):
    return Vignette(
        id=vid,
        request=TriageRequest(narrative=f"synthetic narrative {vid}"),
        expected=expected,
        critical=critical,
        acceptable=acceptable,
        rationale="synthetic test vignette",
    )


def _line(**overrides: object) -> str:
    base: dict[str, object] = {
        "id": "T1",
        "request": {"narrative": "Male 40s sprained ankle, walking on it (synthetic)"},
        "expected": "hear_and_treat",
        "critical": False,
        "acceptable": ["hear_and_treat", "clinical_advice"],
        "rationale": "Minor injury.",
    }
    base.update(overrides)
    return json.dumps(base)


def _line_without(key: str) -> str:
    data = json.loads(_line())
    del data[key]
    return json.dumps(data)


# --- score_vignettes -------------------------------------------------------------------------


def test_score_figures_on_constructed_suggestions() -> None:
    vs = [
        _v("a", D, [D], critical=True),  # suggested deploy: hit
        _v("b", D, [D], critical=True),  # suggested clinical_advice: critical miss
        _v("c", C, [C, H]),  # suggested deploy: miss and over-triage
        _v("d", H, [H]),  # suggested hear_and_treat: fine
        _v("e", D, [D, C]),  # suggested clinical_advice: acceptable
        _v("f", C, [C]),  # suggested hear_and_treat: miss, not over-triage
    ]
    score = score_vignettes(vs, [D, C, D, H, C, H])
    assert score.n == 6
    assert score.n_critical == 2
    assert score.critical_sensitivity == pytest.approx(0.5)
    assert score.acceptable_rate == pytest.approx(3 / 6)
    assert score.n_deploy_unacceptable == 3  # c, d, f
    assert score.over_triage_rate == pytest.approx(1 / 3)
    assert [(v.id, s) for v, s in score.misses] == [("b", C), ("c", D), ("f", H)]
    assert [v.id for v in score.critical_misses] == ["b"]

    js = score.to_json()
    assert js["n"] == 6 and js["n_critical"] == 2
    assert js["critical_sensitivity"] == pytest.approx(0.5)
    assert js["acceptable_rate"] == pytest.approx(0.5)
    assert js["over_triage_rate"] == pytest.approx(1 / 3)
    assert [m["id"] for m in js["misses"]] == ["b", "c", "f"]
    assert js["misses"][0] == {
        "id": "b",
        "critical": True,
        "narrative": "synthetic narrative b",
        "expected": "deploy",
        "acceptable": ["deploy"],
        "suggested": "clinical_advice",
        "red_flag": None,
        "rationale": "synthetic test vignette",
    }
    assert js["critical_misses"] == [
        {
            "id": "b",
            "narrative": "synthetic narrative b",
            "suggested": "clinical_advice",
            "red_flag": None,
        }
    ]
    json.dumps(js)  # serialisable as is


def test_score_all_correct_and_all_deploy() -> None:
    vs = [_v("a", D, [D], critical=True), _v("b", H, [H, C]), _v("c", C, [C, D])]
    perfect = score_vignettes(vs, [D, H, C])
    assert (perfect.critical_sensitivity, perfect.acceptable_rate, perfect.over_triage_rate) == (
        1.0,
        1.0,
        0.0,
    )
    assert perfect.misses == [] and perfect.critical_misses == []
    # Sending everything to deploy catches every critical case and over-triages every case
    # where deploy is not acceptable (b only: c accepts deploy).
    everything = score_vignettes(vs, [D, D, D])
    assert everything.critical_sensitivity == 1.0
    assert everything.over_triage_rate == 1.0
    assert everything.acceptable_rate == pytest.approx(2 / 3)


def test_score_with_nothing_to_measure_is_nan_and_null() -> None:
    score = score_vignettes([_v("a", D, [D, C])], [C])
    assert math.isnan(score.critical_sensitivity)
    assert math.isnan(score.over_triage_rate)
    js = score.to_json()
    assert js["critical_sensitivity"] is None and js["over_triage_rate"] is None
    assert js["acceptable_rate"] == 1.0


def test_score_refuses_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="one suggestion per vignette: got 2 vignettes and 1"):
        score_vignettes([_v("a", H, [H]), _v("b", H, [H])], [H])


def test_score_accepts_disposition_strings() -> None:
    score = score_vignettes([_v("a", D, [D], critical=True)], ["deploy"])  # type: ignore[list-item]
    assert score.critical_sensitivity == 1.0


def test_score_refuses_a_suggestion_that_is_not_a_disposition() -> None:
    with pytest.raises(
        ValueError,
        match=r"suggestion for vignette 'b' must be one of hear_and_treat, clinical_advice, "
        r"deploy\. Got 'ambulance'\.",
    ):
        score_vignettes([_v("a", H, [H]), _v("b", D, [D])], ["hear_and_treat", "ambulance"])  # type: ignore[list-item]


# --- load_vignettes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "match"),
    [
        (['{"id": "T1", "request": '], r"line 1: not valid JSON: .*column"),
        (["[1, 2]"], r"line 1: must be a JSON object, got list"),
        ([_line(severity="high")], r"line 1 \(id 'T1'\): field 'severity': unknown field"),
        (
            [_line(request={"narrative": "x", "postcode": "L1"})],
            r"line 1 \(id 'T1'\): field 'request.postcode': unknown field",
        ),
        (
            [_line(expected="ambulance")],
            r"field 'expected': Input should be .*\(got \"ambulance\"\)",
        ),
        (
            [_line(acceptable=["hear_and_treat", "send_car"])],
            r"field 'acceptable.1': Input should be .*\(got \"send_car\"\)",
        ),
        (
            [_line(request={"narrative": "x", "breathing": "gasping"})],
            r"field 'request.breathing': .*\(got \"gasping\"\)",
        ),
        (
            [_line(request={"narrative": "x", "age": 300})],
            r"field 'request.age': Input should be less than or equal to 120 \(got 300\)",
        ),
        ([_line(request={"age": 30})], r"field 'request.narrative': required field is missing"),
        ([_line_without("rationale")], r"field 'rationale': required field is missing"),
        (
            [_line(expected="deploy")],
            r"'expected' \(deploy\) must be one of 'acceptable' "
            r"\(\['hear_and_treat', 'clinical_advice'\]\)",
        ),
        (
            [_line(acceptable=["hear_and_treat", "hear_and_treat"])],
            r"'acceptable' lists a disposition twice",
        ),
        (
            [_line(critical=True)],
            r"a 'critical' vignette must expect deploy and accept only deploy",
        ),
        (
            [_line(critical=True, expected="deploy", acceptable=["deploy", "clinical_advice"])],
            r"a 'critical' vignette must expect deploy and accept only deploy",
        ),
        (
            [_line(red_flag="stab_wound")],
            r"line 1 \(id 'T1'\): field 'red_flag': Value error, 'stab_wound' is not a red-flag "
            r"rule; use one of not_breathing, unconscious, .* \(got \"stab_wound\"\)",
        ),
        ([_line(), _line()], r"line 2: duplicate id 'T1' \(first used on line 1\)"),
        ([], r"holds no vignettes"),
        (["", "   "], r"holds no vignettes"),
    ],
    ids=[
        "bad-json",
        "not-object",
        "unknown-field",
        "unknown-request-field",
        "bad-expected-enum",
        "bad-acceptable-enum",
        "bad-request-enum",
        "age-out-of-range",
        "missing-narrative",
        "missing-rationale",
        "expected-not-acceptable",
        "acceptable-twice",
        "critical-not-deploy",
        "critical-accepts-other",
        "unknown-red-flag",
        "duplicate-id",
        "empty-file",
        "blank-lines-only",
    ],
)
def test_load_vignettes_errors(tmp_path: Path, lines: list[str], match: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    with pytest.raises(VignetteError, match=match) as info:
        load_vignettes(path)
    assert str(path) in str(info.value)  # every problem names the file


def test_load_vignettes_reports_every_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "several.jsonl"
    path.write_text(
        "\n".join([_line(id="A"), _line(id="B", expected="bad"), "{", _line(id="A")]) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(VignetteError) as info:
        load_vignettes(path)
    problems = info.value.problems
    assert len(problems) == 3
    assert "line 2 (id 'B'): field 'expected'" in problems[0]
    assert "line 3: not valid JSON" in problems[1]
    assert "line 4: duplicate id 'A'" in problems[2]


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda p: p / "missing.jsonl", r"missing.jsonl: no such file"),
        (lambda p: p, r"is a folder, not a JSONL file"),
    ],
    ids=["missing", "folder"],
)
def test_load_vignettes_unreadable(tmp_path: Path, make, match: str) -> None:
    with pytest.raises(VignetteError, match=match):
        load_vignettes(make(tmp_path))


def test_load_vignettes_reads_shared_examples_and_blank_lines(tmp_path: Path) -> None:
    examples = load_vignettes(EXAMPLES)
    assert len(examples) == 40
    assert examples[0].id == "E001" and examples[0].critical
    # Every line is read as written: nothing dropped, nothing defaulted in.
    raw = [json.loads(line) for line in EXAMPLES.read_text().splitlines() if line.strip()]
    assert [v.id for v in examples] == [r["id"] for r in raw]
    for v, r in zip(examples, raw, strict=True):
        assert v.request.model_dump(mode="json", exclude_none=True) == r["request"], v.id
        assert (v.expected.value, v.critical) == (r["expected"], r["critical"]), v.id
        assert [a.value for a in v.acceptable] == r["acceptable"], v.id
    path = tmp_path / "ok.jsonl"
    path.write_text("\n" + _line(id="A") + "\n\n" + _line(id="B", red_flag="seizure") + "\n")
    loaded = load_vignettes(path)
    assert [v.id for v in loaded] == ["A", "B"]
    assert loaded[1].red_flag == "seizure" and loaded[0].red_flag is None


# --- the safety suite --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def suite() -> list[Vignette]:
    return load_safety_suite()


def test_suite_files_are_the_package_data() -> None:
    names = [p.name for p in safety_suite_paths()]
    assert names == sorted(names)
    assert all("vignette" in n and n.endswith(".jsonl") for n in names)
    assert {
        "vignettes_red_flags.jsonl",
        "vignettes_negated.jsonl",
        "vignettes_benign.jsonl",
    } <= set(names)
    assert all(p.is_file() and p.parent.name == "data" for p in safety_suite_paths())


def test_suite_size_and_mix(suite: list[Vignette]) -> None:
    assert len(suite) >= 150
    assert len({v.id for v in suite}) == len(suite)
    expected = Counter(v.expected for v in suite)
    assert expected[D] >= 60 and expected[C] >= 30 and expected[H] >= 30
    non_red_deploys = [v for v in suite if v.expected is D and not v.critical]
    assert len(non_red_deploys) >= 8
    # Narrative-only requests (as control rooms often send) and requests with structured facts.
    narrative_only = [v for v in suite if v.request.model_fields_set == {"narrative"}]
    assert len(narrative_only) >= 40
    assert len(suite) - len(narrative_only) >= 100
    # Honest ambiguity: some non-critical cases accept more than one disposition.
    assert sum(len(v.acceptable) > 1 for v in suite) >= 30


def test_suite_critical_vignettes_name_their_red_flag(suite: list[Vignette]) -> None:
    critical = [v for v in suite if v.critical]
    assert critical and all(v.red_flag for v in critical)
    known = set(rule_names())
    unknown = sorted({v.red_flag for v in suite if v.red_flag and v.red_flag not in known})
    assert unknown == [], f"red_flag names not in triage.rules.engine.rule_names(): {unknown}"


def test_every_rule_has_three_critical_vignettes(suite: list[Vignette]) -> None:
    per_rule = Counter(v.red_flag for v in suite if v.critical)
    thin = {name: per_rule[name] for name in rule_names() if per_rule[name] < 3}
    assert thin == {}, f"rules with fewer than 3 critical vignettes: {thin}"


def test_every_critical_narrative_triggers_a_red_flag(suite: list[Vignette]) -> None:
    """The narrative alone (structured facts withheld) must raise at least one red flag."""
    undetected = [
        v.id
        for v in suite
        if v.critical and not detect_red_flags(TriageRequest(narrative=v.request.narrative))
    ]
    assert undetected == [], f"critical vignettes the rules miss from the narrative: {undetected}"


def test_critical_vignettes_trigger_their_own_rule(suite: list[Vignette]) -> None:
    wrong = {
        v.id: sorted(f.name for f in detect_red_flags(v.request))
        for v in suite
        if v.critical and v.red_flag not in {f.name for f in detect_red_flags(v.request)}
    }
    assert wrong == {}, f"critical vignettes whose named rule does not fire (found): {wrong}"


def test_negated_look_alikes_do_not_trigger_their_rule(suite: list[Vignette]) -> None:
    """Where deploy is not acceptable, the imitated red flag firing would force over-triage."""
    fired = {
        v.id: sorted(f.name for f in detect_red_flags(v.request))
        for v in suite
        if not v.critical
        and v.red_flag
        and not v.deploy_acceptable
        and v.red_flag in {f.name for f in detect_red_flags(v.request)}
    }
    assert fired == {}, f"negated look-alikes on which the imitated rule fires: {fired}"


def test_no_red_flag_where_deploy_is_unacceptable(suite: list[Vignette]) -> None:
    """A red flag forces deploy, so any rule firing on a vignette where a clinician would not
    accept deploy (benign presentations included) is an over-triage the model cannot undo."""
    fired = {
        v.id: sorted(f.name for f in flags)
        for v in suite
        if not v.deploy_acceptable and (flags := detect_red_flags(v.request))
    }
    assert fired == {}, f"red flags forcing deploy where deploy is not acceptable: {fired}"


# --- triage vignettes (command) ----------------------------------------------------------------


runner = CliRunner()


def test_command_bad_file_exits_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(_line(expected="ambulance") + "\n")
    result = runner.invoke(app, ["vignettes", str(bad), "--url", "http://127.0.0.1:1"])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert "line 1" in result.output and "'expected'" in result.output
    assert "Traceback" not in result.output


def test_command_model_and_url_are_exclusive() -> None:
    result = runner.invoke(
        app,
        [
            "vignettes",
            str(EXAMPLES),
            "--model",
            "20261122T001530Z-ab12cd",
            "--url",
            "http://127.0.0.1:1",
        ],
    )
    assert result.exit_code == 2
    assert "mutually exclusive" in result.output


def test_command_unreachable_service_exits_2() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(app, ["vignettes", str(EXAMPLES), "--url", url])
    assert result.exit_code == 2
    assert "cannot reach the service" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_command_unknown_model_exits_2(trained_models_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "vignettes",
            str(EXAMPLES),
            "--model",
            "20000101T000000Z-abcdef",
            "--models-dir",
            str(trained_models_dir),
        ],
    )
    assert result.exit_code == 2
    assert "cannot load model '20000101T000000Z-abcdef'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_command_through_registered_model(trained_models_dir: Path, predictor: Predictor) -> None:
    vignettes = load_vignettes(EXAMPLES)
    direct = score_vignettes(vignettes, run_with_predictor(predictor, vignettes))

    as_json = runner.invoke(
        app, ["vignettes", str(EXAMPLES), "--models-dir", str(trained_models_dir), "--json"]
    )
    assert as_json.exit_code == 0, as_json.output
    out = json.loads(as_json.stdout)
    assert out == {"file": str(EXAMPLES), "source": out["source"], **direct.to_json()}
    assert out["source"].startswith("model ") and "current" not in out["source"]
    assert out["n"] == 40 and out["n_critical"] == sum(v.critical for v in vignettes)

    table = runner.invoke(
        app,
        ["vignettes", str(EXAMPLES), "--models-dir", str(trained_models_dir)],
        env={"COLUMNS": "200"},
    )
    assert table.exit_code == 0, table.output
    assert "critical sensitivity" in table.output and "over-triage rate" in table.output
    for miss in out["misses"]:  # every miss is listed with its narrative
        assert re.search(rf"\b{re.escape(miss['id'])}\b", table.output)
        assert miss["narrative"].split()[0] in table.output


@pytest.mark.slow
def test_a_sealed_suite_is_scored_as_counts_only(trained_models_dir: Path, tmp_path: Path) -> None:
    """A file named as a sealed suite never shows its misses unless asked: the gunshot below is
    made a miss (its expectations rewritten), and its narrative stays out of the output."""
    rows = [json.loads(line) for line in EXAMPLES.read_text(encoding="utf-8").splitlines() if line]
    rows[0].update(expected="hear_and_treat", acceptable=["hear_and_treat"], critical=False)
    sealed = tmp_path / "sealed_demo.jsonl"
    sealed.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    narrative = rows[0]["request"]["narrative"]
    base = ["vignettes", str(sealed), "--models-dir", str(trained_models_dir)]

    as_json = runner.invoke(app, [*base, "--json"])
    assert as_json.exit_code == 0, as_json.output
    out = json.loads(as_json.stdout)
    assert out["n_misses"] >= 1 and out["misses"] == [] and out["misses_withheld"] is True
    assert narrative not in as_json.stdout

    table = runner.invoke(app, base, env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "Misses withheld" in table.output and "sealed suite" in table.output
    assert narrative not in table.output and rows[0]["id"] not in table.output

    shown = runner.invoke(app, [*base, "--show-sealed-misses"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert narrative in shown.output


@pytest.mark.slow
def test_command_reads_models_dir_from_environment(
    trained_models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from triage.settings import get_settings

    monkeypatch.setenv("TRIAGE_MODELS_DIR", str(trained_models_dir))
    get_settings.cache_clear()
    try:
        result = runner.invoke(app, ["vignettes", str(EXAMPLES), "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["n"] == 40


# --- triage vignettes --url against the real service (uvicorn in a subprocess) -----------------


@pytest.fixture(scope="module")
def running_service(
    trained_models_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """The real service (``service.app:create_app``) serving the trained model on a free port;
    yields its base URL and a handler key."""
    env = make_env(tmp_path_factory.mktemp("vignette-service"), trained_models_dir)
    with running(env, "vignettes",
                 ready=lambda url: httpx.get(f"{url}/readyz", timeout=2).status_code == 200
                 ) as server:
        yield server.url, env.keys.handler


def test_the_vignette_client_posts_to_the_services_batch_route() -> None:
    """The HTTP client lives in triage_cli (the core holds none); its route is the service's."""
    import triage.vignettes as core
    from service.app import BATCH_PATH
    from triage_cli.service_client import BATCH_ROUTE

    assert BATCH_ROUTE == BATCH_PATH
    assert "httpx" not in core.__dict__ and not hasattr(core, "run_with_service")
