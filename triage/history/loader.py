"""The one validated path by which a historic export (CSV or Parquet) enters the project.

Training, evaluation and ``triage validate`` all call :func:`load_export`. It never trusts a
file: every value is checked against ``triage.schema.ExportRow`` with vectorised polars
expressions (exports run to millions of rows), and a row that fails any check is rejected whole,
reported with its line, request_id, column and the reason, and written to a rejects file so that
nothing is silently dropped. A file that cannot be used at all raises :class:`ExportError`.

The file format accepted is described in docs/REQUESTS.md ("Export files").
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from triage.files import atomic_write
from triage.history.loader_fields import (
    PROB_SUM_TOLERANCE,
    FieldRule,
    export_rules,
    normalise_column_name,
    synthetic_rules,
)
from triage.history.loader_read import (
    EXTRA,
    LINE,
    NFIELDS,
    ROW,
    RawTable,
    ReadError,
    column_key,
    inspect_bytes,
    read_csv_text,
    read_header,
    read_parquet_header,
    read_parquet_text,
    utf8_copy,
)
from triage.schema import SYNTHETIC_ONLY_COLUMNS, ExportRow, polars_schema, required_export_fields

log = logging.getLogger(__name__)

#: Column names the loader knows (everything else is reported and ignored).
_KNOWN: frozenset[str] = frozenset(ExportRow.model_fields) | frozenset(SYNTHETIC_ONLY_COLUMNS)

#: Pseudo-column named in a RowError about the row's shape rather than one value.
ROW_COLUMN = "(row)"
#: Pseudo-column for the check that the synthetic probabilities sum to 1.
PROB_SUM_COLUMN = "+".join(SYNTHETIC_ONLY_COLUMNS)


class ExportError(Exception):
    """The file cannot be used at all: unreadable, not CSV or Parquet, binary, a required column
    missing, or no data rows. The message names the file and the problem."""


@dataclass(frozen=True)
class RowError:
    """Why one row was rejected: one instance per bad value (a row may have several)."""

    line: int | None  # line in the file (header is line 1); None for Parquet
    row: int  # 1-based data row index (blank lines not counted)
    request_id: str | None
    column: str
    value: str | None
    reason: str


@dataclass(frozen=True)
class LoadResult:
    """What was read, what was kept (``frame``, in the schema's dtypes) and what was rejected."""

    path: Path
    format: str
    encoding: str | None
    separator: str | None
    frame: pl.DataFrame
    rejects: list[RowError]
    rows_read: int
    duplicate_ids: int
    fingerprint: str
    synthetic: bool
    unknown_columns: tuple[str, ...] = ()
    blank_lines: int = 0
    rejects_path: Path | None = field(default=None)

    @property
    def kept(self) -> int:
        """Rows that passed every check (the height of ``frame``)."""
        return self.frame.height

    @property
    def rejected(self) -> int:
        """Rows rejected (a row with several bad values counts once)."""
        return self.rows_read - self.frame.height


def load_export(
    path: Path, *, rejects_path: Path | None = None, write_rejects: bool = True
) -> LoadResult:
    """Read and validate an export; keep the good rows, report and write out the bad ones.

    Rejected rows go, with all their original columns plus ``line``, ``row``, ``column`` and
    ``reason``, to ``rejects_path`` (default ``<input stem>.rejects.csv`` beside the input) when
    ``write_rejects`` is true. A stale rejects file at that path is removed when nothing is
    rejected, so the file always describes the last run. The input is never modified.

    Raises ExportError when the file cannot be used at all.
    """
    path = Path(path)
    target = rejects_path if rejects_path is not None else _default_rejects_path(path)
    if write_rejects and _same_file(path, target):
        raise ExportError(f"{path}: the rejects file would overwrite the input; choose another")
    try:
        facts = inspect_bytes(path)
        if facts.format == "parquet":
            columns = _match_columns(path, read_parquet_header(path))
            raw = read_parquet_text(path)
        else:
            with utf8_copy(path, facts) as text_path:
                header, separator = read_header(text_path, _KNOWN)
                _check_header(path, header)
                columns = _match_columns(path, header)
                raw = read_csv_text(text_path, header, separator)
    except ReadError as exc:
        raise ExportError(f"{path}: {exc}") from exc
    except (pl.exceptions.PolarsError, UnicodeDecodeError, csv.Error) as exc:
        first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        raise ExportError(f"{path}: cannot be parsed as {facts.format.upper()} ({first})") from exc
    except OSError as exc:
        raise ExportError(f"{path}: cannot be read ({exc.strerror or exc})") from exc

    if raw.frame.height == 0:
        raise ExportError(f"{path}: has a header but no data rows")
    synthetic = _check_synthetic_columns(path, columns)
    unknown = tuple(
        h if h.strip() else f"(column {i + 1}, no name)"
        for i, h in enumerate(raw.header)
        if column_key(i) not in columns.values()
    )
    if unknown:
        # Reported to the caller in LoadResult.unknown_columns (the summary shows them).
        log.info("%s: ignoring unknown columns: %s", path, ", ".join(unknown))

    frame, rejects, duplicates = _validate(raw, columns, synthetic)
    written: Path | None = None
    if write_rejects:
        written = _write_rejects(raw, rejects, target, path, facts.encoding)
    return LoadResult(
        path=path,
        format=facts.format,
        encoding=facts.encoding,
        separator=raw.separator,
        frame=frame,
        rejects=rejects,
        rows_read=raw.frame.height,
        duplicate_ids=duplicates,
        fingerprint=facts.fingerprint,
        synthetic=synthetic,
        unknown_columns=unknown,
        blank_lines=raw.blank_records,
        rejects_path=written,
    )


# ---------------------------------------------------------------------------------------------
# columns
# ---------------------------------------------------------------------------------------------
def _check_header(path: Path, header: list[str]) -> None:
    if all(h.strip() == "" for h in header):
        raise ExportError(f"{path}: has no header row (the first line has no column names)")


def _match_columns(path: Path, header: list[str]) -> dict[str, str]:
    """Field or p_* name -> raw column key; missing required columns raise ExportError."""
    found: dict[str, str] = {}
    seen: dict[str, str] = {}
    for i, name in enumerate(header):
        key = normalise_column_name(name)
        if key not in _KNOWN:
            continue
        if key in seen:
            raise ExportError(
                f"{path}: the column {key!r} appears twice in the header "
                f"({seen[key]!r} and {name!r}); keep one"
            )
        seen[key] = name
        found[key] = column_key(i)
    missing = [f for f in required_export_fields() if f not in found]
    if missing:
        names = ", ".join(repr(m) for m in missing)
        others = [
            normalise_column_name(h) for h in header if normalise_column_name(h) not in _KNOWN
        ]
        hints = [
            f"{close[0]!r} for {m!r}?"
            for m in missing
            if (close := difflib.get_close_matches(m, others, n=1, cutoff=0.75))
        ]
        hint = f" A misspelling: {' '.join(hints)}" if hints else ""
        raise ExportError(
            f"{path}: required column{'s' if len(missing) > 1 else ''} {names} "
            f"{'are' if len(missing) > 1 else 'is'} missing. Found columns: "
            f"{', '.join(repr(h) for h in header)}.{hint}"
        )
    return found


def _check_synthetic_columns(path: Path, columns: dict[str, str]) -> bool:
    present = [c for c in SYNTHETIC_ONLY_COLUMNS if c in columns]
    if present and len(present) != len(SYNTHETIC_ONLY_COLUMNS):
        absent = [c for c in SYNTHETIC_ONLY_COLUMNS if c not in columns]
        raise ExportError(
            f"{path}: has synthetic probability columns {', '.join(present)} but not "
            f"{', '.join(absent)}; a synthetic file carries all of them"
        )
    return bool(present)


# ---------------------------------------------------------------------------------------------
# validation (vectorised) and messages (only for rejected rows)
# ---------------------------------------------------------------------------------------------
def _validate(
    raw: RawTable, columns: dict[str, str], synthetic: bool
) -> tuple[pl.DataFrame, list[RowError], int]:
    rules: dict[str, FieldRule] = dict(export_rules())
    if synthetic:
        rules |= synthetic_rules()
    n_header = len(raw.header)
    n_named = _named_width(raw.header)

    height = raw.frame.height
    nothing = pl.select(pl.repeat(None, height, dtype=pl.String)).to_series()
    columns_out: list[pl.Series] = []
    for name, rule in rules.items():
        source = raw.frame[columns[name]] if name in columns else nothing
        parsed, flag = rule.check(source)
        columns_out += [parsed.alias(f"__v_{name}"), flag.alias(f"__bad_{name}")]
    checked_lazy = raw.frame.select(ROW, LINE, NFIELDS, EXTRA).with_columns(columns_out).lazy()
    flags = [
        (
            (pl.col(NFIELDS) < n_named)
            | (pl.col(NFIELDS) > n_header)
            | (pl.col(EXTRA).fill_null("") != "")
        ).alias("__ragged")
    ]
    if synthetic:
        total = pl.sum_horizontal([pl.col(f"__v_{c}") for c in SYNTHETIC_ONLY_COLUMNS])
        flags.append(
            ((total - 1.0).abs() > PROB_SUM_TOLERANCE).fill_null(False).alias("__bad_psum")
        )
    rid = pl.col("__v_request_id")
    flags.append((rid.is_not_null() & ~rid.is_first_distinct()).alias("__dup"))
    # Only bookkeeping, parsed values and flags are materialised: the raw text stays in
    # raw.frame and is looked at again only for the rejected rows.
    checked = (
        checked_lazy.with_columns(flags)
        .with_columns(
            pl.any_horizontal(pl.col("^__bad_.*$"), pl.col("__ragged"), pl.col("__dup")).alias(
                "__reject"
            )
        )
        .select(ROW, LINE, NFIELDS, pl.col("^__(v|bad)_.*$"), "__ragged", "__dup", "__reject")
        .collect()
    )

    out_schema = polars_schema(ExportRow)
    out_cols = [pl.col(f"__v_{n}").cast(out_schema[n]).alias(n) for n in out_schema.names()]
    if synthetic:
        out_cols += [pl.col(f"__v_{c}").alias(c) for c in SYNTHETIC_ONLY_COLUMNS]
    reject = checked["__reject"]
    if not reject.any():
        return checked.select(out_cols), [], 0
    kept = checked.filter(~reject).select(out_cols)
    bad_rows = pl.concat(
        [checked.filter(reject), raw.frame.filter(reject).drop(ROW, LINE, NFIELDS)],
        how="horizontal",
    )
    duplicates = int(checked["__dup"].sum())
    return kept, _describe(bad_rows, checked, rules, columns, raw.header), duplicates


def _named_width(header: list[str]) -> int:
    """Header columns up to the last named one. Trailing unnamed columns (a header ending in a
    separator, as some tools write it) may be left out of a row."""
    named = [i for i, h in enumerate(header) if h.strip()]
    return named[-1] + 1 if named else len(header)


def _where(line: int | None, row: int) -> str:
    return f"on line {line}" if line is not None else f"in row {row}"


def _describe(
    bad: pl.DataFrame,
    checked: pl.DataFrame,
    rules: dict[str, FieldRule],
    columns: dict[str, str],
    header: list[str],
) -> list[RowError]:
    """RowErrors for the rejected rows (the only per-row Python loop)."""
    first_seen: dict[str, tuple[int | None, int]] = {}
    dup_ids = bad.filter(pl.col("__dup"))["__v_request_id"].unique().to_list()
    if dup_ids:
        firsts = (
            checked.filter(pl.col("__v_request_id").is_in(dup_ids))
            .group_by("__v_request_id")
            .agg(pl.col(ROW).min().alias("r"), pl.col(LINE).sort_by(ROW).first().alias("l"))
        )
        for rid, r, ln in firsts.iter_rows():
            first_seen[rid] = (ln, r)

    id_key = columns.get("request_id")
    errors: list[RowError] = []
    n_header = len(header)
    n_named = _named_width(header)
    for rec in bad.iter_rows(named=True):
        line: int | None = rec[LINE]
        row: int = rec[ROW]
        where = _where(line, row)
        raw_id = rec[id_key] if id_key else None
        request_id = raw_id.strip() if isinstance(raw_id, str) and raw_id.strip() else None
        if rec["__ragged"]:
            got = rec[NFIELDS]
            if got < n_named:
                column = normalise_column_name(header[got])
                reason = (
                    f"Line {line} has {got} field{'s' if got != 1 else ''} but the header has "
                    f"{n_named}: the row ends before the '{column}' column (a truncated line "
                    "or a missing separator). The row is rejected whole."
                )
            else:
                column = ROW_COLUMN
                reason = (
                    f"Line {line} has more fields than the {n_header} in the header "
                    "(a separator inside an unquoted value?). The row is rejected whole."
                )
            errors.append(RowError(line, row, request_id, column, None, reason))
            continue
        for name, rule in rules.items():
            if rec[f"__bad_{name}"]:
                key = columns.get(name)
                value = rec[key] if key else None
                errors.append(
                    RowError(line, row, request_id, name, value, rule.message(value, where))
                )
        if rec.get("__bad_psum"):
            probs = ", ".join(f"{c}={rec[f'__v_{c}']}" for c in SYNTHETIC_ONLY_COLUMNS)
            errors.append(
                RowError(
                    line,
                    row,
                    request_id,
                    PROB_SUM_COLUMN,
                    probs,
                    f"The {', '.join(SYNTHETIC_ONLY_COLUMNS)} columns must sum to 1. "
                    f"Got {probs} {where}.",
                )
            )
        if rec["__dup"]:
            first_line, first_row = first_seen[rec["__v_request_id"]]
            errors.append(
                RowError(
                    line,
                    row,
                    request_id,
                    "request_id",
                    raw_id,
                    f"The 'request_id' column must be unique. Got {rec['__v_request_id']!r} "
                    f"{where}, already used {_where(first_line, first_row)}.",
                )
            )
    return errors


# ---------------------------------------------------------------------------------------------
# the rejects file
# ---------------------------------------------------------------------------------------------
def _default_rejects_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _write_rejects(
    raw: RawTable, rejects: list[RowError], target: Path, source: Path, encoding: str | None
) -> Path | None:
    """All original columns of each rejected row, then line, row, column and reason.

    One line per rejected row: a row with several bad values lists the columns and reasons
    joined by "; ". A row with more fields than the header also gets ``original``, its text
    as it stands in the file, since its extra fields fit no column. Written UTF-8 with a BOM
    so that Excel shows "£" and "é" correctly.
    """
    if not rejects:
        if target.exists():
            with contextlib.suppress(OSError):
                target.unlink()
        return None
    by_row: dict[int, list[RowError]] = {}
    for err in rejects:
        by_row.setdefault(err.row, []).append(err)
    rows = sorted(by_row)
    originals = (
        raw.frame.filter(pl.col(ROW).is_in(rows))
        .sort(ROW)
        .select(
            [
                # Empty text is written as an empty field, as it was in the file.
                pl.col(column_key(i)).replace("", None).alias(_unique_name(h, i, raw.header))
                for i, h in enumerate(raw.header)
            ]
        )
    )
    extra: dict[str, list[Any]] = {
        "line": [by_row[r][0].line for r in rows],
        "row": rows,
        "column": ["; ".join(e.column for e in by_row[r]) for r in rows],
        "reason": [" ".join(e.reason for e in by_row[r]) for r in rows],
    }
    long_rows = {e.row for e in rejects if e.column == ROW_COLUMN and e.line is not None}
    if long_rows:
        texts = _record_texts(raw, long_rows, source, encoding)
        extra["original"] = [texts.get(r) for r in rows]
    names = {name: name if name not in originals.columns else f"reject_{name}" for name in extra}
    dtypes = {"line": pl.Int64(), "row": pl.Int64()}
    out = originals.with_columns(
        [pl.Series(names[k], v, dtype=dtypes.get(k, pl.String())) for k, v in extra.items()]
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, lambda fh: out.write_csv(fh, include_bom=True), mode=0o644)
    except OSError as exc:
        raise ExportError(
            f"{target}: cannot write the rejects file ({exc.strerror or exc})"
        ) from exc
    return target


def _record_texts(
    raw: RawTable, rows: Iterable[int], source: Path, encoding: str | None
) -> dict[int, str]:
    """The file's own text of a few records (row -> text).

    A record runs from its first line to the line before the next record (blank lines after
    it dropped). Only called for rows with more fields than the header, which are rare; the
    file is streamed and only those lines are kept.
    """
    nxt = raw.frame.select(ROW, LINE, pl.col(LINE).shift(-1).alias("next"))
    ranges = {
        r: (first, after)
        for r, first, after in nxt.filter(pl.col(ROW).is_in(list(rows))).iter_rows()
    }
    wanted: set[int] = set()
    open_from: int | None = None  # the last record runs to the end of the file
    for first, after in ranges.values():
        if after is None:
            open_from = first
        else:
            wanted.update(range(first, after))
    stop = max(wanted, default=0)
    kept: dict[int, str] = {}
    with source.open("rb") as f:
        for number, line in enumerate(f, start=1):  # lines end at LF, as polars counts them
            if open_from is None and number > stop:
                break
            if number in wanted or (open_from is not None and number >= open_from):
                kept[number] = line.decode(encoding or "utf-8", errors="replace")
    out: dict[int, str] = {}
    for r, (first, after) in ranges.items():
        end = after if after is not None else max(kept, default=first) + 1
        text = "".join(kept.get(n, "") for n in range(first, end))
        out[r] = text.removeprefix("\ufeff").rstrip("\r\n")
    return out


def _unique_name(name: str, i: int, header: list[str]) -> str:
    label = name if name.strip() else f"column_{i + 1}"
    if header.count(name) > 1:
        label = f"{label}_{i + 1}"
    return label
