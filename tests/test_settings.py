"""Settings from ``TRIAGE_*`` variables: defaults, overrides, bad values refused by name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError

from triage.settings import Settings, get_settings


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_environment_overrides_and_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_MODELS_DIR", "/srv/triage/models")
    monkeypatch.setenv("TRIAGE_PORT", "8123")
    monkeypatch.setenv("TRIAGE_LOG_LEVEL", " WARNING ")
    monkeypatch.setenv("TRIAGE_TARGET_UNDER_TRIAGE", "0.01")
    settings = get_settings()
    assert settings.models_dir == Path("/srv/triage/models")
    assert settings.port == 8123
    assert settings.log_level == "warning"
    assert settings.target_under_triage == 0.01
    assert get_settings() is settings  # one read per process until cache_clear()


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MODELS_DIR", "PORT", "LOG_LEVEL", "TARGET_UNDER_TRIAGE", "MAX_BATCH"):
        monkeypatch.delenv(f"TRIAGE_{name}", raising=False)
    settings = Settings()
    assert (settings.host, settings.port, settings.log_level) == ("127.0.0.1", 8000, "info")
    assert settings.target_under_triage == 0.02
    assert settings.max_batch == 1000


@pytest.mark.parametrize(
    ("name", "value", "match"),
    [
        ("TRIAGE_LOG_LEVEL", "verbose", r"log_level\n.*'critical', 'error', 'warning', 'info'"),
        ("TRIAGE_PORT", "70000", r"port\n.*less than or equal to 65535"),
        ("TRIAGE_TARGET_UNDER_TRIAGE", "0", r"target_under_triage\n.*greater than 0"),
        ("TRIAGE_MAX_BATCH", "many", r"max_batch\n.*valid integer.*input_value='many'"),
    ],
)
def test_bad_values_are_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, match: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match=match):
        get_settings()
