"""Control-room language: one normalisation and one negation detector for the model AND the rules.

Police operators type fast: "IP c/b, ETOH, no LOC, denies CP, NB?" The model's features and the
red-flag rules must read that the same way, so both go through this module:

* :func:`normalise` lower-cases, unifies quotes, dashes and whitespace, expands control-room
  abbreviations, expands negative contractions ("doesn't" -> "does not") and fixes common
  misspellings, giving one canonical spelling per concept ("unconcious" -> "unconscious",
  "c/b" -> "conscious and breathing", "no LOC" -> "no loss of consciousness").
* :func:`negation_scopes` finds, NegEx-style, the spans a negation governs ("denies chest pain",
  "no loss of consciousness", "chest pain ruled out").
* :func:`mark_negation` prefixes each token inside a scope with ``neg_`` so that a bag-of-words
  model sees "neg_breathing" and "breathing" as different features.
* :func:`preprocess` is ``mark_negation(normalise(text))``, the ``preprocessor=`` of a vectorizer.

Everything is deterministic, uses regexes compiled once at import (compiling is cheap; the
tables are small literals), and runs in tens of microseconds for a typical narrative
(benchmarks/bench_rules.py prints the figures).

Abbreviation choices (documented because several are ambiguous; each is the reading that errs
towards a red flag rather than away from one, for the clinical safety officer to confirm, see
docs/CLINICAL_SAFETY.md):

* ``IP`` is the injured party (the patient), never "internet protocol": it becomes "patient".
  ``DP`` (detained person) and ``PIC`` become "detained person" / "person in custody".
* ``NB`` is "not breathing" unless it is written as nota bene: ``n.b.`` with dots, or ``NB:``
  followed by a colon, become "note". Reading a bare "nb" as "not breathing" can at worst add a
  false red flag (an ambulance), never hide one.
* ``LOC`` is loss of consciousness (never "location"); ``CP`` is chest pain (not cerebral palsy);
  ``SOB`` is short of breath except after "to" ("started to sob").
* ``NFA`` stays the token "nfa": police use it both for "no further action" and "no fixed
  abode", and expanding either would plant a spurious negation trigger ("no") in the text.
* ``v`` stays as written: "v drowsy" (very) and "car v tree" (versus) both occur.
* ``BM``/``CBG`` is a capillary blood glucose ("BM 2.1"), as in UK ambulance usage.
* ``OD`` is overdose (not "once daily", which police do not type).
* Abbreviations joined by a slash are alternatives: "denies CP/SOB" -> "denies chest pain or
  short of breath" (both inside the negation).

Negation semantics (see :func:`negation_scopes`): a negated span means "the narrative says this
is absent". Some phrases that start with a negation word are themselves findings: "not
breathing", "no response", "not responding", "no pulse", "no signs of life", "not making
sense". For them the scope covers only the phrase's own words (so the model still sees
``neg_breathing``, distinct from "breathing") and stops there, so "not breathing and cold" does
not negate "cold". The rules treat such phrases as findings by matching the phrase including its
negation word (a match that starts at the trigger is never inside the trigger's own scope).
"and" does not end a scope ("denies chest pain and sweating" negates both) except before a
patient state in :data:`AND_STATES` ("no LOC and unresponsive" reports unresponsiveness).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

from triage.charfold import fold
from triage.spelling import MIN_LEN_ONE_EDIT, correct_word, known_words

__all__ = [
    "AND_STATES",
    "MAX_SCOPE_TOKENS",
    "Analysis",
    "analyse",
    "is_negated",
    "mark_negation",
    "negation_scopes",
    "normalise",
    "preprocess",
]

#: How many recent narratives normalise() and analyse() remember (a few MB at most).
CACHE_SIZE = 4096
#: A pre-negation trigger governs at most this many following tokens (NegEx uses 5).
MAX_SCOPE_TOKENS = 5
#: A post-negation trigger ("chest pain ruled out") governs at most this many preceding tokens.
MAX_POST_SCOPE_TOKENS = 3

# --------------------------------------------------------------------------------------------
# Normalisation tables
# --------------------------------------------------------------------------------------------

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": " ",
        "\u201d": " ",
        "\u201e": " ",
        "\u2033": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\t": " ",
        "\r": " ",
        "\n": " ",
        "\u2028": " ",
        "\u2029": " ",
        # noise for both readers: double quotes, markup, separators
        '"': " ",
        "*": " ",
        "_": " ",
        "=": " ",
        "<": " ",
        ">": " ",
        "[": " ",
        "]": " ",
        "{": " ",
        "}": " ",
        "|": " ",
        "~": " ",
        "^": " ",
        "#": " ",
    }
)

#: Abbreviations, contractions and misspellings -> canonical words. Keys are whole tokens of the
#: lower-cased text (they may contain / & + . ' characters). Values are what the rules and the
#: model read. One table, matched by one compiled alternation, so adding an entry is one line.
_REPLACEMENTS: dict[str, str] = {
    # people and places
    "ip": "patient",
    "i/p": "patient",
    "pt": "patient",
    "pts": "patients",
    "mop": "member of public",
    "mops": "members of public",
    "dp": "detained person",
    "pic": "person in custody",
    "s136": "section 136",
    "s.136": "section 136",
    "sec 136": "section 136",
    "sect 136": "section 136",
    "s 136": "section 136",
    "a&e": "emergency department",
    "a+e": "emergency department",
    "a and e": "emergency department",
    "ed": "emergency department",
    "rtc": "road traffic collision",
    "rta": "road traffic collision",
    "n.f.a": "nfa",
    # consciousness and breathing
    "c/b": "conscious and breathing",
    "c&b": "conscious and breathing",
    "c+b": "conscious and breathing",
    "c/o": "complaining of",
    "loc": "loss of consciousness",
    "l.o.c": "loss of consciousness",
    "nb": "not breathing",
    "n/b": "not breathing",
    "n.b": "note",
    "u/c": "unconscious",
    "unc": "unconscious",
    "unconcious": "unconscious",
    "unconsious": "unconscious",
    "unconsciuos": "unconscious",
    "unconcsious": "unconscious",
    "unconsicous": "unconscious",
    "uncoscious": "unconscious",
    "unconscous": "unconscious",
    "concious": "conscious",
    "consious": "conscious",
    "conscous": "conscious",
    "unresponcive": "unresponsive",
    "unrepsonsive": "unresponsive",
    "unresposive": "unresponsive",
    "unresponive": "unresponsive",
    "unresponisve": "unresponsive",
    "breating": "breathing",
    "breathin": "breathing",
    "breahting": "breathing",
    "brething": "breathing",
    "breathng": "breathing",
    "braething": "breathing",
    "breething": "breathing",
    "breathign": "breathing",
    "sob": "short of breath",
    "soboe": "short of breath on exertion",
    "dib": "difficulty in breathing",
    "resp": "respiratory",
    "obs": "observations",
    "nad": "nothing abnormal detected",
    "hi": "head injury",
    "h/i": "head injury",
    "lac": "laceration",
    "lacs": "lacerations",
    "abdo": "abdomen",
    "gsw": "gunshot wound",
    "gsws": "gunshot wounds",
    "ko": "knocked out",
    "ko'd": "knocked out",
    "kod": "knocked out",
    "koed": "knocked out",
    "anticoags": "anticoagulants",
    "anticoag": "anticoagulant",
    "anticoaggs": "anticoagulants",
    "anticoagulents": "anticoagulants",
    # misspellings seen in control-room text
    "ijury": "injury",
    "injry": "injury",
    "injurey": "injury",
    "droopng": "drooping",
    "ligaure": "ligature",
    "ligture": "ligature",
    "staabbed": "stabbed",
    "stabbbed": "stabbed",
    "decomosed": "decomposed",
    "decommposed": "decomposed",
    "decompsed": "decomposed",
    "decomposd": "decomposed",
    "decompossed": "decomposed",
    "droping": "drooping",
    "dropping": "drooping",
    "speach": "speech",
    "alergic": "allergic",
    "alergy": "allergy",
    "swolen": "swollen",
    "sollen": "swollen",
    "hiting": "hitting",
    "coonfused": "confused",
    "confussed": "confused",
    "arround": "around",
    "dooping": "drooping",
    "drooing": "drooping",
    "knfie": "knife",
    "beleding": "bleeding",
    "bleedng": "bleeding",
    "rousbale": "rousable",
    "rousible": "rousable",
    "bllood": "blood",
    "gunsoht": "gunshot",
    "clamy": "clammy",
    "clammey": "clammy",
    "traped": "trapped",
    "trappd": "trapped",
    "stangled": "strangled",
    "strangeled": "strangled",
    "knfe": "knife",
    "knive": "knife",
    "consciosness": "consciousness",
    "conciousness": "consciousness",
    "consciousnes": "consciousness",
    "consiousness": "consciousness",
    "conscioussness": "consciousness",
    "knoked": "knocked",
    "kncoked": "knocked",
    "knocket": "knocked",
    "incomparible": "incompatible",
    "incompatable": "incompatible",
    "incompatiable": "incompatible",
    "rigro": "rigor",
    "rigour": "rigor",
    "warfarine": "warfarin",
    "warferin": "warfarin",
    # presentations
    "cp": "chest pain",
    "od": "overdose",
    "o/d": "overdose",
    "od'd": "overdosed",
    "dsh": "deliberate self harm",
    "mh": "mental health",
    "etoh": "alcohol",
    "n&v": "nausea and vomiting",
    "n+v": "nausea and vomiting",
    "n/v": "nausea and vomiting",
    "d&v": "diarrhoea and vomiting",
    "d+v": "diarrhoea and vomiting",
    "hx": "history",
    "pmh": "past medical history",
    "dnar": "dnacpr",
    "dnr": "dnacpr",
    "af": "atrial fibrillation",
    "mi": "heart attack",
    "t2dm": "type 2 diabetic",
    "t1dm": "type 1 diabetic",
    "iddm": "insulin dependent diabetic",
    "niddm": "type 2 diabetic",
    "diabetes": "diabetic",
    "diabetis": "diabetic",
    "diabetc": "diabetic",
    "diebetic": "diabetic",
    "hypo": "hypoglycaemia",
    "hypos": "hypoglycaemia",
    "hypoing": "hypoglycaemia",
    "hypo'ing": "hypoglycaemia",
    "hypoglycemia": "hypoglycaemia",
    "hypoglycaemic": "hypoglycaemia",
    "hypoglycemic": "hypoglycaemia",
    "bm": "blood glucose",
    "bms": "blood glucose",
    "cbg": "blood glucose",
    "blood sugar": "blood glucose",
    "blood sugars": "blood glucose",
    "sugar levels": "blood glucose",
    "sugars": "blood glucose",
    # seizures
    "fiting": "fitting",
    "fitin": "fitting",
    "fittin": "fitting",
    "seizing": "fitting",
    "seizuring": "fitting",
    "siezing": "fitting",
    "siezure": "seizure",
    "siezures": "seizures",
    "seizur": "seizure",
    "seisure": "seizure",
    "sezure": "seizure",
    "seizer": "seizure",
    "epilectic": "epileptic",
    "epiliptic": "epileptic",
    "eppileptic": "epileptic",
    # bleeding and injury
    "bleding": "bleeding",
    "bleedin": "bleeding",
    "bledding": "bleeding",
    "bleading": "bleeding",
    "bleeing": "bleeding",
    "stabed": "stabbed",
    "stabbd": "stabbed",
    "collasped": "collapsed",
    "colapsed": "collapsed",
    "collapesd": "collapsed",
    "collpased": "collapsed",
    "colasped": "collapsed",
    "colapse": "collapse",
    "collaspe": "collapse",
    "vomitting": "vomiting",
    "vommiting": "vomiting",
    "vomitted": "vomited",
    "vommited": "vomited",
    "sweling": "swelling",
    "head ache": "headache",
    # drugs
    "paracetemol": "paracetamol",
    "paracetomol": "paracetamol",
    "paracetmol": "paracetamol",
    "paracetamols": "paracetamol",
    "cocodamol": "co-codamol",
    "co codamol": "co-codamol",
    "cocodomol": "co-codamol",
    "tabs": "tablets",
    "tablet's": "tablets",
    "anaphalactic": "anaphylactic",
    "anaphylatic": "anaphylactic",
    "anaphylaxic": "anaphylactic",
    "anafalactic": "anaphylactic",
    "anaphylactic's": "anaphylactic",
    "epi pen": "epipen",
    "epi-pen": "epipen",
    "pregant": "pregnant",
    "pregnat": "pregnant",
    "ambulence": "ambulance",
    # the rest of the habitual misspellings the synthetic generator writes
    "epilepic": "epileptic",
    "diabeteic": "diabetic",
    "oficers": "officers",
    "tablests": "tablets",
    "waliking": "walking",
    "adress": "address",
    "beleived": "believed",
    "recieved": "received",
    "definately": "definitely",
    "neighbor": "neighbour",
    "amb": "ambulance",
    "approx": "approximately",
    "aprox": "approximately",
    "abt": "about",
    "l": "left",
    "lt": "left",
    "r": "right",
    "rt": "right",
    "mins": "minutes",
    "min": "minutes",
    "hrs": "hours",
    "hr": "hours",
    "wks": "weeks",
    "wk": "weeks",
    "yrs": "years",
    "yr": "years",
    "y/o": "years old",
    "y.o": "years old",
    "yo": "years old",
    "yof": "years old female",
    "yom": "years old male",
    "ft": "feet",
    "w/o": "without",
    "pos": "positive",
    "neg": "negative",
    # regional and slang wording heard in UK control rooms (issue 10: language nobody here wrote)
    "cannae": "cannot",
    "canna": "cannot",
    "cant'": "cannot",
    "couldnae": "could not",
    "wouldnae": "would not",
    "dinnae": "do not",
    "didnae": "did not",
    "doesnae": "does not",
    "isnae": "is not",
    "wasnae": "was not",
    "hasnae": "has not",
    "havenae": "have not",
    "willnae": "will not",
    "aint": "is not",
    "spark out": "unconscious",
    "sparko": "unconscious",
    "sparked out": "knocked out",
    "out for the count": "unconscious",
    "out of it": "drowsy",
    "away with the fairies": "confused",
    "spaced out": "drowsy",
    "necked": "swallowed",
    "downed": "swallowed",
    "shanked": "stabbed",
    "shivved": "stabbed",
    "chibbed": "stabbed",
    "plunged": "stabbed",
    "bottled": "hit with a bottle",
    "mam": "mum",
    "bairn": "child",
    "bubba": "baby",
    "hammered": "drunk",
    "steaming": "drunk",
    "bladdered": "drunk",
    "paralytic": "drunk",
    "legless": "drunk",
    "wasted": "drunk",
    "puffer": "inhaler",
    "blue inhaler": "inhaler",
    "inhalers": "inhaler",
    "sats": "oxygen saturation",
    "hedake": "headache",
    "slurd": "slurred",
    "slured": "slurred",
    "malarya": "malaria",
    "elefant": "elephant",
    "ches": "chest",
    "elephent": "elephant",
    "hedache": "headache",
    "heddache": "headache",
    "lite": "light",
    "rite": "right",
    "sweating buckets": "sweating heavily",
    "sweating cobs": "sweating heavily",
    "white as a sheet": "pale",
    "white as a ghost": "pale",
    "gone grey": "grey",
    "gone blue": "blue",
    "gone pale": "pale",
    "gone floppy": "floppy",
    "gone quiet": "quiet",
    "went quiet": "quiet",
    "has gone quiet": "quiet",
    "flaked out": "collapsed",
    "keeled over": "collapsed",
    # negative contractions (with and without the apostrophe)
    "can't": "cannot",
    "cant": "cannot",
    "can not": "cannot",
    "won't": "will not",
    "wont": "will not",
    "ain't": "is not",
    "shan't": "shall not",
}
for _stem in (
    "does",
    "is",
    "has",
    "was",
    "did",
    "could",
    "are",
    "have",
    "would",
    "should",
    "were",
    "had",
    "do",
    "must",
    "need",
):
    _REPLACEMENTS[f"{_stem}n't"] = f"{_stem} not"
    _REPLACEMENTS[f"{_stem}nt"] = f"{_stem} not"

#: Keys of more than one word are replaced by their own (small) regex, the rest token by token.
_PHRASE_REPLACEMENTS: dict[str, str] = {k: v for k, v in _REPLACEMENTS.items() if " " in k}
_WORD_REPLACEMENTS: dict[str, str] = {k: v for k, v in _REPLACEMENTS.items() if " " not in k}
_PHRASE_RE = re.compile(
    r"(?<![a-z0-9])(?:"
    + "|".join(re.escape(k) for k in sorted(_PHRASE_REPLACEMENTS, key=len, reverse=True))
    + r")(?![a-z0-9])"
)
#: Characters a word may carry before/after it that are not part of the word.
_LEAD = "('\""
_TRAIL = ",.;:?!)'\""
#: Splits text into separators and words (the words are the captured group).
_WORD_SPLIT_RE = re.compile(r"([a-z0-9]+(?:['./&+-][a-z0-9]+)*)")
#: "+ve" / "-ve" start with punctuation, so the word table cannot see them.
_VE_RE = re.compile(r"(?<![a-z0-9])([+-])ve(?![a-z0-9])")


def _ve(match: re.Match[str]) -> str:
    return "positive" if match.group(1) == "+" else "negative"


#: "NB:" as a sentence-leading nota bene ("NB: officers on scene") is a note, not "not breathing".
_NOTA_BENE_RE = re.compile(r"(?<![a-z0-9/&+.'])nb ?:")
#: "w/" (with) glued to its next word: "w/chest pain", "w/ his wife".
_WITH_RE = re.compile(r"(?<![a-z0-9/])w/(?!o(?![a-z]))(?=\s|[a-z])")
#: "to sob" is crying, not "short of breath": protect it before the table runs.
_TO_SOB_RE = re.compile(r"\b(to|started|began|start|begin) sob\b")
#: Numbers glued to units: "60mph", "3ft", "10mins", "40yo", "2.1mmol".
_NUMBER_UNIT_RE = re.compile(
    r"(\d)(mph|kph|ft|m|metres|meters|feet|mins?|hrs?|wks?|yrs?|yo|y/o|kg|mg|g|ml|mmol|tabs|x|c)"
    r"(?![^\W\d_])"  # not followed by any letter (an accented one included: "0mð" is one word)
)
#: "GCS of 8", "GCS 8", "GCS:8", "gcs 8/15": canonical "gcs 8".
_GCS_RE = re.compile(r"\bgcs ?(?:of|is|was|:|-)? ?(\d{1,2})(?: ?/ ?15)?(?![0-9])")
#: "blood glucose of 2.1", "blood glucose: 2.1": canonical "blood glucose 2.1".
_GLUCOSE_RE = re.compile(r"\bblood glucose ?(?:of|is|was|:|-|reading of|reading)? ?(\d)")
#: a lone "m" after a number is metres ("fell 3 m").
_METRES_RE = re.compile(r" m(?<=[0-9] m)(?![^\W_]|[/&+'])")
#: hyphens inside words become spaces ("self-harm" == "self harm", "worst-ever", "x-ray").
_HYPHEN_RE = re.compile(r"-(?<=[a-z0-9]-)(?=[a-z])|-(?<=[a-z]-)(?=[0-9])")
_SPACES_RE = re.compile(r"\s{2,}")
#: Gestation as midwives write it: "32/40" is 32 weeks pregnant.
_GESTATION_RE = re.compile(r"(?<![0-9/.])([1-4]?[0-9])/40(?![0-9/.])")
#: space out clause punctuation glued to the next word ("c/b,smells" -> "c/b, smells").
_PUNCT_GLUE_RE = re.compile(r"([,;!?])(?=[a-z(])")


def _phrase(match: re.Match[str]) -> str:
    return _PHRASE_REPLACEMENTS[match.group(0)]


def _replace_words(text: str) -> str:
    """Replace whole words found in the table, keeping punctuation glued to them.

    Splitting on spaces and looking every word up is the fast path; only words that carry
    punctuation ("c/b," "(etoh" "n.b.") are stripped and looked up again, and abbreviations
    joined by a slash ("CP/SOB") become alternatives ("chest pain or short of breath").
    """
    table = _WORD_REPLACEMENTS
    get = table.get
    ws = text.split(" ")
    out = [get(w, w) for w in ws]
    lead, trail = _LEAD, _TRAIL
    for i in [i for i, w in enumerate(ws) if w and (w[-1] in trail or w[0] in lead or "/" in w)]:
        w = ws[i]
        core = w.strip(trail).lstrip(lead)
        r = get(core) if core else None
        if r is None and "/" in core:
            # "cp/sob": abbreviations joined by a slash read as alternatives
            parts = core.split("/")
            if all(p in table for p in parts):
                r = " or ".join(table[p] for p in parts)
        if r is not None:
            j = w.index(core)
            out[i] = w[:j] + r + w[j + len(core) :]
    return " ".join(out)


def _correct_spelling(text: str) -> str:
    """Misspelt clinical words replaced by the word meant (:mod:`triage.spelling`).

    Only words of MIN_LEN_ONE_EDIT+ letters that are not known words are looked at: a length
    test and one set look-up each for the rest.
    """
    known = known_words()
    out: list[str] | None = None
    ws = text.split(" ")
    for i, w in enumerate(ws):
        if len(w) < MIN_LEN_ONE_EDIT or w in known:
            continue
        core = w.strip(_TRAIL).lstrip(_LEAD)
        if len(core) < MIN_LEN_ONE_EDIT or core in known or not core.isalpha():
            continue
        fixed = correct_word(core)
        if fixed is not None:
            if out is None:
                out = list(ws)
            j = w.index(core)
            out[i] = w[:j] + fixed + w[j + len(core) :]
    return text if out is None else " ".join(out)


@lru_cache(maxsize=CACHE_SIZE)
def normalise(text: str) -> str:
    """Return the canonical form of a narrative: what the model and the rules read.

    Lower-case; curly quotes, dashes, ellipses and odd whitespace unified; control-room
    abbreviations, negative contractions and common misspellings replaced by canonical words
    (see the module docstring for the ambiguous ones); numbers split from their units; GCS and
    blood-glucose readings put in one form ("gcs 8", "blood glucose 2.1"); single spaces.
    Punctuation that ends a clause (. , ; : ? !) is kept because it ends negation scopes.

    Deterministic and idempotent: ``normalise(normalise(t)) == normalise(t)``. Each regex
    pass that only some narratives need is guarded by a substring test, which is what keeps a
    300-character narrative in the tens of microseconds. Results are cached (LRU,
    CACHE_SIZE narratives) because the predictor reads each narrative twice: once for the
    model's features, once for the red-flag rules.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalise() needs a str narrative. Got {type(text).__name__}.")
    t = fold(text).translate(_CHAR_MAP).lower()
    t = _PUNCT_GLUE_RE.sub(r"\1 ", t)
    if "  " in t:
        t = _SPACES_RE.sub(" ", t)
    if _HAS_DIGIT(t):
        t = _NUMBER_UNIT_RE.sub(r"\1 \2", t)
    if "nb" in t:
        t = _NOTA_BENE_RE.sub("note:", t)
    if "w/" in t:
        t = _WITH_RE.sub("with ", t)
    if "sob" in t:
        t = _TO_SOB_RE.sub(r"\1 cry", t)
    if "-" in t:
        t = _HYPHEN_RE.sub(" ", t)
    if "+ve" in t or "-ve" in t:
        t = _VE_RE.sub(_ve, t)
    if any(k in t for k in _PHRASE_REPLACEMENTS):
        t = _PHRASE_RE.sub(_phrase, t)
    t = _replace_words(t)
    t = _correct_spelling(t)
    if "gcs" in t:
        t = _GCS_RE.sub(r"gcs \1", t)
    if "blood glucose" in t:
        t = _GLUCOSE_RE.sub(r"blood glucose \1", t)
    if "/40" in t:
        t = _GESTATION_RE.sub(r"\1 weeks pregnant", t)
    if " m" in t:
        t = _METRES_RE.sub(" metres", t)
    if "  " in t:
        t = _SPACES_RE.sub(" ", t)
    return t.strip()


