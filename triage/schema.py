"""The request contract: one source of truth for every field and enum.

Everything else (the loader, the synthetic generator, the feature pipeline, the HTTP API and
the audit export) derives its field names, types and allowed values from the models here, so a
new enum value or field is added in exactly one place. See docs/REQUESTS.md for the contract in
prose; it mirrors ../shared/spec/requests.md and only ever adds to it.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

import numpy as np
import polars as pl
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict, StringConstraints


class Disposition(StrEnum):
    """What the request needs. The order here is the column order of every probability array."""

    HEAR_AND_TREAT = "hear_and_treat"
    CLINICAL_ADVICE = "clinical_advice"
    DEPLOY = "deploy"


#: Class order for probability arrays, label encoding and reports (hear_and_treat, clinical_advice,
#: deploy). Index 2 is deploy everywhere.
DISPOSITIONS: tuple[Disposition, ...] = tuple(Disposition)
DEPLOY_INDEX: int = DISPOSITIONS.index(Disposition.DEPLOY)
#: Disposition value -> its index in DISPOSITIONS (the one label encoding; 0-based).
DISPOSITION_INDEX: dict[str, int] = {d.value: i for i, d in enumerate(DISPOSITIONS)}


def disposition_indices(
    values: pl.Series | Sequence[Any] | np.ndarray,
    *,
    what: str = "disposition",
    error: type[Exception] = ValueError,
) -> np.ndarray:
    """Dispositions as int64 indices into ``DISPOSITIONS``: the one converter.

    ``values`` is a polars Series or a sequence of disposition values or members, or of
    indices already (range-checked). A missing or unknown value raises ``error`` naming
    ``what`` and the row, counted from 1.
    """
    if isinstance(values, pl.Series):
        col = values.cast(pl.String)
        if col.null_count():
            row = int(col.is_null().arg_true()[0])
            raise error(f"row {row + 1}: {what!r} is missing")
        out = col.replace_strict(DISPOSITION_INDEX, default=-1, return_dtype=pl.Int64).to_numpy()
    else:
        arr = np.asarray(values)
        if arr.ndim != 1:
            raise error(f"{what} must be one-dimensional; got shape {arr.shape}")
        if arr.dtype.kind in "iu":
            if arr.size and (arr.min() < 0 or arr.max() >= len(DISPOSITIONS)):
                raise error(f"{what} indices must be 0..{len(DISPOSITIONS) - 1} (DISPOSITIONS "
                            f"order); got values from {arr.min()} to {arr.max()}")
            return arr.astype(np.int64)
        keys = [v.value if isinstance(v, Disposition) else v for v in arr.tolist()]
        out = np.fromiter((DISPOSITION_INDEX.get(k, -1) if isinstance(k, str) else -1
                           for k in keys), dtype=np.int64, count=len(keys))
    bad = np.flatnonzero(out < 0)
    if bad.size:
        row = int(bad[0])
        got = values[row]
        raise error(f"row {row + 1}: {what} is {got!r}; expected one of "
                    f"{', '.join(DISPOSITION_INDEX)}")
    return np.asarray(out, dtype=np.int64)


class IncidentType(StrEnum):
    CONCERN_FOR_WELFARE = "concern_for_welfare"
    COLLAPSE = "collapse"
    FALL = "fall"
    ASSAULT = "assault"
    ROAD_TRAFFIC_COLLISION = "road_traffic_collision"
    MENTAL_HEALTH = "mental_health"
    SELF_HARM = "self_harm"
    OVERDOSE = "overdose"
    INTOXICATION = "intoxication"
    SUDDEN_DEATH = "sudden_death"
    PERSON_IN_CUSTODY = "person_in_custody"
    S136_DETENTION = "s136_detention"
    BREATHING_PROBLEM = "breathing_problem"
    CHEST_PAIN = "chest_pain"
    SEIZURE = "seizure"
    INJURY_OTHER = "injury_other"
    OTHER = "other"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    UNKNOWN = "unknown"


class Conscious(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


class Breathing(StrEnum):
    NORMAL = "normal"
    DIFFICULTY = "difficulty"
    NOT_BREATHING = "not_breathing"
    UNKNOWN = "unknown"


class Bleeding(StrEnum):
    NONE = "none"
    MINOR = "minor"
    SEVERE = "severe"
    UNKNOWN = "unknown"


class LocationType(StrEnum):
    STREET = "street"
    PRIVATE_DWELLING = "private_dwelling"
    LICENSED_PREMISES = "licensed_premises"
    CUSTODY_SUITE = "custody_suite"
    PUBLIC_PLACE = "public_place"
    ROAD = "road"
    OTHER = "other"


#: UTF-16 surrogates: JSON can smuggle one in as ``"\\ud800"``, but no UTF-8 text can carry
#: it (it would fail later, when the audit store or an error message encodes the text).
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse(value: str, pattern: re.Pattern[str]) -> str:
    bad = pattern.search(value)
    if bad is not None:
        what = "a NUL character" if bad.group() == "\x00" else (
            f"an unpaired surrogate (U+{ord(bad.group()):04X})"
        )
        raise ValueError(
            f"contains {what} at position {bad.start()}; send valid Unicode text (UTF-8)"
        )
    return value


def check_text(value: str) -> str:
    """Refuse text holding an unpaired surrogate, naming its position.

    Everything else is kept: format characters (zero-width spaces, soft hyphens), controls and
    every other code point are normal pasted text, and the text normaliser deals with them.
    (Request text is stored JSON-escaped, so even NUL is stored safely.)
    """
    return _refuse(value, _SURROGATE)


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def check_stored_text(value: str) -> str:
    """``check_text`` for text stored as it is (not JSON-escaped): NUL refused too, since a
    PostgreSQL text column cannot hold it."""
    return _refuse(value, _UNSTORABLE)


#: Text that can be encoded and quoted back: every string field of a request uses it.
SafeText = AfterValidator(check_text)
#: Text stored verbatim in a database column (an outcome's note).
StoredText = AfterValidator(check_stored_text)

#: ``received_at`` must fall in this window (UTC). Outside it a timestamp is a typing error
#: (year 1, year 9999) and would overflow later, when converted to UTC for export.
RECEIVED_AT_MIN = datetime(2000, 1, 1, tzinfo=UTC)
RECEIVED_AT_MAX = datetime(2100, 1, 1, tzinfo=UTC)


def check_received_at(value: datetime) -> datetime:
    """Refuse a timestamp outside [2000-01-01, 2100-01-01) UTC (naive means UTC)."""
    # Compare the year first: converting year 1 at +14:00 to UTC would itself overflow.
    inside = RECEIVED_AT_MIN.year - 1 < value.year < RECEIVED_AT_MAX.year + 1
    if inside:
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        inside = RECEIVED_AT_MIN <= aware < RECEIVED_AT_MAX
    if not inside:
        raise ValueError(
            f"must be from {RECEIVED_AT_MIN:%Y-%m-%d} to before {RECEIVED_AT_MAX:%Y-%m-%d} "
            f"(UTC); got {value.isoformat()}"
        )
    return value


NARRATIVE_MAX_CHARS = 4000
Narrative = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NARRATIVE_MAX_CHARS),
    SafeText,
]
RequestId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64), SafeText
]
#: Numbers and booleans are strict: ``"age": true`` or ``"age": "45"`` is refused, not coerced.
Age = Annotated[int, Strict(), Field(ge=0, le=120, description="Age in years, 0..120.")]
ReceivedAt = Annotated[datetime, AfterValidator(check_received_at)]
ShortText = Annotated[str, Field(max_length=100), SafeText]


class TriageRequest(BaseModel):
    """One police-to-ambulance request as a call handler or CAD system sends it.

    A missing optional field means "not known", never "no": the model sees it as unknown.
    Unknown fields are refused (a misspelt field name must not be silently ignored).
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "narrative": "Male 40s found on floor of flat by officers, c/b, smells of "
                    "ETOH, small cut to head, no LOC, talking normally",
                    "incident_type": "concern_for_welfare",
                    "age": 45,
                    "sex": "male",
                    "conscious": "yes",
                    "breathing": "normal",
                    "bleeding": "minor",
                    "officer_on_scene": True,
                    "location_type": "private_dwelling",
                    "request_id": "CAD-2026-000123",
                }
            ]
        },
    )

    narrative: Narrative = Field(
        description="What the police operator or officer said, as typed (1..4000 characters)."
    )
    incident_type: IncidentType | None = None
    age: Age | None = None
    sex: Sex | None = None
    conscious: Conscious | None = None
    breathing: Breathing | None = None
    bleeding: Bleeding | None = None
    officer_on_scene: bool | None = Field(default=None, strict=True)
    location_type: LocationType | None = None
    received_at: ReceivedAt | None = Field(
        default=None,
        description="When the control room received it (ISO-8601; 2000-01-01 to 2099, UTC).",
    )
    request_id: RequestId | None = Field(
        default=None, description="The caller's own reference (CAD incident number)."
    )


