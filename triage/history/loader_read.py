"""Reading an export file into an all-text table, with exact line numbers and field counts.

Why this is more than ``pl.read_csv``: a validated import must say on which line of the file a
bad row sits, and must notice a row with too few fields (a truncated last line) instead of
filling the gap with blanks. polars parses the values (fast, all columns as text); a second,
vectorised pass over the file's physical lines gives every record its line number and field
count, quoted line breaks included. Files whose quoting polars refuses (an unterminated quote,
text after a closing quote) are read with Python's ``csv`` module instead: slower, exact.

Only text leaves this module; ``triage.history.loader`` parses and checks the values.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import io
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from triage.history.loader_fields import normalise_column_name
from triage.schema import SYNTHETIC_ONLY_COLUMNS

log = logging.getLogger(__name__)

#: Internal column names (never collide with an export's own columns, which are matched by name).
ROW = "__row"
LINE = "__line"
NFIELDS = "__nfields"
EXTRA = "__extra"

#: Separators a CSV export may use, in order of preference, with the name a person reads.
SEPARATOR_NAMES: dict[str, str] = {",": "comma", ";": "semicolon", "\t": "tab"}
SEPARATORS: tuple[str, ...] = tuple(SEPARATOR_NAMES)
_CHUNK = 1 << 20
#: A record this short (all fields' bytes together) is checked for being blank.
_BLANK_BYTES = 256
_SNIFF_BYTES = 1 << 16
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx workbook?); save it as CSV or Parquet"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook; save it as CSV or Parquet"),
    (b"\x1f\x8b", "gzip-compressed; decompress it first"),
    (b"%PDF", "a PDF document, not a data export"),
    (b"\xff\xfe", "UTF-16 text (Excel's 'Unicode Text'); save it as CSV UTF-8"),
    (b"\xfe\xff", "UTF-16 text; save it as CSV UTF-8"),
)


class ReadError(Exception):
    """The file cannot be read as an export at all (``triage.history.loader`` turns it into
    ExportError)."""


@dataclass(frozen=True)
class FileFacts:
    """What one streaming pass over the bytes learned: hash, kind, encoding."""

    fingerprint: str
    size: int
    format: str  # "csv" | "parquet"
    encoding: str | None  # "utf-8" | "utf-8-sig" | "cp1252" | None for Parquet


@dataclass(frozen=True)
class RawTable:
    """An export as text: one column per file column (``c0..``), plus ``__row``, ``__line``,
    ``__nfields`` (fields the record actually had) and, for CSV, ``__extra`` (non-empty when a
    record had more fields than the header). Blank records are already removed.
    """

    header: list[str]
    frame: pl.DataFrame
    separator: str | None
    blank_records: int


def column_key(i: int) -> str:
    return f"c{i}"


# ---------------------------------------------------------------------------------------------
# the bytes
# ---------------------------------------------------------------------------------------------
def inspect_bytes(path: Path) -> FileFacts:
    """Hash the file and decide its format and text encoding in one streaming pass."""
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except FileNotFoundError as exc:
        raise ReadError("does not exist") from exc
    except IsADirectoryError as exc:
        raise ReadError("is a directory, not a file") from exc
    except OSError as exc:
        raise ReadError(f"cannot be read ({exc.strerror or exc})") from exc
    if size == 0:
        handle.close()
        raise ReadError("is empty (0 bytes): no header and no rows")
    digest = hashlib.sha256()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    with handle:
        head = handle.read(_SNIFF_BYTES)
        if head.startswith(b"PAR1"):
            digest.update(head)
            for chunk in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(chunk)
            return FileFacts(digest.hexdigest(), size, "parquet", None)
        for magic, what in _MAGIC:
            if head.startswith(magic):
                raise ReadError(f"is {what}")
        if b"\x00" in head:
            raise ReadError("is binary, not CSV text (it contains NUL bytes)")
        if b"\r" in head and b"\n" not in head:
            raise ReadError(
                "ends its lines with a bare CR (old Mac style); save it with CRLF or LF line ends"
            )
        chunk = head
        while chunk:
            digest.update(chunk)
            if utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            if b"\x00" in chunk:
                raise ReadError("is binary, not CSV text (it contains NUL bytes)")
            chunk = handle.read(_CHUNK)
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    if utf8_ok:
        encoding = "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    else:
        encoding = "cp1252"
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ReadError(
                "is neither UTF-8 nor Windows-1252 (cp1252) text: binary or another encoding"
            ) from exc
        _check_text_looks_like_text(text)
    if utf8_ok:
        _check_text_looks_like_text(head.decode("utf-8", errors="replace"))
    return FileFacts(digest.hexdigest(), size, "csv", encoding)


def _check_text_looks_like_text(text: str) -> None:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    replacement = text.count("\ufffd")
    if text and (controls + replacement) / len(text) > 0.01:
        raise ReadError("is binary, not CSV text (it is full of control characters)")


@contextlib.contextmanager
def utf8_copy(path: Path, facts: FileFacts) -> Iterator[Path]:
    """A UTF-8 version of the file for polars (the file itself when it already is UTF-8).

    cp1252 exports are transcoded chunk by chunk into a temporary file that is removed after
    reading; the input is never modified.
    """
    if facts.encoding != "cp1252":
        yield path
        return
    fd, name = tempfile.mkstemp(prefix="triage-export-", suffix=".csv")
    try:
        with os.fdopen(fd, "wb") as out, path.open("rb") as src:
            offset = 0
            for chunk in iter(lambda: src.read(_CHUNK), b""):
                try:
                    out.write(chunk.decode("cp1252").encode("utf-8"))
                except UnicodeDecodeError as exc:
                    raise ReadError(
                        "is neither UTF-8 nor Windows-1252 (cp1252) text: byte "
                        f"0x{chunk[exc.start]:02x} at offset {offset + exc.start} is in neither"
                    ) from exc
                offset += len(chunk)
        yield Path(name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------
def read_header(path: Path, known: frozenset[str]) -> tuple[list[str], str]:
    """The header row and the separator that splits it into the most known column names."""
    with path.open("rb") as f:
        head = f.read(_SNIFF_BYTES).decode("utf-8", errors="replace")
    # Lines end at LF (CRLF included), as polars reads them.
    first = head.removeprefix("\ufeff").split("\n", 1)[0].removesuffix("\r")
    if not first.strip():
        raise ReadError("has no header row (the first line is blank)")

    def split(sep: str) -> list[str]:
        return next(csv.reader(io.StringIO(first), delimiter=sep, strict=False), [])

    def score(sep: str) -> tuple[int, int]:
        cells = split(sep)
        return sum(normalise_column_name(c) in known for c in cells), len(cells)

    separator = max(SEPARATORS, key=score)  # ties go to the earlier (comma first)
    return split(separator), separator


def read_csv_text(
    path: Path, header: list[str], separator: str, *, exact: bool = False
) -> RawTable:
    """Every record as text with its line number and field count (see module docstring).

    ``exact`` forces the csv-module path (the fast path is checked against it in the tests).
    """
    n = len(header)
    try:
        if exact:
            raise _NeedsExactParse("asked for")
        frame = _read_csv_polars(path, n, separator)
    except _NeedsExactParse as why:
        log.info("reading %s with the csv module: %s", path, why)
        frame = _read_csv_python(path, n, separator)
    # A blank record (an empty line, or only separators as Excel writes below the data) holds
    # nothing, so it is skipped and counted. A record with fields beyond the one extra column
    # read is never called blank: what was beyond is unknown, and it is rejected instead.
    values = [pl.col(column_key(i)).fill_null("") for i in range(n)] + [pl.col(EXTRA).fill_null("")]
    # Only short records can be blank; strip just those (a byte length is free to read).
    short = (pl.sum_horizontal([v.str.len_bytes() for v in values]) <= _BLANK_BYTES) & (
        pl.col(NFIELDS) <= n + 1
    )
    candidates = frame.select(short).to_series().arg_true()
    blank = pl.select(pl.repeat(False, frame.height, dtype=pl.Boolean)).to_series()
    if candidates.len():
        spaces = frame[candidates].select(
            pl.all_horizontal([v.str.strip_chars() == "" for v in values])
        )
        blank = blank.scatter(candidates, spaces.to_series())
    frame = frame.with_columns(blank.alias("__blank"))
    blank_records = int(blank.sum())
    frame = (
        frame.filter(~pl.col("__blank"))
        .drop("__blank")
        .with_row_index(ROW, offset=1)
        .with_columns(pl.col(ROW).cast(pl.Int64))
    )
    return RawTable(header, frame, separator, blank_records)


class _NeedsExactParse(Exception):
    """The fast path cannot give exact line numbers for this file."""


def _read_csv_polars(path: Path, n: int, separator: str) -> pl.DataFrame:
    """polars parses the values; the file's physical lines give line numbers and field counts.

    A record spans 1 + (line breaks inside its values) physical lines, so a cumulative sum
    gives every record's first line. The separators on those lines, minus the separators
    inside its parsed values, give the number of fields it really had: a short (truncated) or
    long row shows up even though polars pads or truncates it. When the two views of the file
    disagree (a lone CR, a field beyond the header with a line break), the exact path is used.
    """
    schema = {column_key(i): pl.String() for i in range(n)} | {EXTRA: pl.String()}
    try:
        values = pl.read_csv(
            path,
            has_header=False,
            skip_rows=1,
            separator=separator,
            schema=schema,
            infer_schema=False,
            truncate_ragged_lines=True,
            missing_columns="insert",
            extra_columns="ignore",
            empty_string_is_null=False,
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as exc:
        raise _NeedsExactParse(f"polars refused the file: {str(exc).splitlines()[0]}") from exc
    # Separators on each physical line, counted while streaming the lines (their text is not
    # kept). The first line is the header.
    line_seps = (
        pl.scan_csv(
            path,
            has_header=False,
            separator="\x00",
            quote_char=None,
            schema={"l": pl.String()},
            empty_string_is_null=False,
            truncate_ragged_lines=True,
            raise_if_empty=False,
        )
        .select(pl.col("l").str.count_matches(separator, literal=True).cast(pl.Int64))
        .collect(engine="streaming")
        .to_series()
        .slice(1)
    )
    fields = [pl.col(c).fill_null("") for c in schema]
    # With as many lines as records no value holds a line break: skip counting them.
    newlines = (
        pl.lit(0, dtype=pl.Int64)
        if line_seps.len() == values.height
        else pl.sum_horizontal([f.str.count_matches("\n", literal=True) for f in fields])
    )
    per_record = values.select(
        (newlines + 1).cast(pl.Int64).alias("span"),
        pl.sum_horizontal([f.str.count_matches(separator, literal=True) for f in fields])
        .cast(pl.Int64)
        .alias("inner"),
    )
    if int(per_record["span"].sum()) != line_seps.len():
        raise _NeedsExactParse(
            f"{line_seps.len()} lines but the records parsed by polars span "
            f"{int(per_record['span'].sum())}"
        )
    seps_to = line_seps.cum_sum()
    span = per_record["span"]
    last = span.cum_sum() - 1  # 0-based index of the record's last physical line
    first = last - span + 1
    seps_end = seps_to.gather(last)
    seps_before = pl.Series([0], dtype=pl.Int64).append(seps_to).gather(first)
    nfields = (seps_end - seps_before - per_record["inner"] + 1).cast(pl.Int32)
    line = (first + 2).cast(pl.Int64)  # data lines start at line 2 (the header is line 1)
    return values.with_columns(nfields.alias(NFIELDS), line.alias(LINE))


def _read_csv_python(path: Path, n: int, separator: str) -> pl.DataFrame:
    """The exact path: the csv module's own record boundaries and line counter."""
    cols: list[list[str | None]] = [[] for _ in range(n + 1)]
    nfields: list[int] = []
    starts: list[int] = []
    # A value longer than csv's default limit (128 KiB) is still only one bad row, not a file
    # that cannot be read: the narrative check rejects it with its line.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 28))
    with path.open("r", encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=separator, strict=False)
        next(reader, None)
        prev = reader.line_num
        for rec in reader:
            starts.append(prev + 1)
            prev = reader.line_num
            nfields.append(len(rec))
            for i in range(n):
                cols[i].append(rec[i] if i < len(rec) else "")
            cols[n].append(separator.join(rec[n:]) if len(rec) > n else "")
    data: dict[str, list[str | None]] = {column_key(i): cols[i] for i in range(n)}
    data[EXTRA] = cols[n]
    frame = pl.DataFrame(data, schema={k: pl.String() for k in data})
    return frame.with_columns(
        pl.Series(NFIELDS, [1 if c == 0 else c for c in nfields], dtype=pl.Int32),
        pl.Series(LINE, starts, dtype=pl.Int64),
    )


