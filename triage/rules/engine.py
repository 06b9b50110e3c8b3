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
  stabbing, "fit for custody" is not a fit, "previous stroke" is history, not a sign). A concept
  match that overlaps a mask match is dropped, unless it holds all of the mask's words (a
  concept phrase that is the guard's own words reads it on purpose).
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
    load_tables,
    table_words,
    tables,
)
from triage.schema import TriageRequest, enum_fields
from triage.suggestion import RedFlag
from triage.text.charfold import confusable_table
from triage.text.negation import analyse
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
    "load_tables",
    "read_request",
    "rule_names",
    "tables",
]

#: Internal concept name of MASKS matches (never a key of CONCEPTS).
_MASK = "\x00mask"

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
    matcher: Matcher  # concepts and masks (concept name _MASK): one pass per request
    rules: tuple[tuple[RuleSpec, tuple[Clause, ...]], ...]
    #: concept -> indices into ``rules`` whose clauses can only hold when it is present
    #: (the concepts of every clause's first group): rules nothing points to are skipped.
    rule_index: dict[str, tuple[int, ...]]
    fact_fields: tuple[str, ...]
    text_facts: dict[str, tuple[str, ...]]  # fact concept -> text concepts it belongs to
    fillers: frozenset[str] = frozenset()  # words the matcher skips (tables' [fillers])
    #: "necks" -> "neck" for every phrase word whose "s" form is not itself a phrase word: the
    #: clitic "'s" written without its apostrophe ("his necks stiff", "babys head is out").
    bare_clitics: dict[str, str] = field(default_factory=dict)
    #: the tables' [signs_of_life]: concepts no dead body shows, and those no body whose death
    #: is beyond doubt shows (:func:`_someone_alive`)
    signs_of_life: frozenset[str] = frozenset()
    signs_beside_certain_death: frozenset[str] = frozenset()
    #: the signs and the time words that place them (SIGN_IN_HISTORY, SIGN_NOW): every match
    #: of these is kept with its words' positions, not only the first
    timed: frozenset[str] = frozenset()
    #: indices into ``rules`` of the flags no dead body raises (the tables' signs_of_life flags)
    living_rules: frozenset[int] = frozenset()


@cache
def _compiled() -> _Compiled:
    """The package's tables, validated and compiled once."""
    return compile_tables(tables())


def compile_tables(t: RedFlagTables) -> _Compiled:
    """Validate ``t`` and build the phrase tries (raises ValueError naming what is wrong)."""
    CONCEPTS, MASKS, RULES = t.concepts, t.masks, t.rules
    facts = _fact_concepts()
    matcher = Matcher()
    plurals = _spelt_plurals(t)
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
    for phrase in MASKS:
        try:
            matcher.add(phrase, _MASK, t.fillers, plurals)
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
        _bare_clitics(t),
        frozenset(t.signs_of_life),
        frozenset(t.signs_of_life) | frozenset(t.signs_beside_death_beyond_doubt),
        _timed(t),
        frozenset(i for i, (r, _) in enumerate(compiled_rules) if r.name in t.living_flags),
    )


def _timed(t: RedFlagTables) -> frozenset[str]:
    """The concepts whose every match is kept with its position, for the history reading of
    the signs of life: the signs, their time words, and what the living flags' clauses need.

    Checked here: no sign and no living flag may rest on a concept that reports or proves a
    death (listing one would stop every such death being verified, or let a death prove
    itself alive), and the time words are never signs."""
    signs = {*t.signs_of_life, *t.signs_beside_death_beyond_doubt}
    if not signs and not t.living_flags:
        return frozenset()
    deaths = {DEATH, DEATH_STATED, DEATH_REPORTED, EXPECTED_DEATH, DEATH_SIGN_IF_REPORTED,
              DEATH_BEYOND_DOUBT}
    wrong = sorted(signs & (deaths | {SIGN_IN_HISTORY, SIGN_NOW}))
    if wrong:
        raise ValueError(
            f"[signs_of_life] lists concepts that report a death or place a sign: {wrong}."
        )
    for name in (SIGN_IN_HISTORY, SIGN_NOW):
        if name not in t.concepts:
            raise ValueError(f"[signs_of_life] needs the concept {name!r} to place its signs.")
    needed: set[str] = set()
    for rule in t.rules:
        if rule.name not in t.living_flags:
            continue
        for clause in rule.clauses():
            used = {c for group in clause.all_of for c in group}
            if used & deaths:
                raise ValueError(
                    f"[signs_of_life] flags: {rule.name!r} rests on a death "
                    f"({sorted(used & deaths)}), so it cannot show someone alive."
                )
            needed |= used
    return frozenset(signs | needed | {SIGN_IN_HISTORY, SIGN_NOW})


