"""The audit export: stored suggestions with their outcomes, back in the loader's format.

Every row is checked by ``ExportRow`` (a bad stored row is skipped and named); files are written
through a private temp file (O_EXCL, 0600) in the target folder, then renamed; CSV text that a
spreadsheet would run as a formula is prefixed with ``'``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson
import polars as pl

from service.store_db import StoreError
from triage.files import atomic_write
from triage.schema import ExportRow, polars_schema

#: Mode of an export file (audit data, patient narratives).
EXPORT_FILE_MODE = 0o600


def aware(ts: datetime) -> datetime:
    return ts if ts.tzinfo is not None else ts.replace(tzinfo=UTC)



def first_line(exc: Exception) -> str:
    text = str(exc).encode("utf-8", "backslashreplace").decode("utf-8")
    return f"{type(exc).__name__}: {' '.join(text.split())[:300]}"


def export_row(row: Any) -> dict[str, Any]:
    """One stored suggestion with its outcome as an export row, checked by ``ExportRow``.

    Raises:
        ValueError (pydantic's ValidationError), TypeError, OverflowError,
        orjson.JSONDecodeError: the stored row does not make a valid export row.
    """
    req = orjson.loads(row.request_json)
    if not isinstance(req, dict):
        raise TypeError(f"request_json holds a {type(req).__name__}, not an object")
    if not req.get("request_id"):
        req["request_id"] = f"audit-{row.id}"
    received = req.get("received_at")
    ts = aware(datetime.fromisoformat(str(received))) if received else aware(row.created_at)
    req["received_at"] = ts.astimezone(UTC).replace(tzinfo=None)
    req["disposition"] = row.final_disposition
    checked = ExportRow.model_validate(req)
    out: dict[str, Any] = checked.model_dump(mode="json")
    out["received_at"] = req["received_at"]
    out["suggested"] = row.suggestion
    out["model_version"] = row.model_version
    out["unfamiliar_wording"] = bool(row.unfamiliar_wording)
    out["unfamiliar_reason"] = row.unfamiliar_reason
    return out


#: A CSV cell starting with one of these is run as a formula by spreadsheet programs.
_FORMULA_START = r"^[=+\-@\t\r]"


#: Columns the audit export adds after the loader's own (the loader reports and ignores them,
#: so the file still trains; ``triage impact`` reads ``suggested`` to show how often handlers
#: followed the suggestions).
AUDIT_EXPORT_COLUMNS: dict[str, Any] = {
    "suggested": pl.String,
    "model_version": pl.String,
    "unfamiliar_wording": pl.Boolean,
    "unfamiliar_reason": pl.String,
}


def export_frame(rows: Sequence[dict[str, Any]]) -> pl.DataFrame:
    """Export rows -> a frame in the loader's schema (``polars_schema(ExportRow)``), followed
    by ``AUDIT_EXPORT_COLUMNS``."""
    schema = {**polars_schema(ExportRow), **AUDIT_EXPORT_COLUMNS}
    columns = {name: [r.get(name) for r in rows] for name in schema}
    return pl.DataFrame(columns, schema=schema)


def neutralise_formulas(df: pl.DataFrame) -> pl.DataFrame:
    """Prefix ``'`` to every text cell a spreadsheet would run as a formula (OWASP CSV
    injection): a narrative is typed by whoever called the police."""
    text = [name for name, dtype in df.schema.items() if dtype == pl.String]
    return df.with_columns(
        pl.when(pl.col(name).str.contains(_FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name in text
    )


def write_export(df: pl.DataFrame, out: Path) -> None:
    """CSV or Parquet by the file's ending, written to a private temp file (O_EXCL, 0600,
    unpredictable name) in the target folder, fsync'd, then renamed over ``out``. CSV text
    that would run as a spreadsheet formula is neutralised (``neutralise_formulas``)."""
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise StoreError(f"The export file must end in .csv or .parquet; got {out.name!r}.")
    out.parent.mkdir(parents=True, exist_ok=True)

    def write(fh: IO[bytes]) -> None:
        if suffix == ".csv":
            neutralise_formulas(df).write_csv(fh)
        else:
            df.write_parquet(fh)

    atomic_write(out, write, mode=EXPORT_FILE_MODE)
