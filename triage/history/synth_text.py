"""Phrase pools for the synthetic generator: control-room wording, typos and a shared string table.

Why a string table: rendering a million narratives with a Python loop per row is too slow, so
every phrase (with its misspelt variants) is rendered once into one table, rows only sample
integer indices into it, and polars gathers and joins the strings. Index 0 is the empty phrase
(null), which ``concat_str(..., ignore_nulls=True)`` skips.
"""

from __future__ import annotations

import itertools
import random
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import polars as pl

#: Words a typo never touches: misspelling a negation or a key abbreviation would change what
#: the text means, and the label must depend only on what the text says.
_PROTECTED = frozenset(
    {
        "not", "no", "nil", "denies", "without", "never", "isnt", "wasnt", "doesnt", "hasnt",
        "didnt", "cant", "wont", "negative", "blanching", "blanches", "normally", "normal",
    }
)

#: Misspellings seen in typed control-room logs (applied before random keyboard slips).
_COMMON_MISSPELLINGS: Mapping[str, str] = {
    "conscious": "concious",
    "unconscious": "unconcious",
    "breathing": "breathng",
    "ambulance": "ambulence",
    "paracetamol": "paracetomol",
    "definitely": "definately",
    "unresponsive": "unresponive",
    "seizure": "siezure",
    "vomiting": "vommiting",
    "vomited": "vommited",
    "diabetic": "diabeteic",
    "neighbour": "neighbor",
    "bleeding": "bleding",
    "pregnant": "pregant",
    "officers": "oficers",
    "address": "adress",
    "believed": "beleived",
    "received": "recieved",
    "collapsed": "colapsed",
    "epileptic": "epilepic",
    "headache": "head ache",
    "tablets": "tablests",
    "swelling": "sweling",
    "walking": "waliking",
}

_KEY_NEIGHBOURS: Mapping[str, str] = {
    "a": "sq", "b": "vn", "c": "xv", "d": "sf", "e": "wr", "f": "dg", "g": "fh", "h": "gj",
    "i": "uo", "j": "hk", "k": "jl", "l": "k", "m": "n", "n": "bm", "o": "ip", "p": "o",
    "q": "w", "r": "et", "s": "ad", "t": "ry", "u": "yi", "v": "cb", "w": "qe", "x": "zc",
    "y": "tu", "z": "x",
}

_WORD = re.compile(r"[A-Za-z]+")


def _typo(text: str, rnd: random.Random) -> str:
    """One plausible slip of the keyboard (or a habitual misspelling) somewhere in ``text``."""
    words = [m for m in _WORD.finditer(text) if len(m.group()) >= 5]
    words = [m for m in words if m.group().lower() not in _PROTECTED]
    common = [m for m in words if m.group().lower() in _COMMON_MISSPELLINGS]
    if common and rnd.random() < 0.6:
        m = rnd.choice(common)
        repl = _COMMON_MISSPELLINGS[m.group().lower()]
        if m.group()[0].isupper():
            repl = repl[0].upper() + repl[1:]
        return text[: m.start()] + repl + text[m.end():]
    if not words:
        # No long word: drop an apostrophe or a full stop, which people do all the time.
        return text.replace("'", "", 1) if "'" in text else text.rstrip(".")
    m = rnd.choice(words)
    w = m.group()
    i = rnd.randrange(1, len(w) - 1)
    op = rnd.randrange(4)
    if op == 0:
        w2 = w[:i] + w[i + 1] + w[i] + w[i + 2:]
    elif op == 1:
        w2 = w[:i] + w[i + 1:]
    elif op == 2:
        w2 = w[:i] + w[i] + w[i:]
    else:
        near = _KEY_NEIGHBOURS.get(w[i].lower(), w[i])
        w2 = w[:i] + rnd.choice(near) + w[i + 1:]
    return text[: m.start()] + w2 + text[m.end():]


