"""``triage train``, ``triage evaluate`` and ``triage models list|promote|rollback``.

Results go to stdout (the version and report path; one JSON object with ``--json``); progress,
warnings and errors go to stderr. User errors (bad data, unknown version, gate refusal) print a
clear message and exit non-zero, never a traceback: 2 for bad input or an unknown version,
1 when the safety gate refuses or the registry refuses an artifact (hash or library versions).
"""

from __future__ import annotations

import json
import math
import time
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from training import registry as reg
from training.cli_support import EXIT_REFUSED, err, fail, load_labelled, out
from training.evaluate import EvaluationError, evaluate, headline, split_curves
from training.impact_command import impact_command
from training.model_card import margin_met
from training.report import write_report
from training.train import STAGES, TrainingError, train_and_register
from triage.corpus import Corpus, CorpusError, default_listing, load_corpus, project_corpus
from triage.history.loader import ExportError
from triage.jsonsafe import json_safe
from triage.manifest import Manifest, ManifestError
from triage.policy import MAX_SLICE_TOLERANCE, SLICE_TOLERANCE
from triage.registry import (
    IntegrityError,
    RegistryError,
    VersionEntry,
    list_versions,
    load_model,
    resolve_version,
)
from triage.settings import get_settings
from triage.shadow import ShadowReportError, check_report
from triage.vignettes import Vignette, VignetteError, VignetteScore, load_vignettes

ModelsDirOpt = Annotated[
    Path | None,
    typer.Option("--models-dir",
                 help="The model registry (default: TRIAGE_MODELS_DIR or models/)."),
]


def _models_dir(value: Path | None) -> Path:
    return value if value is not None else get_settings().models_dir


def _pct(x: Any, digits: int = 2) -> str:
    if not isinstance(x, int | float) or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{100 * x:.{digits}f}%"


def _threshold(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, int | float) else "n/a"


def _ci(ci: Any) -> str:
    return f"{_pct(ci[0])} to {_pct(ci[1])}" if isinstance(ci, list | tuple) and ci else ""


class StageDisplay:
    """Training progress on stderr: a live rich display on a terminal, plain lines otherwise.

    Plain lines (one per stage and per fitting detail) keep CI logs and ``nohup`` output
    readable, where a live display would show only its last frame.
    """

    def __init__(self, enabled: bool = True) -> None:
        self._live = enabled and err.is_terminal
        self._plain = enabled and not self._live
        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                  TimeElapsedColumn(), console=err, disable=not self._live,
                                  transient=False)
        self._tasks: dict[str, TaskID] = {}
        self._current: str | None = None
        self._started = time.perf_counter()

    def __enter__(self) -> StageDisplay:
        self._progress.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._current is not None and exc is None:
            self._progress.update(self._tasks[self._current], completed=1)
        self._progress.__exit__(exc_type, exc, tb)

    @staticmethod
    def _label(stage: str) -> str:
        number = STAGES.index(stage) + 1 if stage in STAGES else 0
        return f"[{number}/{len(STAGES)}] {stage}" if number else stage

    def __call__(self, stage: str, detail: str) -> None:
        if self._plain:
            err.print(f"{time.perf_counter() - self._started:7.1f}s {self._label(stage)}: "
                      f"{detail}", markup=False)
            return
        if stage != self._current:
            if self._current is not None:
                self._progress.update(self._tasks[self._current], completed=1)
            self._current = stage
            self._tasks[stage] = self._progress.add_task(escape(self._label(stage)), total=1)
        task = self._tasks[stage]
        self._progress.update(task, description=f"{escape(self._label(stage))}: {escape(detail)}")


def print_gate(score: VignetteScore) -> None:
    data = score.to_json()
    err.print(
        f"safety gate: {data['n']} vignettes, critical sensitivity "
        f"{_pct(data['critical_sensitivity'], 1)} ({data['n_critical']} critical), acceptable "
        f"{_pct(data['acceptable_rate'], 1)}, over-triage {_pct(data['over_triage_rate'], 1)}"
    )
    for miss in data["critical_misses"]:
        err.print(f"  [red]CRITICAL MISS[/] {escape(miss['id'])}: suggested "
                  f"{escape(miss['suggested'])} for {escape(miss['narrative'][:160])!r}")


