"""The evaluation report: one self-contained HTML page with PNG figures, for a governance board.

Written for a clinical safety officer rather than a data scientist: it says what data the model
was measured on (and, in a banner, when that data is synthetic), states the operating point and
its target in words ("of every 100 requests that needed an ambulance, ..."), and shows every
figure with its 95% confidence interval and sample size. The page uses no scripts, fonts or
files from elsewhere: the folder can be attached to a hazard log or opened offline.

Figures use matplotlib's object API with the Agg canvas (``Figure`` + ``FigureCanvasAgg``), so
no global backend or pyplot state is touched: safe in the service process and in threads.
matplotlib is the ``[train]`` extra, imported only when a figure is drawn: the serving install
(and ``triage --help``) can import this module without it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from training.model_card import margin_met
from triage.metrics import ECE_BINS
from triage.policy import margin_price

if TYPE_CHECKING:
    from matplotlib.figure import Figure

REPORT_INDEX = "index.html"
CONFUSION_PNG = "confusion_matrix.png"
CURVE_PNG = "under_triage_vs_diversion.png"
RELIABILITY_PNG = "reliability.png"
FEATURES_PNG = "influential_features.png"
SLICES_PNG = "under_triage_by_slice.png"

#: Slices with fewer true-deploy rows than this are marked as too small to judge.
SMALL_SLICE_DEPLOYS = 30

def _pct(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{100 * x:.{digits}f}%"


def _ci(ci: Sequence[float] | None) -> str:
    if not ci:
        return ""
    lo, hi = ci
    return f"{_pct(lo)} to {_pct(hi)}"


def _num(x: float | None, digits: int = 3) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:.{digits}f}"


def _save(fig: Figure, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=110, bbox_inches="tight")


def plot_confusion(confusion: Mapping[str, Any], path: Path) -> None:
    """Counts with row percentages; rows are what was needed, columns what was suggested."""
    labels: list[str] = list(confusion["labels"])
    matrix: list[list[int]] = confusion["matrix"]
    from matplotlib.figure import Figure  # the [train] extra
    fig = Figure(figsize=(5.6, 4.6))
    ax = fig.add_subplot()
    totals = [max(1, sum(row)) for row in matrix]
    shares = [[c / t for c in row] for row, t in zip(matrix, totals, strict=True)]
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            share = shares[i][j]
            ax.text(j, i, f"{count:,}\n{100 * share:.1f}%", ha="center", va="center",
                    color="white" if share > 0.5 else "black", fontsize=9)
    ax.set_xticks(range(len(labels)), labels, rotation=20)
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("suggested (model and decision policy)")
    ax.set_ylabel("needed (clinical review)")
    ax.set_title("Confusion matrix (row %: of those that needed it)")
    _save(fig, path)


def _draw_curve(ax: Any, curves: Mapping[str, Any], legend: bool) -> None:
    model = curves["operating_curve"]["model"]
    ax.plot([100 * d for d in model["diversion"]], [100 * u for u in model["under_triage"]],
            label="model", color="#1d70b8")
    oracle = curves["operating_curve"].get("oracle")
    if oracle:
        ax.plot([100 * d for d in oracle["diversion"]], [100 * u for u in oracle["under_triage"]],
                label="oracle (generator's true probabilities)", color="#6f777b", linestyle="--")
    point = curves["operating_point"]
    ax.scatter([100 * point["diversion"]], [100 * point["under_triage"]], color="#d4351c",
               zorder=5, label=f"operating point (threshold {point['threshold']:.3f})")
    opoint = curves.get("oracle_point")
    if opoint:
        ax.scatter([100 * opoint["diversion"]], [100 * opoint["under_triage"]], color="#6f777b",
                   marker="s", zorder=5, label="oracle at the same under-triage")
    target = point.get("target")
    if target is not None:
        ax.axhline(100 * target, color="#d4351c", linestyle=":", linewidth=1,
                   label=f"target under-triage {100 * target:.1f}%")
    ax.set_xlabel("diversion: requests not sent an ambulance (%)")
    ax.set_ylabel("under-triage: needed ambulance, not suggested (%)")
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(fontsize=8, loc="upper left")


def plot_curve(curves: Mapping[str, Any], path: Path) -> None:
    """Under-triage against diversion for the model and the oracle, with the operating point.

    Left: the whole curve. Right: the region around the operating point, where the decision is.
    """
    from matplotlib.figure import Figure  # the [train] extra
    fig = Figure(figsize=(11.5, 4.6))
    full = fig.add_subplot(1, 2, 1)
    _draw_curve(full, curves, legend=True)
    full.set_xlim(0, 100)
    full.set_ylim(0, 100)
    full.set_title("The trade-off the deploy threshold makes")
    zoom = fig.add_subplot(1, 2, 2)
    _draw_curve(zoom, curves, legend=False)
    point = curves["operating_point"]
    opoint = curves.get("oracle_point") or {}
    target = point.get("target") or 0.0
    top = 100 * max(3 * target, 2 * point["under_triage"], 0.05)
    right = 100 * min(1.0, max(2 * point["diversion"], 1.3 * opoint.get("diversion", 0.0), 0.1))
    zoom.set_xlim(0, right)
    zoom.set_ylim(0, top)
    zoom.set_title("Near the operating point")
    _save(fig, path)


def plot_reliability(curves: Mapping[str, Any], metrics: Mapping[str, Any], path: Path) -> None:
    """Reliability diagrams: top-label confidence and P(deploy), 15 equal-width bins each."""
    from matplotlib.figure import Figure  # the [train] extra
    fig = Figure(figsize=(9.6, 4.2))
    panels = (
        ("top_label", "Top label: confidence vs accuracy", metrics.get("ece")),
        ("deploy", "P(deploy) vs observed deploy rate", metrics.get("ece_deploy")),
    )
    for k, (key, title, ece) in enumerate(panels, start=1):
        ax = fig.add_subplot(1, 2, k)
        rel = curves["reliability"][key]
        xs = [c for c, n in zip(rel["bin_confidence"], rel["bin_count"], strict=True) if n]
        ys = [a for a, n in zip(rel["bin_observed"], rel["bin_count"], strict=True) if n]
        ax.plot([0, 1], [0, 1], color="#999", linestyle="--", linewidth=1, label="perfect")
        ax.plot(xs, ys, marker="o", color="#1d70b8", label="model")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("predicted probability (bin mean)")
        ax.set_ylabel("observed frequency")
        ax.set_title(f"{title}\nECE {_num(ece)}", fontsize=10)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
    _save(fig, path)


def plot_features(features: Sequence[Mapping[str, Any]], path: Path, title: str) -> None:
    rows = list(features)[:15][::-1]
    from matplotlib.figure import Figure  # the [train] extra
    fig = Figure(figsize=(6.4, 0.35 * len(rows) + 1.4))
    ax = fig.add_subplot()
    ax.barh([str(r["name"]) for r in rows], [float(r["value"]) for r in rows], color="#1d70b8")
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    _save(fig, path)


def plot_slices(slices: Mapping[str, Sequence[Mapping[str, Any]]], path: Path,
                target: float | None = None) -> None:
    """Under-triage with its 95% CI for every slice with enough deploy cases to judge."""
    rows = [
        (f"{name}: {r['slice']}", r)
        for name, table in slices.items()
        for r in table
        if r["n_deploy"] >= SMALL_SLICE_DEPLOYS and r["under_triage_rate"] is not None
    ]
    rows = rows[:40][::-1]
    from matplotlib.figure import Figure  # the [train] extra
    fig = Figure(figsize=(6.8, 0.26 * len(rows) + 1.4))
    ax = fig.add_subplot()
    if rows:
        ys = range(len(rows))
        vals = [100 * r["under_triage_rate"] for _, r in rows]
        lo = [max(0.0, v - 100 * r["under_triage_ci"][0])
              for v, (_, r) in zip(vals, rows, strict=True)]
        hi = [max(0.0, 100 * r["under_triage_ci"][1] - v)
              for v, (_, r) in zip(vals, rows, strict=True)]
        ax.errorbar(vals, list(ys), xerr=[lo, hi], fmt="o", color="#1d70b8", ecolor="#999",
                    markersize=4)
        ax.set_yticks(list(ys), [label for label, _ in rows], fontsize=7)
    if target is not None:
        ax.axvline(100 * target, color="#d4351c", linestyle=":", linewidth=1,
                   label=f"target {100 * target:.1f}%")
        ax.legend(fontsize=8, loc="lower right")
    ax.set_xlabel("under-triage (%) with 95% CI")
    ax.set_title(f"Under-triage by slice (slices with at least {SMALL_SLICE_DEPLOYS} deploy cases)",
                 fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    _save(fig, path)


def _count(x: int | float) -> str:
    return f"{x:,}"


def _environment() -> jinja2.Environment:
    """The reports' templates (package data in training/templates), HTML-escaped throughout."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("training", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=_pct, ci=_ci, num=_num, count=_count,
                       whole=lambda x: f"{x:,.0f}",
                       hours=lambda x: "n/a" if x is None else f"{x:,.0f}")
    return env


