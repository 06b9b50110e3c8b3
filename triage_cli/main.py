"""The ``triage`` command line.

Each package owns its commands (``triage.commands``, ``training.commands``,
``service.commands``, ``loadtests.commands``); this module only puts them under one name, so
that ``training`` and ``service`` never need to import each other.
"""

from __future__ import annotations

import typer

from loadtests import commands as loadtest_commands
from service import commands as service_commands
from training import commands as training_commands
from triage import commands as core_commands
from triage_cli import demo

app = typer.Typer(
    name="triage",
    help=(
        "Control-room triage: suggests hear_and_treat, clinical_advice or deploy for "
        "police-to-ambulance requests. Suggestions are advisory; a clinician decides."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

core_commands.register(app)
training_commands.register(app)
service_commands.register(app)
loadtest_commands.register(app)
demo.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