def _extra_vignettes(path: Path | None) -> list[Vignette]:
    if path is None:
        return []
    try:
        return load_vignettes(path)
    except VignetteError as exc:
        raise fail(str(exc)) from None


SliceToleranceForOpt = Annotated[list[str] | None, typer.Option(
    "--slice-tolerance-for",
    help="One incident type's own tolerance, as TYPE=FRACTION (repeatable; e.g. "
    "mental_health=0.06): an explicit trade of that slice's under-triage for diversion, "
    "recorded in the manifest and named in the model card (docs/CLINICAL_SAFETY.md, H1).")]
BoostingMembersOpt = Annotated[int | None, typer.Option(
    "--boosting-members", min=1, max=50,
    help="Boosting fits the boosted stack averages (default: the training configuration's; "
    "more fits steady the thresholds and cost training time).")]


def _per_slice(values: list[str]) -> dict[str, float]:
    """``TYPE=FRACTION`` options as a mapping (the training checks the names and values)."""
    out: dict[str, float] = {}
    for item in values:
        name, sep, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = None
        if not sep or not name.strip() or number is None:
            raise fail(f"--slice-tolerance-for must be TYPE=FRACTION (e.g. mental_health=0.06); "
                       f"got {item!r}")
        if name.strip() in out:
            raise fail(f"--slice-tolerance-for names {name.strip()!r} twice")
        out[name.strip()] = number
    return out


def train_command(
    data: Annotated[Path, typer.Option("--data", help="The export to train on (CSV or Parquet).")],
    promote: Annotated[bool, typer.Option(
        "--promote", help="Promote the new version if it passes the safety gate.")] = False,
    target_under_triage: Annotated[float, typer.Option(
        "--target-under-triage", min=0.0001, max=0.5,
        help="Under-triage the deploy threshold must stay within on validation.")] = 0.02,
    slice_tolerance: Annotated[float, typer.Option(
        "--slice-tolerance", min=0.0, max=MAX_SLICE_TOLERANCE,
        help="How far above the target an incident type's validation under-triage may run "
        "before it gets a lower deploy threshold of its own, as a fraction (0.02 is 2 points; "
        "docs/CLINICAL_SAFETY.md, H1).")
    ] = SLICE_TOLERANCE,
    allow_rejects: Annotated[bool, typer.Option(
        "--allow-rejects", help="Train on the valid rows even if some rows were rejected.")
    ] = False,
    candidates: Annotated[str, typer.Option(
        "--candidates", help="Comma-separated candidate models: linear, boosted.")
    ] = "linear,boosted",
    models_dir: ModelsDirOpt = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress display.")] = False,
    corpus: Annotated[Path | None, typer.Option(
        "--corpus", help="The hand-written corpus listing the linear fit also reads (default: "
        "the project's vignettes/corpus.toml, when it is there).")] = None,
    no_corpus: Annotated[bool, typer.Option(
        "--no-corpus", help="Train on the export alone.")] = False,
    slice_tolerance_for: SliceToleranceForOpt = None,
    boosting_members: BoostingMembersOpt = None,
) -> None:
    """Validate, split by time, fit, evaluate, report and register a new model version."""
    chosen = tuple(c.strip() for c in candidates.split(",") if c.strip())
    unknown = [c for c in chosen if c not in ("linear", "boosted")]
    if unknown or not chosen:
        raise fail(f"--candidates must list linear and/or boosted; got {candidates!r}")
    hand_written = _corpus(corpus, no_corpus)
    per_slice = _per_slice(slice_tolerance_for or [])
    started = time.perf_counter()
    try:
        with StageDisplay(enabled=not quiet) as display:
            result = train_and_register(
                data, _models_dir(models_dir), promote=promote,
                target_under_triage=target_under_triage, slice_tolerance=slice_tolerance,
                allow_rejects=allow_rejects, candidates=chosen, progress=display,
                corpus=hand_written, boosting_members=boosting_members,
                slice_tolerances=per_slice,
            )
    except (ExportError, TrainingError, EvaluationError) as exc:
        raise fail(str(exc)) from None
    except VignetteError as exc:
        raise fail(f"the safety suite cannot be loaded: {exc}") from None
    m = result.metrics
    err.print(
        f"trained in {time.perf_counter() - started:.0f}s; test under-triage "
        f"{_pct(m['under_triage_rate'])} ({_ci(m['under_triage_ci'])}), diversion "
        f"{_pct(m['diversion_rate'])}, oracle diversion {_pct(m['oracle_diversion_rate'])}"
    )
    policy = Manifest.read(json.loads(result.manifest_path.read_text(encoding="utf-8")),
                           result.manifest_path).policy
    if not margin_met(policy):
        err.print(
            "[bold red]warning:[/] the under-triage safety margin is NOT met: the upper bound "
            f"{_pct(policy.valid_under_triage_upper)} exceeds the target "
            f"{_pct(policy.target_under_triage)} ({policy.n_valid_deploy} "
            "validation deploys are too few to show it); train on more data."
        )
    if result.gate is not None:
        print_gate(result.gate)
    out.print(f"version: {result.version}")
    out.print(f"report: {result.report_path}")
    if promote:
        if result.promoted:
            out.print(f"promoted: {result.version} is now current")
        else:
            err.print(escape(result.refusal or "not promoted"))
            raise fail(f"{result.version} was registered but NOT promoted (safety gate)",
                        EXIT_REFUSED)