#: Built once: the templates are read and compiled on first use.
TEMPLATES = _environment()


def _slice_tables(slices: Mapping[str, Sequence[Mapping[str, Any]]], target: float | None
                  ) -> list[dict[str, Any]]:
    out = []
    for name, table in slices.items():
        rows, classes = [], []
        for r in table:
            small = r["n_deploy"] < SMALL_SLICE_DEPLOYS
            ut = r["under_triage_rate"]
            above = (target is not None and ut is not None and not small
                     and r["under_triage_ci"][0] > target)
            rows.append([
                r["slice"], f"{r['n']:,}", f"{r['n_deploy']:,}", _pct(ut),
                _ci(r.get("under_triage_ci")), _pct(r["diversion_rate"]),
                "too few deploy cases to judge" if small else
                ("above target (whole CI)" if above else ""),
            ])
            classes.append(["", "", "", "warn" if above else ("small" if small else ""), "", "",
                            "small" if small else ("warn" if above else "")])
        out.append({"name": name, "rows": rows, "classes": classes})
    return out


def _price_rows(metrics: Mapping[str, Any]) -> list[list[Any]]:
    """``training.evaluate.slice_threshold_price``, one row per lowered slice."""
    return [[r["slice"], _num(r["threshold"]), f"{r['deploys_caught']:,}",
             f"{r['others_deployed']:,}",
             "-" if r["per_deploy_caught"] is None else f"{r['per_deploy_caught']:.1f}"]
            for r in metrics.get("slice_threshold_price", [])]


