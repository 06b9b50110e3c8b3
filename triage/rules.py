"""Red-flag rules: time-critical findings that force ``deploy`` whatever the model says.

The rules are DATA. Three tables, one generic evaluation loop:

* :data:`CONCEPTS` names clinical phrases ("chest_pain", "cardiac_feature", "anticoagulant"...)
  written in a tiny phrase language over :func:`triage.text.normalise` output (see
  :func:`parse_phrase` and the comment above it). Structured facts are concepts too, spelt
  ``field=value`` ("breathing=not_breathing", "incident_type=sudden_death").
* :data:`MASKS` are phrases that look like a concept but are not one ("stabbing pain" is not a
  stabbing, "fit for custody" is not a fit, "previous stroke" is history, not a sign). A concept
  match that overlaps a mask match is dropped.
* :data:`RULES` is a tuple of :class:`RuleSpec`: a name, the sentence a call handler reads, the
  clauses that fire it, and the concepts that cancel it. A clause is ``"a|b & c & !d"``: at least
  one of a/b AND c, with d absent. A flag that needs two features (chest pain AND a cardiac
  feature; head injury AND loss of consciousness or an anticoagulant; hypo AND confusion) is one
  clause with two groups.

Negation comes from :mod:`triage.text`: a concept match with a word negated by a trigger
outside the phrase does not count ("no LOC", "denies chest pain", "not on blood thinners", "no
head injury", "no difficulty breathing", "no signs of decomposition"). Phrases that *contain*
their negation word ("not breathing", "never had a fit before", "bleeding will not stop") are
negated only from outside, so they read as findings.

Matching (:class:`_Matcher`) finds every phrase in one pass over the words, overlaps included,
and never across clause punctuation; the tables are validated and built on first use
(:func:`_compiled`), never at import.

Unequivocal signs of death (decomposition, rigor mortis, hypostasis, decapitation, injuries
incompatible with life such as visible brain matter, skeletal remains) cancel every rule: the
patient is dead, nothing is time-critical, and the clinical desk verifies the death
(``clinical_advice``). Without them, a person reported dead or found not breathing is a
``death_not_certain`` red flag. This cancellation is the one place where a phrase can remove a
red flag; the hazard log (docs/CLINICAL_SAFETY.md) records it.

Ambiguity decisions (documented because they trade a missed flag against a false one):

* Slurred speech alone in an intoxicated person (alcohol, drunk, "been drinking", incident type
  intoxication) is NOT a stroke flag: slurring is what drink does, and these requests are very
  common. Slurred speech without intoxication, or any face or arm sign, or "FAST positive", is.
  The model still reads the words, and the handler still sees them.
* A known epileptic who had one typical fit and recovered is not a red flag; a fit that is
  ongoing ("fitting", "still fitting") and not reported stopped, longer than 5 minutes, a second
  or repeated fit, or a first ever fit is.
* "Chest pain" alone (e.g. after a punch) is not a red flag; with a cardiac feature (radiating
  to arm/jaw/neck, sweaty/clammy/grey, crushing/tight/heavy, nausea, breathlessness) or a cardiac
  history (angina, previous heart attack, stents) it is.
* A pedestrian "hit by a car" is major trauma only with speed ("at speed", a speed >= 20 mph,
  "thrown", "run over"); "fall from height" means a roof, balcony, bridge, first floor or higher,
  or a stated height >= 2 m / 7 ft.

``detect_red_flags`` returns at most one :class:`~triage.suggestion.RedFlag` per rule, in table
order, with the evidence that fired it (the matched normalised words, or ``field=value``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from itertools import product

from triage.schema import TriageRequest, enum_fields
from triage.suggestion import RedFlag
from triage.text import analyse, normalise

__all__ = [
    "CONCEPTS",
    "MASKS",
    "RULES",
    "Clause",
    "RuleSpec",
    "compile_phrase",
    "compile_rules",
    "detect_red_flags",
    "parse_phrase",
    "rule_names",
]

#: Concept that cancels every rule (see the module docstring).
DEATH = "unequivocal_death"
#: Internal concept name of MASKS matches (never a key of CONCEPTS).
_MASK = "\x00mask"

# --------------------------------------------------------------------------------------------
# Phrase language
# --------------------------------------------------------------------------------------------
# A phrase is words separated by spaces, matched against consecutive words of normalised text
# that are not separated by clause punctuation. Each position is one of:
#   word          that word exactly
#   a|b|c         any one of these words
#   [a|b]         optionally one of these words
#   #             any number (digits like 60 or 2.1, or a number word like "sixty")
#   #>=10  #<=8   a number in that range (also #>5, #<37, and #20-36 for 20 to 36)
#   *             any single word;  [*] optionally any single word

_NUMBER_WORDS: dict[str, float] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
    "couple": 2,
}


@dataclass(frozen=True, slots=True)
class _Num:
    lo: float
    hi: float


_ANY = "*"


@dataclass(frozen=True, slots=True)
class _Pos:
    """One position of a phrase: the words, numbers or wildcard it accepts; may it be skipped."""

    words: frozenset[str]
    nums: tuple[_Num, ...]
    any: bool
    optional: bool

    def accepts(self, word: str) -> bool:
        if self.any or word in self.words:
            return True
        if self.nums:
            v = _number(word)
            return v is not None and any(n.lo <= v <= n.hi for n in self.nums)
        return False


def _parse_number(spec: str) -> _Num:
    rest = spec[1:]
    inf = float("inf")
    if not rest:
        return _Num(-inf, inf)
    if "-" in rest and rest[0].isdigit():
        lo_s, _, hi_s = rest.partition("-")
        try:
            return _Num(float(lo_s), float(hi_s))
        except ValueError:
            pass
    for op in (">=", "<=", ">", "<"):
        if rest.startswith(op):
            try:
                v = float(rest[len(op) :])
            except ValueError:
                break
            if op == ">=":
                return _Num(v, inf)
            if op == "<=":
                return _Num(-inf, v)
            if op == ">":
                return _Num(v + 1e-9, inf)
            return _Num(-inf, v - 1e-9)
    raise ValueError(f"Bad number position {spec!r}: use #, #>=N, #<=N, #>N, #<N or #A-B.")


def parse_phrase(phrase: str) -> tuple[_Pos, ...]:
    """Parse one phrase of the phrase language into its positions.

    Raises ValueError naming the phrase when it is malformed: empty, an empty alternative,
    unbalanced brackets, a bad number spec, nothing but optional positions, or a wildcard
    ``*`` where the phrase can start (the matcher starts phrases from a word or a number).
    """
    parts = phrase.split()
    if not parts:
        raise ValueError("Empty phrase in the red-flag tables.")
    positions: list[_Pos] = []
    for p in parts:
        optional = p.startswith("[") and p.endswith("]")
        if (p.startswith("[") or p.endswith("]")) and not optional:
            raise ValueError(f"Unbalanced brackets in phrase {phrase!r} at {p!r}.")
        body = p[1:-1] if optional else p
        words: set[str] = set()
        nums: list[_Num] = []
        wildcard = False
        for a in body.split("|"):
            if not a:
                raise ValueError(f"Empty alternative in phrase {phrase!r} at {p!r}.")
            if a.startswith("#"):
                nums.append(_parse_number(a))
            elif a == _ANY:
                wildcard = True
            else:
                words.add(a)
        positions.append(_Pos(frozenset(words), tuple(nums), wildcard, optional))
    if all(pos.optional for pos in positions):
        raise ValueError(f"Phrase {phrase!r} has only optional positions.")
    for pos in positions:
        if pos.any:
            raise ValueError(f"Phrase {phrase!r} may not start with the wildcard '*'.")
        if not pos.optional:
            break
    return tuple(positions)


def compile_phrase(phrase: str) -> list[tuple[str | _Num, ...]]:
    """Expand one phrase into every word sequence it matches (for reading and testing rules).

    ``"radiating to [his|her] left|right arm"`` -> ``[("radiating","to","left","arm"),
    ("radiating","to","his","left","arm"), ...]``. The matcher itself never expands (a phrase
    with many alternatives would multiply out); it walks the positions of :func:`parse_phrase`.
    """
    alternatives: list[list[str | _Num]] = []
    for pos in parse_phrase(phrase):
        alts: list[str | _Num] = [*sorted(pos.words), *pos.nums]
        if pos.any:
            alts.append(_ANY)
        if pos.optional:
            alts.append("")
        alternatives.append(alts)
    out: list[tuple[str | _Num, ...]] = []
    for combo in product(*alternatives):
        seq = tuple(x for x in combo if x != "")
        if seq:
            out.append(seq)
    return out


#: A phrase with at most this many expansions goes into the word trie (fast, shares prefixes);
#: a longer one is walked position by position (bounded memory and build time).
_EXPAND_LIMIT = 256


class _Node:
    """A word trie over expanded phrases; numbers and wildcards are edges of their own."""

    __slots__ = ("any", "children", "concepts", "nums")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.nums: list[tuple[_Num, _Node]] = []
        self.any: _Node | None = None
        self.concepts: list[str] = []

    def add(self, seq: tuple[str | _Num, ...], concept: str) -> None:
        node = self
        for tok in seq:
            if isinstance(tok, _Num):
                nxt = next((nd for num, nd in node.nums if num == tok), None)
                if nxt is None:
                    nxt = _Node()
                    node.nums.append((tok, nxt))
            elif tok == _ANY:
                if node.any is None:
                    node.any = _Node()
                nxt = node.any
            else:
                nxt = node.children.get(tok)
                if nxt is None:
                    nxt = node.children[tok] = _Node()
            node = nxt
        if concept not in node.concepts:
            node.concepts.append(concept)


class _Matcher:
    """Finds every phrase of every concept in a list of words, overlaps included.

    Most phrases are expanded into a word trie (shared prefixes, one dict lookup per word).
    Phrases with many alternatives (more than _EXPAND_LIMIT expansions, e.g. "fell|jumped|...
    from|off [the] first|second|... floor|storey [window]") are indexed by the words they can
    start with and walked position by position instead, so they cost no memory to expand.
    A phrase never runs across a clause break.
    """

    __slots__ = ("by_number", "by_word", "root")

    def __init__(self) -> None:
        self.root = _Node()
        self.by_word: dict[str, list[tuple[str, tuple[_Pos, ...], int]]] = {}
        self.by_number: list[tuple[_Num, str, tuple[_Pos, ...], int]] = []

    def add(self, phrase: str, concept: str) -> None:
        positions = parse_phrase(phrase)
        size = 1
        for pos in positions:
            size *= len(pos.words) + len(pos.nums) + pos.any + pos.optional
        if size <= _EXPAND_LIMIT:
            for seq in compile_phrase(phrase):
                self.root.add(seq, concept)
            return
        for p, pos in enumerate(positions):
            for w in pos.words:
                self.by_word.setdefault(w, []).append((concept, positions, p))
            for num in pos.nums:
                self.by_number.append((num, concept, positions, p))
            if not pos.optional:
                break

    def matches(self, words: list[str], breaks: list[bool]) -> list[tuple[str, int, int]]:
        """Every ``(concept, first word, end word)`` found in ``words``."""
        out: list[tuple[str, int, int]] = []
        n = len(words)
        # (word index, value) of every number word, parsed once for both kinds of phrase
        numbers = [
            (i, v)
            for i, w in enumerate(words)
            if (w[0] in _DIGITS or w in _NUMBER_WORDS) and (v := _number(w)) is not None
        ]
        # the trie
        root = self.root
        children = root.children
        starts = [(i, children[w]) for i, w in enumerate(words) if w in children]
        if root.nums:
            for i, v in numbers:
                starts.extend((i, nd) for num, nd in root.nums if num.lo <= v <= num.hi)
        for i, first in starts:
            stack = [(first, i + 1)]
            while stack:
                node, j = stack.pop()
                for c in node.concepts:
                    out.append((c, i, j))
                if j >= n or breaks[j - 1]:
                    continue
                w = words[j]
                child = node.children.get(w)
                if child is not None:
                    stack.append((child, j + 1))
                if node.nums:
                    v = _number(w)
                    if v is not None:
                        stack.extend((nd, j + 1) for num, nd in node.nums if num.lo <= v <= num.hi)
                if node.any is not None:
                    stack.append((node.any, j + 1))
        # the long phrases
        by_word = self.by_word
        long_starts = [(i, by_word[w]) for i, w in enumerate(words) if w in by_word]
        if self.by_number:
            for i, v in numbers:
                hit = [(c, ps, p) for num, c, ps, p in self.by_number if num.lo <= v <= num.hi]
                if hit:
                    long_starts.append((i, hit))
        for i, candidates in long_starts:
            for concept, positions, p in candidates:
                last = len(positions)
                pstack = [(p + 1, i + 1)]
                while pstack:
                    q, j = pstack.pop()
                    if q == last:
                        out.append((concept, i, j))
                        continue
                    pos = positions[q]
                    if pos.optional:
                        pstack.append((q + 1, j))
                    if j < n and not breaks[j - 1] and pos.accepts(words[j]):
                        pstack.append((q + 1, j + 1))
        return out


def _number(word: str) -> float | None:
    if word[0].isdigit():
        try:
            return float(word)
        except ValueError:
            return None
    return _NUMBER_WORDS.get(word)


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

_PRON = "[his|her|their|the|my|its]"
#: optional "about"/"over"/"more than"/"at least" before a number
_APPROX = (
    "[over|more|about|approximately|around|nearly|almost|roughly|at|just|well] [than|least|over]"
)
_FALL_VERBS = "fell|fallen|falling|fall|jumped|came|come|thrown|pushed"


def _falls(place: str) -> tuple[str, str]:
    """Phrases for a fall from/off/out of ``place`` ("fell from the first floor window")."""
    return (
        f"{_FALL_VERBS} from|off [a|an|the|his|her] {place}",
        f"{_FALL_VERBS} out of [a|an|the|his|her] {place}",
    )


CONCEPTS: Mapping[str, tuple[str, ...]] = {
    # ---- breathing ------------------------------------------------------------------------
    "not_breathing": (
        "not breathing",
        "no breathing",
        "no longer breathing",
        "no signs|sign of breathing",
        "stopped breathing",
        "has stopped breathing",
        "no signs of life",
        "no sign of life",
        "no pulse",
        "cardiac arrest",
        "respiratory arrest",
        "cpr",
        "chest compressions",
        "doing compressions",
        "defib|defibrillator|aed",
    ),
    "abnormal_breathing": (
        "difficulty breathing",
        "difficulty in breathing",
        "breathing difficulty|difficulties",
        "struggling to breathe|breath|breathing",
        "struggling for breath|air",
        "fighting for breath|air",
        "gasping",
        "agonal",
        "cannot breathe",
        "cannot breath properly",
        "cannot breathe properly",
        "can hardly|barely breathe",
        "unable to breathe",
        "cannot get [his|her|their] breath",
        "short of breath",
        "shortness of breath",
        "breathless",
        "stridor",
        "noisy breathing",
        "snoring noises|sounds",
        "making snoring|gurgling noises|sounds",
        "gurgling",
        "wheezing badly|severely",
        "severe|bad wheeze",
        "cannot complete|finish [a|his|her|their|full] sentence|sentences",
        "unable to complete|finish [a|his|her|their|full] sentence|sentences",
        "cannot talk in full sentences",
        "blue lips",
        "lips blue",
        "lips are|going|turning|gone blue",
        "lips have gone|turned blue",
        "going|turning|gone blue",
        "blue around [the] lips|mouth",
        "cyanosed|cyanotic",
        "shallow breathing|breaths",
        "breathing is|very shallow",
        "breathing really|very slow|slowly",
        "breathing irregular|erratic",
        "irregular|laboured|labored|erratic breathing",
        "barely|hardly breathing",
        "not breathing properly|normally",
        "breathing [very|really] noisy|laboured|labored",
        "severe asthma attack",
        "can only say a few|one|two words",
        "only saying a few|one|two words",
        "inhaler not working|helping",
        "choking on",
        "is choking",
        "airway blocked|obstructed",
    ),
    # ---- consciousness --------------------------------------------------------------------
    "unconscious": (
        "unconscious",
        "unresponsive",
        "not responding",
        "not responsive",
        "no response",
        "not conscious",
        "unrousable",
        "not rousable",
        "cannot be roused|woken|wakened|rouse|rousing",
        "cannot rouse|wake him|her|them",
        "will not wake [up]",
        "would not wake [up]",
        "not waking [up]",
        "cannot wake [up]",
        "drifting in and out",
        "in and out of consciousness",
        "comatose",
        "out cold",
        "gcs " + _APPROX + " #<=8",
        "only groans|groaning|moans|moaning",
        "groans|groaning when shaken",
        "only responds|responding to pain",
        "responds to pain only",
        "floppy",
    ),
    "drowsy": (
        "drowsy",
        "drowsiness",
        "very sleepy",
        "lethargic",
        "hard|difficult to wake|rouse",
        "barely responding|responsive|conscious",
        "not fully conscious",
        "gcs " + _APPROX + " #<=14",
        "vacant",
        "glazed",
        "semi conscious",
    ),
    "confused": (
        "confused",
        "confusion",
        "disorientated|disoriented",
        "not making sense",
        "not make sense",
        "talking nonsense|gibberish|rubbish",
        "not know where he|she|they [is|are]",
        "not knowing where",
        "no idea where he|she|they [is|are]",
        "not himself|herself|themselves",
        "acting strangely|oddly|weird|weirdly",
        "out of character",
        "incoherent",
        "mumbling",
        "muddled",
    ),
    "loc": (
        "loss of consciousness",
        "lost consciousness",
        "knocked out",
        "knocked unconscious",
        "passed out",
        "blacked out",
        "went limp",
        "went floppy",
        "came|come round",
        "was unconscious",
        "briefly unconscious",
    ),
    # ---- chest pain -----------------------------------------------------------------------
    "chest_pain": (
        "chest pain|pains",
        "clutching|holding|gripping " + _PRON + " chest",
        "pain|pains in " + _PRON + " chest",
        "chest is tight|hurting|sore|painful|heavy",
        "chest feels tight|heavy",
        "tight|heavy|crushing chest",
        "tightness in " + _PRON + " chest",
        "chest tightness|discomfort|heaviness",
        "central chest",
        "pressure in " + _PRON + " chest",
        "incident_type=chest_pain",
    ),
    "cardiac_feature": (
        "radiating|radiates|radiated|spreading|spreads|spread|going|goes|travelling|moving|shooting"
        " to|down|into|up|through " + _PRON + " [left|right|both] arm|arms|jaw|neck|shoulder|back",
        "down " + _PRON + " [left|right] arm|arms",
        "left arm pain|ache|tingling|numb",
        "pain in " + _PRON + " left arm|jaw",
        "jaw pain|ache",
        "sweaty|sweating|clammy|diaphoretic|sweats",
        "grey|greyish|ashen",
        "crushing",
        "tight|tightness",
        "heavy|heaviness",
        "pressure",
        "squeezing",
        "like an elephant",
        "like a weight|band",
        "nausea|nauseous",
        "feels|feeling sick",
        "palpitations",
        "short of breath",
        "shortness of breath",
        "breathless",
    ),
    "cardiac_history": (
        "cardiac history",
        "heart problem|problems|condition|disease|failure",
        "angina",
        "heart attack|attacks",
        "stent|stents",
        "bypass",
        "gtn [spray]",
        "pacemaker",
    ),
    "heart_attack_now": (
        "having a heart attack",
        "thinks he|she|they [is|are] having a heart attack",
        "heart attack symptoms",
        "symptoms of a heart attack",
    ),
    # ---- bleeding and wounds ------------------------------------------------------------
    "severe_bleeding": (
        "bleeding heavily|profusely|badly|lots|uncontrollably|severely",
        "bleeding a lot",
        "heavy|severe|massive|uncontrolled|uncontrollable|catastrophic|major|serious|"
        "significant|excessive|arterial bleeding|bleed|bled|haemorrhage",
        "heavy|severe|massive|major|serious|significant|excessive blood loss",
        "arterial",
        "pumping|spurting [out] [blood]",
        "pouring out blood",
        "pouring blood",
        "pouring with blood",
        "blood pumping|spurting|pouring",
        "bleeding will|would not stop",
        "will not stop bleeding",
        "cannot stop the|his|her bleeding",
        "bleeding not stopping",
        "bleeding has not stopped",
        "not stopped bleeding",
        "soaked [through] [in|with] blood",
        "blood soaked",
        "soaking through",
        "soaked through",
        "pool|pools of blood",
        "lost|losing a lot of blood",
        "lot|lots of blood",
        "lost|losing lots of blood",
        "tourniquet",
        "bleeding=severe",
    ),
    "penetrating": (
        "stabbed",
        "stab wound|wounds|injury|injuries",
        "stab to " + _PRON,
        "knifed",
        "knife wound|wounds|injury",
        "knife in|into " + _PRON,
        "knife still in",
        "gunshot|gunshots",
        "gun shot",
        "shot",
        "been shot",
        "shotgun wound|injury",
        "impaled",
        "impalement",
        "knife|blade|glass|metal|pole|bolt|spike|stick stuck|embedded|lodged|sticking in|into|out",
        "stuck in " + _PRON + " chest|neck|abdomen|stomach|back|eye",
        "glassed in|to the neck|throat|chest",
        "puncture wound to " + _PRON + " chest|neck|abdomen|stomach|back",
        "crossbow|harpoon",
        "arrow wound",
        "nail gun",
    ),
    "stabbing": ("stabbing",),
    # ---- stroke ------------------------------------------------------------------------------
    "stroke_sign": (
        "fast positive",
        "fast test positive",
        "positive fast",
        "facial|face droop|drooping|dropped|drooped",
        "face has|is dropped|drooped|drooping",
        "face drooping",
        "droopy face|mouth",
        "mouth drooping|droop|droopy|dropped",
        "side of " + _PRON + " face dropped|drooped|drooping|droopy|fallen",
        "side of " + _PRON + " face has dropped|drooped|fallen",
        "one sided weakness",
        "weakness down one side",
        "weakness in|down " + _PRON + " left|right arm|side|leg|hand",
        "left|right sided weakness",
        "arm weakness",
        "cannot lift " + _PRON + " [left|right] arm|arms",
        "left|right arm is|has|gone weak|numb|limp|dead|heavy|clumsy",
        "left|right arm|hand|leg weak|numb|limp|dead|heavy|clumsy",
        "left|right arm|hand|leg went|gone|is|has|feels weak|numb|limp|dead|heavy|clumsy",
        "cannot|could not get " + _PRON + " words out",
        "hand went|gone|is clumsy|weak|numb",
        "hand went|gone clumsy|weak|numb",
        "lost the use of " + _PRON + " arm|hand|leg",
        "lost use of " + _PRON + " arm|hand|leg",
        "cannot find " + _PRON + " words",
        "could not find " + _PRON + " words",
        "words jumbled|muddled",
        "jumbled speech|words",
        "word finding difficulty|difficulties",
        "stroke",
        "having a stroke",
        "mini stroke",
        "tia",
        "sudden weakness",
        "sudden loss of vision",
        "lost vision in one eye",
    ),
    "slurred_speech": (
        "slurred speech",
        "slurring " + "[his|her|their] words|speech",
        "slurring",
        "speech slurred",
        "speech is slurred",
        "speech sounds slurred",
        "cannot speak properly",
    ),
    "intoxicated": (
        "alcohol",
        "drunk",
        "intoxicated",
        "been drinking",
        "drinking",
        "under the influence",
        "in drink",
        "worse for wear",
        "had a drink|drinks",
        "pints|cans|vodka|wine|lager|cider",
        "incident_type=intoxication",
    ),
    # ---- anaphylaxis -------------------------------------------------------------------------
    "anaphylaxis_word": (
        "anaphylaxis",
        "anaphylactic [shock|reaction]",
        "anaphylactoid",
    ),
    "airway_swelling": (
        "swollen tongue|throat",
        "tongue|throat is|has swollen|swelling",
        "tongue|throat feels swollen|tight",
        "tongue|throat swollen|swelling",
        "throat closing [up]",
        "throat is|feels tight|closing",
        "tongue swelling up",
    ),
    "face_swelling": (
        "face|lips|eyes swollen|swelling|puffy",
        "face|lips|eyes is|are|has|have swollen|swelling",
        "swollen face|lips|eyes",
        "hives",
        "rash all over",
    ),
    "allergy": (
        "allergy",
        "allergic",
        "allergic reaction",
        "reaction to",
        "stung",
        "bee|wasp sting",
        "peanut|peanuts",
    ),
    "epipen": (
        "epipen|epipens",
        "adrenaline",
        "jext|emerade",
    ),
    # ---- seizures ----------------------------------------------------------------------------
    "seizure_any": (
        "fit",
        "fits",
        "fitting",
        "fitted",
        "seizure|seizures",
        "convulsing",
        "convulsion|convulsions",
        "jerking",
        "incident_type=seizure",
    ),
    "seizure_ongoing": (
        "fitting",
        "still fitting",
        "currently fitting",
        "having a fit|seizure",
        "having fits|seizures",
        "convulsing",
        "jerking",
        "seizure ongoing",
        "still having a fit|seizure",
        "not stopped fitting",
        "will not stop fitting",
        "fit|seizure will not stop",
        "fit|seizure has not stopped",
    ),
    "seizure_stopped": (
        "stopped fitting",
        "fit|seizure has|had stopped|ended|finished",
        "fit|seizure stopped|ended|lasted",
        "now stopped",
        "has|had|now come round",
        "recovered",
        "fully recovered",
        "back to normal",
        "back to " + _PRON + " normal [self]",
        "now alert",
        "now awake",
        "after the fit|seizure",
    ),
    "seizure_prolonged": (
        "fitting|fit|seizure|jerking|convulsing|convulsion for "
        + _APPROX
        + " #>=5 minutes|hours",
        "fit|fits|fitting|seizure|seizures lasted|lasting " + _APPROX + " #>=5 minutes|hours",
        "fitting|jerking|convulsing for ages",
        "fitting|jerking|convulsing for a while",
        "fitting|jerking|convulsing for a long time",
        "status epilepticus",
        "in status",
        "continuous fitting|seizure|seizures",
        "fitting continuously",
    ),
    "long_duration": (
        "for " + _APPROX + " #>=5 minutes",
        "over|more than #>=5 minutes",
        "#>=5 minutes plus",
        "for over #>=5 minutes",
    ),
    "seizure_repeated": (
        "second|2nd|third|3rd|another|repeated|multiple|several|recurrent|further "
        "fit|fits|seizure|seizures",
        "#>=2 fits|seizures",
        "fits|seizures back to back",
        "back to back fits|seizures",
        "cluster of fits|seizures",
        "fitted|fitting|seized again",
        "fitted|fitting twice",
        "had a fit|seizure again",
        "fit|seizure again",
        "another one",
    ),
    "seizure_first": (
        "first fit|seizure",
        "first ever fit|seizure",
        "first time fitting",
        "never had a fit|seizure|fits|seizures before",
        "never fitted before",
        "never had one before",
    ),
    "first_time": (
        "first time [ever]",
        "first ever",
        "never happened before",
        "never had one before",
    ),
    "no_seizure_history": (
        "no history of fits|seizures|epilepsy",
        "no previous history of fits|seizures|epilepsy",
        "not epileptic",
        "not a known epileptic",
        "not known to be epileptic",
        "not known epileptic",
    ),
    # ---- overdose ----------------------------------------------------------------------------
    "overdose_word": (
        "overdose|overdosed",
        "swallowed",
        "took|taken a load of|handful",
        "taken loads|lots of",
        "took loads|lots of",
        "handful of",
        "too many",
        "incident_type=overdose",
    ),
    "large_quantity": (
        "#>=10 tablets|pills|paracetamol|co-codamol|codeine|ibuprofen|aspirin|sertraline|"
        "citalopram|fluoxetine|mirtazapine|diazepam|zopiclone|pregabalin|gabapentin|tramadol|"
        "morphine|naproxen|propranolol|quetiapine|olanzapine|venlafaxine|amlodipine|metformin|"
        "lithium|iron|sleeping|diazepams|capsules|caps|x",
        "#>=10 of " + _PRON + " tablets|pills|meds|medication",
        "#>=10 mg of",
        "took|taken|swallowed [about|approximately|around|over] #>=10",
    ),
    "whole_pack": (
        "whole|entire|full packet|pack|box|bottle|strip|tub|blister|prescription|supply",
        "all " + _PRON + " tablets|pills|medication|meds",
        "all of " + _PRON + " tablets|pills|medication|meds",
        "#>=2 packets|packs|boxes|bottles|strips|tubs",
        "a packet|pack|box|bottle of",
        "packets|boxes|bottles of",
        "month's|months|weeks supply",
    ),
    "medication": (
        "tablets|pills|medication|meds|capsules|paracetamol|co-codamol|painkillers|"
        "antidepressants|sleeping",
    ),
    "dangerous_drug": (
        "amitriptyline|nortriptyline|dosulepin|dothiepin|imipramine|clomipramine|lofepramine",
        "tricyclic|tricyclics",
        "digoxin",
        "lithium",
        "verapamil|diltiazem",
        "fentanyl",
        "insulin",
    ),
    # ---- head injury ------------------------------------------------------------------------
    "head_injury": (
        "head injury|injuries|wound|trauma",
        "injury|injuries|cut|wound|laceration|lump|bump|bang|knock|gash|bleed to|on " + _PRON
        + " head",
        "hit|banged|bumped|struck|smashed|cracked|knocked|hitting|banging|bumping|striking "
        + _PRON
        + " head",
        "head injured",
        "headbutting|headbutted|headbutt",
        "blow|blows|kick|kicks|punch|punches|stamp|boot to " + _PRON + " head",
        "kicked|punched|hit|struck|kneed|booted in|on|over " + _PRON + " head",
        "stamped|jumped on " + _PRON + " head",
        "fell and hit|banged " + _PRON + " head",
        "bleeding from " + _PRON + " head",
        "injury|injuries|cut|wound|laceration|lump|bump|gash|bleed to|on the back|side|top|front "
        "of " + _PRON + " head",
        "skull fracture",
        "fractured skull",
    ),
    "blow": (
        "punched|punch|kicked|kick|headbutted|stamped|assaulted|attacked|beaten|battered",
        "hit|struck with|by [a|an|the] bottle|bat|brick|hammer|object|weapon|glass|stick|bar",
    ),
    "amnesia": (
        "cannot remember|recall",
        "could not remember|recall",
        "memory loss",
        "no memory of",
        "does not remember",
    ),
    "unequal_pupils": (
        "one pupil bigger|larger|smaller|different|dilated",
        "pupils unequal|different|uneven",
        "unequal|uneven pupils",
    ),
    "repeat_vomiting": (
        "vomited|sick twice|again|repeatedly",
        "vomited|sick #>=2 times",
        "keeps|keep vomiting|being",
        "repeated|repeatedly vomiting",
        "vomiting repeatedly",
        "been sick #>=2 times",
        "been sick twice",
        # control-room counts: "vomited x2", "been sick x 3", "vomited 2x"
        "vomited|vomiting|sick x2|x3|x4|x5|x6|x7|x8|x9|x10",
        "vomited|vomiting|sick x #>=2",
        "vomited|vomiting|sick #>=2 x",
    ),
    "anticoagulant": (
        "warfarin|apixaban|rivaroxaban|edoxaban|dabigatran|clopidogrel|ticagrelor|prasugrel|"
        "eliquis|xarelto|lixiana|pradaxa|heparin|dalteparin|enoxaparin|clexane|tinzaparin",
        "blood thinners|thinner|thinning",
        "anticoagulants|anticoagulant|anticoagulated|anticoagulation",
        "anti coagulants|coagulant",
        "on thinners",
    ),
    # ---- major trauma -----------------------------------------------------------------------
    "trapped": (
        "trapped",
        "entrapped",
    ),
    "major_mechanism": (
        "trapped in|under|by|inside " + _PRON + " car|vehicle|wreckage|rubble|machinery|van|lorry",
        "trapped in|under|by|inside",
        "pinned under|by|against",
        "entrapment",
        "occupant|occupants|driver|passenger|rider trapped",
        "car|vehicle|van crushed",
        "entrapped",
        "cut out of " + _PRON + " car|vehicle",
        "cutting him|her|them out",
        "high speed",
        "at speed",
        "#>=40 mph",
        "doing " + _APPROX + " #>=40",
        "at " + _APPROX + " #>=40 [mph]",
        "ejected|thrown from " + _PRON + " car|vehicle|bike|motorbike|motorcycle|horse|van",
        "ejected|thrown out of " + _PRON + " car|vehicle|van|windscreen",
        "car|vehicle|van|lorry rolled|flipped [over]",
        "rolled|flipped " + _PRON + " car|vehicle|van",
        "rolled several|multiple times",
        "overturned",
        "on|onto its|the roof",
        *_falls(
            "roof|balcony|bridge|scaffolding|scaffold|cliff|height|building|tower|block|multi"
            "|motorway|flyover|crane|loft|wall",
        ),
        *_falls(
            "first|second|third|fourth|1st|2nd|3rd|4th|upstairs|upper|top floor|storey|story "
            "[window|balcony|landing]"
        ),
        *_falls("upstairs|bedroom|first|1st|second|2nd|third|3rd window"),
        "fall|fell from height",
        "from a height",
        "fell|fallen|falling|fall|jumped|dropped " + _APPROX + " "
        "#>=2 metres|meters",
        "fell|fallen|falling|fall|jumped|dropped " + _APPROX + " "
        "#>=7 feet",
        "run over by",
        "been|was|got run over",
        "ran over him|her|them|his|her|their",
        "hit|struck by a|the train|tram|lorry|bus|hgv",
        "crush injury|injuries",
        "crushed by|under",
        "explosion|blast",
        "thrown #>=2 metres",
        "thrown over|onto|into the bonnet|windscreen|car",
        "over the bonnet",
        "into the windscreen",
        "windscreen smashed|broken|starred",
        "steering wheel bent|broken",
    ),
    "height_number": (
        "#>=2 metres|meters",
        "#>=7 feet",
    ),
    "fall_word": (
        "fell",
        "fallen",
        "fall",
        "falling",
        "jumped",
        "came|come off",
        "incident_type=fall",
    ),
    "pedestrian_hit": (
        "hit|struck by [a|the] car|vehicle|van|lorry|bus|truck|taxi",
        "knocked down|over by [a|the] car|vehicle|van|lorry|bus|truck|taxi",
        "pedestrian",
        "hit by a car",
    ),
    "speed": (
        "at speed",
        "high speed",
        "speeding",
        "#>=20 mph",
        "doing " + _APPROX + " #>=20",
        "thrown",
        "flew|flown",
    ),
    "motorcycle": (
        "motorbike|motorcycle|motorcyclist|motorcyclists",
        "motorbikes",
    ),
    "collision": (
        "crash|crashed|collision|collided|accident",
        "came|come off",
        "knocked off",
        "hit",
        "road traffic collision",
        "incident_type=road_traffic_collision",
    ),
    # ---- labour ---------------------------------------------------------------------------
    "labour": (
        "labour",
        "contractions",
        "waters broke|broken",
        "waters have|has broken",
        "giving birth",
        "baby is|was coming",
        "baby coming",
        "in labour",
        "birth",
        "gave|given birth",
        "delivering",
        "crowning",
        "pushing",
    ),
    "labour_complication": (
        "cord [is|was] visible|showing|out|hanging|coming|prolapsed|prolapse",
        "see|feel the cord",
        "cord",
        "cord prolapse",
        "breech",
        "bottom|feet|foot|leg|legs|arm|bum first",
        "baby|babys|baby's [is|was] not breathing|crying|moving",
        "baby|babys|baby's [is|was] blue|floppy|limp|grey",
        "head [is] out but",
        "body|shoulders will not come [out]",
        "bleeding a lot",
        "premature|prem|preterm",
        "early labour",
        "#<37 weeks pregnant|gestation|gone|along",
        "pregnant #<37 weeks",
        "#20-36 weeks",
        "twins|triplets",
        "shoulder|shoulders|head stuck",
        "baby stuck",
        "bleeding heavily",
        "lot of blood",
        "vaginal bleeding|bleed",
        "bleeding from down below",
        "pv bleed|bleeding",
        "heavy bleeding",
        "fitting",
    ),
    "pregnant_bleeding": (
        "vaginal bleeding|bleed",
        "pv bleed|bleeding",
        "bleeding from down below",
    ),
    "pregnancy": (
        "pregnant",
        "pregnancy",
        "#<=42 weeks pregnant|gestation",
    ),
    "pregnancy_emergency": (
        "bleeding heavily|badly",
        "bleeding a lot",
        "heavy|severe bleeding",
        "lot of blood",
        "severe|bad tummy|abdominal|stomach|belly pain",
        "fitting",
        "fit",
        "seizure",
    ),
    # ---- sepsis / meningitis --------------------------------------------------------------
    "sepsis_sign": (
        "non blanching [rash]",
        "nonblanching",
        "rash does|did|will not fade|blanch|disappear|go",
        "rash not fading|blanching",
        "not fade when|under|with",
        "not blanch",
        "purple|purpuric|petechial [blotchy|spotty|dark|red] rash|spots|blotches",
        "blotchy purple rash",
        "rash purple",
        "purpura",
        "purple|dark spots|blotches",
        "meningitis",
        "meningococcal",
        "septicaemia|septicemia",
        "sepsis|septic",
        "mottled|mottling",
    ),
    "no_urine": (
        "not passed urine|water",
        "not weed",
        "not been to the toilet",
    ),
    "rash": (
        "rash",
        "spots",
    ),
    "photophobia": (
        "dislikes|hates the|bright light|lights",
        "not like the|bright|cell light|lights",
        "photophobia",
        "light hurts " + _PRON + " eyes",
    ),
    "stiff_neck": (
        "neck stiffness",
        "stiff neck",
        "neck is|feels stiff",
        "cannot bend " + _PRON + " neck",
        "cannot touch " + _PRON + " chin to " + _PRON + " chest",
    ),
    "fever": (
        "fever|feverish|febrile",
        "high temperature|temp",
        "temperature|temp high|raised|up",
        "temperature|temp very high",
        "very hot",
        "red hot",
        "temperature of #>=38",
        "temperature",
        "temp #>=38",
        "burning up",
        "hot to [the] touch",
        "rigors",
        "shivering and hot",
    ),
    # ---- headache ----------------------------------------------------------------------------
    "thunderclap": (
        "worst headache of|in " + _PRON + " life",
        "worst headache ever",
        "worst ever headache",
        "worst headache " + "[he|she|they] [has|have|had] ever had",
        "worst headache imaginable",
        "thunderclap",
        "sudden severe headache",
        "sudden onset headache",
        "sudden and severe headache",
        "sudden onset severe headache",
        "explosive headache",
        "like being hit on|in|at the back of the head",
        "like being hit over the head",
    ),
    "headache": ("headache", "head pain"),
    # ---- strangulation -----------------------------------------------------------------------
    "strangled": (
        "strangled",
        "strangling",
        "strangulation",
        "strangle",
        "choked him|her|them|me|by|until",
        "grabbed by " + _PRON + " throat|neck",
        "hands around|round " + _PRON + " neck|throat",
        "hand around|round " + _PRON + " neck|throat",
        "grabbed " + _PRON + " neck|throat",
        "throttled",
        "neck squeezed",
        "squeezed " + _PRON + " neck|throat",
        "ligature",
        "choke hold",
        "chokehold",
        "headlock",
    ),
    "hanging": (
        "found hanging",
        "attempted hanging",
        "hanged himself|herself|themselves",
        "tried to hang himself|herself|themselves",
        "hanging from",
        "cut him|her|them down",
        "cut down",
        "ligature around|round " + _PRON + " neck",
    ),
    "voice_change": (
        "hoarse",
        "hoarseness",
        "croaky",
        "raspy",
        "voice has changed",
        "voice changed|change|different",
        "voice sounds different",
        "lost " + _PRON + " voice",
        "cannot speak",
        "cannot swallow",
        "difficulty|trouble|pain swallowing",
        "hurts to swallow",
        "painful to swallow",
        "struggling to swallow",
        "petechiae",
        "red spots in|on " + _PRON + " eyes|face",
        "bloodshot eyes",
        "wet|soiled himself|herself|themselves",
        "stridor",
    ),
    # ---- hypoglycaemia ---------------------------------------------------------------------
    "hypo": (
        "hypoglycaemia",
        "low blood glucose",
        "blood glucose #<=3.9",
        # the normaliser reads "dropping" as "drooping" (a facial droop), so the rules do too
        "blood glucose [very] low|drooping",
        "diabetic",
        "insulin",
        "glucose #<=3.9",
        "sugar [is|was|very] low|drooping",
        "low sugar",
    ),
    "hypo_neuro": (
        "aggressive",
        "slurring",
        "slurred",
        "not with it",
    ),
    # ---- burns -------------------------------------------------------------------------------
    "airway_burn_sign": (
        "soot around|round|in|on " + _PRON + " mouth|nose|face|lips|nostrils",
        "soot in|around|round " + _PRON + " airway",
        "sooty sputum|spit|phlegm|saliva|mouth|nose|face",
        "coughing up black|soot",
        "black spit|phlegm|sputum",
        "singed nasal|nose|eyebrows|eyelashes|hair|hairs",
        "singed " + _PRON + " nasal|nose|eyebrows|eyelashes|hair|hairs",
        "nasal hair|hairs singed|burnt|burned",
        "burnt|burned nasal hair|hairs",
        "burnt|burned eyebrows|lips|mouth|face|nostrils",
        "burns to " + _PRON + " face|mouth|lips|neck|airway",
        "burns round|around|on " + _PRON + " mouth|nose|face|lips|nostrils",
        "facial burns",
        "burnt|burned face",
        "face is burnt|burned",
    ),
    "fire_context": (
        "fire",
        "smoke",
        "house fire",
        "flames",
        "burning building|house|car|flat",
        "smoke inhalation",
        "inhaled smoke",
        "explosion",
        "blaze",
    ),
    # ---- hypothermia -------------------------------------------------------------------------
    "cold_exposure": (
        "hypothermia|hypothermic",
        "cold to [the] touch",
        "very|freezing|ice|icy|extremely|really cold",
        "frost",
        "frosty",
        "snow",
        "in the cold",
        "outside all night",
        "outside overnight",
        "garden|park|street|field|outside|doorway overnight",
        "out all night",
        "lying outside",
        "found outside",
        "in the river|canal|sea|water|lake|reservoir",
        "pulled from the river|canal|sea|water|lake",
        "pulled out of the river|canal|sea|water|lake",
        "soaking wet and cold",
        "wet and cold",
        "freezing",
    ),
    # ---- death ---------------------------------------------------------------------------
    "death_reported": (
        "found dead",
        "dead body",
        "a body",
        "body found|discovered",
        "deceased",
        "lifeless",
        "appears|looks|believed|presumed|thought|seems [to] [be] dead|deceased",
        "is dead",
        "sudden death",
        "has died",
        "no obvious signs of death",
        "no signs of death",
        "no signs of life",
        "unsure|uncertain if|whether [he|she|they|patient] [is|are] alive|dead",
        "not sure if|whether [he|she|they|patient] [is|are] alive|dead",
        "incident_type=sudden_death",
    ),
    "found": (
        "found",
        "discovered",
        "welfare check",
        "collapsed",
        "slumped",
    ),
    DEATH: (
        "decomposed|decomposing|decomposition",
        "skeletal [remains]",
        "skeletonised|skeletonized",
        "rigor [mortis]",
        "hypostasis",
        "lividity",
        "decapitated|decapitation",
        "head severed|removed",
        "severed head",
        "incinerated",
        "burnt|burned beyond recognition",
        "charred remains|body",
        "brain matter|tissue visible|exposed|out",
        "brain matter",
        "brains visible|exposed|out",
        "injuries incompatible with life",
        "injury incompatible with life",
        "massive cranial and cerebral destruction",
        "hemicorporectomy",
        "body cut|severed in half",
        "transected",
        "dead for days|weeks|months",
        "been dead [for] [a|some] days|weeks|months|while|time",
        "been there [for] days|weeks|months|years",
        "maggots",
        "mummified",
        "cold and stiff",
        "stiff and cold",
    ),
}

#: Phrases that look like a concept but are something else. A concept match overlapping a
#: mask match is dropped (the mask wins at that place only).
MASKS: tuple[str, ...] = (
    "stabbing pain|pains|sensation|sensations|feeling|headache",
    "shot of|glass",
    "flu|covid|booster|vaccine shot",
    "fit and well",
    "fit for custody|detention|interview|release|purpose",
    "fit to be detained|interviewed|released",
    "fit to detain|interview|release|travel|drive|walk",
    "dead arm|leg",
    "dead battery",
    "previous stroke|strokes",
    "history of [a] stroke|strokes",
    "had a stroke before|previously|years|last|in",
    "stroke in #",
    "trapped wind|nerve",
    "trapped in a relationship",
    "feels trapped",
    "blood pressure",
    "pressure sore|sores",
    "peer pressure",
    "under pressure",
    "heavy drinker|drinking|bag|rain|night",
    "fire service|brigade|crew|crews|officers",
    "bit|slightly|mildly|little short of breath",
    "bit|slightly|mildly|little breathless",
    "short of breath on exertion|walking|stairs|climbing",
    "no breathing problems|problem|difficulties|difficulty|issues|concerns|trouble",
    "fire alarm",
    "pushing him|her|them|the|me",
    "pushing and shoving",
    "hit by a|the door|ball",
    "cold case",
    "a cold",
    "common cold",
    "head cold",
    "birth date",
    "date of birth",
    "birthday",
    "temperature is normal|fine|ok",
    "normal temperature",
    "no temperature",
    "fire extinguisher",
    "shot glass",
    "reaction to the news|police|arrest|officers",
    "cut down on",
    "smoke a|cannabis|weed|spice",
    "smoke detector|alarm",
    "heat stroke",
    "heatstroke",
    "phone|battery is dead|dying",
)


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clause:
    """One way for a rule to fire: every group has a present concept; no ``none_of`` is present.

    ``all_of`` holds groups (tuples of concept names, any one of which satisfies the group).
    Written in the tables as ``"a|b & c & !d"``.
    """

    all_of: tuple[tuple[str, ...], ...]
    none_of: tuple[str, ...] = ()

    @classmethod
    def parse(cls, spec: str) -> Clause:
        groups: list[tuple[str, ...]] = []
        nots: list[str] = []
        for part in spec.split("&"):
            part = part.strip()
            if not part:
                raise ValueError(f"Empty group in clause {spec!r}.")
            if part.startswith("!"):
                nots.extend(p.strip() for p in part[1:].split("|"))
            else:
                groups.append(tuple(p.strip() for p in part.split("|")))
        if not groups:
            raise ValueError(f"Clause {spec!r} needs at least one positive group.")
        return cls(tuple(groups), tuple(nots))

    def concepts(self) -> Iterator[str]:
        for g in self.all_of:
            yield from g
        yield from self.none_of


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One red flag.

    ``name`` is the stable identifier every other part uses; ``reason`` the sentence a call
    handler reads; ``when`` the clauses (``"a|b & c & !d"``), any of which fires the rule;
    ``facts`` structured facts (``field=value``) that fire it alone; ``unless`` concepts whose
    presence cancels it (by default the unequivocal signs of death).
    """

    name: str
    reason: str
    when: tuple[str, ...]
    facts: tuple[str, ...] = ()
    unless: tuple[str, ...] = field(default=(DEATH,))

    def clauses(self) -> tuple[Clause, ...]:
        return tuple(Clause.parse(c) for c in self.when) + tuple(
            Clause(((f,),)) for f in self.facts
        )


RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "not_breathing",
        "The patient is reported not breathing or breathing abnormally (gasping, agonal, "
        "struggling, blue lips, cannot complete sentences).",
        when=("not_breathing", "abnormal_breathing"),
        facts=("breathing=not_breathing", "breathing=difficulty"),
    ),
    RuleSpec(
        "unconscious",
        "The patient is reported unconscious, unresponsive or hard to rouse.",
        when=("unconscious",),
        facts=("conscious=no",),
    ),
    RuleSpec(
        "cardiac_chest_pain",
        "Chest pain with cardiac features (radiating, sweaty or clammy, crushing or tight, "
        "breathless) or a cardiac history.",
        when=("chest_pain & cardiac_feature|cardiac_history", "heart_attack_now"),
    ),
    RuleSpec(
        "severe_bleeding",
        "Severe or uncontrolled bleeding is reported.",
        when=("severe_bleeding",),
    ),
    RuleSpec(
        "penetrating_injury",
        "A penetrating injury (stab, gunshot, impalement) is reported.",
        when=("penetrating", "stabbing"),
    ),
    RuleSpec(
        "stroke",
        "Stroke signs are reported (face drooping, arm weakness, speech problems, FAST "
        "positive).",
        when=("stroke_sign", "slurred_speech & !intoxicated"),
    ),
    RuleSpec(
        "anaphylaxis",
        "Signs of anaphylaxis: airway swelling, or an allergic reaction or adrenaline "
        "auto-injector with breathing or swelling problems.",
        when=(
            "anaphylaxis_word",
            "airway_swelling",
            "epipen & abnormal_breathing|not_breathing|face_swelling|allergy|breathing=difficulty",
            "allergy & abnormal_breathing|face_swelling|breathing=difficulty",
        ),
    ),
    RuleSpec(
        "seizure",
        "A seizure that is ongoing, prolonged (over 5 minutes), repeated or a first ever fit.",
        when=(
            "seizure_ongoing & !seizure_stopped",
            "seizure_prolonged",
            "long_duration & seizure_any",
            "seizure_repeated & seizure_any",
            "seizure_first",
            "no_seizure_history & seizure_any",
            "first_time & seizure_any",
        ),
    ),
    RuleSpec(
        "significant_overdose",
        "A significant overdose: a large quantity, a dangerous drug, or an overdose with "
        "drowsiness or confusion.",
        when=(
            "large_quantity",
            "whole_pack & overdose_word|medication|dangerous_drug",
            "dangerous_drug & overdose_word",
            "overdose_word & drowsy|confused|unconscious|loc|seizure_any",
        ),
    ),
    RuleSpec(
        "head_injury",
        "Head injury with loss of consciousness, drowsiness, vomiting or unequal pupils, or "
        "in a patient on anticoagulants.",
        when=(
            "head_injury & loc|unconscious|drowsy|confused|unequal_pupils|repeat_vomiting|amnesia"
            "|anticoagulant|seizure_any|conscious=no",
            "blow & loc",
        ),
    ),
    RuleSpec(
        "major_trauma",
        "A major trauma mechanism (trapped, high speed, ejected, fall from height, pedestrian "
        "hit at speed, motorbike collision).",
        when=(
            "major_mechanism",
            "height_number & fall_word",
            "pedestrian_hit & speed",
            "motorcycle & collision",
            "trapped & collision|incident_type=road_traffic_collision",
        ),
    ),
    RuleSpec(
        "labour_complications",
        "Labour with complications (bleeding, cord, breech, premature, baby not breathing).",
        when=(
            "labour & labour_complication",
            "pregnant_bleeding",
            "pregnancy & pregnancy_emergency",
        ),
    ),
    RuleSpec(
        "sepsis_meningitis",
        "Signs of sepsis or meningitis (non-blanching rash, stiff neck with fever, mottled "
        "skin).",
        when=(
            "sepsis_sign",
            "stiff_neck & fever|rash|photophobia",
            "fever & confused|drowsy|unconscious|no_urine",
        ),
    ),
    RuleSpec(
        "thunderclap_headache",
        "A sudden 'worst ever' (thunderclap) headache.",
        when=("thunderclap",),
    ),
    RuleSpec(
        "strangulation",
        "Strangulation with loss of consciousness or voice change, or a hanging.",
        when=(
            "strangled & loc|unconscious|voice_change|drowsy|confused|abnormal_breathing",
            "hanging",
        ),
    ),
    RuleSpec(
        "hypoglycaemia",
        "Low blood sugar with confusion, drowsiness or unusual behaviour.",
        when=("hypo & confused|drowsy|unconscious|hypo_neuro",),
    ),
    RuleSpec(
        "airway_burns",
        "Possible airway burns (soot around the mouth or nose, singed nasal hair, hoarse or "
        "stridor after fire or smoke).",
        when=(
            "airway_burn_sign",
            "fire_context & voice_change|abnormal_breathing|breathing=difficulty",
        ),
    ),
    RuleSpec(
        "hypothermia",
        "Probable hypothermia with confusion or reduced consciousness.",
        when=("cold_exposure & confused|drowsy|unconscious|slurred_speech",),
    ),
    RuleSpec(
        "death_not_certain",
        "A death is reported without unequivocal signs (decomposition, rigor mortis, "
        "injuries incompatible with life): resuscitation may still be possible.",
        when=("death_reported", "not_breathing & found"),
    ),
)


