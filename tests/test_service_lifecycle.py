"""The model's lifecycle and the audit's durability, against the REAL service under uvicorn:
no model at start, reloads under load, failed reloads, kill -9 mid-load. Synthetic data only.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import httpx
import pytest
from service_support import (
    SAMPLE_REQUEST,
    Load,
    clone_version,
    current_version,
    free_port,
    make_env,
    point_current,
    running,
    start_server,
)

from service.store import AuditStore
from training import registry as reg

pytestmark = [pytest.mark.slow]

def test_starts_without_a_model_then_reload_makes_it_ready(
    tmp_path: Path, trained_models_dir: Path
) -> None:
    env = make_env(tmp_path, None)  # empty registry
    # The admin reload alone (the registry watch would load the model by itself:
    # tests/test_model_watch.py).
    env.extra_env["TRIAGE_MODEL_WATCH_SECONDS"] = "0"
    with running(env, "nomodel") as srv, srv.client() as client:
        assert client.get("/healthz").status_code == 200
        r = client.get("/readyz")
        assert r.status_code == 503
        assert "no model" in r.json()["detail"]
        admin = env.keys.auth("admin")
        r = client.post("/v1/triage", json=SAMPLE_REQUEST, headers=env.keys.auth("handler"))
        assert r.status_code == 503
        assert "no model loaded" in r.json()["detail"]
        assert client.get("/v1/model", headers=admin).status_code == 503
        r = client.post("/v1/admin/reload", headers=admin)
        assert r.status_code == 409
        assert r.json()["error"] == "not_found"
        assert r.json()["serving_version"] is None

        # Promote a model into the registry, then reload.
        shutil.rmtree(env.models_dir)
        shutil.copytree(trained_models_dir, env.models_dir)
        r = client.post("/v1/admin/reload", headers=admin)
        assert r.status_code == 200, r.text
        assert r.json()["version"] == current_version(env.models_dir)
        assert r.json()["previous_version"] is None
        assert client.get("/readyz").status_code == 200
        r = client.post("/v1/triage", json=SAMPLE_REQUEST, headers=env.keys.auth("handler"))
        assert r.status_code == 200


def test_reloads_under_load_fail_no_request(tmp_path: Path, trained_models_dir: Path) -> None:
    env = make_env(tmp_path, trained_models_dir)
    v1 = current_version(env.models_dir)
    v2 = v1[:-6] + ("aaaaaa" if not v1.endswith("aaaaaa") else "bbbbbb")
    clone_version(env.models_dir, v1, v2)
    reg.promote(env.models_dir, v2)  # through the real gate: both versions may now serve
    point_current(env.models_dir, v1)
    with running(env, "reload") as srv, srv.client() as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        admin = env.keys.auth("admin")
        with Load(srv) as load:
            load.wait_for(20)
            for i in range(6):
                target = v2 if i % 2 == 0 else v1
                point_current(env.models_dir, target)
                r = client.post("/v1/admin/reload", headers=admin)
                assert r.status_code == 200, r.text
                assert r.json()["version"] == target
                load.wait_for(20 * (i + 2))
        assert load.errors == []
        assert set(load.statuses) == {200}, load.statuses
        assert sum(load.statuses.values()) >= 100
        assert set(load.versions) == {v1, v2}
        text = client.get("/metrics").text
        assert 'triage_model_reloads_total{result="success"} 6.0' in text


def test_failed_reload_keeps_the_old_model(tmp_path: Path, trained_models_dir: Path) -> None:
    env = make_env(tmp_path, trained_models_dir)
    v1 = current_version(env.models_dir)
    bad = v1[:-6] + "cccccc"
    ungated = v1[:-6] + "ffffff"
    clone_version(env.models_dir, v1, bad)
    clone_version(env.models_dir, v1, ungated)  # registered, never promoted
    reg.promote(env.models_dir, bad)  # passes the gate while intact ...
    point_current(env.models_dir, v1)
    with (env.models_dir / bad / "model.joblib").open("ab") as fh:  # ... then damaged
        fh.write(b"tampered")
    with running(env, "badreload") as srv, srv.client() as client:
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        admin = env.keys.auth("admin")
        handler = env.keys.auth("handler")
        cases = [
            (bad, "integrity", "sha256 mismatch"),
            (v1[:-6] + "dddddd", "not_found", "does not exist"),
            (ungated, "integrity", "not promoted through the safety gate"),
        ]
        for target, error, words in cases:
            point_current(env.models_dir, target)
            r = client.post("/v1/admin/reload", headers=admin)
            assert r.status_code == 409, r.text
            body = r.json()
            assert body["error"] == error
            assert words in body["detail"]
            assert body["serving_version"] == v1
            r = client.post("/v1/triage", json=SAMPLE_REQUEST, headers=handler)
            assert r.status_code == 200
            assert r.json()["model_version"] == v1
            assert client.get("/readyz").json()["model_version"] == v1
        assert 'triage_model_reloads_total{result="failure"} 3.0' in client.get("/metrics").text


def test_kill_9_loses_no_acknowledged_suggestion(tmp_path: Path,
                                                 trained_models_dir: Path) -> None:
    env = make_env(tmp_path, trained_models_dir)
    srv = start_server(env, "kill9")
    try:
        with Load(srv, threads=3) as load:
            load.wait_for(150)
            srv.kill9()
            load.stop()
    finally:
        srv.stop()
    assert srv.proc.returncode == -9
    acknowledged = list(load.ids)
    assert len(acknowledged) >= 100
    store = AuditStore(env.db_url)
    try:
        found = store.existing_ids(acknowledged)
    finally:
        store.engine.dispose()
    assert found == set(acknowledged)
    # And the store opens again for a new server (WAL recovery), which keeps everything.
    with running(env, "after-kill9") as again, again.client() as client:
        r = client.post("/v1/triage", json=SAMPLE_REQUEST, headers=env.keys.auth("handler"))
        assert r.status_code == 200
    store = AuditStore(env.db_url)
    try:
        assert store.count_suggestions() >= len(acknowledged) + 1
    finally:
        store.engine.dispose()


def test_triage_serve_with_two_workers_sums_metrics(tmp_path: Path,
                                                    trained_models_dir: Path) -> None:
    """``triage serve --workers 2``: flags win over TRIAGE_* (the env names another port), both
    workers load the model, and /metrics adds up what every worker counted."""
    env = make_env(tmp_path, trained_models_dir)
    # Spawned workers import the whole app before they answer: on a shared 2-core machine
    # (load 12) the supervisor and both workers took over 90 s to get there.
    with running(env, "serve", serve_args=["--workers", "2"],
                 extra_env={"TRIAGE_PORT": str(free_port())}, startup_seconds=180,
                 ready=lambda url: httpx.get(f"{url}/readyz", timeout=1).status_code == 200
                 ) as server:
        url = server.url
        deadline = time.monotonic() + 180
        loaded: list[str] = []
        while time.monotonic() < deadline and len(loaded) < 2:  # the other worker may be later
            loaded = [ln for ln in httpx.get(f"{url}/metrics", timeout=10).text.splitlines()
                      if ln.startswith("triage_model_loaded{") and ln.endswith(" 1.0")]
            time.sleep(0.2)
        assert len(loaded) == 2, server.logs()
        handler = env.keys.auth("handler")
        for _ in range(10):
            # New connections, so both workers get some of them.
            r = httpx.post(f"{url}/v1/triage", json=SAMPLE_REQUEST, headers=handler, timeout=30)
            assert r.status_code == 200, r.text
        text = httpx.get(f"{url}/metrics", timeout=10).text
        assert 'triage_http_requests_total{method="POST",route="/v1/triage",status="200"} 10.0' \
            in text
        version = current_version(env.models_dir)
        info = [ln for ln in text.splitlines()
                if ln.startswith("triage_model_info{") and f'version="{version}"' in ln]
        assert len(info) == 2, text  # one per worker (pid label)
    assert os.environ.get("PROMETHEUS_MULTIPROC_DIR") is None  # the test process is untouched
