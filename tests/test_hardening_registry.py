"""Issue 11, registry side: the gate is enforced at load, promote and rollback survive a kill at
every step (real SIGKILLs through the fault-injection hook), one read for hash and load, no
symbolic links, group-readable modes, killed registrations swept.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from registry_support import critical_miss_vignette, register_copy, temp_dirs
from typer.testing import CliRunner

from service.keys import KeyRing, add_key
from training import registry as reg
from triage.registry import (
    CURRENT_FILE,
    MANIFEST_FILE,
    MODEL_FILE,
    PROMOTIONS_LOG,
    IntegrityError,
    RegistryError,
    UngatedError,
    current_version,
    list_versions,
    load_model,
    load_predictor,
    read_promotions,
)
from triage_cli.main import app

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys
from pathlib import Path
from training import registry as reg
from triage.registry import load_model
root, op = Path(sys.argv[1]), sys.argv[2]
if op == "promote":
    reg.promote(root, sys.argv[3])
elif op == "rollback":
    reg.rollback(root, reason="fault injection test")
elif op == "register":
    model, manifest = load_model(root, "current")
    keep = {k: v for k, v in manifest.items()
            if k not in ("format", "version", "created", "artifact", "promotion_history")}
    reg.register_version(root, model, keep)
"""


def run_child(root: Path, crash_at: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    if crash_at is not None:
        env["TRIAGE_REGISTRY_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-c", CHILD, str(root), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def assert_consistent(root: Path) -> None:
    """The state a finished transaction leaves: the log's stack ends at the pointer, the
    served version is gated and loads, and nothing is left over."""
    assert reg.promotion_stack(root)[-1] == current_version(root)
    load_predictor(root, "current")
    assert not (root / reg.INTENT_FILE).exists()
    assert temp_dirs(root) == []
    assert [p.name for p in root.rglob(".*.tmp")] == []


# -- finding 2: the gate at load -------------------------------------------------------------


def test_hand_written_current_naming_an_ungated_version_is_never_served(
    writable_models_dir: Path,
) -> None:
    root = writable_models_dir
    v1 = current_version(root)
    v2 = register_copy(root)  # registered, never promoted
    (root / CURRENT_FILE).write_text(v2 + "\n", encoding="utf-8")
    with pytest.raises(UngatedError, match="not promoted through the safety gate"):
        load_predictor(root, "current")
    # triage evaluate on current refuses too (exit 3: refused).
    result = CliRunner().invoke(app, ["evaluate", "--data", str(root / "nothing.csv"),
                                      "--models-dir", str(root)])
    assert result.exit_code != 0 and "not promoted through the safety gate" in result.output
    # A registry copied without its log: nothing is gated.
    (root / CURRENT_FILE).write_text(v1 + "\n", encoding="utf-8")
    load_predictor(root, "current")
    (root / PROMOTIONS_LOG).unlink()
    with pytest.raises(UngatedError):
        load_predictor(root, "current")
    # Asking for a version by id (the gate itself, offline evaluation) still loads it.
    load_predictor(root, v2)


def test_a_forged_log_line_without_gate_or_reason_is_not_enough(
    writable_models_dir: Path,
) -> None:
    root = writable_models_dir
    v2 = register_copy(root)
    with (root / PROMOTIONS_LOG).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"action": "promote", "version": v2, "forced": True,
                             "reason": " "}) + "\n")
        fh.write(json.dumps({"action": "promote", "version": v2,
                             "gate": {"n_critical": 5, "critical_misses": ["X"]}}) + "\n")
    (root / CURRENT_FILE).write_text(v2 + "\n", encoding="utf-8")
    with pytest.raises(UngatedError):
        load_predictor(root, "current")


