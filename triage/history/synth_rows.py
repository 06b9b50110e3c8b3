"""One scenario's rows of the synthetic history: the facts, log-odds and phrases drawn for them.

:func:`fill_variant` is called by :func:`triage.history.synth.generate` once per scenario with
the rows that drew it. Every draw comes from the generator's one ``rng`` in a fixed order, so
the output for a seed never changes when this code is reorganised (checked by hashing
``triage synth --rows 5000 --seed 3``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from triage.history.synth_catalogue import VARIANTS, Option, Variant
from triage.history.synth_phrases import Catalogue, VariantPools
from triage.schema import enum_of

#: Share of red-flag rows whose structured facts contradict the narrative (see _draw_facts).
STALE_FACTS_RATE = 0.04
#: Share of long reports whose first long sentence comes before the clinical content.
LONG_LEAD_SHARE = 0.5

N_PARTS = 12  # pre, who, loc, core, mod0, mod1, officer post, filler x3, long filler x2
(P_PRE, P_WHO, P_LOC, P_CORE, P_MOD0, P_MOD1, P_POST, P_F1, P_F2, P_F3, P_LONG,
 P_LONG2) = range(N_PARTS)

# Officer on scene moves hear_and_treat <-> clinical_advice: the clinical support desk can only
# advise an officer who is there. Log-odds shifts (ht, ca, deploy).
OFFICER_PRESENT = np.array([-0.5, 0.8, 0.0])
OFFICER_ABSENT = np.array([0.3, -2.0, 0.0])


@lru_cache(maxsize=16)
def values(field: str) -> tuple[str, ...]:
    """The allowed values of an enum field, in schema order (row arrays hold their indices)."""
    enum = enum_of(field)
    if enum is None:
        raise TypeError(f"{field!r} is not an enum field")
    return tuple(m.value for m in enum)


def code(field: str, value: str) -> int:
    return values(field).index(value)


def _choice(
    rng: np.random.Generator, weights: dict[str, float], n: int, field: str
) -> np.ndarray:
    """``n`` draws from ``weights``, as indices into the field's enum values."""
    codes = np.array([code(field, k) for k in weights], dtype=np.int16)
    p = np.array(list(weights.values()), dtype=float)
    return codes[rng.choice(codes.size, size=n, p=p / p.sum())]


@dataclass
class Rows:
    """Per-row arrays filled scenario by scenario."""

    parts: np.ndarray  # (N_PARTS, n) int32 indices into the string table
    logits: np.ndarray  # (n, 3)
    red_flag: np.ndarray  # bool
    incident: np.ndarray  # int16 index into IncidentType
    location: np.ndarray  # int16 index into LocationType
    age: np.ndarray  # int
    sex: np.ndarray  # int 0 female, 1 male
    sex_shown: np.ndarray  # bool: the narrative says the sex
    officer: np.ndarray  # bool (truth)
    conscious: np.ndarray  # int16 index into the enum; -1 when the scenario leaves it open
    breathing: np.ndarray
    bleeding: np.ndarray

    @classmethod
    def empty(cls, n: int) -> Rows:
        """Arrays for ``n`` rows, facts not yet drawn (-1: left open)."""
        return cls(
            parts=np.zeros((N_PARTS, n), dtype=np.int32),
            logits=np.zeros((n, 3)),
            red_flag=np.zeros(n, dtype=bool),
            incident=np.zeros(n, dtype=np.int16),
            location=np.zeros(n, dtype=np.int16),
            age=np.zeros(n, dtype=np.int64),
            sex=np.zeros(n, dtype=np.int64),
            sex_shown=np.zeros(n, dtype=bool),
            officer=np.zeros(n, dtype=bool),
            conscious=np.full(n, -1, dtype=np.int16),
            breathing=np.full(n, -1, dtype=np.int16),
            bleeding=np.full(n, -1, dtype=np.int16),
        )


