"""The Prometheus alert rules and the Grafana dashboard in deploy/: valid, tested, and written
against metrics the service really exposes, with the same thresholds as ``triage monitor``.

promtool comes from Debian's prometheus package (scripts/system-deps.sh).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from service.metrics import ServiceMetrics
from triage.monitoring import OVERRIDE_ALERT, UNFAMILIAR_ALERT
from triage.population import PSI_MAJOR

ROOT = Path(__file__).resolve().parents[1]
ALERTS = ROOT / "deploy" / "prometheus" / "alerts.yml"
ALERT_TESTS = ROOT / "deploy" / "prometheus" / "alerts_test.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "triage-dashboard.json"
METRIC = re.compile(r"\b(triage_[a-z_]+)\b")


def promtool() -> str:
    path = shutil.which("promtool")
    if path is None:
        pytest.fail("promtool is missing: install Debian's prometheus (scripts/system-deps.sh)")
    return path


def exposed_names() -> set[str]:
    """Every series name the service's metrics registry can expose."""
    names: set[str] = set()
    for metric in ServiceMetrics().registry.collect():
        names.add(metric.name)
        suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"),
                    "gauge": ("",)}.get(metric.type, ("",))
        names.update(metric.name + s for s in suffixes)
    return names


def test_promtool_checks_the_rules() -> None:
    res = subprocess.run([promtool(), "check", "rules", str(ALERTS)], capture_output=True,
                         text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "SUCCESS" in res.stdout


def test_promtool_unit_tests_fire_on_drift_and_stay_quiet_without() -> None:
    res = subprocess.run([promtool(), "test", "rules", ALERT_TESTS.name], capture_output=True,
                         text=True, timeout=60, cwd=ALERT_TESTS.parent)
    assert res.returncode == 0, res.stdout + res.stderr


def test_rules_cover_every_monitor_and_use_only_exposed_metrics() -> None:
    rules = [r for g in yaml.safe_load(ALERTS.read_text())["groups"] for r in g["rules"]]
    names = {r["alert"] for r in rules}
    assert {"TriageInputDrift", "TriageHandlerOverrideRate", "TriageUnfamiliarWordingRate",
            "TriageRedFlagRateChanged", "TriageErrorRate", "TriageLatencyP99"} <= names
    exposed = exposed_names()
    for r in rules:
        used = set(METRIC.findall(r["expr"]))
        assert used and used <= exposed, (r["alert"], used - exposed)
    by_name = {r["alert"]: r["expr"] for r in rules}
    assert f"> {PSI_MAJOR}" in by_name["TriageInputDrift"]
    assert f"> {OVERRIDE_ALERT}" in by_name["TriageHandlerOverrideRate"]
    assert f"> {UNFAMILIAR_ALERT}" in by_name["TriageUnfamiliarWordingRate"]


def test_the_dashboard_imports_and_queries_only_exposed_metrics() -> None:
    dash = json.loads(DASHBOARD.read_text())
    assert dash["uid"] and dash["title"]
    assert dash["__inputs"][0]["pluginId"] == "prometheus"
    exposed = exposed_names()
    seen: set[str] = set()
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dash["panels"]:
        assert panel["targets"], panel["title"]
        for t in panel["targets"]:
            used = set(METRIC.findall(t["expr"]))
            assert used and used <= exposed, (panel["title"], used - exposed)
            seen |= used
    for needed in ("triage_input_drift_psi", "triage_handler_overrides_total",
                   "triage_unfamiliar_wording_total", "triage_red_flags_total",
                   "triage_suggestions_total", "triage_shadow_suggestions_total"):
        assert needed in seen, needed


def test_the_text_skew_gauge_says_what_the_loaded_model_read_its_training_text_with() -> None:
    """1 on a mismatch, 0 on a match and when no model is loaded (so the alert clears), -1 for a
    model that recorded no fingerprint."""
    metrics = ServiceMetrics()

    def skew() -> str:
        lines = metrics.render().decode().splitlines()
        return next(ln for ln in lines if ln.startswith("triage_model_text_skew "))

    for matches, shown in ((False, "1.0"), (True, "0.0"), (None, "-1.0")):
        metrics.set_model("v1", "linear", matches)
        assert skew() == f"triage_model_text_skew {shown}"
    metrics.set_model("v1", "linear", False)
    metrics.set_model(None, None)
    assert skew() == "triage_model_text_skew 0.0"
