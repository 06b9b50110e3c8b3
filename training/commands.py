"""Commands owned by this package (registered on the ``triage`` app by triage_cli.main)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this package's commands to ``app``."""