def _corpus(listing: Path | None, skip: bool) -> Corpus | None:
    """The corpus ``triage train`` joins to the linear fit, said on stderr either way."""
    if skip:
        if listing is not None:
            raise fail("--corpus and --no-corpus contradict each other; give one")
        err.print("corpus: none (--no-corpus): the model learns wording from the export alone")
        return None
    try:
        found = project_corpus() if listing is None else load_corpus(listing)
    except CorpusError as exc:
        raise fail(str(exc)) from None
    if found is None:
        err.print(f"corpus: none ({default_listing()} is not here): the model learns wording "
                  "from the export alone")
        return None
    err.print(f"corpus: {found.rows:,} hand-written vignettes from {len(found.sources)} files "
              f"at weight {found.weight:g} ({found.listing})")
    return found


def evaluate_command(
    data: Annotated[Path, typer.Option("--data", help="Labelled export to evaluate on.")],
    model: Annotated[str, typer.Option(
        "--model", help="A version id, 'current' or 'latest'.")] = "current",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    allow_rejects: Annotated[bool, typer.Option(
        "--allow-rejects", help="Evaluate on the valid rows even if some were rejected.")
    ] = False,
    report_dir: Annotated[Path | None, typer.Option(
        "--report-dir", help="Where to write the report (default var/reports/<version>-<time>).")
    ] = None,
    models_dir: ModelsDirOpt = None,
) -> None:
    """Metrics and a report for a registered model on other labelled data."""
    root = _models_dir(models_dir)
    try:
        trained, raw = load_model(root, model)
    except IntegrityError as exc:
        raise fail(str(exc), EXIT_REFUSED) from None
    except RegistryError as exc:
        raise fail(str(exc)) from None
    manifest = Manifest.read(raw, model)
    version = manifest.version
    loaded = load_labelled(data, allow_rejects=allow_rejects)
    if loaded.fingerprint == manifest.data.fingerprint_sha256:
        err.print(f"[yellow]warning:[/] {escape(str(data))} is the file {version} was trained "
                  "on; these figures include rows it learnt from and overstate it (its "
                  "held-out figures are in its own report)")
    try:
        evaluation = evaluate(trained, loaded.frame)
    except EvaluationError as exc:
        raise fail(f"{data}: {exc}") from None
    metrics, curves = split_curves(evaluation)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = report_dir or Path("var") / "reports" / f"{version}-{stamp}"
    stored = manifest.to_json()
    context = {"version": version, "kind": manifest.model.kind,
               "created": stamp, "comparison": stored["model"]["comparison"],
               "policy": stored["policy"],
               "data": {"path": str(Path(data).resolve()), "fingerprint_sha256":
                        loaded.fingerprint, "synthetic": loaded.synthetic,
                        "rows": {"read": loaded.rows_read, "kept": loaded.kept,
                                 "rejected": loaded.rejected}}}
    index = write_report(metrics, curves, target, context=context,
                         title=f"Evaluation of {version} on {Path(data).name}")
    if as_json:
        payload = {**json_safe(metrics), "model_version": version, "data": str(data),
                   "data_fingerprint": loaded.fingerprint, "rows_rejected": loaded.rejected,
                   "report_path": str(index)}
        typer.echo(json.dumps(payload, allow_nan=False))
        return
    table = Table(title=f"{version} on {Path(data).name} ({metrics['n']:,} requests)")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("95% CI", justify="right")
    h = headline(metrics)
    table.add_row("under-triage", _pct(h["under_triage_rate"]), _ci(h["under_triage_ci"]))
    table.add_row("diversion", _pct(h["diversion_rate"]), _ci(h["diversion_ci"]))
    table.add_row("oracle diversion (same under-triage)", _pct(h["oracle_diversion_rate"]), "")
    table.add_row("accuracy", _pct(h["accuracy"]), "")
    table.add_row("macro F1", f"{h['macro_f1']:.3f}", "")
    table.add_row("ECE (top-label, 15 bins)", f"{h['ece']:.4f}", "")
    table.add_row("ECE of P(deploy)", f"{h['ece_deploy']:.4f}", "")
    table.add_row("requests / needed deploy", f"{h['n']:,} / {h['n_deploy']:,}", "")
    out.print(table)
    out.print(f"report: {index}")


