"""Synthetic history of police-to-ambulance requests, calibrated to the published figures.

No record-level police-to-ambulance data is public, so the project trains and tests on this.
Per row the generator draws a latent clinical scenario (:mod:`triage.history.synth_catalogue`),
renders the narrative and the structured facts from it in control-room language (abbreviations,
typos, negations; :mod:`triage.history.synth_text`), places it in time and in a force
(:mod:`triage.history.synth_time`), computes the true class probabilities from what the rendered
request shows, and samples the label from them. The probabilities (``p_*`` columns) are therefore
the Bayes-optimal answer, the "oracle" a model is compared with; they are synthetic-only and never
features.

Everything is vectorised: rows sample integer indices into a table of pre-rendered phrases and
polars joins them, so a million rows take seconds (benchmarks/bench_synth.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from triage.history.synth_catalogue import RED_FLAG_PROBS, VARIANTS, Variant
from triage.history.synth_phrases import Catalogue, catalogue
from triage.history.synth_rows import N_PARTS, Rows, code, fill_variant, values
from triage.history.synth_time import BUSY_NIGHT, DAY, FORCES, NIGHT, sample_times
from triage.schema import (
    DISPOSITIONS,
    SYNTHETIC_ONLY_COLUMNS,
    Disposition,
    synthetic_schema,
)

WRITE_FORMATS: tuple[str, ...] = (".csv", ".parquet")

#: Share of rows that carry the narrative and no structured fact at all.
NARRATIVE_ONLY_SHARE = 0.25
#: Probability that a structured field is left blank in a row that carries some facts.
FIELD_MISSING: dict[str, float] = {
    "incident_type": 0.08,
    "age": 0.30,
    "sex": 0.15,
    "conscious": 0.22,
    "breathing": 0.25,
    "bleeding": 0.22,
    "officer_on_scene": 0.20,
    "location_type": 0.15,
}
#: Clinician disagreement mixed into every row's probabilities (label noise lives in p). It
#: mostly moves cases between hear_and_treat and clinical_advice: reviewers rarely call a
#: clearly minor case a deploy, and never call a red flag anything but deploy more than 1.5%.
DISAGREEMENT = 0.04
DISAGREEMENT_SPREAD = (0.47, 0.47, 0.06)
DISAGREEMENT_RED_FLAG = 0.015
DISAGREEMENT_RED_FLAG_SPREAD = (0.5, 0.5, 0.0)

#: How each time category scales a scenario's weight, by the scenario's timing.
_TIMING_SCALE: dict[str, tuple[float, float, float]] = {
    # (DAY, NIGHT, BUSY_NIGHT)
    "night": (0.45, 1.3, 2.1),
    "day": (1.45, 0.6, 0.45),
    "flat": (1.0, 1.0, 1.0),
}

#: Scales each scenario's weight by its most likely disposition (hear_and_treat,
#: clinical_advice, deploy) so that the default class mix lands on about 45% deploy, 33%
#: hear_and_treat, 22% clinical_advice. Fitted once by least squares on a 300,000-row sample of
#: scenario-level mean probabilities; refit when scenarios or their odds change.
CLASS_MIX_SCALE = (0.918, 0.681, 1.0)


def _dominant(v: Variant) -> int:
    return int(np.argmax(v.probs))


def _sample_variants(
    rng: np.random.Generator, force_idx: np.ndarray, category: np.ndarray
) -> np.ndarray:
    """A scenario per row: weights by the row's force (case-mix lean) and time category."""
    base = np.array([v.weight for v in VARIANTS])
    dominant = np.array([_dominant(v) for v in VARIANTS])
    out = np.empty(force_idx.size, dtype=np.int64)
    for fi, force in enumerate(FORCES):
        lean = (np.asarray(force.lean) * np.asarray(CLASS_MIX_SCALE))[dominant]
        for cat in (DAY, NIGHT, BUSY_NIGHT):
            rows = np.flatnonzero((force_idx == fi) & (category == cat))
            if rows.size == 0:
                continue
            timing = np.array([_TIMING_SCALE[v.timing][cat] for v in VARIANTS])
            w = base * lean * timing
            out[rows] = rng.choice(len(VARIANTS), size=rows.size, p=w / w.sum())
    return out


def _probabilities(rows: Rows) -> np.ndarray:
    """Softmax of the log-odds, red flags forced, clinician disagreement mixed in."""
    p = rows.logits - rows.logits.max(axis=1, keepdims=True)
    np.exp(p, out=p)
    p /= p.sum(axis=1, keepdims=True)
    red = rows.red_flag[:, None]
    p = np.where(red, np.asarray(RED_FLAG_PROBS)[None, :], p)
    eps = np.where(red, DISAGREEMENT_RED_FLAG, DISAGREEMENT)
    spread = np.where(red, np.asarray(DISAGREEMENT_RED_FLAG_SPREAD)[None, :],
                      np.asarray(DISAGREEMENT_SPREAD)[None, :])
    p *= 1.0 - eps
    p += eps * spread
    return p


