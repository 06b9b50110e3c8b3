"""``triage validate FILE``: check an export before it is used, and say exactly what is wrong.

Exit codes (scripts rely on them): 0 every row kept; 1 some rows rejected (listed, and written
to the rejects file); 2 the file cannot be used at all (unreadable, not CSV/Parquet, a required
column missing, no rows). Never a traceback for a bad file.
"""

from __future__ import annotations

import json as jsonlib
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from triage.exits import EXIT_BAD_INPUT, EXIT_OK, EXIT_REFUSED, fail
from triage.history.loader import ExportError, LoadResult, load_export
from triage.history.loader_read import SEPARATOR_NAMES

#: ``triage.exits``' codes: 1 (refused) when rows were rejected, 2 when the file is unusable.
EXIT_REJECTED = EXIT_REFUSED
EXIT_UNUSABLE = EXIT_BAD_INPUT
#: Errors shown in the table; the rejects file and --json hold more.
SHOWN_ERRORS = 20
#: Errors included in --json output (the rejects file holds every one).
JSON_ERRORS = 1000


def validate_command(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="The export to check: CSV or Parquet.")
    ],
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            metavar="FILE",
            help="Where to write rejected rows (default: <file stem>.rejects.csv beside FILE).",
        ),
    ] = None,
    json: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON instead of tables.")
    ] = False,
) -> None:
    """Validate a historic export: rows read, kept, rejected, duplicates and the first errors.

    Exit 0 when every row is kept, 1 when some rows were rejected, 2 when the file cannot be
    used at all.
    """
    out = Console(soft_wrap=True, highlight=False)
    try:
        result = load_export(file, rejects_path=rejects)
    except ExportError as exc:
        if json:
            typer.echo(jsonlib.dumps({"file": str(file), "usable": False, "error": str(exc)}))
            raise typer.Exit(code=EXIT_UNUSABLE) from None
        raise fail(str(exc), EXIT_UNUSABLE) from None
    if json:
        typer.echo(jsonlib.dumps(summary_dict(result), ensure_ascii=False))
    else:
        print_summary(out, result)
    raise typer.Exit(code=EXIT_REJECTED if result.rejected else EXIT_OK)


def summary_dict(result: LoadResult) -> dict[str, Any]:
    """The machine-readable summary ``--json`` prints."""
    return {
        "file": str(result.path),
        "usable": True,
        "format": result.format,
        "encoding": result.encoding,
        "separator": result.separator,
        "fingerprint": result.fingerprint,
        "synthetic": result.synthetic,
        "rows_read": result.rows_read,
        "kept": result.kept,
        "rejected": result.rejected,
        "duplicate_ids": result.duplicate_ids,
        "blank_lines": result.blank_lines,
        "unknown_columns": list(result.unknown_columns),
        "rejects_file": str(result.rejects_path) if result.rejects_path else None,
        "errors_total": len(result.rejects),
        "errors": [
            {
                "line": e.line,
                "row": e.row,
                "request_id": e.request_id,
                "column": e.column,
                "value": e.value,
                "reason": e.reason,
            }
            for e in result.rejects[:JSON_ERRORS]
        ],
    }


def print_summary(console: Console, result: LoadResult) -> None:
    """Tables a person reads: the counts, then the first errors."""
    facts = Table(title=f"Export: {result.path}", show_header=False)
    facts.add_column("what")
    facts.add_column("value", justify="right")
    kind = result.format.upper()
    if result.format == "csv":
        sep = SEPARATOR_NAMES.get(result.separator or "", repr(result.separator))
        kind = f"CSV, {result.encoding}, {sep}-separated"
    facts.add_row("format", kind)
    if result.synthetic:
        facts.add_row("data", "SYNTHETIC (has the generator's p_* columns)")
    facts.add_row("rows read", f"{result.rows_read:,}")
    facts.add_row("kept", f"{result.kept:,}")
    facts.add_row("rejected", f"[bold red]{result.rejected:,}[/]" if result.rejected else "0")
    facts.add_row("duplicate request_ids", f"{result.duplicate_ids:,}")
    if result.blank_lines:
        facts.add_row("blank lines skipped", f"{result.blank_lines:,}")
    facts.add_row("sha256", result.fingerprint[:16] + "…")
    console.print(facts)
    if result.unknown_columns:
        console.print(
            "Ignored unknown columns: " + ", ".join(repr(c) for c in result.unknown_columns)
        )
    if not result.rejects:
        console.print("[green]Every row is valid.[/]")
        return
    errors = Table(
        title=f"First {min(SHOWN_ERRORS, len(result.rejects))} of {len(result.rejects)} errors"
    )
    errors.add_column("line" if result.format == "csv" else "row", justify="right")
    errors.add_column("request_id", no_wrap=True)
    errors.add_column("column", no_wrap=True)
    errors.add_column("reason", overflow="fold")
    for e in result.rejects[:SHOWN_ERRORS]:
        errors.add_row(
            str(e.line if e.line is not None else e.row), e.request_id or "", e.column, e.reason
        )
    console.print(errors)
    if result.rejects_path is not None:
        console.print(f"Rejected rows written to {result.rejects_path}")


def register(app: typer.Typer) -> None:
    """Add ``triage validate`` to ``app``."""
    app.command("validate")(validate_command)
