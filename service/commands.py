"""``triage serve``, ``triage keys add|list|revoke`` and ``triage audit export|migrate``.

Registered on the ``triage`` app by triage_cli.main. User errors (a bad date, an unknown key
name, an unreachable database) end with a clear message and exit code 2 or 1, never a traceback.
"""

from __future__ import annotations

import gc
import json
import os
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from service.keys import KeysFileError, Role, add_key, read_keys, revoke_key
from service.stack_commands import stack_app
from service.store import AuditStore, StoreError
from service.store_db import current_revision, head_revision, make_engine, migrate
from service.store_export import export_frame, write_export
from triage.exits import EXIT_REFUSED, fail
from triage.manifest import Manifest, ManifestError
from triage.monitoring import summarise
from triage.registry import RegistryError, read_manifest
from triage.settings import Settings, get_settings
from triage.shadow import compare
from triage.shadow import findings as shadow_findings

console = Console()
err_console = Console(stderr=True)

keys_app = typer.Typer(help="API keys: add (printed once), list, revoke.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit store: export labelled requests, migrate.",
                        no_args_is_help=True)


def _settings_with(**overrides: object) -> Settings:
    """The TRIAGE_* settings with the flags given, validated like the variables are."""
    base = get_settings()
    changes = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**{**base.model_dump(), **changes}) if changes else base


KeysFileOpt = Annotated[
    Path | None,
    typer.Option("--keys-file", help="Keys file (default: TRIAGE_KEYS_FILE or var/keys.json)."),
]


@keys_app.command("add")
def keys_add(
    name: Annotated[str, typer.Argument(help="A name for the key (logged and audited).")],
    role: Annotated[Role, typer.Option("--role", help="handler, analyst or admin.")],
    keys_file: KeysFileOpt = None,
) -> None:
    """Make a key, print it ONCE, and store only its sha256 hash."""
    path = keys_file or get_settings().keys_file
    try:
        key = add_key(path, name, role)
    except KeysFileError as exc:
        raise fail(str(exc), EXIT_REFUSED) from None
    err_console.print(
        f"Key {name!r} ({role.value}) added to {path}. It is shown once; store it now.",
        highlight=False,
    )
    # The key alone on stdout, so that scripts can capture it.
    console.print(key, highlight=False, soft_wrap=True)


@keys_app.command("list")
def keys_list(keys_file: KeysFileOpt = None) -> None:
    """Names, roles and creation times (never hashes)."""
    path = keys_file or get_settings().keys_file
    try:
        records = read_keys(path)
    except KeysFileError as exc:
        raise fail(str(exc), EXIT_REFUSED) from None
    table = Table("name", "role", "created", title=f"API keys in {path}")
    for r in records:
        table.add_row(r.name, r.role.value, r.created)
    console.print(table)
    if not records:
        err_console.print("No keys yet: 'triage keys add NAME --role handler'.")


@keys_app.command("revoke")
def keys_revoke(
    name: Annotated[str, typer.Argument(help="The key's name.")],
    keys_file: KeysFileOpt = None,
) -> None:
    """Remove a key; a running service refuses it within a second."""
    path = keys_file or get_settings().keys_file
    try:
        revoke_key(path, name)
    except KeysFileError as exc:
        raise fail(str(exc), EXIT_REFUSED) from None
    console.print(f"Key {name!r} revoked.", highlight=False)


def _parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} must be a date like 2026-11-21; got {value!r}.") from None


DbUrlOpt = Annotated[
    str | None, typer.Option("--db-url", help="Audit store (default: TRIAGE_DB_URL).")
]


