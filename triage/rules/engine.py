"""Red-flag rules: time-critical findings that force ``deploy`` whatever the model says.

The rules are DATA: three tables beside this module in ``triage/rules/`` (``concepts.toml``,
``guards.toml``, ``flags.toml``, read and validated by :mod:`triage.rules.tables`, every entry
with its why and source), and this module's one generic evaluation loop. In Python they are
``tables().concepts``, ``.masks`` and ``.rules`` (also ``CONCEPTS``, ``MASKS``, ``RULES``,
read on first use):

* :data:`CONCEPTS` names clinical phrases ("chest_pain", "cardiac_feature", "anticoagulant"...)
  written in a tiny phrase language over :func:`triage.text.normalise.normalise` output (see
  :func:`triage.rules.phrases.parse_phrase` and the comment above it). Structured facts are concepts
  too, spelt ``field=value`` ("breathing=not_breathing", "incident_type=sudden_death").
* :data:`MASKS` are phrases that look like a concept but are not one ("stabbing pain" is not a
  stabbing, "fit for custody" is not a fit, "previous stroke" is history, not a sign). Each names
  the concepts it blocks; a match of one of those that overlaps the mask's match is dropped,
  unless it holds all of the mask's words (a concept phrase that is the guard's own words reads
  it on purpose). Any other concept reads through it.
* :data:`RULES` is a tuple of :class:`RuleSpec`: a name, the sentence a call handler reads, the
  clauses that fire it, and the concepts that cancel it. A clause is ``"a|b & c & !d"``: at least
  one of a/b AND c, with d absent. A flag that needs two features (chest pain AND a cardiac
  feature; head injury AND loss of consciousness or an anticoagulant; hypo AND confusion) is one
  clause with two groups.

Negation comes from :mod:`triage.text.negation`: a concept match with a word negated by a trigger
outside the phrase does not count ("no LOC", "denies chest pain", "not on blood thinners", "no
head injury", "no difficulty breathing", "no signs of decomposition"). Phrases that *contain*
their negation word ("not breathing", "never had a fit before", "bleeding will not stop") are
negated only from outside, so they read as findings.

Matching (:class:`triage.rules.matcher.Matcher`) finds every phrase in one pass over the words,
overlaps included, never across clause punctuation, and skipping the tables' filler words ("really",
"proper"); the tables are validated and built on first use (:func:`_compiled`), never at import.

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

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

from triage.rules.deaths import (
    CPR_IN_PROGRESS,
    DEATH_CONCEPTS,
    DEATH_DOUBTED,
    DEATH_REPORTED,
    DEATH_SIGNS,
    EXPECTED_DEATH,
    SUDDEN_DEATH_KEYED,
    settle_death,
)
from triage.rules.history import HistoryReading, compile_history, drop_history
from triage.rules.life import (
    SignsOfLife,
    apart_sentences,
    asides,
    compile_signs,
    death_spans,
    keyed_alive,
)
from triage.rules.matcher import Matcher
from triage.rules.phrases import without_clitic
from triage.rules.tables import (
    DEATH,
    TABLE_FILES,
    Clause,
    Note,
    RedFlagTables,
    RuleSpec,
    TableError,
    clause_evidence,
    load_tables,
    tables,
)
from triage.rules.wordforms import bare_clitics, spelt_plurals
from triage.schema import TriageRequest, enum_fields
from triage.suggestion import RedFlag
from triage.text.charfold import confusable_table
from triage.text.lines import lines_as_clauses
from triage.text.negation import Analysis, analyse
from triage.text.normalise import normalise
from triage.text.spelling import speller

__all__ = [
    "DEATH",
    "TABLE_FILES",
    "Clause",
    "Note",
    "RedFlagTables",
    "RuleReading",
    "RuleSpec",
    "TableError",
    "compile_rules",
    "compile_tables",
    "detect_red_flags",
    "guard_label",
    "load_tables",
    "read_request",
    "rule_names",
    "tables",
]

#: Internal concept names of MASKS matches start with this (never a key of CONCEPTS): guard i
#: matches as ``f"{_MASK}{i}"``, so the engine knows which concepts that guard blocks.
_MASK = "\x00mask"


def guard_label(i: int) -> str:
    """The matcher's concept name for guard ``i`` (its place in ``MASKS``)."""
    return f"{_MASK}{i}"


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