def rule_names() -> tuple[str, ...]:
    """Every red flag's stable name, in table order."""
    return tuple(r.name for r in RULES)


def compile_rules() -> None:
    """Validate the tables and build the matcher now rather than on the first request.

    For a predictor's ``__init__`` or a service's lifespan: the first ``detect_red_flags`` call
    otherwise pays the build (tens of milliseconds). Raises ValueError naming a bad phrase,
    concept, fact or rule.
    """
    _compiled()


# --------------------------------------------------------------------------------------------
# Compiled form (built once, on first use)
# --------------------------------------------------------------------------------------------


def _fact_concepts() -> frozenset[str]:
    out: set[str] = set()
    for name, enum in enum_fields(TriageRequest).items():
        out.update(f"{name}={m.value}" for m in enum)
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class _Compiled:
    matcher: _Matcher  # concepts and masks (concept name _MASK): one pass per request
    rules: tuple[tuple[RuleSpec, tuple[Clause, ...]], ...]
    #: concept -> indices into ``rules`` whose clauses can only hold when it is present
    #: (the concepts of every clause's first group): rules nothing points to are skipped.
    rule_index: dict[str, tuple[int, ...]]
    fact_fields: tuple[str, ...]
    text_facts: dict[str, tuple[str, ...]]  # fact concept -> text concepts it belongs to