_HAS_DIGIT = re.compile(r"\d").search


# --------------------------------------------------------------------------------------------
# Negation (NegEx-style)
# --------------------------------------------------------------------------------------------

#: Phrases that begin with a negation word but report an abnormal FINDING. Their scope is only
#: their own words after the negation word, and nothing after them.
FINDING_PHRASES: tuple[str, ...] = (
    "not breathing",
    "no breathing",
    "not breathing properly",
    "not breathing normally",
    "no longer breathing",
    "no signs of breathing",
    "no sign of breathing",
    "not responding",
    "not responsive",
    "not respond",
    "no response",
    "not rousable",
    "not waking",
    "not wake",
    "not waking up",
    "not moving",
    "no pulse",
    "no signs of life",
    "no sign of life",
    "not making sense",
    "not make sense",
    "not alert",
    "not conscious",
    "not fully conscious",
    "not stopped",
    "not stop",
    "not stopping",
    "not fade",
    "not fading",
    "not blanch",
    "not blanching",
    "not go away",
    "not know where",
    "not knowing where",
    "no idea where",
    "not himself",
    "not herself",
)

#: Pre-negation triggers: negate up to MAX_SCOPE_TOKENS following tokens.
PRE_TRIGGERS: tuple[str, ...] = (
    "no signs of",
    "no sign of",
    "no evidence of",
    "no history of",
    "no previous history of",
    "no complaints of",
    "no complaint of",
    "no obvious",
    "no apparent",
    "negative for",
    "not complaining of",
    "not on",
    "not",
    "no",
    "nil",
    "denies",
    "denied",
    "denying",
    "deny",
    "without",
    "never",
    "nothing",
    "none",
    "neither",
    "nor",
    "absence of",
    "free of",
)

