"""Every process serves the promoted model: ``triage serve --workers 2`` on one registry, a real
promotion through the safety gate, and damaged or ungated versions that must not be served.
Real processes, real registry, synthetic data only."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from service_support import (
    SAMPLE_REQUEST,
    Server,
    ServerEnv,
    clone_version,
    current_version,
    make_env,
    point_current,
    running,
)

from service.model_watch import registry_mark
from training import registry as reg

pytestmark = [pytest.mark.slow]

#: The issue's bound for a promotion to reach every worker without a restart.
PROPAGATION_BOUND_SECONDS = 30.0
#: How long ``triage serve --workers 2`` may take to have both workers loaded.
STARTUP_SECONDS = 300.0


def test_registry_mark_sees_the_pointer_and_a_rewritten_artifact(
    writable_models_dir: Path,
) -> None:
    v1 = current_version(writable_models_dir)
    before = registry_mark(writable_models_dir)
    assert before.pointer == v1 and before.version == v1
    assert registry_mark(writable_models_dir) == before  # nothing changed: same mark
    artifact = writable_models_dir / v1 / "model.joblib"
    data = artifact.read_bytes()
    artifact.unlink()
    artifact.write_bytes(data)  # the same bytes copied again: a new file
    assert registry_mark(writable_models_dir) != before
    point_current(writable_models_dir, "not a version")
    garbage = registry_mark(writable_models_dir)
    assert garbage.pointer == "not a version" and garbage.version is None
    (writable_models_dir / "current").unlink()
    assert registry_mark(writable_models_dir).pointer is None


@contextmanager
def serve_workers(env: ServerEnv, workers: int) -> Iterator[Server]:
    """``triage serve --workers N`` on a free loopback port; yields it once every worker
    has a model loaded. Spawned workers import the whole app first: over 120 s on this shared
    2-core machine at load 12 (``STARTUP_SECONDS`` allows for it)."""
    with running(env, "serve", serve_args=["--workers", str(workers)],
                 startup_seconds=STARTUP_SECONDS,
                 ready=lambda url: len(worker_versions(url)) == workers) as server:
        yield server


def _metric(url: str, name: str) -> list[tuple[dict[str, str], float]]:
    text = httpx.get(f"{url}/metrics", timeout=10).text
    return [(s.labels, s.value) for family in text_string_to_metric_families(text)
            for s in family.samples if s.name == name]


def worker_versions(url: str) -> dict[str, str]:
    """The version each live worker serves (pid -> version), from the summed /metrics."""
    return {labels["pid"]: labels["version"]
            for labels, value in _metric(url, "triage_model_info") if value == 1.0}


def workers_failing(url: str) -> dict[str, float]:
    return {labels["pid"]: value for labels, value in _metric(url, "triage_model_load_failed")}


def readyz_of_each(url: str, workers: int) -> dict[int, dict[str, Any]]:
    """/readyz from every worker (new connections until each has answered; bounded)."""
    seen: dict[int, dict[str, Any]] = {}
    for _ in range(200):
        body = httpx.get(f"{url}/readyz", timeout=10).json()
        seen[int(body["process_id"])] = body
        if len(seen) == workers:
            break
    assert len(seen) == workers, f"only processes {sorted(seen)} answered"
    return seen


def test_a_promotion_reaches_both_workers_and_a_bad_version_reaches_none(
    tmp_path: Path, trained_models_dir: Path
) -> None:
    env = make_env(tmp_path, trained_models_dir)
    v1 = current_version(env.models_dir)
    v2, damaged, ungated = (v1[:-6] + s for s in ("a1a1a1", "d4d4d4", "f5f5f5"))
    for version in (v2, damaged, ungated):
        clone_version(env.models_dir, v1, version)
    reg.promote(env.models_dir, damaged)  # passes the gate while intact ...
    point_current(env.models_dir, v1)
    with (env.models_dir / damaged / "model.joblib").open("ab") as fh:  # ... then damaged
        fh.write(b"tampered")
    with serve_workers(env, 2) as server:
        url = server.url
        pids = set(worker_versions(url))
        assert worker_versions(url) == dict.fromkeys(pids, v1)

        # A real promotion (the safety gate runs); no reload call, no restart.
        reg.promote(env.models_dir, v2)
        promoted_at = time.monotonic()
        while time.monotonic() - promoted_at < PROPAGATION_BOUND_SECONDS:
            if set(worker_versions(url).values()) == {v2}:
                break
            time.sleep(0.1)
        took = time.monotonic() - promoted_at
        assert worker_versions(url) == dict.fromkeys(pids, v2), f"after {took:.1f} s"
        print(f"promotion reached both workers {took:.1f} s after the pointer changed")
        for pid, body in readyz_of_each(url, 2).items():
            assert str(pid) in pids
            assert body["model_version"] == v2 and body["registry_version"] == v2
            assert body["load_problem"] is None
        r = httpx.post(f"{url}/v1/triage", json=SAMPLE_REQUEST,
                       headers=env.keys.auth("handler"), timeout=30)
        assert r.status_code == 200 and r.json()["model_version"] == v2
        info = httpx.get(f"{url}/v1/model", headers=env.keys.auth("analyst"), timeout=10).json()
        assert info["version"] == v2 and str(info["process_id"]) in pids

        # A damaged artifact and a version never gated: both workers keep v2, and say why.
        for bad, words in ((damaged, "sha256 mismatch"),
                           (ungated, "not promoted through the safety gate")):
            point_current(env.models_dir, bad)
            deadline = time.monotonic() + PROPAGATION_BOUND_SECONDS
            while time.monotonic() < deadline:
                anonymous = readyz_of_each(url, 2)
                if all((b["load_problem"] or {}).get("registry_version") == bad
                       for b in anonymous.values()):
                    break
                time.sleep(0.1)
            assert workers_failing(url) == dict.fromkeys(pids, 1.0)
            assert worker_versions(url) == dict.fromkeys(pids, v2)
            for body in anonymous.values():
                assert body["status"] == "ready" and body["model_version"] == v2
                assert body["registry_version"] == bad
                problem = body["load_problem"]
                assert isinstance(problem, dict)
                assert problem["error"] == "integrity" and problem["registry_version"] == bad
                assert problem["detail"] is None  # why is told to a keyed caller only
                assert f"{bad} could not be loaded" in str(body["detail"])
            keyed = httpx.get(f"{url}/readyz", headers=env.keys.auth("analyst"), timeout=10)
            assert words in keyed.json()["load_problem"]["detail"]
            r = httpx.post(f"{url}/v1/triage", json=SAMPLE_REQUEST,
                           headers=env.keys.auth("handler"), timeout=30)
            assert r.status_code == 200 and r.json()["model_version"] == v2
        log_text = server.logs()
        assert log_text.count(f"the registry's current model {damaged} could not be loaded") == 2

        # The pointer back on the served version: the problem is cleared, nothing reloads.
        point_current(env.models_dir, v2)
        deadline = time.monotonic() + PROPAGATION_BOUND_SECONDS
        while time.monotonic() < deadline and workers_failing(url) != dict.fromkeys(pids, 0.0):
            time.sleep(0.1)
        assert workers_failing(url) == dict.fromkeys(pids, 0.0)
        assert all(b["load_problem"] is None for b in readyz_of_each(url, 2).values())
        watch_loads = {labels["result"]: value
                       for labels, value in _metric(url, "triage_model_watch_loads_total")}
        # One success per worker (v2), one failure per worker per bad version: a version that
        # failed is not loaded again every second.
        assert watch_loads == {"success": 2.0, "failure": 4.0}


def test_a_model_promoted_after_start_makes_an_empty_service_ready(
    tmp_path: Path, trained_models_dir: Path
) -> None:
    """Started on an empty registry (503), the service becomes ready by itself once a model
    is promoted into it: no admin call, no restart."""
    env = make_env(tmp_path, None)
    # ready as soon as it answers /readyz at all (503: nothing to serve yet)
    with running(env, "serve", serve_args=[], startup_seconds=STARTUP_SECONDS,
                 ready=lambda url: httpx.get(f"{url}/readyz", timeout=1).status_code > 0
                 ) as server:
        url = server.url
        status = httpx.get(f"{url}/readyz", timeout=5).status_code
        assert status == 503, server.logs()
        shutil.rmtree(env.models_dir)
        shutil.copytree(trained_models_dir, env.models_dir)
        deadline = time.monotonic() + PROPAGATION_BOUND_SECONDS
        while time.monotonic() < deadline:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                break
            time.sleep(0.1)
        body = httpx.get(f"{url}/readyz", timeout=5).json()
        assert body["status"] == "ready", body
        assert body["model_version"] == current_version(env.models_dir)
        # `triage serve` starts with the cyclic collector off and the lifespan turns it back on
        # (triage.collector); a model loaded later by the watch is built with it paused again
        assert "cyclic collector on" in server.logs(), server.logs()[-2000:]
