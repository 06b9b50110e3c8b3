"""Shadow running: a second registered version scores every live request beside the serving
one, stored with the audit record, never shown to the caller; ``triage shadow report``; the
promotion gate recording the report as evidence.

The second version is trained here, small (6,000 synthetic rows, the linear candidate): the
fixture model alone cannot show disagreement. All data is synthetic.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from service_support import Server, make_env, running
from typer.testing import CliRunner

from service.metrics import ServiceMetrics
from service.shadow import ShadowRunner
from service.store import AuditStore, new_id
from training.train import train_and_register
from triage.history.synth import generate, write_frame
from triage.predictor import Predictor
from triage.registry import load_predictor, read_manifest
from triage.schema import TriageRequest
from triage.shadow import ShadowReportError, check_report, compare
from triage_cli.main import app

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("shadow")]


@dataclass
class ShadowSetup:
    server: Server
    serving: Predictor
    shadow: Predictor
    requests: list[TriageRequest]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory, trained_models_dir: Path
          ) -> Iterator[ShadowSetup]:
    root = tmp_path_factory.mktemp("shadow")
    env = make_env(root, trained_models_dir)
    data = root / "small.parquet"
    write_frame(generate(6000, 5), data)
    candidate = train_and_register(data, env.models_dir, candidates=("linear",)).version
    env.extra_env["TRIAGE_SHADOW_VERSION"] = candidate
    frame = generate(120, 77)
    requests = [TriageRequest.model_validate({k: v for k, v in row.items()
                                              if k in TriageRequest.model_fields})
                for row in frame.iter_rows(named=True)]
    with running(env, "shadow") as server:
        yield ShadowSetup(server, load_predictor(env.models_dir, "current"),
                          load_predictor(env.models_dir, candidate), requests)


def _wait_for_shadow(store: AuditStore, ids: list[str], timeout: float = 60.0) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        rows = [store.get_suggestion(i) for i in ids]
        if all(r is not None and r["shadow_suggestion"] is not None for r in rows):
            return [r for r in rows if r is not None]
        if time.monotonic() > deadline:
            missing = sum(1 for r in rows if r is None or r["shadow_suggestion"] is None)
            raise AssertionError(f"{missing} of {len(ids)} records have no shadow suggestion")
        time.sleep(0.1)


def test_every_request_is_shadowed_and_the_answer_is_the_serving_models(
    setup: ShadowSetup, tmp_path: Path
) -> None:
    server = setup.server
    headers = server.env.keys.auth("handler")
    bodies = []
    with server.client() as client:
        for req in setup.requests[:80]:
            r = client.post("/v1/triage", content=req.model_dump_json(exclude_none=True),
                            headers={**headers, "content-type": "application/json"})
            assert r.status_code == 200, r.text
            bodies.append(r.json())
        batch = [json.loads(q.model_dump_json(exclude_none=True)) for q in setup.requests[80:]]
        r = client.post("/v1/triage/batch", json={"requests": batch},
                        headers=server.env.keys.auth("analyst"))
        assert r.status_code == 200, r.text
        bodies.extend(r.json()["results"])
        # Outcomes recorded as needing deploy on a few, for the under-triage comparison.
        for b in bodies[:30]:
            client.post(f"/v1/triage/{b['id']}/outcome", json={"final_disposition": "deploy"},
                        headers=headers)
        metrics = client.get("/metrics").text

    # The caller's answer is the serving model's, and carries nothing of the shadow.
    for body, req in zip(bodies, setup.requests, strict=True):
        expected = setup.serving.suggest(req)
        assert body["model_version"] == setup.serving.version
        assert body["suggestion"] == expected.suggestion.value
        assert body["probabilities"] == pytest.approx(expected.probabilities, abs=1e-9)
        assert not any("shadow" in k for k in body)
        assert setup.shadow.version not in json.dumps(body)

    store = AuditStore(server.env.db_url)
    try:
        stored = _wait_for_shadow(store, [b["id"] for b in bodies])
    finally:
        store.engine.dispose()
    shadow_suggestions = [setup.shadow.suggest(q) for q in setup.requests]
    for row, s in zip(stored, shadow_suggestions, strict=True):
        assert row["shadow_version"] == setup.shadow.version
        assert row["shadow_suggestion"] == s.suggestion.value
        assert json.loads(row["shadow_probabilities_json"]) == pytest.approx(s.probabilities)
        assert json.loads(row["shadow_red_flags_json"]) == [f.name for f in s.red_flags]

    served = [b["suggestion"] for b in bodies]
    shadowed = [s.suggestion.value for s in shadow_suggestions]
    assert "triage_shadow_suggestions_total" in metrics

    res = CliRunner().invoke(app, ["shadow", "report", "--json", "--db-url",
                                   server.env.db_url])
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    n = len(bodies)
    assert report["n"] == n and report["not_shadowed"] == 0
    assert report["agreement"] == pytest.approx(
        sum(a == b for a, b in zip(served, shadowed, strict=True)) / n)
    assert report["to_deploy"] == sum(a != "deploy" and b == "deploy"
                                      for a, b in zip(served, shadowed, strict=True))
    assert report["from_deploy"] == sum(a == "deploy" and b != "deploy"
                                        for a, b in zip(served, shadowed, strict=True))
    assert report["shadow_version"] == setup.shadow.version
    assert report["serving_versions"] == {setup.serving.version: n}
    assert report["with_outcome_needing_deploy"] == 30
    assert report["under_triage"]["serving"]["missed"] == sum(
        s != "deploy" for s in served[:30])
    assert report["under_triage"]["shadow"]["missed"] == sum(
        s != "deploy" for s in shadowed[:30])
    assert report["audit_store"].endswith("triage.db")
    assert report["findings"][0].startswith(f"The shadow ({setup.shadow.version}) agreed")

    # The report as evidence for promoting the shadow version.
    evidence = tmp_path / "shadow.json"
    evidence.write_text(res.stdout, encoding="utf-8")
    models = str(server.env.models_dir)
    wrong = CliRunner().invoke(app, ["models", "promote", setup.serving.version, "--models-dir",
                                     models, "--shadow-report", str(evidence)])
    assert wrong.exit_code == 2
    assert "shadow_version is" in wrong.output and setup.shadow.version in wrong.output
    done = CliRunner().invoke(app, ["models", "promote", setup.shadow.version, "--models-dir",
                                    models, "--shadow-report", str(evidence), "--force",
                                    "--reason", "synthetic shadow test"])
    assert done.exit_code == 0, done.output
    history = read_manifest(server.env.models_dir, setup.shadow.version)["promotion_history"]
    assert history[-1]["shadow_report"]["n"] == n
    assert history[-1]["shadow_report"]["agreement"] == report["agreement"]


def test_a_shadow_that_cannot_be_loaded_leaves_the_service_serving(
    tmp_path: Path, trained_models_dir: Path
) -> None:
    env = make_env(tmp_path, trained_models_dir)
    env.extra_env["TRIAGE_SHADOW_VERSION"] = "20990101T000000Z-abcdef"
    with running(env, "no-shadow") as server, server.client() as client:
        r = client.post("/v1/triage", json={"narrative": "SYNTHETIC: male 30s fell, c/b"},
                        headers=env.keys.auth("handler"))
        assert r.status_code == 200, r.text
        assert "shadow model 20990101T000000Z-abcdef not loaded" in server.logs()
    store = AuditStore(env.db_url)
    try:
        row = store.get_suggestion(r.json()["id"])
    finally:
        store.engine.dispose()
    assert row is not None and row["shadow_suggestion"] is None


def test_a_full_queue_drops_rather_than_waits(predictor: Predictor, tmp_path: Path) -> None:
    store = AuditStore(f"sqlite:///{tmp_path / 'a.db'}")
    store.open()
    metrics = ServiceMetrics()
    runner = ShadowRunner(predictor, store, metrics, max_queue=2)
    req = TriageRequest(narrative="SYNTHETIC: female 70s fallen at home, on floor, c/b")
    ids = [new_id() for _ in range(200)]
    started = time.perf_counter()
    runner.submit([(i, req, "deploy") for i in ids])
    assert time.perf_counter() - started < 0.5, "submit must never wait for the shadow"
    runner.stop()
    store.close()
    dropped = metrics.registry.get_sample_value("triage_shadow_dropped_total") or 0.0
    scored = sum(metrics.registry.get_sample_value(
        "triage_shadow_suggestions_total", {"serving": "deploy", "shadow": d}) or 0.0
        for d in ("hear_and_treat", "clinical_advice", "deploy"))
    assert dropped > 0
    assert dropped + scored == 200


def test_compare_and_the_evidence_check() -> None:
    pairs = [
        {"suggestion": "deploy", "shadow_suggestion": "deploy", "red_flags": ["not_breathing"],
         "shadow_red_flags": ["not_breathing"], "model_version": "a", "shadow_version": "b",
         "final_disposition": "deploy"},
        {"suggestion": "deploy", "shadow_suggestion": "clinical_advice", "red_flags": [],
         "shadow_red_flags": [], "model_version": "a", "shadow_version": "b",
         "final_disposition": "deploy"},
        {"suggestion": "hear_and_treat", "shadow_suggestion": "deploy", "red_flags": [],
         "shadow_red_flags": ["stroke"], "model_version": "a", "shadow_version": "b",
         "final_disposition": None},
    ]
    r = compare(pairs)
    assert (r["n"], r["to_deploy"], r["from_deploy"]) == (3, 1, 1)
    assert r["agreement"] == pytest.approx(1 / 3)
    assert r["red_flags"] == [{"flag": "stroke", "only_serving": 0, "only_shadow": 1}]
    assert r["under_triage"]["serving"]["missed"] == 0
    assert r["under_triage"]["shadow"]["missed"] == 1
    assert r["matrix"]["counts"][2][1] == 1  # serving deploy, shadow clinical_advice
    assert check_report(r, "b", "r.json") is r
    with pytest.raises(ShadowReportError, match=r"r\.json: shadow_version is 'b'"):
        check_report(r, "c", "r.json")
    with pytest.raises(ShadowReportError, match="missing agreement"):
        check_report({k: v for k, v in r.items() if k != "agreement"}, "b", "r.json")
    with pytest.raises(ShadowReportError, match="no evidence"):
        check_report({**r, "n": 0}, "b", "r.json")
