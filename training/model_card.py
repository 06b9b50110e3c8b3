"""The model card: a one-page Markdown summary kept beside every registered model.

Written from the manifest alone, so the card can never disagree with what was registered. It is
for the people who decide whether the model may be used: intended use, what it must not be used
for, the data (and whether it was synthetic), the operating point with its target, the held-out
figures with intervals, and the known limits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from triage.familiarity import DEFAULT_POLICY
from triage.manifest import Manifest, PolicySummary
from triage.policy import margin_price, price_per_catch


def margin_met(policy: PolicySummary | Mapping[str, Any]) -> bool:
    """Whether the fitted threshold's upper confidence bound of validation under-triage is
    within the target (it cannot be when validation holds too few deploy cases: at a 2% target
    and 95% confidence, at least 149)."""
    p = policy if isinstance(policy, PolicySummary) else PolicySummary.model_validate(policy)
    if p.valid_under_triage_upper is None:
        return False
    return bool(p.valid_under_triage_upper <= p.target_under_triage + 1e-12)


def _pct(x: object, digits: int = 1) -> str:
    return f"{100 * float(x):.{digits}f}%" if isinstance(x, int | float) else "n/a"


def _ci(ci: object) -> str:
    if isinstance(ci, Sequence) and len(ci) == 2:
        return f" (95% CI {_pct(ci[0])} to {_pct(ci[1])})"
    return ""


def _num(x: object, digits: int = 3) -> str:
    return f"{float(x):.{digits}f}" if isinstance(x, int | float) else "n/a"


def _tolerance(policy: PolicySummary) -> str:
    """The slice tolerance in the card's words, with its value when the policy recorded one
    (policies fitted since 2026-12-03 do; it is an extra key of the manifest's policy)."""
    t = getattr(policy, "slice_tolerance", None)
    own = getattr(policy, "slice_tolerances", None) or {}
    base = "the slice tolerance" if t is None else f"the slice tolerance ({100 * t:g} points)"
    if not own:
        return base
    named = ", ".join(f"`{k}` {100 * float(v):g} points" for k, v in sorted(own.items()))
    return f"{base}, or a slice's own where one was set ({named})"


def _slice_lines(policy: PolicySummary) -> list[str]:
    """The per-slice thresholds: an explicit trade of diversion for under-triage in a slice."""
    if not policy.slice_thresholds:
        return [
            "No slice needed its own threshold: every incident type with enough validation "
            f"deploys stayed within the target plus {_tolerance(policy)} at the global "
            "threshold.",
            "",
        ]
    lines = [
        f"Slices ({policy.slice_field or 'incident_type'}) whose validation under-triage "
        f"at the global threshold exceeded the target plus {_tolerance(policy)} have a lower "
        "threshold of their own (more of them are deployed):",
        "",
        "| slice | deploy cases | under-triage before | after | threshold | deploys caught "
        "| deployed, needing none | per deploy caught |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, t in sorted(policy.slice_thresholds.items()):
        f = policy.slice_fit.get(name, {})
        price = price_per_catch(f)
        caught, others = f.get("deploys_caught"), f.get("others_deployed")
        lines.append(
            f"| {name} | {int(f.get('n_deploy', 0)):,} | {_pct(f.get('under_triage_before'), 2)} "
            f"| {_pct(f.get('under_triage_after'), 2)} | {_num(t)} "
            f"| {'not recorded' if caught is None else f'{int(caught):,}'} "
            f"| {'not recorded' if others is None else f'{int(others):,}'} "
            f"| {'-' if price is None else f'{price:.1f}'} |"
        )
    lines += [
        "",
        "The last three columns are the price on the validation rows: the slice's deploys its "
        "own threshold caught, and the requests that needed no ambulance it deployed with them.",
    ]
    if policy.deploy_threshold > 0:
        lines[-1] += (
            f" At the global threshold ({_num(policy.deploy_threshold)}) a calibrated model "
            f"sends about {margin_price(policy.deploy_threshold):.0f} requests that need no "
            "ambulance for each one that does, at the margin: a slice whose price is well above "
            "that values its misses more than the rest do, a trade for the clinical safety "
            "officer (docs/CLINICAL_SAFETY.md, H1, control 6)."
        )
    return [*lines, ""]


def _familiarity_lines() -> list[str]:
    p = DEFAULT_POLICY
    what = {
        "flag_only": "the suggestion is the model's; the answer only says so",
        "escalate": "never `hear_and_treat`: it becomes `clinical_advice`, so a clinician "
        "speaks to the officer; `deploy` stays `deploy`",
        "deploy": "every such request is suggested `deploy`",
    }[p.action]
    return [
        "## Unfamiliar wording",
        "",
        f"When at least {p.unknown_share:.0%} of a narrative's content words (and at least "
        f"{p.min_content_words}) are unknown to this model, the answer says "
        f"`unfamiliar_wording: true` with a reason, and the policy `{p.action}` applies: "
        f"{what}. Red flags still force `deploy`.",
        "",
    ]


def model_card(manifest: Manifest | Mapping[str, Any]) -> str:
    """The card's Markdown text for a manifest as ``training.train`` writes it."""
    m = manifest if isinstance(manifest, Manifest) else Manifest.read(manifest)
    return "\n".join([
        *_header_lines(m), *_use_lines(), *_data_lines(m), *_choice_lines(m),
        *_operating_point_lines(m.policy),
        *_slice_lines(m.policy), *_familiarity_lines(), *_held_out_lines(m), *_closing_lines(),
    ])


def _header_lines(m: Manifest) -> list[str]:
    lines = [
        f"# Model card: {m.version}",
        "",
        f"Created {m.created}; model kind `{m.model.kind}`; "
        f"code {m.code.package_version} at commit "
        f"`{(m.code.git_commit or 'unknown')[:12]}`"
        f"{' (with local changes)' if m.code.git_dirty else ''}.",
        "",
    ]
    if m.data.synthetic:
        lines += [
            "> **Trained and measured on SYNTHETIC data.** The requests were generated by "
            "`triage synth`, calibrated to published aggregate figures; no real patient is in "
            "them. The figures below show how the pipeline behaves, not how it would perform "
            "in a real control room.",
            "",
        ]
    return lines


def _use_lines() -> list[str]:
    return [
        "## Intended use",
        "",
        "Advisory decision support in a joint police and ambulance control room: for a police "
        "request for an ambulance, suggest `hear_and_treat`, `clinical_advice` or `deploy`, "
        "with reasons. Red-flag rules force `deploy` for time-critical presentations whatever "
        "the model says. A clinician or trained call handler makes the decision.",
        "",
        "## Not for",
        "",
        "- Deciding without a human: every suggestion is advisory.",
        "- 999 calls from the public, or requests outside police-to-ambulance referrals.",
        "- Use after the case mix, wording or procedures have changed, without re-evaluation.",
        "",
    ]


def _data_lines(m: Manifest) -> list[str]:
    data, rows = m.data, m.data.rows
    lines = [
        "## Data",
        "",
        f"- File `{data.path}` (sha256 `{data.fingerprint_sha256}`), "
        f"{'synthetic' if data.synthetic else 'historic export'}.",
        f"- Rows read {rows.read:,}, kept {rows.kept:,}, rejected {rows.rejected:,}"
        f"{' (training went ahead without them)' if data.rejects_allowed else ''}"
        ".",
        f"- Split by time: {data.split_method}.",
    ]
    for name, part in data.splits.items():
        lines.append(f"  - {name}: {part.rows:,} rows, {part.start} to {part.to}")
    corpus = m.corpus
    if corpus is None:
        lines.append("- Hand-written corpus: none; the model learned wording from this file alone.")
        return lines
    lines += [
        f"- Hand-written corpus: {corpus.rows:,} synthetic vignettes from {len(corpus.files)} "
        f"files, listed in `{corpus.listing}` (sha256 `{corpus.listing_sha256[:12]}`), each "
        f"counting as {corpus.weight:g} rows of the linear model's fit, narratives only. "
        "Calibration, the thresholds and every figure below come from the file above alone.",
    ]
    shares = [r.get("corpus_share") for r in m.model.comparison]
    share = next((float(x) for x in shares if isinstance(x, int | float)), None)
    if share is not None:
        lines.append(f"  - Its share of the linear fit's weight: {share:.1%} (the same weight is a "
                     "larger share of a smaller export).")
    if corpus.left_out:
        lines.append(f"  - Left out: {len(corpus.left_out)} vignettes whose narrative a held-out "
                     "measure (the safety gate, the audit set) also holds.")
    lines += [f"  - `{f.path}`: {f.rows:,} vignettes (sha256 `{f.sha256[:12]}`)"
              for f in corpus.files]
    return lines


def _choice_lines(m: Manifest) -> list[str]:
    """Which candidate was kept and why (``triage.comparison``), and what the boosting is."""
    rows = m.model.comparison
    if not rows:
        return []
    lines = ["", "## How the model was chosen", ""]
    for r in rows:
        kept = " (**kept**)" if r.get("chosen") == "yes" or (
            "chosen" not in r and r.get("kind") == m.model.kind) else ""
        lines.append(
            f"- `{r.get('kind')}`{kept}: validation diversion {_pct(r.get('diversion'), 2)} at "
            f"under-triage {_pct(r.get('under_triage'), 2)}, ECE of P(deploy) "
            f"{_num(r.get('ece_deploy'), 4)}"
        )
    config = m.train_config
    se = next((r.get("diversion_gap_se") for r in rows if "diversion_gap_se" in r), None)
    if config is not None and isinstance(se, int | float) and len(rows) > 1:
        lines += ["", f"The higher diversion is kept unless its lead is within "
                  f"{config.comparison_z:g} standard errors ({_pct(se, 2)}, a paired bootstrap "
                  f"of {config.comparison_resamples} validation resamples); then the better "
                  "calibrated candidate is."]
    reason = next((r.get("choice") for r in rows if r.get("choice")), None)
    if reason:
        lines += ["", f"This training: {reason}."]
    if config is not None and config.boosting_members > 1 and any(
            r.get("kind") == "boosted" for r in rows):
        lines += ["", f"The boosted candidate averages {config.boosting_members} boosting fits"
                  f"{', each on its own bootstrap sample' if config.boosting_bootstrap else ''}"
                  " (their raw scores), which steadies the thresholds from one training to "
                  "the next."]
    return lines


def _operating_point_lines(policy: PolicySummary) -> list[str]:
    lines = [
        "",
        "## Operating point",
        "",
        f"Suggest `deploy` when P(deploy) >= **{_num(policy.deploy_threshold)}**. The "
        f"threshold was fitted on the validation months so that under-triage (needed an "
        f"ambulance, suggested otherwise) stays within **{_pct(policy.target_under_triage)}"
        f"** at {_pct(policy.confidence, 0)} one-sided confidence "
        f"(validation under-triage {_pct(policy.valid_under_triage, 2)}, upper bound "
        f"{_pct(policy.valid_under_triage_upper, 2)}, from "
        f"{policy.n_valid_deploy:,} deploy cases).",
        "",
    ]
    if not margin_met(policy):
        lines += [
            "**Safety margin NOT met**: the upper bound exceeds the target because the "
            "validation months hold too few deploy cases. Do not rely on this model before "
            "training on more data.",
            "",
        ]
    return lines


def _held_out_lines(m: Manifest) -> list[str]:
    h, ev = m.metrics, m.evaluation
    system = ev.get("with_red_flag_rules") or {}
    lines = [
        "## Held-out figures (test months, never seen in training or threshold fitting)",
        "",
        "| figure | value |",
        "|---|---|",
        f"| under-triage (model and policy) | {_pct(h.under_triage_rate, 2)}"
        f"{_ci(h.under_triage_ci)} |",
        f"| diversion (no ambulance suggested) | {_pct(h.diversion_rate, 2)}"
        f"{_ci(h.diversion_ci)} |",
    ]
    if system:
        lines += [
            f"| under-triage with red-flag rules (as served) | "
            f"{_pct(system.get('under_triage_rate'), 2)}{_ci(system.get('under_triage_ci'))} |",
            f"| diversion with red-flag rules | {_pct(system.get('diversion_rate'), 2)} |",
        ]
    if h.oracle_diversion_rate is not None:
        threshold_oracle = ev.get("oracle_threshold_diversion_rate")
        if threshold_oracle is None:  # evaluated before 2026-12-03: the threshold oracle alone
            lines.append(f"| oracle diversion at the same under-triage (one threshold) | "
                         f"{_pct(h.oracle_diversion_rate, 2)} |")
        else:
            lines += [
                f"| oracle diversion at the same under-triage | "
                f"{_pct(h.oracle_diversion_rate, 2)} |",
                f"| the same, one threshold on the true odds (no share of a block of equal "
                f"odds) | {_pct(threshold_oracle, 2)} |",
            ]
    rule = ev.get("slice_rule")
    if isinstance(rule, Mapping):
        verdict = "met" if rule.get("passed") else "NOT met: " + ", ".join(
            str(f.get("slice")) for f in rule.get("failing", [])
        )
        lines.append(
            f"| worst incident-type gap to the oracle (slices with >= {rule.get('min_deploys')} "
            f"deploys; rule: <= {_pct(rule.get('max_gap'), 0)}) | "
            f"{_pct(rule.get('worst_gap'), 2)}, {verdict} |"
        )
    return [
        *lines,
        f"| accuracy | {_pct(h.accuracy, 2)} |",
        f"| macro F1 | {_num(h.macro_f1)} |",
        f"| ECE ({ev.get('ece_kind', 'top-label')}) | {_num(h.ece)} |",
        f"| ECE of P(deploy) | {_num(h.ece_deploy)} |",
        f"| test requests / needed deploy | {h.n:,} / {h.n_deploy:,} |",
        "",
    ]


def _closing_lines() -> list[str]:
    return [
        "The full report, with per-slice tables, calibration and the trade-off curve, is "
        "`report/index.html` in this folder.",
        "",
        "## Known limits",
        "",
        "- The model reads what the police operator typed; it cannot see what was not said.",
        "- Probabilities are calibrated on the validation months; drift in case mix or wording "
        "moves them. Monitor under-triage from recorded outcomes.",
        "- Slices with few deploy cases have wide intervals (see the report).",
        "",
        "## Promotion",
        "",
        "Promotion to `current` runs the safety vignette suite through the served predictor "
        "(rules included) and refuses a model that misses any critical vignette unless forced "
        "with a recorded reason; the history is in `manifest.json` and `promotions.jsonl`.",
        "",
    ]
