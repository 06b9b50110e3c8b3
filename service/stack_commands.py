"""``triage stack up|down|status``: nginx, N replicas, one PostgreSQL, on this machine
(``service.stack``). For ops to try the production set-up, and for the tests that drive it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from service.stack import StackConfig, StackError, down, status, up
from triage.settings import get_settings

console = Console()
err_console = Console(stderr=True)

stack_app = typer.Typer(
    help="nginx in front of N replicas sharing one PostgreSQL audit store and one registry, "
    "on this machine.", no_args_is_help=True,
)

DirOpt = Annotated[Path, typer.Option("--dir", help="The stack's state folder (logs, pids, "
                                      "nginx.conf, its PostgreSQL's data pointer).")]
DEFAULT_DIR = Path("var/stack")


@stack_app.command("up")
def stack_up(
    replicas: Annotated[int, typer.Option("--replicas", min=1, max=16)] = 2,
    port: Annotated[int, typer.Option("--port", min=1, max=65535,
                                      help="nginx listens here.")] = 8080,
    host: Annotated[str, typer.Option("--host", help="nginx's address.")] = "127.0.0.1",
    db_url: Annotated[str | None, typer.Option(
        "--db-url", help="A PostgreSQL server for the audit (default: the stack runs its own)."
    )] = None,
    state_dir: DirOpt = DEFAULT_DIR,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds for every replica to be "
                                           "ready.")] = 120.0,
) -> None:
    """Start PostgreSQL (unless --db-url), the replicas (``triage serve``, one process each,
    on TRIAGE_MODELS_DIR and TRIAGE_KEYS_FILE) and nginx; return once nginx answers ready."""
    settings = get_settings()
    if db_url is not None and not db_url.startswith(("postgresql://", "postgres://",
                                                     "postgresql+psycopg://")):
        err_console.print("[red]error:[/red] --db-url must be postgresql://...: replicas share "
                          "one store, and a SQLite file cannot be shared", highlight=False)
        raise typer.Exit(2)
    config = StackConfig(state_dir=state_dir, models_dir=settings.models_dir,
                         keys_file=settings.keys_file, replicas=replicas, host=host, port=port,
                         db_url=db_url, startup_seconds=timeout)
    try:
        state = up(config)
    except StackError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    console.print(f"Stack up at {state.url}: nginx -> "
                  + ", ".join(f"{r.name} (127.0.0.1:{r.port})" for r in state.replicas)
                  + f"; audit store {'own PostgreSQL' if state.pg_data else 'given by --db-url'}"
                  f"; logs in {state.state_dir}.", highlight=False, soft_wrap=True)


@stack_app.command("down")
def stack_down(
    state_dir: DirOpt = DEFAULT_DIR,
    purge: Annotated[bool, typer.Option("--purge", help="Delete the stack's own PostgreSQL "
                                        "data too.")] = False,
) -> None:
    """Stop nginx (finishing its requests), the replicas, and the stack's own PostgreSQL."""
    try:
        stopped = down(state_dir, purge=purge)
    except StackError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    console.print("Stack stopped." if stopped else f"No stack is up in {state_dir}.",
                  highlight=False)


@stack_app.command("status")
def stack_status(
    state_dir: DirOpt = DEFAULT_DIR,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Each part's state; exit 1 when a part is down or a replica is not ready."""
    try:
        report = status(state_dir)
    except StackError as exc:
        err_console.print(f"[red]error:[/red] {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    if report is None:
        err_console.print(f"No stack is up in {state_dir}.", highlight=False)
        raise typer.Exit(1)
    if as_json:
        typer.echo(json.dumps(report))
    else:
        table = Table("part", "process", "state", "serves", title=f"Stack at {report['url']}")
        table.add_row("nginx", str(report["nginx"]["pid"]),
                      "up" if report["nginx"]["alive"] else "DOWN", "")
        for r in report["replicas"]:
            ready = r["readyz"]
            table.add_row(r["name"], str(r["pid"]),
                          ready.get("status", "?") if r["alive"] else "DOWN",
                          str(ready.get("model_version") or ""))
        console.print(table)
    if not report["healthy"]:
        raise typer.Exit(1)