@dataclass
class _Draw:
    """One scenario's rows while they are filled: what has been drawn for them so far."""

    v: Variant
    rows: np.ndarray  # indices of the scenario's rows in the frame
    terse: np.ndarray  # bool: a terse report (no person, place or chatter unless it matters)
    age: np.ndarray
    sex: np.ndarray
    location: np.ndarray
    officer: np.ndarray
    in_custody: np.ndarray
    parts: np.ndarray  # (N_PARTS, n) int32 indices into the string table
    logits: np.ndarray  # (n, 3)
    red: np.ndarray


def fill_variant(
    rng: np.random.Generator,
    cat: Catalogue,
    vi: int,
    rows: np.ndarray,
    out: Rows,
    officer_field_present: np.ndarray,
    terse: np.ndarray,
) -> None:
    """Fill ``out`` at ``rows`` (all of scenario ``vi``): facts, log-odds and phrase indices.

    The draws happen in one fixed order (facts and core phrase, modifiers, who, where, the
    officers, the chatter), so a seed always gives the same rows.
    """
    v = VARIANTS[vi]
    pools = cat.variants[vi]
    d = _draw_facts(rng, v, rows, terse, out)
    d.parts[P_CORE] = pools.core.sample(rng, d.sex)
    _draw_modifiers(rng, pools, d, out)
    if v.age_matters:
        age = d.age
        d.logits[:, 2] += 0.45 * (age >= 70) + 0.55 * (age >= 80) - 0.35 * (age < 40)
        d.logits[:, 2] += 0.5 * (age < 5)
    drop_who = _draw_who(rng, cat, d, out)
    # Location: always written when it moves the odds (in custody, the officer shift is off).
    uncertain_officer = v.officer_matters and 0.0 < v.officer < 1.0 and v.red_flag is None
    if not v.core_has_location:
        _draw_location(rng, cat, d, uncertain_officer)
    _draw_officer(rng, cat, d, drop_who, uncertain_officer, officer_field_present)
    _draw_fillers(rng, cat, d)
    out.parts[:, rows] = d.parts
    out.logits[rows] = d.logits
    out.red_flag[rows] = d.red


def _draw_facts(
    rng: np.random.Generator, v: Variant, rows: np.ndarray, terse: np.ndarray, out: Rows
) -> _Draw:
    """The person, place, incident and facts of each row, and the base log-odds."""
    n = rows.size
    age = rng.integers(v.ages[0], v.ages[1] + 1, n)
    sex = (rng.random(n) < v.male).astype(np.int64)
    location = _choice(rng, v.locations, n, "location_type")
    in_custody = location == code("location_type", "custody_suite")
    # Police are always there in a custody suite.
    officer = (rng.random(n) < v.officer) | in_custody
    incident = _choice(rng, v.incident, n, "incident_type")
    relabel = (in_custody & (incident != code("incident_type", "s136_detention"))
               & (rng.random(n) < 0.6))
    incident[relabel] = code("incident_type", "person_in_custody")
    out.age[rows] = age
    out.sex[rows] = sex
    out.location[rows] = location
    out.officer[rows] = officer
    out.incident[rows] = incident
    defaults = _default_facts(v)
    for name, arr in (("conscious", out.conscious), ("breathing", out.breathing),
                      ("bleeding", out.bleeding)):
        value = v.facts.get(name, defaults.get(name))
        arr[rows] = -1 if value is None else code(name, value)

    # Stale facts: on a few red-flag rows the operator's structured fields still say what the
    # first call said ("conscious", "breathing normally") while the narrative has moved on. The
    # label follows the narrative, so the model learns that the words outrank an old tick-box.
    if v.red_flag is not None:
        stale = rows[rng.random(n) < STALE_FACTS_RATE]
        out.conscious[stale] = code("conscious", "yes")
        out.breathing[stale] = code("breathing", "normal")

    # Base log-odds, by location where the same words mean different things.
    if v.by_location:
        table = np.array([v.by_location.get(loc, v.probs) for loc in values("location_type")])
        probs = table[location]
    else:
        probs = np.tile(np.asarray(v.probs, dtype=float), (n, 1))
    return _Draw(v, rows, terse, age, sex, location, officer, in_custody,
                 np.zeros((N_PARTS, n), dtype=np.int32), np.log(probs),
                 np.full(n, v.red_flag is not None))