models_app = typer.Typer(name="models", help="The model registry: list, promote, roll back.",
                         no_args_is_help=True)


@models_app.command("list")
def list_command(
    models_dir: ModelsDirOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON array.")] = False,
) -> None:
    """Registered versions, oldest first; the current one is marked."""
    root = _models_dir(models_dir)
    entries = [(e, _typed(e)) for e in list_versions(root)]
    if as_json:
        typer.echo(json.dumps([
            {"version": e.version, "current": e.is_current,
             "error": m if isinstance(m, str) else None,
             "created": None if isinstance(m, str) else m.created,
             "kind": None if isinstance(m, str) else m.model.kind,
             "metrics": None if isinstance(m, str) else m.to_json()["metrics"]}
            for e, m in entries
        ]))
        return
    if not entries:
        err.print(f"no registered versions in {root}")
        return
    table = Table(title=f"models in {root}")
    table.add_column("")
    table.add_column("version", no_wrap=True)
    for col in ("created", "kind", "under-triage", "diversion", "oracle div.", "threshold",
                "promotions"):
        table.add_column(col)
    for e, m in entries:
        mark = "*" if e.is_current else ""
        if isinstance(m, str):
            table.add_row(mark, e.version, "", "", f"[red]{escape(m)}[/]", "", "", "", "")
            continue
        forced = any(h.get("forced") for h in m.promotion_history)
        table.add_row(
            mark, e.version, m.created, m.model.kind,
            _pct(m.metrics.under_triage_rate), _pct(m.metrics.diversion_rate),
            _pct(m.metrics.oracle_diversion_rate), _threshold(m.policy.deploy_threshold),
            f"{len(m.promotion_history)}{' (forced)' if forced else ''}",
        )
    out.print(table)
    out.print("* = current")


def _typed(entry: VersionEntry) -> Manifest | str:
    """The entry's manifest, typed, or why it cannot be read."""
    if entry.manifest is None:
        return entry.error or "no manifest"
    try:
        return Manifest.read(entry.manifest, f"{entry.version}'s manifest")
    except ManifestError as exc:
        return str(exc)