#: A structured fact as the rules read it: its ``field=value`` and the text concepts it names.
FactReading = tuple[str, tuple[str, ...]]


def _fact_readings(
    text_facts: dict[str, list[str]],
) -> tuple[tuple[str, dict[StrEnum, FactReading]], ...]:
    """Every enum field of a request with each of its values read once: ``field=value`` and the
    text concepts that fact belongs to. Keyed by member; a StrEnum member hashes and compares as
    its value, so a value held as the plain string finds its reading too. A validated request
    holds no other value, so a request's facts cost one look-up each."""
    return tuple(
        (name, {m: (f"{name}={m.value}", tuple(text_facts.get(f"{name}={m.value}", ())))
                for m in enum})
        for name, enum in enum_fields(TriageRequest).items()
    )


@dataclass(frozen=True, slots=True)
class _Compiled:
    matcher: Matcher  # concepts and masks (concept names guard_label(i)): one pass per request
    rules: tuple[tuple[RuleSpec, tuple[Clause, ...]], ...]
    #: concept -> (rule, clause) indices into ``rules`` of the clauses that can only hold when
    #: it is present (a clause's first group): a clause nothing points to is never evaluated.
    rule_index: dict[str, tuple[tuple[int, int], ...]]
    #: per fact field, each of its values -> its ``field=value`` and the text concepts that
    #: fact belongs to (:func:`_fact_readings`)
    fact_readings: tuple[tuple[str, dict[StrEnum, FactReading]], ...]
    fillers: frozenset[str] = frozenset()  # words the matcher skips (tables' [fillers])
    #: "necks" -> "neck" for every phrase word whose "s" form is not itself a phrase word: the
    #: clitic "'s" written without its apostrophe ("his necks stiff", "babys head is out").
    bare_clitics: dict[str, str] = field(default_factory=dict)
    #: the tables' [signs_of_life], compiled (:mod:`triage.rules.life`)
    life: SignsOfLife = field(default_factory=SignsOfLife)
    #: guard_label(i) -> the concepts guard i blocks (guards.toml ``blocks``)
    guard_blocks: dict[str, frozenset[str]] = field(default_factory=dict)
    #: red flag name -> its place in the tables (flags are reported in that order)
    rule_order: dict[str, int] = field(default_factory=dict)
    #: the tables' [history], compiled (:mod:`triage.rules.history`)
    history: HistoryReading = field(default_factory=HistoryReading)
    #: the concepts whose every match is kept with its position (signs of life and history)
    timed: frozenset[str] = frozenset()


@cache
def _compiled() -> _Compiled:
    """The package's tables, validated and compiled once."""
    return compile_tables(tables())


def compile_tables(t: RedFlagTables) -> _Compiled:
    """Validate ``t`` and build the phrase tries (raises ValueError naming what is wrong)."""
    CONCEPTS, MASKS, RULES = t.concepts, t.masks, t.rules
    facts = _fact_concepts()
    matcher = Matcher()
    plurals = spelt_plurals(t)
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
                matcher.add(phrase, concept, t.fillers, plurals)
            except ValueError as e:
                raise ValueError(f"Concept {concept!r}: {e}") from e
    guard_blocks: dict[str, frozenset[str]] = {}
    for i, (phrase, blocks) in enumerate(zip(MASKS, t.mask_blocks, strict=True)):
        unknown = sorted(blocks - set(CONCEPTS))
        if unknown:
            raise ValueError(f"MASKS: the guard {phrase!r} blocks unknown concepts {unknown}.")
        guard_blocks[guard_label(i)] = blocks
        try:
            matcher.add(phrase, guard_label(i), t.fillers, plurals)
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
    index: dict[str, set[tuple[int, int]]] = {}
    for i, (_, clauses) in enumerate(compiled_rules):
        for j, c in enumerate(clauses):
            for concept in c.all_of[0]:
                index.setdefault(concept, set()).add((i, j))
    fact_fields = tuple(enum_fields(TriageRequest))
    life = compile_signs(t, compiled_rules, DEATH_CONCEPTS, fact_fields, facts, DEATH_SIGNS)
    history = compile_history(t.history_events, CONCEPTS, DEATH_CONCEPTS)
    return _Compiled(
        matcher,
        tuple(compiled_rules),
        {k: tuple(sorted(v)) for k, v in index.items()},
        _fact_readings(text_facts),
        t.fillers,
        bare_clitics(t),
        life,
        guard_blocks,
        {rule.name: i for i, (rule, _) in enumerate(compiled_rules)},
        history,
        life.timed | history.timed,
    )


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


