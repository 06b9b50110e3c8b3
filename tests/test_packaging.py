"""The serving install (issue 15, item 6): ``pip install control-room-triage`` serves a
registered model; training's figures, the load test and the PostgreSQL driver are extras
(``[train]``, ``[loadtest]``, ``[postgres]``; ``[dev]`` has them all).

The fast tests run the real ``triage`` command line and server with an import blocker that
refuses every module the serving install does not carry, so an import that creeps onto the
serving path fails here. The slow test builds a fresh venv with ``pip install <repo>`` (no
extras) and serves the fixture model from it. Requests are synthetic.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import httpx
import pytest
from service_support import ServerEnv, free_port, make_env

ROOT = Path(__file__).resolve().parents[1]

#: Top-level modules of the extras and of [dev] that the serving install does not have.
NOT_IN_SERVING = (
    "matplotlib",  # [train]
    "locust", "gevent", "flask",  # [loadtest]
    "psycopg", "psycopg_binary",  # [postgres]
    "pandas", "pyarrow", "playwright", "hypothesis", "schemathesis", "pytest", "yaml",  # [dev]
)

#: Run before the CLI in a subprocess: a meta-path finder that refuses those modules (as an
#: absent package would: ModuleNotFoundError) and notes each refusal in the file BLOCK_LOG.
BLOCKER = f"""
import os, sys
_REFUSED = {NOT_IN_SERVING!r}
class _NotInstalled:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in _REFUSED:
            with open(os.environ["BLOCK_LOG"], "a", encoding="utf-8") as fh:
                fh.write(name + "\\n")
            raise ModuleNotFoundError(f"No module named {{name!r}} (blocked)", name=name)
        return None
