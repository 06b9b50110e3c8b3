"""API keys: names, roles and sha256 hashes, never the keys themselves.

A key is shown once, when it is made (``triage keys add``); the keys file keeps only its sha256
hash, so a copy of the file lets nobody call the service. Hashes are compared with
``hmac.compare_digest`` against every stored hash (no early exit), so the time a lookup takes says
nothing about how close a guess was. The key's NAME is what the audit store and the logs record.

Fail closed: when the keys file cannot be read or parsed, the service accepts NO key (every keyed
route answers 503 naming the problem in the log, and ``/readyz`` is not ready) until the file is
fixed; it never keeps using keys it read before (a revoked key must stop working).

File format (JSON, written atomically; a rewrite keeps the file's mode, group and (as root) owner,
so that ``triage keys`` run by an operator never locks out a service running under its own
account; a new file is made 0640 with its folder's group)::

    {"version": 1, "keys": [{"name": "desk-1", "role": "handler",
                             "sha256": "<hex>", "created": "2026-11-21T23:50:00+00:00"}]}
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import stat
import threading
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from triage.files import atomic_write, locked

log = logging.getLogger(__name__)

KEYS_FILE_VERSION = 1
#: Mode of a NEW keys file (a rewrite keeps the existing file's mode): the service's group may
#: read the hashes, other local users may not.
NEW_FILE_MODE = 0o640
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


class KeysFileError(Exception):
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
        raise KeysFileError(
            f"The keys file {path} is not valid JSON: {exc.msg} at line {exc.lineno}."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list):
        raise KeysFileError(f"The keys file {path} must be an object with a 'keys' list.")
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
            if not re.fullmatch(r"[0-9a-f]{64}", records[-1].sha256):
                raise ValueError("sha256 must be 64 lower-case hex digits")
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise KeysFileError(
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
        raise KeysFileError(f"Cannot read the keys file {path}: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise KeysFileError(f"The keys file {path} is not UTF-8 text ({exc.reason}).") from exc
    return _parse(path, text)


def _ownership(path: Path) -> tuple[int, int, int]:
    """(mode, uid, gid) the keys file must have after a rewrite: the existing file's, or for a
    new file ``NEW_FILE_MODE``, the caller and the folder's group."""
    try:
        st = path.stat()
        return stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid
    except FileNotFoundError:
        return NEW_FILE_MODE, os.geteuid(), path.parent.stat().st_gid


def write_keys(path: Path, records: list[KeyRecord]) -> None:
    """Write atomically (temp file in the same folder, fsync, rename), keeping the file's mode,
    group and, when run as root, owner.

    Raises:
        KeysFileError: the new file could not be given the old one's group (the caller is not in
            it): the old file is left unchanged rather than replaced by one the service may
            not be able to read.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "version": KEYS_FILE_VERSION,
        "keys": [
            {"name": r.name, "role": r.role.value, "sha256": r.sha256, "created": r.created}
            for r in records
        ],
    }
    mode, uid, gid = _ownership(path)
    text = json.dumps(payload, indent=2) + "\n"
    try:
        atomic_write(path, text, mode=mode, owner=(uid if os.geteuid() == 0 else -1, gid))
    except PermissionError as exc:
        if exc.filename is not None:  # not fchown's: the folder or the rename refused us
            raise
        raise KeysFileError(
            f"Cannot give the new keys file {path} its group (gid {gid}): you are not a "
            "member of it. Run 'triage keys' as the account that owns the file, or as a "
            "member of its group; the file was not changed."
        ) from None


def _keys_file_locked(path: Path) -> AbstractContextManager[None]:
    """Serialise read-modify-write of the keys file across processes (``keys add`` and
    ``keys revoke`` run at once must not bring back a revoked key or lose a new one)."""
    return locked(path.with_name(path.name + ".lock"))


def add_key(path: Path, name: str, role: Role | str) -> str:
    """Make a new key for ``name``, store its hash, and return the key (shown once)."""
    if not NAME_PATTERN.match(name):
        raise KeysFileError(
            f"Key name {name!r} is not allowed: use 1..64 letters, digits, '_', '.', '@' or '-', "
            "starting with a letter or digit."
        )
    try:
        role = Role(role)
    except ValueError:
        raise KeysFileError(
            f"Role {role!r} is not one of {', '.join(r.value for r in Role)}."
        ) from None
    with _keys_file_locked(path):
        records = read_keys(path)
        if any(r.name == name for r in records):
            raise KeysFileError(
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
            raise KeysFileError(f"No key named {name!r} (known: {known}).")
        write_keys(path, kept)


class KeysUnavailable(Exception):
    """The keys file cannot be read or parsed: no key is accepted until it is fixed."""


class KeyRing:
    """The service's view of the keys file, re-read when the file changes (checked at most once
    a second), so that adding or revoking a key needs no restart.

    Fails closed: while the file cannot be read or parsed, ``problem`` says why and
    ``authenticate`` raises ``KeysUnavailable`` for every key (the keys read before are
    dropped, so a key revoked by the rewrite that broke the file does not keep working).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._records: tuple[KeyRecord, ...] = ()
        self._hashes: tuple[bytes, ...] = ()
        self._stamp: tuple[int, ...] | None = None
        self._checked = 0.0
        self._problem: str | None = None
        self.refresh(force=True)

    def _file_stamp(self) -> tuple[int, ...] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        # ctime and the inode too: a chmod/chown or a replaced file must be re-read.
        return (st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)

    @property
    def problem(self) -> str | None:
        """Why no key is accepted now (the file cannot be read or parsed), or None."""
        return self._problem

    def refresh(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked < RECHECK_SECONDS:
            return
        with self._lock:
            self._checked = now
            stamp = self._file_stamp()
            if not force and stamp == self._stamp and self._problem is None:
                return
            try:
                records = tuple(read_keys(self.path)) if stamp is not None else ()
            except KeysFileError as exc:
                if self._problem != str(exc):
                    log.error(
                        "API keys file unusable, refusing EVERY key until it is fixed: %s", exc
                    )
                self._problem = str(exc)
                self._records, self._hashes, self._stamp = (), (), None
                return
            if self._problem is not None:
                log.warning("API keys file readable again: %d keys", len(records))
            self._problem = None
            self._records = records
            self._hashes = tuple(r.sha256.encode("ascii") for r in records)
            self._stamp = stamp

    def authenticate(self, key: str) -> Principal | None:
        """The key's principal, or None. Compares against every stored hash, without early
        exit.

        Raises:
            KeysUnavailable: the keys file cannot be read or parsed (no key is accepted).
        """
        self.refresh()
        if self._problem is not None:
            raise KeysUnavailable(self._problem)
        digest = hash_key(key).encode("ascii")
        found: KeyRecord | None = None
        for record, stored in zip(self._records, self._hashes, strict=True):
            if hmac.compare_digest(digest, stored):
                found = record
        return Principal(found.name, found.role) if found is not None else None

    def __len__(self) -> int:
        return len(self._records)
