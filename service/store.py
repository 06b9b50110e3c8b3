"""The audit store: every suggestion and every recorded outcome, committed before the answer.

SQLAlchemy 2 Core over SQLite (default) or PostgreSQL (``postgresql://`` is mapped to the
psycopg 3 driver). The schema is managed by Alembic migrations shipped in ``service/migrations``
and applied by :func:`migrate` when the service starts (``triage audit migrate`` runs them
alone); on PostgreSQL an advisory lock serialises concurrent starts.

Durability: SQLite runs in WAL mode with ``synchronous=FULL``: every commit fsyncs the WAL, so
an acknowledged suggestion survives kill -9 AND power loss. (``NORMAL`` would survive kill -9
too, since a committed WAL frame is in the OS page cache, but could lose the last commits on power
loss; an audit of clinical advice should not.) The cost of an fsync per commit is paid once per
group, not per request: one writer thread takes every write waiting in its queue and commits them
in one transaction (group commit), and each request waits for its own commit before answering.

Why one writer thread: SQLite allows one writer at a time anyway, the thread keeps the event
loop free, and grouping turns N concurrent fsyncs into one.

A suggestion whose caller stopped waiting (the route's timeout answered 503) is never committed
afterwards: just before each commit the writer takes the group's tickets under a lock; a write
abandoned before that point is rolled back and left out, and a caller whose write is already
committing waits for that commit instead of answering 503 (``add_suggestions_committed``). When
the writer thread has died, every write fails at once (503 without waiting).

Files: a SQLite audit file is created 0600 (its -wal and -shm inherit that mode from SQLite), and
an existing one readable by other local users is tightened. Exports are written through a
private temp file (O_EXCL, 0600) in the target folder, then renamed; CSV text that a
spreadsheet would run as a formula is prefixed with ``'``.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import queue
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import orjson
import polars as pl
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from service.audit_wait import CommitWaiter, waiter_for
from triage.schema import Disposition, ExportRow, polars_schema

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: Most writes committed together in one transaction (a batch counts as one write).
MAX_GROUP = 256
#: pg_advisory_lock key serialising migrations of one database across processes.
PG_MIGRATION_LOCK = 0x7472_6961_6765  # "triage"

metadata = sa.MetaData()

suggestions = sa.Table(
    "suggestions",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("key_name", sa.String(64), nullable=False),
    sa.Column("model_version", sa.String(128), nullable=False),
    sa.Column("request_json", sa.Text(), nullable=False),
    sa.Column("suggestion", sa.String(32), nullable=False),
    sa.Column("model_suggestion", sa.String(32), nullable=False),
    sa.Column("overridden", sa.Boolean(), nullable=False),
    sa.Column("probabilities_json", sa.Text(), nullable=False),
    sa.Column("red_flags_json", sa.Text(), nullable=False),
    sa.Column("reasons_json", sa.Text(), nullable=False),
    sa.Column("latency_ms", sa.Float(), nullable=False),
    sa.Column("batch_id", sa.String(36), nullable=True),
    # 0002: the model did not know most of the narrative's words (and why, in words).
    sa.Column("unfamiliar_wording", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("unfamiliar_reason", sa.Text(), nullable=True),
    # 0003: the shadow model's suggestion (service.shadow), written after the record.
    sa.Column("shadow_version", sa.String(128), nullable=True),
    sa.Column("shadow_suggestion", sa.String(32), nullable=True),
    sa.Column("shadow_model_suggestion", sa.String(32), nullable=True),
    sa.Column("shadow_probabilities_json", sa.Text(), nullable=True),
    sa.Column("shadow_red_flags_json", sa.Text(), nullable=True),
    sa.Column("shadow_unfamiliar_wording", sa.Boolean(), nullable=True),
    sa.Column("shadow_at", sa.DateTime(timezone=True), nullable=True),
    # 0004: the caller's request_id, unique per key: a retried request stores one record.
    sa.Column("request_id", sa.String(64), nullable=True),
    sa.Index("uq_suggestions_key_request", "key_name", "request_id", unique=True),
)

outcomes = sa.Table(
    "outcomes",
    metadata,
    sa.Column("suggestion_id", sa.String(36), sa.ForeignKey("suggestions.id"), primary_key=True),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("key_name", sa.String(64), nullable=False),
    sa.Column("final_disposition", sa.String(32), nullable=False),
    sa.Column("note", sa.Text(), nullable=True),
)


class StoreError(Exception):
    """The audit store cannot be used (unreachable, unwritable, bad URL). The service answers
    503 rather than hand out a suggestion it could not record."""


class RequestIdConflict(Exception):
    """A ``request_id`` this key already used came with a different request: nothing of the
    write was stored (a batch is all or none). ``index`` is the row's place in the write,
    ``differing`` the request fields that differ from the stored request."""

    def __init__(self, index: int, request_id: str, existing_id: str,
                 differing: list[str]) -> None:
        super().__init__(f"request_id {request_id!r} was already used with a different request")
        self.index = index
        self.request_id = request_id
        self.existing_id = existing_id
        self.differing = differing


def differing_fields(stored_json: str, new_json: str) -> list[str]:
    """The request fields whose values differ between two stored request JSONs."""
    old, new = orjson.loads(stored_json), orjson.loads(new_json)
    return sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))


#: Random bytes read from the OS at once for ``new_id`` (256 ids per read, not one).
_ID_POOL_BYTES = 4096


class _RandomPool:
    """``os.urandom`` read in blocks: the same cryptographic randomness as ``uuid.uuid4()``
    (which reads 16 bytes per call), one system call per 256 ids instead of one per id."""

    __slots__ = ("_buf", "_lock", "_pid", "_pos")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buf = b""
        self._pos = 0
        self._pid = os.getpid()

    def take16(self) -> bytes:
        with self._lock:
            # A forked worker must never reuse bytes its parent also hands out.
            if self._pos + 16 > len(self._buf) or self._pid != os.getpid():
                self._pid = os.getpid()
                self._buf = os.urandom(_ID_POOL_BYTES)
                self._pos = 0
            out = self._buf[self._pos : self._pos + 16]
            self._pos += 16
        return out


_RANDOM = _RandomPool()


def new_id() -> str:
    """A suggestion id: a random UUID4 (unguessable; says nothing about volume or time).

    Exactly ``str(uuid.uuid4())``'s form (version 4, RFC 4122 variant), built without the
    ``UUID`` object and from pooled OS randomness (measured ~3% of a request's CPU before).
    """
    b = bytearray(_RANDOM.take16())
    b[6] = (b[6] & 0x0F) | 0x40
    b[8] = (b[8] & 0x3F) | 0x80
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def normalise_db_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` -> the psycopg 3 driver; anything else unchanged."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


#: Mode of the audit store's SQLite file (and so of its -wal and -shm, which SQLite creates
#: with the database's mode): the service's account only.
AUDIT_FILE_MODE = 0o600
#: Mode of an export file (audit data, patient narratives).
EXPORT_FILE_MODE = 0o600


def _private_sqlite_file(path: Path) -> None:
    """Create the SQLite file 0600 before SQLite does (SQLite would use 0644 under the usual
    umask); tighten an existing one (and its -wal/-shm) that other local users could read."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                     AUDIT_FILE_MODE)
    except OSError as exc:
        raise StoreError(f"Cannot open the audit file {path}: {exc.strerror}.") from None
    os.close(fd)
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            mode = stat.S_IMODE(os.stat(name, follow_symlinks=False).st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o007:
            log.warning("audit file %s was readable by other local users (mode %o); "
                        "setting %o", name, mode, mode & 0o770)
            os.chmod(name, mode & 0o770)


def make_engine(db_url: str) -> Engine:
    """An engine for ``db_url``; for a SQLite file its folder is created and WAL mode set."""
    url = sa.engine.make_url(normalise_db_url(db_url))
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            raise StoreError(
                f"TRIAGE_DB_URL {db_url!r} is an in-memory SQLite database: the audit would be "
                "lost with the process. Give a file, e.g. sqlite:///var/triage.db."
            )
        _private_sqlite_file(Path(url.database).expanduser())
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.get_backend_name() == "postgresql":
        try:
            return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
        except ModuleNotFoundError as exc:  # the driver is the [postgres] extra
            raise StoreError(
                f"TRIAGE_DB_URL is PostgreSQL but its driver ({exc.name}) is not installed: "
                "pip install 'control-room-triage[postgres]'."
            ) from None
    raise StoreError(
        f"TRIAGE_DB_URL {db_url!r} is neither sqlite:///FILE nor postgresql://...; "
        f"got backend {url.get_backend_name()!r}."
    )


def _alembic_config(connection: Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    if head is None:
        raise StoreError(f"No migrations found in {MIGRATIONS_DIR}.")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _sqlite_migration_lock(engine: Engine) -> Iterator[None]:
    """Serialise migrations of one SQLite file across processes (``--workers N`` start
    together) with an exclusive lock on a file beside it."""
    database = engine.url.database or ""
    lock_path = Path(database).expanduser().with_name(Path(database).name + ".migrate-lock")
    with lock_path.open("a") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def migrate(engine: Engine) -> str:
    """Bring the schema to the newest migration; return the revision now in place.

    Concurrent starts are serialised: a PostgreSQL advisory lock, or a file lock for SQLite."""
    if engine.dialect.name == "sqlite":
        with _sqlite_migration_lock(engine), engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
    else:
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_MIGRATION_LOCK})
            command.upgrade(_alembic_config(conn), "head")
    rev = current_revision(engine)
    log.info("audit store schema at revision %s", rev)
    return rev or ""


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


def _aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)


