"""The red-flag tables as data: reading and validating triage/rules/*.toml.

Kept apart from the matching engine (:mod:`triage.rules.engine`) so that the text reader
(:mod:`triage.text.spelling`, which corrects misspellings towards the words the rules use) can read
the same tables without importing the engine. Imports nothing of the project but the schema-free
standard library: the tables are data a clinical safety officer reads and diffs, and
:func:`load_tables` checks their shape and names the file and entry of any fault.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "DEATH", "KNOWN_ONLY_CONCEPTS", "TABLE_FILES", "Clause", "Note", "RedFlagTables", "RuleSpec",
    "TableError", "clause_evidence", "load_tables", "phrase_words", "table_words", "tables",
    "target_words",
]

#: Concept that cancels every rule (see triage.rules.engine).
DEATH = "unequivocal_death"
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
    source: str = ""

    def clauses(self) -> tuple[Clause, ...]:
        return tuple(Clause.parse(c) for c in self.when) + tuple(
            Clause(((f,),)) for f in self.facts
        )



def clause_evidence(clause: Clause, found: Mapping[str, str]) -> str | None:
    """The evidence ``clause`` holds on in ``found`` (concept -> evidence), joined with " + ",
    or None when a group has no present concept or a ``none_of`` concept is present."""
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


# --------------------------------------------------------------------------------------------
# The tables: data files a clinical safety officer reads and diffs (triage/rules/)
# --------------------------------------------------------------------------------------------

#: The package whose folder holds the tables (triage/rules/, beside the engine).
TABLES_PACKAGE = "triage.rules"
TABLE_FILES = ("concepts.toml", "guards.toml", "flags.toml")


@dataclass(frozen=True, slots=True)
class Note:
    """Why an entry exists (one line) and where it comes from (the spec, a suite, a guideline)."""

    why: str
    source: str


@dataclass(frozen=True, slots=True)
class RedFlagTables:
    """The three tables, as read from their files and validated (see :func:`load_tables`)."""

    concepts: Mapping[str, tuple[str, ...]]
    concept_notes: Mapping[str, Note]
    masks: tuple[str, ...]
    mask_notes: tuple[Note, ...]
    #: The concepts each guard keeps from being read where it matches (same order as ``masks``):
    #: a guard drops only those readings, so a real finding whose words reach through a guard
    #: still reads ("stabbing pains in his chest" under the guard "stabbing pain").
    mask_blocks: tuple[frozenset[str], ...]
    #: The concepts whose phrases run into or out of each guard's words and are read there on
    #: purpose (``lets_through``; documentation the tests hold complete, never read by the
    #: engine): a guard is a decision about every concept it overlaps, blocked or let through.
    mask_lets_through: tuple[frozenset[str], ...]
    rules: tuple[RuleSpec, ...]
    #: Words a reader skips when matching ("chest is really tight" reads as "chest is tight").
    fillers: frozenset[str] = frozenset()
    #: Concepts no dead body shows (drowsy, confused, in pain...): in a request that reports a
    #: death, someone there is alive, so no death is handed to the desk to verify
    #: (concepts.toml [signs_of_life]; docs/CLINICAL_SAFETY.md, H2 control 6).
    signs_of_life: tuple[str, ...] = ()
    #: Concepts a body can be said to show (unresponsive) but not one whose death is beyond
    #: doubt (decapitated): beside such a death they are another person's.
    signs_beside_death_beyond_doubt: tuple[str, ...] = ()
    #: Red flags no dead body raises (a stroke, anaphylaxis, a floppy infant...): one of them
    #: beside a reported death is someone alive, whose flags stand.
    living_flags: tuple[str, ...] = ()
    #: Keyed facts (``field=value``) that describe the request's patient alive (conscious, or
    #: breathing): beside a reported death the operator has keyed a living patient, often the
    #: second person the ambulance is asked for, so no death is verified.
    living_facts: tuple[str, ...] = ()
    #: Events a time months or years back places in the past ("stabbed in 2019", "overdosed
    #: last year"): concepts.toml [history], read by :mod:`triage.rules.history`.
    history_events: tuple[str, ...] = ()
    #: Words that end a place ("upstairs", "bedroom", "landing"): beside a death to verify, a
    #: clause break after one does not end the clause of the person placed there ("his lodger
    #: is upstairs, unresponsive"), read by a second, joined reading (:mod:`triage.rules.engine`).
    living_places: frozenset[str] = frozenset()
    #: Signs that count only beside an unequivocal death and in a sentence after the first that
    #: holds a sign or statement of it, not sharing one (``apart_from_death``).
    signs_apart_from_death: tuple[str, ...] = ()
    #: Signs of life read through an aside after the person they name, in the joined reading
    #: of a death to verify: "his wife (78) has collapsed", "partner, Sarah, is unresponsive",
    #: "his wife Mary has collapsed" read as "his wife has collapsed" (``through_asides``).
    signs_through_asides: tuple[str, ...] = ()
    #: Someone new a sentence told after a death begins with, to be read alone (one of
    #: ``new_persons`` or the apart signs' persons after one of ``introducers``), and the words
    #: that make it the body's story (``reporting``): :func:`triage.rules.life.apart_sentences`.
    new_persons: frozenset[str] = frozenset()
    introducers: frozenset[str] = frozenset()
    reporting: frozenset[str] = frozenset()
    #: The guards (indices into ``masks``) marked ``known_only``: their words are known to the
    #: speller but never targets, as the words of KNOWN_ONLY_CONCEPTS are.
    mask_known_only: frozenset[int] = frozenset()


class TableError(ValueError):
    """A red-flag table file is missing, unreadable or malformed; the message names the file and
    the entry."""


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise TableError(f"{where}: '{key}' must be a non-empty string. Got {value!r}.")
    return value.strip()


def _strings(
    entry: Mapping[str, Any], key: str, where: str, *, required: bool
) -> tuple[str, ...]:
    value = entry.get(key)
    if value is None and not required:
        return ()
    if (
        not isinstance(value, list)
        or (required and not value)
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise TableError(f"{where}: '{key}' must be a list of non-empty strings. Got {value!r}.")
    return tuple(v.strip() for v in value)


def _read(folder: Path | Traversable, name: str) -> dict[str, Any]:
    try:
        raw = folder.joinpath(name).read_bytes()
    except OSError as e:
        raise TableError(f"{name}: the red-flag table cannot be read: {e}") from e
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise TableError(f"{name}: not valid UTF-8 TOML: {e}") from e


def _only(entry: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(entry) - allowed)
    if extra:
        raise TableError(f"{where}: unknown key(s) {extra}; allowed: {sorted(allowed)}.")


def _noted_section(
    doc: Mapping[str, Any], name: str, keys: set[str]
) -> tuple[Mapping[str, Any], str]:
    """A ``[name]`` table of concepts.toml with its ``why`` and ``source`` checked, and where it
    is (for error messages)."""
    at = f"concepts.toml [{name}]"
    raw = doc[name]
    if not isinstance(raw, dict):
        raise TableError(f"{at}: must be a table.")
    _only(raw, {"why", "source", *keys}, at)
    _text(raw, "why", at)
    _text(raw, "source", at)
    return raw, at


def _fillers(c_doc: Mapping[str, Any], concepts: Mapping[str, object]) -> tuple[str, ...]:
    if "fillers" not in c_doc:
        return ()
    raw, at = _noted_section(c_doc, "fillers", {"words"})
    fillers = _strings(raw, "words", at, required=True)
    bad = [w for w in fillers if " " in w or w in concepts]
    if bad:
        raise TableError(f"{at}: fillers must be single words. Got {bad}.")
    return fillers


class SignsTables(NamedTuple):
    """``[signs_of_life]`` as read (:func:`_signs_of_life`), in :class:`RedFlagTables`' terms."""

    living: tuple[str, ...] = ()
    beside_certain: tuple[str, ...] = ()
    living_flags: tuple[str, ...] = ()
    living_facts: tuple[str, ...] = ()
    places: frozenset[str] = frozenset()
    apart: tuple[str, ...] = ()
    asides: tuple[str, ...] = ()
    new_persons: frozenset[str] = frozenset()
    introducers: frozenset[str] = frozenset()
    reporting: frozenset[str] = frozenset()