sys.meta_path.insert(0, _NotInstalled())
from triage_cli.main import main
sys.argv = ["triage", *sys.argv[1:]]
main()
"""

SAMPLE_REQUEST = {
    "narrative": "SYNTHETIC: elderly female collapsed in street, not breathing, officers "
    "starting CPR",
    "incident_type": "collapse",
}


def _blocked_cli(args: list[str], tmp_path: Path, env: dict[str, str] | None = None,
                 ) -> subprocess.CompletedProcess[str]:
    run_env = {**(env or os.environ), "BLOCK_LOG": str(tmp_path / "blocked.log")}
    return subprocess.run([sys.executable, "-c", BLOCKER, *args], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path, env=run_env)


def _serve_and_ask(cmd: list[str], env: ServerEnv, cwd: Path,
                   extra_env: dict[str, str] | None = None) -> tuple[dict, dict, float]:
    """Start ``cmd`` (a ``triage serve``), wait for /readyz, post one request; the readiness
    answer, the suggestion and the seconds from start to ready."""
    port = free_port()
    log_path = env.root / f"serve-{port}.log"
    started = time.monotonic()
    with log_path.open("wb") as log:
        proc = subprocess.Popen([*cmd, "--host", "127.0.0.1", "--port", str(port)], cwd=cwd,
                                env={**env.env(), **(extra_env or {})}, stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = started + 180
        while True:
            assert proc.poll() is None, log_path.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "not ready in 180 s"
            try:
                ready = httpx.get(f"{url}/readyz", timeout=2)
                if ready.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        ready_s = time.monotonic() - started
        answer = httpx.post(f"{url}/v1/triage", json=SAMPLE_REQUEST,
                            headers=env.keys.auth("handler"), timeout=30)
        assert answer.status_code == 200, answer.text
        return ready.json(), answer.json(), ready_s
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def test_the_serving_install_declares_no_extra_as_a_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    serving = " ".join(project["dependencies"]).lower()
    for name in ("matplotlib", "locust", "psycopg", "pandas", "playwright", "pytest"):
        assert name not in serving, name
    extras = project["optional-dependencies"]
    assert {"train", "loadtest", "postgres", "dev"} <= set(extras)
    assert "control-room-triage[train,loadtest,postgres]" in extras["dev"]


def test_serve_imports_nothing_of_the_extras(tmp_path: Path, trained_models_dir: Path) -> None:
    """``triage serve`` of the fixture model answers /readyz and /v1/triage with every module
    of the extras refused."""
    env = make_env(tmp_path / "serve", trained_models_dir)
    blocker_cmd = [sys.executable, "-c", BLOCKER, "serve", "--workers", "1"]
    ready, answer, _ = _serve_and_ask(blocker_cmd, env, tmp_path,
                                      {"BLOCK_LOG": str(tmp_path / "blocked.log")})
    assert ready["status"] == "ready", ready
    assert answer["suggestion"] in {"hear_and_treat", "clinical_advice", "deploy"}, answer


def test_help_works_and_commands_needing_an_extra_name_it(tmp_path: Path) -> None:
    for args in (["--help"], ["serve", "--help"], ["loadtest", "--help"], ["train", "--help"]):
        res = _blocked_cli(args, tmp_path)
        assert res.returncode == 0, (args, res.stderr[-2000:])
        assert "Usage" in res.stdout
    for args, extra in ((["loadtest"], "loadtest"),
                        (["train", "export.csv"], "train"),
                        (["evaluate", "export.csv"], "train"),
                        (["impact", "export.csv", "--report-dir", "out"], "train"),
                        (["demo"], "train"),
                        (["stack", "up"], "postgres")):
        res = _blocked_cli(args, tmp_path)
        assert res.returncode == 1, (args, res.stdout, res.stderr)
        assert f"pip install 'control-room-triage[{extra}]'" in res.stderr, (args, res.stderr)
        assert "Traceback" not in res.stderr


def test_the_store_names_the_postgres_extra(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "class B:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'psycopg':\n"
        "            raise ModuleNotFoundError(name=name)\n"
        "sys.meta_path.insert(0, B())\n"
        "from service.store_db import StoreError, make_engine\n"
        "try:\n"
        "    make_engine('postgresql://triage@127.0.0.1:1/none')\n"
        "except StoreError as exc:\n"
        "    print(exc)\n"
    )
    res = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "pip install 'control-room-triage[postgres]'" in res.stdout


@pytest.mark.slow
def test_a_clean_pip_install_serves_a_registered_model(
    tmp_path: Path, trained_models_dir: Path
) -> None:
    """``pip install <repo>`` into a fresh venv (pip's cache makes it quick), then the serving
    install's ``triage serve`` answers, and ``triage loadtest`` names its extra."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".venv", ".git", "tests", "benchmarks", "models", "var", "demo", "__pycache__",
        "*.egg-info", "build", "dist", ".*_cache", "node_modules"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                          "--disable-pip-version-check", str(src)],
                         capture_output=True, text=True, timeout=1800)
    assert pip.returncode == 0, pip.stderr[-4000:]
    python = str(venv / "bin" / "python")
    for name in ("matplotlib", "locust", "psycopg", "pandas", "playwright", "pytest"):
        probe = subprocess.run([python, "-c", f"import {name}"], capture_output=True,
                               text=True, timeout=120)
        assert probe.returncode != 0, f"{name} is in the serving install"
    triage = str(venv / "bin" / "triage")
    assert subprocess.run([triage, "--help"], capture_output=True, timeout=300,
                          cwd=tmp_path).returncode == 0
    refused = subprocess.run([triage, "loadtest"], capture_output=True, text=True,
                             timeout=300, cwd=tmp_path)
    assert refused.returncode == 1
    assert "pip install 'control-room-triage[loadtest]'" in refused.stderr
    env = make_env(tmp_path / "serve", trained_models_dir)
    ready, answer, _ = _serve_and_ask([triage, "serve", "--workers", "1"], env, tmp_path)
    assert ready["status"] == "ready", ready
    assert answer["suggestion"] in {"hear_and_treat", "clinical_advice", "deploy"}, answer
