"""The ``triage`` command line.

Each package owns its commands (``triage.commands``, ``training.commands``,
``service.commands``, ``loadtests.commands``; ``triage vignettes``, which may ask a running
service, is this package's own, ``triage_cli.vignettes``); this module only puts them under one
name, so
that ``training`` and ``service`` never need to import each other.

``triage serve`` builds a command line of the service's commands only: the service must be
ready soon after it starts (issue 14: within 2 s), and importing the training, report and load
test packages (matplotlib, locust) would cost it a large share of that for nothing.
"""

from __future__ import annotations

import sys
from functools import cache

import typer

#: Commands whose package alone is loaded when they are run (the rest load every package).
_SERVICE_ONLY = frozenset({"serve"})


def _typer() -> typer.Typer:
    return typer.Typer(
        name="triage",
        help=(
            "Control-room triage: suggests hear_and_treat, clinical_advice or deploy for "
            "police-to-ambulance requests. Suggestions are advisory; a clinician decides."
        ),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


def _service_only() -> None:
    """Control-room triage: the service's commands."""


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """The ``triage`` command line; for ``triage serve`` only the service's commands."""
    from service import commands as service_commands

    app = _typer()
    args = sys.argv[1:] if argv is None else argv
    if args[:1] and args[0] in _SERVICE_ONLY:
        # a callback keeps ``serve`` a subcommand (a Typer of one command would run it bare)
        app.callback()(_service_only)
        service_commands.register(app)
        return app
    from loadtests import commands as loadtest_commands
    from training import commands as training_commands
    from triage import commands as core_commands
    from triage_cli import demo, vignettes

    vignettes.register(app)
    core_commands.register(app)
    training_commands.register(app)
    service_commands.register(app)
    loadtest_commands.register(app)
    demo.register(app)
    return app


@cache
def _full_app() -> typer.Typer:
    return build_app([])


def __getattr__(name: str) -> typer.Typer:
    """``triage_cli.main.app``: the full command line, built when first asked for."""
    if name == "app":
        return _full_app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    build_app()()


if __name__ == "__main__":
    main()
