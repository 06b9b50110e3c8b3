"""``triage vignettes FILE``: run clinical vignettes through a model or a service and score them.

Exit 0 when the run completed, whatever the figures (the figures are the verdict; the
promotion gate, not this command, decides what passes). A sealed suite (a file whose name holds
"sealed", as the corpus loader refuses them) is scored as counts only: its misses are withheld
unless ``--show-sealed-misses`` is given, so that reading its score never shows the cases one
would be tempted to tune the rules on (docs/CLINICAL_SAFETY.md, H2: the sealed suites are
measured, never tuned on). Exit 2 on an error a user can fix: a
bad file, an unknown model version, a service that cannot be reached or refuses the key. Never
a traceback for those.
"""

from __future__ import annotations

import json as jsonlib
import math
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from triage.corpus import SEALED_MARKER
from triage.exits import fail
from triage.registry import RegistryError, load_predictor
from triage.schema import Disposition
from triage.settings import get_settings
from triage.vignettes import (
    Vignette,
    VignetteError,
    VignetteScore,
    load_vignettes,
    score_vignettes,
)
from triage_cli.service_client import ServiceError, run_with_service


def _suggest_with_model(
    models_dir: Path, ref: str, vignettes: list[Vignette]
) -> tuple[list[Disposition], str]:
    """Suggestions from a registered model, and the version that answered."""
    try:
        predictor = load_predictor(models_dir, ref)
    except (RegistryError, OSError, LookupError, ValueError) as exc:
        raise fail(f"cannot load model {ref!r} from {models_dir}: {exc}") from None
    suggestions = predictor.suggest_many([v.request for v in vignettes])
    version = suggestions[0].model_version if suggestions else ref
    return [s.suggestion for s in suggestions], version


#: Short labels so that the narrative keeps most of the width (explained in the table caption).
_SHORT: dict[Disposition, str] = {
    Disposition.HEAR_AND_TREAT: "H&T",
    Disposition.CLINICAL_ADVICE: "advice",
    Disposition.DEPLOY: "deploy",
}


def _pct(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{100 * x:.1f}%"


def _print_report(
    console: Console, score: VignetteScore, source: str, file: Path, *, withhold: bool
) -> None:
    figures = Table(title=f"Vignettes: {file} through {source}", show_header=True)
    figures.add_column("figure")
    figures.add_column("value", justify="right")
    figures.add_column("of", justify="right")
    crit_hit = score.n_critical - len(score.critical_misses)
    figures.add_row(
        "critical sensitivity (critical sent to deploy)",
        _pct(score.critical_sensitivity),
        f"{crit_hit}/{score.n_critical}",
    )
    figures.add_row(
        "acceptable rate (suggestion a clinician accepts)",
        _pct(score.acceptable_rate),
        f"{score.n - len(score.misses)}/{score.n}",
    )
    n_over = (
        0
        if math.isnan(score.over_triage_rate)
        else round(score.over_triage_rate * score.n_deploy_unacceptable)
    )
    figures.add_row(
        "over-triage rate (deploy where deploy is not acceptable)",
        _pct(score.over_triage_rate),
        f"{n_over}/{score.n_deploy_unacceptable}",
    )
    console.print(figures)
    if not score.misses:
        console.print("No misses: every suggestion was acceptable.")
        return
    if withhold:
        console.print(
            f"Misses withheld ({len(score.misses)}, {len(score.critical_misses)} critical): "
            f"{file.name} is a sealed suite, measured and never tuned on. "
            "--show-sealed-misses lists them (for a clinical review of the suite, not for tuning)."
        )
        return
    misses = Table(
        title=f"Misses ({len(score.misses)}, {len(score.critical_misses)} critical)",
        caption="H&T = hear_and_treat, advice = clinical_advice; expected listed first",
        expand=True,
    )
    misses.add_column("id", no_wrap=True)
    misses.add_column("suggested", no_wrap=True)
    misses.add_column("acceptable", no_wrap=True)
    misses.add_column("narrative", overflow="fold", ratio=1)
    for v, s in sorted(score.misses, key=lambda m: (not m[0].critical, m[0].id)):
        accepted = [v.expected, *(a for a in v.acceptable if a is not v.expected)]
        misses.add_row(
            f"[bold red]{v.id} CRITICAL[/]" if v.critical else v.id,
            _SHORT[s],
            "/".join(_SHORT[a] for a in accepted),
            v.request.narrative,
        )
    console.print(misses)


def vignettes_command(
    file: Annotated[Path, typer.Argument(help="A JSONL vignette file (shared/vignettes format).")],
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            help="A registered model version, or 'current'. Not with --url.",
        ),
    ] = "current",
    url: Annotated[
        str | None,
        typer.Option(
            "--url", help="Base URL of a running triage service (uses POST /v1/triage/batch)."
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option("--key", envvar="TRIAGE_API_KEY", help="API key for --url."),
    ] = None,
    json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object instead of tables.")
    ] = False,
    models_dir: Annotated[
        Path | None,
        typer.Option(
            "--models-dir",
            help="The model registry (default: TRIAGE_MODELS_DIR, else models/).",
        ),
    ] = None,
    show_sealed_misses: Annotated[
        bool,
        typer.Option(
            "--show-sealed-misses",
            help="List a sealed suite's misses too (withheld by default: sealed suites are "
            "measured, never tuned on).",
        ),
    ] = False,
) -> None:
    """Run clinical vignettes through a model or a running service and print the scores."""
    # "current" is the default, so it cannot tell whether --model was typed; any other
    # version with --url is a contradiction the user must resolve.
    if url is not None and model not in (None, "current"):
        raise fail(f"--model {model} and --url are mutually exclusive: give one of them")
    try:
        vignettes = load_vignettes(file)
    except VignetteError as exc:
        raise fail(f"bad vignette file:\n{exc}") from None

    if url is not None:
        try:
            suggested = run_with_service(url, vignettes, key=key)
        except ServiceError as exc:
            raise fail(str(exc)) from None
        source = url
    else:
        registry_dir = models_dir if models_dir is not None else get_settings().models_dir
        ref = model or "current"
        suggested, version = _suggest_with_model(registry_dir, ref, vignettes)
        source = f"model {version}"

    score = score_vignettes(vignettes, suggested)
    withhold = SEALED_MARKER in file.name.lower() and not show_sealed_misses
    if json:
        out = {"file": str(file), "source": source, **score.to_json()}
        if withhold:
            out["misses"] = out["critical_misses"] = []
            out["misses_withheld"] = True
        typer.echo(jsonlib.dumps(out))
    else:
        _print_report(Console(), score, source, file, withhold=withhold)


def register(app: typer.Typer) -> None:
    """Add ``vignettes`` to ``app``."""
    app.command("vignettes")(vignettes_command)