#: Words whose "s" form means something else: a phrase naming the word never accepts that form.
NOT_PLURALS: dict[str, str] = {
    "run": "'the runs' is diarrhoea",
    "rigor": "'rigors' is the shaking of a fever, not rigor mortis (a sixth review, 2026-12-02)",
    "co": "'cos' is 'because'",
    "it": "'its' is a possessive",
    "can": "'cans' are drinks",
    "new": "'news' is not new",
    "main": "'mains' is the electricity supply",
    "shot": "'shots' are drinks ('doing shots at the club')",
    "stroke": "'strokes' is stroking, or a history ('two strokes in the past')",
}


def _spelt_plurals(t: RedFlagTables) -> dict[str, str]:
    """Each phrase word whose "s" form is a phrase word too, mapped to that form. The engine
    reads every other "s" form as the word (:func:`_bare_clitics`); these it leaves as written,
    so the matcher lets a phrase naming the word accept them: spelling "pins and needles" in
    one phrase must not stop "drawing pin" reading "drawing pins", nor "headaches" in one
    phrase stop "worst headache" reading "worst headaches"."""
    # every phrase word, guards included: a plural spelt only in a guard ("push bikes") must still
    # be read by the concept phrases naming the word ("thrown from their bikes"); the words whose
    # "s" form means something else are NOT_PLURALS
    vocabulary = table_words(t)
    return {
        w: w + "s"
        for w in vocabulary
        if len(w) >= 2 and w.isalpha() and w + "s" in vocabulary and w not in NOT_PLURALS
    }


def _bare_clitics(t: RedFlagTables) -> dict[str, str]:
    """Each phrase word's "s" form that is no phrase word itself, mapped to the word: how the
    engine reads a clitic "'s" whose apostrophe was left out ("necks stiff", "hes gone blue").
    A plural the tables spell out ("fits", "tablets") is a phrase word and is left alone."""
    vocabulary = table_words(t)
    return {
        w + "s": w
        for w in vocabulary
        if len(w) >= 2 and w.isalpha() and w + "s" not in vocabulary
    }


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------




def _present_concepts(request: TriageRequest, comp: _Compiled) -> dict[str, str]:
    """concept -> evidence, for every concept present and not negated (facts included)."""
    a = analyse(normalise(request.narrative))
    words, breaks, negated = a.words, a.breaks, a.negated
    if "'s" in a.text:
        words = [without_clitic(w) for w in words]
    bare = comp.bare_clitics
    words = [bare.get(w, w) for w in words]
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
    timed: list[tuple[str, int, int]] = []
    if matches:
        masked = [(s, e) for c, s, e in matches if c == _MASK]
        # the guards covering each word: a match is checked against those over its own words
        # only, so the check stays linear in matches whatever the number of guards
        covering: dict[int, list[tuple[int, int]]] = {}
        for ms, me in masked:
            for j in range(ms, me):
                covering.setdefault(j, []).append((ms, me))
        text = a.text
        starts, ends = a.starts, a.ends
        trigger = a.trigger
        any_negated = True in negated
        timed_concepts = comp.timed
        for concept, s, e in matches:
            if concept == _MASK or (concept in found and concept not in timed_concepts):
                continue
            if any_negated and (
                negated[s]
                or (e - s > 1 and any(negated[j] and not s <= trigger[j] < e for j in range(s, e)))
            ):
                continue  # negated from outside the phrase ("no signs of decomposition")
            if covering and any(not (s <= ms and me <= e)
                                for j in range(s, e) for ms, me in covering.get(j, ())):
                # a match overlapping a guard is dropped, unless it holds the whole guard:
                # a concept phrase that is the guard's own words reads it on purpose
                # (drowsy's 'dead to the world' under the guard that keeps it from death)
                continue
            if concept in timed_concepts:
                timed.append((concept, s, e))
            if concept not in found:
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
    if (DEATH_DOUBTED in found or CPR_IN_PROGRESS in found) and DEATH_BEYOND_DOUBT not in found:
        # someone on scene doubts the death, or is resuscitating: whatever signs were reported
        # before (a landlord's "been dead for days" through a letterbox), it is not certain;
        # unless the body shows what no doubt changes (decapitation, skeletal remains...);
        # CPR beside such a body is on someone else, read with the signs of life below
        found.pop(DEATH, None)
    if ANOTHER_PERSON in found or (
        (DEATH in found or EXPECTED_DEATH in found) and _a_death_reported(found)
        and _shows_life(found, comp, timed, a.words, a.breaks)
    ):
        # more than one person, or beside a reported death a sign no dead body shows: the
        # death may be another's, and even a death beyond doubt ("driver decapitated,
        # passenger trapped") or an expected one leaves a patient whose flags must stand, so
        # neither cancels a flag nor is handed to the desk
        found.pop(DEATH, None)
        found.pop(EXPECTED_DEATH, None)
    return found


