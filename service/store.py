"""The audit store: every suggestion and every recorded outcome, committed before the answer.

:class:`AuditStore` writes suggestions, outcomes and the shadow's suggestions and reads them
back (outcomes, monitoring, the retraining export). Its parts: :mod:`service.store_db` (tables,
engine, Alembic migrations), :mod:`service.store_writer` (the one writer thread, group commit)
and :mod:`service.store_export` (the export back into the loader's format).

Durability: SQLite runs in WAL mode with ``synchronous=FULL``: every commit fsyncs the WAL, so
an acknowledged suggestion survives kill -9 AND power loss. (``NORMAL`` would survive kill -9
too, since a committed WAL frame is in the OS page cache, but could lose the last commits on power
loss; an audit of clinical advice should not.) The cost of an fsync per commit is paid once per
group, not per request: one writer thread takes every write waiting in its queue and commits them
in one transaction (group commit), and each request waits for its own commit before answering.

A suggestion whose caller stopped waiting (the route's timeout answered 503) is never committed
afterwards: just before each commit the writer takes the group's tickets under a lock; a write
abandoned before that point is rolled back and left out, and a caller whose write is already
committing waits for that commit instead of answering 503 (``add_suggestions_committed``). When
the writer thread has died, every write fails at once (503 without waiting).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from service.audit_wait import CommitWaiter, waiter_for
from service.store_db import StoreError, make_engine, migrate, outcomes, suggestions
from service.store_export import aware, export_row, first_line
from service.store_writer import (
    GroupWriter,
    InsertOrFetch,
    InsertSuggestions,
    RequestIdConflict,
    Ticket,
    Write,
    fetched,
)
from triage.schema import Disposition

log = logging.getLogger(__name__)

__all__ = [
    "SHADOW_COLUMNS",
    "AuditStore",
    "OutcomeResult",
    "OutcomeStatus",
    "RequestIdConflict",
    "ShadowRow",
    "StoreError",
    "SuggestionRow",
    "new_id",
]


def new_id() -> str:
    """A suggestion id: a random UUID4 (unguessable; says nothing about volume or time)."""
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class SuggestionRow:
    """One suggestion as the audit keeps it."""

    id: str
    created_at: datetime
    key_name: str
    model_version: str
    request_json: str
    suggestion: str
    model_suggestion: str
    overridden: bool
    probabilities_json: str
    red_flags_json: str
    reasons_json: str
    latency_ms: float
    batch_id: str | None = None
    unfamiliar_wording: bool = False
    unfamiliar_reason: str | None = None
    #: The caller's ``request_id`` (unique per key_name): a retry is answered from the store.
    request_id: str | None = None

    def as_params(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "key_name": self.key_name,
            "model_version": self.model_version,
            "request_json": self.request_json,
            "suggestion": self.suggestion,
            "model_suggestion": self.model_suggestion,
            "overridden": self.overridden,
            "probabilities_json": self.probabilities_json,
            "red_flags_json": self.red_flags_json,
            "reasons_json": self.reasons_json,
            "latency_ms": self.latency_ms,
            "batch_id": self.batch_id,
            "unfamiliar_wording": self.unfamiliar_wording,
            "unfamiliar_reason": self.unfamiliar_reason,
            "request_id": self.request_id,
        }


#: The shadow's columns, as ``ShadowRow.as_params`` names them.
SHADOW_COLUMNS: tuple[str, ...] = (
    "shadow_version", "shadow_suggestion", "shadow_model_suggestion", "shadow_probabilities_json",
    "shadow_red_flags_json", "shadow_unfamiliar_wording", "shadow_at",
)


@dataclass(frozen=True, slots=True)
class ShadowRow:
    """The shadow model's suggestion for the stored suggestion ``id``."""

    id: str
    version: str
    suggestion: str
    model_suggestion: str
    probabilities_json: str
    red_flags_json: str
    unfamiliar_wording: bool
    at: datetime

    def as_params(self) -> dict[str, Any]:
        return {
            "sid": self.id,
            "shadow_version": self.version,
            "shadow_suggestion": self.suggestion,
            "shadow_model_suggestion": self.model_suggestion,
            "shadow_probabilities_json": self.probabilities_json,
            "shadow_red_flags_json": self.red_flags_json,
            "shadow_unfamiliar_wording": self.unfamiliar_wording,
            "shadow_at": self.at,
        }


class OutcomeStatus(StrEnum):
    RECORDED = "recorded"
    UNKNOWN_SUGGESTION = "unknown_suggestion"
    ALREADY_RECORDED = "already_recorded"


@dataclass(frozen=True, slots=True)
class OutcomeResult:
    status: OutcomeStatus
    suggestion_id: str
    suggested: str | None = None
    final_disposition: str | None = None
    recorded_at: datetime | None = None
    note: str | None = None


