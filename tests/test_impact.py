"""``triage impact``: the arithmetic (triage.impact) on hand-made rows, and the command on
synthetic history through the registered fixture model, its agreement with ``triage evaluate``
and its HTML report in a real browser.

All data here is synthetic.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import playwright.sync_api as playwright_sync
import polars as pl
import pytest
from test_page import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from typer.testing import CliRunner

from training.evaluate import evaluate
from triage.history.synth import generate, write_frame
from triage.impact import Durations, ImpactError, assess
from triage.registry import load_model
from triage.settings import Settings
from triage_cli.main import app

DUR = Durations(
    ambulance={"hear_and_treat": 0.0, "clinical_advice": 0.0, "deploy": 60.0},
    officer={"hear_and_treat": 6.0, "clinical_advice": 12.0, "deploy": 120.0},
    sources={},
)
REQUIRED_KEYS = {"requests", "suggested", "deployments_avoided", "ambulance_hours_saved",
                 "officer_hours_saved", "under_triage_rate", "over_triage_rate"}


def frame(labels: list[str], **extra: list[Any]) -> pl.DataFrame:
    n = len(labels)
    return pl.DataFrame({
        "narrative": [f"SYNTHETIC {i}" for i in range(n)],
        "received_at": [datetime(2026, 11, 2 + (i % 2) * 7, 10 + i % 3) for i in range(n)],
        "force": ["north" if i % 2 else "south" for i in range(n)],
        "disposition": labels,
        **extra,
    })


def test_the_arithmetic_on_six_requests() -> None:
    labels = ["deploy", "deploy", "clinical_advice", "hear_and_treat", "clinical_advice",
              "deploy"]
    suggested = ["deploy", "clinical_advice", "deploy", "hear_and_treat", "clinical_advice",
                 "deploy"]
    r = assess(frame(labels), suggested, durations=DUR)
    assert r["requests"] == 6
    assert r["suggested"] == {"hear_and_treat": 1, "clinical_advice": 2, "deploy": 3}
    assert r["deployments_avoided"] == 3
    assert r["ambulance_hours_saved"] == pytest.approx(3.0)  # 6 h today, 3 h suggested
    # Today: 6 x 120 min; suggested: 3 x 120 + 2 x 12 + 1 x 6 = 390 min.
    assert r["officer_hours_saved"] == pytest.approx((720 - 390) / 60)
    assert r["under_triage_rate"] == pytest.approx(1 / 3)
    assert r["under_triaged"] == 1 and r["needed_deploy"] == 3
    assert r["over_triage_rate"] == pytest.approx(1 / 3)
    lo, hi = r["under_triage_ci"]
    assert lo < 1 / 3 < hi
    assert [g["key"] for g in r["by_force"]] == ["north", "south"]
    assert sum(g["requests"] for g in r["by_week"]) == 6 and len(r["by_week"]) == 2
    assert r["by_week"][0]["key"] == "2026-W45"
    assert r["by_hour_of_week"][0]["key"] == "Mon 10:00"
    assert "handlers" not in r


def test_a_baseline_that_deploys_half_and_the_handlers_figures() -> None:
    labels = ["deploy", "clinical_advice", "hear_and_treat", "deploy"]
    r = assess(frame(labels, suggested=["deploy", "deploy", "hear_and_treat",
                                        "clinical_advice"]),
               ["deploy", "clinical_advice", "hear_and_treat", "deploy"], durations=DUR,
               baseline_deploy_rate=0.5)
    assert r["baseline_deployments"] == 2 and r["deployments_avoided"] == 0
    # Today: 2 deploys (240 min) + 2 counted as clinical advice (24); suggested 264 - 6 + 12.
    assert r["officer_hours_saved"] == pytest.approx((264 - (240 + 12 + 6)) / 60)
    h = r["handlers"]
    assert h["n"] == 4 and h["followed_rate"] == pytest.approx(2 / 4)
    assert {(p["suggested"], p["final"]) for p in h["overrides"]} == {
        ("deploy", "clinical_advice"), ("clinical_advice", "deploy")}
    assert h["upgraded_to_deploy"] == 1 and h["downgraded_from_deploy"] == 1


@pytest.mark.parametrize(
    ("labels", "suggestions", "kwargs", "match"),
    [
        (["deploy", "maybe"], ["deploy", "deploy"], {}, "row 2: disposition is 'maybe'"),
        (["deploy"], ["deploy", "deploy"], {}, "2 suggestions for 1 requests"),
        (["deploy"], ["ambulance"], {}, "row 1: suggestion is 'ambulance'"),
        (["deploy"], ["deploy"], {"baseline_deploy_rate": 1.5}, "between 0 and 1"),
    ],
)
def test_bad_input_is_named(labels: list[str], suggestions: list[str], kwargs: dict[str, Any],
                            match: str) -> None:
    with pytest.raises(ImpactError, match=match):
        assess(frame(labels), suggestions, durations=DUR, **kwargs)


def test_every_duration_default_names_a_source_or_says_it_is_an_assumption() -> None:
    d = Durations.from_settings(Settings())
    assert len(d.sources) == 6
    for name, text in d.sources.items():
        assert "ASSUMPTION" in text or "spec/requests.md" in text, name


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("impact") / "history.parquet"
    write_frame(generate(2000, 11), path)
    return path


def test_impact_json_matches_evaluate_and_the_report_renders(
    history: Path, trained_models_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    res = CliRunner().invoke(app, ["impact", "--data", str(history), "--models-dir",
                                   str(trained_models_dir), "--json", "--out", str(out)])
    assert res.exit_code == 0, res.output
    r = json.loads(res.stdout)
    assert set(r) >= REQUIRED_KEYS
    assert r["requests"] == 2000 and sum(r["suggested"].values()) == 2000
    assert r["deployments_avoided"] == 2000 - r["suggested"]["deploy"] > 0
    assert r["ambulance_hours_saved"] == pytest.approx(r["deployments_avoided"] * 1.5)
    assert r["provenance"]["synthetic"] is True
    assert len(r["provenance"]["data_fingerprint_sha256"]) == 64
    # The same model and data through triage evaluate, with the rules as served.
    model, manifest = load_model(trained_models_dir, "current")
    assert r["provenance"]["model_version"] == manifest["version"]
    served = evaluate(model, pl.read_parquet(history))["with_red_flag_rules"]
    assert r["under_triage_rate"] == pytest.approx(served["under_triage_rate"], abs=1e-12)
    assert r["under_triage_ci"] == pytest.approx(served["under_triage_ci"])
    assert 1 - r["suggested"]["deploy"] / 2000 == pytest.approx(served["diversion_rate"])
    assert {g["key"] for g in r["by_hour_of_week"]} <= {
        f"{d} {h:02d}:00" for d in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
        for h in range(24)}
    assert sum(g["requests"] for g in r["by_force"]) == 2000

    index = Path(r["report_path"])
    assert index == out / "index.html"
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(index.as_uri())
            text = page.inner_text("body")
            images = page.evaluate(
                "() => Array.from(document.images).map(i => [i.getAttribute('src'),"
                " i.complete && i.naturalWidth > 0])")
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            shot = ARTIFACTS / "impact-report.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert len(images) == 3 and all(ok for _, ok in images), images
    assert "SYNTHETIC DATA" in text
    assert r["provenance"]["model_version"] in text
    assert r["provenance"]["data_fingerprint_sha256"] in text
    assert f"{r['deployments_avoided']:,.0f}" in text
    assert "TRIAGE_IMPACT_AMBULANCE_MINUTES_DEPLOY" in text and "ASSUMPTION" in text
    assert shot.stat().st_size > 20_000


def test_impact_of_an_audit_export_shows_how_handlers_followed(
    history: Path, trained_models_dir: Path, tmp_path: Path
) -> None:
    """An audit export carries ``suggested``: the report adds how handlers followed it."""
    audit = pl.read_parquet(history).head(300)
    rng = np.random.default_rng(3)
    suggested = np.where(rng.random(300) < 0.8, audit["disposition"].cast(pl.String).to_numpy(),
                         "deploy")
    path = tmp_path / "audit.csv"
    audit.drop([c for c in audit.columns if c.startswith("p_")]).with_columns(
        suggested=pl.Series(suggested)).write_csv(path)
    res = CliRunner().invoke(app, ["impact", "--data", str(path), "--models-dir",
                                   str(trained_models_dir), "--json"])
    assert res.exit_code == 0, res.output
    h = json.loads(res.stdout)["handlers"]
    assert h["n"] == 300
    expected = float(np.mean(suggested == audit["disposition"].cast(pl.String).to_numpy()))
    assert h["followed_rate"] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--model", "20990101T000000Z-abcdef"], "20990101T000000Z-abcdef"),
        (["--baseline-deploy-rate", "2"], "--baseline-deploy-rate"),
    ],
)
def test_impact_cli_errors(history: Path, trained_models_dir: Path, args: list[str],
                           match: str) -> None:
    res = CliRunner().invoke(app, ["impact", "--data", str(history), "--models-dir",
                                   str(trained_models_dir), *args])
    assert res.exit_code == 2
    assert match in res.output
    assert "Traceback" not in res.output


def test_impact_of_a_missing_file_is_a_clear_error(trained_models_dir: Path,
                                                   tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["impact", "--data", str(tmp_path / "nope.csv"),
                                   "--models-dir", str(trained_models_dir)])
    assert res.exit_code == 2
    assert "nope.csv" in res.output