@cache
def _compiled() -> _Compiled:
    """Validate the tables and build the phrase tries (raises ValueError naming what is wrong)."""
    facts = _fact_concepts()
    matcher = _Matcher()
    text_facts: dict[str, list[str]] = {}
    for concept, phrases in CONCEPTS.items():
        if not phrases:
            raise ValueError(f"Concept {concept!r} has no phrases.")
        for phrase in phrases:
            if "=" in phrase and "#" not in phrase:
                if phrase not in facts:
                    raise ValueError(
                        f"Concept {concept!r} names the fact {phrase!r}, which is not a "
                        "field=value of the request schema."
                    )
                text_facts.setdefault(phrase, []).append(concept)
                continue
            try:
                matcher.add(phrase, concept)
            except ValueError as e:
                raise ValueError(f"Concept {concept!r}: {e}") from e
    for phrase in MASKS:
        try:
            matcher.add(phrase, _MASK)
        except ValueError as e:
            raise ValueError(f"MASKS: {e}") from e
    known = set(CONCEPTS) | facts
    names: set[str] = set()
    compiled_rules: list[tuple[RuleSpec, tuple[Clause, ...]]] = []
    for rule in RULES:
        if rule.name in names:
            raise ValueError(f"Duplicate red-flag name {rule.name!r}.")
        names.add(rule.name)
        if not rule.reason.strip():
            raise ValueError(f"Red flag {rule.name!r} has no reason.")
        clauses = rule.clauses()
        for c in clauses:
            for concept in c.concepts():
                if concept not in known:
                    raise ValueError(
                        f"Red flag {rule.name!r} uses {concept!r}, which is neither a concept "
                        "nor a field=value fact."
                    )
        for concept in rule.unless:
            if concept not in known:
                raise ValueError(f"Red flag {rule.name!r} is cancelled by unknown {concept!r}.")
        compiled_rules.append((rule, clauses))
    index: dict[str, set[int]] = {}
    for i, (_, clauses) in enumerate(compiled_rules):
        for c in clauses:
            for concept in c.all_of[0]:
                index.setdefault(concept, set()).add(i)
    fact_fields = tuple(enum_fields(TriageRequest))
    return _Compiled(
        matcher,
        tuple(compiled_rules),
        {k: tuple(sorted(v)) for k, v in index.items()},
        fact_fields,
        {k: tuple(v) for k, v in text_facts.items()},
    )


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