_Write = Callable[[Connection], Any]
_STOP = object()

_QUEUED, _COMMITTING, _ABANDONED = 0, 1, 2


class _Ticket:
    """Whether a write's caller still waits for it: QUEUED until the writer is about to commit
    it (then COMMITTING), or ABANDONED by a caller that gave up first (then never committed)."""

    __slots__ = ("state",)

    def __init__(self) -> None:
        self.state = _QUEUED


class _Abandoned(Exception):
    """A write in the group was abandoned before the commit: roll back, commit the rest."""


_Item = tuple[_Write, Future[Any], _Ticket | None]


class _InsertSuggestions:
    """A write of suggestion rows. The writer merges every such write of a group into ONE
    multi-row INSERT (per-statement overhead dominated the writer's CPU time otherwise)."""

    __slots__ = ("params",)

    def __init__(self, params: list[dict[str, Any]]) -> None:
        self.params = params

    def __call__(self, conn: Connection) -> int:
        conn.execute(suggestions.insert(), self.params)
        return len(self.params)


class _InsertOrFetch:
    """A write of suggestion rows of which some carry the caller's ``request_id``: each row is
    inserted unless its (key_name, request_id) is stored already (``ON CONFLICT DO NOTHING`` on
    the unique index, in PostgreSQL and SQLite alike), in which case the stored row is read
    back. Returns, per row, None (stored now) or the stored row (a retry). A retry whose
    request differs from the stored one raises ``RequestIdConflict``, which rolls the whole
    write back.

    Across replicas the unique index decides: PostgreSQL makes a second transaction inserting
    the same key wait for the first and then do nothing, and the read that follows (a new
    statement, so a new snapshot under READ COMMITTED) sees the first one's row."""

    __slots__ = ("params",)

    def __init__(self, params: list[dict[str, Any]]) -> None:
        self.params = params

    def __call__(self, conn: Connection) -> list[dict[str, Any] | None]:
        insert: Any = (
            pg_insert(suggestions) if conn.dialect.name == "postgresql"
            else sqlite_insert(suggestions)
        )
        out: list[dict[str, Any] | None] = []
        for index, p in enumerate(self.params):
            if p.get("request_id") is None:
                conn.execute(suggestions.insert(), [p])
                out.append(None)
                continue
            stmt = insert.values(**p).on_conflict_do_nothing(
                index_elements=["key_name", "request_id"]
            ).returning(suggestions.c.id)
            if conn.execute(stmt).first() is not None:  # inserted (rowcount is not portable)
                out.append(None)
                continue
            stored = conn.execute(
                sa.select(suggestions).where(
                    suggestions.c.key_name == p["key_name"],
                    suggestions.c.request_id == p["request_id"],
                )
            ).one()
            if stored.request_json != p["request_json"]:
                raise RequestIdConflict(index, p["request_id"], stored.id,
                                        differing_fields(stored.request_json, p["request_json"]))
            out.append(dict(stored._mapping))
        return out


