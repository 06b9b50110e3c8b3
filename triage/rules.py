"""Red-flag rules: time-critical findings that force ``deploy`` whatever the model says.

The rules are DATA: three tables in ``triage/data/red_flags/`` (``concepts.toml``,
``guards.toml``, ``flags.toml``, read and validated by :mod:`triage.rule_tables`, every entry
with its why and source), and this module's one generic evaluation loop. In Python they are
``tables().concepts``, ``.masks`` and ``.rules`` (also ``CONCEPTS``, ``MASKS``, ``RULES``,
read on first use):

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
never across clause punctuation, and skipping the tables' filler words ("really", "proper");
the tables are validated and built on first use (:func:`_compiled`), never at import.

Unequivocal signs of death (decomposition, rigor mortis, hypostasis, decapitation, injuries
incompatible with life such as visible brain matter, skeletal remains) cancel every rule: the
patient is dead, nothing is time-critical, and the clinical desk verifies the death
(:func:`read_request` reports it as ``verify_death``)
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

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from itertools import product
from typing import Any

from triage.charfold import confusable_table
from triage.rule_tables import (
    DEATH,
    TABLE_FILES,
    Clause,
    Note,
    RedFlagTables,
    RuleSpec,
    TableError,
    load_tables,
    tables,
)
from triage.schema import TriageRequest, enum_fields
from triage.spelling import speller
from triage.suggestion import RedFlag
from triage.text import analyse, normalise

__all__ = [
    "DEATH",
    "TABLE_FILES",
    "Clause",
    "Note",
    "RedFlagTables",
    "RuleReading",
    "RuleSpec",
    "TableError",
    "compile_phrase",
    "compile_rules",
    "compile_tables",
    "detect_red_flags",
    "load_tables",
    "parse_phrase",
    "read_request",
    "rule_names",
    "tables",
]

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


def without_clitic(word: str) -> str:
    """A word with its "'s" clitic removed: "baby's", "neck's", "he's" read as "baby", "neck",
    "he". People write "his neck's stiff", "the lass's face has gone lopsided", "the pain's
    back": possessive or "is"/"has", the clitic never carries the clinical meaning, and every
    phrase already makes "is" and "has" optional where they may stand. Applied to the narrative's
    words and the phrases' words alike, so a phrase may still be written with it."""
    if len(word) > 2 and word.endswith("'s"):
        return word[:-2]
    return word


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
                words.add(without_clitic(a))
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
    return _expand(parse_phrase(phrase))


def _expand(positions: tuple[_Pos, ...]) -> list[tuple[str | _Num, ...]]:
    alternatives: list[list[str | _Num]] = []
    for pos in positions:
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


def _without_fillers(
    positions: tuple[_Pos, ...], fillers: frozenset[str], phrase: str
) -> tuple[_Pos, ...]:
    """``positions`` as the matcher sees them: filler words are skipped in the text, so they
    are dropped from phrases too ("very sleepy" is matched as "sleepy")."""
    out: list[_Pos] = []
    for pos in positions:
        words = pos.words - fillers
        if words == pos.words:
            out.append(pos)
        elif words or pos.nums or pos.any:
            # the text may have held the (skipped) filler here: the position becomes optional
            out.append(_Pos(words, pos.nums, pos.any, True))
    if not out or all(p.optional for p in out):
        raise ValueError(f"Phrase {phrase!r} is nothing but filler words.")
    for p in out:
        if p.any:
            raise ValueError(f"Phrase {phrase!r} would start with '*' once fillers are skipped.")
        if not p.optional:
            break
    return tuple(out)


