"""The impact case: what following the suggestions would have meant, against today's practice.

Pure arithmetic on a labelled period (one row per request, with the disposition a clinical
review says it needed) and the suggestions a model made for it (the rules as served). Nothing
here loads a model or a file: ``training.impact_command`` does that.

Today's practice (the baseline) sends an ambulance to a share ``baseline_deploy_rate`` of police
requests (1.0 by default: every police request gets an ambulance response, the position the
AACE/NPCC 2015 report describes); requests the baseline does not deploy are taken to get
clinical advice. Following the suggestions, each request costs the minutes its suggested
disposition costs (``Durations``, from ``triage.settings``). Under-triage (needed ``deploy``,
suggested anything else) and over-triage (suggested ``deploy``, needed something else) are
measured against the reviewed disposition, with Wilson 95% intervals, overall and by force, by
ISO week and by hour of the week. Where the period comes from the audit store (an audit export
has a ``suggested`` column: what the service suggested at the time), it also shows how often
the handlers' final decision followed the suggestion and how they overrode it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from triage.metrics import rate_with_ci
from triage.schema import (
    DEPLOY_INDEX,
    DISPOSITION_INDEX,
    DISPOSITIONS,
    Disposition,
    disposition_indices,
)
from triage.settings import Settings

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class ImpactError(ValueError):
    """The period cannot be assessed; the message names the column or row."""


@dataclass(frozen=True, slots=True)
class Durations:
    """Minutes of one resource per request, by disposition value, and where each came from."""

    ambulance: dict[str, float]
    officer: dict[str, float]
    sources: dict[str, str]

    @classmethod
    def from_settings(cls, settings: Settings) -> Durations:
        ambulance: dict[str, float] = {}
        officer: dict[str, float] = {}
        sources: dict[str, str] = {}
        for d in DISPOSITIONS:
            for kind, target in (("ambulance", ambulance), ("officer", officer)):
                name = f"impact_{kind}_minutes_{d.value}"
                target[d.value] = float(getattr(settings, name))
                field = Settings.model_fields[name]
                sources[name] = field.description or ""
        return cls(ambulance, officer, sources)

    def to_json(self) -> dict[str, Any]:
        return {"ambulance_minutes": self.ambulance, "officer_minutes": self.officer,
                "sources": self.sources}


def suggestion_indices(values: Sequence[str | Disposition]) -> np.ndarray:
    """Disposition values -> indices into ``DISPOSITIONS``."""
    return disposition_indices(list(values), what="suggestion", error=ImpactError)


def _labels(frame: pl.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        raise ImpactError(f"the data has no {column!r} column (the reviewed disposition), so "
                          "under- and over-triage cannot be measured")
    return disposition_indices(frame[column], what=column, error=ImpactError)


def _figures(y: np.ndarray, pred: np.ndarray, durations: Durations,
             baseline_deploy_rate: float) -> dict[str, Any]:
    n = int(y.shape[0])
    needed = y == DEPLOY_INDEX
    suggested_deploy = pred == DEPLOY_INDEX
    counts = {d.value: int((pred == i).sum()) for i, d in enumerate(DISPOSITIONS)}
    amb = np.array([durations.ambulance[d.value] for d in DISPOSITIONS]) / 60.0
    off = np.array([durations.officer[d.value] for d in DISPOSITIONS]) / 60.0
    base_deploys = baseline_deploy_rate * n
    advice = DISPOSITION_INDEX[Disposition.CLINICAL_ADVICE.value]
    base_amb = base_deploys * amb[DEPLOY_INDEX] + (n - base_deploys) * amb[advice]
    base_off = base_deploys * off[DEPLOY_INDEX] + (n - base_deploys) * off[advice]
    amb_used = float(amb[pred].sum()) if n else 0.0
    off_used = float(off[pred].sum()) if n else 0.0
    under = rate_with_ci(int((needed & ~suggested_deploy).sum()), int(needed.sum()))
    over = rate_with_ci(int((~needed & suggested_deploy).sum()), int((~needed).sum()))
    return {
        "requests": n,
        "suggested": counts,
        "needed": {d.value: int((y == i).sum()) for i, d in enumerate(DISPOSITIONS)},
        "baseline_deployments": base_deploys,
        "deployments": counts[Disposition.DEPLOY.value],
        "deployments_avoided": base_deploys - counts[Disposition.DEPLOY.value],
        "ambulance_hours_baseline": float(base_amb),
        "ambulance_hours": amb_used,
        "ambulance_hours_saved": float(base_amb - amb_used),
        "officer_hours_baseline": float(base_off),
        "officer_hours": off_used,
        "officer_hours_saved": float(base_off - off_used),
        "under_triage_rate": under["rate"],
        "under_triage_ci": under["ci"],
        "under_triaged": under["k"],
        "needed_deploy": under["n"],
        "over_triage_rate": over["rate"],
        "over_triage_ci": over["ci"],
        "over_triaged": over["k"],
        "not_needing_deploy": over["n"],
    }


def _grouped(keys: pl.Series, y: np.ndarray, pred: np.ndarray, durations: Durations,
             baseline_deploy_rate: float) -> list[dict[str, Any]]:
    values = keys.to_list()
    order: dict[Any, list[int]] = {}
    for i, v in enumerate(values):
        order.setdefault(v, []).append(i)
    rows = []
    for key in sorted(order, key=lambda k: (k is None, str(k))):
        idx = np.asarray(order[key], dtype=np.int64)
        f = _figures(y[idx], pred[idx], durations, baseline_deploy_rate)
        rows.append({"key": "not given" if key is None else str(key),
                     **{k: f[k] for k in ("requests", "suggested", "deployments_avoided",
                                          "ambulance_hours_saved", "officer_hours_saved",
                                          "under_triage_rate", "under_triage_ci",
                                          "under_triaged", "needed_deploy", "over_triage_rate",
                                          "over_triage_ci")}})
    return rows


def _handlers(frame: pl.DataFrame, y: np.ndarray) -> dict[str, Any] | None:
    """How the final decisions (the label of an audit export) followed what was suggested."""
    if "suggested" not in frame.columns:
        return None
    suggested = frame["suggested"].cast(pl.String)
    known = suggested.is_in(list(DISPOSITION_INDEX)).fill_null(False).to_numpy()
    if not known.any():
        return None
    s = np.asarray(suggested.fill_null("").replace_strict(DISPOSITION_INDEX, default=-1,
                                                          return_dtype=pl.Int64).to_numpy())
    s, yy = s[known], y[known]
    followed = rate_with_ci(int((s == yy).sum()), int(known.sum()))
    pairs: list[dict[str, Any]] = []
    for i, sd in enumerate(DISPOSITIONS):
        for j, fd in enumerate(DISPOSITIONS):
            if i != j and int(((s == i) & (yy == j)).sum()):
                pairs.append({"suggested": sd.value, "final": fd.value,
                              "count": int(((s == i) & (yy == j)).sum())})
    pairs.sort(key=lambda p: -p["count"])
    return {"n": int(known.sum()), "followed_rate": followed["rate"],
            "followed_ci": followed["ci"], "overrides": pairs,
            "upgraded_to_deploy": int(((s != DEPLOY_INDEX) & (yy == DEPLOY_INDEX)).sum()),
            "downgraded_from_deploy": int(((s == DEPLOY_INDEX) & (yy != DEPLOY_INDEX)).sum())}


def assess(frame: pl.DataFrame, suggestions: Sequence[str | Disposition] | np.ndarray, *,
           durations: Durations, baseline_deploy_rate: float = 1.0,
           label_column: str = "disposition") -> dict[str, Any]:
    """Every figure of the module docstring for ``frame`` (labelled requests) and the final
    ``suggestions`` made for them, row for row (disposition values or ``DISPOSITIONS`` indices).

    Raises:
        ImpactError: no rows, a row count mismatch, a bad label, or a baseline outside [0, 1].
    """
    if not 0.0 <= baseline_deploy_rate <= 1.0:
        raise ImpactError(f"--baseline-deploy-rate must be between 0 and 1; got "
                          f"{baseline_deploy_rate}")
    if frame.height == 0:
        raise ImpactError("no requests to assess")
    pred = (np.asarray(suggestions, dtype=np.int64) if isinstance(suggestions, np.ndarray)
            else suggestion_indices(suggestions))
    if pred.shape[0] != frame.height:
        raise ImpactError(f"{pred.shape[0]} suggestions for {frame.height} requests")
    y = _labels(frame, label_column)
    out = _figures(y, pred, durations, baseline_deploy_rate)
    out["baseline_deploy_rate"] = baseline_deploy_rate
    out["durations"] = durations.to_json()
    if "force" in frame.columns:
        out["by_force"] = _grouped(frame["force"].cast(pl.String), y, pred, durations,
                                   baseline_deploy_rate)
    if "received_at" in frame.columns and frame["received_at"].null_count() < frame.height:
        ts = frame["received_at"]
        week = (ts.dt.iso_year().cast(pl.String) + "-W"
                + ts.dt.week().cast(pl.String).str.zfill(2))
        out["by_week"] = _grouped(week, y, pred, durations, baseline_deploy_rate)
        how = ((ts.dt.weekday() - 1) * 24 + ts.dt.hour()).cast(pl.Int64)
        how_rows = _grouped(how, y, pred, durations, baseline_deploy_rate)
        for r in how_rows:
            if r["key"] != "not given":
                h = int(r["key"])
                r["key"] = f"{DAY_NAMES[h // 24]} {h % 24:02d}:00"
                r["hour_of_week"] = h
        how_rows.sort(key=lambda r: r.get("hour_of_week", 10_000))
        out["by_hour_of_week"] = how_rows
    handlers = _handlers(frame, y)
    if handlers is not None:
        out["handlers"] = handlers
    return out