class _GroupWriter:
    """One thread that commits every queued write, grouped, and resolves each write's future
    only after its transaction committed. A write whose ticket was abandoned before its commit
    is rolled back; if the thread dies, every queued and later write fails at once."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._gate = threading.Lock()
        self._dead = False
        self._thread = threading.Thread(target=self._run, name="audit-writer", daemon=True)
        self._thread.start()

    def submit(self, write: _Write, ticket: _Ticket | None = None) -> Future[Any]:
        fut: Future[Any] = Future()
        with self._gate:
            if self._dead:
                raise StoreError("the audit store's writer has stopped")
            self._queue.put((write, fut, ticket))
        return fut

    def abandon(self, ticket: _Ticket) -> bool:
        """Give up on a write: True if it will never be committed, False if its commit is
        already under way (then its future tells the outcome)."""
        with self._gate:
            if ticket.state == _COMMITTING:
                return False
            ticket.state = _ABANDONED
            return True

    def stop(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=30)

    def _drain(self, first: Any) -> tuple[list[_Item], bool]:
        items = [first]
        stop = False
        while len(items) < MAX_GROUP:
            try:
                nxt = self._queue.get_nowait()
            except queue.Empty:
                break
            if nxt is _STOP:
                stop = True
                break
            items.append(nxt)
        return items, stop

    @property
    def alive(self) -> bool:
        return self._thread.is_alive() and not self._dead

    def _run(self) -> None:
        try:
            self._loop()
        finally:
            # Stopped or died: refuse new writes, and fail every write still queued (its caller
            # answers 503 now instead of waiting out its timeout).
            with self._gate:
                self._dead = True
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is not _STOP and item[1].set_running_or_notify_cancel():
                    item[1].set_exception(StoreError("the audit store's writer has stopped"))

    def _loop(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            items, stop = self._drain(first)
            # A write whose caller gave up (timed out, cancelled) before it started is not
            # run: nobody is waiting for it, and resolving a cancelled future would raise.
            live = [item for item in items if item[1].set_running_or_notify_cancel()]
            try:
                if live:
                    self._commit_group(live)
            except Exception:
                # The writer must outlive any one group: a dead writer would refuse every
                # later suggestion. Whatever this group's futures still lack, they get an error.
                log.error("audit writer: a group failed unexpectedly", exc_info=True)
                for _, fut, _ticket in live:
                    if not fut.done():
                        fut.set_exception(StoreError("audit store write failed"))
            except BaseException:
                log.critical("audit writer thread is dying; every write now fails",
                             exc_info=True)
                for _, fut, _ticket in live:
                    if not fut.done():
                        fut.set_exception(StoreError("the audit store's writer has stopped"))
                raise
            if stop:
                return

    def _claim(self, items: list[_Item]) -> list[_Item]:
        """Just before the commit: the abandoned items (then nothing is claimed), or none (and
        every ticket is now COMMITTING, so its caller will wait for this commit)."""
        with self._gate:
            dropped = [i for i in items if i[2] is not None and i[2].state == _ABANDONED]
            if not dropped:
                for _, _, ticket in items:
                    if ticket is not None:
                        ticket.state = _COMMITTING
        return dropped

    @staticmethod
    def _fail_abandoned(dropped: list[_Item]) -> None:
        for _, fut, _ in dropped:
            fut.set_exception(StoreError("abandoned by its caller before the commit; not stored"))

    def _commit_group(self, items: list[_Item]) -> None:
        while items:
            try:
                with self._engine.begin() as conn:
                    rows = [p for w, _, _ in items if isinstance(w, _InsertSuggestions)
                            for p in w.params]
                    if rows:
                        conn.execute(suggestions.insert(), rows)
                    results = [
                        len(write.params) if isinstance(write, _InsertSuggestions)
                        else write(conn)
                        for write, _, _ in items
                    ]
                    dropped = self._claim(items)
                    if dropped:
                        raise _Abandoned
            except _Abandoned:
                self._fail_abandoned(dropped)
                items = [i for i in items if i not in dropped]
                continue
            except Exception:
                # One write failed the group: commit each alone so that only it fails.
                for item in items:
                    self._commit_one(item)
                return
            for (_, fut, _), result in zip(items, results, strict=True):
                fut.set_result(result)
            return

    def _commit_one(self, item: _Item) -> None:
        write, fut, _ticket = item
        try:
            with self._engine.begin() as conn:
                result = write(conn)
                dropped = self._claim([item])
                if dropped:
                    raise _Abandoned
        except _Abandoned:
            self._fail_abandoned(dropped)
            return
        except RequestIdConflict as exc:  # the caller's error, not the store's: rolled back
            fut.set_exception(exc)
            return
        except Exception as exc:
            log.error("audit write failed", exc_info=True)
            fut.set_exception(StoreError(f"audit store write failed ({type(exc).__name__})"))
            return
        fut.set_result(result)


def _fetched(result: Any, n: int) -> list[dict[str, Any] | None]:
    """A write's result as ``add_suggestions_committed`` returns it (a plain insert: all new)."""
    return result if isinstance(result, list) else [None] * n