#: Signs that name their own person and tense ("his wife is unconscious", "conscious but
#: bleeding"): a past time in their clause is never theirs ("son who was with him last night
#: has taken an overdose"), so the history reading never discounts them.
_PERSON_SIGNS = frozenset({"person_named_in_need", "person_beside_certain_death", "conscious_now"})
#: Words that end a time word's reach over a sign: a new clause or a present-tense verb
#: between them ("wife has dementia and is drowsy", "son who had a fit yesterday is fitting
#: again"); a bare "and" does not ("he was slurring and drunk last night").
_REACH_STOPS = frozenset({"but", "who", "which", "that", "then", "so", "while", "now", "is",
                          "are", "has", "have", "keeps", "still"})
#: How far, in words, a time word reaches over a sign in its clause ("had chest pain
#: yesterday", "was confused lately per neighbour").
_REACH = 8


def _a_death_reported(found: dict[str, str]) -> bool:
    """A death the request reports (unequivocal, reported, or keyed ``sudden_death``); a death
    named only in passing ("her husband died last year") is not one."""
    return (DEATH in found or DEATH_REPORTED in found
            or "incident_type=sudden_death" in found)


def _live_concepts(
    timed: list[tuple[str, int, int]], words: list[str], breaks: list[bool]
) -> set[str]:
    """The timed concepts with at least one match the history reading leaves in the present.

    A match is the past's when a time or habit word (``sign_in_history``: "yesterday",
    "lately", "often", "dementia") stands within ``_REACH`` words of it in the same clause,
    with no clause word between (``_REACH_STOPS``), and the clause says nothing of now
    (``sign_now``: "now", "still", "since"). Signs that name their own person never are.
    """
    clause: list[int] = []
    n = 0
    for brk in breaks:
        clause.append(n)
        n += brk
    past = [(s, e) for c, s, e in timed if c == SIGN_IN_HISTORY]
    now = {clause[s] for c, s, _ in timed if c == SIGN_NOW}
    live: set[str] = set()
    for c, s, e in timed:
        if c in live or c in (SIGN_IN_HISTORY, SIGN_NOW):
            continue
        if c in _PERSON_SIGNS or clause[s] in now or not any(
            clause[h0] == clause[s] and _reaches(words, h0, h1, s, e) for h0, h1 in past
        ):
            live.add(c)
    return live


def _reaches(words: list[str], h0: int, h1: int, s: int, e: int) -> bool:
    between = words[h1:s] if h1 <= s else words[e:h0] if e <= h0 else []
    return len(between) <= _REACH and _REACH_STOPS.isdisjoint(between)


