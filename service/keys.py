"""API keys: names, roles and sha256 hashes, never the keys themselves.

A key is shown once, when it is made (``triage keys add``); the keys file keeps only its sha256
hash, so a copy of the file lets nobody call the service. Hashes are compared with
``hmac.compare_digest`` against every stored hash (no early exit), so the time a lookup takes says
nothing about how close a guess was. The key's NAME is what the audit store and the logs record.

File format (JSON, written atomically with mode 0600)::

    {"version": 1, "keys": [{"name": "desk-1", "role": "handler",
                             "sha256": "<hex>", "created": "2026-11-21T23:50:00+00:00"}]}
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

KEYS_FILE_VERSION = 1
#: Key names appear in logs and the audit: short, plain identifiers only.
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
#: How often a running service re-reads the keys file (so ``keys add``/``revoke`` take effect
#: without a restart) at most.
RECHECK_SECONDS = 1.0


class Role(StrEnum):
    """What a key may do. ``admin`` may do everything."""

    HANDLER = "handler"
    ANALYST = "analyst"
    ADMIN = "admin"


class KeyError_(Exception):
    """A keys-file problem a user can fix (bad name, duplicate, unreadable file)."""


@dataclass(frozen=True, slots=True)
class KeyRecord:
    name: str
    role: Role
    sha256: str
    created: str


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's name and role (the key itself is never kept)."""

    name: str
    role: Role


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _parse(path: Path, text: str) -> list[KeyRecord]:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KeyError_(
            f"The keys file {path} is not valid JSON: {exc.msg} at line {exc.lineno}."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeyError_(f"The keys file {path} must be an object with a 'keys' list.")
    records: list[KeyRecord] = []
    for i, item in enumerate(data["keys"]):
        try:
            records.append(
                KeyRecord(
                    name=str(item["name"]),
                    role=Role(item["role"]),
                    sha256=str(item["sha256"]),
                    created=str(item.get("created", "")),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise KeyError_(
                f"Entry {i} of the keys file {path} is invalid ({exc!r}); each entry needs "
                f"name, role ({', '.join(r.value for r in Role)}) and sha256."
            ) from exc
    return records


def read_keys(path: Path) -> list[KeyRecord]:
    """The stored key records; an absent file means no keys yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise KeyError_(f"Cannot read the keys file {path}: {exc.strerror}.") from exc
    return _parse(path, text)


def write_keys(path: Path, records: list[KeyRecord]) -> None:
    """Write atomically (temp file in the same folder, fsync, rename) with mode 0600."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "version": KEYS_FILE_VERSION,
        "keys": [
            {"name": r.name, "role": r.role.value, "sha256": r.sha256, "created": r.created}
            for r in records
        ],
    }
    fd, tmp = tempfile.mkstemp(prefix=".keys-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh, indent=2)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextmanager
def _keys_file_locked(path: Path) -> Iterator[None]:
    """Serialise read-modify-write of the keys file across processes (``keys add`` and
    ``keys revoke`` run at once must not bring back a revoked key or lose a new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+") as lock_fh:
        fcntl.flock(lock_fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_fh.fileno(), fcntl.LOCK_UN)


def add_key(path: Path, name: str, role: Role | str) -> str:
    """Make a new key for ``name``, store its hash, and return the key (shown once)."""
    if not NAME_PATTERN.match(name):
        raise KeyError_(
            f"Key name {name!r} is not allowed: use 1..64 letters, digits, '_', '.', '@' or '-', "
            "starting with a letter or digit."
        )
    try:
        role = Role(role)
    except ValueError:
        raise KeyError_(
            f"Role {role!r} is not one of {', '.join(r.value for r in Role)}."
        ) from None
    with _keys_file_locked(path):
        records = read_keys(path)
        if any(r.name == name for r in records):
            raise KeyError_(
                f"A key named {name!r} already exists; revoke it first or pick another."
            )
        key = secrets.token_urlsafe(32)
        created = datetime.now(UTC).isoformat(timespec="seconds")
        records.append(KeyRecord(name=name, role=role, sha256=hash_key(key), created=created))
        write_keys(path, records)
    return key


def revoke_key(path: Path, name: str) -> None:
    with _keys_file_locked(path):
        records = read_keys(path)
        kept = [r for r in records if r.name != name]
        if len(kept) == len(records):
            known = ", ".join(r.name for r in records) or "none"
            raise KeyError_(f"No key named {name!r} (known: {known}).")
        write_keys(path, kept)


class KeyRing:
    """The service's view of the keys file, re-read when the file changes (checked at most once
    a second), so that adding or revoking a key needs no restart."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._records: tuple[KeyRecord, ...] = ()
        self._hashes: tuple[bytes, ...] = ()
        self._stamp: tuple[int, int] | None = None
        self._checked = 0.0
        self.refresh(force=True)

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < RECHECK_SECONDS:
            return
        with self._lock:
            self._checked = now
            stamp = self._file_stamp()
            if not force and stamp == self._stamp:
                return
            records = tuple(read_keys(self.path)) if stamp is not None else ()
            self._records = records
            self._hashes = tuple(r.sha256.encode("ascii") for r in records)
            self._stamp = stamp

    def authenticate(self, key: str) -> Principal | None:
        """The key's principal, or None. Compares against every stored hash, without early
        exit."""
        # A keys file broken while the service runs: keep the last good keys (refusing every
        # key would take the service down; ``triage keys`` refuses to write a broken file).
        with contextlib.suppress(KeyError_):
            self.refresh()
        digest = hash_key(key).encode("ascii")
        found: KeyRecord | None = None
        for record, stored in zip(self._records, self._hashes, strict=True):
            if hmac.compare_digest(digest, stored):
                found = record
        return Principal(found.name, found.role) if found is not None else None

    def __len__(self) -> int:
        return len(self._records)
