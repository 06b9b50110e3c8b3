"""``triage demo``: synthetic history, a trained model and the service with its page."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add ``demo`` to ``app``."""
