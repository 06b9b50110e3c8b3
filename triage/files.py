"""Files written so that readers see the old content or the new, never half; and file locks.

The one place for both (the registry, the keys file, the audit export, the stack's state and
the migration lock all use it):

- ``atomic_write``: a private temp file in the target's folder (``mkstemp``: O_EXCL, 0600,
  unpredictable name), written, fsync'd, given its mode (and group, where asked), renamed over
  the target, then the folder fsync'd so the rename itself survives a power cut. On any error the
  temp file is removed and the target is unchanged.
- ``locked``: an exclusive ``fcntl.flock`` on a lock file, held for the ``with`` block;
  serialises read-modify-write between processes.

Standard library only; imports nothing from the project.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

#: Mode of a file written without an explicit one (owner read/write only).
PRIVATE_MODE = 0o600


def fsync_dir(path: Path) -> None:
    """fsync a folder, so a rename or a new entry in it is on disk."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """fsync a file already written (through a new descriptor)."""
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def atomic_write(
    path: Path,
    content: str | bytes | Callable[[IO[bytes]], object],
    *,
    mode: int = PRIVATE_MODE,
    owner: tuple[int, int] | None = None,
    before_rename: Callable[[], None] | None = None,
) -> None:
    """Replace ``path`` with ``content`` atomically and durably (see the module docstring).

    ``content`` is text (written as UTF-8), bytes, or a function given the binary file to write
    into. ``owner`` is ``(uid, gid)`` for ``fchown`` (-1 keeps one); a ``PermissionError`` from it
    propagates (and nothing is replaced), so the caller decides whether that matters.
    ``before_rename`` runs after the fsync and before the rename (a test's crash point).
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), PRIVATE_MODE)
            if owner is not None:
                os.fchown(fh.fileno(), *owner)
            if callable(content):
                content(fh)
            else:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        if before_rename is not None:
            before_rename()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


@contextlib.contextmanager
def locked(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive ``fcntl.flock`` on ``lock_path`` (created if missing) for the block."""
    lock_path = Path(lock_path)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
