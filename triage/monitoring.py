"""What changed on live traffic: drift, overrides, unfamiliar wording and red flags.

Pure summary of audit records (``triage monitor`` reads them from the store: service.commands)
against what the serving model was trained and tested on (its manifest): input drift per field
(``triage.population``), the share of handlers' recorded decisions that overrode the suggestion,
unfamiliar wording, the red-flag rate and the suggestion mix, each with a Wilson 95% interval,
and ``findings``: what changed, in plain words.

The thresholds here are the alert thresholds of ``deploy/prometheus/alerts.yml`` (a test keeps
the two the same).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from triage.metrics import rate_with_ci
from triage.population import PSI_MAJOR, PSI_MODERATE, bins_of, drift_report
from triage.schema import DISPOSITIONS

#: Share of recorded outcomes that overrode the suggestion above which handlers are not
#: trusting it (or it is wrong): worth a clinical review.
OVERRIDE_ALERT = 0.25
#: Share of requests with unfamiliar wording above which the wording has moved from training.
UNFAMILIAR_ALERT = 0.05
#: The red-flag rate's change (absolute) from the model's test data that is worth a look.
RED_FLAG_CHANGE_ALERT = 0.10


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def summarise(records: Iterable[Mapping[str, Any]], profile: Mapping[str, Any] | None,
              expected: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Summarise audit records (each with ``request`` (dict), ``suggestion``, ``red_flags``
    (list), ``unfamiliar_wording``, ``final_disposition`` (None without an outcome) and
    ``model_version``). ``profile`` is the serving model's input profile (None: no drift
    figures); ``expected`` holds its test figures (``red_flag_rate``, ``suggested_shares``)."""
    n = unfamiliar = flagged = with_outcome = overridden = 0
    suggested = Counter[str]()
    pairs = Counter[tuple[str, str]]()
    versions = Counter[str]()
    binned = []
    for r in records:
        n += 1
        s = str(r["suggestion"])
        suggested[s] += 1
        flagged += bool(r.get("red_flags"))
        unfamiliar += bool(r.get("unfamiliar_wording"))
        versions[str(r["model_version"])] += 1
        final = r.get("final_disposition")
        if final is not None:
            with_outcome += 1
            if final != s:
                overridden += 1
                pairs[(s, str(final))] += 1
        binned.append(bins_of(r["request"]))
    out: dict[str, Any] = {"n": n, "model_versions": dict(versions)}
    drift = drift_report(profile, binned) if profile is not None and n else {}
    out["drift"] = drift
    out["max_psi"] = max((d["psi"] for d in drift.values()), default=None)
    out["drift_profile_rows"] = profile.get("rows") if profile is not None else None
    out["suggested"] = {d.value: rate_with_ci(suggested[d.value], n) for d in DISPOSITIONS}
    red = rate_with_ci(flagged, n)
    out["red_flag_rate"], out["red_flag_ci"] = red["rate"], red["ci"]
    unf = rate_with_ci(unfamiliar, n)
    out["unfamiliar_rate"], out["unfamiliar_ci"] = unf["rate"], unf["ci"]
    ovr = rate_with_ci(overridden, with_outcome)
    out["outcomes"] = with_outcome
    out["override_rate"], out["override_ci"] = ovr["rate"], ovr["ci"]
    out["overrides"] = [{"suggested": a, "final": b, "count": c}
                        for (a, b), c in pairs.most_common()]
    out["expected"] = dict(expected or {})
    out["findings"] = findings(out)
    return out


def findings(s: Mapping[str, Any]) -> list[str]:
    """What changed, in plain words (most serious first); one line saying so when nothing did."""
    if not s["n"]:
        return ["No suggestions in this period."]
    out: list[str] = []
    for field, d in sorted(s["drift"].items(), key=lambda kv: -kv[1]["psi"]):
        if d["psi"] < PSI_MODERATE:
            continue
        moves = "; ".join(
            f"{c['bin']} {_pct(c['expected'])} in training, {_pct(c['actual'])} now"
            for c in d["changes"][:2])
        size = "a major" if d["psi"] >= PSI_MAJOR else "a moderate"
        out.append(f"{field.replace('_', ' ')} has {size} shift from the training data "
                   f"(PSI {d['psi']:.2f}): {moves}.")
    if s["override_rate"] is not None and s["override_rate"] > OVERRIDE_ALERT:
        top = s["overrides"][0]
        out.append(f"Handlers overrode {_pct(s['override_rate'])} of the suggestions with a "
                   f"recorded decision (95% CI {_pct(s['override_ci'][0])} to "
                   f"{_pct(s['override_ci'][1])}; alert above {_pct(OVERRIDE_ALERT)}); most "
                   f"often {top['suggested']} changed to {top['final']} ({top['count']}).")
    if s["unfamiliar_rate"] is not None and s["unfamiliar_rate"] > UNFAMILIAR_ALERT:
        out.append(f"{_pct(s['unfamiliar_rate'])} of requests had wording the model does not "
                   f"know (alert above {_pct(UNFAMILIAR_ALERT)}).")
    expected_red = s["expected"].get("red_flag_rate")
    if (expected_red is not None and s["red_flag_rate"] is not None
            and abs(s["red_flag_rate"] - expected_red) > RED_FLAG_CHANGE_ALERT):
        direction = "more" if s["red_flag_rate"] > expected_red else "fewer"
        out.append(f"Red flags are found in {_pct(s['red_flag_rate'])} of requests, {direction} "
                   f"than the {_pct(expected_red)} of the model's test data.")
    if not out:
        out.append(f"Nothing has changed beyond the alert thresholds over {s['n']:,} requests.")
    return out
