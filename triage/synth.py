"""Synthetic history of police-to-ambulance requests, calibrated to the published figures.

No record-level police-to-ambulance data is public, so the project trains and tests on this.
Per row the generator draws a latent clinical scenario (:mod:`triage.synth_catalogue`), renders
the narrative and the structured facts from it in control-room language (abbreviations, typos,
negations; :mod:`triage.synth_text`), places it in time and in a force (:mod:`triage.synth_time`),
computes the true class probabilities from what the rendered request shows, and samples the
label from them. The probabilities (``p_*`` columns) are therefore the Bayes-optimal answer, the
"oracle" a model is compared with; they are synthetic-only and never features.

Everything is vectorised: rows sample integer indices into a table of pre-rendered phrases and
polars joins them, so a million rows take seconds (benchmarks/bench_synth.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import numpy as np
import polars as pl
import typer

from triage.schema import (
    DISPOSITIONS,
    SYNTHETIC_ONLY_COLUMNS,
    Disposition,
    enum_of,
    synthetic_schema,
)
from triage.synth_catalogue import RED_FLAG_PROBS, VARIANTS, Option, Variant
from triage.synth_catalogue_lay import DISTRACTOR_FILLERS
from triage.synth_text import GenderedPool, Pool, StringTable
from triage.synth_time import BUSY_NIGHT, DAY, FORCES, NIGHT, sample_times

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

# Officer on scene moves hear_and_treat <-> clinical_advice: the clinical support desk can only
# advise an officer who is there. Log-odds shifts (ht, ca, deploy).
_OFFICER_PRESENT = np.array([-0.5, 0.8, 0.0])
_OFFICER_ABSENT = np.array([0.3, -2.0, 0.0])


# --------------------------------------------------------------------------- phrase catalogue


@dataclass
class _VariantPools:
    core: GenderedPool
    mods: list[list[GenderedPool | None]]


@dataclass
class _Catalogue:
    table: StringTable
    variants: list[_VariantPools]
    who_offset: np.ndarray  # (3 sexes + no-sex, 111 ages, 2 with/without age) -> offset
    who_count: np.ndarray
    location: dict[str, Pool]
    officer_pre: tuple[Pool, Pool]  # absent, present
    officer_post: tuple[GenderedPool, GenderedPool]
    officer_custody: Pool
    # by context: out of doors without / with officers, at home without / with officers, custody
    filler: tuple[Pool, ...]
    filler_long: tuple[Pool, ...]


_LOCATION_TEXT: dict[str, tuple[str, ...]] = {
    "street": ("in the street", "on the pavement", "on the High St", "outside the shops",
               "at the bus stop", "in the road outside", "on a side street"),
    "private_dwelling": ("at home", "at the address", "at a flat", "at the house",
                         "in the flat", "at a friend's house", "at home address"),
    "licensed_premises": ("in the pub", "at the bar", "in the nightclub", "in the club toilets",
                          "at a pub", "inside the bar", "in licensed premises"),
    "custody_suite": ("in custody", "in cell", "in the cells", "at the custody suite",
                      "in cell {num}", "in custody at the station"),
    "public_place": ("in the park", "at the train station", "in a shop", "at the bus station",
                     "in the shopping centre", "at the takeaway", "in the car park"),
    "road": ("on the A58", "on the motorway", "at the roundabout", "on the dual carriageway",
             "at the junction"),
    "other": ("at work", "at the building site", "at the college", "at the care home",
              "at the hospital car park"),
}
_OFFICER_PRE = (
    ("MOP reporting", "3rd party reports", "Call from neighbour re", "Caller reports",
     "Member of public reporting"),
    ("Officers on scene with", "Police request for", "PCs attending to", "Officers with",
     "Police on scene with", "Unit requesting amb for"),
)
_OFFICER_POST = (
    ("caller is MOP, no police on scene", "3rd party call, no units attending",
     "called 999 {himself}, no officers with {him}", "reported by neighbour, police not on scene",
     "no officers deployed", "police not attending", "no officers on scene",
     "caller is family, police not there"),
    ("officers on scene", "police on scene", "PCs with IP", "police in attendance",
     "officer with pt now", "units on scene", "OIC on scene requesting advice",
     "officers with IP", "police at address", "officers requesting advice",
     "PC {num} on scene", "officer asking whether to take to A&E or custody",
     "officers asking if they can leave with a responsible adult"),
)
#: In a custody suite the police are the custody staff.
_OFFICER_POST_CUSTODY = (
    "custody sgt requesting advice", "detention officer with DP", "custody staff with PIC",
    "custody sgt asking if fit to detain", "DO doing rousability checks",
    "custody nurse not on shift, sgt requesting advice",
)
_FILLER = (
    "police ref to follow", "CAD linked to earlier call", "family informed", "no weapons seen",
    "language barrier, Polish speaker", "known to police", "caller wants an ETA",
    "previous similar call last week", "IP gave DOB but not address", "DOB given",
    "family on way", "IP not happy police called", "CCTV being reviewed", "works nights",
    "PNC checks done", "friend with IP", "IP speaks limited English", "hx of similar calls",
    "IP's phone battery low",
)
#: Only where the request is at an address.
_FILLER_HOME = (
    "caller is IP's neighbour", "keyholder on way", "dog on premises, secured",
    "2nd floor flat, lift working", "access via rear door", "partner present", "lives alone",
)
#: Only out of doors.
_FILLER_OUT = ("caller is a taxi driver", "caller is a passer-by", "area well lit",
               "raining heavily", "crowd gathering")
_FILLER_OFFICER = (
    "sgt aware", "NFA for police once medical sorted", "awaiting supervisor",
    "officers have been with IP approx {minutes_on_scene} mins", "bodycam running",
    "officers have first aid kit", "PC {num} is OIC",
)
_FILLER_CUSTODY = (
    "booked in approx {hours} hrs ago", "arrested for public order", "arrested for shoplifting",
    "on 30 min checks", "cell CCTV reviewed", "DP compliant", "solicitor requested",
    "interview pending", "HCP not on site", "arrested on warrant", "DOB confirmed on PNC",
    "sgt aware", "on constant obs", "appropriate adult requested",
)
_FILLER_LONG_CUSTODY = (
    "Custody is very busy tonight and the healthcare professional is tied up with another "
    "detainee, sgt wants advice before deciding whether to keep in custody",
    "Arrested earlier in the evening after a disturbance, has been in the cell since booking "
    "in and checks have been done as required",
)
_FILLER_LONG = (
    "A member of staff saw what happened and stayed with the IP, they are happy "
    "to give a statement",
    "Family had been looking for the IP earlier in the day and rang round friends before "
    "calling, they are now on their way",
    "Friend says the IP has had a difficult few weeks and has not been sleeping well, friend "
    "is staying with them",
    "IP's details given by a friend at the scene, name and DOB passed to control, "
    "checks ongoing",
)
_FILLER_LONG_OUT = (
    "Traffic building up, road partly blocked, other drivers stopped to help",
    "Several people standing around, door staff keeping the area clear",
)
_FILLER_LONG_HOME = (
    "Neighbour called as she had heard shouting, she has not been inside and does not want to "
    "get involved",
)
_FILLER_LONG_OFFICER_HOME = (
    "Officers forced entry as no answer at the door, door now secured",
)
_FILLER_LONG_OFFICER = (
    "Officers were initially called to a disturbance and found the IP when they arrived, "
    "area now calm and the other party has left",
    "Police had been looking for the IP following a report from family earlier in the day, "
    "located by a patrol and spoken to",
    "Officers state they have been on the job for a while and want advice before they "
    "decide what to do",
)


def _who_templates(sex: int, age: int) -> tuple[list[str], list[str]]:
    """Phrasings of a person (with the age shown, without it) for a sex index and an age."""
    decade = f"{age // 10 * 10}s"
    if sex == 3:  # sex not stated
        with_age = [f"IP {age}", f"pt aged {age}", f"{age} y/o", f"IP aged {age}",
                    f"person approx {age}", f"{age}yo", f"pt {age} y/o"]
        if age >= 20:
            with_age.append(f"person in their {decade}")
        return with_age, ["IP", "pt", "person", "IP"]
    if age < 16:
        noun = ("girl", "boy", "child")[sex]
        with_age = [f"{noun} {age}", f"{noun} aged {age}", f"{age} y/o {noun}",
                    f"{age}yo {noun}", f"{noun} approx {age}"]
        return with_age, [noun, f"young {noun}", noun]
    if sex == 0:
        noun, short, pron, alt = "female", "F", "her", "woman"
    elif sex == 1:
        noun, short, pron, alt = "male", "M", "his", "man"
    else:
        noun, short, pron, alt = "IP", "IP", "their", "person"
    with_age = [f"{noun} {age}", f"{short}{age}", f"{age} y/o {noun}", f"{age}yo {noun}",
                f"{noun} aged {age}", f"IP {noun} {age}", f"{noun} approx {age}",
                f"{age} yr old {alt}"]
    if age >= 20:
        with_age += [f"{alt} in {pron} {decade}", f"{noun} {decade}"]
    if age >= 75:
        with_age += [f"elderly {noun} {age}", f"elderly {alt} in {pron} {decade}"]
    without = [noun, f"a {alt}", f"IP ({noun})", alt]
    if sex == 0:
        without.append("lady")
    return with_age, without


@lru_cache(maxsize=1)
def _catalogue() -> _Catalogue:
    """Render every phrase once (cached per process; deterministic)."""
    table = StringTable()
    variants: list[_VariantPools] = []
    for v in VARIANTS:
        core = GenderedPool(table, v.core, name=f"{v.key}.core")
        mods: list[list[GenderedPool | None]] = []
        for gi, group in enumerate(v.mods):
            mods.append([
                GenderedPool(table, o.texts, name=f"{v.key}.mod{gi}.{oi}") if o.texts else None
                for oi, o in enumerate(group)
            ])
        variants.append(_VariantPools(core, mods))
    n_ages = 121
    who_offset = np.zeros((4, n_ages, 2), dtype=np.int64)
    who_count = np.zeros((4, n_ages, 2), dtype=np.int64)
    for sex in range(4):
        for age in range(n_ages):
            with_age, without = _who_templates(sex, age)
            who_offset[sex, age, 1] = table.add(with_age)
            who_count[sex, age, 1] = len(with_age)
            who_offset[sex, age, 0] = table.add(without)
            who_count[sex, age, 0] = len(without)
    location = {k: Pool(table, t, name=f"loc.{k}") for k, t in _LOCATION_TEXT.items()}
    pre = (Pool(table, _OFFICER_PRE[0], name="pre.absent"),
           Pool(table, _OFFICER_PRE[1], name="pre.present"))
    post = (GenderedPool(table, _OFFICER_POST[0], name="post.absent"),
            GenderedPool(table, _OFFICER_POST[1], name="post.present"))
    custody = Pool(table, _OFFICER_POST_CUSTODY, name="post.custody")
    # distractors: chatter whose words look clinical and are not ("arrest warrant executed")
    base = _FILLER + DISTRACTOR_FILLERS
    filler = (Pool(table, base + _FILLER_OUT, name="filler.out"),
              Pool(table, base + _FILLER_OUT + _FILLER_OFFICER, name="filler.out.officer"),
              Pool(table, base + _FILLER_HOME, name="filler.home"),
              Pool(table, base + _FILLER_HOME + _FILLER_OFFICER, name="filler.home.officer"),
              Pool(table, _FILLER_CUSTODY + DISTRACTOR_FILLERS, name="filler.custody"))
    filler_long = (Pool(table, _FILLER_LONG + _FILLER_LONG_OUT, name="filler_long.out"),
                   Pool(table, _FILLER_LONG + _FILLER_LONG_OUT + _FILLER_LONG_OFFICER,
                        name="filler_long.out.officer"),
                   Pool(table, _FILLER_LONG + _FILLER_LONG_HOME, name="filler_long.home"),
                   Pool(table, _FILLER_LONG + _FILLER_LONG_HOME + _FILLER_LONG_OFFICER
                        + _FILLER_LONG_OFFICER_HOME, name="filler_long.home.officer"),
                   Pool(table, _FILLER_LONG_CUSTODY, name="filler_long.custody"))
    table.series()  # freeze
    return _Catalogue(table, variants, who_offset, who_count, location, pre, post, custody,
                      filler, filler_long)


# --------------------------------------------------------------------------- generation

#: Share of red-flag rows whose structured facts contradict the narrative (see _fill_variant).
STALE_FACTS_RATE = 0.04
#: Share of long reports whose first long sentence comes before the clinical content.
LONG_LEAD_SHARE = 0.5

_N_PARTS = 12  # pre, who, loc, core, mod0, mod1, officer post, filler x3, long filler x2
(_P_PRE, _P_WHO, _P_LOC, _P_CORE, _P_MOD0, _P_MOD1, _P_POST, _P_F1, _P_F2, _P_F3, _P_LONG,
 _P_LONG2) = range(_N_PARTS)


@lru_cache(maxsize=16)
def _values(field: str) -> tuple[str, ...]:
    """The allowed values of an enum field, in schema order (row arrays hold their indices)."""
    enum = enum_of(field)
    if enum is None:
        raise TypeError(f"{field!r} is not an enum field")
    return tuple(m.value for m in enum)


def _code(field: str, value: str) -> int:
    return _values(field).index(value)


def _choice(
    rng: np.random.Generator, weights: dict[str, float], n: int, field: str
) -> np.ndarray:
    """``n`` draws from ``weights``, as indices into the field's enum values."""
    codes = np.array([_code(field, k) for k in weights], dtype=np.int16)
    p = np.array(list(weights.values()), dtype=float)
    return codes[rng.choice(codes.size, size=n, p=p / p.sum())]


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


