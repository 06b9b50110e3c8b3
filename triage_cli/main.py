"""The ``triage`` command line.

Each package owns its commands (``triage.commands``, ``training.commands``,
``service.commands``, ``loadtests.commands``; ``triage vignettes``, which may ask a running
service, is this package's own, ``triage_cli.vignettes``); this module only puts them under one
name, so
that ``training`` and ``service`` never need to import each other.

``triage serve`` builds a command line of the service's commands only: the service must be
ready soon after it starts (issue 14: within 2 s), and importing the training, report and load
test packages would cost it a large share of that for nothing.

``pip install control-room-triage`` is the serving install; the commands that need one of its
extras (pyproject.toml: ``[train]``, ``[loadtest]``, ``[postgres]``) are listed in ``EXTRAS`` and
refused up front, naming the extra to install, when it is missing (``--help`` always works).
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from typing import NamedTuple

import typer

#: Commands whose package alone is loaded when they are run (the rest load every package).
_SERVICE_ONLY = frozenset({"serve"})

#: The project's name on the package index, for the install hint.
DISTRIBUTION = "control-room-triage"


class Needs(NamedTuple):
    """A command (its leading words) that needs an extra, when ``option`` (if any) is given."""

    command: tuple[str, ...]
    extra: str
    modules: tuple[str, ...]
    option: str | None = None


#: The commands the serving install cannot run. Exit code 1 and the install line when missing.
EXTRAS: tuple[Needs, ...] = (
    Needs(("train",), "train", ("matplotlib",)),
    Needs(("evaluate",), "train", ("matplotlib",)),
    Needs(("impact",), "train", ("matplotlib",), option="--report-dir"),
    Needs(("demo",), "train", ("matplotlib",)),
    Needs(("loadtest",), "loadtest", ("locust",)),
    Needs(("stack", "up"), "postgres", ("psycopg",)),
)


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_extra(args: list[str]) -> str | None:
    """The message for a command line whose command needs an extra that is not installed."""
    if "--help" in args:
        return None
    for needs in EXTRAS:
        if tuple(args[: len(needs.command)]) != needs.command:
            continue
        if needs.option is not None and not any(
            a == needs.option or a.startswith(needs.option + "=") for a in args
        ):
            continue
        absent = [m for m in needs.modules if not _installed(m)]
        if absent:
            return (
                f"'triage {' '.join(needs.command)}' needs the {needs.extra} extra "
                f"({', '.join(absent)} is not installed): "
                f"pip install '{DISTRIBUTION}[{needs.extra}]'"
            )
    return None


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
    message = missing_extra(sys.argv[1:])
    if message is not None:
        typer.echo(f"error: {message}", err=True)
        raise SystemExit(1)
    build_app()()


if __name__ == "__main__":
    main()
