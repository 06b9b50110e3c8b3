"""Writing the model registry: register a version atomically, promote through the gate, roll back.

Layout and reading are in ``triage.registry`` (the service reads the registry too). The rules:

- Nothing half-written becomes visible. A version is built in ``models/.tmp-<version>-<pid>-*``
  (a name readers never look at), every file is fsync'd, then the folder is renamed to its
  version id in one step. If anything fails first, the temporary folder is removed; a folder
  left by a KILLED registration (its process is gone) is swept by the next registry write.
- Promote and rollback are each ONE crash-safe transaction. Under the registry lock, the whole
  change (manifest history, log entry, new pointer) is first written to ``models/.transaction``
  (write, fsync, rename); then applied: each manifest, then ``promotions.jsonl``, then
  ``current`` LAST, each by write-fsync-rename; then the intent is removed. Each step is
  idempotent (marked with the transaction's id), so a process killed at any step leaves a
  registry that serves the old or the new version (both gated), and the next registry write
  (or ``recover``) finishes the transaction before doing anything else. The log and the pointer
  therefore always agree once a transaction is finished.
- Promotion, and rollback too, run the safety vignette suite through the version's own
  ``Predictor.suggest`` (red-flag rules included, as served) and refuse a model that misses
  any critical vignette, unless forced with a reason, which is recorded in the log and the
  version's manifest. ``triage.registry.load_model`` serves ``current`` only when the log holds
  such a record for it.
- Files are written 0640 and folders 0750, in the registry folder's group (when the writer is a
  member), so a service account in that group reads what an operator's promotion wrote.

Fault injection (tests only): ``TRIAGE_REGISTRY_CRASH_AT=<point>`` makes the process kill
itself (SIGKILL) at that point; the points are listed in ``CRASH_POINTS``.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib

from training.gate import gate_failures, gate_summary, run_gate
from triage.files import atomic_write, fsync_dir, fsync_file, locked
from triage.manifest import MANIFEST_FORMAT, Manifest, ManifestError
from triage.registry import (
    CURRENT_FILE,
    LOCK_FILE,
    MANIFEST_FILE,
    MODEL_FILE,
    PROMOTIONS_LOG,
    TEMP_PREFIX,
    RegistryError,
    current_version,
    file_sha256,
    gate_passed,
    read_manifest,
    read_promotions,
    resolve_version,
    version_dir,
)
from triage.settings import get_settings
from triage.vignettes import Vignette, VignetteScore

log = logging.getLogger(__name__)


class PromotionRefused(RegistryError):
    """The safety gate refused the version; ``score`` holds the vignette figures and misses."""

    def __init__(self, message: str, version: str, score: VignetteScore) -> None:
        super().__init__(message)
        self.version = version
        self.score = score


@dataclass(frozen=True, slots=True)
class PromotionResult:
    version: str
    previous: str | None
    forced: bool
    reason: str | None
    gate: VignetteScore


@dataclass(frozen=True, slots=True)
class RollbackResult:
    rolled_back: str
    restored: str
    forced: bool = False
    reason: str | None = None
    gate: VignetteScore | None = None


#: Where a promote or rollback writes its whole change before applying it.
INTENT_FILE = ".transaction"
#: Mode of every registry file and folder written here (group-readable, not world-readable).
FILE_MODE = 0o640
DIR_MODE = 0o750
#: A ``.tmp-*`` folder without a recognisable owner process is swept after this long.
STALE_TEMP_SECONDS = 24 * 3600

#: Fault-injection points (``TRIAGE_REGISTRY_CRASH_AT``): the process SIGKILLs itself there.
#: ``atomic:<file>`` is after the temp file is written and fsync'd, before its rename.
CRASH_POINTS: tuple[str, ...] = (
    "register:before-rename",
    f"atomic:{INTENT_FILE}",
    "txn:intent-written",
    f"atomic:{MANIFEST_FILE}",
    "txn:manifests-written",
    f"atomic:{PROMOTIONS_LOG}",
    "txn:log-written",
    f"atomic:{CURRENT_FILE}",
    "txn:pointer-written",
)


def crash_point(name: str) -> None:
    """Fault injection for tests: SIGKILL this process when ``TRIAGE_REGISTRY_CRASH_AT`` names
    ``name`` (a real kill: no handler, no cleanup, no flush)."""
    if get_settings().registry_crash_at == name:
        os.kill(os.getpid(), signal.SIGKILL)


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: Fresh ids tried when a generated one is already taken: two registrations in the same second
#: share the timestamp, and 6 random hex digits (24 bits) collide once in about 16.7 million pairs.
VERSION_ID_ATTEMPTS = 8


def new_version_id(now: datetime | None = None) -> str:
    """``<UTC yyyymmddThhmmssZ>-<6 random hex>``: sortable by creation. Unique in the registry
    because :func:`register_version` draws another when a generated id is already taken."""
    moment = (now or utc_now()).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@contextlib.contextmanager
def registry_lock(models_dir: Path) -> Iterator[None]:
    """An exclusive cross-process lock on the registry (``models/.lock``, ``fcntl.flock``).

    Serialises promotions and rollbacks so that two operators cannot interleave the log and
    the pointer. Registration itself needs no lock (each version has its own folder).
    """
    with locked(Path(models_dir) / LOCK_FILE):
        yield


def _registry_group(models_dir: Path) -> int:
    return Path(models_dir).stat().st_gid


def _share(path: Path, mode: int, gid: int) -> None:
    """Give ``path`` the registry's mode and group (the group only if we may: a writer outside
    the registry's group keeps its own, and ops are told so in docs/SECURITY.md)."""
    with contextlib.suppress(PermissionError):
        os.chown(path, -1, gid, follow_symlinks=False)
    os.chmod(path, mode, follow_symlinks=False)


