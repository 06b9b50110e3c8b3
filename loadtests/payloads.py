"""The requests a load test sends: a pool drawn from synthetic history (labels and true
probabilities removed), each sent with a fresh request_id.

Generating the pool takes seconds of CPU. ``triage loadtest`` writes it once to a file that
every locust process reads (``--payload-file``): a worker that spent those seconds generating
after it connected would miss the start of a short run, since it cannot answer the master
while it computes. Kept free of locust imports (the CLI process never imports locust).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

#: Requests in the pool (every request sent is one of them with a new request_id).
POOL_ROWS = 5000
DEFAULT_SEED = 20261121


def generate(rows: int = POOL_ROWS, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """Requests drawn from synthetic history, without the fields each send sets afresh."""
    from triage.history.synth import generate as synth
    from triage.schema import request_fields

    frame = synth(rows, seed)
    fields = [f for f in request_fields() if f not in ("request_id", "received_at")]
    return [
        {k: v for k, v in row.items() if v is not None}
        for row in frame.select(fields).iter_rows(named=True)
    ]


def write(path: Path, rows: int = POOL_ROWS, seed: int = DEFAULT_SEED) -> Path:
    """Generate the pool and write it as JSON to ``path``."""
    path.write_text(json.dumps(generate(rows, seed), default=str), encoding="utf-8")
    return path


def read(path: Path) -> list[dict[str, Any]]:
    """A pool written by :func:`write`."""
    pool = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(pool, list) or not pool:
        raise ValueError(f"{path} holds no request payloads")
    return pool