_SEPARATORS = (", ", ". ", " - ", "; ")
_SEPARATOR_P = (0.55, 0.25, 0.12, 0.08)
_CASE_P = (0.81, 0.12, 0.07)  # as typed, all lower case, all upper case (CAD habits)


#: Rows rendered at a time: bounds the memory taken by the gathered phrase columns.
_RENDER_CHUNK = 1 << 18


def _render_narratives(cat: Catalogue, parts: np.ndarray, rng: np.random.Generator) -> pl.Series:
    """Join the sampled phrases into narratives, with varied punctuation and case."""
    n = parts.shape[1]
    sep_style = rng.choice(np.arange(len(_SEPARATORS)), size=n, p=_SEPARATOR_P)
    case_style = rng.choice(np.arange(len(_CASE_P)), size=n, p=_CASE_P)
    group = sep_style * len(_CASE_P) + case_style
    chunks = [
        _render_chunk(cat.table.series(), parts[:, lo:lo + _RENDER_CHUNK],
                      group[lo:lo + _RENDER_CHUNK])
        for lo in range(0, n, _RENDER_CHUNK)
    ]
    return pl.concat(chunks, rechunk=True)


def _render_chunk(table: pl.Series, parts: np.ndarray, group: np.ndarray) -> pl.Series:
    """Rows are grouped by (separator, case) so that each group is joined with a literal
    separator and only the rows that need it are case-folded; then put back in order."""
    n = parts.shape[1]
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(len(_SEPARATORS) * len(_CASE_P) + 1))
    frame = pl.DataFrame({f"p{j}": table.gather(parts[j, order]) for j in range(N_PARTS)})
    head = pl.concat_str([pl.col("p0"), pl.col("p1"), pl.col("p2")], separator=" ",
                         ignore_nulls=True)
    head = pl.when(head.str.len_chars() > 0).then(head).otherwise(None)
    pieces: list[pl.Series] = []
    for g in range(len(bounds) - 1):
        lo, hi = int(bounds[g]), int(bounds[g + 1])
        if hi == lo:
            continue
        sep, case = divmod(g, len(_CASE_P))
        text = pl.concat_str([head, *[pl.col(f"p{j}") for j in range(3, N_PARTS)]],
                             separator=_SEPARATORS[sep], ignore_nulls=True).str.strip_chars()
        if case == 1:
            text = text.str.to_lowercase()
        elif case == 2:
            text = text.str.to_uppercase()
        pieces.append(frame.slice(lo, hi - lo).select(text.alias("narrative")).to_series())
    joined = pl.concat(pieces)
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    return joined.gather(inverse)