class AuditStore:
    """Writes suggestions and outcomes (grouped, committed before the caller is answered) and
    reads them back for outcomes, tests and the retraining export."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.engine = make_engine(db_url)
        self._writer: _GroupWriter | None = None
        self._commit_waiter: CommitWaiter | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def open(self) -> None:
        """Apply migrations and start the writer."""
        migrate(self.engine)
        self._writer = _GroupWriter(self.engine)

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

    def _submit(self, write: _Write, ticket: _Ticket | None = None) -> Future[Any]:
        if self._writer is None:
            raise StoreError("the audit store is not open")
        return self._writer.submit(write, ticket)

    # -- writes ------------------------------------------------------------------------------

    def add_suggestions(self, rows: Sequence[SuggestionRow]) -> Future[int]:
        """Store ``rows`` in ONE transaction; the future resolves after the commit."""
        return self._submit(_InsertSuggestions([r.as_params() for r in rows]))

    async def add_suggestions_committed(
        self, rows: Sequence[SuggestionRow], timeout: float
    ) -> list[dict[str, Any] | None]:
        """``add_suggestions``, awaited on the running event loop: returns once the rows are
        committed. Completions reach the loop once per committed group, not once per request
        (``service.audit_wait``).

        Rows that carry a ``request_id`` are idempotent (``_InsertOrFetch``): the result holds,
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
        ticket = _Ticket()
        params = [r.as_params() for r in rows]
        write: _Write = (
            _InsertOrFetch(params) if any(r.request_id is not None for r in rows)
            else _InsertSuggestions(params)
        )
        fut = self._submit(write, ticket)
        waiter = waiter_for(self, "_commit_waiter")
        try:
            async with asyncio.timeout(timeout):
                return _fetched(await waiter.wrap(fut), len(rows))
        except TimeoutError:
            if self._writer is None or self._writer.abandon(ticket):
                fut.cancel()  # not started yet: the writer skips it
                raise
        # The commit is under way: its outcome is this request's answer.
        try:
            async with asyncio.timeout(timeout):
                result = _fetched(await waiter.wrap(fut), len(rows))
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
                    recorded_at=_aware(row.recorded_at),
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
                    yield _export_row(row)
                except (ValueError, TypeError, OverflowError, orjson.JSONDecodeError) as exc:
                    why = _first_line(exc)
                    log.warning("audit export: stored suggestion %s not exported: %s",
                                row.id, why)
                    if skipped is not None:
                        skipped.append(f"{row.id}: {why}")