# ---------------------------------------------------------------------------------------------
# Parquet
# ---------------------------------------------------------------------------------------------
def read_parquet_header(path: Path) -> list[str]:
    """Column names of a Parquet file, read from its footer (no data)."""
    try:
        return list(pl.read_parquet_schema(path))
    except Exception as exc:  # polars/pyarrow raise many types for a corrupt file
        raise _unreadable_parquet(exc) from exc


def _unreadable_parquet(exc: Exception) -> ReadError:
    """A damaged Parquet file, with the first line of what polars said about it."""
    lines = str(exc).strip().splitlines()
    detail = lines[0][:200] if lines else type(exc).__name__
    return ReadError(f"is not a readable Parquet file ({detail})")


def read_parquet_text(path: Path) -> RawTable:
    """Parquet columns as text, so that one set of rules checks CSV and Parquet alike.

    Typed columns keep their meaning: datetimes become ISO-8601 (UTC when they carry a time
    zone), floats that are whole numbers lose their ``.0`` (pandas writes an integer column
    with gaps as float), booleans become true/false.
    """
    try:
        frame = pl.read_parquet(path)
    except Exception as exc:  # polars/pyarrow raise many types for a corrupt file
        raise _unreadable_parquet(exc) from exc
    header = list(frame.columns)
    exprs: list[pl.Expr] = []
    for i, name in enumerate(header):
        dtype = frame.schema[name]
        col = pl.col(name)
        if isinstance(dtype, pl.Datetime):
            if dtype.time_zone is not None:
                col = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
            text = col.dt.strftime("%Y-%m-%dT%H:%M:%S%.f")
        elif isinstance(dtype, pl.Date):
            text = col.dt.strftime("%Y-%m-%d")
        elif dtype.is_float():
            # NaN is how pandas writes a missing number: not known, like a blank CSV field.
            text = (
                pl.when(col.is_nan())
                .then(None)
                .when(col.is_finite() & (col == col.floor()) & (col.abs() < 1e9))
                .then(col.cast(pl.Int64).cast(pl.String))
                .otherwise(col.cast(pl.String))
            )
            if normalise_column_name(name) in SYNTHETIC_ONLY_COLUMNS:
                text = pl.when(col.is_nan()).then(None).otherwise(col.cast(pl.String))
        elif dtype.is_nested() or isinstance(dtype, pl.Binary | pl.Object):
            raise ReadError(f"has a column {name!r} of type {dtype}, which no export field takes")
        else:
            text = col.cast(pl.String)
        exprs.append(text.alias(column_key(i)))
    frame = frame.select(exprs).with_columns(
        pl.lit(None, dtype=pl.Int64).alias(LINE),
        pl.lit(len(header), dtype=pl.Int32).alias(NFIELDS),
        pl.lit("", dtype=pl.String).alias(EXTRA),
    )
    frame = frame.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    return RawTable(header, frame, None, 0)