def _facts(context: Mapping[str, Any]) -> list[list[Any]]:
    """What was measured: the data's file, fingerprint, rows and splits; the model's version."""
    data = context.get("data", {})
    rows: list[list[Any]] = []
    for label, key in (("file", "path"), ("sha256 fingerprint", "fingerprint_sha256")):
        if data.get(key):
            rows.append([label, Markup("<code>{}</code>").format(data[key])])
    counts = data.get("rows", {})
    if counts:
        rows.append(["rows", ", ".join(f"{k} {v:,}" for k, v in counts.items())])
    for name, split in data.get("splits", {}).items():
        rows.append([f"{name} split", f"{split['rows']:,} rows, {split['from']} to "
                                      f"{split['to']}"])
    if data.get("split_method"):
        rows.append(["how it was split", data["split_method"]])
    for label, key in (("model version", "version"), ("model kind", "kind"),
                       ("created", "created"), ("code", "code")):
        if context.get(key):
            rows.append([label, context[key]])
    return rows


def _comparison(context: Mapping[str, Any]) -> list[list[str]]:
    return [[c.get("kind", ""), _pct(c.get("diversion"), 2), _pct(c.get("under_triage"), 2),
             _num(c.get("deploy_threshold"), 4), _num(c.get("ece_deploy"), 4),
             _num(c.get("log_loss"), 4), _num(c.get("fit_seconds"), 0),
             _pct(c.get("diversion_gap_se"), 2), str(c.get("chosen", ""))]
            for c in context.get("comparison") or []]


