"""``triage impact``: replay a period's requests through a model with the rules as served, and
say what following the suggestions would have meant (``triage.impact`` does the arithmetic,
``training.impact_report`` the HTML).

The period is a labelled export (a history, or ``triage audit export``, whose ``suggested``
column adds how handlers followed the suggestions at the time). Requests are scored by the
registered version's ``Predictor`` (the served path: model, policy, red-flag rules), in chunks.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import polars as pl
import typer
from rich.table import Table

from training.cli_support import EXIT_REFUSED, fail, load_labelled, out
from training.impact_report import write_impact_report
from triage.history.loader import LoadResult
from triage.impact import Durations, ImpactError, assess
from triage.predictor import Predictor
from triage.registry import IntegrityError, RegistryError, load_predictor
from triage.schema import TriageRequest, request_fields
from triage.settings import get_settings

#: Requests scored per ``suggest_many`` call.
CHUNK = 2000



def replay(predictor: Predictor, frame: pl.DataFrame) -> tuple[list[str], int]:
    """The final suggestion for every row (rules as served) and how many had unfamiliar
    wording."""
    fields = [c for c in request_fields() if c in frame.columns]
    suggestions: list[str] = []
    unfamiliar = 0
    for start in range(0, frame.height, CHUNK):
        rows = frame[start:start + CHUNK].select(fields).iter_rows(named=True)
        requests = [TriageRequest.model_validate(r) for r in rows]
        for s in predictor.suggest_many(requests):
            suggestions.append(s.suggestion.value)
            unfamiliar += bool(s.unfamiliar_wording)
    return suggestions, unfamiliar


def _with_suggested(loaded: LoadResult, data: Path) -> pl.DataFrame:
    """The kept rows, with the audit export's ``suggested`` column joined back by request_id
    (the loader keeps only the request contract's columns)."""
    if "suggested" not in loaded.unknown_columns:
        return loaded.frame
    raw = (pl.read_parquet(data, columns=["request_id", "suggested"])
           if data.suffix.lower() == ".parquet"
           else pl.read_csv(data, columns=["request_id", "suggested"],
                            schema_overrides={"request_id": pl.String, "suggested": pl.String}))
    raw = raw.unique(subset="request_id", keep="first")
    return loaded.frame.join(raw, on="request_id", how="left", maintain_order="left")


def _ci(ci: Any) -> str:
    return f"{100 * ci[0]:.2f}% to {100 * ci[1]:.2f}%" if ci else ""


def _pct(x: Any) -> str:
    return "n/a" if x is None else f"{100 * x:.2f}%"


def _table(result: dict[str, Any], version: str, data_name: str, synthetic: bool) -> Table:
    """The figures ``triage impact`` prints (the report has them all)."""
    mark = ", SYNTHETIC" if synthetic else ""
    table = Table(title=f"Impact of {version} on {data_name} "
                        f"({result['requests']:,} requests{mark})")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("95% CI", justify="right")
    for d, c in result["suggested"].items():
        table.add_row(f"suggested {d}", f"{c:,}", "")
    table.add_row("deployments avoided", f"{result['deployments_avoided']:,.0f}", "")
    table.add_row("ambulance hours saved", f"{result['ambulance_hours_saved']:,.0f}", "")
    table.add_row("officer hours saved", f"{result['officer_hours_saved']:,.0f}", "")
    table.add_row("under-triage", _pct(result["under_triage_rate"]),
                  _ci(result["under_triage_ci"]))
    table.add_row("over-triage", _pct(result["over_triage_rate"]), _ci(result["over_triage_ci"]))
    handlers = result.get("handlers")
    if handlers:
        table.add_row("handlers followed the suggestion", _pct(handlers["followed_rate"]),
                      _ci(handlers["followed_ci"]))
    return table


def impact_command(
    data: Annotated[Path, typer.Option("--data", help="Labelled export: a history or an "
                                       "audit export (CSV or Parquet).")],
    model: Annotated[str, typer.Option(
        "--model", help="A version id, 'current' or 'latest'.")] = "current",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    report_dir: Annotated[Path | None, typer.Option(
        "--out", help="Write the HTML report (with plots) into this folder.")] = None,
    baseline_deploy_rate: Annotated[float, typer.Option(
        "--baseline-deploy-rate", min=0.0, max=1.0,
        help="Share of police requests today's practice sends an ambulance (default 1: all).")
    ] = 1.0,
    allow_rejects: Annotated[bool, typer.Option(
        "--allow-rejects", help="Assess the valid rows even if some were rejected.")] = False,
    models_dir: Annotated[Path | None, typer.Option(
        "--models-dir", help="The model registry (default: TRIAGE_MODELS_DIR or models/).")
    ] = None,
) -> None:
    """What following the suggestions would have meant for a period: deployments avoided,
    ambulance and officer hours saved, under- and over-triage with 95% intervals, by force, by
    week and by hour of the week."""
    settings = get_settings()
    root = models_dir if models_dir is not None else settings.models_dir
    try:
        predictor = load_predictor(root, model)
    except IntegrityError as exc:
        raise fail(str(exc), EXIT_REFUSED) from None
    except RegistryError as exc:
        raise fail(str(exc)) from None
    loaded = load_labelled(data, allow_rejects=allow_rejects)
    if loaded.kept == 0:
        raise fail(f"{data}: no rows to assess")
    frame = _with_suggested(loaded, Path(data))
    suggestions, unfamiliar = replay(predictor, frame)
    try:
        result = assess(frame, suggestions, durations=Durations.from_settings(settings),
                        baseline_deploy_rate=baseline_deploy_rate)
    except ImpactError as exc:
        raise fail(f"{data}: {exc}") from None
    received = frame["received_at"]
    first, last = received.min(), received.max()
    period = (f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
              if isinstance(first, datetime) and isinstance(last, datetime) else None)
    result["unfamiliar_wording"] = unfamiliar
    result["provenance"] = {
        "model_version": predictor.version,
        "data": Path(data).name,
        "data_fingerprint_sha256": loaded.fingerprint,
        "synthetic": loaded.synthetic,
        "rows_read": loaded.rows_read,
        "rows_rejected": loaded.rejected,
        "period": period,
        "generated_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rules": "as served (triage.predictor.Predictor.suggest_many)",
    }
    if report_dir is not None:
        result["report_path"] = str(write_impact_report(result, report_dir))
    if as_json:
        typer.echo(json.dumps(result, allow_nan=False))
        return
    out.print(_table(result, predictor.version, Path(data).name, loaded.synthetic))
    out.print("Durations are assumptions unless a source is named: see the report or "
              "TRIAGE_IMPACT_* settings.")
    if report_dir is not None:
        out.print(f"report: {result['report_path']}")