def _draw_modifiers(rng: np.random.Generator, pools: VariantPools, d: _Draw, out: Rows) -> None:
    """One option of each modifier group per row: its phrase, its odds shift, its facts."""
    v, n, sex, logits = d.v, d.rows.size, d.sex, d.logits
    age_scale = 1.0 + 0.6 * (d.age >= 80) + 0.3 * (d.age >= 70)
    mod_parts: list[np.ndarray] = []
    for gi, group in enumerate(v.mods):
        w = np.array([o.weight for o in group])
        pick = rng.choice(len(group), size=n, p=w / w.sum())
        idx = np.zeros(n, dtype=np.int32)
        for oi, o in enumerate(group):
            sel = pick == oi
            k = int(sel.sum())
            if k == 0:
                continue
            pool = pools.mods[gi][oi]
            if pool is not None:
                idx[sel] = pool.sample(rng, sex[sel])
            delta = np.asarray(o.delta, dtype=float)
            if o.age_scaled:
                logits[sel] += delta[None, :] * np.array([1.0, 1.0, 0.0])[None, :]
                logits[sel, 2] += delta[2] * age_scale[sel]
            else:
                logits[sel] += delta
            if o.red_flag is not None:
                d.red[sel] = True
            _apply_facts(o, d.rows[sel], out)
        mod_parts.append(idx)
    if len(mod_parts) == 2:
        swap = rng.random(n) < 0.5
        a, b = mod_parts
        mod_parts = [np.where(swap, b, a), np.where(swap, a, b)]
    for j, idx in enumerate(mod_parts):
        d.parts[P_MOD0 + j] = idx


def _draw_who(rng: np.random.Generator, cat: Catalogue, d: _Draw, out: Rows) -> np.ndarray:
    """How the person is written; returns the rows that leave the person out (terse ones)."""
    v, n, age, terse = d.v, d.rows.size, d.age, d.terse
    # Who: the age is always written when it moves the odds.
    show_age = np.ones(n, dtype=bool) if v.age_matters else rng.random(n) < 0.55
    show_sex = rng.random(n) < 0.85
    # children are sometimes just "child"; 3 = sex not written
    child_word = (age < 16) & (rng.random(n) >= 0.85)
    sex_text = np.where(show_sex, np.where(child_word, 2, d.sex), 3)
    who = cat.who_offset[sex_text, np.minimum(age, 120), show_age.astype(np.int64)]
    cnt = cat.who_count[sex_text, np.minimum(age, 120), show_age.astype(np.int64)]
    who = who + (rng.random(n) * cnt).astype(np.int64)
    drop_who: np.ndarray = terse & ~show_age if v.age_matters else terse
    d.parts[P_WHO] = np.where(drop_who, 0, who)
    out.sex_shown[d.rows] = show_sex & ~drop_who
    return drop_who


def _draw_location(
    rng: np.random.Generator, cat: Catalogue, d: _Draw, uncertain_officer: bool
) -> None:
    """Where the person is, written on some rows (always when it moves the odds)."""
    n, terse = d.rows.size, d.terse
    show_loc = np.ones(n, dtype=bool) if d.v.by_location else (rng.random(n) < 0.4) & ~terse
    if uncertain_officer:
        show_loc |= d.in_custody
    for key, loc_pool in cat.location.items():
        sel = show_loc & (d.location == code("location_type", key))
        k = int(sel.sum())
        if k:
            d.parts[P_LOC, sel] = loc_pool.sample(rng, k)


