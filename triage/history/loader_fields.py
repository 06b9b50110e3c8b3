"""Per-column parsing and checking rules for exports, derived from ``triage.schema``.

Why a separate module: the loader validates millions of rows with polars expressions, and the
error messages for the (few) rejected rows are built in Python. Both must agree on what each
column accepts, and both must follow ``ExportRow`` so that a new enum value or field in the
schema needs no change here. Nothing in this module keeps its own list of columns or values.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any, Literal

import annotated_types as at
import polars as pl
from pydantic import StringConstraints
from pydantic.fields import FieldInfo

from triage.schema import (
    SYNTHETIC_ONLY_COLUMNS,
    ExportRow,
    enum_of,
    polars_schema,
    required_export_fields,
    unwrap_annotation,
)

#: Booleans a control-room export uses. Blank is "not known" (null), never "no".
TRUE_WORDS: tuple[str, ...] = ("true", "yes", "y", "1", "t")
FALSE_WORDS: tuple[str, ...] = ("false", "no", "n", "0", "f")
_BOOL_SPELLINGS: dict[str, bool] = {
    spelling: value
    for words, value in ((TRUE_WORDS, True), (FALSE_WORDS, False))
    for w in words
    for spelling in (w, w.upper(), w.title())
}

#: Timestamp layouts accepted for datetime columns, tried in order. ISO-8601 first; then the UK
#: day-first layouts that Excel and most CAD exports write (never month-first).
ISO_NAIVE_FORMATS: tuple[str, ...] = (
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)
ISO_OFFSET_FORMATS: tuple[str, ...] = (
    "%Y-%m-%dT%H:%M:%S%.f%#z",
    "%Y-%m-%d %H:%M:%S%.f%#z",
    "%Y-%m-%dT%H:%M%#z",
)
UK_FORMATS: tuple[str, ...] = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")

#: Shapes used only to word a message: "looks like a date but is not a real one" versus
#: "not a timestamp at all". Parsing itself is done by the polars expressions above.
_DATE_SHAPES = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})([ T].*)?$"),
    re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})( .*)?$"),
)

#: How a column's text is parsed (from the schema field's type).
Kind = Literal["string", "enum", "bool", "int", "datetime", "float01"]

#: Tolerance for the synthetic probabilities summing to 1 (they are written as decimals).
PROB_SUM_TOLERANCE = 1e-3


@dataclass(frozen=True)
class FieldRule:
    """What one export column accepts, taken from the ``ExportRow`` field of the same name."""

    name: str
    kind: Kind
    dtype: pl.DataType
    required: bool
    values: tuple[str, ...] = ()
    min_length: int | None = None
    max_length: int | None = None
    ge: int | None = None
    le: int | None = None

    # ---- vectorised parsing and checking ------------------------------------------------
    def check(self, raw: pl.Series) -> tuple[pl.Series, pl.Series]:
        """Raw text -> (parsed values in ``self.dtype``, True where the value is not acceptable).

        Why two passes: an export spells a column one way throughout, usually exactly as the
        schema does. The exact spelling is parsed first with a cheap cast or hash lookup, and
        only the values that fail it (" DEPLOY ", "Hear and Treat", "45.0", "Y") are stripped and
        normalised, so a clean 5M-row file never pays for the forgiving path. Blank (empty or
        spaces only) means not known: null, and bad only for a required column.
        """
        raw = raw.cast(pl.String)
        if self.kind == "string":
            stripped = raw.str.strip_chars()
            blank = (stripped.is_null() | (stripped == "")).fill_null(True)
            parsed = pl.select(pl.when(blank).then(None).otherwise(stripped)).to_series()
            n = parsed.str.len_chars()
            wrong = _constant(False, raw.len())
            if self.min_length is not None:
                wrong = wrong | (n < self.min_length)
            if self.max_length is not None:
                wrong = wrong | (n > self.max_length)
            return parsed.alias(self.name), self._bad(blank, wrong)
        if self.kind == "datetime":
            parsed = parse_timestamps(raw)
            blank = raw.str.strip_chars().fill_null("") == ""
        else:
            parsed = self._exact(raw)
            blank = (raw.is_null() | (raw == "")).fill_null(True)
            todo = (parsed.is_null() & ~blank).arg_true()
            if todo.len():
                loose = raw.gather(todo).str.strip_chars()
                parsed = parsed.scatter(todo, self._forgiving(loose))
                blank = blank.scatter(todo, loose == "")
        if self.kind == "int":
            wrong = parsed.is_null()
            if self.ge is not None:
                wrong = wrong | (parsed < self.ge)
            if self.le is not None:
                wrong = wrong | (parsed > self.le)
            parsed = parsed.cast(self.dtype, strict=False)
        elif self.kind == "float01":
            wrong = parsed.is_null() | parsed.is_nan() | (parsed < 0.0) | (parsed > 1.0)
        else:
            wrong = parsed.is_null()
        return parsed.alias(self.name), self._bad(blank, wrong)

    def _bad(self, blank: pl.Series, wrong: pl.Series) -> pl.Series:
        missing = blank if self.required else _constant(False, blank.len())
        return (missing | (~blank & wrong)).fill_null(True)

    def _exact(self, raw: pl.Series) -> pl.Series:
        """The value as the schema spells it (null otherwise)."""
        if self.kind == "enum":
            return raw.cast(self.dtype, strict=False)
        if self.kind == "bool":
            return raw.replace_strict(_BOOL_SPELLINGS, default=None, return_dtype=pl.Boolean)
        if self.kind == "int":
            return raw.cast(pl.Int64, strict=False)
        return raw.cast(pl.Float64, strict=False)  # float01

    def _forgiving(self, stripped: pl.Series) -> pl.Series:
        """Any accepted spelling of a stripped value (null when none)."""
        s = pl.col("s")
        if self.kind == "enum":
            expr = normalise_token(s).cast(self.dtype, strict=False)
        elif self.kind == "bool":
            expr = s.str.to_lowercase().replace_strict(
                _BOOL_SPELLINGS, default=None, return_dtype=pl.Boolean
            )
        elif self.kind == "int":
            # "45", and "45.0" as pandas writes an integer column with gaps; never "1e2".
            digits = s.str.replace(r"^\+", "").str.replace(r"\.0+$", "")
            expr = (
                pl.when(digits.str.contains(r"^-?\d{1,9}$"))
                .then(digits)
                .otherwise(None)
                .cast(pl.Int64, strict=False)
            )
        else:
            expr = s.cast(pl.Float64, strict=False)
        return pl.DataFrame({"s": stripped}).select(expr).to_series()

    # ---- messages for rejected rows --------------------------------------------------------
    def message(self, value: str | None, where: str) -> str:
        """scikit-learn style: what the column must be, what was given, and where."""
        stripped = "" if value is None else value.strip()
        if stripped == "":
            return (
                f"The '{self.name}' column is required and must not be blank. "
                f"Got an empty value {where}."
            )
        got = f"Got {_quote(value)} {where}"
        if self.kind == "enum":
            label = " (the label)" if self.name == "disposition" else ""
            return (
                f"The '{self.name}' column{label} must be one of {', '.join(self.values)} "
                f"(case, spaces and underscores ignored). {got}."
            )
        if self.kind == "bool":
            return (
                f"The '{self.name}' column must be true/false, yes/no, y/n or 1/0 "
                f"(blank means not known). {got}."
            )
        if self.kind == "int":
            return f"The '{self.name}' column must be an integer {self.ge}..{self.le}. {got}."
        if self.kind == "datetime":
            why = (
                ", which is not a real date or time"
                if any(p.match(stripped) for p in _DATE_SHAPES)
                else ""
            )
            return (
                f"The '{self.name}' column must be an ISO-8601 timestamp (2025-03-31T14:05:00) "
                f"or a UK day-first date (31/03/2025 14:05). {got}{why}."
            )
        if self.kind == "float01":
            return f"The '{self.name}' column must be a probability 0..1. {got}."
        n = len(stripped)
        lo = self.min_length if self.min_length is not None else 0
        hi = self.max_length if self.max_length is not None else "any"
        return (
            f"The '{self.name}' column must be {lo}..{hi} characters after stripping spaces. "
            f"Got {n} characters {where}."
        )


def _constant(value: bool, n: int) -> pl.Series:
    return pl.select(pl.repeat(value, n, dtype=pl.Boolean)).to_series()


def normalise_token(s: pl.Expr) -> pl.Expr:
    """Enum spelling as people type it -> the schema's value ("Hear and Treat" -> hear_and_treat).

    Case, surrounding spaces, and spaces, hyphens or underscores between words are ignored.
    """
    return s.str.strip_chars().str.to_lowercase().str.replace_all(r"[\s_\-]+", "_")


def normalise_column_name(name: str) -> str:
    """Header spelling -> field name: case, surrounding spaces and inner spaces ignored."""
    # A UTF-8 byte-order mark survives as "\ufeff", or as "ï»¿" when the rest of the file
    # made it decode as cp1252.
    name = name.replace("\ufeff", "").removeprefix("ï»¿")
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def parse_timestamps(values: pl.Series, sample: int = 2000) -> pl.Series:
    """ISO-8601 (with or without offset) or UK day-first text -> naive ``Datetime('us')``.

    A timestamp with an offset is converted to UTC; one without is kept as written (the
    control room's local clock), which is what historic exports hold. Null where blank or not
    a real timestamp.

    Why a cascade rather than one expression: parsing text to datetimes is the dearest check
    (about a microsecond a value), and an export uses one layout throughout. Layouts are tried
    most-common-first (counted on a sample) and each is tried only on the values no earlier
    layout parsed, so a 5M-row file is parsed about once, not once per accepted layout.
    """
    dt = pl.Datetime("us")
    text = values.cast(pl.String).str.strip_chars()
    out = pl.select(pl.repeat(None, values.len(), dtype=dt)).to_series().alias(values.name)
    idx = (text.is_not_null() & (text != "")).arg_true()
    todo = text.gather(idx)
    layouts = [(f, False) for f in ISO_NAIVE_FORMATS + UK_FORMATS] + [
        (f, True) for f in ISO_OFFSET_FORMATS
    ]

    def parse(s: pl.Series, fmt: str, aware: bool) -> pl.Series:
        if aware:
            return s.str.strptime(pl.Datetime("us", "UTC"), fmt, strict=False).dt.replace_time_zone(
                None
            )
        return s.str.strptime(dt, fmt, strict=False)

    head = todo.head(sample)
    hits = {lay: int(parse(head, *lay).is_not_null().sum()) for lay in layouts}
    for lay in sorted(layouts, key=lambda lay: -hits[lay]):
        if todo.len() == 0:
            break
        parsed = parse(todo, *lay)
        ok = parsed.is_not_null()
        if ok.any():
            out = out.scatter(idx.filter(ok), parsed.filter(ok))
            idx, todo = idx.filter(~ok), todo.filter(~ok)
    return out


def _quote(value: str | None, limit: int = 80) -> str:
    if value is None:
        return "nothing"
    text = value if len(value) <= limit else value[: limit - 3] + "..."
    return repr(text)


def _constraints(info: FieldInfo) -> dict[str, int]:
    _, meta = unwrap_annotation(info.annotation)
    items: list[Any] = list(info.metadata) + meta
    out: dict[str, int] = {}
    for item in items:
        if isinstance(item, FieldInfo):
            items.extend(item.metadata)
        elif isinstance(item, StringConstraints):
            if item.min_length is not None:
                out["min_length"] = item.min_length
            if item.max_length is not None:
                out["max_length"] = item.max_length
        elif isinstance(item, at.MinLen):
            out["min_length"] = item.min_length
        elif isinstance(item, at.MaxLen):
            out["max_length"] = item.max_length
        elif isinstance(item, at.Ge):
            out["ge"] = int(typing.cast(int, item.ge))
        elif isinstance(item, at.Le):
            out["le"] = int(typing.cast(int, item.le))
        elif isinstance(item, at.Gt):
            out["ge"] = int(typing.cast(int, item.gt)) + 1
        elif isinstance(item, at.Lt):
            out["le"] = int(typing.cast(int, item.lt)) - 1
    return out


@lru_cache(maxsize=1)
def export_rules() -> dict[str, FieldRule]:
    """One rule per ``ExportRow`` field, in schema order."""
    schema = polars_schema(ExportRow)
    required = set(required_export_fields())
    rules: dict[str, FieldRule] = {}
    for name, info in ExportRow.model_fields.items():
        dtype = schema[name]
        base, _ = unwrap_annotation(info.annotation)
        enum: type[StrEnum] | None = enum_of(name, ExportRow)
        cons = _constraints(info)
        if enum is not None:
            rule = FieldRule(name, "enum", dtype, name in required, tuple(m.value for m in enum))
        elif base is bool:
            rule = FieldRule(name, "bool", dtype, name in required)
        elif base is int:
            rule = FieldRule(
                name, "int", dtype, name in required, ge=cons.get("ge"), le=cons.get("le")
            )
        elif base is datetime:
            rule = FieldRule(name, "datetime", dtype, name in required)
        elif base is str:
            rule = FieldRule(
                name,
                "string",
                dtype,
                name in required,
                min_length=cons.get("min_length"),
                max_length=cons.get("max_length"),
            )
        else:  # a new field type in the schema must get a rule here, not pass unchecked
            raise TypeError(f"The loader has no rule for field {name!r} of type {base!r}")
        rules[name] = rule
    return rules


@lru_cache(maxsize=1)
def synthetic_rules() -> dict[str, FieldRule]:
    """Rules for the generator's true class probabilities (synthetic files only)."""
    return {
        c: FieldRule(c, "float01", pl.Float64(), True, min_length=None)
        for c in SYNTHETIC_ONLY_COLUMNS
    }
