"""The building blocks of the synthetic scenarios: what a scenario is, and the pieces shared.

:class:`Variant` (one latent clinical picture) and :class:`Option` (a detail that moves its
odds) with the reusable modifier groups and location mixes. Kept apart from the catalogues
(``synth_catalogue.py``, the control-room scenarios; ``synth_catalogue_lay.py``, the lay,
slang and regional ones; ``synth_catalogue_minor.py``, minor complaints in everyday words) so
that they build on the same pieces and odds without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Probs = tuple[float, float, float]  # hear_and_treat, clinical_advice, deploy

#: Probabilities a red flag gives before clinician disagreement is mixed in.
RED_FLAG_PROBS: Probs = (0.004, 0.006, 0.99)

# Dispositions by kind (hear_and_treat, clinical_advice, deploy), shared by the lay and the
# minor-complaint catalogues. A minor complaint keeps 5% deploy odds: measured against 1% (as
# the core catalogue's minor illness), the oracle's diversion rose to 42.9% but the model's only
# to 38.6% (0.90 of the oracle's, against 0.96 with these odds), and the tuning suite's
# acceptable rate fell from 0.972 to 0.949.
HT: Probs = (0.80, 0.15, 0.05)
HT_SURE: Probs = (0.85, 0.12, 0.03)
CA: Probs = (0.15, 0.80, 0.05)
CA_SURE: Probs = (0.08, 0.90, 0.02)
DEPLOY: Probs = (0.05, 0.20, 0.75)
DEPLOY_MOST: Probs = (0.04, 0.14, 0.82)
DEPLOY_SURE: Probs = (0.03, 0.12, 0.85)


@dataclass(frozen=True)
class Option:
    """One choice within a modifier group: its wordings and how it moves the log-odds.

    ``delta`` is added to the (hear_and_treat, clinical_advice, deploy) log-odds; when
    ``age_scaled`` the deploy part grows with age (the same head injury matters more at 85).
    ``texts`` empty means the detail is not mentioned at all. ``red_flag`` (here and on
    :class:`Variant`) names the rule of ``triage.rules.engine.rule_names()`` that the wording must
    fire (tests/test_rules.py checks that it does).
    """

    texts: tuple[str, ...]
    weight: float
    delta: Probs = (0.0, 0.0, 0.0)
    red_flag: str | None = None
    facts: dict[str, str] = field(default_factory=dict)
    age_scaled: bool = False


@dataclass(frozen=True)
class Variant:
    """One latent clinical scenario. See the module docstring."""

    key: str
    weight: float
    core: tuple[str, ...]
    probs: Probs
    incident: dict[str, float]
    locations: dict[str, float]
    red_flag: str | None = None
    facts: dict[str, str] = field(default_factory=dict)
    officer: float = 0.5
    officer_matters: bool = True
    ages: tuple[int, int] = (18, 85)
    age_matters: bool = False
    male: float = 0.55
    timing: str = "flat"
    mods: tuple[tuple[Option, ...], ...] = ()
    by_location: dict[str, Probs] | None = None
    core_has_location: bool = False


# --- reusable modifier groups -------------------------------------------------------------

NO_LOC = (
    Option((), 0.5),
    Option(("no LOC", "wasnt knocked out", "did not lose consciousness", "no loss of "
            "consciousness", "nil LOC"), 0.5, (0.2, 0.1, -0.3), facts={"conscious": "yes"}),
)
BREATHING_OK = (
    Option((), 0.55),
    Option(("breathing normally", "breathing fine", "no difficulty breathing", "no SOB",
            "breathing ok"), 0.45, (0.1, 0.1, -0.2), facts={"breathing": "normal"}),
)
NO_CP = (
    Option((), 0.6),
    Option(("denies chest pain", "no chest pain", "no CP", "denies any CP"), 0.4,
           (0.1, 0.05, -0.2)),
)
CB = (
    Option((), 0.4),
    Option(("c/b", "conscious and breathing", "c/b and talking", "alert, talking in full "
            "sentences", "GCS {gcs_ok}"), 0.6, (0.1, 0.1, -0.2),
           facts={"conscious": "yes", "breathing": "normal"}),
)
NO_HEAD_INJURY = (
    Option((), 0.6),
    Option(("no head injury", "didnt hit head", "no HI"), 0.4, (0.1, 0.1, -0.2)),
)
ETOH = (
    Option((), 0.6),
    Option(("ETOH", "smells of ETOH", "been drinking", "ETOH on board", "had a few drinks"),
           0.4, (0.0, 0.15, 0.05)),
)

# Falls: the head-injury x anticoagulant interaction. Anticoagulants only matter after a head
# injury; a head injury matters more with age (age_scaled); LOC or anticoagulants after a head
# injury are red flags.
FALL_HEAD = (
    Option((), 0.22),
    Option(("no head injury", "didnt hit head", "no HI", "denies hitting head"), 0.2,
           (0.2, 0.0, -0.5)),
    Option(("no head injury, not on blood thinners", "didnt bang head, not on anticoags",
            "no HI, no blood thinners"), 0.12, (0.3, 0.0, -1.1)),
    Option(("no head injury, on warfarin", "didnt hit head, takes apixaban",
            "no HI but on rivaroxaban", "not hit head, is on blood thinners"), 0.1,
           (0.0, 0.0, -0.2)),
    Option(("hit head, no LOC, not on blood thinners", "small bump to head, no LOC, "
            "not on anticoags", "banged head, wasnt knocked out, no blood thinners"), 0.13,
           (0.0, 0.1, 0.4), age_scaled=True, facts={"conscious": "yes"}),
    Option(("hit head, no LOC", "bump to back of head, didnt lose consciousness",
            "small lac to head, no LOC"), 0.12, (0.0, 0.0, 0.9), age_scaled=True,
           facts={"conscious": "yes"}),
    Option(("hit head, on warfarin", "head injury, takes apixaban", "banged head and is on "
            "blood thinners", "lac to head, on rivaroxaban", "HI, on anticoags"), 0.07,
           red_flag="head_injury"),
    Option(("hit head and knocked out briefly", "head injury with LOC", "LOC approx "
            "{mins_short} mins after hitting head", "was out cold for a minute after hitting "
            "head"), 0.04, red_flag="head_injury"),
)
FALL_MOBILITY = (
    Option((), 0.25),
    Option(("back on feet, walking ok", "got {himself} up, mobile", "mobile, walking around",
            "up and walking, no pain"), 0.32, (0.4, 0.2, -1.5)),
    Option(("cant get up but says no pain", "unable to get off floor, uninjured",
            "cant get up, no obvious injury"), 0.2, (0.0, -0.3, 0.3)),
    Option(("long lie, been on floor since last night", "on floor for approx {hours} hrs",
            "long lie, cold to touch but talking"), 0.13, (-0.3, -0.5, 1.3)),
    Option(("hip pain, cant weight bear, leg looks shortened", "pain in hip, leg rotated, "
            "cant stand"), 0.1, (-1.0, -1.0, 2.5)),
)



STREET_NIGHT = {"street": 0.45, "licensed_premises": 0.3, "public_place": 0.2, "road": 0.05}
HOME = {"private_dwelling": 1.0}
HOME_MOSTLY = {"private_dwelling": 0.75, "public_place": 0.1, "street": 0.1, "other": 0.05}
ANYWHERE = {
    "private_dwelling": 0.45, "street": 0.2, "public_place": 0.2, "licensed_premises": 0.05,
    "other": 0.1,
}
CUSTODY = {"custody_suite": 1.0}
ANYWHERE_OR_CUSTODY = {**ANYWHERE, "custody_suite": 0.15}
STREET_OR_CUSTODY = {"street": 0.5, "public_place": 0.1, "custody_suite": 0.4}
OUT_AND_ABOUT = {"street": 0.35, "public_place": 0.35, "private_dwelling": 0.2, "other": 0.1}

# Incident types a minor complaint is recorded under.
ILL = {"other": 1.0}
SKIN = {"other": 0.8, "injury_other": 0.2}