def test_rollback_reruns_the_gate_on_the_version_it_restores(writable_models_dir: Path) -> None:
    root = writable_models_dir
    v1 = current_version(root)
    v2 = register_copy(root)
    reg.promote(root, v2)
    stricter = [critical_miss_vignette(load_predictor(root, v1))]
    with pytest.raises(reg.PromotionRefused, match="refuses restoring"):
        reg.rollback(root, extra_vignettes=stricter)
    assert current_version(root) == v2
    with pytest.raises(RegistryError, match="--force needs --reason"):
        reg.rollback(root, force=True, extra_vignettes=stricter)
    result = reg.rollback(root, force=True, reason="clinical lead approved: v2 withdrawn",
                          extra_vignettes=stricter)
    assert (result.restored, result.forced) == (v1, True)
    last = read_promotions(root)[-1]
    assert last["action"] == "rollback" and last["forced"] is True
    assert last["gate"]["critical_misses"] == ["TEST-CRITICAL-1"]
    load_predictor(root, "current")  # forced with a reason: served


# -- finding 3: crash-safe promote and rollback ----------------------------------------------

TXN_POINTS = [p for p in reg.CRASH_POINTS if not p.startswith("register:")]


@pytest.mark.parametrize("point", TXN_POINTS)
def test_a_kill_at_any_step_of_promote_leaves_a_usable_registry(
    writable_models_dir: Path, point: str
) -> None:
    root = writable_models_dir
    v1 = current_version(root)
    v2 = register_copy(root)
    child = run_child(root, point, "promote", v2)
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    # Readers (the service) see the old or the new version, gated, at once.
    assert load_predictor(root, "current").version in (v1, v2)
    reg.recover(root)
    assert_consistent(root)
    if current_version(root) == v1:
        reg.promote(root, v2)
    reg.rollback(root, reason="after the kill")
    assert current_version(root) == v1
    assert_consistent(root)


@pytest.mark.parametrize("point", TXN_POINTS)
def test_a_kill_at_any_step_of_rollback_leaves_a_usable_registry(
    writable_models_dir: Path, point: str
) -> None:
    root = writable_models_dir
    v1 = current_version(root)
    v2 = register_copy(root)
    reg.promote(root, v2)
    child = run_child(root, point, "rollback")
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    assert load_predictor(root, "current").version in (v1, v2)
    reg.recover(root)
    assert_consistent(root)
    if current_version(root) == v2:
        reg.rollback(root)
    assert current_version(root) == v1
    reg.promote(root, v2)  # and the registry goes on working
    assert_consistent(root)


def test_a_damaged_manifest_no_longer_wedges_rollback(writable_models_dir: Path) -> None:
    root = writable_models_dir
    v1 = current_version(root)
    v2 = register_copy(root)
    reg.promote(root, v2)
    (root / v2 / MANIFEST_FILE).write_text("{damaged", encoding="utf-8")
    reg.rollback(root, reason="v2's manifest is damaged")
    assert current_version(root) == v1
    assert_consistent(root)
    # And a later rollback is refused for the right reason, not a log/pointer disagreement.
    with pytest.raises(RegistryError, match="first promoted version"):
        reg.rollback(root)


def test_a_killed_registration_leaves_a_temp_folder_that_the_next_one_sweeps(
    writable_models_dir: Path,
) -> None:
    root = writable_models_dir
    before = [e.version for e in list_versions(root)]
    child = run_child(root, "register:before-rename", "register")
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    assert len(temp_dirs(root)) == 1
    assert [e.version for e in list_versions(root)] == before  # invisible
    register_copy(root)
    assert temp_dirs(root) == []


# -- finding 4: one read, no links -----------------------------------------------------------


def test_the_artifact_is_opened_once_for_hash_and_load(writable_models_dir: Path) -> None:
    opened: list[str] = []
    watching = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if watching[0] and event == "open" and str(args[0]).endswith(MODEL_FILE):
            opened.append(str(args[0]))

    sys.addaudithook(hook)
    try:
        load_model(writable_models_dir, "current")
    finally:
        watching[0] = False
    assert len(opened) == 1, opened