def _shows_life(
    found: dict[str, str], comp: _Compiled, timed: list[tuple[str, int, int]],
    words: list[str], breaks: list[bool],
) -> bool:
    """A sign of life or a living flag beside a reported death (:func:`_someone_alive`,
    :func:`_living_flag`), read on the matches the history reading leaves in the present."""
    if not timed:
        return False
    live = _live_concepts(timed, words, breaks)
    return _someone_alive(found, comp, live) or _living_flag(found, comp, live)


def _someone_alive(found: dict[str, str], comp: _Compiled, live: set[str]) -> bool:
    """Whether a request that reports a death also says, in its narrative, what no dead body
    shows (the tables' ``[signs_of_life]``: drowsy, confused, chest pain, a relative, bystander
    or role "is unconscious"...), or beside a death beyond doubt what no such body shows
    (unconscious, CPR going on, a relative not breathing beside a decapitation).

    Such a sign is a living person's, the reported one's or another's named only as "his
    wife" or "the cyclist" (a helper's blind probes of 2026-12-04: 75 of 160 living people
    beside a death had had the death verified and their flags cancelled). A person named only
    by a first name ("Dave is unconscious") is not read. A sign the history reading places in
    the past (:func:`_live_concepts`) does not count. Keyed fields do not count: a keyed field
    describes the patient the request is about, whom the narrative reports dead.
    """
    signs = (comp.signs_beside_certain_death if DEATH_BEYOND_DOUBT in found
             else comp.signs_of_life)
    return not signs.isdisjoint(live)


def _living_flag(found: dict[str, str], comp: _Compiled, live: set[str]) -> bool:
    """Whether a death would cancel a flag no dead body raises (the tables' signs_of_life
    ``flags``: a stroke, anaphylaxis, a floppy infant, carbon monoxide symptoms...): such a
    flag is a living person's, so no death is verified (a review of 2026-12-04: "male deceased
    rigor mortis, wife's face has dropped, can't lift her arm").

    The flag is read on the narrative's concepts the history reading leaves in the present
    (a second review: "cause of death possibly a stroke" and "chest pain radiating down his arm
    last night" had raised living flags), without keyed fields, and with any expected death
    kept, so a flag an expected death cancels stays cancelled.
    """
    if not comp.living_rules:
        return False
    timed = comp.timed
    alive = {k: v for k, v in found.items()
             if k != DEATH and (k not in timed or k in live)
             and not ("=" in v and v.partition("=")[0] in comp.fact_fields)}
    for i in comp.living_rules:
        rule, clauses = comp.rules[i]
        if any(u in alive for u in rule.unless):
            continue
        if any(_satisfy(clause, alive) is not None for clause in clauses):
            return True
    return False


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
#: A doubt on scene (a faint breath, "not happy he's gone") or CPR going on: the death is not
#: read as unequivocal, so the flags it would cancel stand, and an expected death is not handed
#: to the desk to verify (the flags an expected death cancels stay cancelled: the model decides)
#: (docs/CLINICAL_SAFETY.md, H2 control 6; suite S, 2026-12-02: a landlord's "dead for days"
#: through the letterbox, then officers inside found a possible faint breath and started CPR).
#: Signs beyond any doubt (``death_beyond_doubt``: decapitation, skeletal remains...) still stand
#: against a doubt; decomposition is not one of them (a doubt or CPR outweighs it). CPR beside a
#: death beyond doubt is someone else's resuscitation (the tables' signs of life, 2026-12-04).
DEATH_DOUBTED = "death_doubted"
CPR_IN_PROGRESS = "cpr_in_progress"
DEATH_BEYOND_DOUBT = "death_beyond_doubt"
#: More than one person in the request: a death read there may be another's, so no death is
#: handed to the desk to verify (a review of 2026-12-03: "two occupants, one deceased, the other
#: ... unresponsive" had been verified, cancelling the living one's flags).
ANOTHER_PERSON = "another_person"
#: Time words that place a sign of life in the dead person's history ("yesterday", "lately"),
#: and those that keep it in the present ("now", "still", "since"): :func:`_someone_alive`.
SIGN_IN_HISTORY = "sign_in_history"
SIGN_NOW = "sign_now"
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
    if (verify is None and not flags and EXPECTED_DEATH in found
            and DEATH_DOUBTED not in found and CPR_IN_PROGRESS not in found):
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