#: Everyday, regional and slang wording for the same things (issue 10: language nobody here
#: wrote). Each pool phrase is also rendered PARAPHRASES times with some of these swapped in,
#: so the history holds "throwing up", "spewing" and "being sick" where a template said
#: "vomiting". Keys are matched as whole words, case-insensitively. None of them is a negation,
#: and every alternative keeps the clinical meaning (so the label stays a function of what the
#: text says): "sweaty" never becomes "clammy", "drowsy" never becomes "unconscious".
PARAPHRASES_TABLE: Mapping[str, tuple[str, ...]] = {
    "vomiting": ("being sick", "throwing up", "spewing", "puking", "been sick"),
    "vomited": ("been sick", "threw up", "was sick", "spewed", "puked"),
    "drunk": ("hammered", "steaming", "wasted", "bladdered", "paralytic", "legless", "mortal"),
    "been drinking": ("had a skinful", "been on the drink", "been on the lash", "had a bevvy"),
    "drowsy": ("sleepy", "dozy", "out of it", "spaced out", "dopey"),
    "confused": ("muddled", "not with it", "away with the fairies", "all over the place",
                 "disorientated", "not making sense"),
    "collapsed": ("keeled over", "went down", "dropped to the floor", "flaked out", "fell down"),
    "unresponsive": ("not responding", "spark out", "out cold", "not rousable", "wont wake"),
    "short of breath": ("SOB", "breathless", "out of breath", "puffed out", "DIB"),
    "sweaty": ("sweating", "sweating a lot", "in a sweat"),
    "says": ("reports", "states", "is saying", "tells officers", "reckons"),
    "officers": ("police", "PCs", "colleagues", "the crew", "units"),
    "mum": ("mam", "mother", "ma", "mom"),
    "child": ("kid", "bairn", "little one", "wean", "young un"),
    "man": ("bloke", "fella", "lad", "geezer", "gent", "chap"),
    "woman": ("lady", "lass", "female", "woman"),
    "friend": ("mate", "pal", "buddy", "marra", "bezzie"),
    "tablets": ("pills", "meds", "tabs", "medication"),
    "stomach": ("tummy", "belly", "abdo", "guts"),
    "very": ("really", "proper", "well", "pure", "so"),
    "worried": ("concerned", "anxious", "scared", "bricking it", "panicking"),
    "talking": ("chatting", "speaking", "chatting away"),
    "hospital": ("A&E", "the hozzy", "ED", "the infirmary"),
    "ambulance": ("amb", "ambo", "paramedics", "crew"),
    "punched": ("smacked", "decked", "lamped", "hit", "battered"),
    "kicked": ("booted", "kicked"),
    "fell": ("took a tumble", "had a fall", "fell over"),
    "pain": ("pain", "ache", "hurting"),
    "crying": ("greetin", "in tears", "sobbing", "upset and crying"),
    "upset": ("distressed", "in bits", "tearful", "gutted"),
    "home": ("the house", "the flat", "his place", "her place"),
    "now": ("at the moment", "currently", "atm", "now"),
    "a lot": ("loads", "lots", "a fair bit"),
    "police": ("officers", "the polis", "bobbies", "feds"),
}

_PARA_RE = re.compile(
    r"(?i)(?<![A-Za-z])(" + "|".join(
        re.escape(k) for k in sorted(PARAPHRASES_TABLE, key=len, reverse=True)
    ) + r")(?![A-Za-z])"
)


def _paraphrase(text: str, rnd: random.Random, rate: float = 0.7) -> str:
    """``text`` with some words swapped for everyday, regional or slang wording."""

    def swap(m: re.Match[str]) -> str:
        if rnd.random() >= rate:
            return m.group(0)
        alt = rnd.choice(PARAPHRASES_TABLE[m.group(0).lower()])
        return alt[0].upper() + alt[1:] if m.group(0)[0].isupper() else alt

    return _PARA_RE.sub(swap, text)


#: Values that fill ``{slot}`` placeholders in templates; every value is rendered (not sampled),
#: so a pool with a slot holds one string per value.
SLOTS: Mapping[str, Sequence[object]] = {
    "mins_long": (6, 7, 8, 10, 12, 15, 20, 25, 30),
    "mins_short": (1, 2, 3, 5),
    "gcs_low": (3, 4, 5, 6, 7, 8),
    "gcs_ok": (14, 15),
    "tabs_big": (24, 28, 30, 32, 40, 48, 50, 60, 64, 100),
    "tabs_small": (2, 3, 4),
    "speed": (50, 60, 70, 80),
    "feet": (15, 20, 25, 30),
    "floor": ("2nd", "3rd", "4th"),
    "bm_low": ("1.8", "2.1", "2.4", "2.6", "2.9"),
    "bm_ok": ("6.1", "7.4", "8.8", "9.2"),
    "wks_early": (24, 26, 28, 30, 32),
    "wks_term": (37, 38, 39, 40),
    "hours": (2, 3, 4, 6),
    "days": (2, 3, 4),
    "num": (2214, 4471, 6023, 1187, 3390),
    "minutes_on_scene": (20, 30, 40, 45),
}

_SLOT = re.compile(r"\{(\w+)\}")


def expand(template: str) -> list[str]:
    """Every rendering of ``template`` over the values of its slots (cartesian product)."""
    names = _SLOT.findall(template)
    if not names:
        return [template]
    unknown = [n for n in names if n not in SLOTS]
    if unknown:
        raise KeyError(f"Template {template!r} uses unknown slot(s) {unknown}")
    out = []
    for values in itertools.product(*(SLOTS[n] for n in names)):
        out.append(template.format(**dict(zip(names, values, strict=True))))
    return out


class StringTable:
    """Collects phrases once; rows refer to them by index. Index 0 is the empty phrase."""

    def __init__(self) -> None:
        self._strings: list[str | None] = [None]
        self._series: pl.Series | None = None

    def add(self, strings: Sequence[str]) -> int:
        if self._series is not None:
            raise RuntimeError("The string table is frozen once built.")
        offset = len(self._strings)
        self._strings.extend(strings)
        return offset

    def series(self) -> pl.Series:
        if self._series is None:
            self._series = pl.Series("phrase", self._strings, dtype=pl.String)
        return self._series

    def __len__(self) -> int:
        return len(self._strings)