def test_symbolic_links_are_never_followed(writable_models_dir: Path, tmp_path: Path) -> None:
    root = writable_models_dir
    v1 = current_version(root)
    outside = tmp_path / "outside"
    shutil.copytree(root / v1, outside)
    # A version folder that is a link is not a version.
    fake = v1[:-6] + "eeeeee"
    (root / fake).symlink_to(outside)
    assert fake not in [e.version for e in list_versions(root)]
    with pytest.raises(RegistryError, match="no such model version"):
        load_model(root, fake)
    # A model file that is a link is refused before anything is read through it.
    artifact = root / v1 / MODEL_FILE
    artifact.unlink()
    artifact.symlink_to(outside / MODEL_FILE)
    with pytest.raises(IntegrityError, match="symbolic link"):
        load_model(root, "current")
    # So is a pointer that is a link.
    (root / CURRENT_FILE).unlink()
    (tmp_path / "pointer").write_text(v1 + "\n", encoding="utf-8")
    (root / CURRENT_FILE).symlink_to(tmp_path / "pointer")
    with pytest.raises(RegistryError, match="symbolic link"):
        current_version(root)


# -- finding 5: modes a service account in the registry's group can read ---------------------


def test_promotion_writes_group_readable_files(writable_models_dir: Path) -> None:
    root = writable_models_dir
    os.umask(0o077)  # the most private umask an operator may have
    try:
        v2 = register_copy(root)
        reg.promote(root, v2)
    finally:
        os.umask(0o022)
    for path in (root / CURRENT_FILE, root / PROMOTIONS_LOG, root / v2 / MANIFEST_FILE,
                 root / v2 / MODEL_FILE):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == reg.FILE_MODE, (path, oct(mode))
    assert stat.S_IMODE((root / v2).stat().st_mode) == reg.DIR_MODE
    for path in (root / v2).rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o040, path  # group may read everything
        assert not stat.S_IMODE(path.stat().st_mode) & 0o007, path  # others nothing
        assert path.stat().st_gid == root.stat().st_gid


def _read_as_service_account(models: Path, keys: Path, key: str, uid: int, gid: int) -> str:
    """In a forked child that has dropped to ``uid``/``gid`` (no other groups), load the
    current model and authenticate ``key``; return what it saw, or the error it met.

    Forked after everything is imported, because the interpreter's own files may not be
    readable by that account."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        try:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
            version = load_predictor(models, "current").version
            principal = KeyRing(keys).authenticate(key)
            out = f"{version} {principal}"
        except BaseException as exc:
            out = f"ERROR {type(exc).__name__}: {exc}"
        os.write(write_fd, out.encode())
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as fh:
        seen = fh.read().decode()
    os.waitpid(pid, 0)
    return seen


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to another account needs root")
def test_a_service_account_reads_what_another_accounts_promotion_wrote(
    trained_models_dir: Path,
) -> None:
    """Ops' layout (docs/SECURITY.md): the registry and keys folder belong to the service's
    group (nogroup here), the service runs as its own account (nobody), an operator with a
    private umask (this process) promotes and adds a key. The service account reads it all."""
    uid = gid = 65534
    base = Path(tempfile.mkdtemp(prefix="triage-accounts-", dir="/tmp"))
    try:
        base.chmod(0o711)
        models = base / "models"
        shutil.copytree(trained_models_dir, models)
        secrets_dir = base / "secrets"
        secrets_dir.mkdir()
        for folder in (models, secrets_dir):
            os.chown(folder, -1, gid)
            folder.chmod(0o2750)
        load_predictor(models, "current")  # import everything before the child drops rights
        os.umask(0o077)
        try:
            v2 = register_copy(models)
            reg.promote(models, v2)
            key = add_key(secrets_dir / "keys.json", "desk-1", "handler")
        finally:
            os.umask(0o022)
        seen = _read_as_service_account(models, secrets_dir / "keys.json", key, uid, gid)
        assert seen == f"{v2} Principal(name='desk-1', role=<Role.HANDLER: 'handler'>)", seen
        # And before the operator's files were shared, it could not (the control matters).
        os.chmod(models / CURRENT_FILE, 0o600)
        seen = _read_as_service_account(models, secrets_dir / "keys.json", key, uid, gid)
        assert seen.startswith("ERROR") and "Permission denied" in seen, seen
    finally:
        shutil.rmtree(base, ignore_errors=True)
