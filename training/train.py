"""Train a model on an export and register it: validate, split by time, fit, evaluate, report.

The split is by time because that is how the model will be used: trained on the past, judged on
requests that came later. Random splits would let the model see next month's wording and case
mix, and would overstate it. The latest calendar month(s) form the test set, the month(s) just
before them the validation slice (calibration and the deploy threshold are fitted there, never
on the test set), and everything earlier trains the model. Exports spanning fewer than three
months are cut at timestamp quantiles instead; either way every test row is later than every
validation row, which is later than every training row, and the manifest records the ranges.

Data with rejected rows is refused unless ``allow_rejects`` is set (the count is recorded in the
manifest either way): a model trained on silently filtered data is a model nobody can audit.
A training that fails at any step registers nothing.
"""

from __future__ import annotations

import logging
import platform
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

import triage
from training import registry as reg
from training.evaluate import evaluate, headline, split_curves
from training.model_card import model_card
from training.report import write_report
from triage.corpus import Corpus
from triage.history.loader import LoadResult, load_export
from triage.jsonsafe import json_safe
from triage.manifest import Manifest, TrainConfig
from triage.model import DEFAULT_CONFIG, INCIDENT_TYPES, TrainedModel, fit_model
from triage.policy import SLICE_TOLERANCE, check_slice_tolerance, check_slice_tolerances
from triage.population import profile_frame
from triage.registry import (
    MANIFEST_FILE,
    MODEL_CARD_FILE,
    REPORT_DIR,
    REPORT_INDEX,
    library_versions,
)
from triage.schema import DISPOSITIONS, ExportRow, enum_fields, export_fields
from triage.settings import get_settings
from triage.vignettes import VignetteScore

log = logging.getLogger(__name__)

#: The split's fractions are ``triage.manifest.TrainConfig``'s (recorded in the manifest).
#: Fewer rows than this cannot give a model or figures worth registering.
MIN_ROWS = 300
#: Stages reported to ``progress`` (the CLI shows them as a rich progress display).
STAGES: tuple[str, ...] = (
    "validate data", "split by time", "fit model", "evaluate on test", "save model",
    "write report", "publish version", "safety gate",
)

Progress = Callable[[str, str], None]
"""``progress(stage, detail)``: called as each stage starts (and with details within fitting)."""


class TrainingError(Exception):
    """Training cannot go ahead; the message says why and what to do. Nothing was registered."""


class RejectedRowsError(TrainingError):
    """The export has rejected rows and ``allow_rejects`` was not given."""

    def __init__(self, message: str, rejected: int) -> None:
        super().__init__(message)
        self.rejected = rejected


@dataclass(frozen=True)
class TimeSplit:
    train: pl.DataFrame
    valid: pl.DataFrame
    test: pl.DataFrame
    method: str

    def describe(self) -> dict[str, dict[str, Any]]:
        """Rows and time range of each part (ISO timestamps), for the manifest and the report."""
        out: dict[str, dict[str, Any]] = {}
        for name, part in (("train", self.train), ("valid", self.valid), ("test", self.test)):
            ts = part["received_at"]
            out[name] = {
                "rows": part.height,
                "from": _iso(ts.min()),
                "to": _iso(ts.max()),
            }
        return out


@dataclass(frozen=True)
class TrainResult:
    version: str
    report_path: Path
    metrics: dict[str, Any]
    promoted: bool
    gate: VignetteScore | None
    manifest_path: Path
    refusal: str | None = None
    kind: str = ""


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


def _month_label(value: object) -> str:
    return value.strftime("%Y-%m") if isinstance(value, datetime) else str(value)


