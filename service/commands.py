"""``triage serve``, ``triage keys add|list|revoke`` and ``triage audit export|migrate``.

Registered on the ``triage`` app by triage_cli.main. User errors (a bad date, an unknown key
name, an unreachable database) end with a clear message and exit code 2 or 1, never a traceback.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from service.keys import KeyError_, Role, add_key, read_keys, revoke_key
from service.store import (
    AuditStore,
    StoreError,
    current_revision,
    export_frame,
    head_revision,
    make_engine,
    migrate,
    write_export,
)
from triage.settings import Settings, get_settings

console = Console()
err_console = Console(stderr=True)

keys_app = typer.Typer(help="API keys: add (printed once), list, revoke.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit store: export labelled requests, migrate.",
                        no_args_is_help=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


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
    except KeyError_ as exc:
        raise _fail(str(exc)) from None
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
    except KeyError_ as exc:
        raise _fail(str(exc)) from None
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
    except KeyError_ as exc:
        raise _fail(str(exc)) from None
    console.print(f"Key {name!r} revoked.", highlight=False)


def _parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(f"{option} must be a date like 2026-11-21; got {value!r}.", 2) from None


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
    disposition, never the suggestion); the export loads with ``triage.loader.load_export``.
    Days are UTC and select on when the suggestion was made.
    """
    start = _parse_date(since, "--since")
    end = _parse_date(until, "--until") if until is not None else None
    if end is not None and end < start:
        raise _fail(f"--until {end} is before --since {start}.", 2)
    if out.suffix.lower() not in (".csv", ".parquet"):
        raise _fail(f"--out must end in .csv or .parquet; got {out.name!r}.", 2)
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
        raise _fail(f"export failed: {type(exc).__name__}: {exc}") from None
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
        raise _fail(f"migration failed: {type(exc).__name__}: {exc}") from None
    console.print(
        f"Audit store at revision {after} (was {before or 'empty'}; newest {head_revision()}).",
        highlight=False,
    )


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
        raise _fail(f"invalid option: {problems}", 2) from None
    if settings.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="triage-metrics-")
    for name, value in (("HOST", settings.host), ("PORT", settings.port),
                        ("WORKERS", settings.workers)):
        os.environ[f"TRIAGE_{name}"] = str(value)
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