class AuditStore:
    """Writes suggestions and outcomes (grouped, committed before the caller is answered) and
    reads them back for outcomes, tests and the retraining export."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.engine = make_engine(db_url)
        self._writer: GroupWriter | None = None
        self._commit_waiter: CommitWaiter | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def open(self) -> None:
        """Apply migrations and start the writer."""
        migrate(self.engine)
        self._writer = GroupWriter(self.engine)

    @property
    def writer_alive(self) -> bool:
        """False when the store is closed or its writer thread has stopped (then every write
        fails at once: /readyz reports it)."""
        return self._writer is not None and self._writer.alive

    def close(self) -> None:
        if self._writer is not None:
            self._writer.stop()
            self._writer = None
        self.engine.dispose()

    def _submit(self, write: Write, ticket: Ticket | None = None) -> Future[Any]:
        if self._writer is None:
            raise StoreError("the audit store is not open")
        return self._writer.submit(write, ticket)

    # -- writes ------------------------------------------------------------------------------

    def add_suggestions(self, rows: Sequence[SuggestionRow]) -> Future[int]:
        """Store ``rows`` in ONE transaction; the future resolves after the commit."""
        return self._submit(InsertSuggestions([r.as_params() for r in rows]))

    async def add_suggestions_committed(
        self, rows: Sequence[SuggestionRow], timeout: float
    ) -> list[dict[str, Any] | None]:
        """``add_suggestions``, awaited on the running event loop: returns once the rows are
        committed. Completions reach the loop once per committed group, not once per request
        (``service.audit_wait``).

        Rows that carry a ``request_id`` are idempotent (``InsertOrFetch``): the result holds,
        per row, None when it was stored now, or the row already stored for its key and
        request_id (a retry: nothing new stored, answer with that).

        Raises:
            RequestIdConflict: a request_id came with another request than the stored one;
                nothing of ``rows`` was stored.
            StoreError: at once when the writer has stopped, or when the write failed.
            TimeoutError: after ``timeout`` seconds; the rows are then NEVER committed (the
                writer rolls back a write abandoned before its commit). If the commit was
                already under way at the timeout, this waits (up to ``timeout`` again) for it
                and returns normally: the suggestion was recorded.
        """
        ticket = Ticket()
        params = [r.as_params() for r in rows]
        write: Write = (
            InsertOrFetch(params) if any(r.request_id is not None for r in rows)
            else InsertSuggestions(params)
        )
        fut = self._submit(write, ticket)
        waiter = waiter_for(self, "_commit_waiter")
        try:
            async with asyncio.timeout(timeout):
                return fetched(await waiter.wrap(fut), len(rows))
        except TimeoutError:
            if self._writer is None or self._writer.abandon(ticket):
                fut.cancel()  # not started yet: the writer skips it
                raise
        # The commit is under way: its outcome is this request's answer.
        try:
            async with asyncio.timeout(timeout):
                result = fetched(await waiter.wrap(fut), len(rows))
        except TimeoutError:
            log.error(
                "audit commit of suggestion(s) %s outlived its caller's wait; the caller was "
                "answered 503 and the rows may be stored", [r.id for r in rows][:10],
            )
            raise
        return result

    def record_outcome(
        self,
        suggestion_id: str,
        final_disposition: Disposition,
        note: str | None,
        key_name: str,
    ) -> Future[OutcomeResult]:
        """Record what was decided for a suggestion. An outcome is recorded once: a second one
        is refused (``ALREADY_RECORDED``, carrying the first) and the first stays unchanged."""
        now = datetime.now(UTC)

        def write(conn: Connection) -> OutcomeResult:
            row = conn.execute(
                sa.select(
                    suggestions.c.suggestion,
                    outcomes.c.final_disposition,
                    outcomes.c.recorded_at,
                    outcomes.c.note,
                )
                .select_from(suggestions.outerjoin(outcomes))
                .where(suggestions.c.id == suggestion_id)
            ).first()
            if row is None:
                return OutcomeResult(OutcomeStatus.UNKNOWN_SUGGESTION, suggestion_id)
            if row.final_disposition is not None:
                return OutcomeResult(
                    OutcomeStatus.ALREADY_RECORDED,
                    suggestion_id,
                    suggested=row.suggestion,
                    final_disposition=row.final_disposition,
                    recorded_at=aware(row.recorded_at),
                    note=row.note,
                )
            conn.execute(
                outcomes.insert().values(
                    suggestion_id=suggestion_id,
                    recorded_at=now,
                    key_name=key_name,
                    final_disposition=final_disposition.value,
                    note=note,
                )
            )
            return OutcomeResult(
                OutcomeStatus.RECORDED,
                suggestion_id,
                suggested=row.suggestion,
                final_disposition=final_disposition.value,
                recorded_at=now,
                note=note,
            )

        return self._submit(write)

    def add_shadow(self, rows: Sequence[ShadowRow]) -> Future[int]:
        """Store shadow suggestions on their (already committed) records, in one transaction."""
        params = [r.as_params() for r in rows]

        def write(conn: Connection) -> int:
            if not params:
                return 0
            result = conn.execute(
                suggestions.update()
                .where(suggestions.c.id == sa.bindparam("sid"))
                .values({name: sa.bindparam(name) for name in SHADOW_COLUMNS}),
                params,
            )
            return int(result.rowcount)

        return self._submit(write)

    # -- reads -------------------------------------------------------------------------------

    def iter_recent(self, since: datetime) -> Iterator[dict[str, Any]]:
        """Every suggestion made from ``since`` on, oldest first, with its outcome if recorded:
        what ``triage monitor`` and ``triage shadow report`` read."""
        query = (
            sa.select(
                suggestions.c.id,
                suggestions.c.created_at,
                suggestions.c.model_version,
                suggestions.c.request_json,
                suggestions.c.suggestion,
                suggestions.c.red_flags_json,
                suggestions.c.unfamiliar_wording,
                *(suggestions.c[name] for name in SHADOW_COLUMNS),
                outcomes.c.final_disposition,
            )
            .select_from(suggestions.outerjoin(outcomes))
            .where(suggestions.c.created_at >= since)
            .order_by(suggestions.c.created_at, suggestions.c.id)
        )
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                yield dict(row._mapping)

    def get_suggestion(self, suggestion_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(suggestions).where(suggestions.c.id == suggestion_id)
            ).first()
        return dict(row._mapping) if row is not None else None

    def get_outcome(self, suggestion_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(outcomes).where(outcomes.c.suggestion_id == suggestion_id)
            ).first()
        return dict(row._mapping) if row is not None else None

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` are stored (chunked to stay under parameter limits)."""
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start : start + 500])
                found.update(
                    conn.execute(
                        sa.select(suggestions.c.id).where(suggestions.c.id.in_(chunk))
                    ).scalars()
                )
        return found

    def count_suggestions(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(suggestions)).one()[0])

    def count_unlabelled(self, since: date, until: date | None = None) -> int:
        """Suggestions made in the period that have no recorded outcome (not exported)."""
        start = datetime.combine(since, time.min, tzinfo=UTC)
        query = (
            sa.select(sa.func.count())
            .select_from(suggestions.outerjoin(outcomes))
            .where(suggestions.c.created_at >= start, outcomes.c.suggestion_id.is_(None))
        )
        if until is not None:
            end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
            query = query.where(suggestions.c.created_at < end)
        with self.engine.connect() as conn:
            return int(conn.execute(query).one()[0])

    def iter_labelled(
        self, since: date, until: date | None = None, skipped: list[str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Stored requests that have an outcome, received from ``since`` (inclusive) to
        ``until`` (inclusive, whole day), oldest first, as export rows: the request's fields,
        ``request_id`` (the caller's reference, or ``audit-<suggestion id>`` when none was
        sent), ``received_at`` (as sent, else when the suggestion was made) and
        ``disposition`` (the FINAL disposition recorded, not the suggestion); then the audit's
        own columns (``AUDIT_EXPORT_COLUMNS``): what was ``suggested``, by which
        ``model_version``, and whether the wording was unfamiliar (and why).

        Every row is checked against the export contract (``ExportRow``); a stored row that
        does not fit (stored before a check existed, or edited in the database) is not
        exported and never stops the export: its suggestion id and why go into ``skipped``
        (and the log). It stays in the audit store."""
        start = datetime.combine(since, time.min, tzinfo=UTC)
        query = (
            sa.select(
                suggestions.c.id,
                suggestions.c.created_at,
                suggestions.c.request_json,
                suggestions.c.model_version,
                suggestions.c.suggestion,
                suggestions.c.unfamiliar_wording,
                suggestions.c.unfamiliar_reason,
                outcomes.c.final_disposition,
            )
            .select_from(suggestions.join(outcomes))
            .where(suggestions.c.created_at >= start)
            .order_by(suggestions.c.created_at, suggestions.c.id)
        )
        if until is not None:
            end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC)
            query = query.where(suggestions.c.created_at < end)
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                try:
                    yield export_row(row)
                except (ValueError, TypeError, OverflowError, orjson.JSONDecodeError) as exc:
                    why = first_line(exc)
                    log.warning("audit export: stored suggestion %s not exported: %s",
                                row.id, why)
                    if skipped is not None:
                        skipped.append(f"{row.id}: {why}")