def _signs_of_life(
    c_doc: Mapping[str, Any], concepts: Mapping[str, object], flags: set[str]
) -> SignsTables:
    """``[signs_of_life]``: its ``concepts``, ``beside_death_beyond_doubt``, ``apart_from_death``
    and ``through_asides``, each a concept concepts.toml defines (the engine checks the last
    two are signs), its ``flags`` of flags.toml, its ``facts``, each a ``field=value`` listed
    once, and its word lists, single lower-case words listed once."""
    if "signs_of_life" not in c_doc:
        return SignsTables()
    raw, at = _noted_section(
        c_doc, "signs_of_life",
        {"concepts", "beside_death_beyond_doubt", "apart_from_death", "through_asides", "flags",
         "facts", "places", "new_persons", "introducers", "reporting"},
    )
    words: dict[str, frozenset[str]] = {}
    for key in ("places", "new_persons", "introducers", "reporting"):
        given = _strings(raw, key, at, required=False)
        odd = [w for w in given if not w.isalnum() or w != w.lower()]
        if odd or len(set(given)) != len(given):
            raise TableError(
                f"{at}: '{key}' must be single lower-case words, each listed once. "
                f"Got {odd or sorted(w for w in set(given) if given.count(w) > 1)}."
            )
        words[key] = frozenset(given)
    living_facts = _strings(raw, "facts", at, required=False)
    odd = [f for f in living_facts if f.count("=") != 1 or " " in f]
    if odd or len(set(living_facts)) != len(living_facts):
        raise TableError(
            f"{at}: 'facts' must name each keyed field=value at most once. "
            f"Got {odd or living_facts}."
        )
    living_flags = _strings(raw, "flags", at, required=False)
    stray = [f for f in living_flags if f not in flags]
    if stray or len(set(living_flags)) != len(living_flags):
        raise TableError(
            f"{at}: 'flags' must name each flag of flags.toml at most once. "
            f"Got {stray or living_flags}."
        )
    living = _strings(raw, "concepts", at, required=True)
    beside_certain = _strings(raw, "beside_death_beyond_doubt", at, required=False)
    listed = [*living, *beside_certain]
    twice = sorted({c for c in listed if listed.count(c) > 1})
    if twice:
        raise TableError(f"{at}: lists a concept more than once. Got {twice}.")
    unknown = [c for c in listed if c not in concepts]
    if unknown:
        raise TableError(f"{at}: names concepts that concepts.toml does not define. Got {unknown}.")
    apart = _strings(raw, "apart_from_death", at, required=False)
    asides = _strings(raw, "through_asides", at, required=False)
    for key, names in (("apart_from_death", apart), ("through_asides", asides)):
        stray = [c for c in names if c not in concepts or names.count(c) > 1]
        if stray:
            raise TableError(
                f"{at}: '{key}' must name concepts concepts.toml defines, each once. "
                f"Got {sorted(set(stray))}."
            )
    return SignsTables(living, beside_certain, living_flags, living_facts, words["places"], apart,
                       asides, words["new_persons"], words["introducers"], words["reporting"])


