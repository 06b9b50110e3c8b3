"""Settings shared by the CLI, training and the service, read from ``TRIAGE_*`` variables.

Behind ``get_settings()`` (cached) so that tests can override it with
``get_settings.cache_clear()`` after setting the environment, or with FastAPI's
``app.dependency_overrides[get_settings]``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Levels both Python's logging and uvicorn accept (a bad one is refused at start-up, not at the
#: first log line).
LogLevel = Literal["critical", "error", "warning", "info", "debug"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_", env_file=None, extra="ignore")

    models_dir: Path = Field(default=Path("models"), description="The model registry's folder.")
    db_url: str = Field(
        default="sqlite:///var/triage.db",
        description="Audit store: a SQLite file (default) or postgresql://... for a shared store.",
    )
    keys_file: Path = Field(
        default=Path("var/keys.json"), description="API keys: names, roles and sha256 hashes only."
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, description="Larger bodies get 413.")
    max_batch_body_bytes: int = Field(
        default=8 * 1024 * 1024,
        ge=1024,
        description="Body limit of POST /v1/triage/batch (1,000 requests of long narratives).",
    )
    max_batch: int = Field(default=1000, ge=1, le=10000)
    log_level: LogLevel = Field(default="info", description="Service log level (any case).")
    target_under_triage: float = Field(
        default=0.02,
        gt=0,
        lt=1,
        description="Default under-triage target for choosing the deploy threshold.",
    )

    rate_limit: str = Field(
        default="100/second;3000/minute",
        description="Per-key rate limits (each key counted alone; one batch is one request), "
        "in the 'limits' library's notation, e.g. '100/second;3000/minute'. Over it: 429 "
        "with Retry-After. Counted per worker process.",
    )
    registry_crash_at: str | None = Field(
        default=None,
        description="Testing only (fault injection): the registry step at which a promote, "
        "rollback or registration kills its own process (see training.registry.CRASH_POINTS).",
    )

    @field_validator("rate_limit")
    @classmethod
    def _parse_rate_limit(cls, value: str) -> str:
        from limits import parse_many

        try:
            parsed = parse_many(value)
        except ValueError as exc:
            raise ValueError(
                f"not a rate limit such as '100/second;3000/minute' ({exc})"
            ) from None
        if not parsed:
            raise ValueError("give at least one limit, such as '100/second'")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _lower_case_level(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment once."""
    return Settings()
