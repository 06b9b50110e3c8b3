"""Reading the model registry: resolve ``current``, list versions, load a model safely.

The registry is a folder (``TRIAGE_MODELS_DIR``, default ``models/``)::

    models/
      current                      the promoted version id (one line; replaced atomically)
      promotions.jsonl             append-only log of every promote and rollback
      20261122T001530Z-ab12cd/     one registered version (never changed after registration,
        model.joblib               except the manifest's promotion history)
        manifest.json              provenance, library versions, metrics, sha256 of model.joblib
        model_card.md
        report/index.html + PNGs
      .tmp-*/                      a registration in progress (invisible to readers)

It lives in ``triage`` (not ``training``) because the service reads it; writing, promotion and
rollback are in ``training.registry``, which uses the names defined here so that the two sides
cannot drift apart.

Loading a model unpickles it, and unpickling runs code. So ``load_model`` refuses, *before*
unpickling, an artifact whose sha256 differs from the manifest's, and a model pickled under a
different major.minor of scikit-learn, NumPy or SciPy (their pickles are not portable across
those, and a silently different model is worse than none). The artifact is read ONCE: the bytes
that were hashed are the bytes unpickled (no window to swap the file between check and load).
No registry file is read through a symbolic link, and a version folder that is a link is not a
version (a link could point out of the registry).

The hash detects corruption and accidents (a truncated copy, a file from another version), not
a determined attacker who can write the registry: such a person rewrites the manifest too. See
docs/SECURITY.md and hazard H5 for what would (a signature checked against a key held outside
the registry).

The safety gate cannot be bypassed by the pointer: ``current`` is served only if
``promotions.jsonl`` records, for that version, a promotion or rollback that passed the vignette
gate or was forced with a reason (``check_gated``). A version id written into ``current`` by
hand, or a registry copied from elsewhere without its log, is refused.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from triage.manifest import Manifest, ManifestError

if TYPE_CHECKING:
    from triage.model import TrainedModel
    from triage.predictor import Predictor

MODEL_FILE = "model.joblib"
MANIFEST_FILE = "manifest.json"
MODEL_CARD_FILE = "model_card.md"
REPORT_DIR = "report"
REPORT_INDEX = "index.html"
CURRENT_FILE = "current"
PROMOTIONS_LOG = "promotions.jsonl"
LOCK_FILE = ".lock"
#: Registrations in progress are built in folders with this prefix; readers never look at them.
TEMP_PREFIX = ".tmp-"

#: ``<UTC timestamp>-<6 hex>``: sorts by creation time, unique within a second.
VERSION_PATTERN = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")

#: Libraries recorded in every manifest (import name -> distribution name).
RECORDED_LIBRARIES: dict[str, str] = {
    "sklearn": "scikit-learn",
    "numpy": "numpy",
    "scipy": "scipy",
    "polars": "polars",
    "joblib": "joblib",
}
#: Libraries whose major.minor must match between training and loading (pickle compatibility).
CHECKED_LIBRARIES: tuple[str, ...] = ("sklearn", "numpy", "scipy")

_HASH_CHUNK = 1 << 20


class RegistryError(Exception):
    """The registry cannot do what was asked; the message says what and where."""


class IntegrityError(RegistryError):
    """An artifact is not what its manifest says (hash or library versions): never loaded."""


class UngatedError(IntegrityError):
    """The version was never promoted through the safety gate (nor forced with a reason)."""


def read_registry_bytes(path: Path) -> bytes:
    """A registry file's bytes, read through one descriptor that refuses a symbolic link and
    anything but a regular file.

    Raises:
        FileNotFoundError: no such file.
        RegistryError: the path is a symbolic link or not a regular file, or cannot be read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:
        if os.path.islink(path):
            raise RegistryError(
                f"{path}: is a symbolic link; registry files are never read through links"
            ) from None
        raise RegistryError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise RegistryError(f"{path}: is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class VersionEntry:
    """One registered version as ``list_versions`` sees it.

    ``manifest`` is None and ``error`` says why when the manifest cannot be read: listing shows
    a damaged version instead of hiding it or failing for all of them.
    """

    version: str
    path: Path
    manifest: dict[str, Any] | None
    error: str | None
    is_current: bool


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries a manifest records (import name -> version)."""
    out: dict[str, str] = {}
    for name, dist in RECORDED_LIBRARIES.items():
        try:
            out[name] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file, read in chunks (artifacts can be large)."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while chunk := fh.read(_HASH_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def is_version_id(name: str) -> bool:
    return bool(VERSION_PATTERN.match(name))


def version_dir(models_dir: Path, version: str) -> Path:
    return Path(models_dir) / version


def _is_version_folder(path: Path) -> bool:
    """A real folder (a symbolic link is never a version: it could point out of the registry)."""
    try:
        return stat.S_ISDIR(path.lstat().st_mode)
    except FileNotFoundError:
        return False


def _registered(models_dir: Path) -> list[str]:
    root = Path(models_dir)
    if not root.is_dir():
        return []
    return sorted(
        p.name for p in root.iterdir() if is_version_id(p.name) and _is_version_folder(p)
    )


def current_version(models_dir: Path) -> str | None:
    """The promoted version id, or None when nothing has been promoted yet."""
    pointer = Path(models_dir) / CURRENT_FILE
    try:
        text = read_registry_bytes(pointer).decode("utf-8", "replace").strip()
    except FileNotFoundError:
        return None
    if not is_version_id(text):
        raise RegistryError(
            f"{pointer}: does not hold a version id (expected like 20261122T001530Z-ab12cd, "
            f"got {text[:80]!r})"
        )
    return text


def resolve_version(models_dir: Path, ref: str = "current") -> str:
    """Turn ``current``, ``latest`` or a version id into a registered version id.

    Raises:
        RegistryError: nothing is promoted, the id is malformed, or the version is not there.
    """
    root = Path(models_dir)
    ref = ref.strip()
    if ref == "current":
        version = current_version(root)
        if version is None:
            raise RegistryError(
                f"{root / CURRENT_FILE}: no model has been promoted yet (registered versions: "
                f"{_describe(_registered(root))}); run 'triage train --data FILE --promote' or "
                "'triage models promote VERSION'"
            )
        if not _is_version_folder(version_dir(root, version)):
            raise RegistryError(
                f"{root / CURRENT_FILE}: points at {version}, but {version_dir(root, version)} "
                "does not exist (or is a link, which is never a version)"
            )
        return version
    if ref == "latest":
        versions = _registered(root)
        if not versions:
            raise RegistryError(f"{root}: no registered model versions")
        return versions[-1]
    if not is_version_id(ref):
        raise RegistryError(
            f"{ref!r} is not a model version: expected 'current', 'latest' or an id like "
            "20261122T001530Z-ab12cd"
        )
    if not _is_version_folder(version_dir(root, ref)):
        raise RegistryError(
            f"{version_dir(root, ref)}: no such model version (registered versions: "
            f"{_describe(_registered(root))})"
        )
    return ref


def _describe(versions: list[str], limit: int = 5) -> str:
    if not versions:
        return "none"
    shown = versions[-limit:]
    more = len(versions) - len(shown)
    return (f"{more} older and " if more else "") + ", ".join(shown)


def read_manifest(models_dir: Path, version: str) -> dict[str, Any]:
    """The manifest of a registered version (``version`` may be ``current`` or ``latest``).

    Raises:
        RegistryError: the manifest is missing, not JSON, or names a different version.
    """
    version = resolve_version(models_dir, version)
    path = version_dir(models_dir, version) / MANIFEST_FILE
    try:
        data = json.loads(read_registry_bytes(path).decode("utf-8"))
    except FileNotFoundError:
        raise RegistryError(f"{path}: manifest is missing") from None
    except json.JSONDecodeError as exc:
        raise RegistryError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except UnicodeDecodeError:
        raise RegistryError(f"{path}: not UTF-8 text") from None
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: must hold a JSON object, got {type(data).__name__}")
    if data.get("version") != version:
        raise RegistryError(
            f"{path}: names version {data.get('version')!r} but lives in folder {version}"
        )
    return data


def list_versions(models_dir: Path) -> list[VersionEntry]:
    """Every registered version, oldest first, with its manifest (or why it cannot be read)."""
    root = Path(models_dir)
    try:
        current = current_version(root)
    except RegistryError:
        current = None
    out: list[VersionEntry] = []
    for version in _registered(root):
        manifest: dict[str, Any] | None
        error: str | None = None
        try:
            manifest = read_manifest(root, version)
        except RegistryError as exc:
            manifest, error = None, str(exc)
        out.append(
            VersionEntry(
                version=version,
                path=version_dir(root, version),
                manifest=manifest,
                error=error,
                is_current=version == current,
            )
        )
    return out


def read_promotions(models_dir: Path) -> list[dict[str, Any]]:
    """The promotions log, oldest first (one JSON object per promote or rollback).

    Raises:
        RegistryError: a line of the log is not a JSON object (the log names the line).
    """
    path = Path(models_dir) / PROMOTIONS_LOG
    try:
        lines = read_registry_bytes(path).decode("utf-8", "replace").splitlines()
    except FileNotFoundError:
        return []
    out: list[dict[str, Any]] = []
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            raise RegistryError(f"{path}: line {lineno}: not valid JSON ({exc.msg})") from None
        if not isinstance(entry, dict):
            raise RegistryError(f"{path}: line {lineno}: must be a JSON object")
        out.append(entry)
    return out


def _major_minor(version: str) -> tuple[str, ...]:
    return tuple(version.split(".")[:2])


def as_manifest(manifest: Manifest | Mapping[str, Any], where: object) -> Manifest:
    """``manifest`` typed (``Manifest.read``: old formats migrated).

    Raises:
        IntegrityError: it does not have a manifest's layout (never loaded).
    """
    if isinstance(manifest, Manifest):
        return manifest
    try:
        return Manifest.read(manifest, where)
    except ManifestError as exc:
        raise IntegrityError(f"{exc}; refusing to load") from None


def check_library_versions(manifest: Manifest | Mapping[str, Any], where: Path) -> None:
    """Refuse a model pickled under another major.minor of scikit-learn, NumPy or SciPy.

    Raises:
        IntegrityError: naming the library, the manifest's version and the installed one.
    """
    recorded = as_manifest(manifest, where).environment.libraries
    installed = library_versions()
    problems: list[str] = []
    for lib in CHECKED_LIBRARIES:
        want = recorded.get(lib)
        have = installed.get(lib, "not installed")
        if not isinstance(want, str):
            problems.append(f"{lib}: the manifest does not record its version")
        elif _major_minor(want) != _major_minor(have):
            problems.append(f"{lib}: manifest says {want}, installed is {have}")
    if problems:
        raise IntegrityError(
            f"{where}: trained under other library versions ({'; '.join(problems)}); "
            "refusing to load (major.minor must match: retrain, or install the recorded versions)"
        )


def read_verified_artifact(
    models_dir: Path, version: str, manifest: Manifest | Mapping[str, Any]
) -> tuple[Path, bytes]:
    """Read model.joblib ONCE (no symbolic link) and check those bytes' sha256 against the
    manifest; return the path and the verified bytes (unpickle these, never the file again).

    Raises:
        IntegrityError: missing file, no recorded hash, a link, or a hash mismatch.
    """
    path = version_dir(models_dir, version) / MODEL_FILE
    artifact = as_manifest(manifest, version_dir(models_dir, version) / MANIFEST_FILE).artifact
    want = artifact.sha256 if artifact is not None else None
    if not isinstance(want, str) or len(want) != 64:
        raise IntegrityError(
            f"{version_dir(models_dir, version) / MANIFEST_FILE}: records no sha256 for "
            f"{MODEL_FILE}; refusing to load"
        )
    try:
        data = read_registry_bytes(path)
    except FileNotFoundError:
        raise IntegrityError(f"{path}: model artifact is missing; refusing to load") from None
    except RegistryError as exc:
        raise IntegrityError(f"{exc}; refusing to load") from None
    have = hashlib.sha256(data).hexdigest()
    if have != want:
        raise IntegrityError(
            f"{path}: sha256 mismatch: manifest says {want}, file is {have}; refusing to load"
        )
    return path, data


def verify_artifact(models_dir: Path, version: str, manifest: Manifest | Mapping[str, Any]
                    ) -> Path:
    """Check model.joblib's sha256 against the manifest; return its path.

    Raises:
        IntegrityError: missing file, no recorded hash, a link, or a hash mismatch.
    """
    return read_verified_artifact(models_dir, version, manifest)[0]


def gate_passed(entry: dict[str, Any]) -> bool:
    """Whether a promote or rollback log entry let its version serve: the vignette gate ran
    with critical cases and missed none, or the operator forced it and gave a reason."""
    if entry.get("forced") is True:
        reason = entry.get("reason")
        return isinstance(reason, str) and bool(reason.strip())
    gate = entry.get("gate")
    if not isinstance(gate, dict):
        return False
    n_critical = gate.get("n_critical")
    return (
        isinstance(n_critical, int) and n_critical > 0 and gate.get("critical_misses") == []
    )


def gate_record(models_dir: Path, version: str) -> dict[str, Any] | None:
    """The latest promote or rollback entry of ``promotions.jsonl`` that let ``version`` serve
    (see ``gate_passed``), or None when there is none."""
    found: dict[str, Any] | None = None
    for entry in read_promotions(models_dir):
        if (
            entry.get("version") == version
            and entry.get("action") in ("promote", "rollback")
            and gate_passed(entry)
        ):
            found = entry
    return found


def check_gated(models_dir: Path, version: str) -> dict[str, Any]:
    """The log entry that gated ``version``.

    Raises:
        UngatedError: no promotion or rollback of this version passed the gate or was forced.
    """
    record = gate_record(models_dir, version)
    if record is None:
        raise UngatedError(
            f"{version_dir(models_dir, version)}: not promoted through the safety gate "
            f"({Path(models_dir) / PROMOTIONS_LOG} records no promotion of it that passed the "
            "vignette gate or was forced with a reason); refusing to serve it. Promote it with "
            "'triage models promote VERSION'."
        )
    return record


def load_model(
    models_dir: Path, ref: str = "current", *, require_gate: bool | None = None,
    feature_jobs: int | None = None,
) -> tuple[TrainedModel, dict[str, Any]]:
    """Load a registered model and its manifest, checking versions and hash before unpickling.

    ``require_gate`` (default: when ``ref`` is ``current``, i.e. whenever a model is served)
    refuses a version without a recorded passing gate (``check_gated``). The gate itself loads
    unpromoted versions, so asking for a version by id does not require it. ``feature_jobs``
    (default: the ``TRIAGE_FEATURE_JOBS`` setting) is given to the pipeline's feature step:
    a setting of this machine, never pickled with the model.

    Raises:
        RegistryError: unknown version or unreadable manifest.
        UngatedError: the gate is required and the version never passed it.
        IntegrityError: library versions or the artifact's sha256 do not match the manifest,
            or the file does not hold a trained model.
    """
    model, manifest, raw, path = _load_verified(models_dir, ref, require_gate, feature_jobs)
    check_runs(model, manifest, path)
    return model, raw


def _load_verified(
    models_dir: Path, ref: str, require_gate: bool | None, feature_jobs: int | None
) -> tuple[TrainedModel, Manifest, dict[str, Any], Path]:
    """``load_model`` without the smoke check: the model, its manifest (typed and as stored)
    and its file."""
    from triage.model import set_feature_jobs
    from triage.settings import get_settings

    if require_gate is None:
        require_gate = ref.strip() == "current"
    version = resolve_version(models_dir, ref)
    raw = read_manifest(models_dir, version)
    if require_gate:
        check_gated(models_dir, version)
    manifest = as_manifest(raw, version_dir(models_dir, version) / MANIFEST_FILE)
    check_library_versions(manifest, version_dir(models_dir, version) / MANIFEST_FILE)
    path, data = read_verified_artifact(models_dir, version, manifest)
    model = unpickle_model(path, data)
    del data
    jobs = get_settings().feature_jobs if feature_jobs is None else feature_jobs
    return set_feature_jobs(model, jobs), manifest, raw, path


def unpickle_model(path: Path, data: bytes) -> TrainedModel:
    """The ``TrainedModel`` in ``data`` (the hash-verified bytes of ``path``).

    Raises:
        IntegrityError: the bytes do not unpickle, or hold something else.
    """
    import joblib

    from triage.collector import gc_paused
    from triage.model import TrainedModel

    try:
        with gc_paused():  # a model is long-lived: no collections walking it as it is built
            model = joblib.load(io.BytesIO(data))
    except Exception as exc:  # a hash-verified file that still will not load: say so plainly
        raise IntegrityError(f"{path}: cannot be unpickled ({type(exc).__name__}: {exc})") from exc
    if not isinstance(model, TrainedModel):
        raise IntegrityError(
            f"{path}: holds a {type(model).__name__}, not a triage.model.TrainedModel"
        )
    return model


#: The request a loaded model must be able to score before it is handed out.
SMOKE_REQUEST: dict[str, Any] = {"narrative": "registry load check: adult, alert, no injuries"}


def check_runs(
    model: TrainedModel,
    manifest: Manifest | Mapping[str, Any],
    path: Path,
    score: Callable[[list[dict[str, Any]]], Any] | None = None,
) -> None:
    """Score one request, so a model the installed code can no longer run fails at load time.

    A pickle holds the model's state, not its code: a model trained before a change to the
    feature transformers can unpickle and then fail on every request. Better to refuse it here,
    once, saying which code it came from, than to serve errors. ``score`` is the path that will
    serve (the predictor's compiled ``proba_records`` when serving); by default the Pipeline's
    ``predict_proba`` (for training, evaluation and the gate, which use the Pipeline).

    Raises:
        IntegrityError: scoring fails, or does not give one row of three probabilities.
    """
    run = model.pipeline.predict_proba if score is None else score
    try:
        proba = run([SMOKE_REQUEST])
        shape = getattr(proba, "shape", None)
    except Exception as exc:  # any failure here means: this code cannot run this model
        code = as_manifest(manifest, path).code
        raise IntegrityError(
            f"{path}: the model does not run under the installed code ({type(exc).__name__}: "
            f"{exc}); it was trained with {code.package} {code.package_version} at commit "
            f"{code.git_commit or 'unknown'}; retrain it, or install that version"
        ) from exc
    if shape != (1, 3):
        raise IntegrityError(
            f"{path}: scoring one request gave an array of shape {shape}, expected (1, 3)"
        )


def load_predictor(
    models_dir: Path, ref: str = "current", *, require_gate: bool | None = None,
    feature_jobs: int | None = None,
) -> Predictor:
    """A ``Predictor`` for a registered model; its version is the resolved id, never 'current'.
    ``require_gate`` and ``feature_jobs`` as in ``load_model``."""
    from triage.fastscore import CompileError
    from triage.predictor import Predictor

    model, manifest, _raw, path = _load_verified(models_dir, ref, require_gate, feature_jobs)
    try:
        predictor = Predictor(model, manifest.version)
    except CompileError:
        raise
    except Exception:
        check_runs(model, manifest, path)  # the Pipeline's check says why, in its words
        raise
    # the smoke check on the path that will serve (the compiled scorer): the Pipeline's own
    # predict_proba would cost a second of first-call set-up that serving never uses
    check_runs(model, manifest, path, predictor.proba_records)
    return predictor