def _fsync_tree(root: Path, gid: int) -> None:
    """Set modes, then fsync every file and folder under ``root`` (before the rename that
    publishes it)."""
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink():
                raise RegistryError(f"{path}: a registered version may not contain links")
            _share(path, FILE_MODE, gid)
            fsync_file(path)
        _share(Path(dirpath), DIR_MODE, gid)
        fsync_dir(Path(dirpath))


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old content or the new, never half
    (``triage.files.atomic_write``), mode 0640 in the registry's group where we may."""
    path = Path(path)
    gid = path.parent.stat().st_gid
    try:
        atomic_write(path, text, mode=FILE_MODE, owner=(-1, gid),
                     before_rename=lambda: crash_point(f"atomic:{path.name}"))
    except PermissionError:
        # Not a member of the registry's group: the file keeps our own (docs/SECURITY.md).
        atomic_write(path, text, mode=FILE_MODE,
                     before_rename=lambda: crash_point(f"atomic:{path.name}"))


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False, allow_nan=False) + "\n"


def _temp_owner_gone(path: Path) -> bool:
    """Whether a ``.tmp-<version>-<pid>-*`` folder's process is gone (or, for a folder
    without a pid, it is older than ``STALE_TEMP_SECONDS``)."""
    rest = path.name[len(TEMP_PREFIX):].split("-")
    # <yyyymmddThhmmssZ>-<hex>-<pid>-<random>
    if len(rest) >= 4 and rest[2].isdigit():
        try:
            os.kill(int(rest[2]), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False  # alive, under another account
        return False
    try:
        return time.time() - path.lstat().st_mtime > STALE_TEMP_SECONDS
    except FileNotFoundError:
        return False


def sweep_temporaries(models_dir: Path, *, locked: bool = False) -> list[str]:
    """Remove ``.tmp-*`` folders left by killed registrations (their process is gone) and,
    when the caller holds the registry lock (``locked``), the temp files of interrupted
    atomic writes. Returns what was removed."""
    root = Path(models_dir)
    removed: list[str] = []
    if not root.is_dir():
        return removed
    for entry in root.iterdir():
        if entry.name.startswith(TEMP_PREFIX) and _temp_owner_gone(entry):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
    if locked:
        # Atomic writes happen only under the lock: any temp file of one is a leftover.
        for folder in [root, *(root / v for v in _version_names(root))]:
            for leftover in folder.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)
                removed.append(str(leftover.relative_to(root)))
    return removed