def split_by_time(frame: pl.DataFrame, *, config: TrainConfig = DEFAULT_CONFIG) -> TimeSplit:
    """Train on earlier months, validate on the next, test on the latest (see module docstring).

    Raises:
        TrainingError: too few rows, missing timestamps, or too few distinct times to split.
    """
    n = frame.height
    test_fraction, valid_fraction = config.test_fraction, config.valid_fraction
    if n < MIN_ROWS:
        raise TrainingError(f"only {n:,} usable rows; training needs at least {MIN_ROWS:,}")
    if frame["received_at"].null_count():
        raise TrainingError("'received_at' is missing on some rows; the time split needs it")
    data = frame.sort("received_at", maintain_order=True)
    month = pl.col("received_at").dt.truncate("1mo")
    months = data.group_by(month.alias("m")).agg(pl.len().alias("n")).sort("m")
    if months.height >= config.min_months:
        starts, counts = months["m"].to_list(), months["n"].to_list()
        i, test_rows = len(starts), 0
        while i > 0 and test_rows < test_fraction * n:
            i -= 1
            test_rows += counts[i]
        j, valid_rows = i, 0
        while j > 0 and valid_rows < valid_fraction * n:
            j -= 1
            valid_rows += counts[j]
        if j > 0 and (n - test_rows - valid_rows) >= config.min_train_fraction * n:
            valid_from, test_from = starts[j], starts[i]
            train = data.filter(pl.col("received_at") < valid_from)
            valid = data.filter((pl.col("received_at") >= valid_from)
                                & (pl.col("received_at") < test_from))
            test = data.filter(pl.col("received_at") >= test_from)
            method = (
                f"calendar months: train {_month_label(starts[0])} to "
                f"{_month_label(starts[j - 1])}, validation {_month_label(starts[j])} to "
                f"{_month_label(starts[i - 1])}, test {_month_label(starts[i])} to "
                f"{_month_label(starts[-1])}"
            )
            return TimeSplit(train, valid, test, method)
    ts = data["received_at"]
    valid_from = ts.quantile(1 - test_fraction - valid_fraction, interpolation="lower")
    test_from = ts.quantile(1 - test_fraction, interpolation="lower")
    train = data.filter(pl.col("received_at") < valid_from)
    valid = data.filter((pl.col("received_at") >= valid_from)
                        & (pl.col("received_at") < test_from))
    test = data.filter(pl.col("received_at") >= test_from)
    if min(train.height, valid.height, test.height) == 0:
        raise TrainingError(
            f"cannot split {n:,} rows by time: too few distinct 'received_at' values "
            f"(train {train.height:,}, validation {valid.height:,}, test {test.height:,} rows)"
        )
    method = (f"timestamp quantiles ({months.height} calendar month(s) is too few for a "
              f"monthly split): validation from {_iso(valid_from)}, test from {_iso(test_from)}")
    return TimeSplit(train, valid, test, method)


def _check_classes(split: TimeSplit) -> None:
    for name, part in (("training", split.train), ("validation", split.valid),
                       ("test", split.test)):
        present = set(part["disposition"].cast(pl.String).unique().to_list())
        missing = [d.value for d in DISPOSITIONS if d.value not in present]
        if missing:
            raise TrainingError(
                f"the {name} part ({part.height:,} rows) has no {', '.join(missing)} rows; "
                "every disposition must appear in each part of the time split"
            )


def git_commit(repo: Path | None = None) -> tuple[str | None, bool | None]:
    """The checked-out commit and whether the tree has local changes (None without git)."""
    where = repo or Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=where, capture_output=True, text=True, timeout=10,
                               check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None, None
    return commit or None, bool(dirty)


def schema_summary() -> dict[str, Any]:
    """Field names and enum values the model was trained under (from triage.schema)."""
    return {
        "fields": list(export_fields()),
        "enums": {name: [m.value for m in enum] for name, enum in enum_fields(ExportRow).items()},
        "dispositions": [d.value for d in DISPOSITIONS],
    }


def _load(data: Path, allow_rejects: bool) -> LoadResult:
    result = load_export(data)
    if result.rejected and not allow_rejects:
        shown = "; ".join(
            f"row {r.row}{f' (line {r.line})' if r.line else ''}, {r.column}: {r.reason}"
            for r in result.rejects[:5]
        )
        where = f" (all listed in {result.rejects_path})" if result.rejects_path else ""
        raise RejectedRowsError(
            f"{data}: {result.rejected:,} of {result.rows_read:,} rows were rejected{where}, "
            f"e.g. {shown}. Fix the export, or train on the {result.kept:,} valid rows with "
            "--allow-rejects (the count is recorded in the model's manifest).",
            result.rejected,
        )
    return result