def _history_events(c_doc: Mapping[str, Any], concepts: Mapping[str, object]) -> tuple[str, ...]:
    """``[history]``'s ``events``: each a concept concepts.toml defines, listed once."""
    if "history" not in c_doc:
        return ()
    raw, at = _noted_section(c_doc, "history", {"events"})
    events = _strings(raw, "events", at, required=True)
    twice = sorted({c for c in events if events.count(c) > 1})
    unknown = [c for c in events if c not in concepts]
    if twice or unknown:
        raise TableError(
            f"{at}: 'events' must name concepts concepts.toml defines, each once. "
            f"Got {twice or unknown}."
        )
    return events


def _guard_blocks(
    entry: Mapping[str, Any], at: str, concepts: Mapping[str, tuple[str, ...]]
) -> tuple[frozenset[str], frozenset[str]]:
    """A guard's ``blocks`` (required: the concepts it keeps from being read where it matches)
    and ``lets_through`` (the concepts its words share that it leaves to read, on purpose).
    Before 2026-12-05 a guard dropped every reading it overlapped, and "stabbing pain" hid the
    chest pain of "stabbing pains in his chest, sweating buckets"."""
    named: dict[str, tuple[str, ...]] = {
        "blocks": _strings(entry, "blocks", at, required=True),
        "lets_through": _strings(entry, "lets_through", at, required=False),
    }
    for key, listed in named.items():
        twice = sorted({c for c in listed if listed.count(c) > 1})
        if twice:
            raise TableError(f"{at}: '{key}' lists a concept more than once. Got {twice}.")
        unknown = [c for c in listed if c not in concepts]
        if unknown:
            raise TableError(
                f"{at}: '{key}' names concepts that concepts.toml does not define. Got {unknown}."
            )
    both = sorted(set(named["blocks"]) & set(named["lets_through"]))
    if both:
        raise TableError(f"{at}: a concept cannot be both blocked and let through. Got {both}.")
    return frozenset(named["blocks"]), frozenset(named["lets_through"])