def _version_names(root: Path) -> list[str]:
    from triage.registry import is_version_id

    return [p.name for p in root.iterdir() if is_version_id(p.name) and not p.is_symlink()
            and p.is_dir()]


def register_version(
    models_dir: Path,
    model: object,
    manifest: Manifest | Mapping[str, Any],
    *,
    write_extras: Callable[[Path, str], None] | None = None,
    version: str | None = None,
) -> str:
    """Register ``model`` as a new version and return its id; nothing is visible until done.

    ``manifest`` holds everything but the bookkeeping this function adds (format, version,
    created if absent, the artifact's sha256 and size, an empty promotion history).
    ``write_extras(folder, version)`` writes the model card and report into the version's
    folder before it is published. Any exception removes the temporary folder and propagates;
    folders left by killed registrations are swept first. What is written is checked against
    ``triage.manifest.Manifest`` first: a manifest readers could not read is never registered.
    """
    if isinstance(manifest, Manifest):
        manifest = manifest.to_json()
    root = Path(models_dir)
    root.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(root)
    generated = version is None
    version = version or new_version_id()
    final = version_dir(root, version)
    attempts = 1
    while generated and (final.exists() or final.is_symlink()) and attempts < VERSION_ID_ATTEMPTS:
        version = new_version_id()
        final = version_dir(root, version)
        attempts += 1
    if final.exists() or final.is_symlink():
        raise RegistryError(f"{final}: a version with this id already exists")
    tmp = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{version}-{os.getpid()}-", dir=root))
    try:
        artifact = tmp / MODEL_FILE
        joblib.dump(model, artifact)
        full: dict[str, Any] = {"format": MANIFEST_FORMAT, "version": version}
        full["created"] = manifest.get("created") or iso_utc(utc_now())
        full.update({k: v for k, v in manifest.items() if k not in full})
        full["artifact"] = {
            "file": MODEL_FILE,
            "sha256": file_sha256(artifact),
            "bytes": artifact.stat().st_size,
        }
        full["promotion_history"] = []
        try:
            Manifest.read(full, f"version {version}'s manifest")
        except ManifestError as exc:
            raise RegistryError(str(exc)) from None
        if write_extras is not None:
            write_extras(tmp, version)
        (tmp / MANIFEST_FILE).write_text(_json(full), encoding="utf-8")
        _fsync_tree(tmp, _registry_group(root))
        crash_point("register:before-rename")
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    fsync_dir(root)
    return version


# -- transactions --------------------------------------------------------------------------


def _add_history_once(models_dir: Path, version: str, event: dict[str, Any], txn: str) -> None:
    """Append ``event`` to the version's manifest history unless this transaction already did.
    A manifest that cannot be read is left alone (the log is the record): a damaged manifest
    must never stop a rollback away from it."""
    try:
        manifest = read_manifest(models_dir, version)
    except RegistryError as exc:
        log.warning("not recording %s in %s's manifest: %s", event.get("action"), version, exc)
        return
    history = manifest.setdefault("promotion_history", [])
    if any(isinstance(h, dict) and h.get("txn") == txn for h in history):
        return
    history.append({**event, "txn": txn})
    atomic_write_text(version_dir(models_dir, version) / MANIFEST_FILE, _json(manifest))


def _append_log_once(models_dir: Path, entry: dict[str, Any]) -> None:
    """Add ``entry`` to ``promotions.jsonl`` unless this transaction already did, by rewriting
    the log (write, fsync, rename): a kill mid-write leaves the old log, never a torn line."""
    path = Path(models_dir) / PROMOTIONS_LOG
    existing = read_promotions(models_dir)
    if any(e.get("txn") == entry["txn"] for e in existing):
        return
    lines = [json.dumps(e, ensure_ascii=False, allow_nan=False) for e in [*existing, entry]]
    atomic_write_text(path, "\n".join(lines) + "\n")