@dataclass
class _Rows:
    """Per-row arrays filled scenario by scenario."""

    parts: np.ndarray  # (_N_PARTS, n) int32 indices into the string table
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


def _fill_variant(
    rng: np.random.Generator,
    cat: _Catalogue,
    vi: int,
    rows: np.ndarray,
    out: _Rows,
    officer_field_present: np.ndarray,
    terse: np.ndarray,
) -> None:
    v = VARIANTS[vi]
    pools = cat.variants[vi]
    n = rows.size
    age = rng.integers(v.ages[0], v.ages[1] + 1, n)
    sex = (rng.random(n) < v.male).astype(np.int64)
    location = _choice(rng, v.locations, n, "location_type")
    in_custody = location == _code("location_type", "custody_suite")
    # Police are always there in a custody suite.
    officer = (rng.random(n) < v.officer) | in_custody
    incident = _choice(rng, v.incident, n, "incident_type")
    relabel = (in_custody & (incident != _code("incident_type", "s136_detention"))
               & (rng.random(n) < 0.6))
    incident[relabel] = _code("incident_type", "person_in_custody")
    out.age[rows] = age
    out.sex[rows] = sex
    out.location[rows] = location
    out.officer[rows] = officer
    out.incident[rows] = incident
    defaults = _default_facts(v)
    for name, arr in (("conscious", out.conscious), ("breathing", out.breathing),
                      ("bleeding", out.bleeding)):
        value = v.facts.get(name, defaults.get(name))
        arr[rows] = -1 if value is None else _code(name, value)

    # Stale facts: on a few red-flag rows the operator's structured fields still say what the
    # first call said ("conscious", "breathing normally") while the narrative has moved on. The
    # label follows the narrative, so the model learns that the words outrank an old tick-box.
    if v.red_flag is not None:
        stale = rows[rng.random(n) < STALE_FACTS_RATE]
        out.conscious[stale] = _code("conscious", "yes")
        out.breathing[stale] = _code("breathing", "normal")

    # Base log-odds, by location where the same words mean different things.
    if v.by_location:
        table = np.array([v.by_location.get(loc, v.probs) for loc in _values("location_type")])
        probs = table[location]
    else:
        probs = np.tile(np.asarray(v.probs, dtype=float), (n, 1))
    logits = np.log(probs)
    red = np.full(n, v.red_flag is not None)
    age_scale = 1.0 + 0.6 * (age >= 80) + 0.3 * (age >= 70)

    parts = np.zeros((_N_PARTS, n), dtype=np.int32)
    parts[_P_CORE] = pools.core.sample(rng, sex)
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
                red[sel] = True
            _apply_facts(o, rows[sel], out)
        mod_parts.append(idx)
    if len(mod_parts) == 2:
        swap = rng.random(n) < 0.5
        a, b = mod_parts
        mod_parts = [np.where(swap, b, a), np.where(swap, a, b)]
    for j, idx in enumerate(mod_parts):
        parts[_P_MOD0 + j] = idx

    if v.age_matters:
        logits[:, 2] += 0.45 * (age >= 70) + 0.55 * (age >= 80) - 0.35 * (age < 40)
        logits[:, 2] += 0.5 * (age < 5)

    # Who: the age is always written when it moves the odds.
    show_age = np.ones(n, dtype=bool) if v.age_matters else rng.random(n) < 0.55
    show_sex = rng.random(n) < 0.85
    # children are sometimes just "child"; 3 = sex not written
    child_word = (age < 16) & (rng.random(n) >= 0.85)
    sex_text = np.where(show_sex, np.where(child_word, 2, sex), 3)
    who = cat.who_offset[sex_text, np.minimum(age, 120), show_age.astype(np.int64)]
    cnt = cat.who_count[sex_text, np.minimum(age, 120), show_age.astype(np.int64)]
    who = who + (rng.random(n) * cnt).astype(np.int64)
    drop_who = terse & ~show_age if v.age_matters else terse
    parts[_P_WHO] = np.where(drop_who, 0, who)
    out.sex_shown[rows] = show_sex & ~drop_who

    # Location: always written when it moves the odds (in custody, the officer shift is off).
    uncertain_officer = v.officer_matters and 0.0 < v.officer < 1.0 and v.red_flag is None
    if not v.core_has_location:
        show_loc = np.ones(n, dtype=bool) if v.by_location else (rng.random(n) < 0.4) & ~terse
        if uncertain_officer:
            show_loc |= in_custody
        for key, loc_pool in cat.location.items():
            sel = show_loc & (location == _code("location_type", key))
            k = int(sel.sum())
            if k:
                parts[_P_LOC, sel] = loc_pool.sample(rng, k)

    # Officer: written most of the time when it moves the odds.
    show_officer = rng.random(n) < (0.85 if uncertain_officer else 0.4)
    show_officer &= ~terse | uncertain_officer
    pre = show_officer & (rng.random(n) < 0.3) & ~drop_who
    post = show_officer & ~pre
    for present in (0, 1):
        sel_pre = pre & (officer == bool(present))
        sel_post = post & (officer == bool(present))
        if sel_pre.any():
            parts[_P_PRE, sel_pre] = cat.officer_pre[present].sample(rng, int(sel_pre.sum()))
        if sel_post.any():
            parts[_P_POST, sel_post] = cat.officer_post[present].sample(rng, sex[sel_post])
    sel_custody = post & in_custody
    if sel_custody.any():
        parts[_P_POST, sel_custody] = cat.officer_custody.sample(rng, int(sel_custody.sum()))
    if uncertain_officer:
        # In custody the police are there by definition: no shift beyond the scenario's own odds.
        known = (show_officer | officer_field_present[rows]) & ~in_custody
        logits[known & officer] += _OFFICER_PRESENT
        logits[known & ~officer] += _OFFICER_ABSENT

    # Fillers: neutral detail that makes some narratives a paragraph long. Those that mention
    # officers only where officers are there.
    n_fill = rng.choice(4, size=n, p=[0.5, 0.3, 0.13, 0.07])
    n_fill[terse] = 0
    at_home = location == _code("location_type", "private_dwelling")
    context = np.where(in_custody, 4, officer.astype(np.int64) + 2 * at_home)
    for ctx in range(5):
        sel = (n_fill > 0) & (context == ctx)
        if sel.any():
            picked = cat.filler[ctx].sample_distinct(rng, int(sel.sum()), 3)
            for j, part in enumerate((_P_F1, _P_F2, _P_F3)):
                parts[part, sel] = np.where(n_fill[sel] > j, picked[j], 0)
        long_sel = (rng.random(n) < 0.08) & ~terse & (context == ctx)
        if long_sel.any():
            two = cat.filler_long[ctx].sample_distinct(rng, int(long_sel.sum()), 2, 0.03)
            parts[_P_LONG, long_sel] = two[0]
            # a few run on for a second long sentence
            parts[_P_LONG2, long_sel] = np.where(rng.random(two.shape[1]) < 0.3, two[1], 0)
    # Half the long reports open with their chatter, so the key fact sits in the middle.
    lead = (parts[_P_LONG] > 0) & (parts[_P_PRE] == 0) & (rng.random(n) < LONG_LEAD_SHARE)
    parts[_P_PRE, lead] = parts[_P_LONG, lead]
    parts[_P_LONG, lead] = 0

    out.parts[:, rows] = parts
    out.logits[rows] = logits
    out.red_flag[rows] = red


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