@audit_app.command("export")
def audit_export(
    since: Annotated[str, typer.Option("--since", help="First day (YYYY-MM-DD), inclusive.")],
    out: Annotated[Path, typer.Option("--out", help="Output file, .csv or .parquet.")],
    until: Annotated[
        str | None, typer.Option("--until", help="Last day (YYYY-MM-DD), inclusive.")
    ] = None,
    db_url: DbUrlOpt = None,
) -> None:
    """Write stored requests WITH a recorded outcome as a historic export for retraining.

    Only requests whose final disposition was recorded are written (the label is the final
    disposition, never the suggestion); the export loads with ``triage.history.loader.load_export``.
    Days are UTC and select on when the suggestion was made.
    """
    start = _parse_date(since, "--since")
    end = _parse_date(until, "--until") if until is not None else None
    if end is not None and end < start:
        raise fail(f"--until {end} is before --since {start}.")
    if out.suffix.lower() not in (".csv", ".parquet"):
        raise fail(f"--out must end in .csv or .parquet; got {out.name!r}.")
    settings = _settings_with(db_url=db_url)
    store = AuditStore(settings.db_url)
    try:
        migrate(store.engine)
        skipped: list[str] = []
        rows = list(store.iter_labelled(start, end, skipped))
        unlabelled = store.count_unlabelled(start, end)
        frame = export_frame(rows)
        write_export(frame, out)
    except (StoreError, SQLAlchemyError, OSError) as exc:
        raise fail(f"export failed: {type(exc).__name__}: {exc}", EXIT_REFUSED) from None
    finally:
        store.engine.dispose()
    span = f"{start} to {end}" if end else f"{start} onwards"
    console.print(
        f"Wrote {len(rows)} requests with recorded outcomes ({span}) to {out}. "
        f"{unlabelled} suggestions in the period have no recorded outcome and were not exported.",
        highlight=False,
        soft_wrap=True,
    )
    if skipped:
        console.print(
            f"{len(skipped)} stored rows do not fit the export contract and were not exported "
            "(they stay in the audit store):\n  " + "\n  ".join(skipped[:20])
            + (f"\n  ... and {len(skipped) - 20} more" if len(skipped) > 20 else ""),
            highlight=False, soft_wrap=True, markup=False,
        )


@audit_app.command("migrate")
def audit_migrate(db_url: DbUrlOpt = None) -> None:
    """Apply the audit store's migrations (the service also does this when it starts)."""
    settings = _settings_with(db_url=db_url)
    try:
        engine = make_engine(settings.db_url)
        before = current_revision(engine)
        after = migrate(engine)
        engine.dispose()
    except (StoreError, SQLAlchemyError, OSError) as exc:
        raise fail(f"migration failed: {type(exc).__name__}: {exc}", EXIT_REFUSED) from None
    console.print(
        f"Audit store at revision {after} (was {before or 'empty'}; newest {head_revision()}).",
        highlight=False,
    )


shadow_app = typer.Typer(help="Shadow running: compare the shadow model with the serving one.",
                         no_args_is_help=True)

#: Days ``--since`` goes back when not given.
DEFAULT_DAYS = 7

SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help=f"First day (YYYY-MM-DD, UTC), inclusive; default the last "
                 f"{DEFAULT_DAYS} days."),
]


def _since(value: str | None) -> datetime:
    day = (_parse_date(value, "--since") if value is not None
           else datetime.now(UTC).date() - timedelta(days=DEFAULT_DAYS))
    return datetime.combine(day, time.min, tzinfo=UTC)


