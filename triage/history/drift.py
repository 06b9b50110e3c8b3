"""Synthetic drift: shift a generated history's case mix, wording or missingness.

For testing the monitors (each must fire on drift and stay quiet without it) and for rehearsing
what a drifted live stream looks like. It wraps the generator's output
(``triage.history.synth.generate``) rather than changing the generator: any frame with the request
columns can be shifted, and the undrifted history stays exactly what the generator makes.

- ``shift_case_mix``: resample the rows with each incident type's weight multiplied (e.g.
  ``{"overdose": 4, "mental_health": 3}``: four and three times as many of those).
- ``shift_wording``: ``pasted`` wraps every narrative in another system's header and footer (as
  when text is pasted from a CAD), ``terse`` keeps the first four words, ``unknown_words``
  replaces a share of words with made-up ones the model never saw.
- ``shift_missingness``: blank a share of a field's given values (a form or a feed that stops
  sending it).

All are seeded and return a new frame; bad arguments raise ``DriftError`` naming what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import numpy as np
import polars as pl

from triage.schema import BOOKKEEPING_FIELDS, IncidentType, TriageRequest

WordingStyle = Literal["pasted", "terse", "unknown_words"]
WORDING_STYLES: tuple[str, ...] = ("pasted", "terse", "unknown_words")
_SYLLABLES = ("flib", "woz", "quan", "mer", "plin", "dax", "trob", "vesk", "gorm", "zel")


class DriftError(ValueError):
    """A drift option that cannot be applied; the message names it."""


def shift_case_mix(frame: pl.DataFrame, weights: Mapping[str, float], *, seed: int = 0
                   ) -> pl.DataFrame:
    """Resample ``frame`` (same size, with replacement) with each incident type's rows weighted
    by ``weights`` (1 for types not named; rows without a type keep weight 1)."""
    known = {t.value for t in IncidentType}
    for name, w in weights.items():
        if name not in known:
            raise DriftError(f"case mix: {name!r} is not an incident_type (one of "
                             f"{', '.join(sorted(known))})")
        if not w >= 0:
            raise DriftError(f"case mix: the weight of {name!r} must be >= 0; got {w}")
    if "incident_type" not in frame.columns:
        raise DriftError("case mix: the frame has no incident_type column")
    types = frame["incident_type"].cast(pl.String).to_list()
    p = np.array([float(weights.get(t, 1.0)) if t is not None else 1.0 for t in types])
    if p.sum() <= 0:
        raise DriftError("case mix: every row has weight 0")
    rng = np.random.default_rng(seed)
    take = rng.choice(frame.height, size=frame.height, replace=True, p=p / p.sum())
    return frame[np.sort(take)]


def _made_up(rng: np.random.Generator) -> str:
    return "".join(rng.choice(_SYLLABLES, size=int(rng.integers(2, 4))))


def shift_wording(frame: pl.DataFrame, style: str, *, share: float = 0.8, seed: int = 0
                  ) -> pl.DataFrame:
    """Rewrite every narrative in ``style`` (``WORDING_STYLES``); ``share`` is the share of
    words replaced for ``unknown_words``."""
    if style not in WORDING_STYLES:
        raise DriftError(f"wording: style {style!r} is not one of {', '.join(WORDING_STYLES)}")
    if not 0.0 <= share <= 1.0:
        raise DriftError(f"wording: share must be between 0 and 1; got {share}")
    rng = np.random.default_rng(seed)
    out = []
    for i, text in enumerate(frame["narrative"].to_list()):
        words = str(text or "").split()
        if style == "pasted":
            ref = int(rng.integers(100000, 999999))
            new = (f"FWD FROM CAD INC {ref} OPENED BY CONTROL OPERATOR REQUEST AMBULANCE "
                   f"ATTENDANCE PLEASE SEE BELOW ::: {' '.join(words)} ::: END OF FORWARDED "
                   "TEXT PLEASE UPDATE INCIDENT LOG WITH ETA AND CALLSIGN")
        elif style == "terse":
            new = " ".join(words[:4])
        else:
            new = " ".join(_made_up(rng) if rng.random() < share else w for w in words)
        out.append(new or f"synthetic narrative {i}")
    return frame.with_columns(pl.Series("narrative", out, dtype=pl.String))


def shift_missingness(frame: pl.DataFrame, field: str, share: float, *, seed: int = 0
                      ) -> pl.DataFrame:
    """Blank ``share`` of ``field``'s given values (an optional request field)."""
    optional = [f for f, info in TriageRequest.model_fields.items()
                if not info.is_required() and f not in BOOKKEEPING_FIELDS]
    if field not in optional:
        raise DriftError(f"missingness: {field!r} is not an optional request field (one of "
                         f"{', '.join(optional)})")
    if field not in frame.columns:
        raise DriftError(f"missingness: the frame has no {field!r} column")
    if not 0.0 <= share <= 1.0:
        raise DriftError(f"missingness: share must be between 0 and 1; got {share}")
    rng = np.random.default_rng(seed)
    blank = pl.Series(rng.random(frame.height) < share)
    col = frame[field]
    return frame.with_columns(
        pl.when(blank).then(pl.lit(None, dtype=col.dtype)).otherwise(pl.col(field)).alias(field))