def _present_masks(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Which structured fields each row carries: none in narrative-only rows, else each field
    independently. Decided before rendering, because a field that is filled in makes its fact
    visible (the officer on scene) even when the narrative does not say it."""
    narrative_only = rng.random(n) < NARRATIVE_ONLY_SHARE
    return {f: ~narrative_only & (rng.random(n) >= p) for f, p in FIELD_MISSING.items()}


def _enum_column(codes: np.ndarray, present: np.ndarray, name: str,
                 unknown_share: float, rng: np.random.Generator) -> pl.Series:
    """Structured fact column: the scenario's value where present; 'unknown' or blank where the
    scenario leaves it open (code -1)."""
    out = np.where(present, codes, -1).astype(np.int32)
    if unknown_share > 0:
        say_unknown = present & (codes < 0) & (rng.random(codes.size) < unknown_share)
        out[say_unknown] = code(name, "unknown")
    idx = pl.Series(out)
    idx = pl.select(pl.when(idx >= 0).then(idx)).to_series()
    return pl.Series(name, values(name), dtype=synthetic_schema()[name]).gather(idx).alias(name)


def generate(rows: int, seed: int, *, start: date = date(2025, 1, 1), days: int = 365
             ) -> pl.DataFrame:
    """``rows`` synthetic historic requests with labels and the generator's true probabilities.

    Columns are exactly :func:`triage.schema.synthetic_schema`, rows in time order. The same
    ``(rows, seed, start, days)`` always gives the identical frame.
    """
    if rows < 1:
        raise ValueError(f"rows must be at least 1. Got {rows}.")
    if days < 1:
        raise ValueError(f"days must be at least 1. Got {days}.")
    rng = np.random.default_rng(seed)
    cat = catalogue()
    n = rows

    stamps, category = sample_times(rng, n, start, days)
    order = np.argsort(stamps, kind="stable")
    stamps, category = stamps[order], category[order]
    volume = np.array([f.volume for f in FORCES])
    force_idx = rng.choice(len(FORCES), size=n, p=volume / volume.sum())
    variant = _sample_variants(rng, force_idx, category)
    present = _present_masks(rng, n)
    terse = rng.random(n) < 0.12

    out = Rows.empty(n)
    for vi in range(len(VARIANTS)):
        sel = np.flatnonzero(variant == vi)
        if sel.size:
            fill_variant(rng, cat, vi, sel, out, present["officer_on_scene"], terse[sel])

    p = _probabilities(out)
    u = rng.random(n)
    label = (u[:, None] > np.cumsum(p, axis=1)[:, :2]).sum(axis=1)
    narrative = _render_narratives(cat, out.parts, rng)

    schema = synthetic_schema()
    sex_codes = out.sex.astype(np.int16)
    # The operator records "unknown" only when nobody said (never contradicting the text).
    sex_codes[~out.sex_shown & (rng.random(n) < 0.3)] = code("sex", "unknown")
    frame = pl.DataFrame({
        "narrative": narrative,
        "incident_type": _enum_column(out.incident, present["incident_type"], "incident_type",
                                      0.0, rng),
        "age": pl.Series("age", np.where(present["age"], out.age, 0), dtype=pl.Int16),
        "age_present": present["age"],
        "sex": _enum_column(sex_codes, present["sex"], "sex", 0.0, rng),
        "conscious": _enum_column(out.conscious, present["conscious"], "conscious", 0.55, rng),
        "breathing": _enum_column(out.breathing, present["breathing"], "breathing", 0.55, rng),
        "bleeding": _enum_column(out.bleeding, present["bleeding"], "bleeding", 0.55, rng),
        "officer_on_scene": out.officer,
        "officer_present": present["officer_on_scene"],
        "location_type": _enum_column(out.location, present["location_type"], "location_type",
                                      0.0, rng),
        "received_at": pl.Series("received_at", stamps, dtype=pl.Datetime("us")),
        "force_code": pl.Series([f.code for f in FORCES], dtype=pl.String).gather(force_idx),
        "force": pl.Series([f.name for f in FORCES], dtype=pl.String).gather(force_idx),
        "ambulance_trust": pl.Series([f.trust for f in FORCES], dtype=pl.String).gather(
            force_idx),
        "disposition": pl.Series(
            [d.value for d in DISPOSITIONS], dtype=schema["disposition"]).gather(label),
        **{c: p[:, i] for i, c in enumerate(SYNTHETIC_ONLY_COLUMNS)},
    })
    seq = pl.int_range(1, pl.len() + 1).over("force_code")
    frame = frame.with_columns(
        pl.when(pl.col("age_present")).then(pl.col("age")).otherwise(None).alias("age"),
        pl.when(pl.col("officer_present")).then(pl.col("officer_on_scene")).otherwise(None)
        .alias("officer_on_scene"),
        pl.format("SYN-{}-{}", pl.col("force_code"), seq.cast(pl.String).str.zfill(7))
        .alias("request_id"),
    )
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


# --------------------------------------------------------------------------- writing


def write_frame(df: pl.DataFrame, path: Path) -> None:
    """Write ``df`` as CSV or Parquet, chosen by the file's ending.

    CSV is what a strict loader expects from a real export: ISO-8601 timestamps, true/false
    booleans, lower-case enum values, blanks for missing values. Written to a temporary file
    beside ``path`` and renamed into place, so an interrupted run never leaves a truncated
    history that looks complete.
    """
    suffix = path.suffix.lower()
    if suffix not in WRITE_FORMATS:
        raise ValueError(
            f"Cannot write {str(path)!r}: unsupported file ending {path.suffix or '(none)'!r}. "
            f"Use one of {', '.join(WRITE_FORMATS)}."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        if suffix == ".csv":
            df.write_csv(tmp, datetime_format="%Y-%m-%dT%H:%M:%S", null_value="")
        else:
            df.write_parquet(tmp)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- command


def class_mix(df: pl.DataFrame) -> dict[str, float]:
    """Share of each disposition in ``df`` (in DISPOSITIONS order)."""
    counts = df["disposition"].value_counts()
    total = df.height
    got = {str(r["disposition"]): r["count"] / total for r in counts.iter_rows(named=True)}
    return {d.value: float(got.get(d.value, 0.0)) for d in DISPOSITIONS}


__all__ = ["Disposition", "class_mix", "generate", "write_frame"]