def _first_line(exc: Exception) -> str:
    text = str(exc).encode("utf-8", "backslashreplace").decode("utf-8")
    return f"{type(exc).__name__}: {' '.join(text.split())[:300]}"


def _export_row(row: Any) -> dict[str, Any]:
    """One stored suggestion with its outcome as an export row, checked by ``ExportRow``.

    Raises:
        ValueError (pydantic's ValidationError), TypeError, OverflowError,
        orjson.JSONDecodeError: the stored row does not make a valid export row.
    """
    req = orjson.loads(row.request_json)
    if not isinstance(req, dict):
        raise TypeError(f"request_json holds a {type(req).__name__}, not an object")
    if not req.get("request_id"):
        req["request_id"] = f"audit-{row.id}"
    received = req.get("received_at")
    ts = _aware(datetime.fromisoformat(str(received))) if received else _aware(row.created_at)
    req["received_at"] = ts.astimezone(UTC).replace(tzinfo=None)
    req["disposition"] = row.final_disposition
    checked = ExportRow.model_validate(req)
    out: dict[str, Any] = checked.model_dump(mode="json")
    out["received_at"] = req["received_at"]
    out["suggested"] = row.suggestion
    out["model_version"] = row.model_version
    out["unfamiliar_wording"] = bool(row.unfamiliar_wording)
    out["unfamiliar_reason"] = row.unfamiliar_reason
    return out


