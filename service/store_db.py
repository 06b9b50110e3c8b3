"""The audit store's database: its tables, its engine, its migrations.

SQLAlchemy 2 Core over SQLite (default) or PostgreSQL (``postgresql://`` is mapped to the
psycopg 3 driver). The schema is managed by Alembic migrations shipped in ``service/migrations``
and applied by :func:`migrate` when the service starts (``triage audit migrate`` runs them
alone); on PostgreSQL an advisory lock serialises concurrent starts, on SQLite a file lock.
A SQLite audit file is created 0600 (its -wal and -shm inherit that mode from SQLite), and an
existing one readable by other local users is tightened. The store itself is
:mod:`service.store`.
"""

from __future__ import annotations

import logging
import os
import stat
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from triage.files import locked

log = logging.getLogger("service.store")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
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


def alembic_config(connection: Connection) -> Config:
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


def _sqlite_migration_lock(engine: Engine) -> AbstractContextManager[None]:
    """Serialise migrations of one SQLite file across processes (``--workers N`` start
    together) with an exclusive lock on a file beside it."""
    database = engine.url.database or ""
    return locked(Path(database).expanduser().with_name(Path(database).name + ".migrate-lock"))


def migrate(engine: Engine) -> str:
    """Bring the schema to the newest migration; return the revision now in place.

    Concurrent starts are serialised: a PostgreSQL advisory lock, or a file lock for SQLite."""
    if engine.dialect.name == "sqlite":
        with _sqlite_migration_lock(engine), engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
    else:
        with engine.begin() as conn:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_MIGRATION_LOCK})
            command.upgrade(alembic_config(conn), "head")
    rev = current_revision(engine)
    log.info("audit store schema at revision %s", rev)
    return rev or ""
