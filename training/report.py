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

import html
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from training.model_card import margin_met

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

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;
border-bottom:1px solid #ccc;padding-bottom:.2rem}h3{font-size:1.05rem}
.banner{background:#fff4ce;border:2px solid #c99700;padding:.7rem 1rem;font-weight:600}
.key{background:#eef5ff;border-left:4px solid #1d70b8;padding:.6rem 1rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.92rem}
th,td{border:1px solid #bbb;padding:.25rem .55rem;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}
table.facts td{text-align:left}td.warn{background:#fde2e1}td.small{color:#777}
img{max-width:100%;height:auto;border:1px solid #ddd;margin:.5rem 0}
.muted{color:#555;font-size:.9rem}
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


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


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]],
           classes: Sequence[Sequence[str]] | None = None, css: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers) if any(headers) else ""
    body = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            cls = classes[i][j] if classes else ""
            cells.append(f"<td class='{cls}'>{cell}</td>" if cls else f"<td>{cell}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    cls = f" class='{css}'" if css else ""
    thead = f"<thead><tr>{head}</tr></thead>" if head else ""
    return f"<table{cls}>{thead}<tbody>{''.join(body)}</tbody></table>"


def _slice_tables(slices: Mapping[str, Sequence[Mapping[str, Any]]], target: float | None) -> str:
    parts = []
    for name, table in slices.items():
        rows, classes = [], []
        for r in table:
            small = r["n_deploy"] < SMALL_SLICE_DEPLOYS
            ut = r["under_triage_rate"]
            above = (target is not None and ut is not None and not small
                     and r["under_triage_ci"][0] > target)
            rows.append([
                _e(r["slice"]), f"{r['n']:,}", f"{r['n_deploy']:,}", _pct(ut),
                _ci(r.get("under_triage_ci")), _pct(r["diversion_rate"]),
                "too few deploy cases to judge" if small else
                ("above target (whole CI)" if above else ""),
            ])
            classes.append(["", "", "", "warn" if above else ("small" if small else ""), "", "",
                            "small" if small else ("warn" if above else "")])
        parts.append(f"<h3>By {_e(name)}</h3>" + _table(
            ["slice", "requests", "needed deploy", "under-triage", "95% CI", "diversion", "note"],
            rows, classes))
    return "".join(parts)


def _context_section(context: Mapping[str, Any]) -> str:
    data = context.get("data", {})
    rows = []
    for label, key in (("file", "path"), ("sha256 fingerprint", "fingerprint_sha256")):
        if data.get(key):
            rows.append([label, f"<code>{_e(data[key])}</code>"])
    counts = data.get("rows", {})
    if counts:
        rows.append(["rows", _e(", ".join(f"{k} {v:,}" for k, v in counts.items()))])
    for name, split in data.get("splits", {}).items():
        rows.append([f"{name} split", _e(f"{split['rows']:,} rows, {split['from']} to "
                                         f"{split['to']}")])
    if data.get("split_method"):
        rows.append(["how it was split", _e(data["split_method"])])
    for label, key in (("model version", "version"), ("model kind", "kind"),
                       ("created", "created"), ("code", "code")):
        if context.get(key):
            rows.append([label, _e(context[key])])
    if not rows:
        return ""
    return "<h2>What was measured</h2>" + _table(["", ""], rows, css="facts")


def _selection_section(context: Mapping[str, Any]) -> str:
    """How the model and its threshold were chosen (validation months), when known."""
    comparison = context.get("comparison") or []
    policy = context.get("policy") or {}
    if not comparison and not policy:
        return ""
    parts = ["<h2>How this model and its threshold were chosen</h2>"]
    if comparison:
        parts.append(
            "<p>Each candidate was fitted on the training months, calibrated, and given the "
            "deploy threshold that meets the under-triage target on the validation months; the "
            "one that then diverts more requests was kept (accuracy plays no part).</p>")
        rows = [[_e(c.get("kind", "")), _pct(c.get("diversion"), 2), _pct(c.get("under_triage"), 2),
                 _num(c.get("deploy_threshold"), 4), _num(c.get("ece_deploy"), 4),
                 _num(c.get("log_loss"), 4), _num(c.get("fit_seconds"), 0)]
                for c in comparison]
        parts.append(_table(["candidate", "validation diversion", "validation under-triage",
                             "threshold", "ECE P(deploy)", "log-loss", "fit seconds"], rows))
    if policy and not margin_met(policy):
        parts.append(
            f"<p class='warn'><strong>Safety margin NOT met.</strong> Even the lowest threshold "
            f"could not bring the one-sided {_pct(policy.get('confidence'), 0)} upper bound of "
            f"validation under-triage ({_pct(policy.get('valid_under_triage_upper'), 2)}, from "
            f"{policy.get('n_valid_deploy', 0):,} deploy cases) within the target of "
            f"{_pct(policy.get('target_under_triage'))}: the validation months hold too few "
            f"deploy cases to show it. Train on more data before relying on this model.</p>")
    elif policy:
        parts.append(
            f"<p>Safety margin: the threshold keeps the one-sided "
            f"{_pct(policy.get('confidence'), 0)} upper bound of validation under-triage "
            f"({_pct(policy.get('valid_under_triage_upper'), 2)}, point estimate "
            f"{_pct(policy.get('valid_under_triage'), 2)} from "
            f"{policy.get('n_valid_deploy', 0):,} deploy cases) within the target of "
            f"{_pct(policy.get('target_under_triage'))}, not merely the point estimate.</p>")
    return "".join(parts)


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
    fingerprint, splits, kind, created) when the report belongs to a registered model.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    context = dict(context or {})
    synthetic = bool(metrics.get("synthetic"))
    held_out = bool(context.get("held_out_split"))
    point = curves["operating_point"]
    target = point.get("target")
    n_deploy = metrics["n_deploy"]

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

    ut = metrics["under_triage_rate"]
    dv = metrics["diversion_rate"]
    parts: list[str] = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p class='muted'>{_e(context.get('version', ''))} {_e(context.get('created', ''))}</p>",
    ]
    if synthetic:
        parts.append(
            "<p class='banner'>SYNTHETIC DATA. These figures come from computer-generated "
            "requests calibrated to published aggregate figures, not from real patients. They "
            "show that the pipeline works and how it trades risk against ambulances; they are "
            "not evidence of how it would perform in a real control room.</p>")
    elif held_out:
        parts.append(
            "<p class='key'>Measured on the historic export named below, on its latest "
            "months, which the model never saw during training.</p>")
    else:
        parts.append(
            "<p class='key'>Measured on the historic export named below. If the model was "
            "trained on any of these rows, the figures overstate it.</p>")
    parts.append("<h2>The operating point, in plain words</h2><div class='key'>")
    parts.append(
        f"<p>Of every 100 requests that, on clinical review, needed an ambulance, the model "
        f"would have suggested no ambulance for <b>{_num(100 * ut, 1)}</b> "
        f"(95% CI {_ci(metrics['under_triage_ci'])}, from {n_deploy:,} such requests). "
        f"This is <b>under-triage</b>, the harm to avoid.")
    if target is not None:
        parts.append(
            f" The deploy threshold ({_num(point['threshold'])}) was chosen on a separate, "
            f"earlier validation slice so that under-triage there would be at most "
            f"<b>{_pct(target)}</b>.")
        if ut > target:
            parts.append(" <b>On this data it is above that target.</b>")
    parts.append(
        f"</p><p>It would have avoided sending an ambulance for <b>{_pct(dv)}</b> of all "
        f"{metrics['n']:,} requests (95% CI {_ci(metrics['diversion_ci'])}): this is "
        f"<b>diversion</b>, the ambulances the service exists to save.</p>")
    system = metrics.get("with_red_flag_rules")
    if system:
        parts.append(
            f"<p>With the red-flag rules applied as in service (they force deploy whatever the "
            f"model says; {_pct(system['red_flag_rate'])} of requests had one): under-triage "
            f"<b>{_pct(system['under_triage_rate'])}</b> "
            f"(95% CI {_ci(system['under_triage_ci'])}), diversion "
            f"<b>{_pct(system['diversion_rate'])}</b>.</p>")
    oracle = metrics.get("oracle_diversion_rate")
    if oracle is not None:
        parts.append(
            f"<p>The <b>oracle</b> (the generator's own true probabilities, the best any model "
            f"could do on this synthetic data) diverts <b>{_pct(oracle)}</b> at the same "
            f"under-triage: the model achieves {_num(dv / oracle if oracle else math.nan, 2)} of "
            f"the achievable diversion.</p>")
    parts.append("<p>Suggestions are advisory: a clinician or call handler decides.</p></div>")

    parts.append(_context_section(context))
    parts.append(_selection_section(context))

    parts.append("<h2>Headline figures</h2>")
    rows = [
        ["under-triage (needed deploy, suggested otherwise)", _pct(ut, 2),
         _ci(metrics["under_triage_ci"])],
        ["diversion (suggested no ambulance)", _pct(dv, 2), _ci(metrics["diversion_ci"])],
        ["oracle diversion at the same under-triage", _pct(oracle, 2), ""],
        ["accuracy (all three dispositions)", _pct(metrics["accuracy"], 2), ""],
        ["macro F1", _num(metrics["macro_f1"]), ""],
        ["expected calibration error, top label (15 bins)", _num(metrics["ece"]), ""],
        ["expected calibration error, P(deploy) (15 bins)", _num(metrics.get("ece_deploy")), ""],
        ["requests", f"{metrics['n']:,}", ""],
        ["needed deploy", f"{n_deploy:,}", ""],
    ]
    parts.append(_table(["figure", "value", "95% CI"], rows))

    parts.append(
        "<h2>Under-triage against diversion</h2><p>Each point of a curve is one deploy "
        "threshold: lower thresholds send more ambulances (less under-triage, less diversion). "
        "The red dot is the threshold in use; the grey square is the oracle at the same "
        f"under-triage.</p><img src='{CURVE_PNG}' alt='under-triage against diversion'>")
    parts.append(
        "<h2>Confusion matrix</h2><p>Rows: what was needed on clinical review. Columns: what "
        "was suggested (model and decision policy, before red-flag rules).</p>"
        f"<img src='{CONFUSION_PNG}' alt='confusion matrix'>")
    parts.append(
        "<h2>Calibration</h2><p>When the model says 70%, it should be right about 70% of the "
        "time. Expected calibration error (ECE) is the count-weighted mean gap between "
        "predicted probability and observed frequency over 15 equal-width bins; left: the "
        "top label's confidence against its accuracy (the 'ece' figure), right: P(deploy) "
        f"against the observed deploy rate.</p><img src='{RELIABILITY_PNG}' alt='reliability'>")
    parts.append(
        "<h2>By slice</h2><p>Under-triage must not hide in a subgroup. Slices with fewer than "
        f"{SMALL_SLICE_DEPLOYS} deploy cases are too small to judge; a slice whose whole CI "
        f"lies above the target is marked.</p><img src='{SLICES_PNG}' alt='slices'>")
    parts.append(_slice_tables(metrics["slices"], target))

    parts.append("<h2>Most influential features</h2>")
    if field_imp:
        parts.append(
            "<p>Request fields, by how much scrambling each one (keeping the others) worsens "
            "the model's deploy predictions (rise in log-loss on a sample of this data).</p>"
            f"<img src='{FEATURES_PNG}' alt='influential fields'>")
    terms = features.get("model_terms", [])
    if terms:
        parts.append(
            f"<p>The model's own strongest terms ({_e(features.get('model_terms_source', ''))}"
            "):</p>")
        parts.append(_table(["feature", "weight"],
                            [[_e(t["feature"]), _num(t["weight"])] for t in terms[:25]]))

    parts.append(
        "<h2>How to read this</h2><ul>"
        + ("<li>The data were split by time: the model learnt from earlier months, the "
           "threshold was set on the following months, and the figures above come from the "
           "latest months, which neither step saw.</li>" if held_out else
           "<li>The figures above come from every row of the file named above.</li>")
        +
        "<li>Confidence intervals are Wilson score intervals at 95%.</li>"
        "<li>Night is 19:00 to 06:59 by the time the request was received.</li>"
        "</ul></body></html>")
    index = out / REPORT_INDEX
    index.write_text("".join(parts), encoding="utf-8")
    return index
