"""What every analyst command shares: its consoles, exit codes and failure message (from
``triage.exits``, the whole command line's), and the one
way a labelled export is loaded for a command (the validated loader; rejects refused unless
allowed), so `triage evaluate` and `triage impact` answer a bad file the same way."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from triage.exits import EXIT_BAD_INPUT, EXIT_REFUSED, fail
from triage.history.loader import ExportError, LoadResult, load_export

__all__ = ["EXIT_BAD_INPUT", "EXIT_REFUSED", "err", "fail", "load_labelled", "out"]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def load_labelled(data: Path, *, allow_rejects: bool) -> LoadResult:
    """``data`` through the validated loader; any rejected row fails the command (naming how
    many and where they are listed) unless ``allow_rejects``."""
    try:
        loaded = load_export(data)
    except ExportError as exc:
        raise fail(str(exc)) from None
    if loaded.rejected and not allow_rejects:
        raise fail(
            f"{data}: {loaded.rejected:,} of {loaded.rows_read:,} rows were rejected"
            f"{f' (listed in {loaded.rejects_path})' if loaded.rejects_path else ''}; fix the "
            "export or pass --allow-rejects"
        )
    return loaded
