"""The impact report: one self-contained HTML page with PNG figures, for commissioners.

It answers the commissioners' three questions in their order (ambulances not sent, officer hours
not spent waiting, no patient harmed), then shows the same by week, by hour of the week and by
force, and, for the audit store's own data, how often handlers followed the suggestions. Every
page says which model and which data (with its fingerprint) it is about, which durations it
assumed and where each came from, and, in a banner, when the data is synthetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from training.report import TEMPLATES, _ci, _pct, _save

IMPACT_INDEX = "index.html"
DISPOSITIONS_PNG = "dispositions.png"
WEEKS_PNG = "by_week.png"
HOURS_PNG = "hour_of_week.png"
_COLOURS = {"hear_and_treat": "#00703c", "clinical_advice": "#ffb81c", "deploy": "#d4351c"}


def _hours(x: float | None) -> str:
    return "n/a" if x is None else f"{x:,.0f}"


def plot_dispositions(impact: Mapping[str, Any], path: Path) -> None:
    """Today's practice against following the suggestions: requests by disposition."""
    from matplotlib.figure import Figure  # the [train] extra
    fig = Figure(figsize=(7.5, 3.2))
    ax = fig.subplots()
    n = impact["requests"]
    base_deploy = impact["baseline_deployments"]
    rows = [("Today (baseline)", {"deploy": base_deploy, "clinical_advice": n - base_deploy,
                                  "hear_and_treat": 0}),
            ("Following the suggestions", impact["suggested"])]
    for y, (_label, counts) in enumerate(rows):
        left = 0.0
        for d in ("deploy", "clinical_advice", "hear_and_treat"):
            width = float(counts.get(d, 0))
            ax.barh(y, width, left=left, color=_COLOURS[d], label=d if y == 0 else None)
            if width > n * 0.06:
                ax.text(left + width / 2, y, f"{width:,.0f}", ha="center", va="center",
                        color="white" if d != "clinical_advice" else "black", fontsize=9)
            left += width
    ax.set_yticks([0, 1], [r[0] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("requests")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    _save(fig, path)


def plot_weeks(rows: Sequence[Mapping[str, Any]], path: Path) -> None:
    """Per week: deployments avoided (bars) and under-triage with its 95% interval (line)."""
    from matplotlib.figure import Figure  # the [train] extra
    fig = Figure(figsize=(9, 3.6))
    ax = fig.subplots()
    keys = [r["key"] for r in rows]
    x = np.arange(len(rows))
    ax.bar(x, [r["deployments_avoided"] for r in rows], color="#1d70b8")
    ax.set_ylabel("deployments avoided", color="#1d70b8")
    ax2 = ax.twinx()
    ut = np.array([r["under_triage_rate"] if r["under_triage_rate"] is not None else np.nan
                   for r in rows])
    lo = np.array([r["under_triage_ci"][0] if r["under_triage_ci"] else np.nan for r in rows])
    hi = np.array([r["under_triage_ci"][1] if r["under_triage_ci"] else np.nan for r in rows])
    ax2.fill_between(x, lo * 100, hi * 100, color="#d4351c", alpha=0.15, linewidth=0)
    ax2.plot(x, ut * 100, color="#d4351c", marker="o", markersize=3)
    ax2.set_ylabel("under-triage % (95% CI)", color="#d4351c")
    ax2.set_ylim(bottom=0)
    step = max(1, len(keys) // 12)
    ax.set_xticks(x[::step], keys[::step], rotation=45, ha="right", fontsize=8)
    _save(fig, path)


def plot_hours(rows: Sequence[Mapping[str, Any]], path: Path) -> None:
    """Share of requests suggested no ambulance, by day and hour (a 7 x 24 grid)."""
    grid = np.full((7, 24), np.nan)
    for r in rows:
        h = r.get("hour_of_week")
        if h is not None and r["requests"]:
            grid[h // 24, h % 24] = 1.0 - r["suggested"].get("deploy", 0) / r["requests"]
    from matplotlib.figure import Figure  # the [train] extra
    fig = Figure(figsize=(9, 3.2))
    ax = fig.subplots()
    im = ax.imshow(grid * 100, aspect="auto", cmap="Greens", vmin=0, vmax=100)
    ax.set_yticks(range(7), ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    ax.set_xlabel("hour of the day")
    fig.colorbar(im, ax=ax, label="% not needing an ambulance")
    _save(fig, path)


GROUP_HEADERS = ("requests", "deployments avoided", "ambulance h saved", "officer h saved",
                 "under-triage", "95% CI", "over-triage")


def _group_rows(rows: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    return [[str(r["key"]), f"{r['requests']:,}", f"{r['deployments_avoided']:,.0f}",
             _hours(r["ambulance_hours_saved"]), _hours(r["officer_hours_saved"]),
             f"{_pct(r['under_triage_rate'])} ({r['under_triaged']}/{r['needed_deploy']})",
             _ci(r["under_triage_ci"]), _pct(r["over_triage_rate"])] for r in rows]


def _figures(impact: Mapping[str, Any]) -> list[list[str]]:
    """The dispositions table: counts, deployments and hours saved, under- and over-triage."""
    return [
        ["requests", f"{impact['requests']:,}", ""],
        *[[f"suggested {d}", f"{c:,}", ""] for d, c in impact["suggested"].items()],
        ["deployments avoided", f"{impact['deployments_avoided']:,.0f}", ""],
        ["ambulance hours saved", _hours(impact["ambulance_hours_saved"]), ""],
        ["officer hours saved", _hours(impact["officer_hours_saved"]), ""],
        ["under-triage (needed deploy, not suggested)",
         f"{_pct(impact['under_triage_rate'], 2)} ({impact['under_triaged']}/"
         f"{impact['needed_deploy']})", _ci(impact["under_triage_ci"])],
        ["over-triage (suggested deploy, not needed)",
         f"{_pct(impact['over_triage_rate'], 2)} ({impact['over_triaged']}/"
         f"{impact['not_needing_deploy']})", _ci(impact["over_triage_ci"])],
    ]


def _assumed(durations: Mapping[str, Any]) -> list[list[str]]:
    rows = []
    for kind in ("ambulance", "officer"):
        for d, minutes in durations[f"{kind}_minutes"].items():
            name = f"impact_{kind}_minutes_{d}"
            rows.append([f"TRIAGE_{name.upper()}", f"{minutes:g}",
                         durations["sources"].get(name, "")])
    return rows


def write_impact_report(impact: Mapping[str, Any], out: Path) -> Path:
    """Write the report (index.html and PNGs) into ``out``; return the index's path.

    The page is ``templates/impact.html.j2``."""
    out.mkdir(parents=True, exist_ok=True)
    plot_dispositions(impact, out / DISPOSITIONS_PNG)
    if impact.get("by_week"):
        plot_weeks(impact["by_week"], out / WEEKS_PNG)
    if impact.get("by_hour_of_week"):
        plot_hours(impact["by_hour_of_week"], out / HOURS_PNG)
    handlers = impact.get("handlers")
    page = TEMPLATES.get_template("impact.html.j2").render(
        impact=impact, prov=impact["provenance"], figures=_figures(impact),
        by_week=_group_rows(impact.get("by_week") or []),
        hours_plotted=bool(impact.get("by_hour_of_week")),
        by_force=_group_rows(impact.get("by_force") or []), handlers=handlers,
        overrides=[[p["suggested"], p["final"], f"{p['count']:,}"]
                   for p in (handlers or {}).get("overrides", [])],
        assumed=_assumed(impact["durations"]),
        group_headers=lambda label: [label, *GROUP_HEADERS],
        png={"dispositions": DISPOSITIONS_PNG, "weeks": WEEKS_PNG, "hours": HOURS_PNG},
    )
    index = out / IMPACT_INDEX
    index.write_text(page, encoding="utf-8")
    return index
