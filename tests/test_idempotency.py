"""Idempotent requests: a request carrying ``request_id`` and retried (by a proxy, a CAD system,
a handler pressing twice; at once or later; on any replica) returns the same suggestion and
stores one record; the same id with a different request is 409 naming the field.

Both stores (SQLite and PostgreSQL), the store alone and the REAL service under uvicorn.
Synthetic data only.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from pg_support import pg_schema_url
from service_support import SAMPLE_REQUEST, Server, ServerEnv, make_env, running, sample_row

from service.schemas import RequestIdConflictOut, TriageResponse
from service.store import AuditStore, RequestIdConflict, SuggestionRow
from triage.schema import TriageRequest

STORE_TIMEOUT = 30.0


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=[
    pytest.mark.postgres, pytest.mark.xdist_group("postgres")])])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'audit.db'}"
        return
    with pg_schema_url() as url:
        yield url


def keyed_row(request_id: str, narrative: str = "SYNTHETIC: male 40s fell, c/b",
              key_name: str = "desk-1") -> SuggestionRow:
    req = TriageRequest(narrative=narrative, request_id=request_id)
    return replace(sample_row(request=req), key_name=key_name, request_id=request_id)


def count(store: AuditStore) -> int:
    return store.count_suggestions()


def test_store_inserts_once_and_returns_the_stored_row_to_a_retry(db_url: str) -> None:
    store = AuditStore(db_url)
    store.open()
    try:
        first = keyed_row("CAD-1")
        assert asyncio.run(store.add_suggestions_committed([first], STORE_TIMEOUT)) == [None]
        retry = keyed_row("CAD-1")  # the same request, a new suggestion id
        [stored] = asyncio.run(store.add_suggestions_committed([retry], STORE_TIMEOUT))
        assert stored is not None and stored["id"] == first.id
        assert count(store) == 1
        # Another key may use the same reference (each CAD system numbers its own incidents).
        other = keyed_row("CAD-1", key_name="desk-2")
        assert asyncio.run(store.add_suggestions_committed([other], STORE_TIMEOUT)) == [None]
        # Without a request_id nothing is deduplicated.
        plain = [sample_row(), sample_row()]
        assert asyncio.run(store.add_suggestions_committed(plain, STORE_TIMEOUT)) == [None, None]
        assert count(store) == 4

        # The same id with a different request: refused, and a batch holding it stores nothing.
        changed = keyed_row("CAD-1", narrative="SYNTHETIC: female 80s not breathing")
        batch = [keyed_row("CAD-2"), changed]
        with pytest.raises(RequestIdConflict) as caught:
            asyncio.run(store.add_suggestions_committed(batch, STORE_TIMEOUT))
        assert caught.value.index == 1 and caught.value.differing == ["narrative"]
        assert caught.value.existing_id == first.id
        assert count(store) == 4
        assert store.existing_ids([batch[0].id]) == set()
        # The writer lives on: the next write works.
        assert asyncio.run(store.add_suggestions_committed([keyed_row("CAD-2")], STORE_TIMEOUT)) \
            == [None]
    finally:
        store.close()


def test_concurrent_duplicates_on_two_stores_store_one_record(db_url: str) -> None:
    """Two stores on one database (as two replicas, or two workers, have): 2 x 8 copies of the
    same request sent at once store one record, and every copy gets it back."""
    stores = [AuditStore(db_url), AuditStore(db_url)]
    for store in stores:
        store.open()
    try:
        barrier = threading.Barrier(16)
        answers: list[str] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def send(store: AuditStore) -> None:
            row = keyed_row("CAD-RACE")
            barrier.wait(timeout=30)
            try:
                [stored] = asyncio.run(store.add_suggestions_committed([row], STORE_TIMEOUT))
            except BaseException as exc:
                with lock:
                    errors.append(exc)
                return
            with lock:
                answers.append(row.id if stored is None else stored["id"])

        threads = [threading.Thread(target=send, args=(stores[i % 2],)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert errors == []
        assert len(answers) == 16 and len(set(answers)) == 1
        assert count(stores[0]) == 1
        assert stores[0].existing_ids(answers[:1]) == set(answers)
    finally:
        for store in stores:
            store.close()


def _post(server: Server, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{server.url}/v1/triage", json=body,
                      headers=server.env.keys.auth("handler"), timeout=30)


def _stored(env: ServerEnv) -> int:
    store = AuditStore(env.db_url)
    try:
        return store.count_suggestions()
    finally:
        store.engine.dispose()


@pytest.mark.slow
def test_service_retry_gets_the_same_suggestion_and_one_record(
    tmp_path: Path, trained_models_dir: Path, db_url: str
) -> None:
    env = make_env(tmp_path, trained_models_dir, db_url)
    with running(env, "idem") as srv:
        body = {**SAMPLE_REQUEST, "request_id": "CAD-2026-000123"}
        first = _post(srv, body)
        assert first.status_code == 200, first.text
        assert "idempotent-replayed" not in first.headers
        again = _post(srv, {**body, "narrative": "  " + body["narrative"] + " "})  # same once read
        assert again.status_code == 200
        assert again.headers["idempotent-replayed"] == "true"
        assert again.json() == first.json()  # the same suggestion, the same id, every field
        TriageResponse.model_validate(again.json())
        assert _stored(env) == 1

        # Two copies at once (a handler double-clicking): one record, one answer.
        twin = {**SAMPLE_REQUEST, "request_id": "CAD-2026-000124"}
        barrier = threading.Barrier(2)
        replies: list[httpx.Response] = []

        def send() -> None:
            barrier.wait(timeout=30)
            replies.append(_post(srv, twin))

        threads = [threading.Thread(target=send) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert [r.status_code for r in replies] == [200, 200]
        assert replies[0].json()["id"] == replies[1].json()["id"]
        assert _stored(env) == 2

        # The same id with a different request: 409 naming the field and what differs.
        clash = _post(srv, {**body, "age": 80})
        assert clash.status_code == 409
        conflict = RequestIdConflictOut.model_validate(clash.json()).detail
        assert conflict.field == "request_id"
        assert conflict.differing_fields == ["age"]
        assert conflict.existing_id == first.json()["id"]
        assert "request_id" in conflict.message and "age" in conflict.message
        assert _stored(env) == 2

        # A batch: a stored id is answered from the store; a clash refuses the whole batch.
        batch = {"requests": [body, {**SAMPLE_REQUEST, "request_id": "CAD-2026-000125"}]}
        r = httpx.post(f"{srv.url}/v1/triage/batch", json=batch,
                       headers=env.keys.auth("handler"), timeout=30)
        assert r.status_code == 200, r.text
        results = r.json()["results"]
        assert results[0] == first.json()
        assert _stored(env) == 3
        again = httpx.post(f"{srv.url}/v1/triage/batch", json=batch,
                           headers=env.keys.auth("handler"), timeout=30)
        assert again.json()["results"] == results
        bad = {"requests": [{**SAMPLE_REQUEST, "request_id": "CAD-2026-000126"},
                            {**body, "narrative": "SYNTHETIC: another patient"}]}
        r = httpx.post(f"{srv.url}/v1/triage/batch", json=bad,
                       headers=env.keys.auth("handler"), timeout=30)
        assert r.status_code == 409
        assert r.json()["detail"]["field"] == "requests.1.request_id"
        assert _stored(env) == 3  # all or none
        metrics = httpx.get(f"{srv.url}/metrics", timeout=10).text
        assert 'triage_idempotent_replays_total{route="/v1/triage"} 2.0' in metrics
        assert 'triage_idempotent_replays_total{route="/v1/triage/batch"} 3.0' in metrics


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.xdist_group("postgres")
def test_two_replicas_on_one_store_answer_a_retry_alike(
    tmp_path: Path, trained_models_dir: Path
) -> None:
    """The same request sent to two replicas at once, and then again to each: one record."""
    with pg_schema_url() as url:
        env = make_env(tmp_path, trained_models_dir, url)
        with running(env, "replica-a") as a, running(env, "replica-b") as b:
            ids: list[str] = []
            for n in range(5):
                body = {**SAMPLE_REQUEST, "request_id": f"CAD-X-{n}"}
                barrier = threading.Barrier(2)
                replies: list[httpx.Response] = []

                def send(server: Server, body: dict[str, Any] = body,
                         barrier: threading.Barrier = barrier,
                         replies: list[httpx.Response] = replies) -> None:
                    barrier.wait(timeout=30)
                    replies.append(_post(server, body))

                threads = [threading.Thread(target=send, args=(s,)) for s in (a, b)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join(timeout=60)
                assert [r.status_code for r in replies] == [200, 200]
                assert replies[0].json() == replies[1].json()
                assert _post(a, body).json() == _post(b, body).json() == replies[0].json()
                ids.append(replies[0].json()["id"])
            assert len(set(ids)) == 5
            assert _stored(env) == 5