def _train_config(target_under_triage: float, slice_tolerance: float,
                  slice_tolerances: Mapping[str, float] | None, candidates: tuple[str, ...],
                  random_state: int, boosting_members: int | None) -> TrainConfig:
    """The run's configuration, every command-line value checked (TrainingError naming it)."""
    if not 0 < target_under_triage < 1:
        raise TrainingError(f"--target-under-triage must be between 0 and 1; got "
                            f"{target_under_triage}")
    try:
        check_slice_tolerance(slice_tolerance)
    except ValueError as exc:
        raise TrainingError(f"--slice-tolerance: {exc}") from None
    if boosting_members is not None and boosting_members < 1:
        raise TrainingError(f"--boosting-members must be at least 1; got {boosting_members}")
    per_slice = _slice_tolerances(slice_tolerances)
    settings: dict[str, Any] = {
        "target_under_triage": target_under_triage, "slice_tolerance": slice_tolerance,
        "candidates": candidates, "random_state": random_state,
        "feature_jobs": get_settings().feature_jobs, "slice_tolerances": per_slice,
    }
    if boosting_members is not None:
        settings["boosting_members"] = boosting_members
    config = TrainConfig.model_validate(settings)
    return config


def _slice_tolerances(values: Mapping[str, float] | None) -> dict[str, float]:
    """Per-slice tolerances checked: known incident types, each a tolerance the policy can
    fit with (TrainingError naming the slice otherwise)."""
    try:
        return check_slice_tolerances(values, known=INCIDENT_TYPES)
    except ValueError as exc:
        raise TrainingError(f"--slice-tolerance-for: {exc}") from None


def _noop(stage: str, detail: str) -> None:
    log.info("%s %s", stage, detail)


def train_and_register(
    data: Path,
    models_dir: Path,
    *,
    promote: bool = False,
    target_under_triage: float = 0.02,
    slice_tolerance: float = SLICE_TOLERANCE,
    allow_rejects: bool = False,
    candidates: Sequence[str] = ("linear", "boosted"),
    progress: Progress | None = None,
    random_state: int = 0,
    corpus: Corpus | None = None,
    boosting_members: int | None = None,
    slice_tolerances: Mapping[str, float] | None = None,
) -> TrainResult:
    """Validate ``data``, split by time, fit, evaluate on the test months, report, register.

    With ``promote`` the new version then goes through the safety gate
    (``training.registry.promote``); a refusal leaves it registered but not current, and
    ``TrainResult.refusal`` says why (the CLI exits non-zero). ``corpus`` (``triage.corpus``)
    joins the linear model's fit; the manifest records it. ``slice_tolerance``
    (``triage.policy.SLICE_TOLERANCE``) is how far above the target an incident type's
    validation under-triage may run before it gets a lower threshold of its own.

    Raises:
        triage.history.loader.ExportError: the file cannot be used at all.
        RejectedRowsError: rows were rejected and ``allow_rejects`` is False.
        TrainingError: too little data, or a part of the split lacks a disposition.
    """
    report = progress or _noop
    data, models_dir = Path(data), Path(models_dir)
    config = _train_config(target_under_triage, slice_tolerance, slice_tolerances,
                           tuple(candidates), random_state, boosting_members)

    report("validate data", str(data))
    loaded = _load(data, allow_rejects)
    report("split by time", f"{loaded.kept:,} rows")
    split = split_by_time(loaded.frame, config=config)
    _check_classes(split)

    report("fit model", f"{split.train.height:,} training rows, candidates {', '.join(candidates)}")
    model: TrainedModel = fit_model(split.train, split.valid, config=config, corpus=corpus,
                                    progress=lambda detail: report("fit model", detail))

    report("evaluate on test", f"{split.test.height:,} rows")
    evaluation = evaluate(model, split.test, random_state=random_state)
    metrics, curves = split_curves(evaluation)
    manifest = build_manifest(data, loaded, split, model, config, metrics,
                              allow_rejects=allow_rejects, corpus=corpus)

    def extras(folder: Path, version: str) -> None:
        report("write report", str(folder))
        _write_extras(folder, manifest.model_copy(update={"version": version}), metrics, curves)

    report("save model", f"into a temporary folder in {models_dir}")
    version = reg.register_version(models_dir, model, manifest, write_extras=extras)
    report("publish version", f"{version} registered in {models_dir}")
    promoted, gate, refusal = False, None, None
    if promote:
        report("safety gate", version)
        promoted, gate, refusal = _promote(models_dir, version)
    folder = models_dir / version
    return TrainResult(version=version, report_path=folder / REPORT_DIR / REPORT_INDEX,
                       metrics=manifest.evaluation, promoted=promoted, gate=gate,
                       manifest_path=folder / MANIFEST_FILE, refusal=refusal,
                       kind=model.kind)


