"""The audit store and the REAL service on PostgreSQL (TRIAGE_TEST_PG_URL).

Run with ``bash scripts/with-test-postgres.sh .venv/bin/pytest tests/test_store_pg.py`` (the
Makefile's ``make test`` always does). Without TRIAGE_TEST_PG_URL these tests FAIL, never skip:
a skipped PostgreSQL path would let a broken shared store ship unnoticed.

Each test works in a fresh schema of its own (``search_path`` in the URL), so parallel xdist
workers never see each other's tables. Data is synthetic.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pg_support import pg_schema_url
from service_support import SAMPLE_REQUEST, Load, make_env, running
from service_support import sample_row as row

from service.store import AuditStore, OutcomeStatus
from service.store_db import current_revision, head_revision
from service.store_export import export_frame, write_export
from triage.history.loader import load_export
from triage.schema import Disposition

pytestmark = [pytest.mark.postgres, pytest.mark.xdist_group("postgres")]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema, dropped afterwards (plain ``postgresql://``
    on purpose: the store must map it to the psycopg 3 driver)."""
    with pg_schema_url() as url:
        yield url


def test_pg_migrations_concurrent_starts_and_outcomes(pg_url: str, tmp_path: Path) -> None:
    stores = [AuditStore(pg_url) for _ in range(3)]
    errors: list[BaseException] = []

    def open_store(s: AuditStore) -> None:
        try:
            s.open()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=open_store, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = stores[0]
    try:
        assert store.dialect == "postgresql"
        assert current_revision(store.engine) == head_revision()

        day = datetime.now(UTC) - timedelta(hours=1)
        rows = [row(when=day), row(when=day + timedelta(minutes=1))]
        assert store.add_suggestions(rows).result(timeout=30) == 2
        first = store.record_outcome(rows[0].id, Disposition.HEAR_AND_TREAT, "n", "desk-1")
        assert first.result(timeout=30).status is OutcomeStatus.RECORDED
        again = store.record_outcome(rows[0].id, Disposition.DEPLOY, None, "desk-1")
        res = again.result(timeout=30)
        assert res.status is OutcomeStatus.ALREADY_RECORDED
        assert res.final_disposition == "hear_and_treat"
        unknown = store.record_outcome(str(uuid.uuid4()), Disposition.DEPLOY, None, "x")
        assert unknown.result(timeout=30).status is OutcomeStatus.UNKNOWN_SUGGESTION

        out = tmp_path / "pg_export.parquet"
        write_export(export_frame(list(store.iter_labelled(day.date()))), out)
        loaded = load_export(out, write_rejects=False)
        assert loaded.frame.height == 1
        assert loaded.frame["disposition"].cast(str).to_list() == ["hear_and_treat"]
    finally:
        for s in stores:
            s.close()


def test_real_service_on_postgres(pg_url: str, tmp_path: Path,
                                  trained_models_dir: Path) -> None:
    env = make_env(tmp_path, trained_models_dir, db_url=pg_url)
    with running(env, "pg") as srv, srv.client() as client:
        handler = env.keys.auth("handler")
        r = client.post("/v1/triage", json=SAMPLE_REQUEST, headers=handler)
        assert r.status_code == 200, r.text
        sid = r.json()["id"]
        r = client.post("/v1/triage/batch", json={"requests": [SAMPLE_REQUEST] * 3},
                        headers=env.keys.auth("analyst"))
        assert r.status_code == 200
        batch_ids = [x["id"] for x in r.json()["results"]]
        r = client.post(f"/v1/triage/{sid}/outcome", json={"final_disposition": "deploy"},
                        headers=handler)
        assert r.status_code == 200
        r = client.post(f"/v1/triage/{sid}/outcome", json={"final_disposition": "deploy"},
                        headers=handler)
        assert r.status_code == 409
        with Load(srv, threads=2) as load:
            load.wait_for(60)
            srv.kill9()
            load.stop()
    acknowledged = [sid, *batch_ids, *load.ids]
    assert len(load.ids) >= 40
    store = AuditStore(pg_url)
    try:
        assert store.existing_ids(acknowledged) == set(acknowledged)
        outcome = store.get_outcome(sid)
        assert outcome is not None and outcome["final_disposition"] == "deploy"
    finally:
        store.engine.dispose()
