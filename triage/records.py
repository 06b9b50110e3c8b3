"""Request records read as columns: a polars DataFrame, a sequence of mappings, or pandas.

The features (:mod:`triage.features`) and the model (:mod:`triage.model`) take records in any
of these forms: a polars frame as the loader returns it, ``[req.model_dump() for req in
requests]``, or (for comparisons and notebooks) a pandas DataFrame, whose NaN / NA cells count
as missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from triage.schema import TriageRequest

__all__ = [
    "NARRATIVE_FIELD", "Records", "column", "narratives", "record_count", "requests_of",
    "slice_records",
]

#: The field that holds the narrative.
NARRATIVE_FIELD = "narrative"

Records = pl.DataFrame | Sequence[Mapping[str, Any]]


def _is_pandas(records: object) -> bool:
    return type(records).__module__.split(".")[0] == "pandas" and hasattr(records, "columns")


def record_count(records: Records) -> int:
    if isinstance(records, pl.DataFrame):
        return records.height
    return len(records)


def column(records: Records, name: str) -> list[Any]:
    """One column as a Python list; a column the records do not carry is all missing.

    Records are a polars DataFrame, a sequence of mappings, or (for comparisons and notebooks)
    a pandas DataFrame, whose NaN / NA cells count as missing.
    """
    if isinstance(records, pl.DataFrame):
        if name not in records.columns:
            return [None] * records.height
        return records.get_column(name).to_list()
    if _is_pandas(records):
        frame: Any = records
        if name not in frame.columns:
            return [None] * len(frame)
        return [None if _is_na(v) else v for v in frame[name].tolist()]
    if isinstance(records, str | bytes) or not isinstance(records, Sequence):
        raise TypeError(
            "Records must be a polars DataFrame or a sequence of mappings "
            f"(e.g. [req.model_dump() for req in requests]). Got {type(records).__name__}."
        )
    out: list[Any] = []
    for i, r in enumerate(records):
        if not isinstance(r, Mapping):
            raise TypeError(
                f"Record {i} must be a mapping of request fields. Got {type(r).__name__}."
            )
        out.append(r.get(name))
    return out


def _is_na(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pandas.NA
    except TypeError:
        return True


def narratives(records: Records) -> list[str]:
    """The narrative column, checked: every record needs a non-empty narrative string."""
    values = column(records, NARRATIVE_FIELD)
    for i, v in enumerate(values):
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"Record {i}: 'narrative' must be a non-empty string. Got {v!r}.")
    return values


def slice_records(X: Records, a: int, b: int) -> Records:
    if isinstance(X, pl.DataFrame):
        return X.slice(a, b - a)
    if _is_pandas(X):
        frame: Any = X
        return frame.iloc[a:b]
    return list(X[a:b])


def requests_of(frame: pl.DataFrame) -> list[TriageRequest]:
    """A frame's rows (a synthetic history, an export read by the loader) as the requests a
    handler would send: the request's fields only, a null left out as not known. Validated:
    a bad value is refused naming its field."""
    fields = [c for c in frame.columns if c in TriageRequest.model_fields]
    return [
        TriageRequest.model_validate({k: v for k, v in row.items() if v is not None})
        for row in frame.select(fields).iter_rows(named=True)
    ]
