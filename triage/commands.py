"""Commands owned by this package (registered on the ``triage`` app by triage_cli.main)."""

from __future__ import annotations

import typer

from triage import loader_command, synth


def register(app: typer.Typer) -> None:
    """Add this package's commands to ``app``."""
    loader_command.register(app)
    synth.register(app)
