"""A short load run against the real service (uvicorn, trained synthetic model), both ways:
the verdict passes within its SLO and breaches (exit 1) with an impossible p99 target.

The passing run sets a p99 target that a test machine shared with other tests can always meet
(1 s): these tests check the verdict, not the service's speed. The service's latency at the
default SLO (p99 <= 50 ms) is measured by load runs on a quiet machine and reported in
docs/CAPACITY.md, as speed targets live in benchmarks, never in timed tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from service_support import make_env, running
from typer.testing import CliRunner

from triage_cli.main import app

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("loadtest")]


@pytest.fixture(scope="module")
def served(trained_models_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    env = make_env(tmp_path_factory.mktemp("loadtest-server"), trained_models_dir)
    with running(env, "loadtest") as server:
        yield server


def _loadtest(server, out: Path, *extra: str):
    return CliRunner().invoke(
        app,
        [
            "loadtest", "--profile", "control-room-day", "--host", server.url,
            "--scale", "2000", "--duration", "8", "--key", server.env.keys.handler,
            "--out", str(out), "--json", *extra,
        ],
    )


def test_verdict_passes_within_the_slo(served, tmp_path: Path) -> None:
    result = _loadtest(served, tmp_path, "--p99-ms", "1000")
    verdict = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.exit_code == 0, (verdict["breaches"], result.stdout)
    assert verdict["passed"] is True
    assert verdict["failures"] == 0
    assert verdict["requests"] >= 20
    assert verdict["achieved_actions"] >= 0.9 * verdict["offered_actions"] > 0
    assert {e["name"] for e in verdict["endpoints"]} >= {"POST /v1/triage"}
    assert Path(verdict["report_html"]).stat().st_size > 1000
    # The service counted at least as many suggestions as the run's triage requests.
    triage_requests = next(e for e in verdict["endpoints"] if e["name"] == "POST /v1/triage")
    with served.client() as client:
        metrics = client.get("/metrics").text
    counted = sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("triage_suggestions_total{")
    )
    assert counted >= triage_requests["requests"]


def test_impossible_slo_is_a_breach_with_exit_1(served, tmp_path: Path) -> None:
    result = _loadtest(served, tmp_path, "--p99-ms", "0.01")
    verdict = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.exit_code == 1
    assert verdict["passed"] is False
    assert any(b.startswith("p99 ") and "> 0.01 ms" in b for b in verdict["breaches"])


def test_unreachable_or_remote_hosts_are_errors_with_exit_2(tmp_path: Path) -> None:
    remote = CliRunner().invoke(
        app, ["loadtest", "--profile", "spike", "--host", "http://10.9.8.7:80",
              "--duration", "5", "--out", str(tmp_path)],
    )
    assert remote.exit_code == 2
    assert "loopback addresses only" in remote.stdout
    unknown = CliRunner().invoke(
        app, ["loadtest", "--profile", "rush-hour", "--host", "http://127.0.0.1:9",
              "--out", str(tmp_path)],
    )
    assert unknown.exit_code == 2
    assert "Unknown load profile" in unknown.stdout