def _named_lists(
    f_doc: Mapping[str, Any], concepts: Mapping[str, object]
) -> dict[str, tuple[str, ...]]:
    """flags.toml's ``[list.NAME]`` tables: a list of concepts (or ``field=value`` facts, which
    the engine checks) that clauses name as ``@NAME``, each with its ``why`` and ``source``.
    Written once, so that the dangers beside an answered report ("woke when shaken") cannot
    drift apart between the six clauses that need them (before 2026-12-05 each clause wrote
    them out in full and a test held the copies equal)."""
    raw = f_doc.get("list", {})
    if not isinstance(raw, dict):
        raise TableError("flags.toml: 'list' must hold [list.NAME] tables.")
    lists: dict[str, tuple[str, ...]] = {}
    for name, entry in raw.items():
        at = f"flags.toml [list.{name}]"
        if not isinstance(entry, dict):
            raise TableError(f"{at}: must be a table.")
        _only(entry, {"why", "source", "concepts"}, at)
        _text(entry, "why", at)
        _text(entry, "source", at)
        listed = _strings(entry, "concepts", at, required=True)
        twice = sorted({c for c in listed if listed.count(c) > 1})
        if twice:
            raise TableError(f"{at}: lists a concept more than once. Got {twice}.")
        unknown = [c for c in listed if c not in concepts and "=" not in c]
        if unknown:
            raise TableError(
                f"{at}: names concepts that concepts.toml does not define. Got {unknown}."
            )
        lists[name] = listed
    return lists


def _expand(spec: str, lists: Mapping[str, tuple[str, ...]], at: str, used: set[str]) -> str:
    """``spec`` with every ``@NAME`` alternative replaced by the concepts of ``[list.NAME]``."""
    if "@" not in spec:
        return spec
    parts: list[str] = []
    for part in spec.split("&"):
        part = part.strip()
        bang = "!" if part.startswith("!") else ""
        alternatives: list[str] = []
        for alt in part.removeprefix("!").split("|"):
            alt = alt.strip()
            if alt.startswith("@"):
                if alt[1:] not in lists:
                    raise TableError(
                        f"{at}: the clause {spec!r} names the list {alt!r}, which flags.toml "
                        f"does not define. Defined: {sorted(lists)}."
                    )
                used.add(alt[1:])
                alternatives.extend(lists[alt[1:]])
            else:
                alternatives.append(alt)
        parts.append(bang + "|".join(alternatives))
    return " & ".join(parts)


