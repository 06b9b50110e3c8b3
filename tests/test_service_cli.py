"""``triage serve`` flag handling (the running service is covered by test_service_lifecycle)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from triage_cli.main import app


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--port", "70000"], "--port: Input should be less than or equal to 65535 (got 70000)"),
        (["--workers", "0"], "--workers: Input should be greater than or equal to 1 (got 0)"),
    ],
)
def test_serve_refuses_bad_flags_clearly(args: list[str], match: str) -> None:
    res = CliRunner().invoke(app, ["serve", *args])
    assert res.exit_code == 2
    assert match in res.output
    assert "Traceback" not in res.output