#: A guard's match: its first word, the word after its last, and the concepts it blocks.
GuardSpan = tuple[int, int, frozenset[str]]


def _guard_cover(masked: list[GuardSpan]) -> dict[int, list[GuardSpan]]:
    """The guards covering each word: a match is checked against those over its own words
    only, so the check stays linear in matches whatever the number of guards."""
    covering: dict[int, list[GuardSpan]] = {}
    for span in masked:
        for j in range(span[0], span[1]):
            covering.setdefault(j, []).append(span)
    return covering


def _present_concepts(
    request: TriageRequest, comp: _Compiled, *, joined: bool = False
) -> dict[str, str]:
    """concept -> evidence, for every concept present and not negated (facts included).

    ``joined``: the joined reading of a death to verify (:func:`_reading`), which adds the
    concepts placed apart from a death read with a clause break after a place word joined,
    and the signs read through an aside after a person (:func:`triage.rules.life.asides`) read
    without it."""
    a = analyse(normalise(request.narrative))
    negated = a.negated
    clause_breaks = a.breaks
    matches = _matches(a.words, clause_breaks, "'s" in a.text, comp)
    if joined:
        clause_breaks = _joined_matches(a, request.narrative, comp, matches)
    found: dict[str, str] = {}
    timed: list[tuple[str, int, int]] = []
    if matches:
        guard_blocks = comp.guard_blocks
        covering = _guard_cover(
            [(s, e, guard_blocks[c]) for c, s, e in matches if c in guard_blocks]
        )
        text = a.text
        starts, ends = a.starts, a.ends
        trigger = a.trigger
        any_negated = True in negated
        timed_concepts = comp.timed
        for concept, s, e in matches:
            if concept in guard_blocks or (concept in found and concept not in timed_concepts):
                continue
            if any_negated and (
                (negated[s] and not s <= trigger[s] < e)
                or (e - s > 1 and any(negated[j] and not s <= trigger[j] < e
                                      for j in range(s + 1, e)))
            ):
                # negated from outside the phrase ("no signs of decomposition"); a phrase that
                # holds its own trigger reads as written ("breath test negative")
                continue
            if covering and any(concept in blocks and not (s <= ms and me <= e)
                                for j in range(s, e) for ms, me, blocks in covering.get(j, ())):
                # a match overlapping a guard that blocks its concept is dropped, unless it
                # holds the whole guard: a concept phrase that is the guard's own words reads it
                # on purpose (drowsy's 'dead to the world' under the guard that keeps it from
                # death); a concept the guard does not block reads through it ("stabbing
                # pains in his chest": the guard "stabbing pain" blocks the stab, not the pain)
                continue
            if concept in timed_concepts:
                timed.append((concept, s, e))
            if concept not in found:
                found[concept] = text[starts[s] : ends[e - 1]]
        if _HISTORY_OFF.isdisjoint(found) and request.incident_type != _SUDDEN_DEATH:
            # never beside a death: a living person's event read as history could let the
            # death be verified and every flag cancelled (a read-through's probes: "rigor
            # mortis, wife having anaphylaxis to nuts, allergic as a child")
            drop_history(found, comp.history, timed, a.words, a.breaks, text, starts, ends)
    for name, readings in comp.fact_readings:
        value = getattr(request, name)
        if value is None:
            continue
        key, concepts = readings[value]
        found.setdefault(key, key)
        for concept in concepts:
            found.setdefault(concept, key)
    settle_death(found, comp.life, timed, a.words, clause_breaks, (a.text, a.starts, a.ends))
    return found


