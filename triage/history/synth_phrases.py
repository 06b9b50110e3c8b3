"""The phrase catalogue of the generator: every phrase a narrative is joined from, rendered once.

A scenario's core and modifier wordings (from :mod:`triage.history.synth_catalogue`), the ways
of writing a person ("male 84", "elderly lady in her 80s"), places, what the officers say, and
neutral chatter (with distractors that look clinical and are not), all interned in one
:class:`~triage.history.synth_text.StringTable` so that rows sample integer indices into it
(:mod:`triage.history.synth` joins them).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from triage.history.synth_catalogue import VARIANTS
from triage.history.synth_catalogue_lay import DISTRACTOR_FILLERS
from triage.history.synth_text import GenderedPool, Pool, StringTable

__all__ = ["Catalogue", "VariantPools", "catalogue"]

@dataclass
class VariantPools:
    core: GenderedPool
    mods: list[list[GenderedPool | None]]


@dataclass
class Catalogue:
    table: StringTable
    variants: list[VariantPools]
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
def catalogue() -> Catalogue:
    """Render every phrase once (cached per process; deterministic)."""
    table = StringTable()
    variants: list[VariantPools] = []
    for v in VARIANTS:
        core = GenderedPool(table, v.core, name=f"{v.key}.core")
        mods: list[list[GenderedPool | None]] = []
        for gi, group in enumerate(v.mods):
            mods.append([
                GenderedPool(table, o.texts, name=f"{v.key}.mod{gi}.{oi}") if o.texts else None
                for oi, o in enumerate(group)
            ])
        variants.append(VariantPools(core, mods))
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
    return Catalogue(table, variants, who_offset, who_count, location, pre, post, custody,
                      filler, filler_long)