#: Post-negation triggers: negate up to MAX_POST_SCOPE_TOKENS preceding tokens
#: ("chest pain denied", "fast negative", "head injury ruled out").
POST_TRIGGERS: tuple[str, ...] = (
    "ruled out",
    "denied",
    "negative",
    "absent",
    "not present",
    "excluded",
)

#: Words that end a pre-negation scope ("no chest pain BUT short of breath").
TERMINATORS: tuple[str, ...] = (
    "but",
    "however",
    "although",
    "though",
    "except",
    "apart from",
    "aside from",
    "yet",
    "still",
    "and is",
    "and was",
    "and has",
    "and had",
    "and now",
    "and then",
    "now",
    "then",
    "says",
    "said",
    "states",
    "stated",
    "reports",
    "reported",
    "who",
    "which",
    "whilst",
    "while",
    "because",
    "as",
    "since",
    "until",
    "officers",
    "police",
    "patient",
    "he",
    "she",
    "they",
)

#: "and" followed by one of these ends a scope: "no LOC and unresponsive" reports that the
#: patient IS unresponsive. A false red flag is the cost when a writer meant "no X and no Y";
#: a missed one is the cost the other way, so these are the states that matter most.
AND_STATES: frozenset[str] = frozenset(
    {
        "unresponsive",
        "unconscious",
        "drowsy",
        "confused",
        "floppy",
        "blue",
        "grey",
        "clammy",
        "fitting",
        "gasping",
        "cold",
        "vomiting",
        "bleeding",
        "pale",
        "sweaty",
        "now",
        "is",
        "was",
        "has",
    }
)