_DIGITS = frozenset("0123456789")


def _present_concepts(request: TriageRequest, comp: _Compiled) -> dict[str, str]:
    """concept -> evidence, for every concept present and not negated (facts included)."""
    a = analyse(normalise(request.narrative))
    words, breaks, negated = a.words, a.breaks, a.negated
    found: dict[str, str] = {}
    matches = comp.matcher.matches(words, breaks)
    if matches:
        masked = [(s, e) for c, s, e in matches if c == _MASK]
        text = a.text
        starts, ends = a.starts, a.ends
        trigger = a.trigger
        any_negated = True in negated
        for concept, s, e in matches:
            if concept in found or concept == _MASK:
                continue
            if any_negated and (
                negated[s]
                or (e - s > 1 and any(negated[j] and not s <= trigger[j] < e for j in range(s, e)))
            ):
                continue  # negated from outside the phrase ("no signs of decomposition")
            if masked and any(ms < e and s < me for ms, me in masked):
                continue
            found[concept] = text[starts[s] : ends[e - 1]]
    for name in comp.fact_fields:
        value = getattr(request, name)
        if value is None:
            continue
        v = value.value if isinstance(value, StrEnum) else str(value)
        key = f"{name}={v}"
        found.setdefault(key, key)
        for concept in comp.text_facts.get(key, ()):
            found.setdefault(concept, key)
    return found