#: A CSV cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = r"^[=+\-@\t\r]"


#: Columns the audit export adds after the loader's own (the loader reports and ignores them,
#: so the file still trains; ``triage impact`` reads ``suggested`` to show how often handlers
#: followed the suggestions).
AUDIT_EXPORT_COLUMNS: dict[str, Any] = {
    "suggested": pl.String,
    "model_version": pl.String,
    "unfamiliar_wording": pl.Boolean,
    "unfamiliar_reason": pl.String,
}


def export_frame(rows: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """Export rows -> a frame in the loader's schema (``polars_schema(ExportRow)``), followed
    by ``AUDIT_EXPORT_COLUMNS``."""
    schema = {**polars_schema(ExportRow), **AUDIT_EXPORT_COLUMNS}
    columns = {name: [r.get(name) for r in rows] for name in schema}
    return pl.DataFrame(columns, schema=schema)


def neutralise_formulas(df: pl.DataFrame) -> pl.DataFrame:
    """Prefix ``'`` to every text cell a spreadsheet would run as a formula (OWASP CSV
    injection): a narrative is typed by whoever called the police."""
    text = [name for name, dtype in df.schema.items() if dtype == pl.String]
    return df.with_columns(
        pl.when(pl.col(name).str.contains(_FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def write_export(df: pl.DataFrame, out: Path) -> None:
    """CSV or Parquet by the file's ending, written to a private temp file (O_EXCL, 0600,
    unpredictable name) in the target folder, fsync'd, then renamed over ``out``. CSV text
    that would run as a spreadsheet formula is neutralised (``neutralise_formulas``)."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise StoreError(f"The export file must end in .csv or .parquet; got {out.name!r}.")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), EXPORT_FILE_MODE)
            if suffix == ".csv":
                neutralise_formulas(df).write_csv(fh)
            else:
                df.write_parquet(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