def _flag_rules(f_doc: Mapping[str, Any], concepts: Mapping[str, object]) -> list[RuleSpec]:
    """flags.toml's ``[[flag]]`` entries, their clauses' ``@NAME`` lists expanded, each checked
    for its keys, reason and source; a named list no clause uses is refused."""
    rules: list[RuleSpec] = []
    lists = _named_lists(f_doc, concepts)
    used: set[str] = set()
    raw_flags = f_doc.get("flag")
    if not isinstance(raw_flags, list) or not raw_flags:
        raise TableError("flags.toml: needs [[flag]] entries.")
    for i, entry in enumerate(raw_flags, start=1):
        at = f"flags.toml flag {i}"
        if not isinstance(entry, dict):
            raise TableError(f"{at}: must be a table.")
        name = _text(entry, "name", at)
        at = f"flags.toml flag {name!r}"
        _only(entry, {"name", "reason", "source", "when", "facts", "unless"}, at)
        when = tuple(
            _expand(c, lists, at, used) for c in _strings(entry, "when", at, required=False)
        )
        facts = _strings(entry, "facts", at, required=False)
        if not when and not facts:
            raise TableError(f"{at}: needs 'when' clauses or 'facts'.")
        unless = _strings(entry, "unless", at, required=False) if "unless" in entry else (DEATH,)
        rules.append(
            RuleSpec(
                name,
                _text(entry, "reason", at),
                when,
                facts,
                unless,
                source=_text(entry, "source", at),
            )
        )
    unused = sorted(set(lists) - used)
    if unused:
        raise TableError(f"flags.toml: [list.{unused[0]}] is named by no clause. Unused: {unused}.")
    return rules


def load_tables(folder: Path | None = None) -> RedFlagTables:
    """Read and validate ``concepts.toml``, ``guards.toml`` and ``flags.toml``.

    ``folder`` defaults to the package's own tables. Every entry must carry its ``why`` (or, for
    a flag, its handler ``reason``) and its ``source``; phrases are checked by
    :func:`compile_tables`. Raises :class:`TableError` naming the file and entry.
    """
    where: Path | Traversable = (
        folder if folder is not None else files(TABLES_PACKAGE)
    )
    c_doc = _read(where, "concepts.toml")
    g_doc = _read(where, "guards.toml")
    f_doc = _read(where, "flags.toml")
    _only(c_doc, {"concept", "fillers", "signs_of_life", "history"}, "concepts.toml")
    _only(g_doc, {"guard"}, "guards.toml")
    _only(f_doc, {"flag", "list"}, "flags.toml")
    raw_concepts = c_doc.get("concept")
    if not isinstance(raw_concepts, dict) or not raw_concepts:
        raise TableError("concepts.toml: needs [concept.NAME] tables.")
    concepts: dict[str, tuple[str, ...]] = {}
    notes: dict[str, Note] = {}
    for name, entry in raw_concepts.items():
        at = f"concepts.toml [concept.{name}]"
        if not isinstance(entry, dict):
            raise TableError(f"{at}: must be a table.")
        _only(entry, {"why", "source", "phrases"}, at)
        concepts[name] = _strings(entry, "phrases", at, required=True)
        notes[name] = Note(_text(entry, "why", at), _text(entry, "source", at))
    masks: list[str] = []
    mask_notes: list[Note] = []
    mask_blocks: list[frozenset[str]] = []
    mask_lets: list[frozenset[str]] = []
    known_only: set[int] = set()
    for i, entry in enumerate(g_doc.get("guard") or [], start=1):
        at = f"guards.toml guard {i}"
        if not isinstance(entry, dict):
            raise TableError(f"{at}: must be a table.")
        _only(entry, {"phrase", "blocks", "lets_through", "why", "source", "known_only"}, at)
        if not isinstance(entry.get("known_only", False), bool):
            raise TableError(f"{at}: known_only must be true or false. Got "
                             f"{entry['known_only']!r}.")
        if entry.get("known_only"):
            known_only.add(i - 1)
        masks.append(_text(entry, "phrase", at))
        blocks, lets = _guard_blocks(entry, at, concepts)
        mask_blocks.append(blocks)
        mask_lets.append(lets)
        mask_notes.append(Note(_text(entry, "why", at), _text(entry, "source", at)))
    rules = _flag_rules(f_doc, concepts)
    fillers = _fillers(c_doc, concepts)
    sl = _signs_of_life(c_doc, concepts, {r.name for r in rules})
    return RedFlagTables(
        concepts, notes, tuple(masks), tuple(mask_notes), tuple(mask_blocks), tuple(mask_lets),
        tuple(rules), frozenset(fillers),
        sl.living, sl.beside_certain, sl.living_flags, sl.living_facts,
        _history_events(c_doc, concepts), sl.places, sl.apart, sl.asides, sl.new_persons,
        sl.introducers, sl.reporting, frozenset(known_only),
    )