class _Phrases:
    """A set of word sequences, looked up by length (longest first): a few hash probes."""

    __slots__ = ("by_length", "first", "lengths")

    def __init__(self, phrases: tuple[str, ...]) -> None:
        seqs = [tuple(p.split()) for p in phrases]
        self.first = frozenset(s[0] for s in seqs)
        self.lengths = tuple(sorted({len(s) for s in seqs}, reverse=True))
        self.by_length = {n: frozenset(s for s in seqs if len(s) == n) for n in self.lengths}

    def __contains__(self, word: str) -> bool:
        return word in self.first


class _NegationIndex:
    """The four phrase tables of the negation pass, indexed (built once, on first use)."""

    __slots__ = ("finding", "post", "pre", "term", "trigger_first")

    def __init__(self) -> None:
        self.finding = _Phrases(FINDING_PHRASES)
        self.pre = _Phrases(PRE_TRIGGERS)
        self.post = _Phrases(POST_TRIGGERS)
        self.term = _Phrases(TERMINATORS)
        #: first words of every phrase that starts a negation or a finding
        self.trigger_first = self.finding.first | self.pre.first | self.post.first


@lru_cache(maxsize=1)
def _negation_index() -> _NegationIndex:
    return _NegationIndex()

#: A finding phrase followed by one of these is an ordinary negation ("no breathing problems").
_FINDING_BLOCKERS = frozenset(
    {
        "problem", "problems", "probs", "prob", "difficulty", "difficulties", "issues", "issue",
        "concerns", "trouble", "bother",
    }
)
_POST_FOLLOWERS = frozenset({"and", "but", "so", "by", "on", "at", "in"})


