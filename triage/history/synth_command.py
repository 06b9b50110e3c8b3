"""``triage synth``: write a synthetic history to CSV or Parquet, and show its class mix."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from triage.history.synth import WRITE_FORMATS, class_mix, generate, write_frame
from triage.schema import DISPOSITIONS

__all__ = ["register", "synth_command"]


def synth_command(
    rows: Annotated[int, typer.Option("--rows", help="Number of rows to generate (>= 1).")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same file.")],
    out: Annotated[Path, typer.Option("--out", help="Output file: .csv or .parquet.")],
    start: Annotated[
        str, typer.Option("--start", help="First day of the period, YYYY-MM-DD.")
    ] = "2025-01-01",
    days: Annotated[int, typer.Option("--days", help="Length of the period in days.")] = 365,
) -> None:
    """Generate SYNTHETIC historic police-to-ambulance requests (CSV or Parquet by ending)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    err = Console(stderr=True)
    if rows < 1:
        err.print(f"[red]--rows must be at least 1. Got {rows}.[/red]")
        raise typer.Exit(2)
    if days < 1:
        err.print(f"[red]--days must be at least 1. Got {days}.[/red]")
        raise typer.Exit(2)
    try:
        start_date = date.fromisoformat(start)
    except ValueError:
        err.print(f"[red]--start must be a date YYYY-MM-DD. Got {start!r}.[/red]")
        raise typer.Exit(2) from None
    if out.suffix.lower() not in WRITE_FORMATS:
        err.print(
            f"[red]--out must end in {' or '.join(WRITE_FORMATS)}. Got {str(out)!r}.[/red]"
        )
        raise typer.Exit(2)
    t0 = time.perf_counter()
    df = generate(rows, seed, start=start_date, days=days)
    try:
        write_frame(df, out)
    except OSError as exc:
        err.print(f"[red]Cannot write {str(out)!r}: {exc.strerror or exc}.[/red]")
        raise typer.Exit(1) from None
    seconds = time.perf_counter() - t0
    mix = class_mix(df)
    table = Table(title="Class mix (SYNTHETIC data)")
    table.add_column("disposition")
    table.add_column("rows", justify="right")
    table.add_column("share", justify="right")
    for d in DISPOSITIONS:
        table.add_row(d.value, f"{round(mix[d.value] * df.height):,}", f"{mix[d.value]:.1%}")
    console.print(table)
    console.print(f"wrote {df.height:,} synthetic rows to {out} (seed {seed}, "
                  f"{start_date} + {days} days, {df['force'].n_unique()} forces) "
                  f"in {seconds:.1f} s")


def register(app: typer.Typer) -> None:
    """Add ``synth`` to ``app`` (called from triage.commands.register)."""
    app.command("synth")(synth_command)