def detect_red_flags(request: TriageRequest) -> tuple[RedFlag, ...]:
    """Every red flag in ``request`` (narrative and structured facts), in table order.

    A rule fires when one of its clauses holds on the concepts present (a concept is present
    when one of its phrases matches the normalised narrative outside a negation scope and
    outside a mask, or when a structured fact names it) and none of its ``unless`` concepts is
    present. ``evidence`` lists what fired it, e.g. ``"chest pain + radiating to his left
    arm"`` or ``"breathing=not_breathing"``.
    """
    if not isinstance(request, TriageRequest):
        raise TypeError(
            f"detect_red_flags() needs a TriageRequest. Got {type(request).__name__}."
        )
    comp = _compiled()
    found = _present_concepts(request, comp)
    index = comp.rule_index
    candidates: set[int] = set()
    for concept in found:
        hit = index.get(concept)
        if hit is not None:
            candidates.update(hit)
    flags: list[RedFlag] = []
    for i in sorted(candidates):
        rule, clauses = comp.rules[i]
        if any(u in found for u in rule.unless):
            continue
        for clause in clauses:
            evidence = _satisfy(clause, found)
            if evidence is not None:
                flags.append(RedFlag(rule.name, rule.reason, evidence))
                break
    return tuple(flags)


def _satisfy(clause: Clause, found: dict[str, str]) -> str | None:
    parts: list[str] = []
    for group in clause.all_of:
        for concept in group:
            ev = found.get(concept)
            if ev is not None:
                if ev not in parts:
                    parts.append(ev)
                break
        else:
            return None
    for concept in clause.none_of:
        if concept in found:
            return None
    return " + ".join(parts)
