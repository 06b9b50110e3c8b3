"""The audit store on SQLite: migrations, durability settings, group commit, outcomes, export.

Data here is synthetic (made up in the test).
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from service_support import sample_row
from typer.testing import CliRunner

from service.store import (
    AuditStore,
    OutcomeStatus,
    StoreError,
    SuggestionRow,
    new_id,
)
from service.store_db import current_revision, head_revision, metadata, normalise_db_url
from triage.history.loader import load_export
from triage.schema import Disposition, TriageRequest
from triage_cli.main import app

row = sample_row


@pytest.fixture
def store(tmp_path: Path):
    s = AuditStore(f"sqlite:///{tmp_path / 'nested' / 'audit.db'}")
    s.open()
    yield s
    s.close()


def test_url_mapping() -> None:
    assert normalise_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("sqlite://", "in-memory SQLite"),
        ("sqlite:///:memory:", "in-memory SQLite"),
        ("mysql://u@h/db", "neither sqlite"),
    ],
)
def test_bad_urls_are_refused(url: str, match: str) -> None:
    with pytest.raises(StoreError, match=match):
        AuditStore(url)


def test_migrated_schema_matches_the_tables_the_code_uses(store: AuditStore) -> None:
    assert current_revision(store.engine) == head_revision()
    insp = sa.inspect(store.engine)
    for table in metadata.sorted_tables:
        live = {c["name"] for c in insp.get_columns(table.name)}
        assert live == {c.name for c in table.columns}, table.name
    # Migrating again is a no-op.
    store2 = AuditStore(store.db_url)
    store2.open()
    store2.close()
    assert current_revision(store.engine) == head_revision()


def test_sqlite_is_wal_with_full_sync(store: AuditStore) -> None:
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_rows_are_committed_when_the_future_resolves(store: AuditStore) -> None:
    r = row()
    assert store.add_suggestions([r]).result(timeout=10) == 1
    # A separate engine (another connection) sees it: it is committed, not just written.
    other = sa.create_engine(store.db_url)
    with other.connect() as conn:
        got = conn.execute(sa.text("SELECT key_name, suggestion FROM suggestions WHERE id=:i"),
                           {"i": r.id}).one()
    other.dispose()
    assert tuple(got) == ("desk-1", "deploy")


def test_concurrent_writes_are_grouped_and_all_committed(store: AuditStore) -> None:
    rows = [row() for _ in range(400)]
    futures: list[Future[int]] = []
    lock = threading.Lock()

    def submit(chunk: list[SuggestionRow]) -> None:
        for r in chunk:
            f = store.add_suggestions([r])
            with lock:
                futures.append(f)

    threads = [threading.Thread(target=submit, args=(rows[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(f.result(timeout=30) for f in futures) == 400
    assert store.existing_ids([r.id for r in rows]) == {r.id for r in rows}


def test_a_write_given_up_before_it_ran_does_not_stop_the_writer(store: AuditStore) -> None:
    """A caller that times out cancels its write's future; the writer must skip that write and
    keep serving every later one (a dead writer would refuse all suggestions)."""
    started, release = threading.Event(), threading.Event()

    def slow_write(conn: sa.Connection) -> int:
        started.set()
        release.wait(10)
        return 0

    blocker = store._submit(slow_write)
    assert started.wait(10)
    abandoned = store.add_suggestions([row()])
    assert abandoned.cancel()  # the caller gave up while the writer was busy
    release.set()
    assert blocker.result(timeout=10) == 0
    later = row()
    assert store.add_suggestions([later]).result(timeout=10) == 1
    assert store.writer_alive
    assert store.existing_ids([later.id]) == {later.id}


def test_a_failing_batch_is_all_or_none_and_fails_alone(store: AuditStore) -> None:
    dup = new_id()
    good = row()
    bad_batch = [row(sid=dup), row(), row(sid=dup)]  # duplicate primary key inside the batch
    f_bad = store.add_suggestions(bad_batch)
    f_good = store.add_suggestions([good])
    with pytest.raises(StoreError, match="audit store write failed"):
        f_bad.result(timeout=10)
    assert f_good.result(timeout=10) == 1
    assert store.existing_ids([r.id for r in bad_batch]) == set()
    assert store.existing_ids([good.id]) == {good.id}


def test_outcomes_are_recorded_once(store: AuditStore) -> None:
    r = row(suggestion="deploy")
    store.add_suggestions([r]).result(timeout=10)
    first = store.record_outcome(r.id, Disposition.CLINICAL_ADVICE, "synthetic note", "desk-1")
    res = first.result(timeout=10)
    assert res.status is OutcomeStatus.RECORDED
    assert (res.suggested, res.final_disposition) == ("deploy", "clinical_advice")
    second = store.record_outcome(r.id, Disposition.DEPLOY, None, "desk-2").result(timeout=10)
    assert second.status is OutcomeStatus.ALREADY_RECORDED
    assert second.final_disposition == "clinical_advice"  # the first stands
    stored = store.get_outcome(r.id)
    assert stored is not None
    assert stored["final_disposition"] == "clinical_advice"
    assert stored["note"] == "synthetic note"
    assert stored["key_name"] == "desk-1"
    missing = store.record_outcome(new_id(), Disposition.DEPLOY, None, "x").result(timeout=10)
    assert missing.status is OutcomeStatus.UNKNOWN_SUGGESTION


def test_export_writes_only_labelled_rows_that_the_loader_accepts(
    store: AuditStore, tmp_path: Path
) -> None:
    day = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    with_ref = TriageRequest(
        narrative="SYNTHETIC: male 20s stab wound to abdomen, conscious, bleeding heavily",
        incident_type="assault", age=24, sex="male", bleeding="severe",
        request_id="CAD-SYN-1", received_at=day - timedelta(minutes=3),
    )
    rows = [
        row(when=day, request=with_ref),
        row(when=day + timedelta(hours=1)),  # no request_id / received_at in the request
        row(when=day + timedelta(hours=2)),  # no outcome: not exported
        row(when=day - timedelta(days=3)),  # before --since
        row(when=day + timedelta(days=2)),  # after --until
    ]
    store.add_suggestions(rows).result(timeout=10)
    finals = [Disposition.DEPLOY, Disposition.HEAR_AND_TREAT, None, Disposition.DEPLOY,
              Disposition.CLINICAL_ADVICE]
    for r, final in zip(rows, finals, strict=True):
        if final is not None:
            store.record_outcome(r.id, final, None, "desk-1").result(timeout=10)

    runner = CliRunner()
    for suffix in ("csv", "parquet"):
        out = tmp_path / f"export.{suffix}"
        res = runner.invoke(
            app,
            ["audit", "export", "--since", "2026-11-19", "--until", "2026-11-21",
             "--out", str(out), "--db-url", store.db_url],
        )
        assert res.exit_code == 0, res.output
        assert "Wrote 2 requests" in res.stdout
        assert "1 suggestions in the period have no recorded outcome" in res.stdout
        loaded = load_export(out, write_rejects=False)
        assert loaded.rejects == []
        frame = loaded.frame.sort("received_at")
        assert frame.height == 2
        assert frame["request_id"].to_list() == ["CAD-SYN-1", f"audit-{rows[1].id}"]
        assert frame["disposition"].cast(str).to_list() == ["deploy", "hear_and_treat"]
        assert frame["age"].to_list()[0] == 24
        assert frame["received_at"].to_list()[0] == (day - timedelta(minutes=3)).replace(
            tzinfo=None)


@pytest.mark.parametrize(
    ("args", "match", "code"),
    [
        (["--since", "21/11/2026", "--out", "x.csv"], "--since must be a date", 2),
        (["--since", "2026-11-21", "--until", "2026-11-01", "--out", "x.csv"], "is before", 2),
        (["--since", "2026-11-21", "--out", "x.json"], "must end in .csv or .parquet", 2),
    ],
)
def test_export_cli_errors(tmp_path: Path, args: list[str], match: str, code: int) -> None:
    res = CliRunner().invoke(
        app, ["audit", "export", *args, "--db-url", f"sqlite:///{tmp_path / 'a.db'}"]
    )
    assert res.exit_code == code
    assert match in res.output
    assert "Traceback" not in res.output


def test_migrate_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    res = CliRunner().invoke(app, ["audit", "migrate", "--db-url", url])
    assert res.exit_code == 0, res.output
    assert f"revision {head_revision()}" in res.stdout
    assert "was empty" in res.stdout