def _apply(models_dir: Path, txn: dict[str, Any]) -> None:
    """Apply a written intent: manifests, then the log, then the pointer (last), then drop the
    intent. Every step is idempotent, so a re-run after a kill finishes the job."""
    root = Path(models_dir)
    for item in txn["history"]:
        _add_history_once(root, item["version"], item["event"], txn["id"])
    crash_point("txn:manifests-written")
    _append_log_once(root, {**txn["log_entry"], "txn": txn["id"]})
    crash_point("txn:log-written")
    atomic_write_text(root / CURRENT_FILE, txn["pointer"] + "\n")
    crash_point("txn:pointer-written")
    (root / INTENT_FILE).unlink(missing_ok=True)
    fsync_dir(root)


def _commit(models_dir: Path, *, log_entry: dict[str, Any], history: list[dict[str, Any]],
            pointer: str) -> None:
    """One crash-safe transaction (the caller holds the registry lock)."""
    root = Path(models_dir)
    txn = {"id": secrets.token_hex(8), "log_entry": log_entry, "history": history,
           "pointer": pointer}
    atomic_write_text(root / INTENT_FILE, _json(txn))
    crash_point("txn:intent-written")
    _apply(root, txn)


def _recover_locked(models_dir: Path) -> str | None:
    """Finish a transaction a killed process left (caller holds the lock) and sweep temp
    files; returns the finished transaction's id, if any."""
    root = Path(models_dir)
    swept = sweep_temporaries(root, locked=True)
    if swept:
        log.warning("registry %s: removed leftovers of interrupted writes: %s", root, swept)
    intent = root / INTENT_FILE
    try:
        txn = json.loads(intent.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (json.JSONDecodeError, UnicodeDecodeError, OSError) as exc:
        # Written by rename after fsync, so never torn; anything else was not written by us.
        raise RegistryError(
            f"{intent}: an unfinished registry transaction that cannot be read ({exc}); "
            "inspect it, then delete it to continue"
        ) from None
    _apply(root, txn)
    log.warning("registry %s: finished transaction %s interrupted earlier (%s of %s)", root,
                txn["id"], txn["log_entry"].get("action"), txn["log_entry"].get("version"))
    return str(txn["id"])


def recover(models_dir: Path) -> str | None:
    """Finish any transaction a killed promote or rollback left, and sweep leftovers."""
    with registry_lock(models_dir):
        return _recover_locked(models_dir)


def _who() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def promote(
    models_dir: Path,
    ref: str,
    *,
    force: bool = False,
    reason: str | None = None,
    suite: Sequence[Vignette] | None = None,
    extra_vignettes: Sequence[Vignette] = (),
    shadow_report: dict[str, Any] | None = None,
) -> PromotionResult:
    """Make ``ref`` the current model if it passes the safety gate (or is forced with a reason).

    ``reason`` is recorded whenever given (e.g. "monthly retrain"); with ``force`` it is required.
    ``shadow_report`` (``triage shadow report --json`` on this version, checked by
    ``triage.shadow.check_report``) is recorded as evidence in the log and the manifest.
    One crash-safe transaction (see the module docstring).

    Raises:
        RegistryError: unknown version, already current, or ``force`` without a reason.
        IntegrityError: the artifact fails its hash or library-version check.
        PromotionRefused: the gate found critical misses (listed in the message) and not forced.
    """
    reason = reason.strip() if reason else None
    if force and not reason:
        raise RegistryError("--force needs --reason \"...\": the reason goes into the audit trail")
    root = Path(models_dir)
    recover(root)
    version = resolve_version(root, ref)
    if current_version(root) == version:
        raise RegistryError(f"{version} is already the current model")
    score = run_gate(root, version, suite=suite, extra_vignettes=extra_vignettes)
    failures = gate_failures(score)
    if failures and not force:
        raise PromotionRefused(
            f"{version}: the safety gate refuses promotion ({len(failures)} problem(s)):\n  "
            + "\n  ".join(failures)
            + "\nFix the model or rules, or promote with --force --reason \"...\".",
            version,
            score,
        )
    with registry_lock(root):
        _recover_locked(root)
        previous = current_version(root)
        if previous == version:
            raise RegistryError(f"{version} is already the current model")
        at = iso_utc(utc_now())
        gate = gate_summary(score)
        forced = bool(failures) and force
        entry = {"at": at, "action": "promote", "version": version, "previous": previous,
                 "forced": forced, "force_requested": force, "reason": reason, "gate": gate,
                 "shadow_report": shadow_report, "by": _who()}
        if not gate_passed(entry):
            raise RegistryError(f"{version}: the gate's record would not allow serving it")
        _commit(
            root,
            log_entry=entry,
            history=[{"version": version, "event": {
                "at": at, "action": "promote", "previous": previous, "forced": forced,
                "reason": reason, "gate": gate, "shadow_report": shadow_report}}],
            pointer=version,
        )
    return PromotionResult(version=version, previous=previous, forced=forced, reason=reason,
                           gate=score)


def promotion_stack(models_dir: Path) -> list[str]:
    """The pointer's history as a stack: each promote pushes, each rollback pops."""
    stack: list[str] = []
    for entry in read_promotions(models_dir):
        if entry.get("action") == "promote":
            stack.append(str(entry["version"]))
        elif entry.get("action") == "rollback" and stack:
            stack.pop()
    return stack


def _rollback_target(root: Path) -> tuple[str, str]:
    """(current, the version to restore), or why there is none."""
    stack = promotion_stack(root)
    current = current_version(root)
    if not stack or current is None:
        raise RegistryError(f"{root}: nothing has been promoted, so there is nothing to roll "
                            "back")
    if stack[-1] != current:
        raise RegistryError(
            f"{root / CURRENT_FILE} says {current} but {root / PROMOTIONS_LOG} ends at "
            f"{stack[-1]}; the pointer was changed outside 'triage models'. Promote the "
            "intended version explicitly."
        )
    if len(stack) < 2:
        raise RegistryError(f"{current} is the first promoted version; there is no previous "
                            "version to roll back to")
    return current, stack[-2]


def rollback(
    models_dir: Path,
    *,
    reason: str | None = None,
    force: bool = False,
    suite: Sequence[Vignette] | None = None,
    extra_vignettes: Sequence[Vignette] = (),
) -> RollbackResult:
    """Return ``current`` to the version that was current before the last promotion.

    Repeated rollbacks walk further back. The version to restore goes through the safety gate
    again (the suite or the rules may have changed since it was promoted); if it fails, the
    rollback is refused unless forced with a reason. One crash-safe transaction.

    Raises:
        RegistryError: nothing to roll back to, the log and the pointer disagree, or ``force``
            without a reason.
        IntegrityError: the version to restore fails its hash or library-version check.
        PromotionRefused: the version to restore fails the gate and ``force`` is not given.
    """
    reason = reason.strip() if reason else None
    if force and not reason:
        raise RegistryError("--force needs --reason \"...\": the reason goes into the audit trail")
    root = Path(models_dir)
    recover(root)
    current, target = _rollback_target(root)
    score = run_gate(root, target, suite=suite, extra_vignettes=extra_vignettes)
    failures = gate_failures(score)
    if failures and not force:
        raise PromotionRefused(
            f"{target}: the safety gate refuses restoring it ({len(failures)} problem(s)):\n  "
            + "\n  ".join(failures)
            + "\nPromote a version that passes, or roll back with --force --reason \"...\".",
            target,
            score,
        )
    with registry_lock(root):
        _recover_locked(root)
        if _rollback_target(root) != (current, target):
            raise RegistryError(
                f"{root}: the registry changed while the gate ran; run the rollback again"
            )
        at = iso_utc(utc_now())
        gate = gate_summary(score)
        forced = bool(failures) and force
        _commit(
            root,
            log_entry={"at": at, "action": "rollback", "version": target, "previous": current,
                       "forced": forced, "force_requested": force, "reason": reason,
                       "gate": gate, "by": _who()},
            history=[
                {"version": current, "event": {"at": at, "action": "rolled_back", "to": target,
                                               "reason": reason}},
                {"version": target, "event": {"at": at, "action": "restored_by_rollback",
                                              "from": current, "forced": forced,
                                              "reason": reason, "gate": gate}},
            ],
            pointer=target,
        )
    return RollbackResult(rolled_back=current, restored=target, forced=forced, reason=reason,
                          gate=score)
