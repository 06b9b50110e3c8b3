"""Serving against shadow: how a candidate model's suggestions on live traffic differ.

Pure comparison of stored pairs (``compare``); the audit store is read by
``triage shadow report`` (service.commands). Also checks a saved report before the promotion
gate records it as evidence (``check_report``).

- ``agreement``: the share of requests where both gave the same final suggestion (95% Wilson CI).
- ``to_deploy``: the serving model did not suggest deploy and the shadow did (more ambulances);
  ``from_deploy``: the serving model suggested deploy and the shadow did not (the direction in
  which a candidate could under-triage). Counts, with their share of all compared requests.
- ``red_flags``: per red flag, how often only the serving side or only the shadow found it (the
  two sides differ only when the rules differ between the versions' code).
- ``under_triage``: where a final disposition was recorded, each side's under-triage against it
  (needed deploy on record, suggested something else).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from triage.metrics import rate_with_ci
from triage.schema import DISPOSITIONS, Disposition

DEPLOY = Disposition.DEPLOY.value
#: Keys a shadow report must have to count as evidence.
REQUIRED_KEYS: tuple[str, ...] = ("n", "agreement", "to_deploy", "from_deploy",
                                  "serving_versions", "shadow_version")


class ShadowReportError(ValueError):
    """A shadow report that cannot be used; the message names the field."""


def compare(pairs: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Compare stored pairs: each mapping has ``suggestion``, ``shadow_suggestion``,
    ``red_flags`` and ``shadow_red_flags`` (lists of names), ``model_version``,
    ``shadow_version`` and ``final_disposition`` (None when no outcome was recorded)."""
    n = agree = to_deploy = from_deploy = 0
    matrix = Counter[tuple[str, str]]()
    only_serving = Counter[str]()
    only_shadow = Counter[str]()
    serving_versions = Counter[str]()
    shadow_versions = Counter[str]()
    needed = serving_missed = shadow_missed = 0
    for p in pairs:
        a, b = str(p["suggestion"]), str(p["shadow_suggestion"])
        n += 1
        agree += a == b
        to_deploy += a != DEPLOY and b == DEPLOY
        from_deploy += a == DEPLOY and b != DEPLOY
        matrix[(a, b)] += 1
        fa, fb = set(p.get("red_flags") or ()), set(p.get("shadow_red_flags") or ())
        only_serving.update(fa - fb)
        only_shadow.update(fb - fa)
        serving_versions[str(p["model_version"])] += 1
        shadow_versions[str(p["shadow_version"])] += 1
        if p.get("final_disposition") == DEPLOY:
            needed += 1
            serving_missed += a != DEPLOY
            shadow_missed += b != DEPLOY
    agreement = rate_with_ci(agree, n)
    names = sorted(set(only_serving) | set(only_shadow))
    serving_ut = rate_with_ci(serving_missed, needed)
    shadow_ut = rate_with_ci(shadow_missed, needed)
    return {
        "n": n,
        "agreement": agreement["rate"],
        "agreement_ci": agreement["ci"],
        "to_deploy": to_deploy,
        "from_deploy": from_deploy,
        "to_deploy_rate": to_deploy / n if n else None,
        "from_deploy_rate": from_deploy / n if n else None,
        "matrix": {"labels": [d.value for d in DISPOSITIONS], "rows": "serving",
                   "columns": "shadow",
                   "counts": [[matrix[(r.value, c.value)] for c in DISPOSITIONS]
                              for r in DISPOSITIONS]},
        "red_flags": [{"flag": f, "only_serving": only_serving[f], "only_shadow": only_shadow[f]}
                      for f in names],
        "serving_versions": dict(serving_versions),
        "shadow_version": (shadow_versions.most_common(1)[0][0] if shadow_versions else None),
        "shadow_versions": dict(shadow_versions),
        "with_outcome_needing_deploy": needed,
        "under_triage": {
            "serving": {"rate": serving_ut["rate"], "ci": serving_ut["ci"],
                        "missed": serving_missed},
            "shadow": {"rate": shadow_ut["rate"], "ci": shadow_ut["ci"],
                       "missed": shadow_missed},
        },
    }


def findings(report: Mapping[str, Any]) -> list[str]:
    """What the comparison says, in plain words."""
    n = report["n"]
    if not n:
        return ["No request has a shadow suggestion in this period: is TRIAGE_SHADOW_VERSION "
                "set on the service?"]
    out = [f"The shadow ({report['shadow_version']}) agreed with the serving model on "
           f"{100 * report['agreement']:.1f}% of {n:,} requests."]
    if report["from_deploy"]:
        out.append(f"It would NOT have suggested deploy for {report['from_deploy']:,} requests "
                   "the serving model sent an ambulance to: review those before promoting it.")
    if report["to_deploy"]:
        out.append(f"It would have suggested deploy for {report['to_deploy']:,} requests the "
                   "serving model did not.")
    for row in report["red_flags"]:
        out.append(f"Red flag {row['flag']}: found only by the serving side "
                   f"{row['only_serving']} times, only by the shadow {row['only_shadow']} times.")
    ut = report["under_triage"]
    if report["with_outcome_needing_deploy"]:
        out.append(
            f"Of {report['with_outcome_needing_deploy']:,} requests recorded as needing deploy, "
            f"the serving model missed {ut['serving']['missed']} and the shadow "
            f"{ut['shadow']['missed']}.")
    return out


def check_report(data: Any, version: str, where: str) -> dict[str, Any]:
    """``data`` if it is a shadow report about ``version`` with at least one request, else
    ShadowReportError naming ``where`` and the field."""
    if not isinstance(data, dict):
        raise ShadowReportError(f"{where}: a shadow report is a JSON object (from "
                                "'triage shadow report --json')")
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise ShadowReportError(f"{where}: missing {', '.join(missing)}; is it the output of "
                                "'triage shadow report --json'?")
    if data["shadow_version"] != version:
        raise ShadowReportError(f"{where}: shadow_version is {data['shadow_version']!r}, but "
                                f"the version being promoted is {version!r}")
    if not isinstance(data["n"], int) or data["n"] <= 0:
        raise ShadowReportError(f"{where}: n is {data['n']!r}; a report on no requests is no "
                                "evidence")
    return data
