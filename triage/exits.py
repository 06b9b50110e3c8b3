"""The command line's exit codes and its one way to fail; every ``triage`` command uses them.

| code | name             | meaning                                                               |
|------|------------------|-----------------------------------------------------------------------|
| 0    | ``EXIT_OK``      | done                                                                  |
| 1    | ``EXIT_REFUSED`` | refused or failed: the safety gate or an integrity check said no, rows |
|      |                  | were rejected (``validate``), an operation on the keys file, audit    |
|      |                  | store or stack failed, a load test breached its SLO                   |
| 2    | ``EXIT_BAD_INPUT`` | the command could not start: an unusable file, a bad option, an     |
|      |                  | unknown version, a service that cannot be reached                     |

``fail(message, code)`` prints ``error: <message>`` on standard error (the message is shown as
text, never read as markup) and returns the ``typer.Exit`` to raise: no traceback for what a
user can fix. README.md ("For ops") gives the table to operators.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2

_err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print ``message`` as an error and return the exit to raise (``raise fail(...)``)."""
    _err.print(f"[bold red]error:[/] {escape(message)}")
    return typer.Exit(code)