#: Narratives of at least this many words remember each walk of the trie by its context, so a
#: repeated context is walked once (crafted input); shorter ones just walk.
MEMO_MIN_WORDS = 150

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

    __slots__ = ("by_number", "by_word", "depth", "root")

    def __init__(self) -> None:
        self.root = _Node()
        self.by_word: dict[str, list[tuple[str, tuple[_Pos, ...], int]]] = {}
        self.by_number: list[tuple[_Num, str, tuple[_Pos, ...], int]] = []
        #: Words in the longest expanded phrase of the trie.
        self.depth = 1

    def add(self, phrase: str, concept: str, fillers: frozenset[str] = frozenset()) -> None:
        positions = parse_phrase(phrase)
        if fillers:
            positions = _without_fillers(positions, fillers, phrase)
        size = 1
        for pos in positions:
            size *= len(pos.words) + len(pos.nums) + pos.any + pos.optional
        if size <= _EXPAND_LIMIT:
            for seq in _expand(positions):
                self.root.add(seq, concept)
                self.depth = max(self.depth, len(seq))
            return
        for p, pos in enumerate(positions):
            for w in pos.words:
                self.by_word.setdefault(w, []).append((concept, positions, p))
            for num in pos.nums:
                self.by_number.append((num, concept, positions, p))
            if not pos.optional:
                break

    def _walk(
        self,
        first: _Node,
        i: int,
        words: list[str],
        breaks: list[bool],
        value_at: dict[int, float],
        edges: dict[tuple[int, float], list[_Node]],
    ) -> list[tuple[str, int]]:
        """Every (concept, length) of the trie below ``first``, the node of word ``i``."""
        n = len(words)
        found: list[tuple[str, int]] = []
        stack = [(first, i + 1)]
        while stack:
            node, j = stack.pop()
            for c in node.concepts:
                found.append((c, j - i))
            if j >= n or breaks[j - 1]:
                continue
            w = words[j]
            child = node.children.get(w)
            if child is not None:
                stack.append((child, j + 1))
            if node.nums:
                v = value_at.get(j)
                if v is not None:
                    key = (id(node), v)
                    hit = edges.get(key)
                    if hit is None:
                        hit = edges[key] = [nd for num, nd in node.nums if num.lo <= v <= num.hi]
                    stack.extend((nd, j + 1) for nd in hit)
            if node.any is not None:
                stack.append((node.any, j + 1))
        return found

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
        # a number's value, and the number edges it takes, are worked out once per distinct
        # value: a narrative of a thousand numbers costs a thousand dict look-ups, not a
        # thousand scans of every number edge
        value_at = dict(numbers)
        value_at_words = {words[i] for i in value_at}
        edges: dict[tuple[int, float], list[_Node]] = {}
        if root.nums:
            for i, v in numbers:
                key = (id(root), v)
                hit = edges.get(key)
                if hit is None:
                    hit = edges[key] = [nd for num, nd in root.nums if num.lo <= v <= num.hi]
                # only edges that can match here: a concept ends at the number, or the next
                # word (in the same clause) continues the edge
                nxt = words[i + 1] if i + 1 < n and not breaks[i] else None
                starts.extend(
                    (i, nd)
                    for nd in hit
                    if nd.concepts
                    or (
                        nxt is not None
                        and (
                            nxt in nd.children
                            or nd.any is not None
                            or (nd.nums and nxt in value_at_words)
                        )
                    )
                )
        # A walk from a start depends only on the start node and the next `depth` words and
        # breaks, so a repeated context (a crafted narrative of a thousand "gcs 8") is walked
        # once: the cost stays linear in the narrative's length whatever it repeats.
        if n < MEMO_MIN_WORDS:  # an ordinary narrative: walking costs less than remembering
            for i, first in starts:
                out.extend(
                    (c, i, i + k) for c, k in self._walk(first, i, words, breaks, value_at, edges)
                )
        else:
            depth = self.depth
            walked: dict[tuple[int, tuple[str, ...], tuple[bool, ...]], list[tuple[str, int]]]
            walked = {}
            for i, first in starts:
                context = (
                    id(first), tuple(words[i + 1 : i + depth]), tuple(breaks[i : i + depth])
                )
                found = walked.get(context)
                if found is None:
                    found = walked[context] = self._walk(
                        first, i, words, breaks, value_at, edges
                    )
                out.extend((c, i, i + k) for c, k in found)
        # the long phrases
        by_word = self.by_word
        long_starts = [(i, by_word[w]) for i, w in enumerate(words) if w in by_word]
        if self.by_number:
            long_edges: dict[float, list[tuple[str, tuple[_Pos, ...], int]]] = {}
            for i, v in numbers:
                lhit = long_edges.get(v)
                if lhit is None:
                    lhit = long_edges[v] = [
                        (c, ps, p) for num, c, ps, p in self.by_number if num.lo <= v <= num.hi
                    ]
                if lhit:
                    long_starts.append((i, lhit))
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



def __getattr__(name: str) -> Any:
    """``CONCEPTS``, ``MASKS`` and ``RULES`` read the data files on first use, not at import."""
    if name == "CONCEPTS":
        return tables().concepts
    if name == "MASKS":
        return tables().masks
    if name == "RULES":
        return tables().rules
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

def rule_names() -> tuple[str, ...]:
    """Every red flag's stable name, in table order."""
    return tuple(r.name for r in tables().rules)


