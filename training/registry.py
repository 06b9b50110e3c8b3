"""Writing the model registry: register a version atomically, promote through the gate, roll back.

Layout and reading are in ``triage.registry`` (the service reads the registry too). Three rules:

- Nothing half-written becomes visible. A version is built in ``models/.tmp-*`` (a name readers
  never look at), every file is fsync'd, then the folder is renamed to its version id in one
  step. If anything fails first, the temporary folder is removed and nothing is registered.
- ``current`` changes only through ``os.replace`` of a fsync'd file, after an entry has been
  appended to ``promotions.jsonl``; so a reader sees the old version or the new one, never a
  torn pointer, and the log explains every pointer it ever held.
- Promotion runs the safety vignette suite through the version's own ``Predictor.suggest``
  (red-flag rules included, as served) and refuses a model that misses any critical vignette,
  unless forced with a reason, which is recorded in the log and the version's manifest.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import json
import os
import secrets
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib

from triage.registry import (
    CURRENT_FILE,
    LOCK_FILE,
    MANIFEST_FILE,
    MANIFEST_FORMAT,
    MODEL_FILE,
    PROMOTIONS_LOG,
    TEMP_PREFIX,
    RegistryError,
    check_library_versions,
    current_version,
    file_sha256,
    load_predictor,
    read_manifest,
    read_promotions,
    resolve_version,
    verify_artifact,
    version_dir,
)
from triage.schema import Disposition
from triage.vignettes import Vignette, VignetteScore, load_safety_suite, score_vignettes


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


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_version_id(now: datetime | None = None) -> str:
    """``<UTC yyyymmddThhmmssZ>-<6 random hex>``: sortable by creation and unique."""
    moment = (now or utc_now()).astimezone(UTC)
    return f"{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


@contextlib.contextmanager
def registry_lock(models_dir: Path) -> Iterator[None]:
    """An exclusive cross-process lock on the registry (``models/.lock``, ``fcntl.flock``).

    Serialises promotions and rollbacks so that two operators cannot interleave the log and
    the pointer. Registration itself needs no lock (each version has its own folder).
    """
    root = Path(models_dir)
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_FILE).open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """fsync every file and folder under ``root`` (before the rename that publishes it)."""
    for dirpath, _dirnames, filenames in os.walk(root):
        for name in filenames:
            with open(os.path.join(dirpath, name), "rb+") as fh:
                os.fsync(fh.fileno())
        fsync_dir(Path(dirpath))


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old content or the new, never half."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False, allow_nan=False) + "\n"


def register_version(
    models_dir: Path,
    model: object,
    manifest: dict[str, Any],
    *,
    write_extras: Callable[[Path, str], None] | None = None,
    version: str | None = None,
) -> str:
    """Register ``model`` as a new version and return its id; nothing is visible until done.

    ``manifest`` holds everything but the bookkeeping this function adds (format, version,
    created if absent, the artifact's sha256 and size, an empty promotion history).
    ``write_extras(folder, version)`` writes the model card and report into the version's
    folder before it is published. Any exception removes the temporary folder and propagates.
    """
    root = Path(models_dir)
    root.mkdir(parents=True, exist_ok=True)
    version = version or new_version_id()
    final = version_dir(root, version)
    if final.exists():
        raise RegistryError(f"{final}: a version with this id already exists")
    tmp = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{version}-", dir=root))
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
        if write_extras is not None:
            write_extras(tmp, version)
        (tmp / MANIFEST_FILE).write_text(_json(full), encoding="utf-8")
        _fsync_tree(tmp)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    fsync_dir(root)
    return version


def _append_log(models_dir: Path, entry: dict[str, Any]) -> None:
    path = Path(models_dir) / PROMOTIONS_LOG
    line = json.dumps(entry, ensure_ascii=False, allow_nan=False) + "\n"
    with path.open("a", encoding="utf-8") as fh:
        fh.write(line)
        fh.flush()
        os.fsync(fh.fileno())
    fsync_dir(path.parent)


def _add_history(models_dir: Path, version: str, event: dict[str, Any]) -> None:
    manifest = read_manifest(models_dir, version)
    manifest.setdefault("promotion_history", []).append(event)
    atomic_write_text(version_dir(models_dir, version) / MANIFEST_FILE, _json(manifest))


def _set_current(models_dir: Path, version: str) -> None:
    atomic_write_text(Path(models_dir) / CURRENT_FILE, version + "\n")


def _who() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def gate_summary(score: VignetteScore) -> dict[str, Any]:
    """The gate's figures as recorded in the log and manifest (critical misses by id)."""
    data = score.to_json()
    return {
        "n": data["n"],
        "n_critical": data["n_critical"],
        "critical_sensitivity": data["critical_sensitivity"],
        "acceptable_rate": data["acceptable_rate"],
        "over_triage_rate": data["over_triage_rate"],
        "critical_misses": [m["id"] for m in data["critical_misses"]],
    }


def run_gate(
    models_dir: Path,
    version: str,
    *,
    suite: Sequence[Vignette] | None = None,
    extra_vignettes: Sequence[Vignette] = (),
) -> VignetteScore:
    """Run the safety vignettes through the version's ``Predictor.suggest`` and score them.

    ``suite`` defaults to the project's safety suite (``triage/data/*vignette*.jsonl``);
    ``extra_vignettes`` are added to it (they can only make the gate stricter).
    """
    predictor = load_predictor(models_dir, version)
    vignettes = list(load_safety_suite() if suite is None else suite) + list(extra_vignettes)
    if not vignettes:
        raise RegistryError("the safety gate has no vignettes to run")
    suggestions: list[Disposition] = [predictor.suggest(v.request).suggestion for v in vignettes]
    return score_vignettes(vignettes, suggestions)


def gate_failures(score: VignetteScore) -> list[str]:
    """Why the gate refuses (empty when it passes): every critical miss, or no critical cases."""
    if score.n_critical == 0:
        return ["the suite holds no critical vignettes, so critical sensitivity cannot be measured"]
    return [
        f"critical vignette {v.id} missed: {v.request.narrative[:120]!r} ({v.rationale})"
        for v in score.critical_misses
    ]


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

    Raises:
        RegistryError: unknown version, already current, or ``force`` without a reason.
        IntegrityError: the artifact fails its hash or library-version check.
        PromotionRefused: the gate found critical misses (listed in the message) and not forced.
    """
    reason = reason.strip() if reason else None
    if force and not reason:
        raise RegistryError("--force needs --reason \"...\": the reason goes into the audit trail")
    root = Path(models_dir)
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
        previous = current_version(root)
        if previous == version:
            raise RegistryError(f"{version} is already the current model")
        at = iso_utc(utc_now())
        gate = gate_summary(score)
        forced = bool(failures) and force
        _append_log(
            root,
            {
                "at": at,
                "action": "promote",
                "version": version,
                "previous": previous,
                "forced": forced,
                "force_requested": force,
                "reason": reason,
                "gate": gate,
                "shadow_report": shadow_report,
                "by": _who(),
            },
        )
        _add_history(
            root,
            version,
            {"at": at, "action": "promote", "previous": previous, "forced": forced,
             "reason": reason, "gate": gate, "shadow_report": shadow_report},
        )
        _set_current(root, version)
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


def rollback(models_dir: Path, *, reason: str | None = None) -> RollbackResult:
    """Return ``current`` to the version that was current before the last promotion.

    Repeated rollbacks walk further back. The restored version passed the gate (or was forced)
    when it was promoted, so the gate is not re-run; its artifact is hash-checked first.

    Raises:
        RegistryError: nothing to roll back to, or the log and the pointer disagree.
        IntegrityError: the version to restore fails its hash or library-version check.
    """
    root = Path(models_dir)
    with registry_lock(root):
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
        target = stack[-2]
        manifest = read_manifest(root, target)
        check_library_versions(manifest, version_dir(root, target) / MANIFEST_FILE)
        verify_artifact(root, target, manifest)
        at = iso_utc(utc_now())
        _append_log(
            root,
            {"at": at, "action": "rollback", "version": target, "previous": current,
             "reason": reason, "by": _who()},
        )
        _add_history(root, current, {"at": at, "action": "rolled_back", "to": target,
                                     "reason": reason})
        _add_history(root, target, {"at": at, "action": "restored_by_rollback", "from": current,
                                    "reason": reason})
        _set_current(root, target)
    return RollbackResult(rolled_back=current, restored=target)