def _joined_matches(a: Analysis, narrative: str, comp: _Compiled,
                    matches: list[tuple[str, int, int]]) -> list[bool]:
    """Add to ``matches`` the joined reading's: the signs read through an aside after a person,
    and those placed apart from the death read with a break after a place word joined; return
    the joined breaks. Every other concept reads its clauses as written, and a sign not placed
    apart reads the breaks after a place word as written ("mum is on the landing,
    unresponsive" is the body unless told apart from the death)."""
    life = comp.life
    clitics = "'s" in a.text
    read_through = list(a.breaks)
    skip = asides(a.words, read_through, a.text, a.starts, a.ends, life.persons, narrative)
    if skip and life.asides - life.apart:
        matches += [m for m in _matches(a.words, read_through, clitics, comp, skip)
                    if m[0] in life.asides and m[0] not in life.apart]
    joined = [b and w not in life.places for w, b in zip(a.words, read_through, strict=True)]
    matches += [m for m in _matches(a.words, joined, clitics, comp, skip) if m[0] in life.apart]
    return joined


def _matches(words: list[str], breaks: list[bool], clitics: bool,
             comp: _Compiled, skip: frozenset[int] = frozenset()) -> list[tuple[str, int, int]]:
    """Every (concept, first word, end word) the matcher finds, on the words with their "'s"
    read away and without fillers (nor the words at the indices ``skip``); a break after a
    skipped word belongs to the kept word before it, so a phrase still never runs across
    clause punctuation."""
    if clitics:
        words = [without_clitic(w) for w in words]
    bare = comp.bare_clitics
    if not bare.keys().isdisjoint(words):  # most narratives have none: no copy then
        words = [bare.get(w, w) for w in words]
    fillers = comp.fillers
    if not skip and (not fillers or fillers.isdisjoint(words)):
        return comp.matcher.matches(words, breaks)
    kept = [i for i, w in enumerate(words) if w not in fillers and i not in skip]
    kb = [False] * len(kept)
    for j, i in enumerate(kept):
        stop = kept[j + 1] if j + 1 < len(kept) else len(breaks)
        kb[j] = any(breaks[i:stop])
    found = comp.matcher.matches([words[i] for i in kept], kb)
    return [(c, kept[s], kept[e - 1] + 1) for c, s, e in found]


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


#: Concepts beside which the history reading is not done (a death in play).
_HISTORY_OFF = DEATH_CONCEPTS | {"death_found_between"}
_SUDDEN_DEATH = "sudden_death"


def read_request(request: TriageRequest) -> RuleReading:
    """The red flags (:func:`detect_red_flags`) and the death-verification reading, in one pass.

    A narrative pasted in lines is read twice when a line break may end a clause
    (:func:`triage.text.lines.lines_as_clauses`): once with every break a space, as the
    model reads it, and once with those breaks ending clauses. Every flag either reading
    raises is kept (under-triage is the harm: "No head injury / Unconscious" raises
    ``unconscious`` only when the break ends the "no"; "central chest / Pain: heavy" raises
    chest pain only when it does not); a death to verify is the first reading's, and only
    when neither raises a flag."""
    if not isinstance(request, TriageRequest):
        raise TypeError(f"read_request() needs a TriageRequest. Got {type(request).__name__}.")
    comp = _compiled()
    reading = _reading(request, comp)
    lines = lines_as_clauses(request.narrative)
    if lines is None:
        return reading
    other = _reading(request.model_copy(update={"narrative": lines}), comp)
    have = {f.name for f in reading.red_flags}
    extra = [f for f in other.red_flags if f.name not in have]
    if not extra:
        return reading
    order = comp.rule_order
    flags = tuple(sorted((*reading.red_flags, *extra), key=lambda f: order[f.name]))
    return RuleReading(flags, None)