class Analysis:
    """Words of a normalised narrative with their offsets, clause breaks and negation.

    ``words[i]`` is the i-th word stripped of surrounding punctuation; ``starts[i]``/``ends[i]``
    its character span in ``text``; ``breaks[i]`` is True when clause punctuation (. , ; : ? !
    ( ) or a dash) follows word i, so nothing (a negation scope, a rule phrase) runs across it;
    ``negated[i]`` is True when word i is inside a negation scope, and ``trigger[i]`` is then the
    index of the word that starts the negation (-1 otherwise), so a phrase that contains its own
    trigger ("not breathing") can be told from one negated from outside. Built by
    :func:`analyse`;
    shared by :func:`negation_scopes`, :func:`mark_negation` and the red-flag rules so the text
    is split once.
    """

    __slots__ = ("breaks", "ends", "negated", "starts", "text", "trigger", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        parts = _WORD_SPLIT_RE.split(text)  # separator, word, separator, word, ..., separator
        cum = list(accumulate(map(len, parts)))
        self.words: list[str] = parts[1::2]
        self.starts: list[int] = cum[0:-1:2]
        self.ends: list[int] = cum[1::2]
        self.breaks: list[bool] = [
            sep != " " and _BREAK_SEARCH(sep) is not None for sep in parts[2::2]
        ]
        self.trigger = _negate(self.words, self.breaks)
        self.negated = [t >= 0 for t in self.trigger]


#: clause punctuation in a separator ends phrases and negation scopes
_BREAK_SEARCH = re.compile(r"[,.;:?!()\-]").search


def _match_at(words: list[str], breaks: list[bool], i: int, phrases: _Phrases) -> int:
    """Length of the longest phrase of ``phrases`` starting at word i (0 if none).

    A phrase never runs across clause punctuation: only its last word may carry a break.
    """
    if words[i] not in phrases.first:
        return 0
    n = len(words)
    for k in phrases.lengths:
        if k == 1:
            return 1 if (words[i],) in phrases.by_length[1] else 0
        if (
            i + k <= n
            and tuple(words[i : i + k]) in phrases.by_length[k]
            and not any(breaks[i : i + k - 1])
        ):
            return k
    return 0


def _negate(words: list[str], breaks: list[bool]) -> list[int]:
    """Per word, the index of the trigger that negates it, or -1 (see negation_scopes)."""
    n = len(words)
    negated = [-1] * n
    idx = _negation_index()
    first = idx.trigger_first
    todo = [i for i, w in enumerate(words) if w in first]
    if not todo:
        return negated
    done = 0  # words before this index are already handled
    for i in todo:
        if i < done:
            continue
        k = _match_at(words, breaks, i, idx.finding)
        if k and i + k < n and not breaks[i + k - 1] and words[i + k] in _FINDING_BLOCKERS:
            k = 0  # "no breathing problems" negates "breathing problems": not a finding
        if k:
            for j in range(i + 1, i + k):
                negated[j] = i
            done = i + k
            continue
        k = _match_at(words, breaks, i, idx.post)
        if k:
            last = i + k - 1
            if last == n - 1 or breaks[last] or words[last + 1] in _POST_FOLLOWERS:
                j = i - 1
                count = 0
                while j >= 0 and count < MAX_POST_SCOPE_TOKENS and not breaks[j]:
                    if _match_at(words, breaks, j, idx.term) or words[j] in first:
                        break
                    negated[j] = i
                    count += 1
                    j -= 1
                done = i + k
                continue
        k = _match_at(words, breaks, i, idx.pre)
        if k:
            j = i + k
            if breaks[j - 1]:
                done = j
                continue
            end = min(n, j + MAX_SCOPE_TOKENS)
            while j < end:
                if words[j] in idx.term and _match_at(words, breaks, j, idx.term):
                    break
                if words[j] == "and" and j + 1 < n and words[j + 1] in AND_STATES:
                    break  # "no LOC and unresponsive": the state after "and" is a finding
                if words[j] in first and (
                    _match_at(words, breaks, j, idx.pre)
                    or _match_at(words, breaks, j, idx.finding)
                    or _match_at(words, breaks, j, idx.post)
                ):
                    break
                negated[j] = i
                if breaks[j]:
                    j += 1
                    break
                j += 1
            done = j
    return negated


@lru_cache(maxsize=CACHE_SIZE)
def analyse(normalised: str) -> Analysis:
    """Split :func:`normalise` output into words with offsets, clause breaks and negation.

    Cached like :func:`normalise` (the features and the rules analyse the same text): treat
    the returned object as read-only.
    """
    return Analysis(normalised)


def negation_scopes(normalised: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of ``normalised`` that a negation governs.

    ``normalised`` must be :func:`normalise` output (lower-case, contractions expanded).

    * A pre-trigger ("no", "not", "denies", "without", "nil", "never", "negative for",
      "no signs of", "no history of", "not on"...) negates the following words up to
      MAX_SCOPE_TOKENS (5), stopping early at clause punctuation (. , ; : ? ! ( ) or a dash), a
      terminator ("but", "however", "although", "except", "and is", "says", "now", a new
      subject such as "he"/"she"/"officers") or another trigger.
    * A post-trigger ("ruled out", "denied", "negative", "absent", "excluded") at the end of a
      clause negates up to MAX_POST_SCOPE_TOKENS (3) preceding words of the same clause.
    * A finding phrase ("not breathing", "no response", "not making sense", "no pulse") is
      scoped to its own words only: "breathing" in "not breathing" is inside a scope (the
      model sees ``neg_breathing``), but nothing after the phrase is.

    The trigger itself is never inside its scope. So a rule phrase that includes the negation
    word ("not breathing", "never had a fit before") starts outside every scope and reads as a
    positive finding, while "no difficulty breathing" puts "difficulty breathing" inside one.

    Returns sorted, non-overlapping spans; consecutive negated words form one span.
    """
    return _spans(analyse(normalised))


def _spans(a: Analysis) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    prev = False
    for i, neg in enumerate(a.negated):
        if neg:
            if prev and not a.breaks[i - 1]:
                spans[-1] = (spans[-1][0], a.ends[i])
            else:
                spans.append((a.starts[i], a.ends[i]))
        prev = neg
    return spans


def is_negated(scopes: list[tuple[int, int]], position: int) -> bool:
    """Whether character ``position`` lies inside one of ``scopes`` (from negation_scopes)."""
    i = bisect_right(scopes, (position, 1 << 62)) - 1
    return i >= 0 and scopes[i][0] <= position < scopes[i][1]


def mark_negation(normalised: str) -> str:
    """``normalised`` with every word inside a negation scope prefixed by ``neg_``.

    "denies chest pain, c/b" (normalised) -> "denies neg_chest neg_pain, conscious and
    breathing"; "not breathing" -> "not neg_breathing" (a distinct feature from "breathing").
    Words outside scopes, punctuation and spacing are unchanged, so a vectorizer's token
    pattern sees ``neg_chest`` as one token.
    """
    a = analyse(normalised)
    if not any(a.negated):
        return normalised
    out: list[str] = []
    last = 0
    for i, neg in enumerate(a.negated):
        if neg:
            s = a.starts[i]
            out.append(normalised[last:s])
            out.append("neg_")
            last = s
    out.append(normalised[last:])
    return "".join(out)


def preprocess(text: str) -> str:
    """``mark_negation(normalise(text))``: the ``preprocessor=`` for scikit-learn vectorizers.

    A plain module-level function (picklable), so a fitted Pipeline that uses it can be saved
    with joblib and loaded in the service.
    """
    return mark_negation(normalise(text))