@cache
def tables() -> RedFlagTables:
    """The package's red-flag tables, read and validated once (on first use, never at import)."""
    return load_tables()


def phrase_words(phrase: str) -> list[str]:
    """The literal words a phrase of the phrase language can match (no numbers or wildcards)."""
    out: list[str] = []
    for part in phrase.split():
        body = part[1:-1] if part.startswith("[") and part.endswith("]") else part
        out.extend(a for a in body.split("|") if a and a[0] != "#" and a != "*")
    return out


#: Concepts whose words the speller knows but never corrects towards (``target_words``): as
#: targets, everyday words drew misspelt red flags away from their flag ("drosy" became "rosy",
#: not "drowsy"; "non blinching rash" lost its sepsis flag, 2026-12-03; "didcharged" became
#: "discharge", "fikling" "filling", "nickrd" "nicked"; "bobbing" took "gobbing off"). So the
#: signs of life that doubt a death, the words naming a person in need, and each session's new
#: concepts of everyday words no red flag rests on are known only; the forty-third session's
#: assault wordings too ("croaking" misspelt became "cracking", "groaing" "growing"). A word
#: such a concept shares with another concept stays a target.
KNOWN_ONLY_CONCEPTS: frozenset[str] = frozenset(
    {"death_doubted", "person_named_in_need", "person_beside_certain_death", "conscious_now",
     "living_sign_words", "sign_in_history", "sign_now", "living_event_now", "needs_a_heartbeat",
     "labour_now", "foul_discharge", "mouth_filling_blood", "nicked_by_blade", "jaw_local_cause",
     "rash_part_fades", "not_white_under_glass", "marks_unchanged", "glass_named",
     "thing_from_device", "magnet_pieces", "wild_plant", "snake_handled", "bitten_word",
     "head_bobbing", "throat_filling", "blood_in_shoe", "head_blow_told", "head_struck_edge",
     "restraint_told", "neck_knelt", "blood_squirts_told", "clothes_soaked", "child_thrown",
     "clothes_bloodsoaked", "genital_swelling", "groin_blow", "chest_blow", "ribs_crunch",
     "swelling_growing", "boggy_swelling", "acting_oddly", "unsteady_told", "trampled_person",
     "kerb_fall", "burnt_through", "just_boiled",
     # cut_to_body made "breasts" a target ("only taking odd breatss"); "calvs" reads "calves"
     "cut_to_breasts",
     # the thirty-fourth session's history reading: times and words of now, never findings
     "remote_past", "event_now", "history_repeats",
     # as targets "cried", "nicked", "burping", "contrast" took "chied", "nickrd", "contact"...
     "not_cried_since_birth", "sharp_to_neck", "burping_now", "baby_burping", "contrast_given"}
)


def _words(t: RedFlagTables, skip: frozenset[str]) -> set[str]:
    words: set[str] = set()
    for name, phrases in t.concepts.items():
        if name in skip:
            continue
        for phrase in phrases:
            if "=" in phrase and "#" not in phrase:
                continue  # a structured fact, not text
            words.update(phrase_words(phrase))
    for i, phrase in enumerate(t.masks):
        if not (skip and i in t.mask_known_only):
            words.update(phrase_words(phrase))
    return words


def table_words(t: RedFlagTables) -> set[str]:
    """Every literal word the concepts' and guards' phrases can match (structured facts left
    out): the words the speller must know and the vocabulary the engine reads bare clitics
    against."""
    return _words(t, frozenset())


def target_words(t: RedFlagTables) -> set[str]:
    """The table words misspellings may be corrected towards: every word but those only a
    ``KNOWN_ONLY_CONCEPTS`` concept or a ``known_only`` guard uses."""
    return _words(t, KNOWN_ONLY_CONCEPTS)