def _reading(request: TriageRequest, comp: _Compiled) -> RuleReading:
    """The flags and the death to verify of one reading of ``request``'s narrative.

    A death to verify is read again with the breaks after a place word joined (the tables'
    ``[signs_of_life] places``): "his lodger is upstairs, unresponsive" names a living person
    whose state the comma had cut from him, so his flags were cancelled with the death's (a
    blind writer's probes, thirty-fifth session). The joined reading adds only the concepts
    placed apart from the death (``apart_from_death``), so when it verifies no death, someone
    placed apart is alive: no death is verified and the flags of both readings stand. It is
    done only beside a death to verify, so no other request pays for it."""
    found = _present_concepts(request, comp)
    reading = _reading_of(found, comp)
    life = comp.life
    if reading.verify_death is None or not life.places:
        return reading
    joined = _reading_of(_present_concepts(request, comp, joined=True), comp)
    if joined.verify_death is None:
        extra = joined.red_flags
    elif DEATH in found:
        extra = _apart_sentence_flags(request.narrative, comp)
        if not extra:
            return reading  # nobody apart from the death: it is verified as read
    else:
        return reading
    have = {f.name for f in reading.red_flags}
    order = comp.rule_order
    flags = tuple(sorted((*reading.red_flags, *(f for f in extra if f.name not in have)),
                         key=lambda f: order[f.name]))
    return RuleReading(flags, None)


def _apart_sentence_flags(narrative: str, comp: _Compiled) -> tuple[RedFlag, ...]:
    """The red flags of the sentences told after an unequivocal death's sign, each read alone,
    that report no death and begin with someone else (:func:`triage.rules.life.
    apart_sentences`: "Male deceased, rigor mortis. Friend who was with him fell from the lower
    level, open leg fracture, bleeding"): a living person in need, whose flags stand."""
    a = analyse(normalise(narrative))
    life = comp.life
    evidence, first = death_spans(_matches(a.words, a.breaks, "'s" in a.text, comp), life)
    flags: list[RedFlag] = []
    for i, j in apart_sentences(a.words, (a.text, a.starts, a.ends), evidence, first, life):
        sentence = a.text[a.starts[i] : a.ends[j - 1]]
        alone = _reading_of(_present_concepts(TriageRequest(narrative=sentence), comp), comp)
        flags.extend(alone.red_flags)
    return tuple(flags)


def _reading_of(found: dict[str, str], comp: _Compiled) -> RuleReading:
    """The flags and the death to verify of the concepts one reading found."""
    flags = _flags(found, comp)
    verify = found.get(DEATH)
    if (verify is None and not flags and EXPECTED_DEATH in found
            and DEATH_DOUBTED not in found and CPR_IN_PROGRESS not in found
            and keyed_alive(found, comp.life) is None):
        reported = found.get(DEATH_REPORTED) or found.get(SUDDEN_DEATH_KEYED)
        if reported is not None:
            verify = f"{found[EXPECTED_DEATH]} + {reported}"
    return RuleReading(flags, verify)


def detect_red_flags(request: TriageRequest) -> tuple[RedFlag, ...]:
    """Every red flag in ``request`` (narrative and structured facts), in table order.

    A rule fires when one of its clauses holds on the concepts present (a concept is present
    when one of its phrases matches the normalised narrative outside a negation scope and
    outside a mask, or when a structured fact names it) and none of its ``unless`` concepts is
    present. ``evidence`` lists what fired it, e.g. ``"chest pain + radiating to his left
    arm"`` or ``"breathing=not_breathing"``. A narrative in lines is read as
    :func:`read_request` reads it.
    """
    if not isinstance(request, TriageRequest):
        raise TypeError(
            f"detect_red_flags() needs a TriageRequest. Got {type(request).__name__}."
        )
    return read_request(request).red_flags


def _flags(found: dict[str, str], comp: _Compiled) -> tuple[RedFlag, ...]:
    # Only the clauses whose first group holds a present concept can hold: they are evaluated
    # in rule order, then clause order, so each flag's evidence is its first clause that holds
    # (before 2026-12-05 every clause of a candidate rule was evaluated, about 20 a request).
    index = comp.rule_index
    hits: list[tuple[int, int]] = []
    for concept in found:
        hit = index.get(concept)
        if hit is not None:
            hits.extend(hit)
    hits.sort()
    flags: list[RedFlag] = []
    last = -1
    decided = False
    rule: RuleSpec | None = None
    clauses: tuple[Clause, ...] = ()
    for i, j in hits:
        if i != last:
            last = i
            rule, clauses = comp.rules[i]
            decided = any(u in found for u in rule.unless)
        if decided or rule is None:
            continue
        evidence = clause_evidence(clauses[j], found)
        if evidence is not None:
            flags.append(RedFlag(rule.name, rule.reason, evidence))
            decided = True
    return tuple(flags)
