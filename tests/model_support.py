"""Small models trained once per test process on SYNTHETIC data, for the model and predictor tests.

``trained(kind)`` fits ``triage.model.fit_model`` on ``triage.history.synth.generate`` rows (split
by time) with only that candidate (``"linear"`` or ``"boosted"``), or both when ``kind`` is None,
and caches the result for the process, so each test module pays for one training.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from triage.history.synth import generate
from triage.model import TrainedModel, fit_model
from triage.records import requests_of

__all__ = ["history", "requests_of", "trained"]

#: Rows of synthetic history the test models learn from (train + valid), and their seed.
TRAIN_ROWS = 30_000
TRAIN_SEED = 20_251


@lru_cache(maxsize=4)
def history() -> tuple[pl.DataFrame, pl.DataFrame]:
    df = generate(TRAIN_ROWS, TRAIN_SEED).sort("received_at")
    cut = int(df.height * 0.8)
    return df.head(cut), df.tail(df.height - cut)


@lru_cache(maxsize=4)
def trained(kind: str | None = None) -> TrainedModel:
    """The model ``fit_model`` chooses (kind None), or one of the given kind.

    A kind that the full comparison chose anyway is not trained a second time.
    """
    train, valid = history()
    if kind is not None:
        chosen = trained(None)
        if chosen.kind == kind:
            return chosen
        return fit_model(train, valid, candidates=(kind,), random_state=0)
    return fit_model(train, valid, random_state=0)