def _shadow_evidence(root: Path, ref: str, path: Path | None) -> dict[str, Any] | None:
    """The shadow report at ``path``, checked to be about the version ``ref`` names."""
    if path is None:
        return None
    try:
        version = resolve_version(root, ref)
        data = json.loads(path.read_text(encoding="utf-8"))
        return check_report(data, version, str(path))
    except RegistryError as exc:
        raise fail(str(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"--shadow-report {path}: cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise fail(f"--shadow-report {path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    except ShadowReportError as exc:
        raise fail(f"--shadow-report {exc}") from None


@models_app.command("promote")
def promote_command(
    version: Annotated[str, typer.Argument(help="The version id to make current.")],
    force: Annotated[bool, typer.Option(
        "--force", help="Promote even if the safety gate refuses (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why (recorded); required with --force.")] = None,
    extra_vignettes: Annotated[Path | None, typer.Option(
        "--extra-vignettes", help="More vignettes (JSONL) for the gate, added to the suite.")
    ] = None,
    shadow_report: Annotated[Path | None, typer.Option(
        "--shadow-report", help="'triage shadow report --json' on VERSION, recorded as evidence "
        "in the manifest and the promotions log.")] = None,
    models_dir: ModelsDirOpt = None,
) -> None:
    """Run the safety gate on VERSION and make it the current model if it passes."""
    extra = _extra_vignettes(extra_vignettes)
    evidence = _shadow_evidence(_models_dir(models_dir), version, shadow_report)
    try:
        result = reg.promote(_models_dir(models_dir), version, force=force, reason=reason,
                             extra_vignettes=extra, shadow_report=evidence)
    except reg.PromotionRefused as exc:
        print_gate(exc.score)
        raise fail(str(exc), EXIT_REFUSED) from None
    except IntegrityError as exc:
        raise fail(str(exc), EXIT_REFUSED) from None
    except (RegistryError, VignetteError) as exc:
        raise fail(str(exc)) from None
    print_gate(result.gate)
    if result.forced:
        err.print(f"[yellow]FORCED past the safety gate[/]; reason recorded: "
                  f"{escape(result.reason or '')}")
    if evidence is not None:
        err.print(f"shadow report recorded as evidence: {evidence['n']:,} requests, agreement "
                  f"{_pct(evidence['agreement'], 1)}, {evidence['from_deploy']} out of deploy")
    out.print(f"promoted: {result.version} is now current (previous: {result.previous or 'none'})")


@models_app.command("rollback")
def rollback_command(
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why (recorded); required with --force.")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Restore even if the safety gate refuses it (needs --reason).")
    ] = False,
    extra_vignettes: Annotated[Path | None, typer.Option(
        "--extra-vignettes", help="More vignettes (JSONL) for the gate, added to the suite.")
    ] = None,
    models_dir: ModelsDirOpt = None,
) -> None:
    """Return to the version that was current before the last promotion, through the gate."""
    extra = _extra_vignettes(extra_vignettes)
    try:
        result = reg.rollback(_models_dir(models_dir), reason=reason, force=force,
                              extra_vignettes=extra)
    except reg.PromotionRefused as exc:
        print_gate(exc.score)
        raise fail(str(exc), EXIT_REFUSED) from None
    except IntegrityError as exc:
        raise fail(str(exc), EXIT_REFUSED) from None
    except (RegistryError, VignetteError) as exc:
        raise fail(str(exc)) from None
    if result.gate is not None:
        print_gate(result.gate)
    if result.forced:
        err.print(f"[yellow]FORCED past the safety gate[/]; reason recorded: "
                  f"{escape(result.reason or '')}")
    out.print(f"rolled back: {result.restored} is now current (was {result.rolled_back})")


def register(app: typer.Typer) -> None:
    """Add ``train``, ``evaluate`` and ``models`` to ``app``."""
    app.command("train")(train_command)
    app.command("evaluate")(evaluate_command)
    app.command("impact")(impact_command)
    app.add_typer(models_app, name="models")