def build_manifest(data: Path, loaded: LoadResult, split: TimeSplit, model: TrainedModel,
                   config: TrainConfig, metrics: dict[str, Any], *, allow_rejects: bool,
                   corpus: Corpus | None = None) -> Manifest:
    """The manifest of a model just trained (the registry adds version, artifact, history)."""
    commit, dirty = git_commit()
    rows = {"read": loaded.rows_read, "kept": loaded.kept, "rejected": loaded.rejected,
            "duplicate_ids": loaded.duplicate_ids, "train": split.train.height,
            "valid": split.valid.height, "test": split.test.height}
    raw = {
        "created": reg.iso_utc(reg.utc_now()),
        "code": {"package": "control-room-triage", "package_version": triage.__version__,
                 "git_commit": commit, "git_dirty": dirty},
        "environment": {"python": platform.python_version(), "libraries": library_versions()},
        "data": {
            "path": str(data.resolve()), "fingerprint_sha256": loaded.fingerprint,
            "format": loaded.format, "synthetic": loaded.synthetic, "rows": rows,
            "rejects_allowed": allow_rejects,
            "rejects_path": str(loaded.rejects_path) if loaded.rejects_path else None,
            "splits": split.describe(), "split_method": split.method,
        },
        "corpus": corpus.describe() if corpus is not None else None,
        "schema": schema_summary(),
        "model": {"kind": model.kind, "candidates": list(config.candidates),
                  "comparison": model.comparison, "n_features": len(model.feature_names),
                  "random_state": config.random_state},
        "train_config": config.model_dump(mode="json"),
        "policy": model.policy.describe(),
        "metrics": headline(metrics),
        "evaluation": metrics,
        # What the training rows looked like, field by field: the service's drift metric and
        # ``triage monitor`` compare live requests with it (triage.population).
        "input_profile": profile_frame(split.train),
    }
    return Manifest.read(json_safe(raw), "the new manifest")


def _write_extras(folder: Path, manifest: Manifest, metrics: dict[str, Any],
                  curves: dict[str, Any]) -> None:
    """The held-out report and the model card, into the version's folder before publishing."""
    stored = manifest.to_json()
    context = {"version": manifest.version, "created": manifest.created,
               "kind": manifest.model.kind, "data": stored["data"],
               "comparison": stored["model"]["comparison"], "policy": stored["policy"],
               "held_out_split": True, "code": manifest.short_commit(),
               **_choice_context(manifest)}
    write_report(metrics, curves, folder / REPORT_DIR, context=context)
    (folder / MODEL_CARD_FILE).write_text(model_card(manifest), encoding="utf-8")


def _choice_context(manifest: Manifest) -> dict[str, Any]:
    """What the report says of the comparison rule and of the boosting actually fitted."""
    config = manifest.train_config
    if config is None:
        return {}
    boosted = any(r.get("kind") == "boosted" for r in manifest.model.comparison)
    return {"comparison_z": config.comparison_z,
            "boosting_members": config.boosting_members if boosted else 1,
            "boosting_bootstrap": config.boosting_bootstrap}


def _promote(models_dir: Path, version: str) -> tuple[bool, VignetteScore | None, str | None]:
    """Promote through the safety gate: (promoted, gate score, refusal)."""
    try:
        result = reg.promote(models_dir, version)
    except reg.PromotionRefused as exc:
        return False, exc.score, str(exc)
    return True, result.gate, None