def _apply_facts(o: Option, rows: np.ndarray, out: _Rows) -> None:
    for name, value in o.facts.items():
        getattr(out, name)[rows] = _code(name, value)


def _probabilities(rows: _Rows) -> np.ndarray:
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


def _render_narratives(cat: _Catalogue, parts: np.ndarray, rng: np.random.Generator) -> pl.Series:
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
    frame = pl.DataFrame({f"p{j}": table.gather(parts[j, order]) for j in range(_N_PARTS)})
    head = pl.concat_str([pl.col("p0"), pl.col("p1"), pl.col("p2")], separator=" ",
                         ignore_nulls=True)
    head = pl.when(head.str.len_chars() > 0).then(head).otherwise(None)
    pieces: list[pl.Series] = []
    for g in range(len(bounds) - 1):
        lo, hi = int(bounds[g]), int(bounds[g + 1])
        if hi == lo:
            continue
        sep, case = divmod(g, len(_CASE_P))
        text = pl.concat_str([head, *[pl.col(f"p{j}") for j in range(3, _N_PARTS)]],
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
        out[say_unknown] = _code(name, "unknown")
    idx = pl.Series(out)
    idx = pl.select(pl.when(idx >= 0).then(idx)).to_series()
    return pl.Series(name, _values(name), dtype=synthetic_schema()[name]).gather(idx).alias(name)


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
    cat = _catalogue()
    n = rows

    stamps, category = sample_times(rng, n, start, days)
    order = np.argsort(stamps, kind="stable")
    stamps, category = stamps[order], category[order]
    volume = np.array([f.volume for f in FORCES])
    force_idx = rng.choice(len(FORCES), size=n, p=volume / volume.sum())
    variant = _sample_variants(rng, force_idx, category)
    present = _present_masks(rng, n)
    terse = rng.random(n) < 0.12

    out = _Rows(
        parts=np.zeros((_N_PARTS, n), dtype=np.int32),
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
    for vi in range(len(VARIANTS)):
        sel = np.flatnonzero(variant == vi)
        if sel.size:
            _fill_variant(rng, cat, vi, sel, out, present["officer_on_scene"], terse[sel])

    p = _probabilities(out)
    u = rng.random(n)
    label = (u[:, None] > np.cumsum(p, axis=1)[:, :2]).sum(axis=1)
    narrative = _render_narratives(cat, out.parts, rng)

    schema = synthetic_schema()
    sex_codes = out.sex.astype(np.int16)
    # The operator records "unknown" only when nobody said (never contradicting the text).
    sex_codes[~out.sex_shown & (rng.random(n) < 0.3)] = _code("sex", "unknown")
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


def synth_command(
    rows: Annotated[int, typer.Option("--rows", help="Number of rows to generate (>= 1).")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same file.")],
    out: Annotated[Path, typer.Option("--out", help="Output file: .csv or .parquet.")],
    start: Annotated[
        str, typer.Option("--start", help="First day of the period, YYYY-MM-DD.")
    ] = "2025-01-01",
    days: Annotated[int, typer.Option("--days", help="Length of the period in days.")] = 365,
) -> None:
    """Generate SYNTHETIC historic police-to-ambulance requests (CSV or Parquet by ending)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    err = Console(stderr=True)
    if rows < 1:
        err.print(f"[red]--rows must be at least 1. Got {rows}.[/red]")
        raise typer.Exit(2)
    if days < 1:
        err.print(f"[red]--days must be at least 1. Got {days}.[/red]")
        raise typer.Exit(2)
    try:
        start_date = date.fromisoformat(start)
    except ValueError:
        err.print(f"[red]--start must be a date YYYY-MM-DD. Got {start!r}.[/red]")
        raise typer.Exit(2) from None
    if out.suffix.lower() not in WRITE_FORMATS:
        err.print(
            f"[red]--out must end in {' or '.join(WRITE_FORMATS)}. Got {str(out)!r}.[/red]"
        )
        raise typer.Exit(2)
    t0 = time.perf_counter()
    df = generate(rows, seed, start=start_date, days=days)
    try:
        write_frame(df, out)
    except OSError as exc:
        err.print(f"[red]Cannot write {str(out)!r}: {exc.strerror or exc}.[/red]")
        raise typer.Exit(1) from None
    seconds = time.perf_counter() - t0
    mix = class_mix(df)
    table = Table(title="Class mix (SYNTHETIC data)")
    table.add_column("disposition")
    table.add_column("rows", justify="right")
    table.add_column("share", justify="right")
    for d in DISPOSITIONS:
        table.add_row(d.value, f"{round(mix[d.value] * df.height):,}", f"{mix[d.value]:.1%}")
    console.print(table)
    console.print(f"wrote {df.height:,} synthetic rows to {out} (seed {seed}, "
                  f"{start_date} + {days} days, {df['force'].n_unique()} forces) "
                  f"in {seconds:.1f} s")


def register(app: typer.Typer) -> None:
    """Add ``synth`` to ``app`` (called from triage.commands.register)."""
    app.command("synth")(synth_command)


__all__ = ["Disposition", "class_mix", "generate", "register", "synth_command", "write_frame"]
