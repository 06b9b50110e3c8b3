"""The audit store's one writer thread: queued writes committed in groups, each caller
answered only after its own commit.

Why one writer thread: SQLite allows one writer at a time anyway, the thread keeps the event
loop free, and grouping turns N concurrent fsyncs into one. A write whose caller stopped
waiting is never committed afterwards (its :class:`Ticket`); when the thread has died, every
write fails at once. Used by :class:`service.store.AuditStore`.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from service.store_db import StoreError, suggestions

log = logging.getLogger("service.store")

#: Most writes committed together in one transaction (a batch counts as one write).
MAX_GROUP = 256


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


Write = Callable[[Connection], Any]
_STOP = object()

_QUEUED, _COMMITTING, _ABANDONED = 0, 1, 2


class Ticket:
    """Whether a write's caller still waits for it: QUEUED until the writer is about to commit
    it (then COMMITTING), or ABANDONED by a caller that gave up first (then never committed)."""

    __slots__ = ("state",)

    def __init__(self) -> None:
        self.state = _QUEUED


class _Abandoned(Exception):
    """A write in the group was abandoned before the commit: roll back, commit the rest."""


Item = tuple[Write, Future[Any], Ticket | None]


class InsertSuggestions:
    """A write of suggestion rows. The writer merges every such write of a group into ONE
    multi-row INSERT (per-statement overhead dominated the writer's CPU time otherwise)."""

    __slots__ = ("params",)

    def __init__(self, params: list[dict[str, Any]]) -> None:
        self.params = params

    def __call__(self, conn: Connection) -> int:
        conn.execute(suggestions.insert(), self.params)
        return len(self.params)


class InsertOrFetch:
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


class GroupWriter:
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

    def submit(self, write: Write, ticket: Ticket | None = None) -> Future[Any]:
        fut: Future[Any] = Future()
        with self._gate:
            if self._dead:
                raise StoreError("the audit store's writer has stopped")
            self._queue.put((write, fut, ticket))
        return fut

    def abandon(self, ticket: Ticket) -> bool:
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

    def _drain(self, first: Any) -> tuple[list[Item], bool]:
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

    def _claim(self, items: list[Item]) -> list[Item]:
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
    def _fail_abandoned(dropped: list[Item]) -> None:
        for _, fut, _ in dropped:
            fut.set_exception(StoreError("abandoned by its caller before the commit; not stored"))

    def _commit_group(self, items: list[Item]) -> None:
        while items:
            try:
                with self._engine.begin() as conn:
                    rows = [p for w, _, _ in items if isinstance(w, InsertSuggestions)
                            for p in w.params]
                    if rows:
                        conn.execute(suggestions.insert(), rows)
                    results = [
                        len(write.params) if isinstance(write, InsertSuggestions)
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

    def _commit_one(self, item: Item) -> None:
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


def fetched(result: Any, n: int) -> list[dict[str, Any] | None]:
    """A write's result as ``add_suggestions_committed`` returns it (a plain insert: all new)."""
    return result if isinstance(result, list) else [None] * n
