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
    batch_workers: int = Field(
        default=1, ge=1, le=16,
        description="Batches (POST /v1/triage/batch) scored at once, each on its own thread, off "
        "the event loop (service/batch_pool.py).",
    )
    batch_queue: int = Field(
        default=4, ge=0, le=1000,
        description="Batches waiting for a batch worker at most; one more is refused with 503 "
        "and Retry-After rather than queued without bound.",
    )
    feature_jobs: int = Field(
        default=2, ge=-1, le=64,
        description="Processes for feature extraction on large inputs (50,000 records or more: "
        "training and evaluation sets; never a served request); -1 every core. A setting of "
        "this machine: applied to each model at load, never pickled with it.",
    )
    log_level: LogLevel = Field(default="info", description="Service log level (any case).")
    target_under_triage: float = Field(
        default=0.02,
        gt=0,
        lt=1,
        description="Default under-triage target for choosing the deploy threshold.",
    )

    # -- shadow running (issue 13) -------------------------------------------------------------
    shadow_version: str | None = Field(
        default=None,
        description="A registered model version that scores every live request beside the "
        "serving one, off the request's path; its suggestion is stored with the audit record and "
        "never shown to the caller. Unset: no shadow.",
    )
    shadow_queue: int = Field(
        default=2000, ge=1, le=100_000,
        description="Requests waiting for the shadow at most; beyond it they are not shadowed "
        "(counted in triage_shadow_dropped_total) rather than slow the service down.",
    )

    # -- input drift (issue 13) ----------------------------------------------------------------
    drift_window: int = Field(
        default=1000, ge=10, le=1_000_000,
        description="The last N requests the live drift metric compares with the training data.",
    )
    drift_min_requests: int = Field(
        default=200, ge=10, le=1_000_000,
        description="No drift figure until the window holds this many requests (PSI on a few "
        "requests is noise).",
    )

    # -- impact durations (issue 13): minutes of one resource per request, by disposition -------
    # Each default is an ASSUMPTION unless a source is named; replace them with the control
    # room's own figures (triage impact prints which were used, and the report lists them).
    impact_ambulance_minutes_deploy: float = Field(
        default=90.0, ge=0, le=24 * 60,
        description="ASSUMPTION: one ambulance crew's time for a deployed police request (travel, "
        "on scene, conveyance or discharge, handover). Use the trust's own job-cycle time.",
    )
    impact_ambulance_minutes_clinical_advice: float = Field(
        default=0.0, ge=0, le=24 * 60,
        description="No ambulance attends clinical_advice (its definition, spec/requests.md).",
    )
    impact_ambulance_minutes_hear_and_treat: float = Field(
        default=0.0, ge=0, le=24 * 60,
        description="No ambulance attends hear_and_treat (its definition, spec/requests.md).",
    )
    impact_officer_minutes_deploy: float = Field(
        default=90.0, ge=0, le=24 * 60,
        description="ASSUMPTION: officers' time with the patient until the ambulance arrives and "
        "hands over. Use the force's own waiting-time figures.",
    )
    impact_officer_minutes_clinical_advice: float = Field(
        default=20.0, ge=0, le=24 * 60,
        description="ASSUMPTION: officers' time on the phone to the clinical support desk and "
        "acting on its advice.",
    )
    impact_officer_minutes_hear_and_treat: float = Field(
        default=10.0, ge=0, le=24 * 60,
        description="ASSUMPTION: officers' time handing the patient to a clinician by phone.",
    )
    # -- scale-out (issue 12) ------------------------------------------------------------------
    model_watch_seconds: float = Field(
        default=1.0, ge=0, le=60,
        description="How often each process reads the registry's 'current' and, when it names "
        "another version than the one served, loads it (off the event loop) and swaps it in: a "
        "promotion or rollback reaches every worker and replica within about this long plus "
        "the load time. 0 turns the watch off (then only POST /v1/admin/reload loads).",
    )
    replica_name: str | None = Field(
        default=None, min_length=1, max_length=64,
        description="This replica's name in /readyz, /v1/model and /metrics (default: the "
        "host's name). Set one per replica when several run on one host.",
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
