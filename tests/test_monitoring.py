"""Input drift (triage.population), synthetic drift (triage.history.drift), the live drift and
override metrics of the real service, and ``triage monitor`` on its audit store.

Each monitor is shown to fire on drifted synthetic streams and to stay quiet on undrifted ones.
The reference is the fixture model's own input profile, stored in its manifest at training.
All data is synthetic.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from service_support import make_env, running
from typer.testing import CliRunner

from triage.history.drift import DriftError, shift_case_mix, shift_missingness, shift_wording
from triage.history.synth import generate
from triage.monitoring import summarise
from triage.population import (
    DRIFT_FIELDS,
    PSI_MAJOR,
    PSI_MODERATE,
    RollingDrift,
    bins_of,
    profile_frame,
    psi,
)
from triage.registry import read_manifest, resolve_version
from triage.schema import TriageRequest
from triage_cli.main import app


def requests_of(frame: pl.DataFrame) -> list[TriageRequest]:
    fields = [f for f in TriageRequest.model_fields if f in frame.columns]
    return [TriageRequest.model_validate(r) for r in frame.select(fields).iter_rows(named=True)]


@pytest.fixture(scope="module")
def profile(trained_models_dir: Path) -> dict[str, Any]:
    manifest = read_manifest(trained_models_dir, resolve_version(trained_models_dir))
    return manifest["input_profile"]


@pytest.fixture(scope="module")
def live() -> pl.DataFrame:
    """An undrifted stream: the same generator, another seed."""
    return generate(1000, 21)


def window_psi(profile: dict[str, Any], frame: pl.DataFrame) -> dict[str, float]:
    drift = RollingDrift(profile, window=frame.height, min_requests=200)
    for r in requests_of(frame):
        drift.observe(r)
    result = drift.psi_by_field()
    assert result is not None
    return result


def test_the_manifest_profiles_every_field_with_shares_summing_to_one(
    profile: dict[str, Any]
) -> None:
    assert set(profile["fields"]) == set(DRIFT_FIELDS)
    for field, shares in profile["fields"].items():
        assert math.isclose(sum(shares.values()), 1.0, abs_tol=1e-9), field
    assert profile["rows"] > 10_000


def test_the_vectorised_profile_bins_exactly_as_each_request_is_binned(
    live: pl.DataFrame
) -> None:
    frame = shift_missingness(live, "age", 0.3, seed=2)
    expected = profile_frame(frame)["fields"]
    counts: dict[str, Counter[str]] = {f: Counter() for f in DRIFT_FIELDS}
    for r in requests_of(frame):
        for f, b in bins_of(r).items():
            counts[f][b] += 1
    for f in DRIFT_FIELDS:
        assert {b: c / frame.height for b, c in counts[f].items()} == pytest.approx(expected[f])


def test_psi_arithmetic() -> None:
    assert psi({"a": 0.5, "b": 0.5}, {"a": 50, "b": 50}) == pytest.approx(0.0)
    # (0.8-0.5)ln(0.8/0.5) + (0.2-0.5)ln(0.2/0.5)
    assert psi({"a": 0.5, "b": 0.5}, {"a": 80, "b": 20}) == pytest.approx(
        0.3 * math.log(1.6) + 0.3 * math.log(2.5))
    with pytest.raises(ValueError, match="no observations"):
        psi({"a": 1.0}, {})


def test_an_undrifted_stream_stays_quiet(profile: dict[str, Any], live: pl.DataFrame) -> None:
    values = window_psi(profile, live)
    assert max(values.values()) < PSI_MODERATE, values


@pytest.mark.parametrize(
    ("shift", "field"),
    [
        (lambda f: shift_case_mix(f, {"overdose": 6, "mental_health": 6, "self_harm": 4},
                                  seed=3), "incident_type"),
        (lambda f: shift_missingness(f, "age", 0.8, seed=3), "age"),
        (lambda f: shift_missingness(f, "conscious", 0.9, seed=3), "conscious"),
        (lambda f: shift_wording(f, "pasted", seed=3), "narrative_length"),
        (lambda f: shift_wording(f, "terse", seed=3), "narrative_length"),
    ],
    ids=["case-mix", "age-missing", "conscious-missing", "pasted-wording", "terse-wording"],
)
def test_each_drift_raises_its_field_past_the_alert_threshold(
    profile: dict[str, Any], live: pl.DataFrame, shift: Any, field: str
) -> None:
    values = window_psi(profile, shift(live))
    assert values[field] > PSI_MAJOR, values


def test_the_window_forgets_old_requests(profile: dict[str, Any], live: pl.DataFrame) -> None:
    drift = RollingDrift(profile, window=500, min_requests=200)
    assert drift.psi_by_field() is None
    for r in requests_of(shift_missingness(live.head(500), "age", 0.9, seed=1)):
        drift.observe(r)
    drifted = drift.psi_by_field()
    assert drifted is not None and drifted["age"] > PSI_MAJOR
    for r in requests_of(live.tail(500)):
        drift.observe(r)
    assert len(drift) == 500
    recovered = drift.psi_by_field()
    assert recovered is not None and recovered["age"] < PSI_MODERATE


def test_unknown_words_keep_the_rows_and_replace_the_words(live: pl.DataFrame) -> None:
    shifted = shift_wording(live.head(50), "unknown_words", share=1.0, seed=4)
    assert shifted.height == 50
    for before, after in zip(live.head(50)["narrative"], shifted["narrative"], strict=True):
        assert len(after.split()) == len(before.split())
        assert not set(after.lower().split()) & set(before.lower().split())


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda f: shift_case_mix(f, {"brawl": 2}), "'brawl' is not an incident_type"),
        (lambda f: shift_case_mix(f, {"fall": -1}), "weight of 'fall' must be >= 0"),
        (lambda f: shift_wording(f, "shouty"), "style 'shouty' is not one of"),
        (lambda f: shift_missingness(f, "narrative", 0.5), "'narrative' is not an optional"),
        (lambda f: shift_missingness(f, "age", 1.5), "share must be between 0 and 1"),
    ],
)
def test_bad_drift_options_are_named(live: pl.DataFrame, call: Any, match: str) -> None:
    with pytest.raises(DriftError, match=match):
        call(live)


def test_summarise_says_nothing_changed_on_an_undrifted_period(
    profile: dict[str, Any], live: pl.DataFrame
) -> None:
    records = [{"request": r.model_dump(), "suggestion": "deploy", "red_flags": [],
                "unfamiliar_wording": False, "final_disposition": "deploy",
                "model_version": "v"} for r in requests_of(live)]
    s = summarise(records, profile)
    assert s["n"] == 1000 and s["override_rate"] == 0.0
    assert s["findings"] == ["Nothing has changed beyond the alert thresholds over 1,000 "
                             "requests."]


PSI_LINE = re.compile(r'^triage_input_drift_psi\{field="([a-z_]+)"\} ([0-9.e+-]+)$', re.M)


@pytest.mark.slow
@pytest.mark.xdist_group("monitoring")
def test_the_live_metrics_and_triage_monitor_fire_on_drift_and_not_without(
    tmp_path: Path, trained_models_dir: Path, live: pl.DataFrame
) -> None:
    env = make_env(tmp_path, trained_models_dir)
    env.extra_env.update(TRIAGE_DRIFT_WINDOW="400", TRIAGE_DRIFT_MIN_REQUESTS="200")
    drifted = shift_case_mix(live.head(400), {"overdose": 6, "mental_health": 6,
                                              "self_harm": 4}, seed=5)
    analyst = env.keys.auth("analyst")

    def send(frame: pl.DataFrame) -> list[dict[str, Any]]:
        # Resampled rows repeat a request_id, and the service answers a repeated request_id
        # from the store (idempotent requests): send each row as a request of its own.
        body = {"requests": [json.loads(r.model_dump_json(exclude_none=True,
                                                          exclude={"request_id"}))
                             for r in requests_of(frame)]}
        r = client.post("/v1/triage/batch", json=body, headers=analyst)
        assert r.status_code == 200, r.text
        return r.json()["results"]

    def psi_now() -> dict[str, float]:
        return {f: float(v) for f, v in PSI_LINE.findall(client.get("/metrics").text)}

    with running(env, "monitoring") as server, server.client() as client:
        send(live.head(100))
        assert psi_now() == {}, "no drift figure before drift_min_requests"
        results = send(drifted)
        drifted_psi = psi_now()
        assert drifted_psi["incident_type"] > PSI_MAJOR, drifted_psi
        # Handlers override 40 of the drifted suggestions.
        handler = env.keys.auth("handler")
        for res in results[:40]:
            final = "clinical_advice" if res["suggestion"] == "deploy" else "deploy"
            r = client.post(f"/v1/triage/{res['id']}/outcome", json={"final_disposition": final},
                            headers=handler)
            assert r.status_code == 200, r.text
        send(live.tail(400))
        quiet = psi_now()
        assert set(quiet) == set(DRIFT_FIELDS)
        assert max(quiet.values()) < PSI_MODERATE, quiet
        text = client.get("/metrics").text
        overrides = sum(float(v) for v in re.findall(
            r"^triage_handler_overrides_total\{[^}]*\} ([0-9.]+)$", text, re.M))
        assert overrides == 40
        assert "triage_input_drift_window_requests 400.0" in text

    res = CliRunner().invoke(app, ["monitor", "--json", "--db-url", env.db_url,
                                   "--models-dir", str(env.models_dir)])
    assert res.exit_code == 0, res.output
    s = json.loads(res.stdout)
    assert s["n"] == 900 and s["outcomes"] == 40
    assert s["override_rate"] == 1.0 and s["override_ci"][0] > 0.9
    assert s["compared_with"] == resolve_version(env.models_dir)
    assert s["audit_store"] == env.db_url and s["generated_at"]
    assert s["drift"]["incident_type"]["psi"] > PSI_MODERATE
    text = " ".join(s["findings"])
    assert "incident type has" in text and "Handlers overrode 100.0%" in text

    human = CliRunner().invoke(app, ["monitor", "--db-url", env.db_url, "--models-dir",
                                     str(env.models_dir)])
    assert human.exit_code == 0, human.output
    assert "override rate" in human.stdout and "incident type has" in human.stdout


def test_monitor_with_a_bad_date_is_a_clear_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["monitor", "--since", "yesterday", "--db-url",
                                   f"sqlite:///{tmp_path / 'a.db'}"])
    assert res.exit_code == 2
    assert "--since must be a date" in res.output