def _headline(metrics: Mapping[str, Any]) -> list[list[str]]:
    return [
        ["under-triage (needed deploy, suggested otherwise)",
         _pct(metrics["under_triage_rate"], 2), _ci(metrics["under_triage_ci"])],
        ["diversion (suggested no ambulance)", _pct(metrics["diversion_rate"], 2),
         _ci(metrics["diversion_ci"])],
        ["oracle diversion at the same under-triage",
         _pct(metrics.get("oracle_diversion_rate"), 2), ""],
        ["accuracy (all three dispositions)", _pct(metrics["accuracy"], 2), ""],
        ["macro F1", _num(metrics["macro_f1"]), ""],
        [f"expected calibration error, top label ({ECE_BINS} bins)", _num(metrics["ece"]), ""],
        [f"expected calibration error, P(deploy) ({ECE_BINS} bins)",
         _num(metrics.get("ece_deploy")), ""],
        ["requests", f"{metrics['n']:,}", ""],
        ["needed deploy", f"{metrics['n_deploy']:,}", ""],
    ]


def _plots(metrics: Mapping[str, Any], curves: Mapping[str, Any], out: Path,
           target: float | None) -> list[dict[str, Any]]:
    """Draw every figure into ``out``; return the field importances drawn (maybe none)."""
    plot_confusion(metrics["confusion"], out / CONFUSION_PNG)
    plot_curve(curves, out / CURVE_PNG)
    plot_reliability(curves, metrics, out / RELIABILITY_PNG)
    plot_slices(metrics["slices"], out / SLICES_PNG, target)
    features = metrics.get("influential_features", {})
    field_imp = [{"name": r["field"], "value": r["importance"]}
                 for r in features.get("fields", [])]
    if field_imp:
        plot_features(field_imp, out / FEATURES_PNG,
                      "Request fields: rise in deploy log-loss when the field is scrambled")
    return field_imp


def write_report(
    metrics: Mapping[str, Any],
    curves: Mapping[str, Any],
    out_dir: Path,
    *,
    context: Mapping[str, Any] | None = None,
    title: str = "Control-room triage model: evaluation report",
) -> Path:
    """Write ``index.html`` and its PNGs into ``out_dir``; return the index path.

    ``metrics`` and ``curves`` are the two halves of ``training.evaluate.evaluate``'s result
    (see ``training.evaluate.split_curves``); ``context`` adds provenance (version, data file,
    fingerprint, splits, kind, created) when the report belongs to a registered model. The
    page is ``templates/report.html.j2``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    context = dict(context or {})
    point = curves["operating_point"]
    target = point.get("target")
    field_imp = _plots(metrics, curves, out, target)
    features = metrics.get("influential_features", {})
    policy = context.get("policy") or {}
    oracle = metrics.get("oracle_diversion_rate")
    dv = metrics["diversion_rate"]
    page = TEMPLATES.get_template("report.html.j2").render(
        title=title, context=context, metrics=metrics, synthetic=bool(metrics.get("synthetic")),
        held_out=bool(context.get("held_out_split")), point=point, target=target,
        ut=metrics["under_triage_rate"], dv=dv, n_deploy=metrics["n_deploy"],
        system=metrics.get("with_red_flag_rules"), oracle=oracle,
        achieved=dv / oracle if oracle else math.nan,
        facts=_facts(context), comparison=_comparison(context), policy=policy,
        comparison_z=context.get("comparison_z", 2.0),
        boosting_members=context.get("boosting_members", 1),
        boosting_bootstrap=context.get("boosting_bootstrap", False),
        margin_ok=bool(policy) and margin_met(policy), headline=_headline(metrics),
        slice_tables=_slice_tables(metrics["slices"], target), field_importance=bool(field_imp),
        terms=[[t["feature"], _num(t["weight"])]
               for t in features.get("model_terms", [])[:25]],
        terms_source=features.get("model_terms_source", ""), ece_bins=ECE_BINS,
        small_slice=SMALL_SLICE_DEPLOYS, price_rows=_price_rows(metrics),
        point_threshold=_num(metrics["deploy_threshold"]),
        margin=(f"{margin_price(metrics['deploy_threshold']):.0f}"
                if metrics["deploy_threshold"] > 0 else "n/a"),
        png={"curve": CURVE_PNG, "confusion": CONFUSION_PNG, "reliability": RELIABILITY_PNG,
             "slices": SLICES_PNG, "features": FEATURES_PNG},
    )
    index = out / REPORT_INDEX
    index.write_text(page, encoding="utf-8")
    return index