def _store_name(db_url: str) -> str:
    """The audit store a report read, for its provenance (never with a password)."""
    try:
        return make_url(db_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "unparseable TRIAGE_DB_URL"


def _read_recent(db_url: str | None, since: datetime) -> list[dict[str, Any]]:
    settings = _settings_with(db_url=db_url)
    store = AuditStore(settings.db_url)
    try:
        migrate(store.engine)
        return list(store.iter_recent(since))
    except (StoreError, SQLAlchemyError, OSError) as exc:
        raise fail(f"cannot read the audit store: {type(exc).__name__}: {exc}",
                   EXIT_REFUSED) from None
    finally:
        store.engine.dispose()


def _names(red_flags_json: str | None) -> list[str]:
    """Red-flag names from a stored list (of names, or of {name, reason, evidence})."""
    flags = orjson.loads(red_flags_json) if red_flags_json else []
    return [f["name"] if isinstance(f, dict) else str(f) for f in flags]


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _ci(ci: list[float] | None) -> str:
    return f"{_pct(ci[0])} to {_pct(ci[1])}" if ci else ""


@shadow_app.command("report")
def shadow_report(
    since: SinceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    db_url: DbUrlOpt = None,
) -> None:
    """Serving against shadow: agreement, flips into and out of deploy, red-flag differences
    and, where outcomes were recorded, the under-triage of each. Save it with --json as
    evidence for 'triage models promote VERSION --shadow-report FILE'."""
    start = _since(since)
    records = _read_recent(db_url, start)
    pairs = [
        {"suggestion": r["suggestion"], "shadow_suggestion": r["shadow_suggestion"],
         "red_flags": _names(r["red_flags_json"]),
         "shadow_red_flags": _names(r["shadow_red_flags_json"]),
         "model_version": r["model_version"], "shadow_version": r["shadow_version"],
         "final_disposition": r["final_disposition"]}
        for r in records if r["shadow_suggestion"] is not None
    ]
    report = compare(pairs)
    report["since"] = start.date().isoformat()
    report["requests_in_period"] = len(records)
    report["not_shadowed"] = len(records) - len(pairs)
    report["generated_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    report["audit_store"] = _store_name(_settings_with(db_url=db_url).db_url)
    report["findings"] = shadow_findings(report)
    if as_json:
        typer.echo(json.dumps(report, allow_nan=False))
        return
    table = Table("figure", "value", "95% CI",
                  title=f"Shadow {report['shadow_version'] or '(none)'} against serving "
                  f"{', '.join(report['serving_versions']) or '(none)'} since {report['since']}")
    table.add_row("requests compared", f"{report['n']:,}", "")
    table.add_row("not shadowed", f"{report['not_shadowed']:,}", "")
    table.add_row("agreement", _pct(report["agreement"]), _ci(report["agreement_ci"]))
    table.add_row("into deploy (shadow only)", f"{report['to_deploy']:,}", "")
    table.add_row("out of deploy (serving only)", f"{report['from_deploy']:,}", "")
    for side in ("serving", "shadow"):
        ut = report["under_triage"][side]
        table.add_row(f"under-triage, {side}", _pct(ut["rate"]), _ci(ut["ci"]))
    console.print(table)
    for line in report["findings"]:
        console.print(f"- {line}", highlight=False, soft_wrap=True)


def monitor(
    since: SinceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    model: Annotated[str | None, typer.Option(
        "--model", help="Compare with this version's training data (default: the version that "
        "made most of the period's suggestions).")] = None,
    models_dir: Annotated[Path | None, typer.Option(
        "--models-dir", help="The model registry (default: TRIAGE_MODELS_DIR).")] = None,
    db_url: DbUrlOpt = None,
) -> None:
    """Drift, overrides, unfamiliar wording and red flags from the audit store, with 95%
    intervals, and what changed in plain words."""
    start = _since(since)
    records = _read_recent(db_url, start)
    versions: dict[str, int] = {}
    rows = []
    for r in records:
        versions[r["model_version"]] = versions.get(r["model_version"], 0) + 1
        rows.append({"request": orjson.loads(r["request_json"]), "suggestion": r["suggestion"],
                     "red_flags": _names(r["red_flags_json"]),
                     "unfamiliar_wording": r["unfamiliar_wording"],
                     "final_disposition": r["final_disposition"],
                     "model_version": r["model_version"]})
    version = model or (max(versions, key=lambda v: versions[v]) if versions else None)
    profile = expected = None
    if version is not None:
        root = models_dir if models_dir is not None else get_settings().models_dir
        try:
            manifest = Manifest.read(read_manifest(root, version), version)
        except (RegistryError, ManifestError) as exc:
            raise fail(f"cannot read the training profile of {version}: {exc}") from None
        profile = manifest.input_profile
        evaluation = manifest.evaluation
        expected = {
            "red_flag_rate": (evaluation.get("with_red_flag_rules") or {}).get("red_flag_rate"),
            "suggested_shares": evaluation.get("suggested_shares"),
        }
        if profile is None:
            err_console.print(f"{version} has no input profile (trained before profiles were "
                              "recorded): no drift figures.", highlight=False)
    summary = summarise(rows, profile, expected)
    summary["since"] = start.date().isoformat()
    summary["compared_with"] = version
    summary["generated_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    summary["audit_store"] = _store_name(_settings_with(db_url=db_url).db_url)
    if as_json:
        typer.echo(json.dumps(summary, allow_nan=False))
        return
    table = Table("figure", "value", "95% CI",
                  title=f"{summary['n']:,} suggestions since {summary['since']} "
                  f"(compared with {version or 'no model'})")
    table.add_row("override rate", _pct(summary["override_rate"]), _ci(summary["override_ci"]))
    table.add_row("unfamiliar wording", _pct(summary["unfamiliar_rate"]),
                  _ci(summary["unfamiliar_ci"]))
    table.add_row("red-flag rate", _pct(summary["red_flag_rate"]), _ci(summary["red_flag_ci"]))
    for field, d in summary["drift"].items():
        table.add_row(f"drift: {field} (PSI)", f"{d['psi']:.3f}", d["level"])
    console.print(table)
    for line in summary["findings"]:
        console.print(f"- {line}", highlight=False, soft_wrap=True)


#: How long uvicorn's supervisor waits for a worker to answer its health ping before killing
#: it. A spawned worker answers only once it has imported the app (seconds: scikit-learn, SciPy),
#: so uvicorn's default of 5 s restarted workers for ever on a busy host (measured: a 2-core host
#: at load 6 never got ready in 150 s).
WORKER_HEALTHCHECK_SECONDS = 60


def serve(
    host: Annotated[str | None, typer.Option("--host", help="Default TRIAGE_HOST.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Default TRIAGE_PORT.")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Processes (default TRIAGE_WORKERS).")
    ] = None,
) -> None:
    """Run the service under uvicorn (``service.app:create_app`` as a factory).

    Flags override ``TRIAGE_*`` variables; the workers read their settings from the environment,
    so flags are passed on that way. With more than one worker, Prometheus metrics are kept in
    a fresh multiprocess folder so /metrics sums all workers.
    """
    import uvicorn

    try:
        settings = _settings_with(host=host, port=port, workers=workers)
    except ValidationError as exc:
        problems = "; ".join(
            f"--{'.'.join(str(p) for p in e['loc'])}: {e['msg']} (got {e.get('input')!r})"
            for e in exc.errors()
        )
        raise fail(f"invalid option: {problems}") from None
    if settings.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="triage-metrics-")
    for name, value in (("HOST", settings.host), ("PORT", settings.port),
                        ("WORKERS", settings.workers)):
        os.environ[f"TRIAGE_{name}"] = str(value)
    # Start with the cyclic collector off: importing the service and building the model's and
    # rules' tables then costs about a fifth less; the lifespan freezes what was built and turns
    # the collector on once the model is loaded (triage.collector, measured there).
    gc.disable()
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=None,
        access_log=False,
        log_level=settings.log_level,
        proxy_headers=False,
        server_header=False,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )


def register(app: typer.Typer) -> None:
    """Add this package's commands to ``app``."""
    app.command("serve")(serve)
    app.add_typer(keys_app, name="keys")
    app.add_typer(audit_app, name="audit")
    app.add_typer(shadow_app, name="shadow")
    app.command("monitor")(monitor)
    app.add_typer(stack_app, name="stack")