#: Pronoun placeholders in templates, rendered per sex (0 female, 1 male).
PRONOUNS: Mapping[str, tuple[str, str]] = {
    "{himself}": ("herself", "himself"),
    "{his}": ("her", "his"),
    "{him}": ("her", "him"),
    "{he}": ("she", "he"),
}


def with_pronouns(template: str, sex: int) -> str:
    for token, forms in PRONOUNS.items():
        template = template.replace(token, forms[sex])
    return template


class Pool:
    """Phrasings of one thing, each with ``TYPOS`` misspelt variants rendered alongside.

    ``sample`` returns indices into the table: mostly a clean phrasing, with probability
    ``typo_rate`` one of its misspelt variants.
    """

    TYPOS = 3
    PARAPHRASES = 3
    #: Share of sampled phrases in a paraphrased rendering (when it differs from the template).
    PARAPHRASE_RATE = 0.45

    def __init__(
        self, table: StringTable, templates: Iterable[str], *, name: str, sex: int | None = None
    ) -> None:
        clean: list[str] = []
        for t in templates:
            clean.extend(expand(with_pronouns(t, sex) if sex is not None else t))
        if not clean:
            raise ValueError(f"Pool {name!r} has no phrases")
        typos: list[str] = []
        paraphrases: list[str] = []
        for s in clean:
            rnd = random.Random(zlib.crc32(s.encode()))
            typos.extend(_typo(s, rnd) for _ in range(self.TYPOS))
            paraphrases.extend(_paraphrase(s, rnd) for _ in range(self.PARAPHRASES))
        self.name = name
        self.size = len(clean)
        self.clean = tuple(clean)
        self.offset = table.add(clean)
        self.typo_offset = table.add(typos)
        self.paraphrase_offset = table.add(paraphrases)

    def _paraphrased(self, rng: np.random.Generator, clean_idx: np.ndarray) -> np.ndarray:
        """Table indices: each phrase clean, or with PARAPHRASE_RATE one of its paraphrases."""
        out = self.offset + clean_idx
        para = rng.random(clean_idx.shape) < self.PARAPHRASE_RATE
        k = int(para.sum())
        if k:
            out[para] = (
                self.paraphrase_offset
                + clean_idx[para] * self.PARAPHRASES
                + rng.integers(0, self.PARAPHRASES, k)
            )
        return out

    def sample(self, rng: np.random.Generator, n: int, typo_rate: float = 0.06) -> np.ndarray:
        idx = rng.integers(0, self.size, n)
        out = self._paraphrased(rng, idx)
        slip = rng.random(n) < typo_rate
        k = int(slip.sum())
        if k:
            out[slip] = self.typo_offset + idx[slip] * self.TYPOS + rng.integers(0, self.TYPOS, k)
        return out.astype(np.int32)

    def sample_distinct(
        self, rng: np.random.Generator, n: int, k: int, typo_rate: float = 0.06
    ) -> np.ndarray:
        """``k`` different phrases per row (shape ``(k, n)``), e.g. fillers that never repeat."""
        if k > self.size:
            raise ValueError(f"Pool {self.name!r} has {self.size} phrases; {k} asked for.")
        first = rng.integers(0, self.size, n)
        steps = rng.integers(1, max(2, self.size // k + 1), (k - 1, n)) if k > 1 else None
        idx = [first]
        for j in range(k - 1):
            assert steps is not None
            idx.append(idx[-1] + steps[j])
        clean = np.stack(idx) % self.size
        out = self._paraphrased(rng, clean)
        slip = rng.random((k, n)) < typo_rate
        m = int(slip.sum())
        if m:
            out[slip] = self.typo_offset + clean[slip] * self.TYPOS + rng.integers(0, self.TYPOS, m)
        return out.astype(np.int32)


class GenderedPool:
    """A pool rendered twice, with her/his pronouns, sampled by each row's sex."""

    def __init__(self, table: StringTable, templates: Sequence[str], *, name: str) -> None:
        if any(tok in t for t in templates for tok in PRONOUNS):
            self.pools = (Pool(table, templates, name=f"{name}.f", sex=0),
                          Pool(table, templates, name=f"{name}.m", sex=1))
        else:
            one = Pool(table, templates, name=name)
            self.pools = (one, one)

    def sample(self, rng: np.random.Generator, sex: np.ndarray, typo_rate: float = 0.06
               ) -> np.ndarray:
        """One phrase per row of ``sex`` (0 female, 1 male)."""
        if self.pools[0] is self.pools[1]:
            return self.pools[0].sample(rng, sex.size, typo_rate)
        out = np.zeros(sex.size, dtype=np.int32)
        for s in (0, 1):
            sel = sex == s
            k = int(sel.sum())
            if k:
                out[sel] = self.pools[s].sample(rng, k, typo_rate)
        return out