class ExportRow(TriageRequest):
    """One row of a historic export: a request with its clinically reviewed disposition."""

    request_id: RequestId
    received_at: ReceivedAt
    force: ShortText | None = None
    ambulance_trust: ShortText | None = None
    disposition: Disposition


#: Columns the synthetic generator adds: its own true class probabilities. They exist so that
#: evaluation can compare a model with the best possible one. Never features, never in real data.
SYNTHETIC_ONLY_COLUMNS: tuple[str, ...] = tuple(f"p_{d.value}" for d in DISPOSITIONS)

#: The request fields a model may read (everything a handler can send except bookkeeping).
BOOKKEEPING_FIELDS: frozenset[str] = frozenset({"request_id", "received_at"})


def request_fields() -> tuple[str, ...]:
    """Field names of a request, in declaration order."""
    return tuple(TriageRequest.model_fields)


def feature_fields() -> tuple[str, ...]:
    """Request fields that carry clinical information (the model's inputs)."""
    return tuple(f for f in TriageRequest.model_fields if f not in BOOKKEEPING_FIELDS)


def export_fields() -> tuple[str, ...]:
    """Field names of an export row, in declaration order (request fields first)."""
    return tuple(ExportRow.model_fields)


def required_export_fields() -> tuple[str, ...]:
    """Export fields a row must carry (the loader refuses a file without these columns)."""
    return tuple(n for n, f in ExportRow.model_fields.items() if f.is_required())


