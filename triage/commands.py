"""Commands owned by this package (registered on the ``triage`` app by triage_cli.main)."""

from __future__ import annotations

import typer

from triage.history import loader_command, synth_command


def register(app: typer.Typer) -> None:
    """Add this package's commands to ``app``."""
    loader_command.register(app)
    synth_command.register(app)