def compile_rules() -> None:
    """Validate the tables and build the matcher now rather than on the first request.

    For a predictor's ``__init__`` or a service's lifespan: the first ``detect_red_flags`` call
    otherwise pays the build, and the tables' readers with it: the text normaliser's spelling
    index and look-alike table (measured: 0.4 s on the first request without this). Raises
    ValueError naming a bad phrase, concept, fact or rule.
    """
    _compiled()
    confusable_table()
    speller()


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
    fillers: frozenset[str] = frozenset()  # words the matcher skips (tables' [fillers])


@cache
def _compiled() -> _Compiled:
    """The package's tables, validated and compiled once."""
    return compile_tables(tables())


def compile_tables(t: RedFlagTables) -> _Compiled:
    """Validate ``t`` and build the phrase tries (raises ValueError naming what is wrong)."""
    CONCEPTS, MASKS, RULES = t.concepts, t.masks, t.rules
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
                matcher.add(phrase, concept, t.fillers)
            except ValueError as e:
                raise ValueError(f"Concept {concept!r}: {e}") from e
    for phrase in MASKS:
        try:
            matcher.add(phrase, _MASK, t.fillers)
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
        t.fillers,
    )


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


_DIGITS = frozenset("0123456789")


def _present_concepts(request: TriageRequest, comp: _Compiled) -> dict[str, str]:
    """concept -> evidence, for every concept present and not negated (facts included)."""
    a = analyse(normalise(request.narrative))
    words, breaks, negated = a.words, a.breaks, a.negated
    if "'s" in a.text:
        words = [without_clitic(w) for w in words]
    found: dict[str, str] = {}
    fillers = comp.fillers
    kept: list[int] | None = None
    if fillers and not fillers.isdisjoint(words):
        # match on the words without fillers; a break after a skipped word belongs to the
        # kept word before it, so a phrase still never runs across clause punctuation
        kept = [i for i, w in enumerate(words) if w not in fillers]
        words = [words[i] for i in kept]
        kb = [False] * len(kept)
        for j, i in enumerate(kept):
            stop = kept[j + 1] if j + 1 < len(kept) else len(breaks)
            kb[j] = any(breaks[i:stop])
        breaks = kb
    matches = comp.matcher.matches(words, breaks)
    if kept is not None:
        matches = [(c, kept[s], kept[e - 1] + 1) for c, s, e in matches]
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
    sign = found.get(DEATH_SIGN_IF_REPORTED)
    if sign is not None and DEATH not in found:
        stated = found.get(DEATH_STATED)
        if stated is not None:
            found[DEATH] = f"{sign} + {stated}"
    return found


@dataclass(frozen=True, slots=True)
class RuleReading:
    """What the rules read in one request: its red flags, and whether the death it reports is
    one the clinical desk verifies (``verify_death``: the evidence, else None).

    ``verify_death`` is set when unequivocal signs of death are reported (decomposition, rigor,
    hypostasis, injuries incompatible with life: they cancel every red flag), or an expected
    death (DNACPR, end-of-life care) is reported as a death. The predictor then suggests
    ``clinical_advice``: the desk verifies the death and advises the officers; nobody is
    resuscitated (docs/CLINICAL_SAFETY.md, H2 control 6).
    """

    red_flags: tuple[RedFlag, ...]
    verify_death: str | None


#: A sign that means death only when the request also states a death (a bloated tummy, blood
#: pooling on the floor, cold and stiff with hypothermia are findings in the living): alone it
#: never cancels a rule (docs/CLINICAL_SAFETY.md, H2).
DEATH_SIGN_IF_REPORTED = "death_sign_if_reported"
DEATH_STATED = "death_stated"
#: Concepts that make a reported death one to verify rather than to attend.
EXPECTED_DEATH = "expected_death"
DEATH_REPORTED = "death_reported"


def read_request(request: TriageRequest) -> RuleReading:
    """The red flags (:func:`detect_red_flags`) and the death-verification reading, in one pass."""
    if not isinstance(request, TriageRequest):
        raise TypeError(f"read_request() needs a TriageRequest. Got {type(request).__name__}.")
    comp = _compiled()
    found = _present_concepts(request, comp)
    flags = _flags(found, comp)
    verify = found.get(DEATH)
    if verify is None and not flags and EXPECTED_DEATH in found:
        reported = found.get(DEATH_REPORTED) or found.get("incident_type=sudden_death")
        if reported is not None:
            verify = f"{found[EXPECTED_DEATH]} + {reported}"
    return RuleReading(flags, verify)


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
    return _flags(_present_concepts(request, comp), comp)


def _flags(found: dict[str, str], comp: _Compiled) -> tuple[RedFlag, ...]:
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
