"""What each process watches so that a promotion or rollback reaches every process.

``triage serve --workers N`` runs N processes, and a deployment runs several replicas on one
registry; ``POST /v1/admin/reload`` reaches only the process that answers it. So every process
reads the registry's ``current`` pointer every ``TRIAGE_MODEL_WATCH_SECONDS`` (1 s) and, when it
names a version other than the one it serves, loads that version in a worker thread and swaps it
in (``ServiceState.reload``), exactly as an admin reload does.

Why polling and not a notification (PostgreSQL LISTEN/NOTIFY): promotion is a registry write by
``triage models promote``, which knows nothing of the audit store (``training`` never imports
``service``) and must work with a SQLite store, which has no notifications; the pointer is the
one thing every process already trusts. A poll reads one small file and stats three: measured
0.11 ms of CPU per look (0.01% of a core at one look a second) on this project's 2-core machine
under load (``benchmarks/bench_model_watch.py``), and a promotion is seen within one interval;
the load itself then takes about 2.5 s (same benchmark), which a notification would not
shorten. On a network filesystem the poll sees a change once the client's attribute cache
expires (NFS ``actimeo``); keep that at a few seconds or less.

A version that fails to load is not tried again every second (a load costs seconds of CPU):
only when what the load would read changes (``RegistryMark``: the pointer's text, and the
identity, size and modification time of ``promotions.jsonl`` and the version's manifest and
artifact), e.g. after the artifact is copied again or the version is promoted anew.
``POST /v1/admin/reload`` tries again at once (in the process that answers it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from triage.registry import (
    CURRENT_FILE,
    MANIFEST_FILE,
    MODEL_FILE,
    PROMOTIONS_LOG,
    RegistryError,
    is_version_id,
    read_registry_bytes,
)

#: Longest part of an unreadable pointer kept (for the log and /readyz).
MAX_POINTER_TEXT = 80

Fingerprint = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class RegistryMark:
    """The registry as a load of ``current`` would read it, cheaply: ``pointer`` is the text of
    ``current`` (None: nothing promoted), ``files`` the (inode, size, mtime) of each file the
    load reads (zeros for a missing one)."""

    pointer: str | None
    files: tuple[Fingerprint, ...]

    @property
    def version(self) -> str | None:
        """The version ``current`` names, or None when it names none (missing or garbage)."""
        return self.pointer if self.pointer is not None and is_version_id(self.pointer) else None


def _fingerprint(path: Path) -> Fingerprint:
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return (0, 0, 0)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def registry_mark(models_dir: Path) -> RegistryMark:
    """Read ``current`` and stat the files its load reads. Never raises: an unreadable pointer
    is reported as its problem, so the load that follows says why in its own words."""
    root = Path(models_dir)
    try:
        pointer: str | None = (
            read_registry_bytes(root / CURRENT_FILE).decode("utf-8", "replace").strip()
        )
    except FileNotFoundError:
        pointer = None
    except (RegistryError, OSError) as exc:
        pointer = f"unreadable: {exc}"[:MAX_POINTER_TEXT]
    files = [_fingerprint(root / PROMOTIONS_LOG)]
    if pointer is not None and is_version_id(pointer):
        files += [_fingerprint(root / pointer / MANIFEST_FILE),
                  _fingerprint(root / pointer / MODEL_FILE)]
    return RegistryMark(pointer[:MAX_POINTER_TEXT] if pointer else pointer, tuple(files))