def _draw_officer(
    rng: np.random.Generator,
    cat: Catalogue,
    d: _Draw,
    drop_who: np.ndarray,
    uncertain_officer: bool,
    officer_field_present: np.ndarray,
) -> None:
    """What the officers say, written most of the time when it moves the odds."""
    n, parts, officer, in_custody = d.rows.size, d.parts, d.officer, d.in_custody
    show_officer = rng.random(n) < (0.85 if uncertain_officer else 0.4)
    show_officer &= ~d.terse | uncertain_officer
    pre = show_officer & (rng.random(n) < 0.3) & ~drop_who
    post = show_officer & ~pre
    for present in (0, 1):
        sel_pre = pre & (officer == bool(present))
        sel_post = post & (officer == bool(present))
        if sel_pre.any():
            parts[P_PRE, sel_pre] = cat.officer_pre[present].sample(rng, int(sel_pre.sum()))
        if sel_post.any():
            parts[P_POST, sel_post] = cat.officer_post[present].sample(rng, d.sex[sel_post])
    sel_custody = post & in_custody
    if sel_custody.any():
        parts[P_POST, sel_custody] = cat.officer_custody.sample(rng, int(sel_custody.sum()))
    if uncertain_officer:
        # In custody the police are there by definition: no shift beyond the scenario's own odds.
        known = (show_officer | officer_field_present[d.rows]) & ~in_custody
        d.logits[known & officer] += OFFICER_PRESENT
        d.logits[known & ~officer] += OFFICER_ABSENT


def _draw_fillers(rng: np.random.Generator, cat: Catalogue, d: _Draw) -> None:
    """Neutral detail that makes some narratives a paragraph long. Those that mention officers
    only where officers are there."""
    n, parts, terse = d.rows.size, d.parts, d.terse
    n_fill = rng.choice(4, size=n, p=[0.5, 0.3, 0.13, 0.07])
    n_fill[terse] = 0
    at_home = d.location == code("location_type", "private_dwelling")
    context = np.where(d.in_custody, 4, d.officer.astype(np.int64) + 2 * at_home)
    for ctx in range(5):
        sel = (n_fill > 0) & (context == ctx)
        if sel.any():
            picked = cat.filler[ctx].sample_distinct(rng, int(sel.sum()), 3)
            for j, part in enumerate((P_F1, P_F2, P_F3)):
                parts[part, sel] = np.where(n_fill[sel] > j, picked[j], 0)
        long_sel = (rng.random(n) < 0.08) & ~terse & (context == ctx)
        if long_sel.any():
            two = cat.filler_long[ctx].sample_distinct(rng, int(long_sel.sum()), 2, 0.03)
            parts[P_LONG, long_sel] = two[0]
            # a few run on for a second long sentence
            parts[P_LONG2, long_sel] = np.where(rng.random(two.shape[1]) < 0.3, two[1], 0)
    # Half the long reports open with their chatter, so the key fact sits in the middle.
    lead = (parts[P_LONG] > 0) & (parts[P_PRE] == 0) & (rng.random(n) < LONG_LEAD_SHARE)
    parts[P_PRE, lead] = parts[P_LONG, lead]
    parts[P_LONG, lead] = 0


#: Scenarios whose text leaves consciousness or breathing genuinely open.
_NO_DEFAULT_FACTS = frozenset(
    {"electric_shock", "co_poisoning", "pic_headbang", "s136_abd", "welfare_unwell",
     "overdose_unknown", "collapse_confused", "intox_head", "assault_head_vomit"}
)
#: Incidents with no injury in them: a control room records bleeding as none.
_MEDICAL_INCIDENTS = frozenset(
    {"mental_health", "overdose", "intoxication", "person_in_custody", "s136_detention",
     "breathing_problem", "chest_pain", "seizure", "other", "concern_for_welfare", "collapse"}
)


def _default_facts(v: Variant) -> dict[str, str]:
    """Facts an operator would record for a scenario whose text implies them: a patient who is
    talking on the phone about a minor problem is conscious and breathing normally."""
    if v.red_flag is not None or v.key in _NO_DEFAULT_FACTS:
        return {}
    out = {"conscious": "yes", "breathing": "normal"}
    if set(v.incident) <= _MEDICAL_INCIDENTS:
        out["bleeding"] = "none"
    return out


def _apply_facts(o: Option, rows: np.ndarray, out: Rows) -> None:
    for name, value in o.facts.items():
        getattr(out, name)[rows] = code(name, value)