def unwrap_annotation(annotation: Any) -> tuple[Any, list[Any]]:
    """Strip ``| None`` and ``Annotated`` from a field's type: its base type and all metadata.

    ``Age | None`` -> ``(int, [FieldInfo(ge=0, le=120)])``. One unwrapping for everything that
    reads the schema's types (the polars schema here, the loader's per-column rules), so the two
    cannot disagree about what a field is.
    """
    meta: list[Any] = []
    ann = annotation
    while True:
        origin = typing.get_origin(ann)
        if origin is Annotated:
            base, *extra = typing.get_args(ann)
            meta.extend(extra)
            ann = base
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            if len(args) != 1:
                return ann, meta
            ann = args[0]
        else:
            return ann, meta


def enum_of(field: str, model: type[BaseModel] = ExportRow) -> type[StrEnum] | None:
    """The StrEnum a field takes its values from, or None when it is not an enum field."""
    ann, _ = unwrap_annotation(model.model_fields[field].annotation)
    if isinstance(ann, type) and issubclass(ann, StrEnum):
        return ann
    return None


def enum_fields(model: type[BaseModel] = ExportRow) -> dict[str, type[StrEnum]]:
    """Every enum-valued field of ``model`` with its enum, in declaration order."""
    out: dict[str, type[StrEnum]] = {}
    for name in model.model_fields:
        e = enum_of(name, model)
        if e is not None:
            out[name] = e
    return out


def _polars_dtype(annotation: Any) -> pl.DataType:
    ann, _ = unwrap_annotation(annotation)
    if isinstance(ann, type) and issubclass(ann, StrEnum):
        return pl.Enum([m.value for m in ann])
    if ann is bool:
        return pl.Boolean()
    if ann is int:
        return pl.Int16()
    if ann is float:
        return pl.Float64()
    if ann is datetime:
        return pl.Datetime("us")
    if ann is str:
        return pl.String()
    raise TypeError(f"No polars dtype for annotation {annotation!r}")


@lru_cache(maxsize=4)
def polars_schema(model: type[BaseModel] = ExportRow) -> pl.Schema:
    """The polars schema of ``model``: enums become ``pl.Enum`` with the same values."""
    return pl.Schema(
        {name: _polars_dtype(f.annotation) for name, f in model.model_fields.items()}
    )


def synthetic_schema() -> pl.Schema:
    """Export schema plus the generator's true probabilities (synthetic data only)."""
    cols = dict(polars_schema(ExportRow))
    cols.update({c: pl.Float64() for c in SYNTHETIC_ONLY_COLUMNS})
    return pl.Schema(cols)
