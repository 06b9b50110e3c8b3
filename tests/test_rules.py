"""Red-flag rules (triage.rules). Every narrative here is SYNTHETIC, written for the tests."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from triage.history.synth_catalogue import VARIANTS
from triage.history.synth_text import expand, with_pronouns
from triage.rules import engine as rules_mod
from triage.rules import matcher as matcher_mod
from triage.rules import phrases as rule_phrases
from triage.rules import tables as rule_tables
from triage.rules.engine import (
    CONCEPTS,
    MASKS,
    RULES,
    Clause,
    RuleSpec,
    detect_red_flags,
    read_request,
    rule_names,
)
from triage.rules.phrases import (
    compile_phrase,
    parse_phrase,
    without_clitic,
    without_fillers,
    written_out,
)
from triage.rules.tables import phrase_words
from triage.rules.wordforms import NOT_PLURALS
from triage.schema import TriageRequest
from triage.text.normalise import normalise

EXPECTED_NAMES = (
    "not_breathing",
    "unconscious",
    "cardiac_chest_pain",
    "severe_bleeding",
    "penetrating_injury",
    "stroke",
    "anaphylaxis",
    "seizure",
    "significant_overdose",
    "head_injury",
    "major_trauma",
    "labour_complications",
    "sepsis_meningitis",
    "thunderclap_headache",
    "strangulation",
    "hypoglycaemia",
    "airway_burns",
    "hypothermia",
    "death_not_certain",
    # second edition (shared/spec/requests.md, 2026-12-01)
    "falling_consciousness",
    "pregnancy_danger",
    "corrosive_or_face_burn",
    "injury_with_shock",
    "self_harm_danger",
    "swallowed_drugs",
    "asthma_not_relieved",
    "after_restraint",
    "infant_fever_or_floppy",
    "pulmonary_embolism_signs",
    "long_lie",
    "limb_deformity",
    "cauda_equina",
    "abdominal_pain_with_collapse",
    "testicular_torsion",
    "battery_or_magnet_swallowed",
    "electrical_injury",
    "carbon_monoxide",
    "diabetic_ketoacidosis",
    "threatened_limb",
    "adrenal_crisis",
    "heat_stroke",
    "dvt_signs",
    "appendicitis_signs",
    "hus_signs",
    "kawasaki_signs",
    "intussusception_signs",
    "delirium_tremens",
    "airway_threat",
    "bowel_obstruction",
    "infant_dehydration",
    "acute_glaucoma",
    "dangerous_heart_rate",
    "high_early_warning_score",
    "missed_dialysis",
    "snake_bite",
    "confusion_with_headache_and_vomiting",
    "thyroid_storm",
    "choking_airway",
    "wernicke_encephalopathy",
    "infant_injury_suspicious",
    "suspected_hip_fracture",
    "decompression_illness",
    "sickle_cell_crisis",
    "low_blood_pressure",
)


def flags(narrative: str, **facts: Any) -> set[str]:
    return {f.name for f in detect_red_flags(TriageRequest(narrative=narrative, **facts))}


def assert_reads_concept(concept: str, wording: str) -> None:
    """``wording`` alone reads ``concept`` (the phrase-row tests: each row fails with its phrase
    taken out of the tables)."""
    from triage.rules.engine import _compiled, _present_concepts

    found = _present_concepts(TriageRequest(narrative=wording), _compiled())
    assert concept in found, f"{wording!r} should read {concept}; read {sorted(found)}"


def verified(narrative: str) -> str | None:
    """The death the rules hand to the desk to verify in ``narrative`` (its evidence), or None."""
    return read_request(TriageRequest(narrative=narrative)).verify_death


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


def test_every_phrase_word_survives_normalisation() -> None:
    """The rules read normalised text, so a phrase word the normaliser rewrites ("dropping" ->
    "drooping", "rtc" -> "road traffic collision") can never match: a silently dead wording."""
    dead = {
        (concept, word): normalise(word)
        for concept, phrases in [*CONCEPTS.items(), ("MASKS", MASKS)]
        for phrase in phrases
        if not ("=" in phrase and "#" not in phrase)  # field=value facts are not text
        for pos in parse_phrase(phrase)
        for word in pos.words
        if normalise(word) != word
    }
    assert dead == {}


def test_every_phrase_written_out_reads_its_concept() -> None:
    """Each concept phrase, written out so every alternative of every position is used once,
    reads its concept as a narrative of its own. A phrase the normaliser rewrites as a whole
    ("gone grey" -> "grey", "spark out" -> "unconscious", "has gone quiet" -> "quiet") or that
    holds its own negation ("breath test negative") is valid in the phrase language and still
    never matches; before this check "his lips have gone blue" and "32 weeks pregnant, the baby
    has gone quiet" raised no flag for that reason (twenty-first session, 2026-12-04)."""
    from triage.rules.engine import _compiled, _present_concepts

    comp = _compiled()
    dead: list[tuple[str, str, str]] = []
    read = 0
    for concept, phrases in CONCEPTS.items():
        for phrase in phrases:
            if "=" in phrase and "#" not in phrase:  # a structured fact, not text
                continue
            for wording in written_out(parse_phrase(phrase)):
                read += 1
                if concept not in _present_concepts(TriageRequest(narrative=wording), comp):
                    dead.append((concept, phrase, wording))
    assert read > 15_000
    assert dead == []


def test_every_clause_fires_on_its_concepts_own_words() -> None:
    """Each concept of each group of each flag clause, written out (its first text phrase's first
    wording) beside the other groups' first concepts, one sentence each, raises the flag: no
    clause is dead because a guard, the normaliser or a negation word in one concept's own
    words stops another (1,388 narratives on the tables of 2026-12-04)."""

    def wording(concept: str) -> str | None:
        for phrase in CONCEPTS.get(concept, ()):
            if not ("=" in phrase and "#" not in phrase):
                return written_out(parse_phrase(phrase))[0]
        return None

    dead: list[tuple[str, str, str]] = []
    read = 0
    for rule in RULES:
        for spec in rule.when:
            clause = Clause.parse(spec)
            base = [next((w for c in g if (w := wording(c))), None) for g in clause.all_of]
            if None in base:  # a group of structured facts only
                continue
            for i, group in enumerate(clause.all_of):
                for concept in group:
                    if (w := wording(concept)) is None:
                        continue
                    text = ". ".join([*base[:i], w, *base[i + 1:]]) + "."  # type: ignore[list-item]
                    read += 1
                    if rule.name not in flags(text):
                        dead.append((rule.name, spec, text))
    assert read > 1_000
    assert dead == []


def test_every_guard_written_out_masks() -> None:
    """Each guard phrase, written out the same way, is found as a guard in its own words: a
    guard the normaliser rewrites would silently stop protecting its look-alike."""
    from triage.rules.engine import _compiled
    from triage.text.negation import analyse

    comp = _compiled()
    dead: list[tuple[str, str]] = []
    for phrase in MASKS:
        for wording in written_out(parse_phrase(phrase)):
            a = analyse(normalise(wording))
            kept = [i for i, w in enumerate(a.words) if w not in comp.fillers]
            words = [comp.bare_clitics.get(without_clitic(a.words[i]), without_clitic(a.words[i]))
                     for i in kept]
            breaks = [a.breaks[i] for i in kept]
            if not any(c in comp.guard_blocks for c, _, _ in comp.matcher.matches(words, breaks)):
                dead.append((phrase, wording))
    assert dead == []


def test_no_phrase_reaches_into_a_guard_through_a_leading_optional_word() -> None:
    """The matcher drops a phrase's leading optional positions (they never decide whether the
    rest is present), so "[blood] pressure [is] #<=90" is "pressure [is] #<=90", which can never
    hold the guard "blood pressure" whole, and the guard drops it: "her blood pressure is 80"
    read nothing. A phrase meant to read through a guard names the guard's words whole."""
    firsts: dict[tuple[str, str], str] = {}
    for guard in MASKS:
        gpos = parse_phrase(guard)
        if len(gpos) > 1:
            firsts.update({(a, b): guard for a in gpos[0].words for b in gpos[1].words})
    reaching = [
        (concept, phrase, firsts[(a, b)])
        for concept, phrases in CONCEPTS.items()
        for phrase in phrases
        if not ("=" in phrase and "#" not in phrase)
        for pos in [parse_phrase(phrase)]
        if len(pos) > 1 and pos[0].optional
        for a in pos[0].words
        for b in pos[1].words
        if (a, b) in firsts
    ]
    assert reaching == []


def test_written_out_uses_every_alternative_and_numbers_in_range() -> None:
    assert written_out(parse_phrase("lips have|are [gone|turned] blue|grey")) == [
        "lips are gone blue", "lips have turned grey", "lips are blue"]
    assert written_out(parse_phrase("temp #>38")) == ["temp 39"]
    assert written_out(parse_phrase("sugar #<3 [*]")) == ["sugar 2 it", "sugar 2"]
    assert written_out(parse_phrase("bm #0.5-0.9")) == ["bm 0.5"]


def test_a_phrase_holding_its_own_negation_reads_as_written() -> None:
    """"negative" negates the words before it; in "breath test negative" it is the phrase's
    own word, so the phrase (no drink on the breath) reads, while a negation from outside a
    phrase still stops it."""
    assert_reads_concept("no_drink_smell", "head injury, breath test negative, confused")
    assert "head_injury" not in flags("no head injury, breath test negative")


def test_gone_blue_reads_as_written() -> None:
    """"gone blue" was rewritten to "blue" before the rules read it, so every phrase written
    with it ("lips have gone blue", "going|turning|gone blue") was dead: a man who "collapsed
    and has gone blue" raised no flag. The rewrite is gone. Its look-alike, lips "gone blue" from
    a blue raspberry slushie, is flagged and accepted (over-triage, as "lips blue" already was)."""
    for narrative in ("his lips have gone blue", "collapsed and gone blue", "baby gone blue",
                      "his lips have gone grey and he is wheezing"):
        assert "not_breathing" in flags(narrative), narrative
    assert "pregnancy_danger" in flags("she is 32 weeks pregnant, the baby has gone quiet")


def test_synthetic_red_flag_wordings_fire_their_rule() -> None:
    """Every wording the synthetic generator treats as a red flag (deploy at 0.99) fires the rule
    it names: the generator and the rules agree on what is time-critical."""
    checked = 0
    missed: list[tuple[str, str, list[str]]] = []
    for variant in VARIANTS:
        groups = [(variant.red_flag, variant.core)] + [
            (option.red_flag, option.texts) for group in variant.mods for option in group
        ]
        for name, texts in groups:
            if name is None:
                continue
            assert name in rule_names(), (variant.key, name)
            wordings = {
                text
                for template in texts
                for sex in (0, 1)
                for text in expand(with_pronouns(template, sex))[:3]
            }
            for text in sorted(wordings):
                checked += 1
                fired = [f.name for f in detect_red_flags(TriageRequest(narrative=text))]
                if name not in fired:
                    missed.append((name, text, fired))
    assert checked > 200
    assert missed == []


def test_rule_names_cover_every_red_flag_of_the_spec() -> None:
    assert rule_names() == EXPECTED_NAMES
    assert len(set(rule_names())) == len(RULES)


def test_every_rule_has_a_reason_a_handler_can_read() -> None:
    for rule in RULES:
        assert rule.reason.endswith("."), rule.name
        assert len(rule.reason) > 30, rule.name


def test_the_tables_compile_and_every_reference_resolves() -> None:
    rules_mod._compiled.cache_clear()
    rules_mod.compile_rules()
    assert rules_mod._compiled.cache_info().currsize == 1
    comp = rules_mod._compiled()
    assert [r.name for r, _ in comp.rules] == list(EXPECTED_NAMES)


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("", "Empty phrase"),
        ("[chest pain", "Unbalanced brackets"),
        ("chest||pain", "Empty alternative"),
        ("#>>3 tablets", "Bad number position"),
        ("* chest pain", "may not start with the wildcard"),
        ("[very] * chest", "may not start with the wildcard"),
        ("[very] [bad]", "only optional positions"),
    ],
)
def test_malformed_phrases_are_refused_with_a_clear_error(phrase: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        compile_phrase(phrase)


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("really * chest", "would start with '\\*' once fillers are skipped"),
        ("really very", "nothing but filler words"),
    ],
)
def test_a_phrase_that_only_fillers_keep_from_a_bad_start_is_refused(
    phrase: str, message: str
) -> None:
    """The matcher skips filler words, so a phrase is checked again without them."""
    with pytest.raises(ValueError, match=message):
        without_fillers(parse_phrase(phrase), frozenset({"really", "very"}), phrase)


def _same_trie(a: matcher_mod.Node, b: matcher_mod.Node, path: tuple[object, ...] = ()) -> None:
    """Fail naming the first word path where two tries differ (edges in order, concepts)."""
    assert list(a.children) == list(b.children), f"children differ after {path}"
    assert [n for n, _ in a.nums] == [n for n, _ in b.nums], f"numbers differ after {path}"
    assert (a.any is None) == (b.any is None), f"wildcard differs after {path}"
    assert a.concepts == b.concepts, f"concepts differ after {path}"
    for word, child in a.children.items():
        _same_trie(child, b.children[word], (*path, word))
    for (num, child), (_, other) in zip(a.nums, b.nums, strict=True):
        _same_trie(child, other, (*path, num))
    if a.any is not None and b.any is not None:
        _same_trie(a.any, b.any, (*path, "*"))


@pytest.mark.parametrize(
    "phrase",
    ["[a] #>=2 [*] b|c", "x [y] [z]", "a|b [#<3] c|d [e|f]", "p * q", "m [n] # o"],
)
def test_adding_positions_depth_first_equals_adding_every_expansion(phrase: str) -> None:
    """Leading and trailing optional positions, numbers and wildcards, which the shipped
    tables' build (after ``Matcher.add`` strips leading optional positions) may not reach."""
    positions = parse_phrase(phrase)
    fast, slow = matcher_mod.Node(), matcher_mod.Node()
    deepest = fast.add_positions(positions, "c")
    expansions = rule_phrases.expand(positions)
    for seq in expansions:
        slow.add(seq, "c")
    assert deepest == max(len(seq) for seq in expansions)
    _same_trie(fast, slow)
    assert fast.concepts == []  # no empty expansion lands on the root


def test_the_trie_built_depth_first_is_the_trie_of_every_expansion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shipped tables' trie, built depth first at start-up, equals the one built by adding
    each of :func:`expand`'s word sequences from the root (the build it replaced): the same
    edges in the same order, the same concepts at every node, the same depth."""
    fast = rules_mod.compile_tables(rule_tables.tables()).matcher

    def every_expansion(
        node: matcher_mod.Node, positions: tuple[Any, ...], concept: str
    ) -> int:
        deepest = 0
        for seq in rule_phrases.expand(positions):
            node.add(seq, concept)
            deepest = max(deepest, len(seq))
        return deepest

    monkeypatch.setattr(matcher_mod.Node, "add_positions", every_expansion)
    slow = rules_mod.compile_tables(rule_tables.tables()).matcher
    assert fast.depth == slow.depth > 1
    assert len(fast.root.children) > 1000  # the real tables, not an empty trie
    _same_trie(fast.root, slow.root)
    assert fast.long_next == slow.long_next
    assert fast.by_number == slow.by_number


@pytest.mark.parametrize("expand_limit", [0, 256], ids=["walked", "trie"])
def test_numbers_and_wildcards_in_phrases(
    monkeypatch: pytest.MonkeyPatch, expand_limit: int
) -> None:
    """Both matchers (expanded trie, position walk for long phrases) read phrases alike."""
    monkeypatch.setattr(matcher_mod, "EXPAND_LIMIT", expand_limit)

    def hit(phrase: str, text: str) -> bool:
        matcher = matcher_mod.Matcher()
        matcher.add(phrase, "c")
        a = rules_mod.analyse(rules_mod.normalise(text))
        return bool(matcher.matches(a.words, a.breaks))

    assert hit("#>=10 tablets", "took 12 tablets")
    assert hit("#>=10 tablets", "took twenty tablets")
    assert not hit("#>=10 tablets", "took 4 tablets")
    assert hit("gcs #<=8", "GCS of 3/15")
    assert hit("#20-36 weeks", "26 wks")
    assert not hit("#20-36 weeks", "38 weeks")
    assert not hit("gcs #<=8", "GCS 14")
    assert hit("pain * arm", "pain down arm")
    assert hit("fell [*] metres", "fell three metres")
    # a phrase never runs across clause punctuation
    assert not hit("chest pain", "chest. pain")
    # optional positions, at the start too
    assert hit("[very] [very] cold", "cold")
    assert hit("[very] [very] cold", "very very cold")
    assert hit("[about] #>=2 metres", "about 3 metres")
    # the walk's look at the word after the first (which ends most long phrases' walks) takes
    # the optional positions after it into account, and a phrase that may end at its first word
    assert hit("pain [going] [down] arm", "pain arm")
    assert hit("pain [going] [down] arm", "pain down arm")
    assert hit("pain [going] [down] arm", "pain going down arm")
    assert not hit("pain [going] [down] arm", "pain going up arm")
    assert not hit("pain [going] [down] arm", "pain. arm")
    assert hit("gasping [for] [air]", "he is gasping")
    assert hit("gasping [for] [air]", "gasping.")
    assert not hit("gasping for air", "gasping")
    assert hit("pain [going] # arm", "pain 2 arm")


def test_phrase_language_expands_alternatives_and_optionals() -> None:
    seqs = {tuple(s) for s in compile_phrase("radiating to [his|her] left|right arm")}
    assert ("radiating", "to", "left", "arm") in seqs
    assert ("radiating", "to", "her", "right", "arm") in seqs
    assert len(seqs) == 6


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (("no_such_concept",), "neither a concept nor a field=value fact"),
        (("chest_pain & breathing=purple",), "neither a concept nor a field=value fact"),
    ],
)
def test_a_rule_naming_an_unknown_concept_is_refused(when: tuple[str, ...], message: str) -> None:
    t = rules_mod.tables()
    bad = (*t.rules, RuleSpec("broken", "A rule that names nothing real.", when=when))
    with pytest.raises(ValueError, match=message):
        rules_mod.compile_tables(dataclasses.replace(t, rules=bad))


def test_a_concept_naming_an_unknown_fact_is_refused() -> None:
    t = rules_mod.tables()
    bad = dict(t.concepts)
    bad["chest_pain"] = (*t.concepts["chest_pain"], "incident_type=heart_attack")
    with pytest.raises(ValueError, match="not a field=value of the request schema"):
        rules_mod.compile_tables(dataclasses.replace(t, concepts=bad))


def test_the_tables_are_data_files_with_a_reason_and_source_for_every_entry() -> None:
    t = rules_mod.load_tables()
    assert set(t.concepts) == set(t.concept_notes)
    assert len(t.masks) == len(t.mask_notes)
    for note in (*t.concept_notes.values(), *t.mask_notes):
        assert note.why and note.source
    for rule in t.rules:
        assert rule.reason and rule.source
    assert t == rules_mod.tables()


#: Guard 2's ``blocks`` line as guards.toml spells it (the malformed-table cases edit it).
_GUARD_2_BLOCKS = (
    'blocks = ["death_doubted", "glass_test", "impaling_object", "penetrating", '
    '"person_named_in_need", "weapon_to_body", "weapon_to_self"]'
)
#: ... and both of its lists (the cases that edit ``lets_through`` replace them together).
_GUARD_2_LISTS = _GUARD_2_BLOCKS + (
    '\nlets_through = ["eye_projectile", "glass_named", "not_white_under_glass", "sepsis_sign"]'
)


@pytest.mark.parametrize(
    ("file", "edit", "message"),
    [
        ("concepts.toml", ('why = "Absent breathing', 'whyy = "Absent breathing'),
         r"concepts.toml \[concept.not_breathing\]: unknown key"),
        (
            "guards.toml",
            ("why = \"A drink, not a shooting (spec guard 'a shot of whisky').\"", 'why = " "'),
            r"guards.toml guard 2: 'why' must be",
        ),
        ("flags.toml", ('name = "stroke"\nreason', 'name = "stroke"\nreasons'),
         r"flags.toml flag 'stroke': unknown key"),
        ("flags.toml", ("[[flag]]", "[[flag]"), r"flags.toml: not valid UTF-8 TOML"),
        ("guards.toml", (_GUARD_2_BLOCKS + "\n", ""),
         r"guards.toml guard 2: 'blocks' must be a list of non-empty strings. Got None"),
        ("guards.toml", (_GUARD_2_BLOCKS, "blocks = []"),
         r"guards.toml guard 2: 'blocks' must be a list of non-empty strings. Got \[\]"),
        ("guards.toml", (_GUARD_2_BLOCKS, 'blocks = ["impaling_object", "penetratin"]'),
         r"guards.toml guard 2: 'blocks' names concepts that concepts.toml does not define. "
         r"Got \['penetratin'\]"),
        ("guards.toml", (_GUARD_2_BLOCKS, 'blocks = ["penetrating", "penetrating"]'),
         r"guards.toml guard 2: 'blocks' lists a concept more than once. Got \['penetrating'\]"),
        ("guards.toml",
         (_GUARD_2_LISTS, 'blocks = ["penetrating"]\nlets_through = ["penetrating"]'),
         r"guards.toml guard 2: a concept cannot be both blocked and let through. "
         r"Got \['penetrating'\]"),
        ("guards.toml", (_GUARD_2_LISTS, 'blocks = ["penetrating"]\nlets_through = ["shot"]'),
         r"guards.toml guard 2: 'lets_through' names concepts that concepts.toml does not define"),
        ("guards.toml", (_GUARD_2_LISTS, 'blocks = ["penetrating"]\nlets_through = ["x", "x"]'),
         r"guards.toml guard 2: 'lets_through' lists a concept more than once"),
        ("guards.toml",
         (_GUARD_2_LISTS, 'blocks = ["penetrating"]\nlets_through = "penetrating"'),
         r"guards.toml guard 2: 'lets_through' must be a list of non-empty strings"),
        ("flags.toml",
         ('"unconscious & @unconscious_dangers"', '"unconscious & @unconcious_dangers"'),
         r"flags.toml flag 'unconscious': the clause 'unconscious & @unconcious_dangers' names "
         r"the list '@unconcious_dangers', which flags.toml does not define"),
        ("flags.toml", ('concepts = [\n    "head_injury", ', 'concepts = [\n    "head_injry", '),
         r"flags.toml \[list.unconscious_dangers\]: names concepts that concepts.toml does not "
         r"define. Got \['head_injry'\]"),
        ("flags.toml", ('concepts = [\n    "head_injury", ', 'concepts = [\n    "blow", '),
         r"flags.toml \[list.unconscious_dangers\]: lists a concept more than once. "
         r"Got \['blow'\]"),
        ("flags.toml", ("[list.unconscious_dangers]\nwhy", "[list.unconscious_dangers]\nwho"),
         r"flags.toml \[list.unconscious_dangers\]: unknown key"),
    ],
)
def test_a_malformed_table_file_is_refused_naming_file_and_entry(
    red_flag_tables: Path, file: str, edit: tuple[str, str], message: str
) -> None:
    folder = red_flag_tables
    text = (folder / file).read_text(encoding="utf-8")
    assert edit[0] in text
    (folder / file).write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(rules_mod.TableError, match=message):
        rules_mod.load_tables(folder)


def test_a_named_list_no_clause_names_is_refused(red_flag_tables: Path) -> None:
    folder = red_flag_tables
    with (folder / "flags.toml").open("a", encoding="utf-8") as f:
        f.write('\n[list.spare]\nwhy = "unused"\nsource = "a test"\nconcepts = ["blow"]\n')
    with pytest.raises(rules_mod.TableError, match=r"\[list.spare\] is named by no clause"):
        rules_mod.load_tables(folder)


def test_a_named_list_reads_as_its_concepts_written_out(red_flag_tables: Path) -> None:
    """``@NAME`` is the list's concepts as alternatives, in a group of its own or beside others,
    and after ``!``."""
    folder = red_flag_tables
    text = (folder / "flags.toml").read_text(encoding="utf-8")
    text = text.replace('"unconscious & @unconscious_dangers"',
                        '"unconscious & fever|@unconscious_dangers & !@spare"', 1)
    text += ('\n[list.spare]\nwhy = "a test"\nsource = "a test"\n'
             'concepts = ["asthma_copd", "epipen"]\n')
    (folder / "flags.toml").write_text(text, encoding="utf-8")
    rule = next(r for r in rules_mod.load_tables(folder).rules if r.name == "unconscious")
    dangers = next(c for c in rules_mod.tables().rules if c.name == "unconscious").when[2]
    assert dangers.startswith("unconscious & head_injury|blow|")
    assert rule.when[2] == ("unconscious & fever|" + dangers.split(" & ")[1]
                            + " & !asthma_copd|epipen")


def test_a_missing_table_file_is_refused(red_flag_tables: Path) -> None:
    folder = red_flag_tables
    (folder / "guards.toml").unlink()
    with pytest.raises(rules_mod.TableError, match=r"guards\.toml: the red-flag table cannot"):
        rules_mod.load_tables(folder)


def test_clause_parsing() -> None:
    c = Clause.parse("a|b & c & !d|e")
    assert c.all_of == (("a", "b"), ("c",))
    assert c.none_of == ("d", "e")
    with pytest.raises(ValueError, match="at least one positive group"):
        Clause.parse("!a")
    with pytest.raises(ValueError, match="Empty group"):
        Clause.parse("a & ")


def test_detect_red_flags_needs_a_request() -> None:
    with pytest.raises(TypeError, match=r"needs a TriageRequest\. Got dict"):
        detect_red_flags({"narrative": "not breathing"})  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Positive cases: several wordings per flag, abbreviations and misspellings included
# --------------------------------------------------------------------------------------------

POSITIVE: list[tuple[str, str]] = [
    ("not_breathing", "Male collapsed in the street, NOT BREATHING, PC doing CPR"),
    ("not_breathing", "pt NB, officers have started chest compressions"),
    ("not_breathing", "wife says he has stopped breathing"),
    ("not_breathing", "not breathin, no pulse"),
    ("not_breathing", "agonal breathing, gasping every few seconds"),
    ("not_breathing", "struggling to breathe and cant complete sentences"),
    ("not_breathing", "lips going blue, breathing very shallow"),
    ("not_breathing", "IP has DIB, very SOB"),
    ("not_breathing", "severe asthma attack, can only say a few words"),
    ("not_breathing", "no signs of breathing, police on scene"),
    ("unconscious", "female unconcious on the bathroom floor"),
    ("unconscious", "IP unresponsive to voice and pain"),
    ("unconscious", "GCS 6, snoring"),
    ("unconscious", "GCS of 8/15"),
    ("unconscious", "cant wake him, he is out cold"),
    ("unconscious", "drifting in and out of consciousness"),
    ("unconscious", "will not wake up"),
    ("unconscious", "no LOC and unresponsive"),
    ("cardiac_chest_pain", "central chest pain radiating to his left arm, sweaty"),
    ("cardiac_chest_pain", "crushing CP, grey and clammy"),
    ("cardiac_chest_pain", "chest pain going down her arm, feels sick"),
    ("cardiac_chest_pain", "chest pain, had a heart attack 2 years ago, has stents"),
    ("cardiac_chest_pain", "tight chest, hx of angina, GTN not helping"),
    ("cardiac_chest_pain", "clutching his chest, says it feels like a band round it, clamy"),
    ("cardiac_chest_pain", "thinks he is having a heart attack"),
    ("severe_bleeding", "blood pumping from a cut to his thigh"),
    ("severe_bleeding", "arterial bleed from wrist"),
    ("severe_bleeding", "bleeding won't stop, soaked through 3 towels"),
    ("severe_bleeding", "bleeding heavily from head wound"),
    ("severe_bleeding", "glassed in face, lot of blood, not stopping"),
    ("severe_bleeding", "large pool of blood next to him, tourniquet applied"),
    ("penetrating_injury", "male stabbed in the chest"),
    ("penetrating_injury", "stab wound to abdo"),
    ("penetrating_injury", "GSW to leg"),
    ("penetrating_injury", "Male shot, caller hung up"),
    ("penetrating_injury", "knife still in his back"),
    ("penetrating_injury", "impaled on railings"),
    ("penetrating_injury", "staabbed outside the pub"),
    ("penetrating_injury", "reports of a stabbing outside the chip shop"),
    ("penetrating_injury", "glassed in the neck"),
    ("stroke", "face drooping on one side and cant lift her right arm"),
    ("stroke", "FAST +ve"),
    ("stroke", "slurred speech, no alcohol, sudden onset"),
    ("stroke", "suddenly couldnt get his words out, right hand clumsy"),
    ("stroke", "wife thinks he is having a stroke"),
    ("stroke", "left sided weakness came on an hour ago"),
    ("anaphylaxis", "known nut allergy, tongue swollen"),
    ("anaphylaxis", "anaphylactic reaction to a wasp sting"),
    ("anaphylaxis", "used her epipen, still wheezing badly and struggling to breathe"),
    ("anaphylaxis", "allergic reaction, face swollen, noisy breathing"),
    ("anaphylaxis", "throat closing up after eating prawns"),
    ("seizure", "fitting for over 5 mins"),
    ("seizure", "has been fitting for 10 minutes now"),
    ("seizure", "male fitting in the street"),
    ("seizure", "second fit in an hour"),
    ("seizure", "3 fits in the last hour"),
    ("seizure", "had a fit, never had one before"),
    ("seizure", "first ever seizure, now drowsy"),
    ("seizure", "had a seizure, no history of epilepsy"),
    ("seizure", "known epileptic, fits back to back"),
    ("seizure", "in status epilepticus"),
    ("seizure", "seizing, wont stop fitting"),
    ("significant_overdose", "swallowed 60 co-codamol"),
    ("significant_overdose", "OD 32 paracetamol 2 hrs ago"),
    ("significant_overdose", "took a whole packet of paracetamol"),
    ("significant_overdose", "taken all her tablets"),
    ("significant_overdose", "overdose of amitriptyline"),
    ("significant_overdose", "took an OD, now drowsy"),
    ("significant_overdose", "took thirty tablets"),
    ("significant_overdose", "swallowed 20 x 500mg paracetemol"),
    ("significant_overdose", "took tricyclics, OD"),
    ("significant_overdose", "overdosed on amitriptyline"),
    ("head_injury", "hit his head, knocked out for a minute"),
    ("head_injury", "head injury with LOC"),
    ("head_injury", "fell and hit her head, on warfarin"),
    ("head_injury", "HI, on anticoags"),
    ("head_injury", "lac to head, takes apixaban"),
    ("head_injury", "bumped head on the kerb, on blood thinners"),
    ("head_injury", "kicked in the head, was KO'd"),
    ("head_injury", "punched and knocked out for a couple of mins"),
    ("head_injury", "head injury, now drowsy and one pupil bigger than the other"),
    ("head_injury", "drunk, fell and hit head, vomited x2"),
    ("head_injury", "head injury, been sick x 3"),
    ("head_injury", "bang to the head, vomited 2x since"),
    ("major_trauma", "RTC, driver trapped in the car"),
    ("major_trauma", "car v tree at 70mph"),
    ("major_trauma", "high speed collision on the motorway"),
    ("major_trauma", "ejected from the vehicle"),
    ("major_trauma", "fell from a first floor window"),
    ("major_trauma", "fell approx 4 metres off scaffolding"),
    ("major_trauma", "fell 15ft from a ladder"),
    ("major_trauma", "pedestrian hit by car at speed"),
    ("major_trauma", "came off his motorbike"),
    ("major_trauma", "car rolled over onto its roof"),
    ("major_trauma", "HGV v car, car crushed, occupant trapped"),
    ("labour_complications", "in labour, can see the cord"),
    ("labour_complications", "contractions every 2 mins, baby is breech"),
    ("labour_complications", "30 wks pregnant, contractions every 3 mins"),
    ("labour_complications", "gave birth in the toilets, baby not breathing"),
    ("labour_complications", "pregnant, bleeding heavily from down below"),
    ("labour_complications", "in labour, premature, 28 weeks"),
    ("labour_complications", "waters broken, baby crowning, 26 wks"),
    ("sepsis_meningitis", "rash that doesn't fade under a glass"),
    ("sepsis_meningitis", "non-blanching rash on his legs"),
    ("sepsis_meningitis", "purple rash, high temp"),
    ("sepsis_meningitis", "stiff neck and a fever"),
    ("sepsis_meningitis", "neck stiffness, dislikes light, rash"),
    ("sepsis_meningitis", "skin mottled, very hot"),
    ("sepsis_meningitis", "temp high, now confused"),
    ("sepsis_meningitis", "nurse thinks he is septic"),
    ("thunderclap_headache", "worst headache of her life"),
    ("thunderclap_headache", "sudden severe headache like being hit on the back of the head"),
    ("thunderclap_headache", "thunderclap headache"),
    ("thunderclap_headache", "says it's the worst ever headache"),
    ("strangulation", "strangled by partner, passed out"),
    ("strangulation", "choked until she blacked out"),
    ("strangulation", "hands round her neck, now hoarse"),
    ("strangulation", "grabbed by throat, voice changed and hurts to swallow"),
    ("strangulation", "found hanging, cut down by officers"),
    ("strangulation", "put in a chokehold and lost consciousness"),
    ("strangulation", "passed out when strangled"),
    ("hypoglycaemia", "diabetic, BM 2.1, confused"),
    ("hypoglycaemia", "known hypo, drowsy"),
    ("hypoglycaemia", "T2DM and not making sense"),
    ("hypoglycaemia", "blood sugar low, aggressive and sweating"),
    ("hypoglycaemia", "insulin dependent diabetic, very drowsy"),
    ("airway_burns", "house fire, soot around his mouth"),
    ("airway_burns", "singed nasal hair after the fire"),
    ("airway_burns", "smoke inhalation, now hoarse"),
    ("airway_burns", "pulled from a fire, stridor"),
    ("airway_burns", "flame went in his face, burnt lips"),
    ("airway_burns", "hoarse after the fire"),
    ("hypothermia", "found outside in the cold, confused"),
    ("hypothermia", "elderly lady in garden overnight, cold and mumbling"),
    ("hypothermia", "very cold to touch, drowsy"),
    ("hypothermia", "pulled out of the canal, confused and shivering"),
    ("hypothermia", "frost on the grass, barely responding"),
    ("death_not_certain", "found dead in bed by her son, still warm"),
    ("death_not_certain", "officer thinks deceased but not sure"),
    ("death_not_certain", "believed to be dead, no obvious injuries"),
    ("death_not_certain", "sudden death, body found in the flat"),
    ("death_not_certain", "collapsed, not breathing, no obvious signs of death"),
    ("death_not_certain", "found dead, no signs of decomposition"),
    # second edition: presentations in lay words, slang, abbreviations and misspellings
    ("cardiac_chest_pain", "his chest is really tight and the pain is going down his left arm"),
    ("cardiac_chest_pain", "dad says it feels like an elephant is sat on his chest, gone grey"),
    ("cardiac_chest_pain", "heavy pressure in the middle of his chest, feels sick, had stents"),
    ("cardiac_chest_pain", "chest had been tight since the van, now going into his jaw, sweaty"),
    ("unconscious", "earlier no LOC but now not responing at all"),
    ("falling_consciousness", "drunk detainee, GCS was 14 now 10, snoring"),
    ("falling_consciousness", "s136, took tablets, getting sleepier, keeps nodding off"),
    ("falling_consciousness", "hard to wake, cannot keep her eyes open"),
    ("falling_consciousness", "gcs dropped to 11 over the last hour"),
    ("falling_consciousness", "now all muddled and dozy"),
    ("pregnancy_danger", "34 weeks pregnant, worst headache, seeing flashing lights, face swollen"),
    ("pregnancy_danger", "shes 32/40 and has bad pains in her tummy"),
    ("pregnancy_danger", "had a baby 2 weeks ago, now bleeding heavily and feels faint"),
    ("pregnancy_danger", "pregnant woman had a fit in the cell"),
    ("corrosive_or_face_burn", "acid thrown in her face, eyes burning"),
    ("corrosive_or_face_burn", "bleach sprayed in his eyes during a row"),
    ("corrosive_or_face_burn", "toddler has drain cleaner in her mouth"),
    ("corrosive_or_face_burn", "petrol flare, face burnt, eyebrows singed"),
    ("injury_with_shock", "kicked in the stomach repeatedly, now pale, cold and clammy"),
    ("injury_with_shock", "boy 8, handlebar went into his tummy, now pale and quiet"),
    ("injury_with_shock", "fell off a ladder, feels like hes going to pass out"),
    ("injury_with_shock", "RTC driver grey and clammy, says feels faint"),
    ("self_harm_danger", "holding a kitchen knife to his own throat, says he is going to do it"),
    ("self_harm_danger", "has cut her wrists, cuts that are bleeding"),
    ("self_harm_danger", "tied a belt round his neck in the cell"),
    ("self_harm_danger", "found with a ligature, now removed"),
    ("swallowed_drugs", "swallowed a bag of white powder when stopped, now sweating, heart racing"),
    ("swallowed_drugs", "DP ate his wraps before arrest, now vomiting"),
    ("swallowed_drugs", "body packer in custody, jittery and agitated"),
    ("swallowed_drugs", "swallowed the drugs when officers arrived, says chest pain"),
    ("asthma_not_relieved", "asthma attack, blue inhaler not helping, can only say a few words"),
    ("asthma_not_relieved", "girl 12 asthma, puffer doing nothing, wheezin"),
    ("asthma_not_relieved", "COPD, cannot get his breath even sitting still, inhalers not working"),
    ("asthma_not_relieved", "asthmatic, exhausted, wheeze getting worse"),
    ("after_restraint", "restrained prone by 3 officers, now suddenly quiet"),
    ("after_restraint", "spit hood on, says he cannot breathe"),
    ("after_restraint", "tasered and cuffed, gone limp"),
    ("after_restraint", "extremely agitated, boiling hot, ripped his clothes off"),
    ("infant_fever_or_floppy", "baby 6 weeks old, temperature 38.5"),
    ("infant_fever_or_floppy", "2 month old temp 38.2, not feeding"),
    ("infant_fever_or_floppy", "toddler gone floppy and blotchy"),
    ("infant_fever_or_floppy", "newborn feels hot and feverish"),
    (
        "pulmonary_embolism_signs",
        "sudden breathlessness, sharp pain when breathing in, back from a long flight",
    ),
    ("pulmonary_embolism_signs", "short of breath, two weeks after a knee operation"),
    ("pulmonary_embolism_signs", "pain on taking a deep breath, leg swollen"),
    ("pulmonary_embolism_signs", "out of breath since her hip replacement, calf swollen"),
    # beyond the spec, found missing by suite F (2026-12-02)
    ("long_lie", "91 year old man, on the floor since last night, talking, cannot get up"),
    ("long_lie", "fell in the kitchen, been on the floor for 3 hours, chatting"),
    ("long_lie", "she's been lying there all night, a bit cold"),
    ("long_lie", "elderly lady, long lie after a fall, no head injury"),
    ("limb_deformity", "slipped on ice, ankle deformed, foot warm, cannot weight bear"),
    ("limb_deformity", "fell off a ladder, his leg is at a funny angle"),
    ("limb_deformity", "bone sticking out of his shin"),
    ("limb_deformity", "her wrist is bent the wrong way after the fall"),
    ("long_lie", "slipped in the bathroom last night and could not get up"),
    ("limb_deformity", "wrist looks like a dinner fork"),
    ("limb_deformity", "fell in the kitchen, her leg looks shorter and the foot is turned out"),
    # beyond the spec, found missing by suite G (2026-12-02)
    ("cauda_equina", "bad back for a week, now numb down below when she wipes"),
    ("cauda_equina", "back pain, both legs numb and weak, has not passed water since this morning"),
    ("cauda_equina", "sciatica, now numbness around his bottom"),
    ("cauda_equina", "saddle numbness and wet himself"),
    # beyond the spec, from suite H (2026-12-02)
    ("kawasaki_signs", "boy 2, fever for 6 days, eyes very red, lips cracked"),
    ("kawasaki_signs", "toddler temperature for 5 days, strawberry tongue, peeling fingertips"),
    ("kawasaki_signs", "child with a fever for 7 days and red eyes, hands and feet swollen"),
    ("kawasaki_signs", "son 3 high temperature for 5 days, cracked red lips"),
    ("intussusception_signs", "baby with red jelly in his nappy"),
    ("intussusception_signs", "9 month old keeps pulling his knees up screaming, vomiting"),
    ("intussusception_signs", "toddler poo like redcurrant jelly"),
    ("intussusception_signs", "baby drawing her legs up in pain and being sick"),
    ("delirium_tremens", "heavy drinker in custody day 3, shaking, sweating, seeing things"),
    ("delirium_tremens", "alcoholic withdrawing, hallucinating insects crawling, temp 38.5"),
    ("delirium_tremens", "drinks two bottles of vodka a day, now hallucinating and confused"),
    ("delirium_tremens", "detox day 2, seeing spiders on the wall, racing heart"),
    ("airway_threat", "cannot swallow his own spit, drooling"),
    ("airway_threat", "voice like a hot potato, sore throat"),
    ("airway_threat", "drooling and voice hoarse after biting a dishwasher tablet"),
    ("airway_threat", "sitting bolt upright leaning forward, cannot swallow saliva"),
    ("bowel_obstruction", "not passing wind, belly swollen like a drum"),
    ("bowel_obstruction", "vomit smells like poo"),
    ("bowel_obstruction", "not opened his bowels for 5 days, tummy distended and vomiting"),
    ("bowel_obstruction", "not passed wind for two days, being sick"),
    ("infant_dehydration", "baby's soft spot is sunken"),
    ("infant_dehydration", "4 month old no wet nappy for 12 hours, vomiting"),
    ("infant_dehydration", "baby with diarrhoea and vomiting, no wet nappies since morning"),
    ("infant_dehydration", "sunken fontanelle, not feeding"),
    ("acute_glaucoma", "painful red eye with rainbow rings round the lights"),
    ("acute_glaucoma", "pain in her left eye, sees haloes around lights, vomiting"),
    ("acute_glaucoma", "eye pain and halos, headache"),
    ("acute_glaucoma", "severe pain in his right eye, haloes round lights"),
    ("dangerous_heart_rate", "pulse is 32 and he nearly passed out"),
    ("dangerous_heart_rate", "heart rate 210, dizzy"),
    ("dangerous_heart_rate", "watch says her heart is 190, feels faint"),
    ("dangerous_heart_rate", "pulse 35, dizzy and pale"),
    ("high_early_warning_score", "NEWS 8, care home resident 91"),
    ("high_early_warning_score", "news2 score of 7 per the nurse"),
    ("high_early_warning_score", "NEWS 6 with new confusion"),
    ("high_early_warning_score", "NEWS2 5, drowsy today"),
    ("missed_dialysis", "on dialysis, missed his last two sessions, legs weak"),
    ("missed_dialysis", "missed dialysis, heart missing beats"),
    ("missed_dialysis", "haemodialysis patient missed dialysis, breathless"),
    ("missed_dialysis", "dialysis three times a week, missed his last session, "
                        "feels weak and sick"),
    ("snake_bite", "bitten by an adder on the ankle"),
    ("snake_bite", "snake bite on his hand while walking"),
    ("snake_bite", "bitten by a grey snake with a zigzag"),
    ("snake_bite", "adder bite, leg swelling"),
    ("confusion_with_headache_and_vomiting", "confused, headache and vomiting after the marathon"),
    ("confusion_with_headache_and_vomiting", "new confusion, bad headache, being sick"),
    ("confusion_with_headache_and_vomiting", "she is confused with a headache and keeps vomiting"),
    ("thyroid_storm", "overactive thyroid, stopped her carbimazole, burning up, heart racing, "
                      "talking nonsense"),
    ("thyroid_storm", "known hyperthyroid, very hot, sweating, palpitations, agitated and "
                      "shouting"),
    ("thyroid_storm", "she have the thyroid problem, the overactive one, very hot, heart going "
                      "very fast, saying strange things"),
    ("thyroid_storm", "thyrotoxicosis, temperature 39, heart racing, confused"),
    ("choking_airway", "choked on a piece of steak, can't speak, going purple"),
    ("choking_airway", "DNACPR in place, food stuck in her throat, cannot breathe"),
    ("choking_airway", "palliative, choking on a boiled sweet, lips blue"),
    ("choking_airway", "resident choked on her dinner and is now not responding"),
    ("wernicke_encephalopathy", "custody: DP is a heavy drinker, last drink 2 days ago, now "
                                "confused, unsteady walking, eyes flicking side to side"),
    ("wernicke_encephalopathy", "alcoholic, last drank three days ago, muddled, nystagmus"),
    ("wernicke_encephalopathy", "alcohol dependent, 48 hrs in the cells, eyes jerking, cannot "
                                "walk straight"),
    ("wernicke_encephalopathy", "known alcoholic, hasnt had a drink for 3 days, eyes keep "
                                "flickering, walking unsteadily"),
    ("infant_injury_suspicious", "4 month old has fingertip bruises on both upper arms and a "
                                 "bruise on cheek, not crawling yet, baby is quiet and pale"),
    ("infant_injury_suspicious", "6 week old baby with bruising on her chest, very sleepy and "
                                 "not feeding"),
    ("suspected_hip_fracture", "Elderly woman fell in the kitchen, says hip sore, can't weight "
                               "bear, otherwise ok, family ask for advice"),
    ("suspected_hip_fracture", "ELDERLY MALE FALLEN IN STREET, HIP PAIN, CAN'T WEIGHT BEAR, "
                               "TALKING, NO HEAD INJURY"),
    ("suspected_hip_fracture", "Lady 82 knocked over by a cyclist, can't stand, says her left "
                               "hip hurts"),
    ("suspected_hip_fracture", "she fell and wont put any weight on her left leg, hip very "
                               "painful"),
    ("decompression_illness", "scuba diver came up from a deep dive an hour ago, now tingling in "
                              "both legs"),
    ("decompression_illness", "after the wreck dive this morning his elbows and knees are aching "
                              "and his chest skin is marbled"),
    ("decompression_illness", "diver surfaced from a 40 metre dive, now breathless and muddled"),
    ("decompression_illness", "two hours after scuba diving she has pins and needles in her "
                              "hands and feels faint"),
    ("sickle_cell_crisis", "boy 9 with sickle cell, hot, tummy swollen and sore on the left, "
                           "pale and sleepy"),
    ("sickle_cell_crisis", "known sickle cell disease, chest pain and short of breath since this "
                           "morning"),
    ("sickle_cell_crisis", "sickle cell crisis, temperature of 38.9, pains in his legs"),
    ("sickle_cell_crisis", "daughter 4 has sickle cell anaemia, very drowsy and not herself"),
    ("low_blood_pressure", "gran is off her legs and muddled, pulse 130, her blood pressure "
                           "machine says 82/45"),
    ("low_blood_pressure", "DP fainted in the cell, BP 78/40"),
    ("low_blood_pressure", "on chemo, very drowsy today, his blood pressure is 86 over 50"),
    ("low_blood_pressure", "systolic 80, grey and sweaty"),
    ("infant_injury_suspicious", "baby not rolling yet, grip marks on his legs, vomited twice "
                                 "and floppy"),
    ("infant_injury_suspicious", "non mobile infant with bruises to both ears, drowsy"),
    ("confusion_with_headache_and_vomiting", "muddled, headache, been sick twice, not drinking "
                                             "alcohol"),
    # beyond the spec: presentations the tuned suites carried with no flag (2026-12-02)
    ("abdominal_pain_with_collapse", "tummy pain then she fainted in the toilets"),
    ("abdominal_pain_with_collapse", "severe stomach pain and collapsed at work"),
    ("abdominal_pain_with_collapse", "pain low down in her belly, passed out briefly"),
    ("abdominal_pain_with_collapse", "sudden back pain through to his tummy, collapsed in the car "
                                     "park"),
    ("testicular_torsion", "boy 14 sudden pain in his left testicle, being sick"),
    ("testicular_torsion", "teenager woke with agony in his balls, threw up"),
    ("testicular_torsion", "testicle swollen and painful, came on suddenly"),
    ("testicular_torsion", "pain in his right testicle, vomiting"),
    ("battery_or_magnet_swallowed", "toddler swallowed a button battery"),
    ("battery_or_magnet_swallowed", "boy swallowed 5 little ball magnets"),
    ("battery_or_magnet_swallowed", "put one of the car key batteries in his mouth"),
    ("battery_or_magnet_swallowed", "think she has swallowed a coin battery from the remote"),
    ("electrical_injury", "touched an overhead cable with a ladder"),
    ("electrical_injury", "electrocuted on the live rail"),
    ("electrical_injury", "electric shock from a socket, burns to his hand"),
    ("electrical_injury", "struck by lightning on the golf course"),
    ("carbon_monoxide", "co alarm going off, whole family dizzy"),
    ("carbon_monoxide", "carbon monoxide suspected in the flat, she is drowsy"),
    ("carbon_monoxide", "boiler making a funny noise, all with headaches and being sick"),
    ("carbon_monoxide", "disposable bbq lit inside the tent, headache and drowsy"),
    ("diabetic_ketoacidosis", "type 1 diabetic, breath smells of pear drops"),
    ("diabetic_ketoacidosis", "diabetic, vomiting all day and now drowsy"),
    ("diabetic_ketoacidosis", "ketones 4.2, vomiting, breathing deep and fast"),
    ("diabetic_ketoacidosis", "insulin dependent, been sick since yesterday and confused"),
    ("threatened_limb", "arm in plaster, pain through the roof, fingers white and numb"),
    ("threatened_limb", "leg suddenly painful, foot white and cold"),
    ("threatened_limb", "forearm massively swollen and tight, pain unbearable"),
    ("threatened_limb", "his foot is cold and white compared to the other, sudden pain"),
    ("adrenal_crisis", "Addison's disease, vomiting, cannot keep her hydrocortisone down"),
    ("adrenal_crisis", "has a steroid emergency card, collapsed and confused"),
    ("adrenal_crisis", "adrenal insufficiency, drowsy and being sick"),
    ("adrenal_crisis", "on hydrocortisone for Addisons, vomiting all night"),
    ("heat_stroke", "festival, collapsed, hot as an oven, talking nonsense"),
    ("heat_stroke", "marathon runner confused, stopped sweating, boiling hot to touch"),
    ("heat_stroke", "heat stroke suspected, collapsed on the pitch"),
    ("heat_stroke", "roofer in the sun all day, confused and not sweating"),
    ("dvt_signs", "calf swollen and hot after a knee operation last week"),
    ("dvt_signs", "left leg red and painful after a long flight"),
    ("dvt_signs", "her calf is swollen, she is on the pill"),
    ("dvt_signs", "leg swollen and tender in a plaster cast"),
    ("appendicitis_signs", "pain started round his belly button, moved to the bottom right"),
    ("appendicitis_signs", "pain bottom right of his tummy, vomiting, temperature"),
    ("appendicitis_signs", "severe pain right side of her tummy, fever"),
    ("appendicitis_signs", "lower right tummy pain, being sick"),
    ("hus_signs", "bloody diarrhoea, now pale and hardly any wee"),
    ("hus_signs", "child had bloody runs last week, now puffy face and not weeing"),
    ("hus_signs", "blood in his poo and no wee today"),
    ("hus_signs", "bloody diarrhoea and very pale"),
    ("thunderclap_headache", "worst hedake of her life, came on in seconds"),
    ("thunderclap_headache", "splitting headache that came on suddenly, neck hurts"),
    ("sepsis_meningitis", "bad headache, neck stiff, light hurting her eyes"),
    ("sepsis_meningitis", "high fevers, spotty rash on his wrists, aching all over"),
    ("stroke", "suddenly talking gibberish and her left arm has gone weak"),
    ("stroke", "lady 72 cannot lift her rite arm, words slurd, face droopy"),
    ("penetrating_injury", "male shanked in the stairwell, wound to his left side"),
    ("severe_bleeding", "bleeding heavy from his arm, cannot stop it, still coming thru the towel"),
    ("significant_overdose", "necked a load of pills an hour ago, now sleepy"),
    ("significant_overdose", "drank bleach, says she wants to die"),
]


@pytest.mark.parametrize(("name", "narrative"), POSITIVE)
def test_red_flag_fires_on_its_wordings(name: str, narrative: str) -> None:
    found = detect_red_flags(TriageRequest(narrative=narrative))
    names = {f.name for f in found}
    assert name in names, f"{name} not found in {narrative!r}: {names}"
    flag = next(f for f in found if f.name == name)
    assert flag.evidence.strip()
    assert flag.reason == next(r.reason for r in RULES if r.name == name)


def test_every_rule_has_at_least_four_positive_wordings() -> None:
    per = {n: sum(1 for name, _ in POSITIVE if name == n) for n in EXPECTED_NAMES}
    assert min(per.values()) >= 4, per


# --------------------------------------------------------------------------------------------
# Negated and look-alike cases that must NOT fire
# --------------------------------------------------------------------------------------------

NEGATED: list[tuple[str, str]] = [
    ("not_breathing", "breathing normally, talking in full sentences"),
    ("not_breathing", "not short of breath"),
    ("not_breathing", "no difficulty breathing"),
    ("not_breathing", "no breathing problems"),
    ("not_breathing", "c/b, walking and talking"),
    ("not_breathing", "NB: officers on scene, male drunk"),
    ("not_breathing", "n.b. caller is his wife"),
    ("not_breathing", "feels a bit short of breath, talking fine"),
    ("not_breathing", "she started to sob"),
    ("not_breathing", "denies CP/SOB"),
    ("unconscious", "conscious and alert"),
    ("unconscious", "c/b"),
    ("unconscious", "not unresponsive, talking"),
    ("unconscious", "GCS 15"),
    ("cardiac_chest_pain", "punched in the chest, chest pain when he presses on it"),
    ("cardiac_chest_pain", "denies CP"),
    ("cardiac_chest_pain", "no chest pain, not sweaty"),
    ("cardiac_chest_pain", "chest pain ruled out by GP yesterday"),
    ("cardiac_chest_pain", "sore chest from coughing"),
    ("severe_bleeding", "bleeding controlled with a dressing"),
    ("severe_bleeding", "no heavy bleeding"),
    ("severe_bleeding", "small cut, minor bleeding"),
    ("severe_bleeding", "officer down, blood everywhere. update: cut finger, bleeding controlled"),
    ("penetrating_injury", "not stabbed, just punched"),
    ("penetrating_injury", "stabbing pain in his side"),
    ("penetrating_injury", "had a shot of vodka"),
    ("penetrating_injury", "threatened with a knife, no injuries"),
    ("stroke", "FAST negative"),
    ("stroke", "no facial droop, no arm weakness"),
    ("stroke", "drunk, slurring his words, smells of ETOH"),
    ("stroke", "previous stroke 5 years ago, now fell over"),
    ("stroke", "slurred speech, been drinking all day"),
    ("anaphylaxis", "no swelling of tongue or throat"),
    ("anaphylaxis", "known allergy, no reaction, breathing fine"),
    ("anaphylaxis", "hay fever, itchy eyes"),
    ("seizure", "known epileptic, had one of his usual fits, now fully recovered"),
    ("seizure", "known epileptic, had a fit, back to normal"),
    ("seizure", "fit for custody"),
    ("seizure", "fit and well"),
    ("seizure", "no fitting"),
    ("significant_overdose", "took his amlodipine twice by mistake, feels fine"),
    ("significant_overdose", "denies taking an overdose"),
    ("significant_overdose", "took 2 paracetamol for a headache"),
    ("significant_overdose", "bought a bottle of wine"),
    ("head_injury", "no head injury"),
    ("head_injury", "hit head, no LOC, not on blood thinners"),
    ("head_injury", "bump to head, wasnt knocked out"),
    ("head_injury", "small cut to head, didnt lose consciousness, not on anticoags"),
    ("head_injury", "on warfarin, no head injury"),
    ("head_injury", "denies hitting head, takes apixaban"),
    ("head_injury", "hit head, vomited x1, no LOC"),
    ("major_trauma", "fell off a stepladder, about 3ft"),
    ("major_trauma", "child hit by car, ran into a parked car, bruised knee"),
    ("major_trauma", "van reversed very slowly into a parked car"),
    ("major_trauma", "feels trapped in his marriage"),
    ("major_trauma", "tripped on the kerb"),
    ("labour_complications", "pregnant 32 wks, no pain, no bleeding, baby moving"),
    ("labour_complications", "in labour, no complications, waters broke"),
    ("labour_complications", "contractions every 5 minutes, 39 weeks, waters broken"),
    ("sepsis_meningitis", "rash fades with the glass test, eating and drinking"),
    ("sepsis_meningitis", "temperature and a cough, eating and drinking"),
    ("sepsis_meningitis", "no rash, no stiff neck"),
    ("thunderclap_headache", "headache for 4 days, came on gradually"),
    ("thunderclap_headache", "not the worst headache of his life"),
    ("strangulation", "grabbed by throat, no loss of consciousness, voice normal"),
    ("strangulation", "denies being strangled"),
    ("hypoglycaemia", "diabetic, blood sugar fine, alert"),
    ("hypoglycaemia", "had a hypo earlier, now fully alert, BM 7"),
    ("hypoglycaemia", "not diabetic, confused"),
    ("airway_burns", "smoke alarm going off, burnt toast"),
    ("airway_burns", "house fire, got out, no soot, not hoarse, breathing fine"),
    ("airway_burns", "sore eyes from a smoke flare, seeing fine"),
    ("hypothermia", "cold to touch but talking normally"),
    ("hypothermia", "has a cold, confused about dates"),
    ("death_not_certain", "decomposed body found in flat"),
    ("death_not_certain", "skeletal remains in the car, been there months"),
    ("death_not_certain", "body found, rigor mortis present"),
    ("death_not_certain", "fell from the roof, massive head injuries with brain matter visible"),
    ("death_not_certain", "found dead, decapitated by a train"),
    ("death_not_certain", "body found, hypostasis present"),
    ("death_not_certain", "deceased some time, rigor mortis and lividity"),
    # word-sense guards of the second edition: each looks like a red flag and is not one
    ("stroke", "what a stroke of luck, wallet handed in"),
    ("cardiac_chest_pain", "my heart isn't in it any more, says he is fed up"),
    ("unconscious", "arrest warrant executed, male calm and talking"),
    ("seizure", "fit to be interviewed per the FME"),
    ("penetrating_injury", "had a shot of whisky, now fine"),
    ("death_not_certain", "dead battery on his phone, cannot call his mum"),
    ("self_harm_danger", "killing himself laughing at the officers"),
    # guards for wordings of the minor-complaint scenarios (hazard H3)
    ("strangulation", "hanging from last night, headache, feels sick"),
    ("strangulation", "proper hanging after the session, wants water"),
    ("sepsis_meningitis", "ingrown hair gone septic on his leg"),
    ("penetrating_injury", "stabbed by a hidden needle in his pocket during the search"),
    ("penetrating_injury", "healing stab wound from last month, wants dressing changed"),
    ("not_breathing", "nose blocked with a cold, cant breathe through his nose"),
    ("not_breathing", "breathless with laughter, now hiccups"),
    ("head_injury", "knocked out of the competition, punched a wall, knuckles sore"),
    ("major_trauma", "takes his tablets at 2000, well"),
    ("corrosive_or_face_burn", "sunburnt face after the beach, peeling"),
    ("corrosive_or_face_burn", "CS spray used on arrest, eyes stinging, washed out"),
    ("after_restraint", "taser barbs still in his back, calm and talking"),
    ("self_harm_danger", "old healed scars on her arms, no fresh cuts"),
    ("death_not_certain", "expected death, DNACPR in place, GP aware"),
    ("death_not_certain", "body in the river a long time, skin slipping, bloated"),
    # suite F look-alikes (2026-12-02)
    ("stroke", "past medical history stroke 3 years ago, no new weakness, speech normal"),
    ("stroke", "had a stroke 2 years ago, mobilises with a stick"),
    ("penetrating_injury", "contact lens stuck in her eye since the scuffle, vision fine"),
    ("limb_deformity", "old deformity of her foot from birth, walking fine"),
    ("limb_deformity", "he looked at me at a funny angle"),
    ("limb_deformity", "car facing the wrong way on the roundabout, nobody hurt"),
    ("long_lie", "slept on the floor at his mate's house last night, hungover"),
    ("long_lie", "was on the floor for five minutes then got up by herself"),
    ("long_lie", "fell last night, got up fine, today wants advice about a bruise"),
    ("limb_deformity", "his knee turned out to be fine"),
    ("cauda_equina", "lower back pain after lifting, no numbness, no bladder problems, legs fine"),
    ("cauda_equina", "back pain, wet himself when he was drunk last night"),
    # suite G look-alikes (2026-12-02)
    ("infant_fever_or_floppy", "baby 8 months, cold and cough 2 days, feeding well, temp 37.6"),
    ("infant_fever_or_floppy", "little girl 2 with a red blotchy rash that fades under a glass"),
    ("not_breathing", "toddler with a barking cough, noisy breathing only when crying"),
    ("injury_with_shock", "got the runs after a dodgy kebab, a bit pale"),
    ("kawasaki_signs", "child with a cold, temperature for 2 days, eating and playing"),
    ("intussusception_signs", "baby with colic, settles with a cuddle, feeding well, "
                              "normal nappies"),
    ("delirium_tremens", "heavy drinker in custody, wants a drink, calm, no "
                         "shaking, not hallucinating"),
    ("airway_threat", "sore throat, swallowing fine, voice normal"),
    ("bowel_obstruction", "constipated for 3 days, passing wind, eating, no vomiting"),
    ("infant_dehydration", "baby feeding well, plenty of wet nappies, soft spot normal"),
    ("acute_glaucoma", "red itchy eyes from hay fever, no pain, vision fine"),
    ("dangerous_heart_rate", "pulse 72, feels fine"),
    ("missed_dialysis", "on dialysis, had his session this morning, feels well"),
    ("snake_bite", "dog bite on the hand, small puncture, bleeding stopped"),
    ("confusion_with_headache_and_vomiting", "headache and vomiting after a curry, not confused"),
    ("thyroid_storm", "overactive thyroid, takes carbimazole, feels a bit warm, otherwise well"),
    ("choking_airway", "got all choked up talking about his late wife, cannot speak for tears"),
    ("abdominal_pain_with_collapse", "tummy ache after a curry, no fainting, walking about"),
    ("testicular_torsion", "kicked in the groin during the arrest, sore, walking fine, "
                           "no vomiting"),
    ("battery_or_magnet_swallowed", "hurts to swallow, his phone battery is low"),
    ("electrical_injury", "small shock off the toaster, fine, no burns"),
    ("carbon_monoxide", "boiler broken, flat is cold, everyone well"),
    ("diabetic_ketoacidosis", "diabetic, sugar 7.2, eating and drinking, feels fine"),
    ("threatened_limb", "sprained wrist, fingers warm and pink, moving them"),
    ("adrenal_crisis", "needs his hydrocortisone cream for eczema, otherwise well"),
    ("heat_stroke", "feeling hot in the cell, asking for water, chatting normally"),
    ("dvt_signs", "calf sore after the football, no operation, no flights"),
    ("appendicitis_signs", "bruise on the right side of his tummy from the fall, no "
                           "vomiting, no fever"),
    ("hus_signs", "diarrhoea for two days, drinking well, weeing normally, no blood"),
    ("decompression_illness", "went scuba diving on holiday last year, sprained ankle today"),
    ("decompression_illness", "dived into the pool, came up laughing, a bit cold"),
    ("sickle_cell_crisis", "has sickle cell trait, sprained ankle at football, walking on it"),
    ("sickle_cell_crisis", "sickle cell, usual aches in her knees, took her own painkillers, "
                           "no fever, chatting"),
    ("low_blood_pressure", "blood pressure 130/80, pulse 72, a bit confused about the date as "
                           "usual with her dementia"),
    ("low_blood_pressure", "tyre pressure was 30, driver confused about the route"),
]


@pytest.mark.parametrize(("name", "narrative"), NEGATED)
def test_red_flag_does_not_fire_when_negated_or_a_look_alike(name: str, narrative: str) -> None:
    assert name not in flags(narrative)


# --------------------------------------------------------------------------------------------
# Structured facts
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "name"),
    [
        ({"breathing": "not_breathing"}, "not_breathing"),
        ({"breathing": "difficulty"}, "not_breathing"),
        ({"conscious": "no"}, "unconscious"),
        ({"bleeding": "severe"}, "severe_bleeding"),
        ({"incident_type": "sudden_death"}, "death_not_certain"),
    ],
)
def test_structured_facts_fire_alone(facts: dict[str, str], name: str) -> None:
    found = detect_red_flags(
        TriageRequest.model_validate({"narrative": "officers request advice", **facts})
    )
    assert [f.name for f in found] == [name]
    field, value = next(iter(facts.items()))
    assert found[0].evidence == f"{field}={value}"


@pytest.mark.parametrize(
    "facts",
    [
        {"breathing": "normal", "conscious": "yes", "bleeding": "minor"},
        {"breathing": "unknown", "conscious": "unknown", "bleeding": "unknown"},
        {"bleeding": "none", "incident_type": "fall"},
        {},
    ],
)
def test_reassuring_or_unknown_facts_fire_nothing(facts: dict[str, str]) -> None:
    assert flags("officers request advice", **facts) == set()


def test_facts_combine_with_the_narrative() -> None:
    # chest pain from the incident type plus a cardiac feature in the narrative
    assert "cardiac_chest_pain" in flags("pale and sweaty", incident_type="chest_pain")
    # an overdose by incident type with drowsiness
    assert "significant_overdose" in flags("drowsy but rousable", incident_type="overdose")
    # a seizure by incident type, first ever
    assert "seizure" in flags("no history of epilepsy", incident_type="seizure")
    # trapped in an RTC by incident type
    assert "major_trauma" in flags("driver trapped", incident_type="road_traffic_collision")


def test_unequivocal_death_cancels_facts_too() -> None:
    found = flags(
        "Male found at the foot of a tower block, fell from the roof, massive head injuries "
        "with brain matter visible",
        incident_type="sudden_death",
        conscious="no",
        breathing="not_breathing",
    )
    assert found == set()


def test_death_without_unequivocal_signs_is_not_certain() -> None:
    found = flags(
        "Officers at flat for welfare check, female on kitchen floor, not breathing, still warm, "
        "no obvious injuries",
        incident_type="concern_for_welfare",
        conscious="no",
        breathing="not_breathing",
    )
    assert {"not_breathing", "unconscious"} <= found
    assert "death_not_certain" in flags("no signs of decomposition", incident_type="sudden_death")


# --------------------------------------------------------------------------------------------
# Output shape
# --------------------------------------------------------------------------------------------


def test_one_flag_per_rule_in_table_order_with_evidence() -> None:
    found = detect_red_flags(
        TriageRequest.model_validate(
            {
                "narrative": "stabbed in the neck, blood pumping, now unresponsive, not breathing",
                "bleeding": "severe",
            }
        )
    )
    names = [f.name for f in found]
    assert names == ["not_breathing", "unconscious", "severe_bleeding", "penetrating_injury"]
    ev = {f.name: f.evidence for f in found}
    assert ev["penetrating_injury"] == "stabbed"
    assert ev["not_breathing"] == "not breathing"
    assert ev["unconscious"] == "unresponsive"


def test_evidence_of_a_two_feature_flag_names_both_features() -> None:
    (flag,) = detect_red_flags(TriageRequest(narrative="chest pain radiating to his left arm"))
    assert flag.name == "cardiac_chest_pain"
    assert flag.evidence == "chest pain + radiating to his left arm"


def test_benign_narratives_fire_nothing() -> None:
    for text in (
        "Female wants advice re her cough",
        "Prisoner with toothache, wants painkillers",
        "Lad 16 twisted his knee playing football, limping but can walk on it",
        "Man with learning disability separated from carers, calm, no injuries",
        "Hen party, bride very drunk, been sick, now chatting and laughing, sober friends with her",
    ):
        assert flags(text) == set(), text


# --------------------------------------------------------------------------------------------
# The clinical vignettes (shared examples and the project's safety suite)
# --------------------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
_VIGNETTE_FILES = [
    ROOT.parent / "shared" / "vignettes" / "examples.jsonl",
    *sorted((ROOT / "triage" / "data").glob("*vignettes*.jsonl")),
]


def _vignettes() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in _VIGNETTE_FILES:
        if path.is_file():
            out.extend(
                json.loads(line)
                for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()
            )
    return out


def test_vignettes_are_available() -> None:
    assert len(_vignettes()) >= 40


def test_critical_vignettes_raise_a_red_flag_and_non_deploy_ones_raise_none() -> None:
    missed: list[str] = []
    false: list[str] = []
    for v in _vignettes():
        found = {f.name for f in detect_red_flags(TriageRequest.model_validate(v["request"]))}
        if v["critical"] and (not found or (v.get("red_flag") and v["red_flag"] not in found)):
            missed.append(v["id"])
        if "deploy" not in v["acceptable"] and found:
            false.append(f"{v['id']}: {sorted(found)}")
    assert missed == [], f"critical vignettes without their red flag: {missed}"
    assert false == [], f"red flags on vignettes where deploy is not acceptable: {false}"


# --------------------------------------------------------------------------------------------
# Properties: a red-flag sentence added to ANY narrative raises its flag; its negation adds none
# --------------------------------------------------------------------------------------------

#: One or more positive sentences per flag, with its negated form.
SENTENCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "not_breathing": (
        ("He is not breathing.", "She has stopped breathing.", "NB, CPR in progress."),
        ("He is breathing normally.", "Not short of breath.", "No difficulty breathing."),
    ),
    "unconscious": (
        ("She is unconscious.", "IP unresponsive.", "GCS 3."),
        ("She is conscious and alert.", "He is c/b.", "GCS 15."),
    ),
    "cardiac_chest_pain": (
        ("Central chest pain radiating to the left arm.", "Crushing chest pain, clammy."),
        ("Denies chest pain.", "No CP.", "Chest pain ruled out."),
    ),
    "severe_bleeding": (
        ("Blood is pumping from his leg.", "Bleeding will not stop."),
        ("No heavy bleeding.", "Nil bleeding."),
    ),
    "penetrating_injury": (
        ("He has been stabbed.", "Gunshot wound to the leg."),
        ("He was not stabbed.", "No stab wounds."),
    ),
    "stroke": (
        ("Face drooping and left arm weak.", "FAST positive."),
        ("FAST negative.", "No facial droop."),
    ),
    "anaphylaxis": (
        ("Anaphylactic reaction.", "Tongue swollen."),
        ("No swelling of the tongue.", "Not anaphylactic."),
    ),
    "seizure": (
        ("Fitting for over 10 minutes.", "First ever seizure.", "Second fit today."),
        ("No fits.", "No seizure activity."),
    ),
    "significant_overdose": (
        ("Swallowed 60 co-codamol.", "Took 32 paracetamol."),
        ("Denies overdose.", "No overdose taken."),
    ),
    "head_injury": (
        ("Hit his head and was knocked out.", "Head injury, on warfarin."),
        ("No head injury.", "No LOC.", "Not on blood thinners."),
    ),
    "major_trauma": (
        ("Driver trapped in the car.", "Fell from a first floor window."),
        ("Not trapped.", "No fall."),
    ),
    "labour_complications": (
        ("In labour, cord visible.", "Contractions, baby is breech."),
        ("No contractions.", "Not in labour."),
    ),
    "sepsis_meningitis": (
        ("Non blanching rash.", "Purple rash that does not fade with a glass."),
        ("No rash.", "Rash ruled out."),
    ),
    "thunderclap_headache": (
        ("Worst headache of her life.", "Sudden severe headache."),
        ("No headache.", "Denies headache."),
    ),
    "strangulation": (
        ("Strangled until he passed out.", "Hands round her neck, now hoarse."),
        ("Not strangled.", "Denies strangulation."),
    ),
    "hypoglycaemia": (
        ("Diabetic, BM 2.1 and confused.", "Hypo and very drowsy."),
        ("Not diabetic.", "No hypo."),
    ),
    "airway_burns": (
        ("Soot around his mouth.", "Singed nasal hair."),
        ("No soot around the mouth.", "No burns."),
    ),
    "hypothermia": (
        ("Found outside all night, confused.", "Very cold and drowsy."),
        ("Not cold.", "No confusion."),
    ),
    "death_not_certain": (
        ("Found dead in bed, still warm.", "Believed to be deceased."),
        ("Not dead.", "Not deceased."),
    ),
    "falling_consciousness": (
        ("GCS dropped from 14 to 10.", "Getting sleepier and harder to wake."),
        ("GCS 15.", "Wide awake."),
    ),
    "pregnancy_danger": (
        ("She is 34 weeks pregnant with a severe headache and flashing lights.",),
        ("She is not pregnant.",),
    ),
    "corrosive_or_face_burn": (
        ("Acid thrown in his face.", "Burns to her face and neck."),
        ("No burns.", "No chemicals involved."),
    ),
    "injury_with_shock": (
        ("Kicked in the stomach, now pale and clammy.",),
        ("Not injured.",),
    ),
    "self_harm_danger": (
        ("Holding a knife to his own throat.", "Ligature round her neck."),
        ("No self harm.", "No ligature."),
    ),
    "swallowed_drugs": (
        ("Swallowed a bag of drugs when stopped, now sweating.",),
        ("Did not swallow anything.",),
    ),
    "asthma_not_relieved": (
        ("Asthma attack, inhaler not helping.",),
        ("Not asthmatic.",),
    ),
    "after_restraint": (
        ("Restrained prone, now suddenly quiet.", "Spit hood on, says he cannot breathe."),
        ("Not restrained.",),
    ),
    "infant_fever_or_floppy": (
        ("Baby 6 weeks old with a temperature of 38.5.", "Toddler gone floppy."),
        ("No fever.",),
    ),
    "pulmonary_embolism_signs": (
        ("Suddenly breathless after a long flight.", "Pain on breathing in, calf swollen."),
        ("Not breathless.",),
    ),
    "long_lie": (
        ("On the floor since last night.", "Been on the floor for 2 hours."),
        ("Was on the floor for a minute, got herself up.",),
    ),
    "limb_deformity": (
        ("Ankle deformed.", "Bone sticking out of his leg."),
        ("No deformity.", "Ankle not deformed."),
    ),
    "cauda_equina": (
        ("Back pain and numb down below.", "Back pain, saddle numbness."),
        ("No saddle numbness.", "Back pain, no numbness down below."),
    ),
    "kawasaki_signs": (
        (
            "Child with a fever for 6 days and red eyes.",
            "Boy, temperature for 5 days, strawberry tongue.",
        ),
        ("No fever.",),
    ),
    "intussusception_signs": (
        ("Baby with red jelly in the nappy.", "Baby pulling his knees up and vomiting."),
        ("No blood in the nappy.",),
    ),
    "delirium_tremens": (
        (
            "Heavy drinker, hallucinating and shaking.",
            "Alcoholic in withdrawal, seeing things, sweating.",
        ),
        ("Not hallucinating.",),
    ),
    "airway_threat": (
        ("Cannot swallow his own spit.", "Drooling, voice hoarse."),
        ("Swallowing normally.",),
    ),
    "bowel_obstruction": (
        ("Not passing wind, belly distended.", "Vomit smells like poo."),
        ("Passing wind.",),
    ),
    "infant_dehydration": (
        ("Sunken fontanelle.", "Baby with no wet nappies and vomiting."),
        ("Plenty of wet nappies.",),
    ),
    "acute_glaucoma": (
        ("Eye pain with haloes round lights.", "Haloes and headache."),
        ("No eye pain.",),
    ),
    "dangerous_heart_rate": (
        ("Pulse 32 and fainted.", "Heart rate 210, dizzy."),
        ("Pulse 80, not dizzy.",),
    ),
    "high_early_warning_score": (
        ("NEWS score of 9.", "NEWS 5, new confusion."),
        ("NEWS 2.",),
    ),
    "missed_dialysis": (
        ("On dialysis, missed dialysis, weak.", "Missed his last dialysis session, palpitations."),
        ("Did not miss dialysis.",),
    ),
    "snake_bite": (
        ("Bitten by an adder.", "Snake bite on the leg."),
        ("Not bitten.",),
    ),
    "thyroid_storm": (
        ("Overactive thyroid, burning up, heart racing and confused.",),
        ("Not confused.",),
    ),
    "choking_airway": (
        ("Choked on food and going blue.", "Choking on a sweet, cannot speak."),
        ("Not choking.",),
    ),
    "wernicke_encephalopathy": (
        ("Heavy drinker, confused, eyes flicking side to side.",
         "Alcoholic, staggering, nystagmus."),
        ("No nystagmus.",),
    ),
    "infant_injury_suspicious": (
        ("Baby not crawling yet, bruises on his arms, very quiet and pale.",
         "Six week old baby, bruising on her back, drowsy."),
        ("No bruises.",),
    ),
    "suspected_hip_fracture": (
        ("Slipped on the ice, hip pain, cannot weight bear.",
         "Fell at home, pain in her right hip, cannot get up."),
        ("No hip pain.",),
    ),
    "decompression_illness": (
        ("Scuba diver, tingling in both legs since the dive.",
         "Came up from a deep dive, now his joints are aching."),
        ("No scuba diving.",),
    ),
    "sickle_cell_crisis": (
        ("Sickle cell, fever of 39.", "Sickle cell crisis with chest pain."),
        ("No sickle cell.", "Not sickle cell."),
    ),
    "low_blood_pressure": (
        ("Blood pressure 80/40 and confused.", "BP 85, grey and sweaty."),
        ("Blood pressure not low.",),
    ),
    "confusion_with_headache_and_vomiting": (
        ("Confused, headache and vomiting.", "New confusion with headache, being sick."),
        ("Not confused.",),
    ),
    "abdominal_pain_with_collapse": (
        ("Tummy pain and fainted.", "Stomach pain, collapsed."),
        ('No tummy pain.',),
    ),
    "testicular_torsion": (
        ("Testicle pain came on suddenly.", "Testicle pain, vomiting."),
        ('No testicle pain.',),
    ),
    "battery_or_magnet_swallowed": (
        ("Swallowed a button battery.", "Swallowed magnets."),
        ('Did not swallow the battery.',),
    ),
    "electrical_injury": (
        ("Electrocuted.", "Touched a live cable."),
        ('Not electrocuted.',),
    ),
    "carbon_monoxide": (
        ("Carbon monoxide alarm, headache.", "CO alarm going off, dizzy."),
        ('No carbon monoxide.',),
    ),
    "diabetic_ketoacidosis": (
        ("Diabetic, breath smells of pear drops.", "Diabetic, vomiting and drowsy."),
        ('Not diabetic.',),
    ),
    "threatened_limb": (
        ("Foot white and cold, sudden pain.", "Arm in plaster, pain through the roof."),
        ('Foot warm and pink.',),
    ),
    "adrenal_crisis": (
        ("Addison's disease and vomiting.", 'Steroid emergency card, collapsed.'),
        ('No vomiting.',),
    ),
    "heat_stroke": (
        ("Hot as an oven and confused.", "Heat stroke, collapsed."),
        ('Not confused.',),
    ),
    "dvt_signs": (
        ("Calf swollen after a long flight.", "Leg red and hot after a knee operation."),
        ('Calf not swollen.',),
    ),
    "appendicitis_signs": (
        ("Pain moved to the bottom right, vomiting.", "Bottom right tummy pain, fever."),
        ('No tummy pain.',),
    ),
    "hus_signs": (
        ("Bloody diarrhoea and no wee.", "Bloody diarrhoea, very pale."),
        ('No blood in his poo.',),
    ),
}

#: Words for generated narratives: ordinary control-room words, including negations and
#: clinical words, but none of the unequivocal signs of death (which cancel every flag).
_BASE_WORDS = (
    "male", "female", "40s", "IP", "MOP", "officers", "on", "scene", "with", "him", "her",
    "found", "floor", "flat", "street", "drunk", "ETOH", "c/b", "no", "not", "denies", "nil",
    "pain", "head", "arm", "leg", "cut", "minor", "fell", "over", "walking", "talking", "says",
    "wife", "caller", "custody", "cell", "advice", "but", "and", "now", "earlier", "GP", "s136",
    "MH", "crying", "upset", "smells", "of", "alcohol", "bruise", "knee", "wants", "home",
    "confused", "sweaty", "diabetic", "pregnant", "tablets", "fit", "recovered", "2", "10",
    "mins", "hrs", ",", ".", ";", "?", "-",
)

_ALL_POSITIVE = [(n, s) for n, (pos, _) in SENTENCES.items() for s in pos]
_ALL_NEGATED = [(n, s) for n, (_, neg) in SENTENCES.items() for s in neg]


def test_every_rule_has_property_sentences() -> None:
    assert set(SENTENCES) == set(EXPECTED_NAMES)


@pytest.mark.parametrize(("name", "sentence"), _ALL_POSITIVE)
def test_positive_sentences_fire_alone(name: str, sentence: str) -> None:
    assert name in flags(sentence)


@pytest.mark.parametrize(("name", "sentence"), _ALL_NEGATED)
def test_negated_sentences_fire_nothing_alone(name: str, sentence: str) -> None:
    assert flags(sentence) == set(), sentence


@settings(max_examples=400, deadline=None)
@given(
    base=st.lists(st.sampled_from(_BASE_WORDS), min_size=1, max_size=40).map(" ".join),
    pick=st.sampled_from(_ALL_POSITIVE),
)
def test_appending_a_red_flag_sentence_to_any_narrative_raises_it(
    base: str, pick: tuple[str, str]
) -> None:
    name, sentence = pick
    before = flags(base)
    after = flags(f"{base}. {sentence}")
    assert name in after
    assert before <= after


@settings(max_examples=400, deadline=None)
@given(
    base=st.lists(st.sampled_from(_BASE_WORDS), min_size=1, max_size=40).map(" ".join),
    pick=st.sampled_from(_ALL_NEGATED),
)
def test_appending_a_negated_sentence_adds_no_red_flag(base: str, pick: tuple[str, str]) -> None:
    _, sentence = pick
    # One composite reads order-blind on purpose: any GCS reading beside "now <3-12>" is a
    # falling GCS ("GCS 14, now 9"), so "now 10. GCS 15." raises it too (over-triage, accepted
    # in docs/CLINICAL_SAFETY.md H1; hypothesis found it on 2026-12-02).
    now_low = re.search(r"\bnow (?:[3-9]|1[0-2])\b", base)
    assume(not (now_low and re.search(r"\bgcs\b", sentence, re.I)))
    assert flags(f"{base}. {sentence}") == flags(base)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=400).filter(lambda t: t.strip()))
def test_any_text_is_read_without_error(text: str) -> None:
    found = detect_red_flags(TriageRequest(narrative=text))
    assert all(f.name in EXPECTED_NAMES and f.reason and f.evidence for f in found)
    assert len({f.name for f in found}) == len(found)


def test_hazard_log_names_only_tests_that_exist() -> None:
    """docs/CLINICAL_SAFETY.md cites tests as evidence for its controls: each must exist."""
    doc = (ROOT / "docs" / "CLINICAL_SAFETY.md").read_text(encoding="utf-8")
    refs = set(re.findall(r"`(tests/\w+\.py)::(\w+)`", doc))
    assert len(refs) >= 40
    missing = []
    for path, name in sorted(refs):
        file = ROOT / path
        source = file.read_text(encoding="utf-8") if file.is_file() else ""
        if not re.search(rf"^(async )?def {name}\(", source, re.M):
            missing.append(f"{path}::{name}")
    assert missing == [], f"hazard log cites tests that do not exist: {missing}"
    # every red flag is listed in the log's reference section
    assert all(f"`{name}`" in doc for name in rule_names())


def test_position_walk_and_trie_give_the_same_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every phrase walked position by position (no trie) finds exactly what the trie finds."""
    texts = [t for _, t in POSITIVE] + [t for _, t in NEGATED]
    rules_mod._compiled.cache_clear()
    expected = [flags(t) for t in texts]
    monkeypatch.setattr(matcher_mod, "EXPAND_LIMIT", 0)
    rules_mod._compiled.cache_clear()
    try:
        assert [flags(t) for t in texts] == expected
    finally:
        monkeypatch.undo()
        rules_mod._compiled.cache_clear()


@pytest.mark.parametrize(
    ("narrative", "verify"),
    [
        ("Male hit by a train, officers report decapitation", True),
        ("Found hanging in the garage, rigor mortis present, body cold", True),
        ("Body in the river a long time, skin slipping, bloated", True),
        ("Expected death, DNACPR in place, found dead in bed by the carer", True),
        ("Found dead in bed, still warm", False),  # death not certain: a red flag instead
        ("Palliative care, DNACPR, family worried she is more sleepy", False),  # alive
        ("No signs of decomposition, found dead on the sofa", False),
        ("Found dead in bed by his daughter, body gone green on the tummy, smell", True),
        ("Found dead on the kitchen floor, cold and stiff", True),
        # suite R's deaths in lay words (2026-12-02)
        ("Body in the river by the quay, been in the water days, swollen and discoloured", True),
        ("Found dead in his chair, stiff as a board, dark purple marks down the backs of his "
         "legs", True),
        ("Person struck by a train, body in more than one part, BTP on scene", True),
        ("Pulled from the river alive, swollen and discoloured legs, breathing", False),
        ("Stiff as a board with the cold, found in the park, mumbling", False),
        # a doubt on scene or CPR going on: not certain, whatever was said before (suite S)
        ("Landlord says he has obviously been dead for days. Officers inside: no smell, might "
         "be a very faint breath, starting chest compressions", False),
        ("Found dead, rigor mortis, but the officer is not happy he's gone", False),
        # ...and decomposition is never beyond doubt (review 5 and 6 of 2026-12-02: CPR on a
        # living person in a flat of decomposing food); only signs such as decapitation are
        ("Man found decomposed in flat, landlord was doing CPR until police told him to stop",
         False),
        # CPR beside a death beyond doubt is on someone else (a review of 2026-12-04: "CPR in
        # progress on the lorry driver who collapsed"): nobody resuscitates a decapitation
        ("Person decapitated by a train, BTP doing CPR", False),
    ],
)
def test_a_death_to_verify_is_read_once_and_cancels_the_flags(narrative: str, verify: bool) -> None:
    reading = rules_mod.read_request(TriageRequest(narrative=narrative))
    assert (reading.verify_death is not None) is verify
    if verify:
        assert reading.red_flags == ()
    assert reading.red_flags == detect_red_flags(TriageRequest(narrative=narrative))


@pytest.mark.parametrize(
    "narrative",
    [
        # a review of the seventeenth session's (withdrawn) hypostasis phrases found living
        # people a stated death and a sign still handed to the desk: signs of life the doubts had
        # not read, and a second person at the address (SYNTHETIC)
        "Found dead per his wife, cold and stiff, agonal breaths",
        "Reported dead by the carer, rigor mortis, making a rattling noise",
        "Thought to have died, cold and stiff, then he coughed",
        "Sudden death reported, purple marks down the backs of her legs, sweating",
        "Found dead in bed per relative, rigor mortis, warm to touch",
        "Caller said she has passed away, rigor mortis, but she is warm",
        "Sudden death, stiff as a board per caller, officers say her limbs are flexible",
        "Found dead per neighbour, purple marks down the backs of his legs, not stiff",
        "Found dead, cold and stiff, but he revived when officers shook him",
        "Dead body reported, cold and stiff, officers say he is in a very deep sleep",
        "Report of a body on the path, cold and stiff, hypothermic, wet through",
        "Elderly lady, husband died last month, purple marks on the back of her legs, feverish",
        "One found dead, cold and stiff; a second person in the flat is unresponsive",
        "Two occupants, one deceased, the other with red marks on the backs of her thighs, "
        "unresponsive",
    ],
)
def test_signs_of_life_and_a_second_person_doubt_a_stated_death(narrative: str) -> None:
    """Hazard H2: with any of these the death is not certain, so it is not handed to the desk
    to verify and the flags stand."""
    reading = rules_mod.read_request(TriageRequest(narrative=narrative))
    assert reading.verify_death is None, reading


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # a death beyond doubt beside a living patient: the death is not the request's only
        # patient, so nothing is handed to the desk and the other's flags stand (SYNTHETIC)
        ("RTC, driver decapitated, the passenger is trapped and unconscious", "unconscious"),
        ("Train strike, one male decapitated, a second male on the track not breathing",
         "not_breathing"),
        ("Expected death, DNACPR in place, found dead in bed, her baby in the cot is floppy and "
         "not breathing", "not_breathing"),
        # a review of the change: a second occupant was not read as a second person (SYNTHETIC)
        ("One occupant deceased, rigor mortis. Second occupant drowsy, headache, CO alarm "
         "sounding", "carbon_monoxide"),
    ],
)
def test_a_death_beside_a_second_person_the_rules_read_is_not_verified(
    narrative: str, flag: str
) -> None:
    """``another_person`` reads a second person in its own words ("the other", "a second
    male", "passenger", "her baby", "two occupants"...); one named only as a relative or a
    role is read by the signs of life (the next tests)."""
    reading = rules_mod.read_request(TriageRequest(narrative=narrative))
    assert reading.verify_death is None, reading
    assert flag in [f.name for f in reading.red_flags]


def _assert_alive_with(narrative: str, flag: str) -> None:
    """No death is verified in ``narrative`` and ``flag`` stands."""
    reading = rules_mod.read_request(TriageRequest(narrative=narrative))
    assert reading.verify_death is None, reading
    assert flag in [f.name for f in reading.red_flags], reading


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # a helper's blind probes of 2026-12-04 (SYNTHETIC): each death had been verified and
        # the living person's flags cancelled
        ("male deceased in bed, rigor mortis, his wife is unconscious beside him, CO alarm "
         "going off in the hallway", "unconscious"),
        ("son unconscious in garden shed, generator running inside. dad deceased inside shed "
         "too, cold and stiff", "unconscious"),
        ("mum is drowsy, confused and vomiting. dad is dead upstairs, he is cold and stiff",
         "falling_consciousness"),
        ("lodger found the landlord dead - cold, rigor mortis. lodger now having chest pains "
         "and struggling to breathe, history of heart problems", "cardiac_chest_pain"),
        ("motorcyclist decapitated, the cyclist he hit is unconscious at the roadside",
         "unconscious"),
        ("daughter fitting. father dead in bed, cold and rigid. pls hurry", "seizure"),
        ("RTC single veh v tree. male driver decapitated, injuries incompatible with life. his "
         "wife trapped in the car, conscious but bleeding heavily from leg", "severe_bleeding"),
    ],
)
def test_a_sign_of_life_beside_a_reported_death_keeps_the_flags(
    narrative: str, flag: str
) -> None:
    """Hazard H2: what no dead body shows (drowsy, confused, chest pain, a relative or role
    "is unconscious") belongs to someone alive, the reported one or another; beside a death
    beyond doubt, so does "unconscious". No death is handed to the desk and the flags stand
    (concepts.toml [signs_of_life])."""
    _assert_alive_with(narrative, flag)


@pytest.mark.parametrize(
    "narrative",
    [
        # what a body shows: unresponsive, GCS 3, hanging from a light fitting (SYNTHETIC)
        "Male found unresponsive in bed by wife, cold and stiff, rigor mortis",
        "Found dead, cold and stiff, GCS 3, no pulse, no breathing",
        "Found hanging from a light fitting, cold and stiff, rigor mortis",
        # relatives and roles present, grieving or reporting, nobody in need
        "found by his wife, she is distraught, officers with her. male deceased in bed, rigor "
        "mortis, lividity",
        "RTC, the rider is deceased, injuries incompatible with life, driver of the car "
        "uninjured and with officers",
        # a review of the change (SYNTHETIC): history, another sense of a word, a fixture
        "Male found dead in tent, rigor mortis, friend says he was moaning about chest pain "
        "yesterday",
        "Female found decomposed in bath, she had been confused lately per neighbour",
        "Male found deceased in bed, rigor mortis. Daughter is conscious of the fact he had "
        "been low",
        "Found hanging from a pipe fitting in the garage, cold and stiff, rigor mortis",
        "Body found in vacant property, decomposed",
        # a second review (SYNTHETIC): a living flag's words in the dead person's past
        "rigor mortis. complained of chest pain radiating down his arm last night",
        "rigor mortis. cause of death possibly a stroke",
        "Male found deceased in bed, rigor mortis present. Friends say he was slurring and "
        "drunk last night.",
    ],
)
def test_a_death_without_a_sign_of_life_is_still_verified(narrative: str) -> None:
    reading = rules_mod.read_request(TriageRequest(narrative=narrative))
    assert reading.verify_death is not None, reading


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # a review of the change (SYNTHETIC): a flag no body raises, a second person beside a
        # death beyond doubt, a sign the clause places now although it names a past time
        ("male deceased rigor mortis, wife's face has dropped, can't lift her arm", "stroke"),
        ("female deceased, rigor, her 8 month old is mottled and very floppy",
         "infant_fever_or_floppy"),
        ("Male decapitated, wife not breathing", "not_breathing"),
        ("Motorcyclist decapitated. Officers doing CPR on the car driver", "not_breathing"),
        ("Male deceased in bed, rigor mortis. Wife has had a headache since last night, now "
         "drowsy and being sick, CO alarm sounding", "carbon_monoxide"),
    ],
)
def test_a_living_flag_or_person_beside_a_death_keeps_the_flags(
    narrative: str, flag: str
) -> None:
    _assert_alive_with(narrative, flag)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # a second review of 2026-12-04 (SYNTHETIC): a past time in the clause, but a present
        # verb or a new clause between it and the sign; a relative's own state
        ("Male deceased rigor mortis, wife has dementia and is drowsy and struggling to "
         "breathe", "not_breathing"),
        ("Male deceased rigor mortis, son had a fit yesterday and is fitting again", "seizure"),
        ("female decd rigor mortis, gf fitting", "seizure"),
        ("male deceased rigor mortis, wife not breathing too", "not_breathing"),
        # a third review (SYNTHETIC): a condition or a recent time is not the dead person's past
        ("Male deceased in bed, rigor mortis. Family have all had headaches and vomiting this "
         "week, CO alarm going off", "carbon_monoxide"),
        ("Male deceased in bed, rigor mortis. wife history of asthma struggling to breathe",
         "not_breathing"),
    ],
)
def test_a_past_time_does_not_reach_a_living_sign_past_a_present_verb(
    narrative: str, flag: str
) -> None:
    _assert_alive_with(narrative, flag)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # the session's guards must not mask a seizure or an unconscious patient (SYNTHETIC;
        # a second review found both lost to wider guards)
        ("she's fitting on the floor", "seizure"),
        ("collapsed in the shower fitting", "seizure"),
        ("male not conscious about 10 mins now", "unconscious"),
        ("neck stiff sensitive to light fitting", "sepsis_meningitis"),
    ],
)
def test_the_fixture_and_awareness_guards_leave_real_findings(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


def test_a_sign_of_life_in_a_past_clause_does_not_count_but_now_does() -> None:
    """``sign_in_history`` places a sign in the dead person's past unless the same clause says
    ``sign_now``; the clause, not the request, decides."""
    past = "Male deceased in bed, rigor mortis. He had chest pain yesterday"
    now = "Male deceased in bed, rigor mortis. Wife had chest pain yesterday and still has it"
    assert rules_mod.read_request(TriageRequest(narrative=past)).verify_death is not None
    assert rules_mod.read_request(TriageRequest(narrative=now)).verify_death is None


def test_a_sign_of_life_counts_only_beside_a_reported_death_and_only_in_the_narrative() -> None:
    """A palliative patient not reported dead keeps the expected death's reading, and a keyed
    incident type is the reported patient's own, not a second person's sign of life."""
    keyed = TriageRequest(
        narrative="Found dead in bed by carer, cold and stiff, rigor mortis",
        incident_type="chest_pain",
    )
    assert rules_mod.read_request(keyed).verify_death is not None
    said = TriageRequest(
        narrative="Found dead in bed by carer, cold and stiff, rigor mortis, carer now has "
        "chest pain"
    )
    assert rules_mod.read_request(said).verify_death is None
    # a palliative patient not reported dead, whose husband died in the past: no death is
    # reported, so the expected death's reading stands (a review of the change)
    palliative = TriageRequest(
        narrative="Palliative care patient, DNACPR, now unresponsive and breathing very "
        "noisily. Her husband died last year and she has been confused since"
    )
    before = TriageRequest(
        narrative="Palliative care patient, DNACPR, now unresponsive and breathing very noisily"
    )
    assert rules_mod.read_request(palliative).red_flags == rules_mod.read_request(
        before
    ).red_flags
    # narrative "conscious" is a sign even though a keyed field has the same name
    woman = TriageRequest(
        narrative="Male deceased, rigor mortis. Woman in the bedroom is conscious"
    )
    assert rules_mod.read_request(woman).verify_death is None


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # a helper's blind probes of 2026-12-04, nineteenth session (SYNTHETIC): someone alive
        # named by a first name, a description or a pronoun, shown alive by what no body found
        # dead does (an event since, a sign that needs a heartbeat, labour); each had been
        # verified and their flags cancelled
        ("Obviously deceased male in stairwell, rigor mortis. Jamie next to him not breathing "
         "properly, pinpoint pupils", "not_breathing"),
        ("IP1 hanging from loft hatch, cold, rigor in limbs and jaw. Aisha, who found him, has "
         "since cut her forearms with a kitchen knife, bleeding steady", "self_harm_danger"),
        ("First victim obviously dead, brain matter visible. Marcus has been shot in the "
         "stomach, he's pale and sweaty", "penetrating_injury"),
        ("Cyclist deceased, crushed, injuries incompatible with life. A woman who witnessed it "
         "has fainted and hit her head on the kerb", "injury_with_shock"),
        ("She is deceased in the conservatory, cold, lividity, rigor. Stepdad is bleeding from "
         "a deep cut to his forearm, it's pumping", "severe_bleeding"),
        ("Her son is dead in the garage, hanging, rigor, cold. Mother has had a seizure after "
         "being told, never had one before", "seizure"),
        ("Male deceased, decomposed. Found by his sister, she says her heart is racing and she "
         "feels faint", "death_not_certain"),
        ("Dead male, rigor mortis, cold, on the kitchen floor. His girlfriend is in the back of "
         "the van. She has now collapsed and is not responding", "unconscious"),
        ("Male deceased, rigor mortis. Wife going in and out of consciousness", "unconscious"),
        ("Male deceased rigor mortis. Wife has since taken an unknown amount of her diazepam",
         None),
        ("RTC motorcyclist decapitated. Pillion has a leg wound, blood spurting",
         "severe_bleeding"),
        ("Male deceased rigor mortis. Wife is 38 weeks pregnant, pains every 5 minutes", None),
        ("Male deceased rigor mortis. wife cant breath", "not_breathing"),
        ("Male deceased, rigor mortis. Female who found him dead has collapsed", None),
        # a child left with a dead parent, a relative's event since, "can't breathe" (no body
        # can): the first review's probes (SYNTHETIC)
        ("Male deceased rigor mortis. Baby in cot crying", None),
        ("Male deceased rigor mortis. toddler found with him in flat, dehydrated and hungry",
         None),
        ("Male deceased rigor mortis. wife has since drunk bleach", "significant_overdose"),
        ("Male deceased, rigor mortis. His wife, 80, cant breath and is blue", "not_breathing"),
        ("Sudden death of male 67, hanging, rigor mortis, cold. Partner swallowed his tablets. "
         "She is now getting sleepy", "significant_overdose"),
        ("Male deceased in chair, rigor mortis. Sharon keeps passing out",
         "falling_consciousness"),
        # no flag: the model decides, but the death is not handed to the desk
        ("Body in the river, bloated, been in a long time. Ifeoma who spotted it from the bank "
         "is in labour in our car, contractions 2 min apart", None),
        ("Body of male in the shed, decomposed. PCSO who found the body has been bitten by the "
         "dog, deep wounds. Please send amb for the PCSO", None),
    ],
)
def test_someone_alive_named_by_a_first_name_a_description_or_a_pronoun_is_read(
    narrative: str, flag: str | None
) -> None:
    """Hazard H2 control 6: the person need not be named as a relative; what they show is
    what no body found dead shows."""
    if flag is None:
        assert rules_mod.read_request(TriageRequest(narrative=narrative)).verify_death is None
    else:
        _assert_alive_with(narrative, flag)


@pytest.mark.parametrize(
    "narrative",
    [
        # everyday words at a death that the new signs must leave alone (SYNTHETIC; the
        # ratchet's deaths and the nineteenth session's blind probes)
        "Daughter came round to check on her and found her dead, cold and stiff",
        "Body decomposing, PC feeling sick and dizzy from the smell, came outside",
        "Gareth is hanging in the garage. He is cold and rigor is present throughout. He has "
        "been there overnight",
        "Jasmine has taken an overdose, her friend said. Found on the sofa, rigor mortis in jaw "
        "and arms, lividity where she's lying, been dead hours",
        "A man in the allotment shed slumped in a chair, cold, stiff, green discolouration to "
        "his abdomen, decomposing",
        "SD of Gordon, male 81, rigor mortis, hypostasis. His wife Pat felt faint when told, "
        "she is now fine with a cup of tea",
        "Male deceased in bed, rigor mortis, dead since Tuesday, not seen since the weekend",
        # a review of the change (a helper who ran 514 probes, 2026-12-04): what the first
        # wording read in real deaths
        "Male found hanging, rigor mortis, has since passed away",
        "Male deceased, rigor mortis. Wife has since gone home, daughter has since turned up",
        "Male deceased, rigor mortis. He is now unresponsive, cold and stiff",
        "Male deceased, rigor has passed off, body now floppy",
        "Male deceased, rigor mortis. Daughter is now coming round to the address to ID him",
        "Male deceased, rigor mortis. Had been feeling unwell for a few days per wife",
        "Male deceased, rigor mortis. Known AF, palpitations. History of fainting spells",
        "Male deceased, rigor mortis. Former Labour councillor, place of birth Leeds",
        "Male deceased, rigor mortis. PC who found him was vomiting from the smell",
        "Male deceased, rigor mortis. Blood pumping machine (dialysis) at the bedside",
        "Mum deceased, rigor mortis. Daughter is crying but fine, with her aunt",
        "Body decomposing, PC says he cant breathe for the smell",
    ],
)
def test_everyday_words_at_a_death_leave_it_verified(narrative: str) -> None:
    reading = rules_mod.read_request(
        TriageRequest(narrative=narrative, incident_type="sudden_death")
    )
    assert reading.verify_death is not None, reading


@pytest.mark.parametrize(
    ("keyed", "verified"),
    [
        # the operator keys the patient the ambulance is asked for: keyed alive, the request is
        # a living person's, whoever the narrative reports dead (SYNTHETIC)
        ({"conscious": "yes"}, False),
        ({"breathing": "normal"}, False),
        ({"breathing": "difficulty"}, False),
        ({"conscious": "yes", "breathing": "not_breathing"}, False),
        # a body is keyed unconscious and not breathing as well: these never show life
        ({"conscious": "no"}, True),
        ({"conscious": "no", "breathing": "not_breathing"}, True),
        ({"conscious": "unknown", "breathing": "unknown"}, True),
        ({}, True),
    ],
)
def test_a_patient_keyed_alive_beside_a_reported_death_is_not_verified(
    keyed: dict[str, str], verified: bool
) -> None:
    """Hazard H2 control 6: "Male deceased in armchair, rigor mortis. Sharon is with him", keyed
    conscious yes, is a request for Sharon; verifying the death would leave her no ambulance."""
    for narrative in (
        "Male found deceased in armchair, rigor mortis, cold. Sharon is with him",
        "RTC, motorcyclist decapitated, car driver still in the car",
    ):
        reading = rules_mod.read_request(TriageRequest(narrative=narrative, **keyed))
        assert (reading.verify_death is not None) is verified, (narrative, keyed, reading)
        if not verified:  # a flag stands: the death is not certain, or the trauma is a patient's
            assert {"death_not_certain", "major_trauma"} & {f.name for f in reading.red_flags}


def test_the_keyed_signs_of_life_must_be_schema_facts_that_report_no_death(
    red_flag_tables: Path,
) -> None:
    t = rules_mod.load_tables()
    assert set(t.living_facts) == {"conscious=yes", "breathing=normal", "breathing=difficulty"}
    folder = red_flag_tables
    text = (folder / "concepts.toml").read_text(encoding="utf-8")
    marker = 'facts = [\n    "conscious=yes",'
    assert marker in text
    (folder / "concepts.toml").write_text(
        text.replace(marker, 'facts = [\n    "conscious yes",', 1), encoding="utf-8"
    )
    with pytest.raises(rules_mod.TableError, match=r"'facts' must name each keyed.*conscious yes"):
        rules_mod.load_tables(folder)
    (folder / "concepts.toml").write_text(
        text.replace(marker, 'facts = [\n    "conscious=yes",\n    "conscious=yes",', 1),
        encoding="utf-8",
    )
    with pytest.raises(rules_mod.TableError, match=r"'facts' must name each keyed"):
        rules_mod.load_tables(folder)
    # a value the schema does not have, and the keyed sudden death, are refused when compiled
    wrong = dataclasses.replace(t, living_facts=("breathing=abnormal",))
    with pytest.raises(ValueError, match=r"'breathing=abnormal'\], which are not a field=value"):
        rules_mod.compile_tables(wrong)
    death = dataclasses.replace(t, living_facts=("incident_type=sudden_death",))
    with pytest.raises(ValueError, match="keyed facts that report a death"):
        rules_mod.compile_tables(death)


def test_the_signs_of_life_must_name_defined_concepts(red_flag_tables: Path) -> None:
    folder = red_flag_tables
    text = (folder / "concepts.toml").read_text(encoding="utf-8")
    marker = 'beside_death_beyond_doubt = [\n    "unconscious",'
    assert marker in text
    (folder / "concepts.toml").write_text(
        text.replace(marker, 'beside_death_beyond_doubt = [\n    "unconcious",', 1),
        encoding="utf-8",
    )
    with pytest.raises(rules_mod.TableError, match=r"\[signs_of_life\].*'unconcious'"):
        rules_mod.load_tables(folder)
    (folder / "concepts.toml").write_text(
        text.replace('flags = [\n    "stroke",', 'flags = [\n    "strokes",', 1), encoding="utf-8"
    )
    with pytest.raises(rules_mod.TableError, match=r"'flags' must name each flag.*strokes"):
        rules_mod.load_tables(folder)
    t = rules_mod.load_tables()
    assert "living_sign_words" in t.signs_of_life
    assert "unconscious" in t.signs_beside_death_beyond_doubt
    assert "stroke" in t.living_flags
    # a concept that reports a death can never be a sign of life
    bad = dataclasses.replace(t, signs_of_life=(*t.signs_of_life, "death_reported"))
    with pytest.raises(ValueError, match="report a death"):
        rules_mod.compile_tables(bad)
    # ...nor a time word, and no living flag may rest on a death (it would stop every death
    # being verified): a review of 2026-12-04 listed death_not_certain and it was accepted
    timeword = dataclasses.replace(t, signs_of_life=(*t.signs_of_life, "sign_now"))
    with pytest.raises(ValueError, match="place a sign"):
        rules_mod.compile_tables(timeword)
    on_death = dataclasses.replace(t, living_flags=(*t.living_flags, "death_not_certain"))
    with pytest.raises(ValueError, match="'death_not_certain' rests on a death"):
        rules_mod.compile_tables(on_death)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # a finding in the living, not a sign of death, unless a death is stated
        ("Female cut her arms with a razor blade, blood pooling on the lino, one is spurting",
         "severe_bleeding"),
        ("Tummy bloated, vomiting, collapsed and unresponsive", "unconscious"),
        ("Body parts everywhere after the crash, driver trapped, unconscious", "unconscious"),
        ("Elderly lady found cold and stiff on the kitchen floor, not breathing", "not_breathing"),
        ("Having rigors and shaking, not breathing properly", "not_breathing"),
    ],
)
def test_an_ambiguous_sign_of_death_never_cancels_a_flag_without_a_stated_death(
    narrative: str, flag: str
) -> None:
    """Hazard H2: 'blood pooling', 'bloated', 'cold and stiff' are findings in the living;
    only with a stated death ("found dead", "the body") are they unequivocal signs."""
    reading = rules_mod.read_request(TriageRequest(narrative=narrative))
    assert reading.verify_death is None
    assert flag in [f.name for f in reading.red_flags]


@pytest.mark.parametrize(
    "narrative",
    [
        "Gent 84 tripped on the kerb, cut above eye, no LOC, chatty. Wife says hes on apixaban",
        "Fell face first on the pavement, on warfarin",
        "Split his head open on the door frame, takes rivaroxaban",
        "Nasty gash over her eyebrow after a fall, on blood thinners",
    ],
)
def test_a_wound_to_the_head_region_on_anticoagulants_is_a_head_injury_flag(
    narrative: str,
) -> None:
    assert "head_injury" in flags(narrative)


def test_a_cut_above_the_eye_without_anticoagulants_or_loc_is_not_a_flag() -> None:
    narrative = "Boxer with a cut above his eye, alert, not on blood thinners"
    assert "head_injury" not in flags(narrative)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # "probs" is "problems" after a negated finding, not "no breathing"
        ("Sore throat for 3 days, bit of a temp, can swallow fine, no breathing probs",
         "not_breathing"),
        # a duration is not an infant's age
        ("My wife she have cough 1 week, small fever, she eat and drink ok",
         "infant_fever_or_floppy"),
        ("Man with a rash for 2 month, bit hot today", "infant_fever_or_floppy"),
    ],
)
def test_ordinary_wording_found_on_suite_c_is_not_a_flag(narrative: str, flag: str) -> None:
    """Hazard H3: false flags found on the independent suite C (tuned on)."""
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    ["baby 3 week old, hot to touch, temp 38.4", "little one 6 weeks, feverish",
     "11 week old with a temperature of 38.6"],
)
def test_an_infant_age_with_fever_is_still_a_flag(narrative: str) -> None:
    assert "infant_fever_or_floppy" in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # critical presentations of suite C (tuned on) that no flag read
        ("stroke", "my mother she is talking but the words is wrong, like not real words, "
                   "face also little bit down on this side"),
        ("stroke", "her words are coming out wrong and her right hand cannot grip the cup"),
        ("pregnancy_danger", "F 24, period late, sudden sharp pain low down on the left, pain in "
                             "her shoulder tip as well, fainted"),
        ("penetrating_injury", "Taser deployed, one of the barbs has gone into his left eye"),
        ("corrosive_or_face_burn", "Toddler pulled kettle over, boiling water down his chest and "
                                   "both arms, big blisters"),
        ("corrosive_or_face_burn", "chip pan fire, burns to his chest and both arms"),
    ],
)
def test_lay_presentations_found_on_suite_c_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("corrosive_or_face_burn", "small burn on finger from the kettle, cooled under the tap"),
        ("corrosive_or_face_burn", "burn on the back of his hand from the oven, blistered"),
        ("corrosive_or_face_burn", "hot water bottle on her back for period pain, bit red"),
        ("corrosive_or_face_burn", "sunburn on both arms, sore"),
        ("pregnancy_danger", "missed her period, wants to know where to get a test"),
        ("penetrating_injury", "tased, one barb in his shoulder, removed by the nurse"),
    ],
)
def test_small_burns_and_ordinary_wording_near_the_new_clauses_are_not_flags(
    flag: str, narrative: str
) -> None:
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative", "fires"),
    [
        # distractor chatter is not evidence: it neither completes a flag...
        ("head_injury", "black eye, walking and chatting, passed out of training college last year",
         False),
        ("head_injury", "small cut above eye, bleeding controlled, blacked out windows on the van",
         False),
        # ...nor is needed where the presentation itself is written
        ("head_injury", "punched to back of head, been sick 3 times since, blacked out windows",
         True),
        ("head_injury", "punched, black eye, passed out for a minute", True),
    ],
)
def test_distractor_chatter_neither_fires_nor_hides_a_head_injury(
    flag: str, narrative: str, fires: bool
) -> None:
    assert (flag in flags(narrative)) is fires


def test_a_sick_bloated_child_is_not_read_as_a_death_to_verify() -> None:
    """Found on the synthetic history: 'bloated' alone had made this a death to verify."""
    narrative = "1 y/o boy, pale and bloated after a bug, blood in poo, dry nappies"
    reading = rules_mod.read_request(TriageRequest(narrative=narrative))
    assert reading.verify_death is None


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # critical presentations of suite D (tuned on) buried in long or indirect reports
        ("cardiac_chest_pain", "kept rubbing his chest saying it feels like a band tightening "
                               "round him and his jaw is aching, looking clammy"),
        ("sepsis_meningitis", "flatmates say spots that don't go when you press a glass on them"),
        ("head_injury", "went over the bars head first, helmet cracked, he was out for about a "
                        "minute and is now repeating himself"),
        ("falling_consciousness", "2230 grunting only when called. 2300 barely opening his eyes "
                                  "to a firm shake and not saying anything"),
    ],
)
def test_indirect_presentations_found_on_suite_d_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # lay wordings written as tuning probes (session of 2026-12-02), one per table change
        ("cardiac_chest_pain", "indigestion that won't shift, he's grey and clammy"),
        ("cardiac_chest_pain", "had a heart attack last year and the pain's back"),
        ("cardiac_chest_pain", "pressure on his chest like a weight, feels sick"),
        ("infant_fever_or_floppy", "baby's gone a funny blue colour round the lips and is limp"),
        ("not_breathing", "his lips have gone a purply colour, fighting for every breath"),
        ("not_breathing", "can't get a word out between breaths"),
        ("not_breathing", "wheezy and his chest is sucking in, 4 year old"),
        ("not_breathing", "breathing has gone really slow and shallow after heroin"),
        ("unconscious", "she went down like a sack of spuds and isn't answering us"),
        ("severe_bleeding", "claret everywhere, squirting out of his arm"),
        ("penetrating_injury", "slashed across the neck with a bottle"),
        ("stroke", "his smile's gone lopsided and his words are all slurred, not had a drink"),
        ("significant_overdose", "swallowed a load of her nan's heart tablets"),
        ("hypoglycaemia", "type 1 diabetic, acting drunk but hasn't had a drink, sweating"),
        ("labour_complications", "waters broken, baby's head is showing"),
        ("pregnancy_danger", "she's 8 months gone, awful headache, seeing sparkles, puffy face"),
        ("pregnancy_danger", "6 weeks pregnant, pain on one side, feeling faint"),
        ("pulmonary_embolism_signs", "sudden breathlessness and pain when she breathes in, on "
                                     "the pill"),
        ("head_injury", "fell down the stairs, on warfarin, big egg on his head"),
        ("after_restraint", "thrashing about, boiling hot, took loads of coke, restrained by 4 "
                            "officers"),
    ],
)
def test_lay_wordings_of_the_december_probes_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # ...and the look-alikes each of those changes was checked against
        ("cardiac_chest_pain", "heartburn after a curry, no sweating, no chest pain"),
        ("cardiac_chest_pain", "had a heart attack 5 years ago, the pain is back in his knee"),
        ("significant_overdose", "swallowed one of his heart tablets twice by mistake, feels fine"),
        ("severe_bleeding", "blood everywhere from a nosebleed, now stopped"),
        ("severe_bleeding", "officer down, blood everywhere. Update: cut finger, bleeding "
                            "controlled"),
        ("not_breathing", "can't get a word out of him, he's sulking"),
        ("head_injury", "small bump on her forehead from a cupboard door, no LOC, not on thinners"),
        ("unconscious", "not answering his phone, found at home safe and well"),
    ],
)
def test_look_alikes_of_the_december_probes_fire_nothing(flag: str, narrative: str) -> None:
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # critical presentations suite E missed at its first reading (tuned on since)
        ("significant_overdose", "empty blister packs of her mum's amitriptyline next to her, "
                                 "about 50 gone from the count, bit dopey"),
        ("sepsis_meningitis", "small dark red spots on his ankles that stayed when the RA pressed "
                              "a glass on them"),
        ("sepsis_meningitis", "spots did not fade when mum rolled a glass over them"),
    ],
)
def test_presentations_found_on_suite_e_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # look-alikes of suites C, D and E that had fired a flag
        ("sepsis_meningitis", "spots faded when she pressed a glass on them"),
        ("sepsis_meningitis", "student convinced she has meningitis after seeing it on the news"),
        ("sepsis_meningitis", "mum worried about sepsis cos she read about it on facebook"),
        ("injury_with_shock", "fell, cut elbow, confused but his wife says that's him normal"),
        ("unconscious", "DP not responding to any questions, just 'no comment', eyes open"),
        ("death_not_certain", "caller sobbing, sudden death of her dog this evening"),
        ("severe_bleeding", "freezing, soaked through after being out in the rain all night"),
        ("seizure", "known epileptic, usual fit lasting a minute, dozy for ten minutes after, "
                    "now back to normal"),
        ("penetrating_injury", "stabbed in the belly 3 years ago, scar aches when its cold"),
        ("penetrating_injury", "had his flu jab shot this morning, arm sore"),
        ("penetrating_injury", "heard what he thought were gunshots, turned out to be fireworks"),
        ("corrosive_or_face_burn", "his acid reflux again, burning up into his throat"),
        ("not_breathing", "she can't breathe for laughing at her husband"),
        ("not_breathing", "says 'I'm not breathing into your machine', refusing the breath test"),
        ("not_breathing", "toothache, no breathing or swallowing problems"),
        ("major_trauma", "fell off a wall about waist height, grazed hands"),
        ("head_injury", "a pure beamer o' a black eye fae the fitba, wisnae knocked oot"),
        ("major_trauma", "detained under s136 on the roof of the multi-storey, talked down"),
    ],
)
def test_look_alikes_of_suites_c_d_and_e_fire_nothing(flag: str, narrative: str) -> None:
    assert flag not in flags(narrative)


def test_a_vehicle_on_its_roof_is_still_major_trauma() -> None:
    assert "major_trauma" in flags("RTC, car on its roof, driver trapped")
    assert "major_trauma" in flags("van ended up on the roof in the ditch, driver trapped")


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # critical vignettes of the tuned suites that had raised no flag (the model alone had
        # deployed them), one or two per table change of 2026-12-02
        ("not_breathing", "fella on the floor, no breaths"),
        ("not_breathing", "lad's gone blue round the lips and his breathing's gone weird"),
        ("not_breathing", "food's stuck, he can't talk or cough, clutching at his throat"),
        ("not_breathing", "pulled out of the canal, coughing up water, breathing rattly"),
        ("not_breathing", "toddler face down in the garden pond, she was blue but crying now"),
        ("unconscious", "she's on the hall floor and she won't answer me"),
        ("unconscious", "cannae get him tae come roond at aw"),
        ("cardiac_chest_pain", "sudden tearing pain between the shoulder blades, pale, sweating"),
        ("cardiac_chest_pain", "his arm feels like lead and he's been sick, looks like a ghost"),
        ("cardiac_chest_pain", "grabbed her chest, says like a weight pressing on her, gone grey"),
        ("stroke", "can't get his words out, dribbling from one side"),
        ("stroke", "me mum's arm's gone dead an her words are all jumbled up"),
        ("stroke", "the mouth is go down on one side, he cannot hold the cup"),
        ("anaphylaxis", "lips like a balloon after the prawn crackers, voice gone husky"),
        ("anaphylaxis", "stung by a wasp, says his throat feels like its closing, wheezy"),
        ("seizure", "never had a fit in his life, just had one at the bus stop, now confused"),
        ("significant_overdose", "toddler drank methadone, v sleepy"),
        ("head_injury", "banged his head on the kitchen cabinet, he's on the thinners"),
        ("major_trauma", "dived off the jetty into shallow water, cant move his arms or legs"),
        ("penetrating_injury", "screwdriver in his side, still in"),
        ("penetrating_injury", "shots fired, one male down with a wound to his belly"),
        ("labour_complications", "in labour in a taxi, he can see the baby's arm coming out first"),
        ("labour_complications", "28 wks, pains every 3 mins, says she needs to push"),
        ("pregnancy_danger", "Woman 2 wks after C-section, terrible headache and blurred vision"),
        ("pregnancy_danger", "baby 3 weeks old, mum postnatal, awful headache, face swollen"),
        ("pregnancy_danger", "six weeks pregnant, sudden pain low on one side, feels faint"),
        ("pregnancy_danger", "about 7 months gone, went stiff and jerky for a minute"),
        ("sepsis_meningitis", "lady on chemo, temp 38.6, shakin"),
        ("sepsis_meningitis", "leg ulcer stinks, red streaks going up his thigh, not making sense"),
        ("sepsis_meningitis", "purply dots, they don't go away when I pushed the glass on"),
        ("thunderclap_headache", "like someone whacked him round the back of the head, came on "
                                 "outta nowhere"),
        ("hypoglycaemia", "DP's sugar's dropped to 2.4, he's away with the fairies"),
        ("hypoglycaemia", "shaky, confused, has a kit with a finger-prick thing in his bag"),
        ("hypothermia", "lyin in the back lane aal neet, frozen stiff, taakin rubbish"),
        ("strangulation", "red marks right round her neck from the dressing gown cord, raspy"),
        ("after_restraint", "taken to the ground, stopped shouting, gone very quiet"),
        ("infant_fever_or_floppy", "Baby's 6 weeks old, 38.4 on the ear thermometer"),
        ("infant_fever_or_floppy", "baby like a rag doll, skin all marbly blue and white"),
        ("corrosive_or_face_burn", "toddler pulled the kettle over, chest and both arms, skin "
                                   "coming off"),
        ("severe_bleeding", "nosebleed 2hrs wont stop, fainted twice"),
        ("severe_bleeding", "passing black tar like stuff from behind, fainted, on thinners"),
        ("falling_consciousness", "kid was face down in the paddling pool, now not really with it"),
        ("head_injury", "he's on the blood thinnin tablets, got a wee cut on his heid"),
    ],
)
def test_critical_vignettes_that_raised_no_flag_now_do(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # the look-alikes those changes were checked against (and the synthetic history's
        # distractor chatter they first caught)
        ("anaphylaxis", "hives after eating prawns, no swelling of throat, breathing ok"),
        ("falling_consciousness", "legless and drowsy, opens eyes to voice, drowning his sorrows"),
        ("severe_bleeding", "drowsy after vodka, bleeding the radiators when police arrived"),
        ("severe_bleeding", "nose bled for a bit, stopped currently, suspect collapsed the tent"),
        ("severe_bleeding", "diabetic felt shaky, had a hypo, took glucose, BM 7 now"),
        ("not_breathing", "her little one was blue round the lips after the paddling pool but "
                          "pink again now"),
        ("penetrating_injury", "tasered, barbs still in his back, calm and talking"),
        ("pregnancy_danger", "8 weeks pregnant, no pain, no bleeding, feels fine"),
    ],
)
def test_look_alikes_of_the_presentations_read_on_2026_12_02_fire_nothing(
    flag: str, narrative: str
) -> None:
    assert flag not in flags(narrative)


def test_a_clitic_s_is_read_as_the_word_it_is_attached_to() -> None:
    """ "neck's stiff", "the lass's face", "the pain's back": possessive or "is", the clitic is
    read away in the narrative and in the phrases alike."""
    assert without_clitic("neck's") == "neck"
    assert without_clitic("he's") == "he"
    assert without_clitic("'s") == "'s"
    assert "stroke" in flags("our lass's face has gone all lopsided")
    assert "sepsis_meningitis" in flags("says neck's stiff, can't stand the light, temp")


_NEGATIVE_WORDS = frozenset({"cannot", "cant", "wont", "unable", "never", "no"})
_AUXILIARIES = frozenset({"could", "would", "will", "does", "did", "do", "is", "was", "are",
                          "were", "has", "have", "had", "can", "should"})


def test_no_phrase_hides_a_two_word_alternative_inside_one_position() -> None:
    """'cannot|could not get his words out' reads as 'cannot not get...' or 'could not get...':
    a two-word alternative cannot share a position (four such phrases never matched their
    first alternative). Write them as separate phrases."""
    bad = []
    for name, phrases in rule_tables.tables().concepts.items():
        for phrase in phrases:
            parts = phrase.split()
            for a, b in itertools.pairwise(parts):
                alts = set(a.strip("[]").split("|"))
                if b == "not" and alts & _AUXILIARIES and alts & _NEGATIVE_WORDS:
                    bad.append((name, phrase))
                if b == "natal" and "postnatal" in alts:
                    bad.append((name, phrase))
                # "propranolol|beta blockers|beta blocker", "caught|got caught with": a word of
                # one position repeated as an alternative of the position before it (both
                # required) is a two-word alternative written across two positions
                if (not a.startswith("[") and not b.startswith("[") and len(alts) > 1
                        and alts & set(b.split("|"))):
                    bad.append((name, phrase))
    assert bad == []


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # a second round of lay-wording probes (2026-12-02), one per table change
        ("not_breathing", "the baby keeps stopping breathing for a few seconds"),
        ("cardiac_chest_pain", "pain like a vice across his chest, sweating cobs"),
        ("cardiac_chest_pain", "indigestion pain that's spreading to his jaw"),
        ("stroke", "woke up with his face all droopy and can't talk properly"),
        ("major_trauma", "knocked off his bike by a lorry"),
        ("sepsis_meningitis", "rash that won't go away when pressed with a glass, feverish"),
        ("strangulation", "found him hanging, still breathing"),
        ("hypoglycaemia", "sugar reading 2.1, sweaty and confused"),
        ("death_not_certain", "she's cold and blue, not sure if she's breathing"),
    ],
)
def test_lay_wordings_of_the_second_december_probes_fire_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


def test_a_rash_that_goes_white_under_a_glass_is_not_a_flag() -> None:
    assert "sepsis_meningitis" not in flags(
        "boy 3, temp 38.2, running around, rash goes white when pressed with a glass"
    )


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # critical presentations suite F missed at its first reading (tuned on since)
        ("strangulation", "doing the choking challenge with a dressing gown belt, came round "
                          "after a bit, voice is raspy"),
        ("significant_overdose", "took a rake of tablets, his ma's sleeping pills, he's away with "
                                 "it now"),
        ("not_breathing", "wee bit blue round the gob"),
        # non-critical deploys suite F found the model sending to the phone (beyond the spec)
        ("long_lie", "welfare check 91yo man, on the floor since last night, cannot get up"),
        ("limb_deformity", "F slipped on ice o/s flat, ankle deformed, foot warm, NWB"),
    ],
)
def test_presentations_found_on_suite_f_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


def test_got_away_with_it_is_not_drowsiness() -> None:
    narrative = "took an overdose {}, nicked a handbag today"
    assert "significant_overdose" in flags(narrative.format("and he is away with it now"))
    assert flags(narrative.format("last year and thought he got away with it")) == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # the critical presentation suite G missed at its first reading (tuned on since)
        ("cauda_equina", "bad back pain for a week but since yesterday both legs numb and weak, "
                         "numb 'down below' when she wipes, and she hasnt passed water"),
        # non-critical deploys suite G found the model sending to the phone
        ("long_lie", "found on his bedroom floor, says he slipped last night and couldnt get up"),
        ("limb_deformity", "left forearm bent in the middle after coming off his bike"),
        ("limb_deformity", "right leg looks shorter and the foot is turned out, groin pain"),
        # a past-tense inability is the finding, not a negation
        ("pulmonary_embolism_signs", "suddenly couldnt get her breath, sharp pain when she "
                                     "breathes in, calf swollen since the flight"),
        ("stroke", "could not move his left arm"),
        ("unconscious", "we could not wake him"),
        ("not_breathing", "officer could not find a pulse"),
        # a clitic "'s" written without its apostrophe
        ("sepsis_meningitis", "his necks stiff and he cant stand the light, temp 39"),
        ("anaphylaxis", "ate a nut, her lips are massive and she says her throats closing"),
    ],
)
def test_presentations_found_on_suite_g_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


def test_could_not_still_negates_what_a_search_did_not_find() -> None:
    assert flags("could not see any bleeding, could not find any injury") == set()


def test_a_plural_the_tables_spell_out_is_not_read_as_a_bare_clitic() -> None:
    comp = rules_mod._compiled()
    assert comp.bare_clitics["necks"] == "neck"
    assert comp.bare_clitics["throats"] == "throat"
    vocabulary = {w for phrases in rules_mod.tables().concepts.values() for p in phrases
                  for w in phrase_words(p)}
    assert all(plural not in vocabulary for plural in comp.bare_clitics)
    assert "runs" not in comp.bare_clitics  # spelt in a guard ("the runs"): never "run"


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("dangerous_heart_rate", "HR 32, dizzy and nearly fainted"),
        ("delirium_tremens", "alcohol withdrawal, seeing bugs, HR 130"),
        ("unconscious", "drunk in cell 6, now wont rouse to voice or a shake, snoring"),
        ("unconscious", "0230 check: snoring loudly, can't get him to stir with voice or a shake"),
    ],
)
def test_control_room_shorthand_found_on_suite_h_fires_its_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # critical presentations suite I missed at its first reading (tuned on since)
        ("labour_complications", "wife in labour at home, baby's coming but it's a FOOT that's "
                                 "come out first not the head"),
        ("head_injury", "drunk, fell in the street, on warfarin for his heart valve, vomited "
                        "twice and has a headache"),
        # presentations of suite I that raised no flag, deployed by the model alone
        ("not_breathing", "baby 6 weeks, skin sucking in under her ribs, a little grunt with "
                          "every breath"),
        ("not_breathing", "he stop breathing some second and start again, lips go little blue"),
        ("major_trauma", "kid hit by van not moving"),
        ("diabetic_ketoacidosis", "weeing loads and drinking loads, being sick, breathing in big "
                                  "heavy sighs"),
        ("pregnancy_danger", "my wife 32 week baby, she shake all body, very strong, "
                             "then go stiff"),
        ("self_harm_danger", "male cut his own throat with a razor, tea towel soaked"),
        ("unconscious", "found in the park after a night out, won't respond at all"),
    ],
)
def test_presentations_found_on_suite_i_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "9 year old ran into the side of a parked car, bruised knee, walking and playing",
        "baby girl 10 weeks had her jabs, temp 37.5 under the arm, feeding well",
    ],
)
def test_look_alikes_of_suite_i_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # critical presentations suites J, K and L missed at their first reading (tuned on since)
        ("major_trauma", "me da's gone backwards off the fifth step, his neck's killin him and "
                         "both his hands have gone all tingly and numb"),
        ("not_breathing", "CH night staff doing CPR on a resident found not breathing, DNACPR "
                          "was discussed with the family but never signed"),
        ("falling_consciousness", "sickness and diarrhoea for 3 days, that sleepy she can hardly "
                                  "wake him"),
        ("thunderclap_headache", "known migraine but this one came on like someone flicked a "
                                 "switch, worst she's ever had"),
        ("sepsis_meningitis", "bad headache, her neck is stiff and she's a bit muddled"),
        ("carbon_monoxide", "whole house has the head staggers, all been boking since the "
                            "morning, old gas boiler never serviced"),
        ("battery_or_magnet_swallowed", "2 year old swallowed one of the little round flat "
                                        "silver batteries out of the key fob"),
        ("significant_overdose", "toddler ate a load of mum's iron tablets, about 10 missing"),
        # a puncture of the eye by a pencil stays a penetrating injury
        ("penetrating_injury", "stabbed in the eye with a pencil by another pupil"),
        # a figure of speech never hides the real thing beside it
        ("cardiac_chest_pain", "the shock gave him a heart attack, crushing chest pain, sweating"),
    ],
)
def test_presentations_found_on_suites_j_k_and_l_fire_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # word-sense guards found on suites J, K and L (each a look-alike a writer set as a trap)
        ("stroke", "that hedge'll give me a stroke one of these days, he feels fine"),
        ("cardiac_chest_pain", "I nearly had a heart attack when I saw the bill for the fence"),
        ("cardiac_chest_pain", "he's having a heart attack about his phone getting nicked"),
        ("not_breathing", "if you arrest me I'll go into cardiac arrest, no chest pain"),
        ("unconscious", "daughter says mum's not responding to her texts, mum fine, phone died"),
        ("unconscious", "thought he was unconscious at first but he woke fully when spoken to"),
        ("unconscious", "says he nearly went unconscious with the shock, never fell"),
        ("seizure", "store staff thought he was having a fit at first, it's his Parkinson's "
                    "tremor"),
        ("seizure", "had a fit of the giggles at the trampoline"),
        ("seizure", "coughing fit after a cold, now fine"),
        ("penetrating_injury", "goalkeeper hurt his finger saving a shot, finger bent"),
        ("penetrating_injury", "shot in the eye point blank with a Super Soaker, eye watering"),
        ("penetrating_injury", "best man shot in the neck with a paintball gun, big welt"),
        ("penetrating_injury", "shot in the arm with an airsoft BB gun, red welt"),
        ("penetrating_injury", "stabbed by a massive bramble thorn, tiny hole in her hand"),
        ("penetrating_injury", "year 9 girl jabbed with a compass, one drop of blood on her hand"),
        ("head_injury", "black eye after a punch, eye swollen half shut but she can see fine "
                        "out of it, no LOC"),
        ("sepsis_meningitis", "badly sunburnt after falling asleep in the sun, feels a bit "
                              "shivery, drinking fine"),
        ("diabetic_ketoacidosis", "type 1 diabetic missed his insulin, sugar 9.4, ketones 0.2, "
                                  "eating, feels fine"),
    ],
)
def test_look_alikes_of_suites_j_k_and_l_fire_nothing(flag: str, narrative: str) -> None:
    assert flag not in flags(narrative)


def test_a_dnacpr_never_signed_is_no_dnacpr_but_a_valid_one_is() -> None:
    """An expected death is verified, not attended, only when the DNACPR is real."""
    valid = read_request(
        TriageRequest(narrative="found not breathing in bed, DNACPR in place, GP aware",
                      incident_type="sudden_death")
    )
    assert valid.red_flags == () and valid.verify_death is not None
    unsigned = read_request(
        TriageRequest(narrative="found not breathing in bed, DNACPR was discussed with the family "
                                "but never signed", incident_type="sudden_death")
    )
    assert "not_breathing" in {f.name for f in unsigned.red_flags}
    assert unsigned.verify_death is None


@pytest.mark.parametrize(
    "phrase", ["cannot|could not stand", "x unable|would not y", "never|did not wake"]
)
def test_a_negative_alternative_split_across_a_space_is_refused(phrase: str) -> None:
    """"cannot|could not stand" never matched "cannot stand" (a space starts a new position);
    the same slip was made four times on 2026-12-02, so the tables refuse it by name."""
    with pytest.raises(ValueError, match="followed by 'not' reads as two positions"):
        parse_phrase(phrase)
    t = rule_tables.tables()
    bad = {**t.concepts, "cannot_get_up": (*t.concepts["cannot_get_up"], phrase)}
    with pytest.raises(ValueError, match="Concept 'cannot_get_up'"):
        rules_mod.compile_tables(dataclasses.replace(t, concepts=bad))


def test_the_legitimate_neighbours_of_that_slip_are_accepted() -> None:
    assert len(parse_phrase("could|would not open")) == 3  # both need "not"
    assert len(parse_phrase("cannot|could|can [not] be found")) == 4  # "not" optional


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("long_lie", "elderly woman tripped on the kerb, painful swollen wrist, cant stand"),
        ("long_lie", "fell in the car park, cannot stand, right leg turned out"),
    ],
)
def test_cannot_stand_after_a_fall_is_a_long_lie(flag: str, narrative: str) -> None:
    """The old phrase "cannot|could not stand" only ever matched "could not stand"."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("narrative", "not_flag"),
    [
        ("husband 77 had a fit of coughing after his tea went down the wrong way, fine now, "
         "talking, breathing normally", "choking_airway"),
        ("felt faint, sat on floor, now alert and talking, choked on the result of the match, "
         "blue lights not needed", "choking_airway"),
        ("felt faint, sat on floor, pale, now alert and talking, fell out with his brother",
         "injury_with_shock"),
    ],
)
def test_idioms_the_ninth_session_guards_read_raise_nothing(narrative: str, not_flag: str) -> None:
    """"went down the wrong way" is not a collapse, "choked on the result" not an airway, "fell
    out with" not a fall (the last was the synthetic generator's distractor)."""
    assert flags(narrative) == set(), not_flag


def test_those_guards_leave_a_real_choke_and_a_real_fall_alone() -> None:
    assert "choking_airway" in flags("his tea went down the wrong way, now cannot speak, "
                                     "going blue")
    assert "long_lie" in flags("fell out of bed, cannot get up, been on the floor since "
                               "last night")


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("choking_airway", "DNACPR in place, he has choked and cant breathe"),
        ("choking_airway", "Palliative patient choked on a sandwich and is going blue"),
        ("choking_airway", "care home resident on end of life care, food stuck in her throat, "
                           "cant speak, going purple"),
        ("long_lie", "Man with a DNACPR, fell and cant get up, been on the floor since last "
                     "night"),
        ("long_lie", "Lady on palliative care fell 3 hours ago, still on the floor, cant get "
                     "up, talking to us"),
    ],
)
def test_a_dnacpr_does_not_cancel_a_living_emergency(flag: str, narrative: str) -> None:
    """A DNACPR covers CPR only: a blocked airway or a long lie in a living person with one
    still sends an ambulance (probes of 2026-12-02, ninth session)."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("significant_overdose", "s136, bipolar, says he's been taking extra lithium for weeks, "
                                 "now very shaky, walking like he's drunk, vomiting"),
        ("severe_bleeding", "drunk male in doorway bringing up loads of blood, bright red, says "
                            "it happens sometimes"),
        ("severe_bleeding", "palliative patient has started coughing up large amounts of blood"),
        ("severe_bleeding", "fist through a window, big gash on inner arm, blood squirting"),
        ("seizure", "custody: DP with known epilepsy had a fit, now had 3 more in 20 mins"),
        ("seizure", "had a fit last year, none since. Tonight she's had three in a row and "
                    "hasn't woken up between them"),
        ("head_injury", "prisoner head butted cell wall, bleeding from ear, clear fluid from nose"),
        ("labour_complications", "woman 37 wks, baby coming, can see a foot"),
        ("penetrating_injury", "male has a screwdriver sticking out of his side after a fight"),
        ("significant_overdose", "took a load of paracetamol about 8 hours ago, feels fine now"),
        ("anaphylaxis", "ate a satay at the takeaway, now face puffing up, wheezy, covered in "
                        "hives, feels faint"),
        ("unconscious", "youth found in the park, moaning but not opening his eyes to voice"),
        # the second review of the additions (2026-12-02)
        ("unconscious", "detainee found on the floor, not opening his eyes as of the 0400 "
                        "check, skin grey"),
        ("unconscious", "female collapsed in custody suite, not opening her eyes against a "
                        "sternal rub"),
        ("significant_overdose", "taken unk qty of her diazepam, now very drowsy"),
        ("severe_bleeding", "vomited a large amount of blood in the cell"),
        ("labour_complications", "baby coming, one foot is hanging out"),
        ("head_injury", "hit on the head with a bat, clear fluid coming from his nose"),
    ],
)
def test_emergencies_a_red_team_found_model_only_fire_their_flag(
    flag: str, narrative: str
) -> None:
    """Two red-team helpers ran 681 time-critical probes through the served product
    (2026-12-02, ninth session): two were not deployed and 128 rested on the model alone."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "bipolar, on lithium for years, levels checked last week and fine, no complaints",
        "on lithium, a bit of a tremor as usual, otherwise well",
        "hay fever, itchy eyes, a bit wheezy when she runs, no rash",
        "had a nosebleed earlier, a few spots of blood on his shirt, stopped now",
        "heater on in the flat, all well, just wants a welfare check on his neighbour",
        "lithium cells stolen from the warehouse, guard twitching nervously, more than 100 "
        "cases",
        "extra officers needed, male on lithium kicking off, drunk and staggering",
    ],
)
def test_look_alikes_of_the_red_team_wordings_fire_nothing(narrative: str) -> None:
    """Harmless narratives the first and second reviews of the additions wrote to tempt them."""
    assert flags(narrative) == set()


def test_an_expected_death_found_on_the_floor_is_still_one_to_verify() -> None:
    """The long lie's bare words ("found on the floor since last night") still yield to an
    expected death: only a person who cannot get up, or is confused, is read as alive."""
    reading = read_request(TriageRequest(
        narrative="End of life care, found on the floor since last night, no signs of life, "
                  "DNACPR seen", incident_type="sudden_death"))
    assert reading.red_flags == () and reading.verify_death is not None


@pytest.mark.parametrize(
    "narrative",
    [
        "DNACPR in place, she choked on her tea earlier, coughed it up and is fine now, talking "
        "normally",
        "DP agitated, says he's gasping for a fag, irritable, asking for a patch",
        "says she is gasping for a cuppa, otherwise fine",
    ],
)
def test_a_choke_now_cleared_and_a_craving_flag_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


def test_gasping_for_a_drink_does_not_hide_a_blue_patient() -> None:
    assert "not_breathing" in flags("gasping for a drink, lips gone blue, cant get his words out")
    assert "not_breathing" in flags("gasping for breath after the fight")


def test_the_withdrawn_head_separated_sign_no_longer_hides_a_trapped_driver() -> None:
    """'Head separated from the body' was tried as a sign of death and withdrawn after review:
    it also read 'head was separated from the body of the car, trapped, unconscious'."""
    reading = read_request(TriageRequest(
        narrative="RTC, head has been separated from the body panel by impact, driver trapped, "
                  "unconscious"))
    assert "unconscious" in {f.name for f in reading.red_flags}
    assert reading.verify_death is None


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # critical presentations of suites J, K and L that the model alone deployed (no flag)
        ("stroke", "dribbling out the right side of his mouth, can't grip his spoon with his "
                   "right hand and his speech is all mushy"),
        ("stroke", "her face looks different on the right side, like it has melted"),
        ("stroke", "left arm hanging down by her side, she can't lift it when asked, her smile "
                   "is lopsided"),
        ("stroke", "trying to talk but the words come out all jumbled, her left arm keeps "
                   "dropping, face is lopsided"),
        ("cardiac_chest_pain", "grey, skin cold and wet, pain in me back between me shoulders"),
        ("sepsis_meningitis", "long-term catheter, bag has hardly filled since this morning, "
                              "he's burning up"),
        ("severe_bleeding", "his poo has been black like tar for 2 days, nearly passed out on "
                            "the toilet, white as a sheet and sweaty"),
        ("severe_bleeding", "brought up half a washing up bowl of bright red blood, pale and "
                            "clammy"),
        ("abdominal_pain_with_collapse", "sudden terrible pain in his back going round to his "
                                         "tummy, gone grey and sweaty"),
        ("anaphylaxis", "new antibiotic, her lips and tongue have swollen right up, she's "
                        "wheezing, voice gone hoarse"),
        ("hypoglycaemia", "type 1 diabetic, staring, sweating, not answering them, sugar 1.8"),
        ("head_injury", "pushed to the ground, blood coming from the back of his head, dazed, "
                        "on edoxaban"),
        ("strangulation", "he grabbed her round the throat with both hands, she might have "
                          "blacked out for a second"),
        ("not_breathing", "collapsed, eyes open but he won't react when she touches his face, "
                          "his breathing is loud and strange"),
        ("unconscious", "slumped on the bench, opens his eyes for a second if you rub his chest "
                        "then drifts off again"),
        ("bowel_obstruction", "no bowels opened for 10 days, tummy hard and swollen, vomiting "
                              "dark stuff"),
        ("abdominal_pain_with_collapse", "sudden really bad tummy pain, says it's the worst pain "
                                         "of her life, been sick, grey and clammy"),
        ("long_lie", "found on the bedroom floor wedged between the bed and the wardrobe, been "
                     "there 2 days, the wee in his bottle is like cola"),
        ("dangerous_heart_rate", "keeps blacking out, her pulse on the machine is 32"),
        ("thunderclap_headache", "very bad pain in head, very sudden, like somebody hit her with "
                                 "bat"),
        ("swallowed_drugs", "officers saw him swallow several small wraps, now sweating a lot"),
        ("not_breathing", "pulled out of the canal, coughing a lot, breathing fast and frothy"),
        ("head_injury", "toddler fell from the top of the stairs, went very sleepy, been sick "
                        "three times"),
        ("significant_overdose", "sertraline and tramadol then MDMA, legs jumping and twitching "
                                 "on their own, sweating, feels hot"),
        ("major_trauma", "male on the floor getting stamped on by two males, not moving at all "
                         "since"),
        ("head_injury", "single punch, his head bounced off the pavement, lying there snoring, "
                        "blood coming out of his ear"),
        ("major_trauma", "pedestrian went under the front of a double decker, both legs look "
                         "squashed"),
        ("major_trauma", "rocket went off in his hand, two fingers hanging off"),
        ("corrosive_or_face_burn", "firework, burns all over his face, eyebrows gone"),
        ("penetrating_injury", "beater hit with shotgun pellets to face and neck"),
    ],
)
def test_critical_presentations_of_suites_j_k_and_l_the_model_alone_caught_now_fire(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


def test_a_plural_the_tables_spell_elsewhere_is_still_read_as_the_word() -> None:
    """"headaches" is spelt in one phrase (a household ill together), so the engine does not
    read it as "headache" the way it reads other "s" forms: every phrase naming "headache" must
    accept "headaches" itself (it once lost the carbon-monoxide flag of "boiler making a funny
    noise, all with headaches and being sick")."""
    comp = rules_mod.compile_tables(rule_tables.tables())
    assert "headaches" not in comp.bare_clitics  # spelt in a phrase: left as written
    assert "carbon_monoxide" in flags("boiler making a funny noise, all with headaches and "
                                      "being sick")
    assert "thunderclap_headache" in flags("worst headaches ever, came on all of a sudden")


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("injury_with_shock", "got the runs after a dodgy kebab, a bit pale"),  # runs: diarrhoea
        ("carbon_monoxide", "feels sick and dizzy cos he's worried about court"),  # cos
    ],
)
def test_an_s_form_with_a_sense_of_its_own_is_not_read_as_the_word(
    flag: str, narrative: str
) -> None:
    assert set(NOT_PLURALS) >= {"run", "co", "shot", "stroke"}
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # a review of the suite J-L changes found these hidden by a guard or an exclusion; each
        # must stay a flag (under-triage is the harm)
        ("not_breathing", "an off-duty hospice nurse passing by found a man collapsed in the "
                          "street, not breathing, she has started CPR"),
        ("unconscious", "male found unresponsive in his flat by his neighbour, who is a hospice "
                        "nurse"),
        ("penetrating_injury", "youths having a water fight in the park when one was stabbed in "
                               "the stomach"),
        ("penetrating_injury", "male stabbed in the chest, the suspect ran off through the "
                               "brambles"),
        ("penetrating_injury", "male stabbed in the neck with a pencil during a fight in the cell"),
        ("cardiac_chest_pain", "male having a heart attack over on platform 2"),
        ("cardiac_chest_pain", "wife says he is having a heart attack about 10 minutes ago he "
                               "went grey"),
        ("anaphylaxis", "her throat is swollen shut after eating peanuts"),
        ("anaphylaxis", "his lips are swollen shut after a bee sting and he is wheezing"),
        ("unconscious", "door staff thought he was unconscious and called police, he is lying "
                        "in the alley"),
        ("seizure", "mum thought he was having a fit, it is the first time"),
        ("unconscious", "not responding to the door, neighbour can see him through the window "
                        "lying on the kitchen floor"),
        ("sepsis_meningitis", "off sick with a water infection, shaking under a duvet, muddled, "
                              "her knees and legs have gone blotchy purple"),
    ],
)
def test_real_presentations_the_review_found_hidden_stay_flags(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # ...and these over-broad readings, each now narrowed
        ("stroke", "she strokes the dog to calm down, has a panic attack"),
        ("stroke", "had two strokes in the past, now has a cough and a temperature"),
        ("penetrating_injury", "they were doing shots at the club, now he is being sick"),
        ("major_trauma", "her car keys fell under the car so she crawled to get them"),
        ("major_trauma", "the neighbour had run over to help her up after she slipped"),
        ("major_trauma", "left leg amputated years ago due to diabetes, fell out of his "
                         "wheelchair, not injured"),
        ("stroke", "drunk male asleep on a bench, dribbling from the side of his mouth"),
        ("stroke", "man fell on his outstretched hand and cannot lift anything with his right "
                   "arm, wrist swollen"),
        ("stroke", "her face is lopsided from the swelling after she was punched"),
        ("stroke", "kitchen fire, now out, the kettle looks like it has melted"),
        ("unconscious", "toddler got sand in his eyes at the beach and will not open his eyes"),
        ("severe_bleeding", "she has been vomiting but there is no blood in it, she fainted"),
        ("hypoglycaemia", "diabetic detainee not answering questions, refusing to engage"),
        ("carbon_monoxide", "gas boiler in the flat, we are all sick of the noise"),
        ("carbon_monoxide", "gas boiler in the flat, the dog is poorly"),
        ("abdominal_pain_with_collapse", "man cut his forearm on glass, missed the main artery, "
                                         "felt faint"),
        ("bowel_obstruction", "child vomiting up brown liquid after drinking cola, otherwise well"),
        ("significant_overdose", "man in cell is sweating, his legs are twitching, he is "
                                 "withdrawing from heroin"),
        ("significant_overdose", "mum takes iron tablets, her 3 year old child has a cough"),
        ("head_injury", "boy fell off his scooter and bumped his head, a bit dazed for a second "
                        "but fine now and chatting"),
        ("thunderclap_headache", "her mood changes like a switch, she has a headache"),
        ("major_trauma", "driver stamped on the brakes, passenger shaken"),
    ],
)
def test_look_alikes_the_review_found_fire_nothing(flag: str, narrative: str) -> None:
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # critical presentations of suites M, N and O that the model alone deployed (no flag)
        ("cardiac_chest_pain", "like a band tight round his chest, going down his left arm, "
                               "sweating and grey"),
        ("major_trauma", "man changing a tyre struck by a passing van and thrown over the "
                         "barrier, not moving"),
        ("sepsis_meningitis", "off with flu, didnt know what day it was, acting really odd, "
                              "feels hot to touch"),
        ("thunderclap_headache", "grabbed her head, said something had exploded at the back of "
                                 "her head, thrown up twice, wants the lights off"),
        ("labour_complications", "her waters just went, 37 wks, something like a grey blue rope "
                                 "hanging out down there, she can feel it pulsing"),
        ("pregnancy_danger", "sudden agony low down on the left, could be pregnant, pale and "
                             "sweaty, fainted"),
        ("abdominal_pain_with_collapse", "sudden terrible pain top of his stomach, stomach feels "
                                         "rock hard like a board, grey and sweating"),
        ("anaphylaxis", "stung by a wasp, face and eyes puffed up, said his throat was closing"),
        ("pregnancy_danger", "had their baby 5 days ago, headache and blurry vision, then a fit"),
        ("cardiac_chest_pain", "collapsed while sprinting, said his chest hurt just before he "
                               "went down"),
        ("severe_bleeding", "on rivaroxaban, passing loads of blood from her back passage, "
                            "dizzy and faint, cold and clammy"),
        ("major_trauma", "jumped off the footbridge, approx 20 foot, back agony, cannot feel "
                         "her legs"),
        ("not_breathing", "walked into the river, lads got her out, breathing sounds all bubbly "
                          "and gurgly"),
        ("cardiac_chest_pain", "both his arms are aching and his jaw, clammy and a funny grey "
                               "colour"),
        ("major_trauma", "jumped from level 4 of the multistorey onto a car roof"),
        ("significant_overdose", "took an unknown amount of mum's amlodipine, very dizzy, white "
                                 "as a sheet, nearly fainted"),
        ("carbon_monoxide", "found in his car in the garage with the engine running and a hose "
                            "through the back window, drowsy, sick, head pounding"),
        ("hypoglycaemia", "insulin pen in his property, won't even answer the nurse, just "
                          "staring, clammy and sweaty"),
        ("head_injury", "fell over at the bus stop before arrest, one pupil huge and the other "
                        "small"),
        ("significant_overdose", "took a load of aspirin, ringing in her ears, breathing fast "
                                 "and deep, been sick"),
        ("thyroid_storm", "overactive thyroid, stopped the tablets, very hot, heart going very "
                          "fast, saying strange things"),
    ],
)
def test_critical_presentations_of_suites_m_n_and_o_the_model_alone_caught_now_fire(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("major_trauma", "mountain biker came off on the bridleway at low speed, gravel rash"),
        ("cardiac_chest_pain", "benching heavy and felt something go in the left side of his "
                               "chest, hurts when he presses on it, colour good"),
        ("significant_overdose", "took one of his wife's amlodipine by mistake, feels fine, not "
                                 "dizzy"),
        ("significant_overdose", "only on aspirin, bumped her head, no blackout"),
    ],
)
def test_look_alikes_of_suites_m_n_and_o_fire_nothing(flag: str, narrative: str) -> None:
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # suite Q: requests as typed, dictated and autocorrected (tuned on after its first reading)
        ("significant_overdose", "3yo found with nans blister pack of tablets pack empty tabs are "
                                 "her heart ones bisoprolo?? child bit sleepy now"),
        ("cardiac_chest_pain", "husband has got chess pain heavy like a wait on his chest, "
                               "clammy, had a stent put in last year"),
        ("cardiac_chest_pain", "bad wind in her chest since lunch, skins gone cold and clammy"),
        ("not_breathing", "on home oxygen, now she can barely say 2 words, breathing really fast"),
        ("stroke", "his wifes speech is slurred and her mouth is drooping on the left, he "
                   "thought shed had a drink but she never drinks"),
        ("seizure", "male on the floor having a fitness, been going 10 mins plus not stopping"),
        ("severe_bleeding", "vomiting large amounts of bright red blood, pale clammy"),
        ("penetrating_injury", "male with a stag wound to the abdo outside kebab shop"),
        ("penetrating_injury", "tried to climb the railings, spike gone right thru his thigh"),
        ("anaphylaxis", "ate a cake with nuts in, lips swelling up, wheezy, used her eppi pen"),
        ("anaphylaxis", "blotches all over after his takeaway, says his tongue feels fat"),
    ],
)
def test_requests_as_typed_and_dictated_found_on_suite_q_fire_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("not_breathing", "DV victim not breathing a word to her family, bruised wrist"),
        ("not_breathing", "had a panic attack, hes not breathing heavy no more, calm now"),
    ],
)
def test_look_alikes_of_suite_q_fire_nothing(flag: str, narrative: str) -> None:
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # suite P (children; tuned on after its first reading)
        ("not_breathing", "4yo eating peanuts, started coughing violently, coughing non stop for "
                          "20 minutes, now wheezing and breathing fast"),
        ("seizure", "my son he is shaking all the body, the eyes go up, he is very hot, is 10 "
                    "minut already and not stopping"),
        ("intussusception_signs", "9 month, screaming and pulling his legs up, in the nappy is "
                                  "blood and slime like jam"),
        ("bowel_obstruction", "5 day old baby boy vomiting bright green bile, tummy swollen and "
                              "tight, quite sleepy"),
        ("not_breathing", "making a loud squeaky noise breathing in even when sat still, "
                          "dribbling, leaning forward"),
        ("seizure", "17yo collapsed in class, shaking all over for about 3 minutes, bit his "
                    "tongue, never happened before"),
        ("cardiac_chest_pain", "collapsed near the finish, said her heart was racing and her "
                               "chest went tight before she went down"),
        # the second review: presentations a narrowing had hidden
        ("major_trauma", "male falls from scaffolding, not moving"),
        ("head_injury", "elderly lady on warfarin falls down the stairs, now has a headache"),
        ("major_trauma", "two teenagers thrown from their bikes when the car hit them"),
        ("stroke", "she has fallen in the kitchen and her face is lopsided and her left arm will "
                   "not work"),
        ("major_trauma", "male stamped on the head, not moving"),
        ("major_trauma", "man fell under a train at the station, legs trapped"),
        ("significant_overdose", "on antidepressants, legs twitching on their own, eyes flicking "
                                 "side to side, very hot and sweating"),
        ("significant_overdose", "my 2 year old has eaten some of my iron tablets"),
        ("severe_bleeding", "vomiting large amounts of blood, now drowsy and pale"),
        ("strangulation", "he held her throat until she passed out"),
        ("carbon_monoxide", "boiler has been making noises, all of us have been sick since this "
                            "morning"),
        ("head_injury", "he was hit over the head with an airsoft gun and was knocked out"),
        ("penetrating_injury", "he was stabbed with a pencil in the eye by another pupil"),
        ("anaphylaxis", "stung by a wasp, her eyes are swollen shut and she is wheezing"),
        ("penetrating_injury", "he has taken two shots to the chest"),
    ],
)
def test_suite_p_and_the_second_review_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("major_trauma", "victim says her car was parked on level 2 of the car park"),
        ("thunderclap_headache", "officers entered the flat, lights off, male on the sofa with a "
                                 "headache, has been sick"),
        ("cardiac_chest_pain", "her chest goes tight when she panics, no pain now"),
        ("stroke", "her face is lopsided from the swelling after the punch"),
        ("penetrating_injury", "did 4 shots in the pub, drunk and abusive"),
        ("not_breathing", "my toddler can say 20 words and has a cough"),
        ("seizure", "young fit lad, cut his hand, bleeding will not stop"),
        ("seizure", "having a fitness session in the park when he twisted his knee"),
        ("major_trauma", "the bath has run over and flooded the flat, no injuries"),
        ("significant_overdose", "she swallowed her iron tablets this morning as usual, now has "
                                 "tummy ache"),
        ("significant_overdose", "child on sotalol for a heart condition, has a cold"),
        ("head_injury", "a history of falls, on warfarin, has a headache today"),
    ],
)
def test_look_alikes_of_suite_p_and_the_second_review_fire_nothing(
    flag: str, narrative: str
) -> None:
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # the third review: presentations a narrowing of the P-Q changes had hidden
        ("major_trauma", "he was run over there by the bus outside the station"),
        ("carbon_monoxide", "engine running, hose into the car, man drowsy and vomiting"),
        ("thunderclap_headache", "suddenly grabbed his head and collapsed, vomiting"),
        ("thyroid_storm", "known overactive thyroid, very hot, fever 39, heart racing at 170"),
        ("abdominal_pain_with_collapse", "lying dead still with belly pain, will not let anyone "
                                         "touch it, grey"),
        ("not_breathing", "man collapsed at bus stop, sounds all gurgly, eyes closed, not "
                          "responding"),
        ("stroke", "her face went lopsided with the fall and she is not talking properly"),
        ("abdominal_pain_with_collapse", "agony in one side, sweating, pale, went down"),
        ("not_breathing", "crowing sound when breathing in, child with croup"),
        ("significant_overdose", "3yo found with her nan's empty blister pack of bisoprolol, "
                                 "bit sleepy"),
    ],
)
def test_presentations_the_third_review_found_hidden_fire_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # suite R (regional and community English): the critical presentations that raised no
        # flag at its first reading, in their own words (SYNTHETIC)
        ("head_injury", "lad went doon the stairs heed first, was spark oot for a good minute, "
                        "keeps asking what happened"),
        ("head_injury", "fell down the stairs, was spark oot for a minute, been sick twice"),
        ("head_injury", "fell off the wall, knocked out briefly, keeps asking what happened"),
        ("seizure", "lassie been shaking all over for about eight minutes now, it's no stopping"),
        ("penetrating_injury", "just a wee nick in his back fae a blade, bit short of breath"),
        ("penetrating_injury", "lad's got a little cut on his chest, says he got caught with a "
                               "blade"),
        ("penetrating_injury", "her fella caught her with a knife during the row, she's holding "
                               "a towel on her tummy"),
        ("head_injury", "88, down the whole flight of stairs, head's got a gash, he's muddled"),
        ("after_restraint", "stripped down to his boxers in January, roasting hot to touch, took "
                            "four of us to hold him"),
        ("after_restraint", "off his head, pouring with sweat, hot to touch, strength of ten men"),
        ("seizure", "went all stiff then shaking, never had owt like that before his mate says"),
        ("strangulation", "partner had her by the throat up against the wall, everything went "
                          "black for a bit"),
    ],
)
def test_regional_and_community_english_of_suite_r_fire_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # a knife carried is not a knife in a wound (police requests often follow an arrest)
        ("penetrating_injury", "male caught with a knife in his pocket, arrested, calm and well"),
        ("penetrating_injury", "he got caught with a blade on him at the match, arrested, no "
                               "injuries, wants a drink of water"),
        ("penetrating_injury", "found with two knives in his rucksack, detained, asthma inhaler "
                               "needed"),
        # "heed" only reads as a head where it names one
        ("head_injury", "took no heed of the officers, drunk, walked off, no injuries"),
        # a first time that is not a fit
        ("seizure", "never had anything like that before, a rash on her arm"),
    ],
)
def test_look_alikes_of_suite_r_fire_nothing(flag: str, narrative: str) -> None:
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # phrases that had held a two-word alternative inside one position and so never matched
        # it ("will not|would not open ...", "no use|no good|useless|no help"), split (2026-12-02)
        ("unconscious", "collapsed in the street, she won't open her eyes even when I shout"),
        ("asthma_not_relieved", "asthmatic, her blue inhaler is no good, she is tired out from "
                                "breathing"),
        ("asthma_not_relieved", "asthmatic, inhaler is useless, exhausted"),
    ],
)
def test_phrases_once_split_across_positions_now_match_their_wording(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


def test_police_wording_for_an_arrest_is_not_an_inhaler_that_was_no_use() -> None:
    narrative = ("asthmatic detainee wants his inhalers, not wheezy, talking in full sentences, "
                 "no use of force on arrest")
    assert "asthma_not_relieved" not in flags(narrative)
    assert "asthma_not_relieved" in flags("asthmatic, no use of force on arrest, inhaler no "
                                          "good, cannot finish sentences")


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # a review of the suite R changes: wordings a first version of them had hidden or missed
        ("penetrating_injury", "male attacked with a knife in the car park, bleeding from his "
                               "side"),
        ("penetrating_injury", "male stuck with a knife in the car park, holding his stomach"),
        ("penetrating_injury", "he fell on a knife in his pocket and it has gone into his thigh"),
        ("penetrating_injury", "he fell onto the knife in his bag, it's gone into his belly"),
        ("cardiac_chest_pain", "sudden tearing pain between his shoulder blades in the car, grey "
                               "and sweaty"),
        ("hypothermia", "found on the hill, her heed cold and she's not making sense"),
        ("after_restraint", "took six officers to hold him down, he is red hot"),
        ("penetrating_injury", "he caught him with the knife, holding his side"),
    ],
)
def test_wordings_the_suite_r_review_found_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("penetrating_injury", "caught with a knife, has calmed down now, asking for his inhaler"),
        ("penetrating_injury", "youth caught with a knife at school, graze on his knee, bleeding "
                               "slightly"),
        ("after_restraint", "took 3 of us to hold him, now calm and chatty in the cell"),
        ("after_restraint", "he stripped down to his boxers for the search, handcuffed, no "
                            "injuries"),
        ("seizure", "alcoholic, his back has gone all stiff from sleeping on the bench"),
        ("strangulation", "bouncer had him by the neck of his jumper, he is drunk and confused"),
        ("penetrating_injury", "car went into the back of mine at the lights, neck a bit sore"),
    ],
)
def test_look_alikes_the_suite_r_review_found_fire_nothing(flag: str, narrative: str) -> None:
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # wordings the suite R review found still missed (SYNTHETIC)
        ("cardiac_chest_pain", "ripping pain in his back between the shoulder blades, collapsed"),
        ("penetrating_injury", "a gash in his belly from a knife"),
        ("penetrating_injury", "a slash across his back with a stanley knife"),
        ("penetrating_injury", "he has a knife cut to his chest"),
        ("penetrating_injury", "wound to the belly from a knife"),
        ("penetrating_injury", "wee nick in his side off a blade"),
        ("penetrating_injury", "a nick in his back from a broken bottle, bleeding"),
        ("strangulation", "he had her up against the wall by the throat, she blacked out"),
        ("strangulation", "he had his arm round her neck and squeezed, she went limp"),
        ("strangulation", "he was squeezing her neck, she blacked out"),
        ("seizure", "this has never happened to him before, had a fit"),
        ("seizure", "had a seizure, he's no epileptic"),
        ("seizure", "a fit at the bus stop, first one he's ever had"),
        ("seizure", "shaking all over for five or six minutes"),
        ("head_injury", "hit on the head with a bat, went out like a light"),
        ("head_injury", "punched in the head, it went dark for a few seconds"),
        ("head_injury", "keeps asking where am i after hitting his head"),
        ("after_restraint", "took his clothes off, fighting like mad, sweating buckets, red hot"),
    ],
)
def test_wordings_the_suite_r_review_found_missed_fire_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # a second review of the suite R changes: presentations a first version had hidden
        ("penetrating_injury", "knife in his waistband went into his groin when he was taken to "
                               "the ground, pale and sweaty"),
        ("penetrating_injury", "he pulled the knife out of his chest and put the knife in his "
                               "pocket, now pale and clammy"),
        ("after_restraint", "male handcuffd in the back of the van has gone quiet and limp"),
        ("after_restraint", "he is in handcuffs and has gone quiet and limp"),
        ("unconscious", "female cannot be wokan after taking tablets"),
        ("strangulation", "hands round her neick until she blacked out"),
        ("stroke", "his words are not coming out right, face drooping on one side"),
        ("seizure", "her son went all stiff and then started shaking, first time ever"),
        ("after_restraint", "took 4 police officers to hold him down, boiling hot"),
        ("unconscious", "found on the floor of the flat, will not open his eyes"),
    ],
)
def test_presentations_the_second_suite_r_review_found_hidden_fire_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("penetrating_injury", "youth caught with a knife after a foot chase, he is holding his "
                               "side and out of breath, no injuries"),
        ("penetrating_injury", "stanley knife cut to the side of his thumb at work, bleeding "
                               "controlled"),
        ("penetrating_injury", "deep cut to the side of his foot from glass on the beach, walking "
                               "about"),
        ("penetrating_injury", "the dog bit him, it went into his leg, minor puncture wound"),
        ("penetrating_injury", "arrested with a knife in his jeans pocket, no injuries"),
        ("head_injury", "the argument was sparked by a parking dispute and he was punched once, "
                        "he is fine and talking"),
        ("head_injury", "power cut, it went dark and she banged her head on the door, small "
                        "bump, she is fine"),
        ("head_injury", "he fell asleep in the cell and was out like a light, he has been sick "
                        "twice after the kebab"),
        ("head_injury", "victim of a robbery, punched to the head, keeps asking what happened to "
                        "his wallet, alert"),
        ("after_restraint", "it took four officers to restrain him, handcuffed, no injuries, calm "
                            "in the van"),
        ("after_restraint", "strip search, he stripped down and is sweating heavily because he "
                            "is nervous"),
        ("strangulation", "drunk male, his mate had his arm round his neck holding him up, he is "
                          "drowsy from drink"),
        ("seizure", "the lad went all stiff and refused to move, this is the first time he has "
                    "been arrested"),
        ("asthma_not_relieved", "asthmatic detainee, exhausted after a long night, wants his "
                                "inhaler"),
        ("asthma_not_relieved", "he is asthmatic, his solicitor is no help, he wants to see the "
                                "nurse about a headache"),
        ("unconscious", "toddler got sand in his eyes at the beach and will not open his eyes"),
    ],
)
def test_look_alikes_the_second_suite_r_review_found_fire_nothing(
    flag: str, narrative: str
) -> None:
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # suite S (long incident logs): the critical presentations that raised no flag at its
        # first reading, the deciding lines in their own words (SYNTHETIC)
        ("unconscious", "male slumped on the floor, a needle beside him. Not answering, eyes "
                        "closed"),
        ("not_breathing", "breathing is very slow, about 4 or 5 breaths a minute, pupils like "
                          "pinpoints"),
        ("severe_bleeding", "cut on the side of his neck, door staff holding a bar towel on it, "
                            "blood coming through fast, very pale"),
        ("major_trauma", "fell down the full flight of stairs, landed head first, says his neck "
                         "hurts and his arms are tingling"),
        ("cardiac_chest_pain", "a tight band across his chest, clammy and a grey colour, had "
                               "stents"),
        ("self_harm_danger", "found with her leggings tied round her neck, voice gone croaky"),
        ("sepsis_meningitis", "burning hot, shaking, heart racing, vague and not making much "
                              "sense, hasn't passed water since yesterday"),
        ("death_not_certain", "landlord says he has obviously been dead for days; officers "
                              "inside: might be a very faint breath, not happy he's gone"),
    ],
)
def test_long_logs_of_suite_s_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("cardiac_chest_pain", "the officer said he was having a heart attack about the cost of "
                               "the ambulance, joking; she has diarrhoea and vomiting"),
        # a review of the suite S changes: over-firing of a first version
        ("death_not_certain", "caller says her phone has been dead all day so she could not "
                              "report the burglary sooner"),
        ("cardiac_chest_pain", "minor shunt, seat belt across his chest, feeling sick from the "
                               "shock, no pain"),
        ("severe_bleeding", "grazed knee, blood coming through the hand towel, stopped now"),
        ("strangulation", "elderly man with dementia, confused, towel round his neck after his "
                          "bath, otherwise well"),
        ("unconscious", "suspect in interview with eyes closed and will not answer questions, no "
                        "comment interview"),
    ],
)
def test_look_alikes_of_suite_s_fire_nothing(flag: str, narrative: str) -> None:
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # a review of the suite S changes: presentations its first guards had hidden
        ("cardiac_chest_pain", "caller says a man is having a heart attack over the road outside "
                               "the co-op, he is on the floor"),
        ("seizure", "care plan says call an ambulance only if a fit lasts more than 5 minutes. "
                    "it has now lasted 15 minutes"),
        ("sepsis_meningitis", "care home resident with dementia, temperature 39.2, well beyond "
                              "her usual level of confusion today"),
        ("death_not_certain", "family say he has been dead some hours; officer is not sure if he "
                              "is dead"),
        ("self_harm_danger", "in cell, had tied her leggings round her neck, conscious and "
                             "talking"),
    ],
)
def test_presentations_the_suite_s_review_found_hidden_fire_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # suite T (transport, escorts, roads, airports): the critical presentations that raised
        # no flag at its first reading, in their own words (SYNTHETIC)
        ("significant_overdose", "prisoner took a few of her mums tablets this morning, bit dozy "
                                 "now"),
        ("after_restraint", "he was on his front with three of us on him for a bit, lying there "
                            "dead still now"),
        ("hypoglycaemia", "sweating, vague, has a meter in the car that says 2.1, he's type 1"),
        ("major_trauma", "one under on the fast line, male is under the third coach, screaming "
                         "about his legs"),
        ("significant_overdose", "scan shows packages in his gut, sweating, heart racing, pupils "
                                 "huge and confused"),
        ("self_harm_danger", "cut both his arms with a razor blade, blood running out under the "
                             "door, wanted to end it"),
        ("hypothermia", "found in the woods after a night out, cold as ice, wet through, doesn't "
                        "know his own name"),
        ("major_trauma", "tug pinned him against the aircraft hold door, can't move his legs, "
                         "very pale"),
    ],
)
def test_settings_of_suite_t_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("major_trauma", "went under the table to get his keys, no injuries"),
        ("significant_overdose", "asking for his mum's tablets to be brought to custody, well"),
        ("hypothermia", "wet through from the rain, chatting, knows where he is, wants a lift"),
    ],
)
def test_look_alikes_of_suite_t_fire_nothing(flag: str, narrative: str) -> None:
    assert flag not in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # -- presentations the suite T review found hidden (SYNTHETIC)
        # a review of the suite S fixes and the suite T changes (312 critical probes): what the
        # narrowed phrases, guards and new words had hidden (SYNTHETIC)
        ("not_breathing", "found him on the sofa, breathing is really slow, mate says he had a few "
                          "bags earlier"),
        ("not_breathing", "baby breathing about 60 or 70 breaths a minute, grunting"),
        ("unconscious", "in the bath, eyes closed, not answering, water still running"),
        ("unconscious", "lying on the bench in the cell, eyes closed, not answering"),
        ("unconscious", "in the passenger seat, eyes closed, not answering, empty pill packets"),
        ("death_not_certain", "caller says her husband has been dead for about 10 minutes, she "
                              "has not touched him"),
        ("death_not_certain", "caller says the old man next door is definitely dead"),
        ("not_breathing", "flat full of decomposing food, man on floor not breathing, officers "
                          "doing cpr"),
        ("death_not_certain", "skeletal thin, found on the floor not breathing, officers doing "
                              "cpr"),
        ("strangulation", "he put a towel round her neck and pulled, she passed out"),
        ("strangulation", "he tied something round her neck, she passed out"),
        ("self_harm_danger", "found in cell with her tights round her neck, face purple"),
        ("self_harm_danger", "young lad in custody has tied his t shirt round his neck"),
        ("severe_bleeding", "blood coming through a towel quickly, the train has stopped"),
        ("major_trauma", "fell off horse, neck hurts, fingers are tingling"),
        ("major_trauma", "fell backwards down stairs, neck sore, her left arm is tingling"),
        ("cardiac_chest_pain", "says there's a band across his chest and he feels sick and "
                               "clammy"),
        ("significant_overdose", "took some of her mum's tablets, now drowsy"),
        ("major_trauma", "person under a train at the station"),
        ("major_trauma", "cyclist went under the nearside wheels of a bus, very pale"),
        ("after_restraint", "four of us on him for 10 minutes, he's gone dead still"),
        ("major_trauma", "pinned him against the wall with the forklift, cannot move his legs"),
        ("cardiac_chest_pain", "man having a heart attack over this side of the car park"),
        ("cardiac_chest_pain", "having a heart attack over the fence at the allotments"),
        # -- presentations of suite U (SYNTHETIC)
        # suite U (mental health and vulnerability): the critical presentations that raised no
        # flag at its first reading, in their own words (SYNTHETIC)
        ("thunderclap_headache", "took coke, said her head suddenly exploded, worst pain ever, "
                                 "now being sick"),
        ("significant_overdose", "says she's been taking loads of paracetamol on and off since "
                                 "Sunday, thinks about 40 altogether"),
        ("significant_overdose", "staggered paracetamol overdose over 3 days"),
        # -- presentations the second review found hidden (SYNTHETIC)
        # a second review (of the suite T review's fixes and suite U, 414 probes): what those
        # fixes hid or still missed (SYNTHETIC)
        ("not_breathing", "after taking gear, breathing slow and regular but only about 6 a "
                          "minute, pinpoint pupils"),
        ("major_trauma", "one under, casualty trapped, conscious"),
        ("major_trauma", "fell under the oncoming train"),
        ("major_trauma", "under the front of the bus, screaming"),
        ("after_restraint", "3 of us on him on the ground, he's suddenly gone quiet"),
        ("after_restraint", "restrained him on the floor, now he is lying there still"),
        ("hypothermia", "elderly lady found in the garden after a fall overnight, wet through, "
                        "not making sense"),
        ("significant_overdose", "found her dead to the world in the bath, empty pill packets"),
        ("cardiac_chest_pain", "his chest herts, grey and sweaty"),
        ("not_breathing", "decomposing leftovers in the kitchen, man on floor not breathing, "
                          "started cpr"),
        ("death_not_certain", "his dad's been dead a few minutes, went blue on the settee"),
        ("not_breathing", "RR 6 pinpoint pupils"),
        ("significant_overdose", "taken paracetamol all week, about 40 altogether, feels sick"),
        ("self_harm_danger", "wrapped a phone charger round his neck in the cell"),
        ("thunderclap_headache", "like her head has exploded, worst pain ever"),
        # -- presentations of suite V and the coverage probes (SYNTHETIC)
        # suite V (older people, long-term conditions): critical presentations the model alone
        # deployed at its first reading, in their own words (SYNTHETIC)
        ("stroke", "mum isnt herself, her left arm wont do what she tells it, speech a bit "
                   "slurred"),
        ("thunderclap_headache", "sudden headache like a cricket bat to the back of the head, "
                                 "worst hes ever had"),
        ("swallowed_drugs", "seen swallowing something when detained, now sweating and "
                            "shaking, heart racing"),
        ("head_injury", "on apixaban, big bruise on her temple, fell yesterday, been sick this "
                        "morning"),
        ("dangerous_heart_rate", "collapsed in the hallway, now coming round but grey, his "
                                 "pulse is very slow, about 30"),
        # coverage probes written for tuning by a helper who had not read the rules
        ("sepsis_meningitis", "toddler has a temp and tiny red spots that do not go when you do "
                              "the glass test"),
        ("seizure", "detainee had a fit in the cell, now had another and hasnt woken up in "
                    "between"),
        ("major_trauma", "motorbike v HGV at the junction, rider on the deck"),
        ("strangulation", "lad got choked out in a fight, out for about 30 secs"),
        ("unconscious", "snoring loudly in cell 3, cannot rouse him on the rouse check"),
        # -- more coverage probes (SYNTHETIC)
        # more of the coverage probes (a helper who had not read the rules; SYNTHETIC)
        ("cardiac_chest_pain", "she has an ache in her jaw and left arm and feels really sweaty "
                               "and weak, diabetic, 70"),
        ("anaphylaxis", "latex allergy, swelling round the mouth and throat after dentist, voice "
                        "going"),
        ("labour_complications", "babys bum is coming out first, she's on all fours in the "
                                 "bathroom, in labour"),
        ("thunderclap_headache", "male clutching his head on the gym floor, says worst pain "
                                 "ever, came on instantly"),
        ("hypoglycaemia", "husband is diabetic, acting like hes drunk but hasnt had a drink, "
                          "sweating loads"),
        ("asthma_not_relieved", "detainee is asthmatic, wheezy, custody have given him his "
                                "salbutamol and its not relieving it"),
        ("pregnancy_danger", "had her baby last week, soaking a pad every 20 mins, feeling "
                             "dizzy"),
        ("adrenal_crisis", "she is on steroids for Addisons and has D and V, grey, very weak"),
        ("severe_bleeding", "chronic alcoholic, throwing up blood by the bucketful"),
        ("carbon_monoxide", "bbq taken into tent for warmth, couple now drowsy and vomiting"),
        # -- presentations of the third review and suite W (SYNTHETIC)
        # the third review's critical probes, and suite W (homelessness, outreach, the night
        # shift): critical presentations the model alone deployed at its first reading
        ("significant_overdose", "found dead to the world in his cell, took something before "
                                 "arrest, snoring"),
        ("hypoglycaemia", "She's 0.8 on her meter, confused"),
        ("not_breathing", "Breathing at 35 breaths a minute, cant talk in sentences"),
        ("not_breathing", "Breathing only 5 per min, took heroin"),
        ("significant_overdose", "Been taking lots of pills since this morning, now very "
                                 "sleepy"),
        ("unconscious", "Laying in a shop doorway, eyes closed, not answering"),
        ("labour_complications", "in labour in a tent, the babys legs are out but no head yet"),
        ("significant_overdose", "drank out of a bottle of something from under the sink, says "
                                 "she wanted it over, now getting dozy"),
        ("asthma_not_relieved", "COPD man on a bench, breathing really hard, his inhalers have "
                                "done nothing"),
        ("unconscious", "drunk lad, only reacts when the officer squeezes his shoulder hard, "
                                 "snoring"),
        ("self_harm_danger", "holding a broken bottle against his own throat saying hes going "
                             "to do it"),
        ("hypoglycaemia", "type 1 found sweaty and drowsy, BM just says LO"),
        ("penetrating_injury", "says he got poked in his tent last nite, small cut on his left "
                               "side just under the ribs, knife found nearby"),
        ("self_harm_danger", "a shoelace tied round his neck to the window handle, they cut it "
                             "off, hes talking"),
        # -- presentations the fourth review found hidden (SYNTHETIC)
        ("major_trauma", "one under the 0714 at platform 2, casualty trapped"),
        ("severe_bleeding", "Vomiting loads of blood streaked with black bits, dizzy and pale"),
        ("major_trauma", "child dragged under the front of a car"),
        ("after_restraint", "after the struggle he went quiet and limp"),
        ("hypoglycaemia", "sugar machine says 1.4, not making any sense"),
        ("significant_overdose", "taking her paracetamol on and off all week, about 50 "
                                 "altogether"),
        ("not_breathing", "Breathing about 6, pinpoint pupils"),
        # -- presentations of suite X (SYNTHETIC)
        # suite X (poisonings and the environment): its first reading's misses and what the
        # model alone deployed, in their own words (SYNTHETIC)
        ("battery_or_magnet_swallowed", "her lad (2) had the back off the kitchen scales and one "
                                        "of the little round flat batterys is missing"),
        ("hypothermia", "found in his back garden after a hard frost, cold as ice to touch, "
                        "thinks its 1987"),
        ("carbon_monoxide", "her, her partner and the 2 kids all had thumping heads and been "
                            "sick since they put the heating on for the first time"),
        ("carbon_monoxide", "in his car in a lock up garage, hose from exhaust into rear window, "
                            "very drowsy"),
        ("heat_stroke", "roofer in the heat, hot as anything to touch, talking gibberish"),
        ("penetrating_injury", "husband only caught her with a kitchen knife, small cut below "
                               "her left collarbone, bit short of breath"),
        ("significant_overdose", "admitted he took all of them, 30 amitriptyline 50mg, heart "
                                 "racing"),
        # -- presentations the sixth review found hidden (SYNTHETIC)
        # a sixth review (297 probes): critical presentations the fifth review's guards hid,
        # and a fever's rigors read as rigor mortis (SYNTHETIC)
        ("not_breathing", "husband doing cpr until you get here, he just went down in the "
                          "garden"),
        ("severe_bleeding", "man in cell was coughing up mugfuls of blood"),
        ("sepsis_meningitis", "female in rigors with a rash that does not fade, very drowsy"),
        ("hypothermia", "male found hypothermic, in rigors, shaking uncontrollably and "
                        "confused, on the floor all night"),
        ("self_harm_danger", "inmate found with his lanyard around his neck looped over the "
                             "cell door"),
        ("carbon_monoxide", "the whole family have got thumping heads since we put the heating "
                            "on, dog being sick too"),
        # -- presentations the seventh review found hidden (SYNTHETIC)
        ("death_not_certain", "Wife states her husband has been dead since 2010 hours, warm"),
        ("pregnancy_danger", "7 weeks pregnant, sudden pain in her shoulder tip and feels dizzy"),
        ("self_harm_danger", "prisoner has a lanyard tied tight round his neck"),
        ("significant_overdose", "my granddaughter has swallowed two of grandads amlodipine"),
        ("carbon_monoxide", "her partner and the children all have headaches, generator running "
                            "in the kitchen"),
        # -- presentations the eighth review found (SYNTHETIC)
        # an eighth review (244 probes): ladder falls told other ways, and drugs that kill a
        # small child (SYNTHETIC)
        ("major_trauma", "roofer toppled off the ladder from the third storey, groaning"),
        ("major_trauma", "fell of his ladder from first floor hight onto the drive, moaning"),
        ("significant_overdose", "toddler has eaten two of nans amlodipine tablets"),
        ("significant_overdose", "baby has chewed a buprenorphine patch"),
        # -- what the Z and ZB guards must leave alone (SYNTHETIC): a new deficit after an old
        # stroke, sleeping tablets counted
        ("stroke", "had a stroke 2 years ago, now new weakness in his right arm and slurred "
                   "speech since 10 mins"),
        ("significant_overdose", "took 30 sleeping tablets an hour ago"),
        ("significant_overdose", "taken 20 of her sleeping pills"),
        # -- a review of the Z and ZB rule changes (275 probes, 2026-12-02; SYNTHETIC): a new or
        # worse deficit after an old stroke, a stroke "last night" or "in the last 10 mins", and
        # sleeping tablets counted in other words
        ("stroke", "left arm weakness since her old stroke has got much worse today, cant lift it"),
        ("stroke", "arm weakness after her previous stroke has returned suddenly this afternoon"),
        ("stroke", "sudden weakness after a stroke 6 months ago, new today"),
        ("stroke", "had a mini stroke last night"),
        ("stroke", "I think shes had a mini stroke in the kitchen just now"),
        ("stroke", "he has had a stroke in the last 10 mins"),
        ("significant_overdose", "14 sleeping tablet"),
        ("significant_overdose", "sleeping tablets x 20 taken"),
        ("significant_overdose", "overdosed on 20 of his sleeping tablets"),
        ("significant_overdose", "12 sleep tablets"),
        ("significant_overdose", "20 night time sleeping tablets"),
        # -- a review of guards tried for suites ZC to ZE (162 probes, 2026-12-02; SYNTHETIC):
        # emergencies that mention a past stabbing or overdose, a suspect's description or a
        # joint that went back in (the guards were withdrawn)
        ("penetrating_injury", "stabbed last month and again tonight in the chest"),
        ("significant_overdose", "female overdosed last year, now taken whole packet of "
                                 "sertraline and drowsy"),
        ("unconscious", "pt overdosed and unconscious last month he did same"),
        ("limb_deformity", "shoulder popped out and back in then popped out again and is stuck "
                           "out"),
        ("labour_complications", "shes in labour head came out and went back in again"),
        ("seizure", "mother says shes fitting the description of her usual fits but this one "
                    "wont stop"),
        # -- a third review (179 probes, 2026-12-02; SYNTHETIC): an emergency right beside a
        # DNACPR, or "in respect of" in a police log, must keep its flag whatever the DNACPR
        # guards read
        ("unconscious", "call in respect of male unconscious for last 20 mins"),
        ("seizure", "in respect of female fitting at the gp surgery"),
        ("unconscious", "in respect of female unconscious declined"),
        ("seizure", "DNR pt fitting for 10 mins"),
        ("seizure", "dnacpr pt fitting family declined"),
        ("anaphylaxis", "possible anaphylaxis dnr in place"),
        ("seizure", "DNR fitting but cannot see"),
        ("severe_bleeding", "dnacpr bleeding heavily for last hour"),
        ("stroke", "dnacpr stroke symptoms declined"),
        ("penetrating_injury", "he was stabbed last night, wound bleeding"),
        ("penetrating_injury", "was stabbed last year and today stabbed again in the leg"),
        ("significant_overdose", "overdosed last night on heroin, now drowsy"),
        ("seizure", "fitting for 10 minutes, wont stop"),
        ("significant_overdose", "toddler drank bleach from under the sink"),
        ("corrosive_or_face_burn", "got bleach on her hands and in her eyes, eyes burning"),
        ("limb_deformity", "kneecap popped out and is stuck out to the side, cant straighten it"),
    ],
)
def test_presentations_the_december_reviews_and_suites_found_fire_their_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # -- look alikes of the suite T review (SYNTHETIC)
        # the same review's look-alikes, now quiet (SYNTHETIC)
        ("major_trauma", "two males detained, one under arrest for shoplifting"),
        ("after_restraint", "constant obs, one of us on him at all times, he is quiet and "
                            "sleeping"),
        ("significant_overdose", "found bags in the body of the van, driver sweaty and nervous"),
        ("hypoglycaemia", "the parking meter says 2 hours, she is confused about the charge"),
        ("death_not_certain", "he has been dead to the world since lunch, palliative, sleeping "
                              "peacefully"),
        ("death_not_certain", "definitely dead tired after her shift and has a mild headache"),
        # -- look alikes of the second review (SYNTHETIC)
        # the second review's look-alikes, now quiet (SYNTHETIC)
        ("death_not_certain", "the battery was clearly dead, she could not ring us"),
        ("death_not_certain", "the tree is obviously dead and fell on the shed, nobody hurt"),
        ("thunderclap_headache", "the shower head burst and soaked him, no injuries"),
        ("self_harm_danger", "ID lanyard round his neck, lost his way, calm"),
        ("not_breathing", "baby breathing about 35 breaths a minute, feeding well"),
        ("hypoglycaemia", "drunk and confused, blew 0 on the machine"),
        # -- look alikes of the coverage probes (SYNTHETIC)
        ("seizure", "still shaking from the shock of the crash, no injuries, talking"),
        ("thunderclap_headache", "the worst pain ever was his toothache last year, today a mild "
                                 "tension headache"),
        # -- look alikes of the third review (SYNTHETIC)
        ("major_trauma", "Two detained, one under section 136, other fine"),
        ("major_trauma", "one under the age of 2 in the car, all fine"),
        ("hypoglycaemia", "Ticket machine says 2 hours, confused elderly man"),
        ("not_breathing", "baby breathing about 35 breaths a minute, feeding well"),
        ("severe_bleeding", "coughing up lots of blood-stained phlegm, chest infection"),
        # -- look alikes of the fourth review (SYNTHETIC)
        ("thunderclap_headache", "sudden pain in his toe when he kicked the door, also has a "
                                 "headache from the drink"),
        ("self_harm_danger", "holding a bottle against his chest, drinking, calm"),
        ("hypoglycaemia", "drunk and confused, blew 0 on the machine"),
        ("hypoglycaemia", "prepayment meter says low, confused elderly man, cold house"),
        # -- look alikes of the eighth review (SYNTHETIC)
        ("significant_overdose", "my son is 40, on tramadol for his back, he swallowed a fish "
                                 "bone"),
        ("self_harm_danger", "ratchet strap pulled tight round the load, driver fine"),
        # -- look alikes of suites Z and ZB (first reading, 2026-12-02; SYNTHETIC)
        ("stroke", "her dad had a stroke last week and is in hospital, she feels all shaky"),
    ],
)
def test_look_alikes_the_december_reviews_found_fire_nothing(flag: str, narrative: str) -> None:
    assert flag not in flags(narrative)


def test_a_decomposition_of_food_is_not_a_death_but_of_a_body_is() -> None:
    food = read_request(TriageRequest(narrative="flat full of decomposing food, man on the "
                                                "floor not breathing"))
    body = read_request(TriageRequest(narrative="body found, decomposed, police at address"))
    assert food.verify_death is None and "not_breathing" in [f.name for f in food.red_flags]
    assert body.verify_death is not None and body.red_flags == ()


@pytest.mark.parametrize(
    "narrative",
    [
        # -- a sign of life (SYNTHETIC)
        # a person the family or a note calls dead, with a sign of life: never a death to verify
        "End of life patient, family think he died 10 mins ago, DNAR in place, officer says he "
        "gasped",
        "woman on floor, neighbour says she's been dead a while but she's warm and we think "
        "she's breathing",
        "palliative patient, skeletal, barely breathing, family think he's died, DNACPR",
        "Terminally ill male, DNACPR in place, his phone has been dead since yesterday, found "
        "him very drowsy",
        # -- living people the third review found (SYNTHETIC)
        # ... and living people it found handed to the desk as dead
        "Husband was dead to the world, bad smell in the room, not waking",
        "Palliative patient, wife says he is dead to the world since this morning, breathing "
        "very noisy",
        "Call handler asked about obvious signs of death - caller unsure, bad smell, female on "
        "floor not responding",
        "Body pulled from the water, bloated stomach, now coughing and breathing",
        "Squalid flat, officers found a decomposing dog in the kitchen, owner on the sofa "
        "unresponsive",
        "neighbours report smell of decomposition, elderly woman found in bed, alive, very weak",
        # -- living people the fourth review found (SYNTHETIC)
        # a fourth review (414 probes): living people a bare "decomposing" or a new doubt had
        # handed to the desk as dead (SYNTHETIC)
        "Smelled of decomposition when we forced entry, male on floor not breathing, officers "
        "doing CPR",
        "decomposing chicken all over the kitchen, male on the floor not breathing, CPR in "
        "progress",
        "diabetic, his foot is black and decomposing, confused and hot to touch",
        "Toes look like theyre decomposing, gangrene, diabetic, he is drowsy",
        "Flat in a state of decomposition, man on floor, breathing, confused",
        "mice decomposing under the floorboards, elderly lady in bed, barely responsive",
        "Found dead drunk on the bench, cold and stiff",
        "we thought he was decomposed but he is breathing, very cold",
        # -- living people the fifth review found (SYNTHETIC)
        # a fifth review (508 probes): living people still handed to the desk as dead, and the
        # signs of life that now doubt a reported death (SYNTHETIC)
        "Landlord says tenant dead for days, officers found he was still alive, sat in chair",
        "Rigor mortis per caller, but officers say she was alive and talking to them",
        "Caller says dead for days, officers report male sitting up, eyes open, asking for water",
        "Reported rigor mortis by friend, PC says he has a pulse and eyes flickering",
        "Landlord found rats decomposing, male unconscious in bed",
        "Maggots in leg ulcer, flesh decomposing, patient alert and talking",
        "Strong stink of decomposition, male on floor groaning, alive",
        # -- living people the sixth review found (SYNTHETIC)
        "she is in rigors and confused, hot and cold, had a UTI",
        "neighbour thinks he has been dead for days, officers went in and found him on the floor "
        "confused and shivering",
        "end of life patient, dnacpr, husband has been dead since 2015, she lives alone, carer "
        "concerned she is not eating",
        "welfare check, floor decomposing under the bath, female on the floor not responding",
        # -- living people the seventh review found (SYNTHETIC)
        # a seventh review (317 probes): living people the sixth review's guards and narrowed
        # doubts still handed to the desk as dead (SYNTHETIC)
        "Caller stated patient has died, cold and stiff, now sitting up in bed",
        "caller says he has died, cold and stiff, he is talking to the officer now",
        "Officers found her alive and well in the kitchen after a report of dead in bed, cold "
        "and stiff",
        "thought she had died, stiff and cold, asking for her daughter now",
        "Carer thinks she has died, cold and stiff, in rigors",
        "DNACPR in place, end of life care, her landline has been dead since 8 so carers could "
        "not get through, she is comfortable",
        # -- living people the eighth review found (SYNTHETIC)
        "reported deceased, cold and stiff, he squeezed my hand when I spoke to him",
        "said to have died, cold and stiff, now shouting and pushing officers away",
        "found dead per neighbour, cold and stiff, now he is trying to get up off the floor",
        # -- deaths not certain that suites Z and ZB showed (first reading, 2026-12-02; SYNTHETIC):
        # a DNACPR nobody can find, or nobody is sure of, is no DNACPR; a stiff jaw alone (a fit
        # leaves one) is no rigor
        "Care home staff say resident 91 found in her chair not responding, they think shes "
        "passed. Still warm. Staff cant find a DNACPR in her file",
        "found not responding, think shes passed, still warm. DNACPR not found",
        "found not responding, think shes passed, still warm. unable to locate a DNACPR",
        "found not responding, think shes passed, still warm. they are looking for the DNACPR",
        "found not responding, think shes passed, still warm. DNACPR is missing",
        "found not responding, think shes passed, still warm. not sure if there is a DNACPR",
        "found not responding, think shes passed, still warm. don't know if she has a DNACPR",
        "found not responding, think shes passed, still warm. DNACPR not in the file",
        "found not responding, think shes passed, still warm. dont think she has a DNACPR",
        "found not responding, think shes passed, still warm. DNACPR cannot be found",
        "found not responding, think shes passed, still warm. DNACPR not known",
        "found not responding, think shes passed, still warm. the DNACPR cant be found",
        "thinks he has died, stiff jaw, still warm",
        "thinks he has died, fitting earlier, stiff jaw and arms",
        "thinks she has died, purple marks on the underside of her arms, still warm, husband "
        "doing CPR",
        # -- a review of the Z and ZB rule changes (275 probes, 2026-12-02; SYNTHETIC): a DNACPR
        # that is not valid for this person, now, is no DNACPR; a sign of death beside "died"
        # said of someone else is no sign; a gurgle doubts "injuries not compatible with life"
        "DNACPR was cancelled by the family last month, he is found not breathing",
        "DNACPR out of date, resident found not breathing, staff think she has died",
        "old DNACPR from 2015 hospital admission, not renewed. found dead in bed? still warm",
        "pt refused a DNACPR, has capacity, found not breathing on bathroom floor",
        "DNACPR discussed only, no form signed, resident appears dead, warm",
        "respect form says for full CPR, pt found dead in chair",
        "DNACPR in place for his wife who is also in the house, he is found dead in the bathroom",
        "wife has DNACPR, husband found dead in bathroom, still warm",
        "DNACPR being arranged by GP, not signed yet, resident found dead",
        "DNACPR pending, pt appears dead",
        "dnacpr form unsigned by consultant, male found dead",
        "officers unable to confirm DNACPR, female found dead, warm, colour ok",
        "might have a DNACPR, neighbour not sure, woman found dead in garden",
        "GP said he would sort a DNACPR next week, pt found dead this am",
        "DNACPR has not been signed off by the gp yet, found dead",
        "DNACPR not yet agreed with family, carer found her dead",
        "no dnacpr in place despite being palliative, found dead in bed warm",
        "officers on scene, wife says he had a DNR but cant find the paperwork, he has died?",
        "DNACPR paperwork at the GP surgery not in the house, pt found dead",
        "dad died in his sleep last night. Mum now on floor, jaw and limbs stiff, having a fit",
        "injuries not compatible with life, casualty making gurgling noises",
        "officer says injuries not compatible with life but male still gasping",
    ],
)
def test_living_people_the_december_reviews_found_are_never_verified(narrative: str) -> None:
    assert verified(narrative) is None


@pytest.mark.parametrize(
    "narrative",
    [
        # a third review (622 probes): real deaths the second review's fixes had stopped
        # handing to the desk (an ambulance sent to resuscitate a body); SYNTHETIC. A bare
        # "decomposing" with CPR started is no longer one (the fourth review: CPR on a living
        # person in a flat of decomposing food); only a body's decomposition outweighs CPR
        "Male found in flat by police after concern for welfare, heavily decomposed, flies "
        "everywhere",
        "Male found badly decomposed in his flat",
        "Corpse in the undergrowth, badly decomposed",
        "Male in rigor mortis, neighbour gasped when they opened the door",
        "female at home, obvious signs of death, decomposition, keyholder on way",
    ],
)
def test_real_deaths_the_third_review_found_are_verified(narrative: str) -> None:
    reading = read_request(TriageRequest(narrative=narrative))
    assert reading.verify_death is not None and reading.red_flags == ()


def test_a_concept_phrase_that_is_the_whole_guard_still_reads() -> None:
    """A guard drops overlapping matches, except one holding all of the guard's words: drowsy's
    'dead to the world' reads under the guard that keeps it from a statement of death."""
    from triage.rules.engine import _compiled, _present_concepts

    found = _present_concepts(TriageRequest(narrative="he was dead to the world"), _compiled())
    assert "drowsy" in found
    assert "death_stated" not in found and "death_reported" not in found


@pytest.mark.parametrize(
    "narrative",
    [
        # -- deaths the fourth review found (SYNTHETIC)
        # ... while a death stated without a sign of life is still verified
        "Male in rigor mortis, neighbour gasped when they opened the door",
        "rigor mortis present, wife says he had been coughing all week",
        "She was alive at 10pm when the carer left, found in bed in rigor mortis",
        "Decomposed male in the loft, been there months",
        "Body decomposed, found by the dog walker, CPR started by a passer-by",
        # -- deaths the fifth review found (SYNTHETIC)
        # ... and real deaths whose bystanders, checks or past a doubt word had cancelled
        "Concern for welfare, elderly male in armchair, rigor mortis present, checked for "
        "breathing, none",
        "Male found in flat by PCs, rigor mortis, cold, stopped breathing hours ago per "
        "neighbour",
        "Male found deceased in rigor, his dog is still alive and has been taken by RSPCA",
        "Lady found deceased in chair, lividity, stiff, was still alive yesterday per milkman",
        "Hypostasis noted, in rigor, officer coughing from the smell in the flat",
        "Elderly lady found decomposed on floor of bedroom",
        "Welfare check, female 80s found on the bathroom floor, body in advanced decomposition. "
        "Officers asking for advice re death verification",
        # -- a death suite Z told in words the tables lacked (first reading, 2026-12-02;
        # SYNTHETIC), and an expected death whose DNACPR is there
        "Male hit by train, massive head injuries not compatible with life. BTP on scene",
        "resident has died in the night, DNACPR found in her file, GP aware",
    ],
)
def test_deaths_the_fourth_and_fifth_reviews_found_are_verified(narrative: str) -> None:
    assert verified(narrative) is not None




@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("wernicke_encephalopathy", "custody: DP is a heavy drinker, last drink 2 days ago, now "
                                    "confused, unsteady walking, eyes flicking side to side"),
        ("wernicke_encephalopathy", "known alcoholic, his eyes are flicking to and fro and he "
                                    "does not know where he is"),
        ("wernicke_encephalopathy", "Heavy drinker, eyes keep jumping to the left when he looks "
                                    "left, he is confused and staggering"),
        ("wernicke_encephalopathy", "Doctor at the hostel thinks he has Wernicke encephalopathy, "
                                    "he is confused"),
        ("wernicke_encephalopathy", "PAVA used an hour ago but now his eyes are flicking side to "
                                    "side and he is confused, alcoholic"),
        ("delirium_tremens", "Stopped drinking three days ago, now seeing spiders on the wall, "
                             "shaking and sweating"),
        ("swallowed_drugs", "Female arrested in a drugs warrant swallowed several bags as officers "
                            "came through the door. Says she's fine, walking and talking in "
                            "custody, asking for water and wants to go to sleep."),
        ("swallowed_drugs", "Arresting officer now says he saw him put something in his mouth and "
                            "swallow it, possibly a bag, at point of arrest. On the last rousal he "
                            "seemed a bit drowsy and slow to answer."),
        ("swallowed_drugs", "Plugged a package in the rectum before arrest, now sleepy"),
    ],
)
def test_emergencies_the_custody_red_team_and_its_reviews_found_fire_their_flag(
    flag: str, narrative: str
) -> None:
    """A custody and mental-health red team (220 probes, 2026-12-03, tenth session) and two
    reviews of what it led to: Wernicke's, withdrawal delirium and a body stuffer getting sleepy,
    which only the custody slice threshold had sent an ambulance to before."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Alcoholic, shifty eyes flicking around the room, he is confused about his court date",
        "His eyes keep flicking over to the door, known alcoholic, drunk and staggering",
        "Eyes moving back and forth between the two officers, he has an alcohol problem and was "
        "staggering when arrested",
        "Her eyes keep flickering when she reads, she is a heavy drinker and confused by the form",
        "Known alcoholic, eyes flickering from PAVA, staggering because he's drunk",
        "Drunk alcoholic, his eyes are flickering open and closed, he is wobbly",
        "Registered blind with congenital nystagmus, lifelong, heavy drinker, wobbly after a night "
        "out",
        "He has had Wernicke-Korsakoff for years, lives in a care home, always confused",
        "He stashed the wraps in his bum bag and now he is dozing in the van",
        "He put something in his mouth, it was chewing gum, he is tired and wants to go to sleep",
        "Got a shock from the plug socket earlier, fine now, it's late and he wants to go to sleep",
        "drunk, staggering, wants to go to sleep",
        "drinks 2 litres of water a day, hallucinating and sweaty",
    ],
)
def test_look_alikes_of_the_custody_red_team_wordings_fire_nothing(narrative: str) -> None:
    """The reviews' harmless probes that the first wording of these additions flagged."""
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("missed_dialysis", "welfare check, man on kidney machine, found sat in chair, can barely "
                            "lift his arms, says tingling all over, missed dialysis"),
        ("missed_dialysis", "Man on dialysis missed a session, feels weak and a bit sick"),
        ("not_breathing", "Boy 12 pulled from the river by friends, was under for a bit, now "
                          "walking about and coughing, wants to go home"),
        ("pregnancy_danger", "Woman 22 in custody says bad period pains, asking for paracetamol, "
                             "her period is a couple of weeks late, went grey when she stood up"),
        ("sepsis_meningitis", "son asks for advice, mum 88 just a bit off her legs since yesterday "
                              "and a bit muddled, probably a water infection"),
        ("sepsis_meningitis", "student 20 with flu, headache and neck ache, doesn't like the "
                              "light"),
        ("sepsis_meningitis", "Mum says 9 month old has got tiny red dots on his tummy that dont "
                              "go when she pushes them, had a temp this morning"),
        ("sepsis_meningitis", "baby 3 months, hot, crying, soft spot on his head is bulging"),
        ("major_trauma", "Man freed after being stuck under rubble for 2 hours, says his legs are "
                         "fine just numb, wants to walk"),
        ("bowel_obstruction", "Male 74 constipated for a week, tummy swollen and now vomiting"),
        ("cardiac_chest_pain", "Male 55 sudden tearing pain in his back an hour ago, walking "
                               "about, asking for painkillers"),
        ("pregnancy_danger", "38 weeks pregnant, hasnt felt baby move since yesterday"),
        ("diabetic_ketoacidosis", "son 13 has a sickness bug, diabetic, his sugars are reading HI"),
        ("electrical_injury", "4 year old put a hairclip in the plug socket, thrown back, crying, "
                              "burn on fingers"),
        ("electrical_injury", "woman got a shock from a faulty kettle, says her heart is "
                              "fluttering"),
        ("significant_overdose", "Girl 15, parents found empty packets, she says she only took a "
                                 "few paracetamol last night"),
        ("infant_injury_suspicious", "4 month old has fingertip bruises on both upper arms and a "
                                     "bruise on cheek, not crawling yet, baby is quiet and pale"),
        # what guards of the first review's round had hidden (the second review; withdrawn)
        ("major_trauma", "was under the car doing repairs when the jack slipped, chest crushed"),
        ("pregnancy_danger", "36 weeks pregnant, not felt the baby move yet today, usually very "
                             "active"),
        ("sepsis_meningitis", "behaving strangely as she did the last time she had a kidney "
                              "infection, gone off her legs today"),
        ("pregnancy_danger", "40 weeks pregnant, baby not moved at all today"),
        ("sepsis_meningitis", "nan has a uti, muddled, legs have gone from under her"),
        ("sepsis_meningitis", "baby with fever, fontanelle is bulging"),
    ],
)
def test_emergencies_the_tenth_sessions_red_teams_found_fire_their_flag(
    flag: str, narrative: str
) -> None:
    """Two red teams of the served product (2026-12-03): rare or easily under-called
    emergencies told down-played, and children, pregnancy and frail older people."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Leisure pool, lifeguard: boy 6 went under on the slide splash-down and swallowed some "
        "water, coughed a few times straight away, fine since",
        "Female 33 weeks pregnant says baby hasnt moved as much today, no pain, no bleeding",
        # the second review's guards
        "trapped under the duvet by the cat, joking about it",
        "the cellar went under water in the floods last week, he has been coughing since with a "
        "cold",
        "soft spot bulging when he cries, settles when calm, feeding well",
        "sudden tearing sensation in her hamstring while sprinting",
        "kids pulled under the duvet, one coughing with a cold",
    ],
)
def test_look_alikes_of_the_tenth_sessions_red_team_wordings_fire_nothing(narrative: str) -> None:
    """Tuned vignettes the first wording of these additions flagged, and the look-alikes the
    second review's guards stand for."""
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    "phrase", ["shot at goal|the goal|the target", "nerves shot|are shot", "boiling hot|boiling"]
)
def test_an_alternative_of_several_words_is_refused(phrase: str) -> None:
    """A space starts a new position, so "shot at goal|the goal|the target" read "shot at the
    goal target" and never "shot at goal": the guard it stood for never kept a footballer's
    "shot at goal" from reading as a gunshot (2026-12-03; the guard is withdrawn, not mended:
    a review found "male shot at Goals five a side centre", a real place). Two side-by-side
    positions that can read the same word are refused, in the tables as in a phrase."""
    with pytest.raises(ValueError, match="two positions side by side both read"):
        parse_phrase(phrase)
    t = rule_tables.tables()
    bad = {**t.concepts, "penetrating": (*t.concepts["penetrating"], phrase)}
    with pytest.raises(ValueError, match="Concept 'penetrating'"):
        rules_mod.compile_tables(dataclasses.replace(t, concepts=bad))


@pytest.mark.parametrize(
    "phrase",
    ["belly|tummy rock hard|hard|sore", "eyes to [a] shake|sternal rub|rub",
     "c section|caesarean|section", "[went|gone|went] into"],
)
def test_a_word_listed_twice_in_one_position_is_refused(phrase: str) -> None:
    """"belly rock hard|hard|sore" is {belly}, {rock}, {hard, sore}: it read "belly rock sore"
    and never "belly sore", so a postnatal mother with a sore belly raised no flag (a red team,
    2026-12-04); "eyes to a sternal rub|rub" never read "eyes to pain". A word listed twice in
    one position is how such a phrase shows, so it is refused."""
    with pytest.raises(ValueError, match="twice in one position"):
        parse_phrase(phrase)


@pytest.mark.parametrize("phrase", ["very|really [very] fast", "cpr [is|being] being done"])
def test_a_word_repeated_beside_an_optional_position_is_allowed(phrase: str) -> None:
    """Only two required positions side by side are refused: an optional one may repeat."""
    assert parse_phrase(phrase)


@pytest.mark.parametrize(
    "narrative",
    [
        "nerves shot, shaking, wants to talk to someone",
        "shop lifter caught in the fitting room scratched her hand on a hanger tiny cut not "
        "bleeding now",
        "was trying to stroke a dog and it nipped his hand tiny puncture not bleeding",
        "Lady wild swimming in the lake, came out cold and shivery, now dressed in a dryrobe with "
        "a hot drink, shivering eased, talking normally.",
        # suite ZM's and the third review's (each read a flag without its guard, 2026-12-03)
        "Whilst fitting a new lock to the back door, the occupant caught her thumb with a "
        "screwdriver.",
        "DP had a fit 2 years ago, drinks 10 cans a day, well now",
        "She fell pregnant in the spring, groin pain in pregnancy, cannot stand at the sink, "
        "midwife aware",
    ],
)
def test_look_alikes_of_the_eleventh_sessions_red_team_wordings_fire_nothing(
    narrative: str,
) -> None:
    """Harmless probes of two red teams (2026-12-03: the speech-to-text channel; rare, technical
    and environmental emergencies) that a red flag sent an ambulance to."""
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # the guards stop at the look-alike's own words, and withdrawn ones hide nothing
        ("penetrating_injury", "shot at the goal then got shot in the chest"),
        ("penetrating_injury", "Male shot at goal posts in the park, lying on the ground"),
        ("unconscious", "Victim came off his bike and came out cold on the road"),
        ("seizure", "fitting in the fitting room, lips blue"),
        ("unconscious", "knocked out cold in the water, came out cold and blue"),
        ("stroke", "suspected stroke dog was barking"),
        # a stroke in lay words the red team's look-alike stood beside
        ("stroke", "stroking the cat when she went all weak on one side and her speech went"),
        ("stroke", "her speech went and she is weak on one side"),
        ("stroke", "one side has gone numb and she cannot talk"),
        # the review of these changes (a helper, 235 probes): what withdrawn guards had hidden
        ("penetrating_injury", "Male stabbed in 2026 at the Crown pub tonight, bleeding from back"),
        ("unconscious", "Detainee unresponsive to questioning and to pain, eyes rolled back, "
                        "snoring breathing"),
        ("cardiac_chest_pain", "Chest pain from 2 weeks ago has returned, crushing and sweaty"),
        ("swallowed_drugs", "Toddler has eaten cannabis gummies, drowsy"),
        ("head_injury", "IP says HI to rear of head, LOC for 2 minutes"),
        # one-sided weakness in lay words
        ("stroke", "Numbness down one side of body, confused, onset 30 minutes"),
        ("stroke", "He's gone weak down the right hand side"),
        ("stroke", "She can't move one side of her body"),
        ("stroke", "Paralysed down one side since she woke"),
        ("stroke", "Weakness of left arm and leg, sudden onset"),
        ("stroke", "Lost power in left arm and leg"),
        ("stroke", "Her left side went dead suddenly"),
        ("stroke", "One side of his body has gone numb"),
        ("stroke", "His arm and leg on one side have gone weak"),
        ("stroke", "Lost the use of her left arm suddenly"),
        # a deliberate insulin overdose
        ("significant_overdose", "Teenager has injected two full pens of insulin on purpose"),
        ("significant_overdose", "Male has used up his whole novorapid pen intentionally"),
        ("significant_overdose", "Took all her insulin in one go, says she wants to die"),
        ("significant_overdose", "Deliberately injected the entire contents of her insulin pen"),
        ("significant_overdose", "Injected herself with all her insulin"),
        ("significant_overdose", "Took an overdose of novorapid"),
        # the second review's
        ("significant_overdose", "She's used two full NovoRapid pens, now sweaty and drowsy"),
        ("significant_overdose", "Empty Toujeo pen next to him, he is drowsy and sweating"),
        ("significant_overdose", "He has injected 300 units of Lantus after a row with his "
                                 "partner"),
        ("significant_overdose", "She has injected too much insulin, now shaky"),
        ("significant_overdose", "3 year old has eaten his dad's THC gummies and is very sleepy"),
        ("significant_overdose", "4 year old has eaten cannabis edibles"),
        ("stroke", "She's gone weak on her left, came on suddenly at tea time"),
        ("stroke", "She suddenly couldn't speak and slumped to the right"),
        ("seizure", "Female had a seizure in the shop and is still twitching"),
        ("seizure", "His first seizure was 2 weeks ago, this seizure has lasted 6 minutes"),
        ("unconscious", "Male nonresponsive in the back of the van"),
        # the third review's
        ("suspected_hip_fracture", "Male 83 was pushed over in a robbery, pain in left hip, "
                                   "unable to stand."),
        ("suspected_hip_fracture", "Lady 78 slipped in shower, painful right hip, can't bear "
                                   "weight, son wants advice."),
        ("suspected_hip_fracture", "Elderly female fell, says she thinks she's broken her hip."),
        ("suspected_hip_fracture", "85 year old woman took a tumble in the garden, hip pain, "
                                   "cannot get up, family just want advice on how to lift her."),
        ("significant_overdose", "Woman emptied three insulin pens into herself."),
        ("significant_overdose", "Baby 18 months ate cannabis chocolate found on the table."),
        ("stroke", "Sudden onset weakness to right arm and leg, 65 year old."),
        ("stroke", "Male suddenly lost his speech and is dragging his right leg."),
        ("stroke", "Elderly male woke up unable to move his left arm and leg."),
        # the fourth review's
        ("suspected_hip_fracture", "Female 82 fell, hip pain, not able to stand."),
        ("suspected_hip_fracture", "Carer reports 91 year old resident fell from bed, hip pain, "
                                   "screaming when we try to move her."),
        ("suspected_hip_fracture", "Female 85 fell, landed on her hip, can't stand for long - she "
                                   "collapses back down in pain."),
        ("suspected_hip_fracture", "Female 86 fall, query NOF, can't stand."),
        ("significant_overdose", "4 year old ate a weed brownie, now drowsy and vomiting."),
        ("significant_overdose", "Child 2 ate dad's cannabis, now very sleepy."),
        ("stroke", "Male sudden loss of power in his left arm and leg."),
        # the fifth review's
        ("significant_overdose", "Tried to kill himself by taking tablets about an hour ago."),
        ("significant_overdose", "Caller says her partner has taken an OD of his tramadol."),
        ("significant_overdose", "She has drunk a bottle of Oramorph and says she wants to die."),
        ("significant_overdose", "He has taken all of his methadone for the week in one go."),
        ("significant_overdose", "Took an overdose of tablets, says she wants to die."),
        ("significant_overdose", "Our 18-month-old has got into a bag of THC gummies, very "
                                 "drowsy."),
        ("suspected_hip_fracture", "Found on the floor at the care home, left leg turned outward "
                                   "and looks shorter, in a lot of pain."),
        # the sixth review's
        ("significant_overdose", "Male has taken a large amount of pills and wants to die."),
        ("significant_overdose", "Male has taken his entire month's supply of quetiapine, wants "
                                 "to die."),
        ("significant_overdose", "18-month-old has swallowed an unknown number of tablets."),
        ("significant_overdose", "24-month-old boy got into the medicine cabinet and ate some of "
                                 "dad's blood pressure tablets."),
        ("suspected_hip_fracture", "Lady fell, leg externally rotated and shortened."),
        ("head_injury", "Male struck head, lying on the road still twitching."),
        # the seventh review's
        ("significant_overdose", "2 year old has eaten some of grandad's heart pills, mum not "
                                 "sure how many."),
        ("significant_overdose", "Male suicidal, has consumed a large amount of his prescribed "
                                 "propranolol, now dizzy."),
        ("significant_overdose", "Female in custody says she took her whole week's worth of meds "
                                 "before arrest."),
        ("significant_overdose", "Female reports taking a large quantity of diazepam and vodka in "
                                 "a suicide attempt."),
        ("stroke", "Woman's words suddenly coming out wrong, right hand not working."),
        ("head_injury", "Male punched, fell back and hit head, now lying on the floor still "
                        "twitching."),
        # speech-to-text splits and mishearings
        ("unconscious", "um yeah shes un responsive on the sofa eyes half open"),
        ("significant_overdose", "he drank anti freeze on purpose about an hour ago"),
        ("seizure", "male having a sees your on the floor been going ten minutes"),
        ("not_breathing", "hes in cardiac a rest cpr going"),
        ("unconscious", "Male non responsive on the floor"),
    ],
)
def test_emergencies_beside_the_eleventh_sessions_guards_fire_their_flag(
    flag: str, narrative: str
) -> None:
    """Two red teams and a review (2026-12-03): each reading the review asked for, and each
    emergency a guard it withdrew (a stabbing 'in 2026', 'unresponsive to questioning', chest
    pain 'weeks ago', cannabis 'gummies', 'says HI to') had hidden."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Found a whole pen of insulin in the bag, belongs to his mum",
        "Care plan: injects all her insulin independently, no concerns",
        "Diabetic, injects all of his insulin himself, well, sugar 6",
        "He stole an entire vial of insulin from the pharmacy, well",
        "Lost his speech notes before the wedding, anxious",
        "Query stoke on trent address, welfare check, occupant fine",
        "Male walks with a limp on one side, known to police, arrested",
        "He had a Stoke City shirt on when last seen",
        "Care plan: 8 year old has type 1 diabetes, uses NovoRapid with meals, she is well",
        "Shoplifter stole a box of Fiasp pens from the chemist",
        "He has tattoos on his arm and leg on the left side, description for missing person",
        # the third review's
        "Dog is still twitching in its sleep.",
        "Male's eye is still twitching from tiredness.",
        "Male states he has too much insulin at home and wants to return it.",
        "Man with sciatica, numb down his right leg for weeks.",
        # the fourth review's
        "Diabetic took his usual Lantus on purpose before driving, asking about the law.",
        "Male took his methadone deliberately late to avoid the chemist queue, now fine.",
        "Male stole a large amount of insulin from a pharmacy, theft report.",
        "Male unable to move his left arm due to a plaster cast, wants to report an assault.",
        # the fifth review's: a stated intent beside a usual medicine is not an overdose
        "He took his meds and says he wants to end it all.",
        "Took her meds as prescribed; having suicidal thoughts.",
        "Type 1 diabetic, injected his usual insulin with his tea, says he is fed up and wants to "
        "die but has no plan.",
        "Swallowed a vitamin tablet, says he is suicidal, no other substances taken.",
        "Dog hit by a car with a head injury, still twitching in the road; owner uninjured, needs "
        "RSPCA.",
        "my son is 40, on tramadol for his back, he swallowed a fish bone",
        # the sixth review's
        "Had too many drinks tonight, says he wants to die. No tablets taken, no injuries.",
        "There were too many people at the party, he got upset and says he wants to die.",
        "Male threatening to take an overdose, has taken nothing, wants to kill himself.",
        "Officers found a bottle of oramorph in the house, full and unopened, male wants to die.",
        "She took a handful of leaflets from the crisis team, says she wants to end it.",
        # the seventh review's
        "Yoga class, instructor says student's leg looks rotated outwards in pose, no fall, no "
        "pain.",
        "Female's brother died in a suicide attempt last year, she is grieving, wants to talk to "
        "someone, no self-harm.",
        "Warehouse reports theft of an entire pallet of medication supply, no injuries.",
    ],
)
def test_look_alikes_the_eleventh_sessions_review_wrote_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


# --- the twelfth session: presentations the model alone had carried -------------------------
# Critical probes of the red teams and tuned vignettes that no red flag read, deployed only
# because the model's deploy probability sat above the threshold (0.06 to 0.3): a retraining
# could have moved any of them under it. Three reviews (helpers who had not read the tables, 705
# probes) then found where the readings over-fired or hid something; what is below is narrowed.


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("dangerous_heart_rate", "DP keeps collapsing in the charge room then gets up again each "
                                 "time. Sgt says attention seeking. Nurse got a pulse of 36."),
        ("dangerous_heart_rate", "Elderly woman keeps fainting today, 3 times, son took her pulse "
                                 "and it was 30, she says she feels fine now"),
        ("dangerous_heart_rate", "Nan 85 says she feels fine now but she passed out twice at "
                                 "bingo, her pulse is really slow, family want advice"),
        ("dangerous_heart_rate", "Woman says her heart has been racing at 180 for 2 hours, she's "
                                 "had this before, usually goes on its own, dizzy"),
        ("dangerous_heart_rate", "pulse only 28 and he collapsed"),
        ("dangerous_heart_rate", "heart rate dropped to 32, pacemaker pt, blacking out"),
        ("severe_bleeding", "male in custody vomited a cup full of fresh blood, alcoholic, known "
                            "liver problems"),
        ("severe_bleeding", "Man 58 passing black sticky poo for 2 days, feels tired, wants to "
                            "see GP"),
        ("severe_bleeding", "Woman 70 on ibuprofen for arthritis, collapsed on toilet after "
                            "passing black stool, now sat up"),
        ("severe_bleeding", "Female 66 vomited what looks like coffee grounds x2, feels ok, "
                            "takes aspirin"),
        ("severe_bleeding", "hes puked up loads of blood in the toilet"),
        ("severe_bleeding", "haematemesis x3, known liver cirrhosis"),
        ("severe_bleeding", "black stools, on iron tablets but also on apixaban, pale"),
        ("severe_bleeding", "poo is black and sticky like tar, on warfarin"),
        ("battery_or_magnet_swallowed", "4 year old pushed a button battery up his nose, crying, "
                                        "mum can't get it out"),
        ("battery_or_magnet_swallowed", "watch battery stuck in my sons ear"),
        ("battery_or_magnet_swallowed", "Gran says grandchild 2 chewing the TV remote, battery "
                                        "cover off, one of the round batteries missing"),
        ("thunderclap_headache", "DP 38 c/o headache came on very quickly this morning, says its "
                                 "quite bad, bit sick, light bothering her"),
        ("abdominal_pain_with_collapse", "severe back pain came on very quickly and then he "
                                         "collapsed"),
        ("seizure", "MH unit. Informal patient whose clonazepam was stopped on admission, very "
                    "agitated, sweating and twitching, had a fit on the corridor, second one in "
                    "an hour."),
        ("falling_consciousness", "intoxicated female, took GHB at a party, keeps dropping off, "
                                  "'G-ing out', friends think she'll sleep it off"),
        ("falling_consciousness", "DP in c4, nt rousable on 30 min obs, snoring, had x2 bottls "
                                  "wine"),
        ("cardiac_chest_pain", "Custody - DP 64yo asked to see someone. Says \"my chest is a bit "
                               "heavy, nothing to worry about, had it since you booked me in\". "
                               "Gaoler says hes gone a grey sort of colour and keeps asking for "
                               "water."),
        ("cardiac_chest_pain", "chest a bit tight and pain into his jaw, sweaty"),
        ("cardiac_chest_pain", "chest feels a little tight and going down her left arm"),
        ("diabetic_ketoacidosis", "lad 18 diabetic been on the drink all weekend, now vomiting, "
                                  "stomach pains, breathing like he's run a marathon"),
        ("diabetic_ketoacidosis", "pt T1DM, sick x6 overnight, resps deep and laboured, sugars "
                                  "reading HI"),
        ("unconscious", "yer man's after collapsin in the chipper, not a peep out of him"),
        ("sepsis_meningitis", "child had a nosebleed, now lots of bruises appeared and tiny spots "
                              "all over legs, feverish"),
        ("sepsis_meningitis", "my lad is burning up and has bruise like marks coming up "
                              "everywhere"),
        ("sepsis_meningitis", "kid 4 poorly with temp, mum noticed spots on legs, she did the "
                              "glass test and not sure if they fade"),
        ("pregnancy_danger", "RTC minor shunt, driver is pregnant approx 30 wks, seatbelt across "
                             "bump, now some tummy tightening and pain, walking about"),
        ("pregnancy_danger", "pregnant, in a smash on the M6, belly hurts"),
        ("pregnancy_danger", "she's having a baby, fell off a ladder, bump feels rock hard"),
        ("pregnancy_danger", "mum reports daughter 19 has tummy ache and keeps feeling faint when "
                             "she stands, did a positive test last week, bit of spotting"),
        ("head_injury", "kid (5) fell down the stairs last night, mum says today hes just not "
                        "right, keeps going to sleep and cant remember things"),
        ("head_injury", "toddler fell off bed onto head, now keeps going to sleep, unusual for "
                        "him"),
        ("head_injury", "head butted, keeps dropping off to sleep and memory gone"),
        ("after_restraint", "He's calmed down now, no longer kicking off after the Taser, just "
                            "lying there very still and not answering"),
        ("after_restraint", "tasered, lying face down, stopped responding"),
        ("suspected_hip_fracture", "elderly woman in her 80s, found on the floor by carer, hip "
                                   "pain, cant weight bear"),
        # the third review's
        ("dangerous_heart_rate", "my husbands pulse is about 35 and he feels faint, cant stand up"),
        ("severe_bleeding", "pt chucking up blood, known alcoholic"),
        ("severe_bleeding", "throwing up claret all over the cell floor"),
        ("severe_bleeding", "arrested in 2019, now vomiting blood in the cell"),
        ("severe_bleeding", "vomited blood twice tonight, first time was 2 years ago"),
        ("battery_or_magnet_swallowed", "lad has pushed a coin cell up his nostril"),
        ("sepsis_meningitis", "fever and not sure if the rash fades with the glass"),
        ("falling_consciousness", "after the assault he keeps dropping off and doesnt know where "
                                  "he is"),
    ],
)
def test_presentations_the_model_alone_carried_raise_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        # blood that is not a bleed from the gut now, and black stools from iron
        "Male 80 is well, says he's fine, but mentions his poo has been 'black' since the GP "
        "started him on iron tablets",
        "few streaks of blood in sick after retching, once, now fine and eating",
        "vomited blood after a nosebleed, nosebleed stopped, feels fine",
        "newborn passing black tarry poo, 2 days old, feeding well, midwife says meconium",
        "vomited blood 2 years ago, now wants to discuss his ulcer tablets",
        "black stools since she started taking Pepto-Bismol for her upset stomach, feels well",
        # dropping off is falling consciousness only beside drink, drugs or an injury
        "grandad keeps dropping off in front of the telly, normal for him",
        "baby keeps dropping off to sleep during feeds, feeding normally, health visitor advice",
        "the bandage keeps dropping off his leg ulcer, district nurse advice",
        "car keeps conking out on the motorway, driver fine",
        # a chest a bit tight or heavy is cardiac only beside a cardiac sign
        "chest is a bit heavy with a cold and phlegm, no pain",
        "her chest feels a little tight when she's anxious, known panic attacks, calming down",
        "the baby's chest is a bit heavy with catarrh, feeding fine",
        # "not a peep" is unconsciousness only beside a collapse
        "baby asleep, not a peep out of him all night, mum wants advice on feeding",
        "husband sulking, not a peep out of him since the row",
        # bruises with a cause are not a bleeding rash
        "teenager with a temp, spots on chin, bruises from rugby, otherwise fine",
        "hot and feverish with a cold, heat rash under arms, bruise on arm from blood test "
        "yesterday",
        "mum did the glass test and the spots go paler, temp 38.1, running about, eating",
        # restraint: refusing to talk is not unresponsiveness
        "cuffs removed, lying on bed, not answering questions, refusing to talk to officers, "
        "chatting to custody nurse",
        "tasered yesterday, released, at home lying on sofa not answering his mum's questions, "
        "sulking",
        # the guards
        "Girl 6 has a temperature and spots on her tummy, sister has a bruised ego after losing "
        "at cards",
        "She is 30 weeks pregnant, crashed out on the sofa earlier, now a bit of tummy ache after "
        "a big curry",
        "toddler tantrum, had a hissy fit, third one in 20 minutes",
        # the third review's: a baby's kicks, "no comment", history, liquorice, dozing after wine
        "preg, baby kicked her hard and the bump went hard for a minute then settled",
        "handcuffed, he has stopped responding to officers questions on his solicitors advice",
        "black poo after eating a whole bag of liquorice",
        "keeps dropping off to sleep on the sofa after wine at christmas dinner, wakes easily, "
        "chatting",
        "custody: detainee says he vomited blood in 2019, currently well, requesting his meds",
        "threw up blood once last month, seen by GP, no further episodes",
        "history of vomiting blood from an ulcer years ago, now wants a repeat prescription",
        "has vomited blood in the past when drinking, not today, wants a detox referral",
    ],
)
def test_look_alikes_of_the_twelfth_sessions_readings_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # the next tier the model alone carried (p_deploy 0.3 to 0.6)
        ("carbon_monoxide", "welfare check man in flat, heater on, both him and the dog are "
                            "drowsy, headache, vomiting"),
        ("threatened_limb", "Man found after lying on his arm all night drunk, arm swollen tight, "
                            "can't move his fingers, in agony."),
        ("major_trauma", "Elderly man 83 fell down full flight of stairs, neck pain, tingling "
                         "hands"),
        ("major_trauma", "detained under 136 after trying to jump from multistorey, he did "
                         "actually fall from the second level before we got him, says he's "
                         "fine, limping, holding his chest"),
        ("bowel_obstruction", "Woman 60 had bowel surgery years ago, crampy belly pain, being "
                              "sick green, no wind"),
        ("falling_consciousness", "girl at house party took G, keeps zonking out then waking up, "
                                  "mates have put her in recovery position"),
        ("unconscious", "His mates say he 'went a funny colour' and they've put him in the "
                        "recovery position, he's not talking"),
        ("adrenal_crisis", "woman on steroid replacement for Addisons, tummy bug, can't keep "
                           "tablets down, just wants advice"),
        ("pregnancy_danger", "new mum, 2 wks post partum, bad headache for 2 days, now confused"),
        ("heat_stroke", "Child in locked car, hot, lethargic, window smashed"),
        ("significant_overdose", "2yo ingested unknown qty of mums meds (tramadol?) approx 30 "
                                 "mins ago. Child alert at present."),
        ("penetrating_injury", "I located the male seated against a wall holding his left side. "
                               "He stated 'he's done me with a blade'."),
        # red team E: common emergencies told without medical words
        ("anaphylaxis", "Woman asking for advice. She carries a pen for peanuts and used it 10 "
                        "minutes ago after biting a flapjack. Feels better now. Does she still "
                        "need to go in?"),
        ("anaphylaxis", "used her epipen 10 minutes ago after eating a nut, feels better now"),
        ("bowel_obstruction", "Detainee 60s has an old lump in his groin that normally goes back "
                              "in. Now it won't, it's hard and very painful and he's vomiting."),
        ("penetrating_injury", "Scuffle outside the chippy. One male got poked in the belly with "
                               "something sharp, only a small hole and not much coming out, but "
                               "he's going white and cold and keeps asking for water."),
        ("cardiac_chest_pain", "Caller wants advice only. Her dad, 72, had a squeezing feeling "
                               "behind his breastbone for about 40 mins while gardening, eased a "
                               "bit now but he's grey and puffing and won't let her ring 999."),
    ],
)
def test_the_next_tier_and_red_team_e_raise_their_flag(flag: str, narrative: str) -> None:
    """Critical probes deployed on the model alone at p_deploy 0.3 to 0.6, and red team E's
    (2026-12-03: common emergencies told without medical words) that no flag read."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Officers called to a child in a hot car outside the Co-op, 4yo, mum says she was only in "
        "5 mins. Child out now, happy, drinking water, not sweaty or red, chatting away.",
        "child at his place address, earache and temp, otherwise well, had a fall out with his "
        "brother, 2nd floor flat, lift working",
        "she has her epipen with her, has not needed to use it",
        "used her epipen 2 years ago, now asking about a repeat prescription",
        "hernia pops out when he coughs, goes back in when he lies down, no pain",
        "she got stuck out in the cold, now it won't stop, she's in pain and vomiting",
    ],
)
def test_look_alikes_of_the_next_tier_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("anaphylaxis", "his pen for his nut allergy was used 10 mins ago"),
        ("anaphylaxis", "mum gave her the adrenaline pen after she ate sesame, lip swelling gone "
                        "down"),
        ("bowel_obstruction", "known hernia, won't go back in, really painful and being sick"),
        ("carbon_monoxide", "male and his dog both drowsy and vomiting, headache since this "
                            "morning"),
        ("threatened_limb", "arm in plaster swelling tight, fingers numb and she cant move them"),
        ("major_trauma", "fell off her horse, sore neck, numb arms"),
        ("major_trauma", "fell through a garage roof about 20 foot onto the floor"),
        ("falling_consciousness", "done a couple of shots of G, we cant keep her awake"),
        ("penetrating_injury", "lad got juked in his side outside the chicken shop"),
        ("bowel_obstruction", "been sick all day, not farted for two days, belly bloated and hard"),
        ("heat_stroke", "member of public smashed window, baby strapped in car seat in a "
                        "sweltering car, baby lethargic"),
        ("adrenal_crisis", "on long term steroids for lupus, cant keep anything down, very weak"),
    ],
)
def test_the_fourth_reviews_wordings_raise_their_flag(flag: str, narrative: str) -> None:
    """Emergencies a fourth review (2026-12-03, 230 probes) found the new readings missed."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "used a pen to write the allergy down on his hand",
        "used his Jext years ago as a kid, wants to know if he still needs to carry one",
        "lying in the recovery position eyes closed sleeping off the drink, wakes and swears "
        "when we speak to him",
        "lying on her side in the recovery position with her eyes closed because the light "
        "hurts, migraine, talking fine",
        "both kids have a tummy bug, vomiting and a bit headachy, the dog is also sick after "
        "getting into the bin",
        "8 months post partum, mild headache from teething baby keeping her up, wants advice",
    ],
)
def test_look_alikes_the_fourth_review_found_fire_nothing(narrative: str) -> None:
    """A pen used to write, an auto-injector used as a child, the recovery position of someone
    who talks, a tummy bug shared with the dog, a birth eight months ago."""
    assert flags(narrative) == set()


def test_a_shoulder_that_will_not_go_back_is_not_read_as_a_hernia() -> None:
    text = ("Rugby player his shoulder's popped out again, third time, can't get it back in, in "
            "agony, holding the arm, hand warm and he can feel it")
    assert "bowel_obstruction" not in flags(text)
    assert "bowel_obstruction" in flags("known hernia, cannot get it back in, painful")


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        ("dangerous_heart_rate", "carer says his pulse is in the 30s and he nearly passed out "
                                 "getting off the commode"),
        ("dangerous_heart_rate", "heart thumping 220 on her smartwatch and she went down in the "
                                 "toilet"),
        ("severe_bleeding", "detainee in cell 4 has thrown up what looks like blood, lots of it "
                            "on the floor"),
        ("severe_bleeding", "his sick is bright red and there's loads of it"),
        ("battery_or_magnet_swallowed", "4yo put a hearing aid battery in her ear and it wont "
                                        "come out"),
        ("battery_or_magnet_swallowed", "kid has stuck the round battery from the car key fob up "
                                        "her nostril"),
        ("falling_consciousness", "been on the G and ket at a party, keeps going under and "
                                  "snoring weird"),
        ("unconscious", "dropped like a stone in the kitchen, not a word out of her since"),
        ("pregnancy_danger", "34 weeks, car went into the back of hers, belly going hard and "
                             "really painful"),
        ("head_injury", "got glassed in the pub, keeps asking the same questions and is dozy"),
        ("anaphylaxis", "used her auto-injector 5 mins ago after a peanut, she feels ok now"),
        ("anaphylaxis", "school nurse epi-penned him after he ate a cashew, he's fine now"),
        ("bowel_obstruction", "lump in his groin has come out hard and tender and he's throwing "
                              "up"),
        ("bowel_obstruction", "hernia popped out and won't push back, agony"),
        ("falling_consciousness", "keeps conking out, diabetic"),
    ],
)
def test_the_fifth_reviews_wordings_raise_their_flag(flag: str, narrative: str) -> None:
    """Emergencies a fifth review (2026-12-03, 227 probes) found the readings missed."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "dog vomited blood after eating a bone, want the vet",
        "dog had a fit, second one in an hour, want the emergency vet",
        "dad with type 2 diabetes keeps dropping off in his chair after sunday dinner, normal "
        "for him",
        "diabetic cat vomiting and panting, want out of hours vet",
        "known hiatus hernia, bit of reflux, sore throat and vomited once after a curry",
    ],
)
def test_look_alikes_the_fifth_review_found_fire_nothing(narrative: str) -> None:
    """A pet's bleeding, fits or diabetes (a vet's call), a diabetic's usual nap, a hiatus
    hernia."""
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    "narrative",
    [
        # the read-through: each guard checked to fail the test with it taken out
        "8 weeks postpartum, tired, mild headache, asks about paracetamol while breastfeeding",
        "10 weeks post partum, mild headache after a bad night with the baby, wants advice",
        "8 months postpartum, mild headache from teething baby keeping her up",
        "my dog has been vomiting blood, which vet is open",
        "used her epipen last year, asking about a new prescription",
        "used her epipen in 2021, wants a spare for school",
        # having an adrenaline pen is not using one
        "she had her epipen as a kid, asks about a new one",
    ],
)
def test_look_alikes_the_twelfth_sessions_read_through_found_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


def test_an_adrenaline_pen_used_is_read_however_it_is_spelt() -> None:
    for text in ("school nurse epipenned him after he ate a cashew",
                 "school nurse epi-penned him after he ate a cashew",
                 "used her epipen 10 minutes ago after eating a nut, feels better now"):
        assert "anaphylaxis" in flags(text), text


#: One wording per table phrase added since e18dd85 that no flag test and no ratchet probe read
#: (found by taking each phrase out and rerunning them): the concept each phrase was written to
#: read, on the shortest wording of it that no other phrase reads. Taking the phrase out fails its
#: row; nine phrases that every wording of which another phrase already read were removed.
TWELFTH_SESSION_PHRASE_ROWS: list[tuple[str, str]] = [
    ("stroke_sign", "left side of body weak"),
    ("stroke_sign", "left arm and right leg have went dead"),
    ("stroke_sign", "arm and leg have gone weak"),
    ("seizure_repeated", "second one in 5 minutes"),
    ("whole_pack", "taken all on purpose"),
    ("head_injury", "landed onto the head"),
    ("height_number", "7 foot"),
    ("height_number", "fell through roof"),
    ("rash_fades", "go paler"),
    ("gi_bleed", "black and sticky"),
    ("gi_bleed", "sticky like tar"),
    ("cardiac_radiation", "pain into jaw"),
    ("collapse_faint", "keeps fainting"),
    ("collapse_faint", "fainting again"),
    ("battery_magnet", "battery out of fob up nose"),
    ("swollen_tight_limb", "blown up tight"),
    ("rate_extreme", "pulse and it was 180"),
    ("rate_extreme", "running at 180"),
    ("rate_extreme", "watch says 180"),
    ("rate_extreme", "watch says 40"),
    ("rate_extreme", "40 on watch"),
    ("limbs_tingling", "pins and needles in toes"),
    ("limbs_tingling", "cannot feel the arms"),
    ("pet_ill", "her and the cat is all ill"),
    ("pet_ill", "dog drowsy"),
    ("pet_ill", "dog dead"),
    ("trunk_wound", "small hole on back"),
    ("late_period", "pregnancy test positive"),
    ("insulin_overdose", "used whole pen on purpose"),
    ("insulin_overdose", "injected far too much insulin"),
    ("insulin_overdose", "all insulin at once"),
    ("insulin_overdose", "all insulin in one go"),
    ("hip_pain", "left hip injury"),
    ("cannot_weight_bear", "cannot weightbear"),
    ("cannot_weight_bear", "cannot stand on it"),
    ("cannot_weight_bear", "cannot stand on his leg"),
    ("cannot_weight_bear", "unable to bear weight"),
    ("cannot_weight_bear", "cannot move it"),
    ("cannot_weight_bear", "unable to get up"),
    ("cannot_weight_bear", "not able to bear weight"),
    ("cannot_weight_bear", "not able to get up"),
    ("cannot_weight_bear", "cannot move from where"),
    ("slip_trip", "landed on"),
    ("slip_trip", "went over on"),
    ("hip_fracture_word", "nof fracture"),
    ("hip_fracture_word", "fractured nof"),
    ("hip_deformity", "shortened and rotated"),
    ("hip_deformity", "shortened and externally rotated"),
    ("hip_deformity", "shorter and turned out"),
    ("overdose_attempt", "tried to end life by taking"),
    ("overdose_attempt", "tried suicide by taking"),
    ("overdose_said", "has overdosed"),
    ("overdose_said", "overdosed on"),
    ("overdose_said", "took too many tablets"),
    ("liver_disease", "cirrhosis"),
    ("liver_disease", "liver problems"),
    ("liver_disease", "varices"),
    ("tightening", "hard bump"),
    ("fade_unsure", "cannot tell if they fade"),
    ("stool_black", "black and sticky"),
    ("stool_black", "sticky like tar"),
    ("stool_black", "melaena"),
    ("stool_black", "black stool"),
    ("bismuth", "bismuth"),
    ("bismuth", "pepto"),
    ("bismuth", "liquorice"),
    ("ulcer_drug", "aspirin"),
    ("ulcer_drug", "anti inflammatories"),
    ("new_bruising", "bruise like marks"),
    ("new_bruising", "bruises for no reason"),
    ("bump_blow", "car smash"),
    ("bump_blow", "in a pile up"),
    ("bump_blow", "assault"),
    ("stopped_responding", "no longer responding"),
    ("gi_minor", "streaks"),
    ("gi_minor", "after a nosebleed"),
    ("gi_minor", "swallowed blood"),
    ("gi_minor", "meconium"),
    ("crash_or_assault", "kicked in stomach"),
    ("crash_or_assault", "hit by a car"),
    ("crash_or_assault", "knocked down by"),
    ("crash_or_assault", "rear ended"),
    ("sedating_drug", "ket"),
    ("sedating_drug", "on the g"),
    ("no_comment", "questions"),
    ("no_comment", "no comment"),
    ("no_comment", "solicitor"),
    ("epipen_used", "epipen given"),
    ("epipen_used", "used him a adrenaline injector"),
    ("epipen_used", "used adrenaline"),
    ("epipen_used", "epipen was used"),
    ("epipen_used", "epipenned"),
    ("irreducible_hernia", "hernia not going back"),
    ("irreducible_hernia", "cannot push the hernia back"),
    ("sharp_object", "with a sharp object"),
    ("not_go_back", "will not go back in"),
    ("not_go_back", "not going back in"),
]


@pytest.mark.parametrize(("concept", "wording"), TWELFTH_SESSION_PHRASE_ROWS)
def test_each_phrase_added_since_the_eleventh_session_reads_its_concept(
    concept: str, wording: str
) -> None:
    assert_reads_concept(concept, wording)


# --------------------------------------------------------------------------------------------
# Thirteenth session: what the narrative says now answers a structured fact or a report
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts", "narrative"),
    [
        # the spec: a red flag the narrative negates ("breathing normally") is not a red flag;
        # the operator keyed 'difficulty' at the first call
        ({"breathing": "difficulty"},
         "panic attack on the bus, fingers tingling, now settled and breathing normally"),
        ({"breathing": "difficulty"},
         "hyperventilating after a row, breathing has settled now with the officer talking to her"),
        ({"bleeding": "severe"}, "cut finger chopping onions, bleeding stopped with a plaster"),
        ({"bleeding": "severe"}, "nosebleed at school, stopped after ten minutes of pinching"),
        ({"bleeding": "severe"},
         "cut her finger on glass, 'blood everywhere' per the manager, wrapped in a towel, now "
         "stopped, 1cm cut"),
    ],
)
def test_a_structured_fact_the_narrative_answers_raises_no_flag(
    facts: dict[str, str], narrative: str
) -> None:
    assert flags(narrative, **facts) == set()


@pytest.mark.parametrize(
    ("flag", "facts", "narrative"),
    [
        ("not_breathing", {"breathing": "difficulty"}, "panic attack, calming down a bit"),
        ("not_breathing", {"breathing": "difficulty"}, "asthma, breathing has not settled"),
        ("not_breathing", {"breathing": "difficulty"},
         "was breathing normally earlier, now struggling to breathe"),
        ("not_breathing", {"breathing": "difficulty"}, "not breathing normally, lips blue"),
        # answered only in a panic attack, and not when it came back or is about someone else
        ("not_breathing", {"breathing": "difficulty"},
         "asthmatic, 4 puffs of his blue inhaler, breathing is fine now"),
        ("not_breathing", {"breathing": "difficulty"},
         "panic attack, breathing settled, 10 mins later tight again"),
        ("not_breathing", {"breathing": "difficulty"},
         "panic attack, no breathing problems for the driver, the passenger is grey"),
        ("severe_bleeding", {"bleeding": "severe"}, "bleeding stopped, then started again worse"),
        ("severe_bleeding", {"bleeding": "severe"}, "cut his hand on a window, wrapped in a towel"),
        ("severe_bleeding", {"bleeding": "severe"}, "bleeding has not stopped with pressure"),
        ("severe_bleeding", {"bleeding": "severe"},
         "leg wound, tourniquet on, bleeding controlled"),
        # answered only in a panic attack or hyperventilation
        ("not_breathing", {"breathing": "difficulty"},
         "felt funny at the bus stop, breathing is fine now"),
        # nor beside asthma, an allergy, a swelling, a wheeze or blue lips, which can look like
        # panic
        ("not_breathing", {"breathing": "difficulty"},
         "anxiety attack, breathing normally now, known asthmatic, inhaler no relief"),
        ("not_breathing", {"breathing": "difficulty"},
         "hyperventilation, breathing has settled, swollen lips and tongue after a satay"),
        ("not_breathing", {"breathing": "difficulty"},
         "panic attack, breathing normal now, but the baby in the pram is grunting"),
        # bleeding stopped does not answer shock, a collapse or blood through a dressing
        ("severe_bleeding", {"bleeding": "severe"},
         "pressure applied, bleeding stopped, but pale and sweaty"),
        ("severe_bleeding", {"bleeding": "severe"},
         "bleeding stopped. re-bled on the way, big pool"),
        ("severe_bleeding", {"bleeding": "severe"},
         "bleeding stopped. now bleeding through the dressing on his neck"),
        ("severe_bleeding", {"bleeding": "severe"}, "bleeding stopped, then collapsed"),
    ],
)
def test_a_structured_fact_the_narrative_does_not_answer_still_fires(
    flag: str, facts: dict[str, str], narrative: str
) -> None:
    assert flag in flags(narrative, **facts)


@pytest.mark.parametrize(
    "narrative",
    [
        "got a splash of diluted bleach on her forearm cleaning, washed it straight off, skin a "
        "bit pink, no eyes involved",
        "cleaner got diluted bleach on her hands, rinsed straight off, bit red",
        "man says he is working hard to breathe life back into his business, low mood",
        "tripod stand knocked over onto his foot, toe sore",
        "anal fistula bleeding a bit after the toilet",
        # splashed by accident and washed off (an attack's "thrown" still counts)
        "bleach splashed on her hands cleaning, rinsed straight off, bit pink",
        "dialysis arm bleeding from the needle site, stopped with pressure, fine now",
    ],
)
def test_a_splash_washed_off_and_a_figure_of_speech_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # bleach without a verb is still an overdose unless it was on the skin and washed off
        ("significant_overdose", "took a swig from a bottle of bleach"),
        ("significant_overdose", "toddler found with the bleach bottle, crying"),
        # a washed splash that reached the eyes is still a corrosive to the eyes
        ("corrosive_or_face_burn", "bleach on her hands and in her eyes, rinsed off"),
        # a corrosive on the skin not washed off
        ("corrosive_or_face_burn", "acid on his skin, burning and peeling"),
        # necrotising infection: no longer read through 'skin' as the face
        ("sepsis_meningitis", "leg gone purple and blistering, burning hot and muddled"),
        # bleach on the skin washed off does not answer bleach swallowed or sucked
        ("significant_overdose", "mouthful of thick bleach, rinsed off his chin"),
        ("significant_overdose", "bleach rinsed off, the toddler was sucking the sponge"),
        # the review's wordings the text had not read
        ("not_breathing", "officer reports resp rate 40"),
        ("not_breathing", "working really hard to breathe"),
        ("not_breathing", "sat bolt upright tripoding, sweaty"),
        ("not_breathing", "using her neck muscles to breathe"),
        ("severe_bleeding", "now bleeding through the dressing"),
        ("penetrating_injury", "air weapon discharged, pellet embedded in abdomen"),
        ("penetrating_injury", "pellet gun, pellet went in his eye"),
        # red team F: a glassing to the scalp with confusion after a fit; a fistula bleed
        ("head_injury", "male glassed on the scalp, now doesn't know where he is"),
        ("severe_bleeding", "arm bleeding, stopped with a hankie, now spraying again from the lump "
         "on her arm, her dialysis arm"),
        ("severe_bleeding", "bleeding from her fistula in her arm"),
        ("severe_bleeding", "dialysis arm bleeding, stopped with pressure, now bleeding again"),
        ("severe_bleeding", "blood spraying from his neck"),
        # a splash not washed off, one washed off that is getting worse, hydrofluoric acid
        ("corrosive_or_face_burn", "acid splashed over him in the street"),
        ("corrosive_or_face_burn", "paint stripper splashed on his arm, washed off, now worse"),
        ("corrosive_or_face_burn", "got hydrofluoric acid on two fingertips, washed off"),
    ],
)
def test_what_the_thirteenth_session_answers_leaves_the_emergencies_beside_it(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


#: One wording per table phrase added in the thirteenth session, read by no other phrase; each
#: row fails with its phrase taken out.
THIRTEENTH_SESSION_PHRASE_ROWS: list[tuple[str, str]] = [
    ("breathing_settled", "breathing is fine"),
    ("breathing_settled", "breathing back to normal"),
    ("breathing_settled", "breathing has returned to normal"),
    ("breathing_settled", "normal breathing"),
    ("breathing_settled", "no breathing problems"),
    ("bleach_word", "bleach"),
    ("washed_off", "rinsed off"),
    ("washed_off", "held under the tap"),
    ("washed_off", "washed immediately"),
    ("skin_word", "skin"),
    ("relapse_word", "again"),
    ("relapse_word", "started up"),
    ("relapse_word", "came back"),
    ("relapse_word", "come back"),
    ("relapse_word", "returned"),
    ("relapse_word", "worse"),
    ("relapse_word", "recollapsed"),
    ("relapse_word", "re-bled"),
    ("swallow_word", "mouthful"),
    ("swallow_word", "swigged"),
    ("swallow_word", "sucking"),
    ("panic_context", "panicking"),
    ("panic_context", "hyperventilating"),
    ("panic_context", "anxiety attack"),
    ("another_person", "the other one"),
    ("another_person", "another male"),
    ("another_person", "both males"),
    ("another_person", "both of them"),
    ("another_person", "3 males"),
    ("another_person", "the passengers"),
    ("passenger_word", "passenger"),
    ("another_person", "her baby"),
    ("another_person", "the toddler"),
    ("abnormal_breathing", "respiratory rate 40"),
    ("abnormal_breathing", "working so hard to breathe"),
    ("abnormal_breathing", "using his accessory muscles"),
    ("bleeding_through", "bleeding through the bandage"),
    ("bleeding_ceased", "stopped with a plaster"),
    ("dialysis_access", "dialysis line"),
    ("dialysis_access", "graft in his arm"),
    ("dialysis_access", "arm fistula"),
    ("dialysis_access", "av fistula"),
    ("severe_bleeding", "blood spraying"),
    ("severe_bleeding", "spraying out blood"),
    ("head_injury", "glassed on the scalp"),
    ("splashed", "splashing"),
    ("hf_acid", "hydrofluoric"),
    ("hf_acid", "hf acid"),
    ("bleeding_ceased", "stopped after 10 minutes of pinching"),
    ("abnormal_breathing", "working hard with his breathing"),
    ("abnormal_breathing", "tripoding"),
    ("penetrating", "pellet embedded"),
    ("penetrating", "pellet went in"),
]


@pytest.mark.parametrize(("concept", "wording"), THIRTEENTH_SESSION_PHRASE_ROWS)
def test_each_phrase_added_in_the_thirteenth_session_reads_its_concept(
    concept: str, wording: str
) -> None:
    assert_reads_concept(concept, wording)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # red team G (fourteenth session): the emergency sits beside someone who is fine, or
        # after a first report that sounded minor
        ("head_injury", "two lads had a scrap, the taller one got knocked out for about a minute, "
         "now awake and been sick twice, the other one has sore knuckles"),
        ("severe_bleeding", "third male sitting on the kerb holding his side, blood coming "
         "through his fingers"),
        ("severe_bleeding", "cut to his forearm, soaked 3 towels"),
        ("severe_bleeding", "bled through two tea towels from the wound"),
        ("pregnancy_danger", "female 3 weeks after having her baby, terrible headache, blurred "
         "vision and her face is puffy"),
        ("pregnancy_danger", "mum 10 days since her c-section, hands and face swollen up, bad "
         "headache"),
        ("unconscious", "sat down on the grass and now hes collapsed, eyes open but not answering, "
         "breathing sounds like snoring"),
        ("not_breathing", "boy 4 fell in the garden pond, dad pulled him out, an hour later "
         "breathing fast, coughing a lot and very sleepy"),
        # red team H: textbook emergencies told as a pattern of ordinary symptoms
        ("airway_threat", "swelling under his jaw, tongue is pushed up, struggling to swallow"),
        ("airway_threat", "tongue and lips hugely swollen, drooling, his voice sounds muffled"),
        ("stroke", "lost the sight in her left eye, like a curtain coming down"),
        ("stroke", "went dark in his left eye suddenly, like a blind being pulled down"),
        ("stroke", "her vision just went in one eye while she was reading"),
        ("threatened_limb", "came off an e-scooter, pain not touched by painkillers, his shin is "
         "tight, screams when we move his toes"),
        ("threatened_limb", "his calf is rock hard and his foot feels numb after the crash"),
        ("threatened_limb", "crushed her forearm under a pallet, arm now tight as a drum, fingers "
         "tingling and numb"),
        ("threatened_limb", "kicked in the shin, now swollen and tense, pain unbearable"),
        ("testicular_torsion", "woke screaming with pain in one testicle, been sick"),
        ("testicular_torsion", "sore testicle on one side, really swollen, been sick twice"),
        ("pregnancy_danger", "thinks she's having a miscarriage, pain low on the right going up "
         "into her shoulder, goes white when she stands"),
        ("diabetic_ketoacidosis", "drinking loads and weeing all the time for weeks, now been sick "
         "lots, very drowsy"),
        ("diabetic_ketoacidosis", "always thirsty and peeing all the time, now confused and "
         "throwing up"),
        ("cauda_equina", "back pain worse at night, now her legs feel heavy, hasn't been able to "
         "pass water"),
        ("cauda_equina", "bad back, now both legs feel numb and she's not been able to wee"),
        ("significant_overdose", "took a few of his nan's nerve pills, now very drowsy"),
        ("significant_overdose", "took a handful of his nerve pills, wants to die"),
        ("hypothermia", "boiler broken for days, answering slowly, words a bit slurred, icy cold"),
        ("stroke", "speech gone slurred all of a sudden, no drink taken"),
        ("anaphylaxis", "stung by a wasp, itchy all over, wheezy, feels like she's going to pass "
         "out"),
        ("anaphylaxis", "child with a nut allergy ate a cookie, wheezing and been sick twice"),
        ("severe_bleeding", "had her tonsils out 6 days ago, spitting fresh red blood"),
        ("severe_bleeding", "tonsils removed on monday, blood in his spit, keeps swallowing"),
        # red team I: older people
        ("significant_overdose", "has taken all of Wed to Sun doses from her blister pack, "
         "includes diltiazem"),
        ("head_injury", "caught her head on the sink, takes blood thinners"),
        ("sepsis_meningitis", "coughing for days, off his food, today grey and sweaty and not "
         "really talking"),
        # a review: a wound now beside an old one
        ("penetrating_injury", "was stabbed in 2021 and again tonight in the stomach"),
        # a word the tables gain must not stop the speller reading another (stridor: "whistly"
        # read as "whistling" only while the tables do not hold "whistly" itself)
        ("not_breathing", "coughing non stop and theres a whistly noise when she breathes in"),
        # a second review: the same presentations in other words
        ("pregnancy_danger", "had twins 5 wks back, blurred vision since this morning and a "
         "pounding headache"),
        ("stroke", "woke up and is blind in her left eye"),
        ("stroke", "everything went black in his right eye out of nowhere"),
        ("stroke", "her sight's gone in 1 eye all of a sudden"),
        ("threatened_limb", "kicked in the shin, calf now rock solid and he is screaming, "
         "paracetamol and ibuprofen doing nothing"),
        ("threatened_limb", "in a pot for a broken wrist, fingers gone numb and bluish, pain "
         "through the roof"),
        ("threatened_limb", "in plaster since yesterday, leg feels like it's bursting under the "
         "cast and he can't feel his toes"),
        ("pregnancy_danger", "thinks she's losing the baby, 10 weeks, passing big clots, white as "
         "a sheet"),
        ("pregnancy_danger", "managed by the early pregnancy unit for a missed miscarriage, now "
         "found collapsed on the bathroom floor"),
        ("diabetic_ketoacidosis", "drinking gallons of water, peeing constantly, today being sick "
         "and not making sense"),
        ("anaphylaxis", "nut allergy, ate a cake with almonds in, chest whistling and being sick"),
        ("severe_bleeding", "had his tonsils and adenoids out 5 days ago, blood in his spit"),
        ("severe_bleeding", "had his tonsils removed 8 days ago, spitting out mouthfuls of blood"),
        ("severe_bleeding", "nosebleed stopped after pressure earlier, but started up again and is "
         "now pouring"),
    ],
)
def test_what_the_fourteenth_session_red_teams_found_raises_its_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("narrative", "fields"),
    [
        ("DP says he was stabbed in 2019, the scar on his tummy aches when he's cold", {}),
        ("female at the front desk, was shot in the leg years ago abroad, limping as usual", {}),
        ("cut his hand, soaked 2 towels, now stopped with pressure", {}),
        ("'blood everywhere' in the car park: skin tear on his hand, stopped with pressure, "
         "dressed", {}),
        # a limp in the walk is not a floppy child; a past event is not one now
        ("boy 5 limping since the trampoline, walking with a limp, no temperature, eating tea", {}),
        ("had a miscarriage last year, headache today", {}),
        ("since the birth of her son 3 years ago she gets migraines, usual migraine", {}),
        ("had her tonsils out 3 years ago, sore throat", {}),
        ("tonsillectomy 20 years ago, cut her finger chopping veg, plaster on", {}),
        ("calf feels tight after the run, bit sore", {}),
        ("sore throat, swollen glands under his jaw, painful to swallow, no drooling", {}),
        ("plummy voice, sore throat and swollen glands, bit of trouble swallowing tablets", {}),
        ("lost the sight in one eye years ago in an accident, sore ribs after slipping", {}),
        ("lost a contact lens, says she's suddenly blind in one eye without it", {}),
        ("prisoner lying down in cell, not answering questions on solicitor's advice, was "
         "snoring earlier", {}),
        # the review's look-alikes of the new clauses
        ("just left the dentist, tongue and lip numb, voice sounds thick and muffled, dribbling "
         "a bit", {}),
        ("just had a dental injection, words a bit slurred from her numb lip", {}),
        ("known to be having a miscarriage, managed at home, cramps and bleeding like a period",
         {}),
        ("known panic attacks, breathing fast and deep, tingling fingers, felt sick", {}),
        ("detainee asking for his prescribed nerve tablets, takes them as prescribed, bit drowsy "
         "as it's 3am", {}),
        ("got cold waiting for a bus, stopped shivering after a blanket in the warm van", {}),
        ("known COPD, wheeze is his baseline, had prawns for dinner, vomited after beer", {}),
        ("took two days worth of his paracetamol by mistake, fine", {}),
        ("had tonsils out last week, grazed her knee falling off the kerb, bit of blood", {}),
        ("detainee chesty cough for days, bit sweaty in a warm cell, not talking to officers, no "
         "comment interview, alert", {}),
        ("diabetic in custody, feet numb for years from neuropathy, cast on his wrist for a "
         "fracture 2 weeks ago, no pain", {}),
    ],
)
def test_a_past_event_a_limp_and_the_reviews_look_alikes_raise_no_flag(
    narrative: str, fields: dict[str, str]
) -> None:
    assert flags(narrative, **fields) == set()


#: One wording per table phrase added in the fourteenth session, read by no other phrase; each
#: row fails with its phrase taken out.
FOURTEENTH_SESSION_PHRASE_ROWS: list[tuple[str, str]] = [
    ("immersion", "fell into the garden pond"),
    ("pregnancy", "3 weeks after having her baby"),
    ("pregnancy", "10 days since the birth"),
    ("pregnancy", "6 days since her c-section"),
    ("pregnancy", "since having the baby last week"),
    ("bleeding_through", "blood coming through his fingers"),
    ("bleeding_through", "bled through 3 towels"),
    ("bleeding_through", "soaked two tea towels"),
    ("airway_threat", "tongue is pushed up"),
    ("stroke_sign", "lost the sight in his right eye"),
    ("stroke_sign", "like a curtain coming down over her vision"),
    ("stroke_sign", "suddenly blind in one eye"),
    ("stroke_sign", "gone blind in her left eye"),
    ("stroke_sign", "suddenly cannot see out of his right eye"),
    ("stroke_sign", "vision has gone in one eye"),
    ("stroke_sign", "went dark in his left eye"),
    ("limb_numb", "foot feels numb"),
    ("limb_numb", "fingers tingling and numb"),
    ("limb_numb", "toes numb and tingly"),
    ("limb_pain_extreme", "pain not touched by painkillers"),
    ("swollen_tight_limb", "swollen and tense"),
    ("swollen_tight_limb", "tense and swollen"),
    ("testicle_pain", "pain in one testicle"),
    ("testicle_pain", "pain in his right bollock"),
    ("testicle_pain", "sore testicle"),
    ("dka_sign", "drinking loads and weeing all the time"),
    ("dka_sign", "thirsty and peeing all the time"),
    ("dka_sign", "thirsty and weeing loads"),
    ("legs_weak_both", "her legs feel heavy"),
    ("legs_weak_both", "both legs feel numb"),
    ("legs_weak_both", "legs feel like jelly"),
    ("bladder_change", "not been able to pass water"),
    ("bladder_change", "not been able to wee"),
    ("saddle_numbness", "numb round her bottom"),
    ("slurred_speech", "words a bit slurred"),
    ("slurred_speech", "words came out a bit slurred"),
    ("slurred_speech", "speech gone slurred"),
    ("muffled_voice", "voice has gone thick"),
    ("muffled_voice", "muffled voice"),
    ("limb_tight", "shin is tight"),
    ("limb_tight", "tight as a drum"),
    ("miscarrying", "having a miscarriage"),
    ("miscarrying", "miscarrying"),
    ("tonsils_out", "tonsils taken out 6 days ago"),
    ("tonsils_out", "tonsils out last week"),
    ("tonsils_out", "tonsils removed on monday"),
    ("tonsils_out", "tonsillectomy a week ago"),
    ("tonsils_out", "tonsillectomy yesterday"),
    ("nerve_pills", "nerve pills"),
    ("someone_elses_pills", "her mum's tablets"),
    ("mouth_numb_or_pierced", "dentist"),
    ("stab_history", "stabbed in 2019"),
    ("stab_history", "shot in the leg years ago"),
    ("head_injury", "caught her head on the sink"),
    ("extra_doses", "all of her weekly doses"),
    ("extra_doses", "3 days worth"),
    ("extra_doses", "3 days of tablets"),
    ("extra_doses", "a week's worth"),
    ("extra_doses", "a whole week's tablets"),
    ("extra_doses", "the whole blister pack"),
    ("extra_doses", "doubled up on his dose"),
    ("extra_doses", "took his tablets twice"),
    ("cough_days", "coughing for days"),
    ("cough_days", "chesty cough"),
    ("faint_on_standing", "goes white when she stands"),
    ("faint_on_standing", "dizzy on standing"),
    ("shoulder_referred", "going up into her shoulder"),
    ("shoulder_referred", "up into his left shoulder"),
    ("confused", "talking rubbish"),
    ("confused", "asking for his mum who died"),
    ("amputation", "taken off his thumb"),
    ("limb_deformity", "bone showing"),
    ("limb_deformity", "degloved"),
    ("anticoagulant", "tablets that thin your blood"),
    ("anticoagulant", "injections in her tummy"),
    ("anticoagulant", "injections for a clot"),
    ("head_injury", "bruise on the back of his head"),
    ("head_injury", "back of her head hit the ground"),
    ("head_injury", "landed on his head"),
    ("neck_pain", "landed on his neck"),
    ("neck_pain", "neck really painful"),
    ("spinal_deficit", "arms feel weak"),
    ("blood_squirting", "blood spurting"),
    ("blood_squirting", "blood coming out in spurts"),
    ("blood_squirting", "spurting blood"),
    ("bleeding_through", "blood coming through"),
    ("airway_threat", "sitting forward to breathe"),
    ("strangled", "charger tight round her neck"),
    ("electric_shock", "bit through the lamp cable"),
    ("electric_shock", "belt off a 3 phase board"),
    ("still_under", "still under it"),
    ("heavy_load", "pallet"),
    ("not_feeding", "not fed since"),
    ("stamped_on", "stamped on by"),
    ("limbs_tingling", "tingling down both arms"),
    ("trauma", "thrown over"),
    ("object_entered", "gone in under his ribs"),
    ("object_entered", "through the roof of his mouth"),
    ("object_entered", "went into his belly"),
    ("object_entered", "still in him"),
    ("impaling_object", "rebar"),
    ("round_hole", "small round hole"),
    ("round_hole", "round hole in his chest"),
    ("not_breeding", "not breeding"),
    ("fontanelle_bulging", "tense soft spot"),
    ("fontanelle_bulging", "soft spot is bulging"),
    ("fontanelle_bulging", "fontanelle looks tense"),
    ("lightning", "struck by lightning"),
    ("lightning", "lightning strike"),
    ("skin_burn_sign", "skin going white"),
    ("skin_burn_sign", "skin is peeling"),
    ("neck_swelling", "neck is swelling up"),
    ("neck_swelling", "swollen neck"),
    ("neck_swelling", "swelling to her neck"),
    ("blade_weapon", "with a knife"),
    ("groaning_only", "just groaning"),
    ("loc", "woke up on the kitchen floor"),
    ("slurred_speech", "speech was slurred"),
    ("stroke_sign", "side of his mouth appeared lower"),
    ("stroke_sign", "left side of her face is numb"),
    ("stroke_sign", "arm is not doing what she tells it"),
    ("stroke_sign", "wrong words coming out"),
    ("photophobia", "cannot look at my torch"),
    ("abnormal_breathing", "an occasional deep noisy breath"),
    ("abnormal_breathing", "every so often a big gasp"),
    ("abnormal_breathing", "gasping like a fish"),
    ("reduced_consciousness", "only groaned when he was shaken"),
    ("blood_everywhere", "blood was running freely"),
    ("blood_everywhere", "wet through with blood"),
    ("battery_magnet", "button battery from the back of the remote in his mouth"),
    ("crushed_under", "pinned under the quad"),
    ("pinned_underneath", "trapped underneath"),
    ("seizure_any", "funny turn and shook"),
    ("seizure_any", "shook all over for about a minute"),
    ("unconscious", "cant get any response off her"),
    ("tearing_pain", "ripped inside"),
    ("tearing_pain", "pain going right through to my back"),
    ("chest_pain", "belt being tightened round his chest"),
    ("body_packer", "wraps in his mouth and swallowed them"),
    ("height_number", "6 metre drop"),
    ("height_number", "2nd floor window"),
    ("spinal_deficit", "cannot feel my arms"),
    ("head_injury", "banged back of head"),
    ("trunk_wound", "wound left side of chest"),
    ("abdo_pain", "holding her stomach"),
    ("pregnancy_danger_sign", "pain in the tip of her shoulder"),
    ("collapse_faint", "nearly went over"),
    ("thunderclap", "something burst inside my head"),
    ("immersion", "fell in the farm pond"),
    ("still_going", "not stopping"),
    ("seizure_repeated", "before he had come round"),
    ("new_mother", "mother of a 2 week old baby"),
    ("gi_bleed", "vomited a large quantity of dark red blood"),
    ("abnormal_breathing", "high pitched noise when he breathed in"),
    ("harsh_breathing", "harsh breathing"),
    ("vomit_blood_word", "vomit with blood in it"),
    ("drink_stopped", "been dry in custody 48 hours"),
    ("silent_since", "has not spoken since"),
    ("collapse_faint", "slumped"),
    ("collapse_faint", "just gone down in the hallway"),
    ("confused", "could not tell me his own name"),
    ("confused", "cannot tell us her name"),
    ("confused", "cannot answer questions properly"),
    ("confused", "could not answer questions properly"),
    ("hypo", "sugar went down"),
    ("cell_light", "cant stand the cell light"),
    ("chest_pain", "heart is paining him"),
    ("immersion", "off the bottom of the pool"),
    ("immersion", "capsized"),
    ("rail_word", "conductor rail"),
    ("high_voltage", "climbed a pylon"),
    ("serotonin_sign", "pupils massive"),
    ("serotonin_sign", "jaw going"),
    ("body_packer", "internal concealment"),
    ("strangled", "knee on her neck"),
    ("slow_pulse", "pulse felt very slow"),
    ("gtn_spray", "spray under his tongue"),
    ("gtn_spray", "gtn"),
    ("cord_out", "rope is hanging out"),
    ("slurry", "slurry"),
    ("out_of_proportion", "worse than it looks"),
    ("out_of_proportion", "pain out of proportion"),
    ("second_hole", "second hole"),
    ("ear_bleed", "blood in his left ear"),
    ("battle_sign", "bruising behind the same ear"),
    ("panda_eyes", "panda eyes"),
    ("labour_complication", "wants to push"),
    ("hallucinating", "talking to someone who is not there"),
    ("hallucinating", "talking to people who are not there"),
    ("hallucinating", "picking at things in the air"),
    ("shock_sign", "BP 80"),
    ("puncture_word", "puncture"),
    ("drink_stopped", "not touched a drink since"),
    ("infection_word", "catheter"),
    ("pregnancy", "had twins 5 weeks ago"),
    ("stroke_sign", "went black in his right eye"),
    ("stroke_sign", "woke up blind in her left eye"),
    ("stroke_sign", "sight has gone in 1 eye"),
    ("limb_tight", "calf now rock solid"),
    ("limb_tight", "feels like it is bursting"),
    ("limb_pain_extreme", "painkillers doing nothing"),
    ("plaster_cast", "in a pot for"),
    ("miscarrying", "losing the baby"),
    ("miscarrying", "missed miscarriage"),
    ("miscarrying", "miscarriage tablets"),
    ("dka_sign", "peeing constantly"),
    ("dka_sign", "drinking gallons"),
    ("wheeze_now", "chest whistling"),
    ("wheeze_now", "whistling chest"),
    ("tonsils_out", "adenoids out 5 days ago"),
    ("tonsils_out", "adenoids removed last week"),
    ("tonsils_out", "adenoids out on friday"),
    ("mouth_blood", "spitting fresh blood"),
    ("mouth_blood", "spitting out mouthfuls of blood"),
    ("mouth_blood", "blood in his spit"),
    ("mouth_blood", "bleeding from her mouth"),
    ("pouring_again", "now pouring"),
    ("pouring_again", "gushing again"),
]


@pytest.mark.parametrize(("concept", "wording"), FOURTEENTH_SESSION_PHRASE_ROWS)
def test_each_phrase_added_in_the_fourteenth_session_reads_its_concept(
    concept: str, wording: str
) -> None:
    assert_reads_concept(concept, wording)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # critical vignettes of the tuned suites that the model alone had deployed, in short
        ("not_breathing", "was talking to us 2 mins ago, now slumped against the wall not "
         "answering, lips look a bit blue"),
        ("not_breathing", "her dad has collapsed in the garden and he is not breeding"),
        ("unconscious", "after the fall he was chatting, now only opening his eyes when we pinch "
         "his ear, wont answer"),
        ("unconscious", "on the floor of the club toilets, cant get any response off her"),
        ("not_breathing", "did not respond to his name or a shake, an occasional deep noisy "
         "breath, one every 10 seconds"),
        ("falling_consciousness", "on the 0200 check he only groaned when shaken and did not open "
         "his eyes"),
        ("falling_consciousness", "went down and hit his head on the tiled floor, not getting up, "
         "just groaning"),
        ("strangulation", "hands round her throat, she went fuzzy and woke up on the kitchen "
         "floor"),
        ("strangulation", "strangled her till she saw stars, now her neck is swelling up"),
        ("stroke", "his speech was slurred and the right side of his mouth appeared lower than "
         "the left"),
        ("stroke", "left side of her face is numb and her arm is not doing what she tells it"),
        ("stroke", "talking gobbledygook, wrong words coming out"),
        ("sepsis_meningitis", "feels hot, his neck is stiff and he cannot look at my torch"),
        ("sepsis_meningitis", "baby 4 months very sleepy, soft spot on top of head looks "
         "bulging"),
        ("head_injury", "rolled off the sofa, soft spot on top of her head is bulging"),
        ("head_injury", "pushed over, banged back of head on radiator, on warfarin"),
        ("severe_bleeding", "cuts to both forearms, blood was running freely"),
        ("severe_bleeding", "wound to his thigh, jeans are wet through with blood"),
        ("battery_or_magnet_swallowed", "put a button battery from the back of the TV remote in "
         "his mouth and swallowed it"),
        ("major_trauma", "quad rolled on a farm track, farmer pinned underneath"),
        ("major_trauma", "fell off his ladder, 2nd floor window, landed on the paving"),
        ("major_trauma", "fell into the old quarry, approx 6 metre drop"),
        ("major_trauma", "dived into the shallow end, says I can't feel my arms"),
        ("electrical_injury", "lightning hit near the green, one golfer on the ground not moving"),
        ("seizure", "funny turn and shook all over on the sofa, now dazed, no history of "
         "epilepsy"),
        ("seizure", "fell from the bench and shook all over for approximately one minute, first "
         "ever"),
        ("cardiac_chest_pain", "suddenly grabbed his chest, something ripped inside, going right "
         "through to my back"),
        ("cardiac_chest_pain", "feels like a belt being tightened round his chest, going into his "
         "neck, feels sick"),
        ("cardiac_chest_pain", "pain in his jaw and down his left arm, looks grey, has had "
         "stents"),
        ("cardiac_chest_pain", "heart going like the clappers, nearly went over twice, chest a "
         "bit tight"),
        ("penetrating_injury", "got nicked with a knife, small wound left side of chest"),
        ("corrosive_or_face_burn", "held her down and poured something from a bottle onto her "
         "face, eyes streaming, skin on cheek going white"),
        ("significant_overdose", "put several small wraps in his mouth and swallowed them, now "
         "feels hot and his heart is going mad"),
        ("thunderclap_headache", "dropped to his knees holding his head, something burst inside "
         "my head, vomiting"),
        ("pregnancy_danger", "period is late, holding her stomach, pale and sweaty, pain in the "
         "tip of her shoulder"),
        ("not_breathing", "child fell in the farm pond, now coughing a lot and breathing fast"),
        # red team J: injuries and violence in lay words
        ("major_trauma", "male stamped on by 2 suspects, awake but talking rubbish, asking for "
         "his mum who died years ago"),
        ("major_trauma", "joiner on a bandsaw, taken off his thumb and first finger at the "
         "knuckle"),
        ("limb_deformity", "ring caught on the spike, all the skin's pulled off his ring finger "
         "like a glove, bone showing"),
        ("head_injury", "gent 79 on warfarin found at the bottom of his stairs, bruise on the back "
         "of his head"),
        ("head_injury", "bumped her head on the shelf, on the tablets that thin your blood"),
        ("head_injury", "back of head hit the ground, she has injections in her tummy every day "
         "for a clot"),
        ("severe_bleeding", "glassed in the side of the neck, blood coming out in spurts"),
        ("severe_bleeding", "cut across the side of the neck, holding a towel on it, blood "
         "coming through"),
        ("major_trauma", "thrown over a wall in a scrap, landed on his neck, tingling down both "
         "arms"),
        ("major_trauma", "fell backwards down 3 concrete steps, neck really painful, arms feel "
         "weak"),
        ("electrical_injury", "toddler bit through the lamp cable, burn on the corner of his "
         "mouth"),
        ("electrical_injury", "got a belt off a 3 phase board at work, now feels sick"),
        ("head_injury", "6 month old fell out of her bouncer, soft spongy swelling on the side of "
         "her head, sleepier than normal"),
        ("infant_injury_suspicious", "baby 7 weeks with fingertip bruises on his chest, not fed "
         "since this morning"),
        ("bowel_obstruction", "child 3 fell down the stairs 2 days ago, tummy swollen and hard, "
         "being sick green"),
        ("penetrating_injury", "thought a firework hit her, blood on her jumper, small round hole "
         "just under her right ribs"),
        ("penetrating_injury", "fell onto a length of rebar, it's gone in under his ribs and it's "
         "still in him"),
        ("penetrating_injury", "fell off his shed roof onto the garden fork, a prong went into his "
         "belly"),
        ("penetrating_injury", "fell with a sharpened garden cane, gone in through the roof of his "
         "mouth"),
        ("major_trauma", "pallet of breeze blocks came off the lorry onto his legs, he's still "
         "under it"),
        ("electrical_injury", "lightning strike on the fell, one walker on the ground not "
         "moving"),
        ("airway_threat", "jaw moves in two bits, can't swallow, has to sit forward to breathe"),
        ("strangulation", "phone charger cable tight round her neck, mum cut it off, drowsy"),
        ("airway_threat", "pellet in the side of her neck, her neck is swelling up and her voice "
         "sounds hoarse"),
        # review C: the same presentations in other words
        ("falling_consciousness", "eyes shut, only opened them when the PC pressed on his "
         "fingernail"),
        ("falling_consciousness", "after a fall down the stairs, just moaning when we rub her "
         "chest"),
        ("not_breathing", "on the floor in the toilets, every so often does a big gasp"),
        ("strangulation", "dressing gown belt tied tight round his neck, mum cut it off, drowsy"),
        ("sepsis_meningitis", "baby 5 months, the soft bit on top of his head is raised and "
         "tight"),
        ("sepsis_meningitis", "dropped off the changing table, her fontanel is sticking up, very "
         "sleepy"),
        ("head_injury", "tripped, head bounced off the pavement, being sick over and over"),
        ("head_injury", "egg sized lump on his skull, takes rivaroxaban"),
        ("head_injury", "headbutted the floor when she fell, on the pills that stop clots"),
        ("electrical_injury", "boy 4 chewed through the fridge plug lead, burn at the corner of "
         "his lip"),
        ("seizure", "went rigid in the cell, eyes rolled back, arms twitching, still going"),
        ("significant_overdose", "swallowed a load of cling filmed packages when stopped, now "
         "sweating, heart racing"),
        ("hypothermia", "found in the snow, rambling, thinks he's at home"),
        # the tuned suites' model-only emergencies, second pass
        ("seizure", "DP on floor of cell 9 shaking all over, been going approx 6 mins, not "
         "stopping"),
        ("seizure", "known epileptic, a second fit before he had come round from the first"),
        ("pregnancy_danger", "collapsed having a fit, she is the mother of a 2 week old baby"),
        ("severe_bleeding", "heavy drinker, vomited a large quantity of dark red blood"),
        ("dangerous_heart_rate", "passed out twice, his pulse felt very slow"),
        ("airway_threat", "leaning forward drooling, a high pitched noise when he breathed in"),
        ("head_injury", "fell backwards down the stairs and struck his head, has not spoken "
         "since"),
        ("unconscious", "husband has just gone down in the hallway and is twitching and not "
         "answering"),
        ("hypothermia", "heavy frost, very cold to the touch, speech slow and slurred, could not "
         "tell me his own name"),
        ("hypoglycaemia", "her sugar went down, type 1, sweating and talking nonsense"),
        ("sepsis_meningitis", "headache getting worse, been sick, cant stand the cell light, feels "
         "hot to touch"),
        ("cardiac_chest_pain", "his heart is paining him again, his spray under the tongue isn't "
         "working"),
        ("labour_complications", "in labour in the car, the rope is hanging out before the baby"),
        ("anaphylaxis", "having an ana flactic shock, face swelling, wheezing"),
        ("not_breathing", "lifeguard pulled a boy off the bottom of the deep end, now coughing "
         "and drowsy"),
        ("not_breathing", "kayaker capsized, in the water 20 mins, coughing up frothy stuff"),
        ("electrical_injury", "trespasser came into contact with the conductor rail, burns to his "
         "hand"),
        ("carbon_monoxide", "farmer collapsed in the slurry shed, his son went in after him"),
        ("abdominal_pain_with_collapse", "screaming with pain in her tummy, soft, but pain way "
         "worse than it looks"),
        ("sepsis_meningitis", "injects into her thigh, skin going purple-black with blisters, "
         "pain way worse than it looks"),
        ("penetrating_injury", "a small round hole to the front of his thigh and a second hole to "
         "the back"),
        ("significant_overdose", "took a couple of pills at the gig, now very hot, jaw going, "
         "pupils massive, twitching"),
        ("significant_overdose", "detained on suspicion of internal concealment, stomach pains, "
         "sweating and shaking"),
        ("strangulation", "held her on the floor with his knee on her neck, she wet herself"),
        ("penetrating_injury", "fell onto starter bars, one has gone into his lower belly"),
        ("not_breathing", "has a DNR but she cant find the form anywhere, now slumped and not "
         "breathing"),
        # red team K: deaths and near-deaths after police contact
        ("penetrating_injury", "at booking, small puncture wound left side of chest, says he "
         "caught it on a fence"),
        ("head_injury", "smells of cider, dried blood in his left ear and bruising behind the same "
         "ear, doesn't know what day it is"),
        ("labour_complications", "contractions every 2 mins, says she wants to push"),
        ("delirium_tremens", "soaked in sweat, tremor, picking at things in the air, hasn't "
         "touched a drink since she was arrested"),
        ("sepsis_meningitis", "long term catheter, confused, temp 35.1, BP 80 something"),
        # a fourth review: the same presentations in other words
        ("seizure", "had a fit, it stopped then he started again without waking up in between"),
        ("severe_bleeding", "known cirrhosis, chucking up bright red claret by the bucketful"),
        ("head_injury", "banged his head on the fireplace, since then nothing makes sense"),
        ("unconscious", "dropped like a stone in the shop queue, eyes shut, not reacting to his "
         "name"),
        ("hypoglycaemia", "diabetic teen having a hypo, combative and sweating buckets"),
        ("cardiac_chest_pain", "his ticker's playing up, pain across the front of his chest, "
         "clammy and white"),
        ("cardiac_chest_pain", "used his puffer under the tongue 3 times, no relief, pain going up "
         "into his jaw"),
        ("labour_complications", "baby's foot is coming out first, she's on the bathroom floor"),
        ("labour_complications", "baby's head came out 3 mins ago but the rest won't come"),
        ("not_breathing", "went under at the lido, fished out, breathing fast with a frothy "
         "cough"),
        ("electrical_injury", "climbed a pylon and touched the wires, thrown down, burns to both "
         "hands"),
        ("carbon_monoxide", "went into the muck pit, lying still at the bottom, his son went in "
         "after him and collapsed"),
        ("sepsis_meningitis", "small scratch on his shin, pain far beyond what it looks like, skin "
         "going purple-black"),
        ("head_injury", "panda eyes after being hit with a bat, muddled"),
        ("head_injury", "blood trickling from his ear after a hit with a bat"),
        ("falling_consciousness", "just flinches when I rub his breastbone, otherwise not "
         "reacting"),
        ("delirium_tremens", "alcoholic, been dry in custody 48 hrs, burning up, shaking, "
         "screaming at things that aren't there"),
    ],
)
def test_what_the_model_alone_carried_in_the_tuned_suites_now_raises_its_flag(
    flag: str, narrative: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "woman with a profound learning disability, moaning noises are how she communicates",
        "cut his arm with a razor, small cuts, may need steri strips",
        "cut himself with a knife while cooking, small cut on his finger",
        "lightning storm last night, power cut, all well",
        "the dog is not breeding this year",
        # red team J's minors beside the new readings
        "the pain has gone into his back, walking fine",
        "he's talking rubbish, says he was never in the shop, no injuries",
        "tablets are still in him, he took them an hour ago, well",
        "bruise on his shin from the kerb",
        # review C's look-alikes of the new readings
        "farmer upset, his cows are not breeding, sat on the floor of the barn crying",
        "can't get any response off her mum by text for 2 days, officers found her fine",
        "freediver doing breath-hold training, one breath every 10 seconds on purpose",
        "the wrong words are coming out because his English is poor, wants an interpreter",
        "left side of her face is numb from the dentist injection this morning",
        "speech was slurred on the voicemail because he'd just had a tooth out",
        "nosebleed, he was wet through with blood but it stopped 20 mins ago with pinching",
        "hair dye in the bath, the bath water was red, no injury at all",
        "refusing to get up for court, still under it (the duvet)",
        "her cat is pinned underneath the garden gate, she is uninjured",
        "plaster cast was taken off his thumb yesterday, stiff",
        "climber, skin pulled off his finger from a blister, small flap",
        "theft of cables from a 3 phase board at a building site, no one injured",
        "lying on the ground laughing after a trolley race, calls himself Lightning McQueen",
        "rough sleeper says the damp is going right through to his back, no pain",
        "male 70 with stents, a bit grey from the cold, no chest pain, no breathlessness",
        # look-alikes of the second pass
        "slumped on the sofa watching telly, chatting, no complaints",
        "his sugar went down after a run, had a biscuit, fine, chatting",
        "heart racing after the argument, felt faint but did not faint, fine now",
        "the party is still going next door, noise complaint",
        "drowsy after vodka, rousable, snoring at times, blue in the face from arguing",
        "blood in his left ear from a cotton bud, no injury, fine",
        "tyre has a puncture, driver fine",
    ],
)
def test_look_alikes_of_what_the_model_alone_carried_raise_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()

#: One wording per table phrase added in the fifteenth session (red teams L and M, review E), read
#: by no other phrase; each row fails with its phrase taken out.
FIFTEENTH_SESSION_PHRASE_ROWS: list[tuple[str, str]] = [
    ("unresponsive_ish", "she does not answer us"),
    ("unresponsive_ish", "does not react to anything"),
    ("sedating_drug", "sleeping tablets"),
    ("groaning_only", "moaning only"),
    ("groaning_only", "he only says mmm"),
    ("groaning_only", "he says only mmm"),
    ("not_breathing", "he is not taking air"),
    ("soot_sign", "coughing black"),
    ("soot_sign", "black in the nose"),
    ("stroke_sign_lay", "his face fell to one side"),
    ("slurred_speech", "the speech is mushed"),
    ("stroke_sign_lay", "the arm falls down when he holds it up"),
    ("stroke_sign_lay", "the mouth has gone to the side"),
    ("stroke_sign_lay", "the right hand does not listen to him"),
    ("stroke_sign_lay", "half his face is sleeping"),
    ("stroke_sign_lay", "he cannot smile on the right side"),
    ("choked_on", "put a coin in his mouth"),
    ("choked_on", "the meat was stuck"),
    ("eyes_will_not_open", "eyes not opening"),
    ("eyes_will_not_open", "her eyes will not open"),
    ("labour", "the water broke"),
    ("labour", "her water has broken"),
    ("toxic_to_a_child", "ate some tablets for the heart"),
    ("toxic_to_a_child", "the pills of the grandmother for the heart"),
    ("hives", "itchy all over"),
    ("hives", "all the body is itching"),
    ("hives", "whole body itching"),
    ("hives", "red spots like nettle"),
    ("face_puffing", "the eyes are closed from swelling"),
    ("face_swelling", "the lips which swell"),
    ("face_swelling", "the lips that are swelling"),
    ("voice_change", "she has a voice of duck"),
    ("floppy_mottled", "the baby 4 months is soft like a doll"),
    ("stabbing", "been stopped in the chest"),
    ("bleach_word", "drank some beach"),
    ("ligature", "put the cable of the charger around the neck and pulled"),
    ("seizure_any", "foam in the mouth"),
    ("seizure_prolonged", "she has a crisis since 10 minutes"),
    ("pregnancy", "my wife is embarrassed of 8 months"),
    ("pregnancy", "she is embarrassed 8 months"),
    ("pregnancy_danger_sign", "she sees little lights"),
    ("pregnancy_danger_sign", "the head is very painful"),
    ("pregnancy_danger_sign", "the hands are swollen"),
    ("loc", "lost his knowledge for some minutes"),
    ("trapped", "imprisoned in the car"),
    ("trapped", "the legs are stuck under the dashboard"),
    ("trapped", "his leg is stuck under the steering wheel"),
    ("hypo", "she has the sugar"),
    ("confused", "she does not know her daughter's name"),
    ("abnormal_breathing", "the belly goes in under the ribs"),
    ("abnormal_breathing", "grunting with every breath"),
    ("abnormal_breathing", "the nose is opening and closing"),
    ("abnormal_breathing", "the breath whistles in the throat"),
    ("asthma_copd", "she has the allergy of the chest"),
    ("not_relieved", "the spray does not help"),
    ("not_relieved", "she cannot catch the air"),
    ("not_relieved", "the lips are a little violet"),
    ("chemo", "the cancer medicine"),
    ("chemo", "the medicine for the cancer"),
    ("double_vision", "he sees two of everything"),
    ("ataxia", "does not manage to walk straight"),
    ("chest_pain", "the pain in the breast"),
    ("chest_pain", "the chest is squeezing"),
    ("racing_heart", "his heart is jumping very fast"),
    ("racing_heart", "the heart beats very fast"),
    ("extensive_area", "chest and belly"),
    ("strangled", "a red line on the neck"),
    ("fontanelle_bulging", "the soft place on the head is swollen"),
    ("hanging", "hung himself in the garden from the tree"),
    ("young_infant", "the baby has 7 weeks"),
    ("choking_sign", "she cannot make a sound"),
    ("choking_sign", "he could not make a noise"),
    ("small_child", "my son of 3 years"),
    ("ingested", "ate the tablets"),
    ("pushed_into_trunk", "pushed a piece of plastic deep into his stomach"),
    ("no_recovery_between", "he does not wake up properly between them"),
    ("no_recovery_between", "not waking in between"),
    ("no_recovery_between", "without waking between"),
    ("no_recovery_between", "between them he does not wake up"),
    ("pushed_into_trunk", "has pushed it deep into his stomach"),
    ("wound_infected", "the cut is red and with pus"),
    ("wound_infected", "pus coming out of the wound"),
    ("wound_infected", "the wound is infected"),
    ("wound_infected", "pus coming from the wound"),
    ("hives", "blotchy all over"),
    ("washed_off", "she's rinsing under the tap"),
    ("not_breathing", "gave him 3 rescue breaths"),
    ("immersion", "found face down in the shallow end"),
    ("immersion", "went nose first into the river"),
    ("trauma", "took a knee in the left side"),
    ("trauma", "hurt in a tackle"),
    ("trauma", "landed on her head"),
    ("trauma", "the bull has had him"),
    ("trauma", "trampled by the herd"),
    ("trauma", "sledged into a tree"),
    ("co_source", "the petrol pressure washer running"),
    ("headache", "both have bad heads"),
    ("object_entered", "rebar has gone right through his thigh"),
    ("limbs_tingling", "pins and needles down both arms"),
    ("major_mechanism", "driver reports striking a person at the foot crossing"),
    ("collision", "hgv on its side"),
    ("trapped", "he cannot get out of the cab"),
    ("trapped", "cab roof caved in"),
    ("face_burn", "burns round his eye"),
    ("abdominal_blow_child", "went into a tree tummy first"),
    ("confined_space", "a sewer chamber"),
    ("confined_space", "down the manhole"),
    ("confined_space", "fell into the septic tank"),
    ("confined_space", "climbed down into the silo"),
    ("confined_space", "went down into the underground water tank"),
    ("breathless_any", "breathing quite short"),
    ("confined_space", "working in a confined space"),
    ("confined_space", "fell into the fermentation vessel"),
    ("cold_to_touch", "freezing cold to touch"),
    ("cold_to_touch", "cold as stone"),
    ("scuba_dive", "went scuba diving this morning"),
    ("scuba_dive", "scuba dived yesterday"),
    ("scuba_dive", "two hours after scuba diving"),
    ("scuba_dive", "a wreck dive"),
    ("scuba_dive", "surfaced from a 30 metre dive"),
    ("scuba_dive", "came up from the 20 metre dive"),
    ("scuba_dive", "sore after his dive"),
    ("scuba_dive", "his dive computer"),
    ("scuba_dive", "decompression sickness"),
    ("scuba_dive", "the bends"),
    ("joint_ache", "aching shoulders"),
    ("joint_ache", "his knees are sore"),
    ("joint_ache", "pain in the joints"),
    ("ligature", "a dressing gown cord round his own neck"),
    ("unresponsive_ish", "not reacting to voice or touch"),
    ("long_duration", "not stop already 15 minutes"),
    ("pregnancy", "she is in state, 7 months"),
    ("eyes_will_not_open", "she does not open her eyes"),
    ("hives", "a lumpy rash"),
    ("hives", "raised lumpy red rash"),
    ("pregnancy_danger_sign", "a pounding head"),
    ("pregnancy_danger_sign", "hands and face have puffed right up"),
    ("pregnancy_danger_sign", "her vision has gone funny"),
    ("pregnancy_danger_sign", "pain up under her ribs"),
    ("chemo", "on the oncology unit"),
    ("chemo", "she has leukaemia"),
    ("racing_heart", "going like the clappers"),
    ("racing_heart", "heart thumping"),
    ("wound_infected", "a weeping ulcer"),
    ("wound_infected", "the scar is oozing"),
    ("confined_space", "in a ship's cargo hold"),
    ("confined_space", "the hold of the ship"),
    ("hf_acid", "the cleaner contains hf"),
    ("hf_acid", "alloy wheel cleaner"),
    ("washed_off", "rinsed for a minute"),
    ("trauma", "went down the stairs head first"),
]


@pytest.mark.parametrize(("concept", "wording"), FIFTEENTH_SESSION_PHRASE_ROWS)
def test_each_phrase_added_in_the_fifteenth_session_reads_its_concept(
    concept: str, wording: str
) -> None:
    assert_reads_concept(concept, wording)


@pytest.mark.parametrize(
    ("flag", "narrative", "fields"),
    [
        # red team L (fifteenth session): interpreted, machine-translated and speech-to-text
        ("unconscious", "shopkeeper translating: she does not react to anything, we shout and she "
         "does not answer", {}),
        ("falling_consciousness", "took his brother's methadone and the sleeping tablets, snoring, "
         "she shakes him and he only says mmm", {}),
        ("not_breathing", "male collapsed in the gym officer doing compressions deaf fib on its "
         "way", {}),
        ("not_breathing", "baby knot breathing mum screaming", {}),
        ("airway_burns", "after the kitchen fire he coughs black and there is black in the nose",
         {}),
        ("stroke", "grandfather, the mouth has gone to the side and the right hand does not listen "
         "to him", {}),
        ("choking_airway", "baby 10 months put a coin in the mouth, now he cannot cry", {}),
        ("choking_airway", "the food is stuck, he cannot speak, he becomes blue", {}),
        ("unconscious", "collapsed at the bar, eyes not opening, groaning only", {}),
        ("labour_complications", "the water broke and something like a cord is coming out, 36 "
         "weeks", {}),
        ("significant_overdose", "my son of 3 years ate the pills of the grandmother for the "
         "heart, "
         "now sleepy", {}),
        ("head_injury", "fell in the street, banged her head, she's on a pixie ban, alert", {}),
        ("anaphylaxis", "new antibiotic an hour ago, itching all over, face and eyes swelling, "
         "dizzy, heart beating fast", {}),
        ("anaphylaxis", "peanut allergy, the lips which swell and she coughs", {}),
        ("infant_fever_or_floppy", "the baby 4 months is soft like a doll, the arms fall down", {}),
        ("penetrating_injury", "male twenty been stopped in the chest, two wounds", {}),
        ("significant_overdose", "toddler drank some beach from under the sink", {}),
        ("self_harm_danger", "custody cell male used a liga chair made from his t shirt", {}),
        ("seizure", "female forty having a sees her been going for over five minutes", {}),
        ("seizure", "my wife has a crisis since 10 minutes, she does not respond, foam in the "
         "mouth",
         {}),
        ("seizure", "he has the epilepsy, three attacks today, between them he does not wake up "
         "properly", {}),
        ("pregnancy_danger", "my wife is embarrassed of 8 months, the head very painful, she sees "
         "little lights", {}),
        ("head_injury", "hit with the bat on the head and lost his knowledge for some minutes", {}),
        ("major_trauma", "car accident, my friend is imprisoned in the car, legs stuck under the "
         "dashboard", {}),
        ("self_harm_danger", "put the cable of the charger around the neck and pulled, now "
         "confused",
         {}),
        ("hypoglycaemia", "she has the sugar, takes the injection, now talks strange and does not "
         "know her daughter's name", {}),
        ("not_breathing", "baby 2 months breathes fast, the belly goes in under the ribs", {}),
        ("not_breathing", "the girl 7 coughing and whistling, the nose is opening and closing", {}),
        ("not_breathing", "swallowed a fish bone, the breath whistles in the throat", {}),
        ("asthma_not_relieved", "asthma, the spray does not help, lips are a little violet", {}),
        ("sepsis_meningitis", "had the cancer medicine into the vein last week, now she is hot, "
         "38.6", {}),
        ("penetrating_injury", "reports of a gun shop wound to the leg, male lying in the road",
         {}),
        ("stroke", "he sees two of everything, does not manage to walk straight, started "
         "suddenly", {}),
        ("cardiac_chest_pain", "she has the pain in the breast going to the left arm, wet with "
         "sweat", {}),
        ("corrosive_or_face_burn", "pulled the pot of boiling water over himself, chest and belly",
         {}),
        ("strangulation", "he tried with the belt on the door, a red line on the neck, the voice "
         "is hoarse", {}),
        ("sepsis_meningitis", "the soft place on the head of the baby is swollen up, he vomits",
         {}),
        ("strangulation", "my brother hung himself in the garden from the tree, we cut him", {}),
        ("infant_fever_or_floppy", "the baby has 7 weeks, fever 38.3", {}),
        ("penetrating_injury", "detainee has pushed a piece of plastic deep into his stomach", {}),
        ("sepsis_meningitis", "operation 5 days ago, the cut is red and with pus, high fever, "
         "heart beats very fast", {}),
        # red team M (fifteenth session): outdoors, workplaces, water, weather and sport
        ("anaphylaxis", "bee sting on his neck, gone blotchy all over, coughing and wheezy", {}),
        ("corrosive_or_face_burn", "hydrofluoric acid on her fingers, a few drops, rinsing under "
         "the tap", {}),
        ("carbon_monoxide", "worker went down the ladder into a sewer chamber, felt dizzy and "
         "collapsed", {}),
        ("not_breathing", "blacked out after a breath hold, buddy gave him 3 rescue breaths, fine "
         "now", {}),
        ("falling_consciousness", "girl found face down in the shallow end, coughed, now a bit "
         "sleepy", {}),
        ("hypothermia", "lady 80 walked into the sea, wet to the waist, freezing cold to touch",
         {}),
        ("decompression_illness", "scuba diver surfaced from a 30 metre wreck dive 2 hrs ago, "
         "aching shoulders and elbows", {}),
        ("injury_with_shock", "rugby player took a knee in the left side in a tackle, pale, "
         "sweaty, "
         "feels faint", {}),
        ("carbon_monoxide", "petrol pressure washer running in the shut workshop, both have bad "
         "heads, one confused", {}),
        ("penetrating_injury", "fell onto the starter bars, a rebar has gone right through his "
         "thigh", {}),
        ("major_trauma", "landed on her head on the trampoline, neck hurts, pins and needles down "
         "both arms", {}),
        ("injury_with_shock", "the bull has had him, holding his ribs, very pale and sweaty", {}),
        ("major_trauma", "dived into the river where it's waist deep, hit his head on the bottom, "
         "arms tingling, legs feel dead", {}),
        ("major_trauma", "train driver reports striking a person at the foot crossing", {}),
        ("not_breathing", "car went nose first into the river, he got out, chest hurts, breathing "
         "quite short", {}),
        ("major_trauma", "hgv on its side, driver still in the cab, cannot get out of the cab",
         {}),
        ("corrosive_or_face_burn", "a rocket hit the boy in the face, burns round his eye and "
         "cheek", {}),
        ("injury_with_shock", "boy 9 sledged into a tree tummy first, very pale", {}),
        ("not_breathing", "car went nose first into the river, he waded out, breathing quite "
         "short", {}),
        ("carbon_monoxide", "farmer went down into the underground water tank, said he felt dizzy, "
         "now quiet, not answering", {}),
        # review E: the same emergencies in other words, and what the exceptions must not hide
        ("self_harm_danger", "teen whose father hanged himself last year has tied a dressing gown "
         "cord round his own neck, drowsy", {}),
        ("unconscious", "found behind the front door, not reacting to voice or touch, eyes shut",
         {}),
        ("seizure", "son has attack of epilepsy, shaking all body, not stop already 15 minutes",
         {}),
        ("pregnancy_danger", "my wife she is in state, 7 months, big bleeding from down", {}),
        ("unconscious", "found his wife on the bathroom floor, she does not open her eyes", {}),
        ("anaphylaxis", "new antibiotics today, red raised lumpy rash all over, heart pounding, "
         "eyes puffing up", {}),
        ("pregnancy_danger", "had baby 2 weeks ago, hands and face have puffed right up", {}),
        ("pregnancy_danger", "30 weeks pregnant, pain up under her ribs on the right", {}),
        ("sepsis_meningitis", "on the oncology unit, had his drip last Tuesday, temp 38.5", {}),
        ("cardiac_chest_pain", "her heart is going like the clappers, chest hurting, about to pass "
         "out, pale", {}),
        ("sepsis_meningitis", "leg ulcer weeping and smelly, burning hot, heart thumping", {}),
        ("sepsis_meningitis", "c-section last week, the scar is oozing, boiling hot, breathing "
         "fast",
         {}),
        ("injury_with_shock", "took a stud to his lower back in a ruck, now grey and sweaty", {}),
        ("carbon_monoxide", "two workers in a ship's cargo hold, one passed out", {}),
        ("corrosive_or_face_burn", "alloy wheel cleaner (contains HF) on his fingers, rinsed for a "
         "minute, burning pain getting worse", {}),
        ("head_injury", "grandad went down the stairs head first, lying at the bottom, not "
         "moving", {}),
        ("stroke", "had a filling at the dentist, now her face fell to one side and she cannot "
         "lift her arm", {}),
    ],
)
def test_what_the_fifteenth_session_red_teams_found_raises_its_flag(
    flag: str, narrative: str, fields: dict[str, str]
) -> None:
    assert flag in flags(narrative, **fields)


@pytest.mark.parametrize(
    "narrative",
    [
        # a bereavement, a vaccination, emotion and climbing down are not the emergency
        "his brother hanged himself two years ago, he is low and tearful",
        "her son hung himself from a tree in 2019, anniversary today, upset",
        "his dad hanged himself last year and he has been drinking since, low",
        "daughter translating: mum had the shot at the chemist yesterday, arm a bit sore",
        "burglary victim is choking with the emotion, cannot talk about the photographs",
        "officer went down into the sewer chamber to look, came back up fine",
        "went down into the basement to read the meter, fine",
        # the new wordings beside a minor request
        "asthmatic, paracetamol does not help his headache",
        "finished cancer treatment 5 years ago, a cold with temp 37.9",
        "had a fit, stopped after a minute, since 10 minutes ago talking normally",
        "red mark on his neck from the seatbelt, voice hoarse from shouting at the match",
        "toddler put a coin in his mouth, dad took it out, fine, playing",
        "swallowed a fish bone, scratchy, painful to swallow, breathing fine",
        "known dementia, does not know her daughter's name, usual self, eating",
        "half her face is numb from the dentist, talking fine",
        "welfare check, does not answer the door, later found at the pub, fine",
        "bike tyre is not taking air, rider fine",
        "DP had his usual sleeping tablets at 2200, snoring in cell, rousable and talking at "
        "checks",
        "went scuba diving in Egypt last year, now has a cold",
        "tractor on its side in the ditch, nobody in it",
        "landed on his head on the crash mat, fine, no pain",
        "took a knee to the thigh in football, dead leg",
        "bad head after the party, hungover, drinking water",
        "sledged into a tree, bruised knee, laughing",
        "swam in the lido, skin cold to the touch after, now warm and chatting",
        # review E's look-alikes of the new readings
        "6yo drank some beach water at Brighton when a wave knocked him, playing happily",
        "shoplifter stopped in the chest freezer aisle, graze on his knee",
        "14yo says his game character got a blow attack, mild headache from the screen",
        "chimney sweep coughing black dust after a job, breathing fine",
        "4yo has black in the mouth after a bag of liquorice, playing",
        "half her face is asleep after the dentist, numb lip, dribbling a bit",
        "speech mushed after 8 pints, face normal, both arms fine, walking with mates",
        "crying for her teddy which is soft like a doll, grazed knee",
        "20 wks pregnant, feet are swollen after a long shift, BP normal, no headache",
        "18 wks pregnant, face is swollen from crying after a row",
        "breathing quite short after running for the bus, now fine",
        "his breath whistles in the throat when he snores at night, for years",
        "her brown preventer inhaler does not help her night cough, mild",
        "her chest is squeezing in the corset, loosened it, now fine",
        "teen hung himself a hammock from the tree in the park, splinter in his thumb",
        "the doctor pushed the camera deep into his stomach at the endoscopy, sore throat",
        "hot dog contest, forced the last one deep into his stomach, bloated",
        "commuter knocked by a train door closing, bruised shoulder",
        "had a scuba holiday in Egypt last year, aching joints from gardening",
    ],
)
def test_look_alikes_of_the_fifteenth_session_readings_raise_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()


def test_the_handler_is_told_why_a_death_is_not_certain() -> None:
    """A death the rules do not verify because of a sign of life or a second person raises
    ``death_not_certain``; its sentence must not claim the signs of death were missing when the
    officers reported rigor mortis (read through the demo, 2026-12-03)."""
    for narrative in ("One occupant deceased, rigor mortis. The other occupant is fine",
                      "Found dead, rigor mortis, officers on scene say he took a breath"):
        reading = rules_mod.read_request(TriageRequest(narrative=narrative))
        assert reading.verify_death is None
        (flag,) = [f for f in reading.red_flags if f.name == "death_not_certain"]
        assert "a sign of life or a doubt on scene" in flag.reason
        assert "another person there who may need help" in flag.reason


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # a red team in voices nobody here wrote (a helper, 300 vignettes, 2026-12-04,
        # nineteenth session; SYNTHETIC, tuned on): the product had sent two of its 220
        # emergencies no ambulance
        ("Pensioner slipped in the garden, egg on the back of his head. Says he didn't black "
         "out. He takes the rivaroxaban for his clots", "head_injury"),
        ("had baby 10 days ago, now shivering, smelly discharge down below, heart racing, "
         "belly sore", "pregnancy_danger"),
        # "cant breath" (the noun for the verb) had raised nothing
        ("male 50 cant breath, sat on the kerb", "not_breathing"),
        ("she cannot breath properly, lips blue", "not_breathing"),
        # "u" for "you" in the glass test
        ("rash on her legs, it does not go when u press the glass", "sepsis_meningitis"),
        # a phrase that had never read as written ("... shake|shaking|pain|sternal rub|rub")
        ("only opening his eyes to a hard rub", "falling_consciousness"),
    ],
)
def test_emergencies_the_december_red_team_found_fire_their_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        # the same red team's look-alikes that had raised a flag (SYNTHETIC)
        "temp 37.2, snotty nose, running round, no rash. His mam's panicking cos of meningitis "
        "on Facebook",
        "Woke up with a dead arm, pins and needles, took about 10 minutes and it's back to "
        "normal now",
        "cant breath for laughing at him in the pond",
        "cant breath through her nose, blocked with a cold",
        "unable to breath out of her nose, hayfever",
        "8 week old had her jabs this morning, temp 37.6 this evening, feeding well, nurse told "
        "them she might get a temp",
        "got washing up liquid in her eye, rinsed it out under the tap, bit red, vision fine",
    ],
)
def test_look_alikes_the_december_red_team_found_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # a review of the red team's guards (a helper who ran 406 probes, 2026-12-04;
        # SYNTHETIC): what the first wording of the guards hid
        ("she has taken over 2 weeks worth of her tablets", "significant_overdose"),
        ("took about 3 days worth of his amitriptyline", "significant_overdose"),
        ("male shot at paintball centre car park, suspect fled with handgun",
         "penetrating_injury"),
        ("suspected sepsis from online GP, now confused", "sepsis_meningitis"),
        ("on chemo, temp taken 3 times 36.7, 37.4, 38.6", "sepsis_meningitis"),
        ("neutropenic on chemo, temp is 35.1, shivery", "sepsis_meningitis"),
        ("some of the spots go when you press the glass but the purple ones dont",
         "sepsis_meningitis"),
        ("egg on back of head, on apixaban", "head_injury"),
        ("found on the floor, eyes only open to pain", "falling_consciousness"),
        # a second red team (a helper, 300 vignettes, 2026-12-04; SYNTHETIC): a self-inflicted
        # wound bleeding through two dressings in an s136 log had no ambulance
        ("cut on his wrist, it has bled through the dressing and the second one",
         "severe_bleeding"),
        ("6 week old baby, temp 38.2, nurse said she might get a temp after jabs",
         "infant_fever_or_floppy"),
        ("dishwasher liquid in his eye, screaming, eye swollen shut", "corrosive_or_face_burn"),
    ],
)
def test_what_the_first_red_team_guards_hid_keeps_its_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("narrative", "flagged"),
    [
        # a bleed named, then "still pouring" past a comma (a review of 2026-12-04; SYNTHETIC)
        ("bleeding from leg, taken over 20 minutes and still pouring", True),
        ("nose bleed, still pouring after 30 mins", True),
        ("cut his forearm on glass, bleeding, it is still pouring", True),
        # the weather, or no bleed named
        ("small cut on finger, bled a bit, rain still pouring", False),
        ("bled a bit, its still pouring down outside", False),
        ("cut his hand, bleeding has stopped, rain still pouring", False),
    ],
)
def test_a_bleed_still_pouring_is_severe_but_the_rain_is_not(narrative: str, flagged: bool) -> None:
    assert ("severe_bleeding" in flags(narrative)) is flagged


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # the red teams' emergencies that only the model had deployed, at p_deploy 0.06 to 0.3
        # (helpers, 2026-12-04; SYNTHETIC): one retraining away from no ambulance
        ("female says her husband tried to throttle her, she passed out, she's fine now",
         "strangulation"),
        ("0040 roused with difficulty, swore. 0140 not roused to voice, eyes opened briefly to a "
         "sternal rub then closed, snoring", "falling_consciousness"),
        ("my son 11 wks, temp 38.6 since tea time but hes feeding ok and smiling",
         "infant_fever_or_floppy"),
        ("Child 3 has eaten a load of the red tablets, nan says they're her iron ones, about 15 "
         "gone. Child been sick once.", "significant_overdose"),
        ("Custody: DP keeps leaning and falling to the left on the bench, speech muddled. Was "
         "talking fine an hour ago", "stroke"),
        ("stung by a bee 10 min ago on her hand, itchy all over now, says her throat feels a bit "
         "tight", "anaphylaxis"),
        ("student house, 3 lads all feel hungover and it wont go away, feel better when they go "
         "to uni, one fainted in the kitchen", "carbon_monoxide"),
        ("Boy 7 been weeing all the time and drinking loads for weeks, lost weight, today "
         "vomiting and very drowsy", "diabetic_ketoacidosis"),
    ],
)
def test_emergencies_only_the_model_carried_in_the_red_teams_fire_their_flag(
    narrative: str, flag: str
) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "went full throttle round the car park, no injuries, car towed",
        "drunk, speech muddled, staggering, smells strongly of beer, GCS 15",
        "sore throat, feels a bit tight when she swallows, eating and drinking, no allergy",
        "we all feel rough after the party last night, going back to bed",
        "feels better when she goes out for a walk, low mood",
        "weeing all the time and drinking loads, well otherwise, GP appointment booked",
    ],
)
def test_look_alikes_of_the_red_teams_model_only_emergencies_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # a fourth red team's emergencies that only the model had deployed (a helper who had not
        # read the tables, 2026-12-04; SYNTHETIC): lay, interpreted, voice-to-text and CAD words
        ("Man at the gym deadlifting felt like someone cracked him across the back of the skull "
         "with a bat, now throwing up, says he's never had pain like it", "thunderclap_headache"),
        ("We've pulled a man out of the canal, he's stopped shivering, speech really slow and he "
         "keeps asking what day it is", "hypothermia"),
        ("my wife she have the sugar illness, she shaking, she talk crazy things, she no eat today "
         "and she take her injection", "hypoglycaemia"),
        ("Caller with little English: 'my friend he take many tablet, paracetamol, all the box "
         "and more, he sleepy now, he not talk good'", "significant_overdose"),
        ("Child having a seize her at the soft play and it won't stop been going 6 minutes",
         "seizure"),
        ("Urdu interpreter: mother-in-law has had diarrhoea and sickness for two days, now she "
         "does not answer when they call her name, her hands are very cold",
         "falling_consciousness"),
        ("Girl 15 messaged her friend saying she'd had 24 Nurofen and some of her mum's "
         "sertraline, now vomiting and shaky", "significant_overdose"),
        ("Lady, 63, on the number 9, says her jaw and throat feel tight like someone squeezing, "
         "feels sick and sweaty, had a heart attack two years ago", "cardiac_chest_pain"),
        ("Old man in cold house, no heating, he cold like ice, he talk nonsense, he not know me, "
         "he is my uncle", "hypothermia"),
        ("h e  i s  n o t  b r e a t h i n g  p l e a s e", "not_breathing"),
        ("Through the Arabic interpreter: the grandfather's mouth has gone crooked and he can't "
         "move his left hand, it started when he woke", "stroke"),
        ("Cell check: DP has torn his t-shirt into strips and knotted it round his neck, face "
         "purple, officers cutting it off now", "self_harm_danger"),
        ("Mum stopped officers in the street, baby 7 weeks old, ear thermometer says 38.4, not "
         "interested in feeds since this morning", "infant_fever_or_floppy"),
        ("Girl says she's nine, daddy is shaking on the floor and there's bubbles coming out of "
         "his mouth and it's been ages, she's on her own with him", "seizure"),
        ("Farmer, 60, reckons it's indigestion but much worse than he's ever had, going down his "
         "left arm, been sick in the yard, looks dreadful", "cardiac_chest_pain"),
        ("Boy 9 with sickle cell, hot, his tummy is swollen and sore on the left, very pale and "
         "sleepy", "sickle_cell_crisis"),
        ("Via Language Line, Polish. Wife says husband has very strong pain in chest like knife, "
         "it go to his back, he is sweat very much, he is 55.", "cardiac_chest_pain"),
        ("the chef has had hot oil splash across his face and neck from the wok, now his voice is "
         "going hoarse", "airway_burns"),
        ("IP 4 y/o m ?ingested button battery from TV remote, drooling, refusing drinks",
         "battery_or_magnet_swallowed"),
        ("caller says her son, five, drank from a bottle under the sink, his mouth is burning, he "
         "is crying, lips gone white and he keeps drooling", "corrosive_or_face_burn"),
        ("baby very hot, 2 month only, not drink milk, the skin have spots purple colour on legs",
         "sepsis_meningitis"),
        ("RTC car v ped, ped f/80s thrown approx 10m, LOC, bleeding from L ear", "head_injury"),
        ("PIC m/30s, ?fit in cell, 1st known, now post-ictal, head inj from fall off bench",
         "head_injury"),
        ("Officer reports man at the edge of the cliff has swallowed an unknown amount of street "
         "benzos and is drifting off", "significant_overdose"),
        ("Son speak for mother: 'my mother she vomit brown, it smell like toilet, her stomach big "
         "like ball, hard. No toilet three day, no gas come.'", "bowel_obstruction"),
        # the review's other wordings of the same presentations (SYNTHETIC)
        ("Found him, he had knotted it round his neck, a belt, he's breathing", "self_harm_danger"),
        ("In the cold all night, stopped shivering", "hypothermia"),
        ("Thermometer showed 40, he is confused and not making sense", "sepsis_meningitis"),
        ("Sickle cell anaemia, breathing fast and struggling", "sickle_cell_crisis"),
        ("She is on conscious on the kitchen floor", "unconscious"),
        ("Stomach swollen like a football, no gas for 3 days, being sick", "bowel_obstruction"),
        ("High temp and purply marks on his tummy", "sepsis_meningitis"),
        ("Shaking all over with froth coming out of his mouth, been going for ages", "seizure"),
    ],
)
def test_what_the_fourth_red_team_found_raises_its_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        # look-alikes a review of the fourth red team's readings found (a helper who ran 423
        # probes, 2026-12-04; SYNTHETIC): each reading was narrowed or guarded for them
        "Male says 3 years ago, when he had his brain bleed, it felt like someone hit him on the "
        "back of the head. Today he is well, just anxious",
        "brought in from the snow, warmed up by the heater for an hour, he has stopped shivering "
        "and is eating a sandwich, alert",
        "she stopped shivering after her bath, warm and comfortable now, was in the garden "
        "earlier in the cold",
        "Witness did not recognise us at first because we were in plain clothes. He has had a "
        "fever with flu",
        "He has to take many tablets a day for his heart, took his usual ones, he's drowsy "
        "because it is 3am",
        "He would not answer when I called his name because he had headphones on, he is fine",
        "Teenager not answering when we shout his name, he is sulking in his room",
        "His face is twisted in anger, shouting at the officers",
        "Cannot use his right hand because it is in a plaster cast",
        "tied it tight round his neck - his scarf, it is cold out",
        "Known epileptic, it has been ages since his last seizure, asking for advice about "
        "driving",
        "The toilets smell like sewage in the pub, he vomited once after too many pints",
        "No gas coming from the cooker, the meter is off, he has been sick with a stomach bug",
        "Toddler had a temperature of 38 earlier, had Calpol, now drifting off to sleep in her "
        "cot at bedtime, feeding well",
        "Dark red marks on his neck are love bites, slight temperature",
        "Sickle cell trait only, she has a fever and a sore throat, eating and drinking",
        "The car dashboard thermometer said 41 outside, he got confused about the directions",
        "Officers will carry on conscious of the risk of the crowd, male with a cut finger",
        "DP remains on conscious observations every 30 mins, awake and chatting",
        "reg  C P R  1 2 3",
        "the worst pain ever was his toothache last year, today a mild tension headache",
    ],
)
def test_look_alikes_of_the_fourth_red_team_readings_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # a fifth red team's emergencies that only the model had deployed (a helper who had not
        # read the tables, 2026-12-04; SYNTHETIC): long reports, keyed facts that contradict
        # the narrative, children, care homes, rare classic emergencies
        ("Mum had breast cancer 5 years ago. Bad back for a fortnight, today her legs have gone "
         "wobbly and numb from the waist down, she nearly fell on the way to the toilet",
         "cauda_equina"),
        ("dad said at teatime he couldn't see out of his right eye, like a curtain came down, and "
         "his right hand felt dead. Now he's muddling his words", "stroke"),
        ("Bench pressing at the gym, a sudden bang of pain at the base of his skull like a bat to "
         "the head, says it's the worst pain he has ever known, now vomiting",
         "thunderclap_headache"),
        ("Had a c-section 6 days ago. Partner says she fitted on the kitchen floor for about 2 "
         "mins and is now really confused", "pregnancy_danger"),
        ("My 3 year old had one of those little round flat batteries from the car key in her "
         "mouth and now we can't find it. She's dribbling and crying",
         "battery_or_magnet_swallowed"),
        ("toddler swallowed several of the little silver magnet balls from his brothers desk toy, "
         "now being sick and saying his tummy hurts", "battery_or_magnet_swallowed"),
        ("3 week old baby keeps being sick and it's bright green, like grass. Tummy looks swollen "
         "and tight. He's not feeding.", "bowel_obstruction"),
        ("a girl, about 20, is on the floor between the cubicles, snoring loudly, nobody can wake "
         "her even with a pinch. Her breathing is noisy.", "unconscious"),
        ("Hollis, 66, was hit once on the top of the head with the flat of a garden spade, says "
         "he did not black out, big swelling, he is on apixaban", "head_injury"),
        ("Resident with advanced dementia keeps rubbing and pulling at her chest, she's grey and "
         "sweaty and her pulse is all over the place", "cardiac_chest_pain"),
        ("husband 72 got terrible pain in his back all of a sudden, feels faint, and there's a "
         "lump in his tummy you can see pulsing", "abdominal_pain_with_collapse"),
        ("Lifeguard pulled a 5 yr old boy from the deep end, he was under maybe 30 seconds. He's "
         "coughing and breathing fast, sleepy and a bit grey", "not_breathing"),
        ("Husband has prostate cancer that's spread to his bones. New pain in the middle of his "
         "back for a week, today his legs have gone weak and wobbly", "cauda_equina"),
        # a review's emergencies (2026-12-04; SYNTHETIC): two narrowings tried for look-alikes (a
        # toy gun whose shot did not break the skin, spotting early in a pregnancy) hid these,
        # and were withdrawn
        ("shot with BB gun, skin not broken on arm. shot in the chest with a handgun",
         "penetrating_injury"),
        ("8yo shot in the eye with a BB gun, skin not broken around the eye but the eye is "
         "bleeding and he cannot see", "penetrating_injury"),
        ("7 weeks pregnant, spotting, feeling dizzy", "pregnancy_danger"),
        ("32 weeks pregnant. She had spotting at 8 weeks pregnant too, now spotting again",
         "pregnancy_danger"),
        ("breast cancer spread to her bones, legs gone wobbly and back aching", "cauda_equina"),
        ("toddler had the battery from the car key fob in his mouth and now we can't find it",
         "battery_or_magnet_swallowed"),
    ],
)
def test_what_the_fifth_red_team_found_raises_its_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


# --------------------------------------------------------------------------------------------
# Twenty-first session (2026-12-04): the dead wordings the written-out check found, a guard that
# held a stroke, blood pressures written "82/45", and red team 5's emergencies the model alone
# deployed
# --------------------------------------------------------------------------------------------

TWENTY_FIRST_SESSION_FLAG_ROWS = [
    ("not_breathing", "collapsed in the kitchen and has gone blue"),
    ("not_breathing", "baby gone blue in the cot"),
    ("pregnancy_danger",
     "she is 34 weeks pregnant and says the baby has gone quiet since last night"),
    ("stroke", "woke up with a dead arm and leg down his left side"),
    ("stroke", "his left side has gone dead, arm and leg, since 7pm"),
    ("head_injury", "fell down the stairs, was spark oot for a minute, been sick twice"),
    ("severe_bleeding",
     "Staff report he has passed black, tarry, very smelly stools twice, he is pale."),
    ("severe_bleeding", "vomiting blood, went dizzy when we stood him up"),
    ("carbon_monoxide", "Car in the woods with a sign on the window saying TOXIC GAS DO NOT "
                        "OPEN. Man inside slumped, not moving"),
    ("appendicitis_signs", "tummy ache started round his belly button and now it's all on the "
                           "right side at the bottom, been sick"),
    ("major_trauma", "garden wall fell on him, he's been trapped from the waist down under the "
                     "bricks for about 3 hours"),
    ("significant_overdose", "20 month old grabbed the dishwasher gel, has it round her mouth, "
                             "drooling"),
    ("seizure", "took ecstasy, drank litres of water, now confused and had a fit"),
    ("missed_dialysis", "on dialysis 3 times a week but didn't go Monday or today, heart "
                        "fluttering, legs like jelly"),
    ("significant_overdose", "drank home-made spirit at a party, eyesight like looking through "
                             "a snowstorm"),
    # the review's emergencies the first version missed
    ("not_breathing", "he's gone all blue and grey and his breathing is weird"),
    ("not_breathing", "mum says her 6 month old went blue during a coughing fit"),
    ("not_breathing", "PIC turned blue in the back of the van after swallowing a bag"),
    ("not_breathing", "her lips have gone bluey and shes struggling to get her words out"),
    ("not_breathing", "his lips and nails have gone blue"),
    ("not_breathing", "dragged out of the water gone blue, coughing"),
    ("pregnancy_danger",
     "female 7 weeks pregnant, pain in lower tummy, gone grey when she stands"),
    ("severe_bleeding",
     "bleeding from the back passage all day, blood pressure machine says 82/45"),
    ("severe_bleeding", "passed black tarry stuff in the toilet, dizzy"),
    ("appendicitis_signs", "pain right side low down in tummy, started at belly button, temp 39"),
    ("appendicitis_signs", "10yo boy pain on the right side at the bottom of his tummy, started at "
                           "his belly button, been sick"),
    ("major_trauma", "builder trapped from the waist down under a collapsed wall"),
    ("major_trauma", "farmer stuck from the hips down under his tractor which rolled"),
    ("significant_overdose", "toddler has dishwasher gel round her mouth and her breathing has "
                             "gone noisy"),
    ("significant_overdose", "toddler sucked a liquitab, coughing and his voice has gone croaky"),
    ("significant_overdose", "bought fake vodka from a shop, going blind and breathing fast"),
    ("missed_dialysis", "on dialysis, skipped it on Friday, heart racing and legs weak"),
    ("missed_dialysis", "pt on dialysis but did not go wed, feels funny, palps"),
    ("carbon_monoxide", "note on door says danger poisonous gas, female slumped inside"),
    ("carbon_monoxide", "workers in sewer, one collapsed, colleagues say toxic gas down there, "
                        "another now confused"),
    # alternatives that never sat beside their neighbour word ("a b|c" is {a} {b, c})
    ("significant_overdose", "took a handful of her tablets"),
    ("severe_bleeding", "cut his arm, blood pouring from the wound"),
    ("hypothermia", "lady in her 90s, heating off, thermometer in the lounge says 9 degrees, icy "
                    "to touch and doesn't know what year it is"),
    ("low_blood_pressure", "gran is off her legs and a bit muddled, carer took her pulse, 130, "
                           "and her blood pressure machine says 82/45"),
    ("hypothermia", "misper found in a gully, soaking wet through, shivering only now and then, "
                    "keeps trying to take her top off"),
    ("sepsis_meningitis", "scraped his shin 2 days ago, small cut, now the pain is unbearable, way "
                          "more than it looks, dark purple patches spreading round it"),
    ("abdominal_pain_with_collapse", "terrible tummy pain for 2 hours, screaming with it, but his "
                                     "tummy is soft when pressed, grey and sweaty"),
    # the review of low_blood_pressure: the forms nurses and CAD logs write a pressure in
    ("low_blood_pressure", "BP:76/40. Pulse racing. Vomiting coffee grounds"),
    ("low_blood_pressure", "B/P 85 systolic, male vomiting blood, feels faint when he stands"),
    ("low_blood_pressure", "B.P. 82/48, resident drowsy and feverish"),
    ("low_blood_pressure", "SBP 82, HR 118, pt drowsy"),
    ("low_blood_pressure", "Obs BP 80/40mmHg, HR 135, male drowsy after 3 days D&V"),
    ("low_blood_pressure", "Nurse at custody suite: BP unrecordable, DP unresponsive"),
    ("low_blood_pressure", "male vomited a large amount of blood, BP low 80s, very drowsy"),
    ("low_blood_pressure", "his BP has dropped to 80/45 and he's really drowsy"),
    ("low_blood_pressure", "staff report resident's blood pressure is very low at 76/40 and she "
                           "is confused"),
    ("low_blood_pressure", "hypotensive 80/40 and confused per district nurse"),
    ("low_blood_pressure", "BP 84/50, reduced consciousness, on antibiotics for UTI"),
]


@pytest.mark.parametrize(("flag", "narrative"), TWENTY_FIRST_SESSION_FLAG_ROWS)
def test_twenty_first_session_presentations_fire_their_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("concept", "wording"),
    [
        ("shock_sign", "her blood pressure is 80"),
        ("shock_sign", "blood pressure 82/45"),
        ("shock_sign", "her blood pressure machine says 82/45"),
        ("shock_sign", "BP 88/50, pulse 118"),
        ("faint_on_standing", "went dizzy when we stood him"),
        ("faint_on_standing", "gone grey when she stands"),
        ("skin_burn_sign", "skin on his cheek has gone grey"),
        ("crushed_under", "pinned from the chest down under the tractor"),
    ],
)
def test_twenty_first_session_wordings_read_their_concept(concept: str, wording: str) -> None:
    assert_reads_concept(concept, wording)


@pytest.mark.parametrize(
    "narrative",
    [
        # each guard added this session (guards.toml) has its look-alike here
        "gave him a dead arm and leg in the playfight, laughing about it",
        "his hair has gone blue after the dye",
        "the car's lights have gone blue, caller worried she is being followed",
        "bruise on her arm has gone blue and yellow from the fall last week",
        "tongue has gone blue from the slushie, playing happily",
        "roofers laying tarry felt, one has a splinter in his thumb",
        "kicked over the bar stools, tarry residue on the floor",
        "stool sample handed in, smoker coughing up tarry phlegm",
        "took MDMA last night, says he feels fit as a fiddle today",
        "ecstasy user keeps fit at the gym, reporting a theft",
        "drugs seizure at the festival, ecstasy pills found, no one unwell",
        "seizure of cocaine at the port, no one unwell",
        # and the review's look-alikes the narrowed readings leave alone
        "smoking a tarry substance off foil, chatting, no complaints",
        "blood pressure 130/80, pulse 72, sitting chatting",
        "dishwasher tablet packet found open, nothing in her mouth, playing happily",
        "dishwasher tablet in the dishwasher, toddler crying because mum wont let him touch it, "
        "drooling from teething",
        "on dialysis, went this morning as normal, feels fine, wants advice on a repeat "
        "prescription",
        "she is on dialysis but did not go to the party, feels a bit weak after a long day of "
        "shopping",
        "drank home-made wine at a party, tipsy, walking and talking",
        "male selling counterfeit alcohol, arrested, breathing fast after running from officers",
        "male drunk and confused, shouting about poisonous gas from the chemtrails",
        "noise complaint, music coming from the right side at the bottom of the garden, "
        "neighbour vomiting drunk",
        "smoke pouring from the car bonnet, driver out and fine",
        "student says the flat is freezing, room temperature is 11, feels fine, wants the "
        "landlord dealt with",
        "drunk male in the town centre, keeps taking his top off and shouting, warm night",
        "toddler screaming with it, ear infection, tummy ache a bit",
        "grazed knee, pain way more than it looks according to him, walking fine",
        "driver says his pressure is 80 psi on the tyres, shaken and confused after a near miss",
        "resident on BP 5mg amlodipine, confused today, obs all normal",
        "BP 4 hourly obs in place, resident confused as usual with her dementia",
        "blood sugar 3/4 hours ago was 4.2, now confused, BP 128/76",
    ],
)
def test_twenty_first_session_look_alikes_raise_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()


def test_a_guard_of_a_colour_leaves_cyanosis_told_beside_it() -> None:
    """A guard drops every reading it overlaps, so the colour guards name objects only: toes,
    nails, water and a toilet are where cyanosis is told too."""
    assert "not_breathing" in flags("found on the toilet gone blue, needle beside him")
    assert "airway_burns" in flags("smoke pouring out, man rescued, his voice is hoarse")


def test_a_reading_written_with_a_slash_holds_its_first_number() -> None:
    """"82/45" is a blood pressure, "8/15" a GCS, "32/40" weeks of pregnancy: each read by
    its first number; a fraction or a rota ("3/4 hours ago", "24/7": one digit after the
    slash) and a word with a slash are not."""
    assert rule_phrases.number_value("82/45") == 82
    assert rule_phrases.number_value("8/15") == 8
    assert rule_phrases.number_value("2.5/10") == 2.5
    assert rule_phrases.number_value("24/7") is None
    assert rule_phrases.number_value("3/4") is None
    assert rule_phrases.number_value("32/40") == 32
    assert rule_phrases.number_value("82/") is None
    assert rule_phrases.number_value("82/abc") is None
    assert rule_phrases.number_value("8a/15") is None


def test_the_neighbour_survey_finds_the_a_b_or_c_slip() -> None:
    """``benchmarks/measure_phrase_neighbours.py`` lists alternatives that never sit beside
    their neighbour word but do sit beside the word one position out: the shape of
    "round his belly button|navel" ({belly} {button, navel}), which never read "round his
    navel" until the twenty-first session's survey found it."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "measure_phrase_neighbours.py"
    spec = importlib.util.spec_from_file_location("measure_phrase_neighbours", path)
    assert spec is not None and spec.loader is not None
    survey = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(survey)
    words, pairs = survey.word_pairs(
        ["pain round his belly button", "pain round his navel", "nearly fainted", "went over"])
    assert ("round", "his") in pairs and ("belly", "button") in pairs
    assert survey.candidates("round [his] belly button|navel", words, pairs) == [
        ("belly _", ["navel"])]
    assert survey.candidates("nearly|almost went over|fainted", words, pairs) == [
        ("went _", ["fainted"])]
    # the other way round: "from|out of" is {from, out} {of}, never "from" alone
    words, pairs = survey.word_pairs(["pulled out of the water", "pulled from the water"])
    assert survey.candidates("pulled from|out of the water", words, pairs) == [
        ("_ of", ["from"])]
    words, pairs = survey.word_pairs(
        ["pain round his belly button", "pain round his navel", "nearly fainted", "went over"])
    # the mended phrases raise nothing
    assert survey.candidates("round [his] navel", words, pairs) == []
    assert survey.candidates("nearly|almost fainted", words, pairs) == []


# --------------------------------------------------------------------------------------------
# Guards name the concepts they block (twenty-second session, 2026-12-05)
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # the guard "stabbing pain" (not a stab wound) hid the chest pain its words run into
        ("stabbing pains in his chest, sweating buckets, feels sick, 58, smoker",
         "cardiac_chest_pain"),
        # "a cold" (a common cold) hid every cold sweat
        ("pain going down his left arm, in a cold sweat, 62", "cardiac_chest_pain"),
        ("man 55 clutching his chest, in a cold sweat", "cardiac_chest_pain"),
        ("she is 30 weeks pregnant with a stabbing pain in her tummy", "pregnancy_danger"),
        # found by benchmarks/measure_guard_reach.py beside the guard "back of his left arm"
        ("pain in his chest going down the back of his left arm", "cardiac_chest_pain"),
    ],
)
def test_a_finding_whose_words_run_through_a_guard_it_is_not_about_reads(
    narrative: str, flag: str
) -> None:
    """Before 2026-12-05 a guard dropped every reading it overlapped, so a real finding that
    shared a word with a look-alike's guard was lost; now a guard drops only the concepts it
    names in ``blocks``."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "sharp stabbing pain in his leg after the gym",
        "he has a cold, runny nose and a sore throat",
        "Pain going down his left arm from the new tattoo, he has a cold sweat because he's "
        "scared of needles",
        "33 weeks pregnant, baby not moving as much today, no pain, no bleeding",
        "she's dead to the world after a night shift",
        "her face is lopsided from the swelling after she was punched",
        "baby breathing about 35 breaths a minute, feeding well",
        "low back pain shooting down the back of his right leg for a week",
        "burnt the back of his left arm on the oven, small blister",
    ],
)
def test_the_guards_still_block_what_they_name(narrative: str) -> None:
    assert flags(narrative) == set()


def test_a_guard_blocks_only_the_concepts_it_names() -> None:
    """The mechanism itself, on the guard "stabbing pain" (blocks: the stab): the stab is not
    read inside it, the chest pain that starts inside it is."""
    from triage.rules.engine import _compiled, _present_concepts

    comp = _compiled()
    i = MASKS.index("stabbing pain|pains|sensation|sensations|feeling|headache")
    assert {"penetrating", "stabbing"} <= comp.guard_blocks[rules_mod.guard_label(i)]
    assert "chest_pain" in rules_mod.tables().mask_lets_through[i]
    found = _present_concepts(TriageRequest(narrative="stabbing pain in her chest"), comp)
    assert "chest_pain" in found
    assert not {"penetrating", "stabbing"} & set(found)


def test_no_guard_read_alone_raises_a_flag() -> None:
    """A guard's own words, written out and read as a whole narrative, raise no red flag and no
    death to verify: the look-alike it exists for stays quiet whatever it does not block. The
    exceptions are guards a concept phrase holds whole on purpose: "stopped breathing", and
    "out cold", which keeps the cold of exposure from reading in a knock-out (unconsciousness
    reads it whole)."""
    held_whole = {"stopped breathing", "out cold"}
    raised = []
    for phrase in MASKS:
        if phrase in held_whole:
            continue
        for wording in written_out(parse_phrase(phrase)):
            r = rules_mod.read_request(TriageRequest(narrative=wording))
            if r.red_flags or r.verify_death:
                raised.append((phrase, wording))
    assert raised == []
    assert all(h in MASKS for h in held_whole)


@pytest.mark.parametrize(
    "narrative",
    [
        "Gym, woman 24 breathing fast, tingling fingers and round her mouth, says its a panic "
        "attack, has them before, no chest pain. Staff calming her down, settling.",
        "F 19 hyperventilating after partner turned up at her work, tingling fingers and lips, "
        "now settling with officers talking her through it.",
        "Custody. Male 20 had a panic attack in his cell, breathing fast and crying, known "
        "anxiety. Cell officer sat with him, now calming down, breathing slowing, no chest pain.",
    ],
)
def test_a_settling_panic_attack_answers_a_keyed_difficulty(narrative: str) -> None:
    """A panic attack named and said to be settling answers the operator's
    ``breathing=difficulty`` as "breathing normally now" does (twenty-second session)."""
    assert "not_breathing" not in flags(narrative, breathing="difficulty")


@pytest.mark.parametrize(
    "narrative",
    [
        # settling without a panic attack named: part relief of asthma reads the same way
        "asthmatic, had her blue inhaler, settling a bit now",
        "breathing fast, settling a bit now",
        # a panic attack that is not settling
        "breathing fast and panicking after a row, still not calmed down",
        "panic attack, breathing fast, not settling",
    ],
)
def test_settling_alone_or_a_panic_not_settling_leaves_the_keyed_difficulty(
    narrative: str,
) -> None:
    assert "not_breathing" in flags(narrative, breathing="difficulty")


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("asthmatic girl 15 panicking, struggling for breath, settling a bit with her inhaler",
         "not_breathing"),
        ("man 40 breathing fast, panicking, settling now but going grey and clammy",
         "not_breathing"),
        ("diabetic lad 19 breathing deep and fast, panicky, been vomiting all day, settling a bit",
         "diabetic_ketoacidosis"),
    ],
)
def test_a_settling_panic_leaves_the_signs_beside_it(narrative: str, flag: str) -> None:
    assert flag in flags(narrative, breathing="difficulty")


def _guard_reach_module() -> Any:
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "measure_guard_reach.py"
    spec = importlib.util.spec_from_file_location("measure_guard_reach", path)
    assert spec is not None and spec.loader is not None
    survey = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = survey  # its dataclass looks its module up
    try:
        spec.loader.exec_module(survey)
    finally:
        del sys.modules[spec.name]
    return survey


def test_every_concept_a_guard_overlaps_is_blocked_or_let_through() -> None:
    """Each concept whose phrase overlaps a guard (in the guard's own words, or running into
    or out of them: ``benchmarks/measure_guard_reach.py``) is named in the guard's ``blocks``
    or its ``lets_through``: a guard is a decision about every concept it touches. A review
    of the first version, whose guards named only the concepts their own words read, found 27
    of 101 look-alikes newly flagged by a sibling concept running out of a guard ("drugs
    seizure ongoing", "coughing fit for 20 mins", "stuck in the chest freezer"); this refuses
    that, and refuses a new phrase that runs into a guard until someone decides which."""
    t = rules_mod.tables()
    undecided = []
    stale = []
    for i, reach in enumerate(_guard_reach_module().guard_reach()):
        assert reach.guard == t.masks[i]
        lets = t.mask_lets_through[i]
        undecided += [(reach.guard, c, x) for c, x in reach.through.items() if c not in lets]
        stale += [(reach.guard, c) for c in lets if c not in reach.through]
    assert undecided == []
    assert stale == []


def test_the_guard_reach_survey_lists_what_a_guard_still_hides() -> None:
    """``benchmarks/measure_guard_reach.py`` lays concept phrases over each guard's first and
    last words: a concept the guard blocks is listed as hidden there ("a cold stiff": cold
    exposure, under the guard for a common cold; "found dead to the world": a death), one it
    does not block as reading through ("a cold sweat")."""
    survey = _guard_reach_module()
    assert survey.overlays(["a", "cold"], ["cold", "sweat"]) == ["a cold sweat"]
    assert survey.overlays(["dead", "to", "the", "world"], ["found", "dead"]) == [
        "found dead to the world"]
    assert survey.overlays(["a", "cold"], ["a", "cold"]) == []
    (cold,) = [r for r in survey.guard_reach("a cold") if r.guard == "a cold"]
    assert "cold_exposure" in cold.hidden
    assert {"sweaty_grey", "cardiac_feature"} <= set(cold.through)
    (world,) = survey.guard_reach("dead to the world")
    assert "death_stated" in world.hidden


def test_compiled_tables_refuse_a_guard_blocking_an_unknown_concept() -> None:
    t = rules_mod.load_tables()
    assert len(t.mask_blocks) == len(t.masks)
    bad = dataclasses.replace(t, mask_blocks=(frozenset({"stabing"}), *t.mask_blocks[1:]))
    with pytest.raises(ValueError, match=r"blocks unknown concepts \['stabing'\]"):
        rules_mod.compile_tables(bad)


@pytest.mark.parametrize(
    ("narrative", "facts", "flag"),
    [
        # a sixth red team (twenty-second session): second-language, text-speak, transcripts
        ("My friend sleep in the park. Tonight is very cold, frost. He is cold like ice, he speak "
         "very slow, he not know what day", {}, "hypothermia"),
        ("he's had really bad pain down there since this morning, one side is swollen and "
         "sitting higher up, he's been sick twice", {"sex": "male"}, "testicular_torsion"),
        ("My son 14 year he have very bad pain in his private part, one side, start sudden in "
         "the night. He vomit two times.", {"sex": "male"}, "testicular_torsion"),
        ("C: a few little dots on her tummy, I did the glass thing off Facebook and they're "
         "still there", {}, "sepsis_meningitis"),
        ("he jumped in off the rocks and he hasn't come back up, it's been ages", {},
         "not_breathing"),
        ("my ex grabbed me round the neck n squeezed, i blacked out for a bit, now my voice is "
         "all croaky", {}, "strangulation"),
        ("Baby is coming now, I see a leg, not head! My wife is 33 week.", {},
         "labour_complications"),
        # a review of the guard change: findings the tables had no words for
        ("mildly short of breath with swollen lips and tongue after eating nuts", {},
         "anaphylaxis"),
        ("toddler swallowed a dead battery from the remote, drooling and gagging", {},
         "battery_or_magnet_swallowed"),
        ("his previous stroke symptoms have come back in the last half hour", {}, "stroke"),
        ("checked for breathing and there is none", {}, "not_breathing"),
        ("pushing her baby out, the cord is showing", {}, "labour_complications"),
        ("squeezing in her chest, sweaty and pain in her jaw", {}, "cardiac_chest_pain"),
        ("?stroke in 72 y/o male, wife says came on 20 mins ago", {}, "stroke"),
        ("gave him a shot of his epipen, lips and tongue still swelling, wheezy", {},
         "anaphylaxis"),
        ("used his epipen ten minutes ago, still wheezy", {}, "anaphylaxis"),
        # a second review's wordings of the same readings
        ("Son (13) has pain down there and has been sick twice", {}, "testicular_torsion"),
        ("fell through the ice on the pond and hasn't come back up", {}, "not_breathing"),
        ("jumped in the river, not come back up", {}, "not_breathing"),
        ("dived in at the deep end of the pool and still hasn't come up", {}, "not_breathing"),
        ("I've checked for breathing and can't find any", {}, "not_breathing"),
        ("checked his pulse and there isn't one", {}, "not_breathing"),
        ("sats 88 on air, breathing fast", {}, "not_breathing"),
        ("panic attack, settling, her lips and tongue are tingling and swelling after a new "
         "antibiotic", {"breathing": "difficulty"}, "anaphylaxis"),
    ],
)
def test_what_the_sixth_red_team_and_the_guard_review_found_raises_its_flag(
    narrative: str, facts: dict[str, Any], flag: str
) -> None:
    assert flag in flags(narrative, **facts)


@pytest.mark.parametrize(
    ("narrative", "facts"),
    [
        ("she has pain down there, been sick twice", {"sex": "female"}),
        ("kicked in the groin at football, pain down there, no vomiting", {"sex": "male"}),
        ("went into hospital and his sugar hasn't come back up yet, eating now", {}),
        ("had a stroke in 2019, no new symptoms, wants his repeat prescription", {}),
        ("has an epipen for nuts, a bit wheezy with his asthma, inhaler helping", {}),
        ("CT: has she been sick or sleepy? C: no, she's got an egg on her forehead but she's "
         "back playing", {"age": 3}),
        ("CT: is it tight or heavy? C: no, it's sore when I press on it, caught it on the "
         "bannister", {}),
    ],
)
def test_look_alikes_of_the_sixth_red_team_raise_nothing(
    narrative: str, facts: dict[str, Any]
) -> None:
    assert flags(narrative, **facts) == set()


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("CT: is he breathing? C: no.", "not_breathing"),
        ("CT: is she conscious? C: no.", "unconscious"),
        ("He collapsed in the street. CT: did he come round? C: no.", "unconscious"),
        ("CT: has he stopped fitting yet? C: nope, 6 minutes now", "seizure"),
        ("CT: has the bleeding stopped? C: no. Deep cut to his thigh from broken glass.",
         "severe_bleeding"),
        ("CT: does the rash fade when you press a glass on it? C: no. She's got a temperature.",
         "sepsis_meningitis"),
        # a question answered "no" whose answer goes on to the finding (no comma)
        ("CT: is she alright? C: no she's fitting and turning blue", "not_breathing"),
        ("CT: any drugs? C: no he's unconscious", "unconscious"),
        # a question that presumes the finding is confirmed by its "no"
        ("CT: has the crushing chest pain eased? C: no", "cardiac_chest_pain"),
        ("CT: is the stab wound still bleeding? C: no.", "penetrating_injury"),
        ("CT: has she been sick since she took the 60 paracetamol? C: no.",
         "significant_overdose"),
        ("CT: is the baby's head out? C: no, but I can see the cord hanging out.",
         "labour_complications"),
        # a question that states a number presumes it: the "no" corrects the count
        ("CT: did he take 30 tablets? C: no, more like 50", "significant_overdose"),
    ],
)
def test_call_transcripts_keep_or_gain_their_flags(narrative: str, flag: str) -> None:
    """Questions and one-word answers, as police relay 999 calls (a second review of the
    twenty-second session's changes, 395 probes): a vital question answered "no" is the
    finding; a "no" to a question that presumes the finding confirms it."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("Male 60s collapsed outside the bookies. Conscious: No. Breathing: No.",
         "not_breathing"),
        ("male 60s collapsed. conscious? n breathing? n", "unconscious"),
        ("Found slumped in cell 4. Responsive: no. Breathing: yes, snoring loudly",
         "unconscious"),
        ("CPR in progress by officers, pulse: none", "not_breathing"),
        ("CT: how old? C: 4 weeks old. CT: whats her temp? C: 39.1, not feeding",
         "infant_fever_or_floppy"),
        ("diabetic, bm? 1.9, confused and sweaty", "hypoglycaemia"),
        ("collapsed in the street, bp? 70/40, confused", "low_blood_pressure"),
        ("head injury, gcs? 9", "falling_consciousness"),
        # a key denied beside a real emergency: the emergency still reads
        ("Chest pain: No. Serious bleeding: Yes, pouring from a stab wound to the thigh",
         "severe_bleeding"),
        ("took all his meds as normal, then 30 extra paracetamol", "significant_overdose"),
        ("took all her usual tablets at once, now drowsy", "significant_overdose"),
        ("took all her morning tablets as usual then took the rest of the box of amitriptyline",
         "significant_overdose"),
        ("CT: is there a pulse? C: no", "not_breathing"),
        ("CT: is she responding to you at all? C: no, nothing", "unconscious"),
        ("is he conscious? n", "unconscious"),
        ("custody nurse: bp? 70/40, pulse? 130", "low_blood_pressure"),
        ("pc has a pulse oximeter on scene. sats? 84", "not_breathing"),
        ("bm? LO on meter, drowsy, type 1", "hypoglycaemia"),
        ("gcs? E1V1M4", "falling_consciousness"),
        ("infant 2/12. temp? C: 38.0", "infant_fever_or_floppy"),
        # the twenty-seventh session: a key asked with its verb, and a key answered after a
        # bare space or "=" (none of them raised a flag before)
        ("Male 50s collapsed in street. Is pt conscious - N. Is pt breathing - Y",
         "unconscious"),
        ("conscious = no, breathing = yes, male 60s on floor", "unconscious"),
        ("is he conscious - no. breathing - unsure", "unconscious"),
        ("Conscious N, breathing normal", "unconscious"),
        ("CONSCIOUS=NO BREATHING=NO", "not_breathing"),
    ],
)
def test_cad_key_questions_and_answered_readings_raise_their_flags(
    narrative: str, flag: str
) -> None:
    """A CAD log's key questions without a verb, and readings given as answers, read as the
    findings they give (twenty-fourth session, 2026-12-05)."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Male 50s. Chest pain: No. Difficulty breathing: No. Serious bleeding: No. Fell over "
        "drunk, cut to lip.",
        "Chest pain - N, SOB - N, bleeding - N, minor graze to knee",
        "chest pain? no. breathing difficulty? no. serious bleeding? no. wants a lift home",
        "LOC? No. Banged head on a cupboard door, small lump",
        "Baby 6 weeks, CT: temp? C: 36.9, feeding well, mum worried about a cough",
        "CT: is he breathing? C: no problems, he's sat up chatting",
        "Care home: Mrs B, 84, took all her morning tablets as usual, now a bit dizzy when she "
        "stands",
        "took all his usual meds this morning, asking for a repeat prescription",
        "took all her tablets this morning as prescribed",
        "took all his tablets with him to the station",
        "she takes all her tablets herself, dosette box checked by PC",
        "refuses to take all her tablets, carer concerned about compliance",
        "Conscious: No. Breathing: No. Pulse: none. Body in advanced decomposition, found by "
        "PCs on welfare check, been dead several days",
        "Chest pain? denies. SOB? denies. Wants a lift to his sister's",
        "is he breathing ok? no probs, sat up chatting",
        "oxygen saturation 88 on home oxygen, his normal per wife, copd, chatting",
    ],
)
def test_denied_keys_normal_readings_and_a_days_tablets_raise_no_flag(narrative: str) -> None:
    """Before the twenty-fourth session each of these raised the flag its words deny: a key
    answered "No" read as the finding, a normal "temp? 36.9" as a fever, "took all her morning
    tablets" as a whole pack."""
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("boy 8, hot and sleepy, spots on his legs dont fade w glass", "sepsis_meningitis"),
        ("she did a positive test last month, bad pain low down on one side, pale, cold and "
         "clammy", "pregnancy_danger"),
        ("lad 15 with sudden pain in one of his testicles, been sick", "testicular_torsion"),
        ("labourer in the sun all day, now hot to touch, confused and had a fit",
         "heat_stroke"),
        ("whole family all been off with headaches for days and the cat died",
         "carbon_monoxide"),
        ("can see him through the window lying on the kitchen floor, not moving, not answering "
         "us", "unconscious"),
        ("holding a knife against her own stomach, says she will do it", "self_harm_danger"),
        ("apprentice thrown back from a 415 volt board, burns to his hand", "electrical_injury"),
        ("cricket ball hit him on the side of the head, out for maybe 10 seconds",
         "head_injury"),
        ("self harm, cut on her wrist still bleeding through the towel", "self_harm_danger"),
    ],
)
def test_the_eighth_red_teams_emergencies_raise_their_flags(narrative: str, flag: str) -> None:
    """Presentations an eighth red team (twenty-fourth session, SYNTHETIC) wrote in words the
    rules did not read; the model alone had deployed them. Written here in other words."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "his girlfriend threw a glass of wine in his face, eyes stinging a bit, washed out",
        "mum had a stroke two years ago, her speech is the same as it has been since the stroke, "
        "just feeling low",
        "carer says she is a bit muddled with a water infection, temperature normal per carer, "
        "eating and drinking",
        "took a body shot sparring, winded for a minute, fine now",
        "nosebleed from a football to the face, blood everywhere but he pinched it and it "
        "stopped, talking fine",
        "thunderclap? no, a slow headache after a night on the cider",
    ],
)
def test_the_eighth_red_teams_look_alikes_raise_no_flag(narrative: str) -> None:
    """Look-alikes of an eighth red team (SYNTHETIC) that the rules had flagged: a drink
    thrown, a stroke in the past, a normal temperature reported, a boxing body shot, a
    nosebleed pinched until it stopped."""
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("known heroin user, only 4-5 breaths a min, pinpoint pupils", "not_breathing"),
        ("stung by a wasp 10 mins ago, swelling of lips/tongue", "anaphylaxis"),
        ("boy 8, v hot and sleepy, spots dnt fade w glass", "sepsis_meningitis"),
    ],
)
def test_ranges_slashes_and_text_speak_keep_their_flags(narrative: str, flag: str) -> None:
    """The normaliser's range, slash and text-speak readings (2026-12-05) give the rules the
    words they read."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "had chest pain three weeks ago for which he had a stent, pain free since, asking about "
        "ibuprofen",
        "minor graze to his knee, officers gave him bottled water, walking fine",
    ],
)
def test_chest_pain_weeks_ago_and_bottled_water_raise_no_flag(narrative: str) -> None:
    """Chest pain dated weeks back with what was done for it is history (ZL-197); "bottled
    water" had read as "hit with a bottle" (RU-161, ZM-039's major trauma)."""
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("narrative", "expected"),
    [
        # a blade to the stomach: self-harm with intent, or the holder's own stomach
        ("male in bedroom holding a knife against his stomach, says if we come in he will do it",
         "self_harm_danger"),
        ("robbery, offender held a knife against his stomach and took his phone, victim unhurt",
         None),
        # a named drink thrown is not a corrosive; an unknown one with eye pain is
        ("threw a pint in his face, his eyes are burning and he cant open them, unknown what was "
         "in the glass", "corrosive_or_face_burn"),
        ("a bottle of something thrown at his face, eyes really painful, cant see",
         "corrosive_or_face_burn"),
        ("threw a glass of wine over her, eyes stinging a bit", None),
        # a voltage needs contact
        ("worker touched a 440 volt cable on site, burn to hand, shaky", "electrical_injury"),
        ("zapped by 415v at work, burn on the palm", "electrical_injury"),
        ("the 415 volt panel was isolated before he opened it, no contact, just shaken", None),
        # heat: a hot body, not a hot car or a hot day
        ("heatwave, roofer very hot to touch, keeps asking what day it is", "heat_stroke"),
        ("car overheated in the heatwave, driver confused about which junction to take", None),
        # oxygen saturation
        ("sats? 84, nurse worried", "not_breathing"),
        ("sats 84 which is his normal, copd, chatting", None),
    ],
)
def test_what_a_review_of_the_eighth_red_teams_readings_found(
    narrative: str, expected: str | None
) -> None:
    """A review of the twenty-fourth session's readings (282 probes by a helper who had not
    read the tables, SYNTHETIC) found each side of these: the reading, and the look-alike it
    must leave alone."""
    found = flags(narrative)
    if expected is None:
        assert found == set(), found
    else:
        assert expected in found, found


@pytest.mark.parametrize(
    "narrative",
    [
        "sudden death reported, elderly male, purple staining on lower back and legs. his wife is "
        "on the floor beside the bed, not moving, not answering",
        "sudden death of wife reported. husband very angry, jaw set, refuses to let officers in, "
        "then collapses on the floor, not moving, not answering",
    ],
)
def test_staining_and_a_set_jaw_are_not_read_as_signs_of_death(narrative: str) -> None:
    """Tried in the twenty-fourth session and withdrawn after a review: "jaw set" and "purple
    staining on the lower back" as signs of death handed living people beside a death to the
    desk to verify. A death is read only from signs beyond a living person's."""
    reading = rules_mod.read_request(TriageRequest(narrative=narrative))
    assert reading.verify_death is None and reading.red_flags


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("expected death, DNACPR. his wife has taken some of his oramorph so she can be with "
         "him, eyes keep closing", "significant_overdose"),
        ("Fall down stairs. Head strike: Y. LOC: N. Meds: apixaban.", "head_injury"),
        ("Weapon: knife. Wound: small puncture to the right side of the chest.",
         "penetrating_injury"),
        ("Q: can he smile? A: only one side goes up. Speech: slurred.", "stroke"),
        ("Age: 6 wks. Temp: 38.2. Feeding: poorly.", "infant_fever_or_floppy"),
    ],
)
def test_the_ninth_red_teams_emergencies_raise_their_flags(narrative: str, flag: str) -> None:
    """Presentations a ninth red team (twenty-fourth session, SYNTHETIC: pasted CAD logs, other
    agencies, long-term conditions, deaths) wrote in forms the rules did not read, written
    here in other words. The first deployed by neither rules nor model (`p_deploy` 0.04)."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Parkinson's 74M, run out of his tablets, stiff and slow, fall alarm pressed by mistake",
        "chip pan fire, fire out, occupant coughed for a minute, now fine, no burns",
        "fan fell off a low wall celebrating the sudden death penalty shoot-out, grazed knee",
    ],
)
def test_the_ninth_red_teams_look_alikes_raise_no_flag(narrative: str) -> None:
    """"74M" is an age and a sex, not 74 metres; a chip pan fire is no face burn; a "sudden
    death" shoot-out is no death (a ninth red team, SYNTHETIC)."""
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        # tried as deaths beyond doubt and withdrawn after a review (2026-12-05): "human remains"
        # cancelled the flags of a living person beside them
        ("Possible human remains found in garden by builders, one builder collapsed, not "
         "responding", "unconscious"),
        # "4M" before a thing with a height is metres, not an age and a sex
        ("came off a 4M ladder onto concrete", "major_trauma"),
        ("chip pan caught fire, hot oil splashed onto her face, blistering",
         "corrosive_or_face_burn"),
    ],
)
def test_what_a_review_of_the_ninth_red_teams_readings_found(narrative: str, flag: str) -> None:
    """A review of the twenty-fourth session's red-team-9 readings (122 probes by a helper who
    had not read the tables, SYNTHETIC)."""
    reading = rules_mod.read_request(TriageRequest(narrative=narrative))
    assert reading.verify_death is None and flag in {f.name for f in reading.red_flags}





@pytest.mark.parametrize(
    ("narrative", "facts"),
    [
        ("Child aged 4, panic attack, calming down now", {"breathing": "difficulty"}),
        ("Panic attack settling, but her sats are 85%", {"breathing": "difficulty"}),
        ("Panic attack, settling, took an overdose of sertraline an hour ago",
         {"breathing": "difficulty"}),
        ("Panic attack, calming down, he is in custody and swallowed a bag of drugs when "
         "arrested", {"breathing": "difficulty"}),
        ("Panic attack settling, but she's 8 months pregnant and has chest pain",
         {"breathing": "difficulty"}),
    ],
)
def test_a_settling_panic_keeps_the_keyed_difficulty_for_a_child_or_a_danger_beside_it(
    narrative: str, facts: dict[str, Any]
) -> None:
    assert "not_breathing" in flags(narrative, **facts)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("Police relaying a call. CT: how old is the baby? C: six weeks. CT: what's worrying "
         "you? C: she's burning up, the thermometer said 38.4", "infant_fever_or_floppy"),
        ("CT: age? C: 10 days. CT: temperature? C: 38.6", "infant_fever_or_floppy"),
        ("found him on the kitchen floor, checked for breathing, there is none", "not_breathing"),
        ("checked his pulse - nothing. wife is with him", "not_breathing"),
        ("I checked for a pulse, there isn't one", "not_breathing"),
    ],
)
def test_an_answer_that_gives_the_finding_raises_its_flag(narrative: str, flag: str) -> None:
    """A baby's age given only as an answer, and a check answered "none" after a comma, read as
    the caller would have said them outright (red team 6, R6-222; a review of 2026-12-05)."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "CT: how old is he? C: 6 months. Temp 38.4, feeding well, smiling",
        "checked for breathing, nothing abnormal, he is talking to us",
        "checked his pulse, there is one, strong and regular",
    ],
)
def test_an_older_baby_or_a_normal_check_raises_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("narrative", "facts", "flag"),
    [
        # soaked through: blood through a dressing is severe bleeding ...
        ("put his arm through a window, arm's pouring blood, towels soaked through", {},
         "severe_bleeding"),
        ("Had her baby at home five days ago, now suddenly soaking through pads every few "
         "minutes, passing clots, feels faint", {}, "severe_bleeding"),
        ("cut her forearm, tea towel on it, towel soaked through", {"bleeding": "minor"},
         "severe_bleeding"),
        # ... and soaked through by the weather is cold exposure
        ("rough sleeper in the shop doorway, soaked through after the overnight rain, stopped "
         "shivering, slow to answer", {}, "hypothermia"),
        # a blocked nose guard no longer hides nose and mouth together
        ("cannot breathe through her nose or mouth, spit hood on", {}, "not_breathing"),
        ("says he can't breathe through his nose or his mouth", {}, "not_breathing"),
    ],
)
def test_soaked_through_reads_bleeding_or_cold_and_nose_and_mouth_is_breathing(
    narrative: str, facts: dict[str, Any], flag: str
) -> None:
    """A seventh red team's look-alike ("fell in the river ... soaked through") narrowed the
    bleeding reading of "soaked through" (twenty-third session); these emergencies beside the
    same words keep their flag."""
    assert flag in flags(narrative, **facts)


def test_soaked_through_by_a_river_raises_no_flag() -> None:
    """Soaked through by a river and well (a seventh red team, R7-114): no emergency."""
    assert flags("Lad fell in the river while fishing, climbed out himself straight off, soaked "
                 "through, laughing, changed into dry clobber in the van.") == set()


@pytest.mark.parametrize(
    ("narrative", "facts", "flag"),
    [
        ("PTO shaft's got his arm, he's stuck fast in it, screaming.", {}, "major_trauma"),
        ("Husband has dementia, says his wife 'had all the morphine tablets' from the blister "
         "pack, she's very sleepy now and breathing ever so slowly.", {}, "significant_overdose"),
        ("Auld boy has been lying in the byre since last night, he's cauld as ice, talkin' mince, "
         "disnae ken his ain dug.", {}, "hypothermia"),
        ("RP mum, baby 6/52, temp 38.4 under the arm, feeding less", {"age": 0},
         "infant_fever_or_floppy"),
        ("Smoked spice in the exercise yard, now gone stiff as a board, eyes rolled back, not "
         "answering to his name or a pinch.", {}, "unconscious"),
        ("the quad's gone over on the top field and he's underneath it, we can't shift it off "
         "him, he's saying his chest hurts when he breathes.", {}, "major_trauma"),
        ("INC 3318 • 19:40 MR • DP in custody reception c/o tightness centre chest → L arm, "
         "sweaty, hx MI 2019 • 19:41 MR • DP states ‘it’s just my anxiety’", {},
         "cardiac_chest_pain"),
        ("Lad in his tent, burning up, sicking up, got little purple dots on his shins that "
         "didn't go when his sister pressed her vape tank on them.", {}, "sepsis_meningitis"),
    ],
)
def test_emergencies_only_the_model_carried_in_the_seventh_red_team_fire_their_flag(
    narrative: str, facts: dict[str, Any], flag: str
) -> None:
    """The eight time-critical vignettes of a seventh red team (twenty-third session) that the
    product model alone deployed, at p_deploy 0.08 to 0.98, with no flag."""
    assert flag in flags(narrative, **facts)


@pytest.mark.parametrize(
    "narrative",
    [
        "cough for 2/52, no temperature, eating and drinking, wants a GP appointment",
        "spots on her arm did go when her mum pressed them, no fever, playing",
        "his old tractor's stuck fast in the mud, he's fine, just wants a tow",
        "auld fella, a bit cauld in the house, heating's back on, chatting away",
    ],
)
def test_look_alikes_of_the_seventh_red_teams_readings_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("checked for a pulse, there's none", "not_breathing"),
        ("felt for a pulse, nothing there", "not_breathing"),
        ("checked for breathing-none", "not_breathing"),
        ("pulse checked - none found", "not_breathing"),
        ("the auger caught her sleeve and pulled her arm in", "major_trauma"),
        ("arm caught in the PTO, screaming", "major_trauma"),
        ("we can't shift the tractor off him", "major_trauma"),
        ("cow has pinned him against the gate, can't get her off him", "major_trauma"),
        ("taken all the morphine", "significant_overdose"),
        ("took all of the co-codamol", "significant_overdose"),
        ("won't answer to his name or a pinch", "unconscious"),
        ("not answering to name or a sternal rub", "unconscious"),
    ],
)
def test_wordings_a_review_of_the_seventh_red_teams_readings_found_fire_their_flag(
    narrative: str, flag: str
) -> None:
    """A review of the twenty-third session's changes (a helper, 321 probes) found these
    emergencies beside the new readings unread."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "he's stuck fast to his opinions, arguing with neighbour, no injuries",
        "checked for breathing, nothing abnormal, he is talking to us",
        "felt for a pulse, there is one, strong",
        "taking all his morphine as prescribed, pain controlled, alert",
    ],
)
def test_look_alikes_a_review_of_the_seventh_red_teams_readings_wrote_fire_nothing(
    narrative: str,
) -> None:
    assert flags(narrative) == set()


# -- A report answered on scene: a sleeper woken, a breathless complaint in full sentences ------
# (twenty-fifth session: flags.toml not_breathing and unconscious; concepts woke_on_rousal,
# alert_now, full_sentences, laboured_breathing)


@pytest.mark.parametrize(
    ("narrative", "facts"),
    [
        ("[23:12] RP reports male unresponsive on bench [23:31] OFFR ON SCENE: male was asleep, "
         "woke when shaken, GCS 15, swearing, walked off with his mate", {}),
        ("MOP reported man unconscious on bench. On arrival officers woke him straight away, "
         "hes drunk, rude, knows where he is, walks off fine", {}),
        ("Man reported unresponsive on park bench was asleep after night shift; woke when spoken "
         "to, talking sense, GCS 15", {"conscious": "no"}),
        ("Neighbour reported man not breathing on his sofa. Officers attended, he was asleep, "
         "woke when spoken to, GCS 15, embarrassed", {"breathing": "not_breathing"}),
        ("caller says not breathing, officers: he was asleep, woke when shouted, breathing "
         "normally, talking sense", {}),
        ("Caller reported person unresponsive in car at the car park, driver napping on lunch "
         "break, woke when knocked on window, talking normally", {}),
    ],
)
def test_a_sleeper_reported_unconscious_and_woken_alert_raises_no_flag(
    narrative: str, facts: dict[str, str]
) -> None:
    """A report made before anyone looked, answered on scene: asleep, woke when spoken to or
    shaken, and alert now. The keyed field, set from the first call, is answered too."""
    assert not flags(narrative, **facts) & {"unconscious", "not_breathing"}


@pytest.mark.parametrize(
    ("narrative", "facts", "flag"),
    [
        # woken but not alert, or woken only briefly
        ("found unconscious, woke briefly when shaken then went back to sleep", {},
         "unconscious"),
        ("reported unresponsive, woke when shaken but keeps drifting off", {}, "unconscious"),
        # woken and alert, beside a danger
        ("Male found in car in closed garage with engine running. Woke when officers shouted at "
         "him, now alert, GCS 15, says he was just having a nap.", {"conscious": "no"},
         "unconscious"),
        ("Custody record: DP woke when shaken at 0400 rousal, GCS 15, but admitted swallowing a "
         "bag of drugs on arrest to hide them.", {"conscious": "no"}, "unconscious"),
        ("Male 17 drank a litre of vodka, woke when shaken, talking normally, then vomited and "
         "now gurgling when he breathes.", {}, "not_breathing"),
        ("reported unconscious after a punch, woke when spoken to, talking normally", {},
         "unconscious"),
        ("baby stopped breathing and went blue, woke when I shook him, breathing normally now",
         {}, "not_breathing"),
    ],
)
def test_a_sleeper_woken_keeps_the_flag_when_not_alert_or_beside_a_danger(
    narrative: str, facts: dict[str, str], flag: str
) -> None:
    assert flag in flags(narrative, **facts)


@pytest.mark.parametrize(
    ("narrative", "facts"),
    [
        ("Friend screaming she can't breathe! Female 22 after a row with her boyfriend, fingers "
         "tingling, breathing fast but talking in full sentences to us", {}),
        ("Man 28 at the cricket says he can't breathe, nose completely blocked, sneezing, "
         "talking in full sentences", {"breathing": "difficulty"}),
        ("custody, fem 25 saying cant breathe properly, hands tingly, talking in full sentances",
         {}),
        ("Girlfriend on phone he can't breathe. Male 24 on the line talking in whole sentences, "
         "hands tingling", {"breathing": "difficulty"}),
    ],
)
def test_a_breathless_complaint_in_full_sentences_alone_raises_no_flag(
    narrative: str, facts: dict[str, str]
) -> None:
    """Talking in full sentences answers a complaint of breathlessness (BTS/SIGN: unable to
    complete sentences marks acute severe asthma) when nothing else is wrong."""
    assert "not_breathing" not in flags(narrative, **facts)


@pytest.mark.parametrize(
    ("narrative", "facts"),
    [
        # the danger sign, not the all-clear (the two guards)
        ("struggling to breathe, struggling to talk in full sentences", {}),
        ("nose is bunged up, can't speak in full sentences", {"breathing": "difficulty"}),
        ("short of breath, talking but not in full sentences", {}),
        # a breathless complaint in full sentences beside a danger
        ("female 38 on HRT, struggling to breathe, speaking in complete sentences, coughed blood "
         "into a tissue", {}),
        ("can't breathe, talking in full sentences, lips swollen after a prawn", {}),
        ("asthmatic, can't breathe, inhaler not helping, talking in full sentences", {}),
        ("short of breath, talking in full sentences, 32 weeks pregnant", {}),
        ("detainee restrained on the floor says he can't breathe, talking in full sentences", {}),
        ("gasping, talking in full sentences", {}),
        ("can't breathe, 2 year old, talking in full sentences", {}),
    ],
)
def test_full_sentences_leave_a_breathless_danger_flagged(
    narrative: str, facts: dict[str, str]
) -> None:
    assert "not_breathing" in flags(narrative, **facts)


def test_laboured_breathing_is_abnormal_breathing_without_the_complaints() -> None:
    """laboured_breathing repeats abnormal_breathing's signs (seen or heard) so that a full
    sentence never answers them: the two lists must not drift apart."""
    concepts = rule_tables.tables().concepts
    abnormal = set(concepts["abnormal_breathing"])
    laboured = set(concepts["laboured_breathing"])
    complaints = abnormal - laboured
    assert laboured < abnormal
    assert complaints == {
        "difficulty breathing", "difficulty in breathing", "breathing difficulty|difficulties",
        "struggling to breathe|breath|breathing", "struggling for breath|air", "cannot breathe",
        "cannot breath properly", "cannot breath", "unable to breath", "can hardly|barely breath",
        "cannot breathe properly", "can hardly|barely breathe", "unable to breathe",
        "cannot get [his|her|their] breath", "short of breath", "shortness of breath",
        "breathless", "not breathing properly|normally",
        "cannot get|catch [his|her|their|the|my|its|me] breath", "cannot catch breath",
        "no air no air", "breath|breathing [is] closing",
    }


@pytest.mark.parametrize(
    ("concept", "wording"),
    [
        ("woke_on_rousal", "woke up when spoken to"),
        ("woke_on_rousal", "woke when the officers arrived"),
        ("woke_on_rousal", "woke up normally"),
        ("woke_on_rousal", "woke straight away"),
        ("woke_on_rousal", "officers woke him"),
        ("woke_on_rousal", "woken by officers"),
        ("woke_on_rousal", "woke and was swearing"),
        ("alert_now", "gcs 15"),
        ("alert_now", "gcs of 15"),
        ("alert_now", "talking sense"),
        ("alert_now", "walking and talking"),
        ("alert_now", "talking and walking"),
        ("alert_now", "knows where she is"),
        ("alert_now", "fully alert"),
        ("alert_now", "alert and orientated"),
        ("alert_now", "walked off"),
        ("alert_now", "chatting in whole sentences"),
        ("alert_now", "answering questions appropriately"),
        ("full_sentences", "full sentences"),
        ("carbon_monoxide_word", "bbq inside the tent"),
        ("carbon_monoxide_word", "tent with a disposable bbq inside"),
        ("carbon_monoxide_word", "barbecue lit inside"),
        ("pe_risk", "10 hour coach trip"),
        ("pe_risk", "active cancer"),
        ("pe_risk", "on chemo"),
        ("pe_risk", "on HRT"),
        ("coughing_blood", "coughed blood into a tissue"),
        ("coughing_blood", "blood in his phlegm"),
        ("coughing_blood", "blood stained sputum"),
        ("coughing_blood", "bloody spit"),
        ("coughing_blood", "haemoptysis"),
        ("pe_risk", "on hormone replacement"),
        ("early_pregnancy_stated", "8 weeks pregnant"),
        ("early_pregnancy_stated", "2 months gone"),
        ("later_pregnancy", "she is 30 weeks"),
        ("later_pregnancy", "6 months pregnant"),
        ("later_pregnancy", "in her third trimester"),
        ("later_pregnancy", "due next month"),
        ("later_pregnancy", "due any day"),
        ("cramping", "crampy"),
        ("cramping", "cramps"),
        ("spotting", "spotting"),
        ("throat_blow", "struck in the throat with a baton"),
        ("throat_blow", "a punch to the windpipe"),
        ("bp_low", "blood pressure very low"),
        ("drowsy", "slow to answer"),
        ("drowsy", "drifting off again"),
        ("shivering_now", "shivering"),
        ("shivering_now", "teeth chattering"),
        ("shivering_now", "chattering teeth"),
    ],
)
def test_each_phrase_of_the_answered_report_reads_its_concept(concept: str, wording: str) -> None:
    assert_reads_concept(concept, wording)


@pytest.mark.parametrize(
    "narrative",
    [
        "Friend says he's 'having a fit'. Officers there: he's shivering after a dip in the lake, "
        "talking normally, knows where he is, warming up",
        "Cell 7 DDO thought the detainee was 'fitting' - he was shivering under a thin blanket, "
        "fully awake, talking",
    ],
)
def test_a_fit_answered_on_scene_raises_no_seizure(narrative: str) -> None:
    """A reported fit that officers found to be shivering in someone alert now (twenty-fifth
    session). A guard for a suspect "fitting the description" was tried and withdrawn: it hid
    "shes fitting the description of her usual fits but this one wont stop"."""
    assert "seizure" not in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "he's fitting on the floor now, the description matches her epilepsy",
        "fitting, shivering, not talking",
        "he's fitting, shivering and talking normally, 2 year old",
        "having a fit, shivering, talking normally, took a load of pills",
        "still fitting, shivering, talking normally after he hit his head",
        "having a fit now, talking normally before it started",
    ],
)
def test_a_fit_beside_shivering_keeps_its_flag_unless_alert_and_nothing_else(
    narrative: str,
) -> None:
    assert "seizure" in flags(narrative)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("male 28 admits lines of coke all night. Says chest is crushing, sweaty, pain going "
         "into left arm", "cardiac_chest_pain"),
        ("Man 50 bitten by adder on walk 40 mins ago, leg swollen to knee", "snake_bite"),
        ("Man 35 ate prawns, face swollen, BP very low on home cuff, dizzy", "anaphylaxis"),
        ("woman 84, house freezing, skin ice cold, slow to answer", "hypothermia"),
        ("groin injection site spreading fast, pain way worse than it looks, temp high, HR 130",
         "sepsis_meningitis"),
    ],
)
def test_emergencies_a_second_blind_review_found_unread_raise_their_flag(
    narrative: str, flag: str
) -> None:
    """A second blind review of the answered-report readings (a helper, 140 probes): five
    emergencies no rule had read, before or after the change (twenty-fifth session)."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "ate prawns, face a bit swollen, no dizziness, blood pressure fine",
        "detainee slow to answer because he is deliberately ignoring officers, GCS 15, walking",
    ],
)
def test_look_alikes_of_the_second_blind_reviews_readings_fire_nothing(narrative: str) -> None:
    assert not flags(narrative) & {"anaphylaxis", "hypothermia", "falling_consciousness"}


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("Single stab, 1cm wound L chest. Pt walking and talking. Officers say breathing fast and "
         "lips look blue.", "not_breathing"),
        ("Knife attack, vic says blade didn't break the skin but blood is pooling from his groin",
         "penetrating_injury"),
        ("Officer attacked with knife, vest stopped it, but has a cut to neck above the collar "
         "bleeding freely", "penetrating_injury"),
        ("Custody: DP struck in throat with baton during restraint, voice now croaky, unable to "
         "swallow", "strangulation"),
        ("Beanbag round fired at male, hit upper abdomen, skin not broken, now vomiting",
         "injury_with_shock"),
    ],
)
def test_emergencies_a_blind_review_of_penetrating_look_alikes_found_raise_their_flag(
    narrative: str, flag: str
) -> None:
    """A blind review of penetrating look-alikes (a helper, 120 probes): emergencies behind
    "skin not broken" that no rule had read (twenty-fifth session)."""
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "his lips look a bit dry, otherwise well, walking and talking",
        "attacked with words only, no knife seen, no injuries",
        "cut his neck shaving this morning, stopped with tissue, no bleeding now",
        "hit his throat lozenge tin on the table, voice fine",
    ],
)
def test_look_alikes_of_the_penetrating_reviews_readings_fire_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    "narrative",
    [
        "Woman 8 wks pregnant, small brown spotting today, no tummy pain, not dizzy, feeling ok",
        "F24, 7 weeks pregnant, light brown spotting on the toilet paper, feels well",
        "about 2 months pregnant, a bit of spotting this morning, otherwise fine",
    ],
)
def test_spotting_alone_before_sixteen_weeks_raises_no_flag(narrative: str) -> None:
    """Spotting is not the spec's heavy bleeding: before 16 weeks, alone, an early-pregnancy
    unit's question (NICE NG126; twenty-fifth session)."""
    assert "pregnancy_danger" not in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "24 weeks pregnant, spotting",
        "pregnant, spotting",
        "she's 36 weeks, spotting and tummy going tight; sister is 10 weeks pregnant",
        "10 weeks pregnant, spotting and cramping on one side",
        "8 weeks pregnant, spotting, feels faint and looks pale",
        "7 weeks pregnant, spotting, pain in her shoulder tip",
        "Female 20s, positive test at the weekend, brown spotting. Fainted at work, very pale.",
        "9 weeks pregnant, heavy bleeding with clots",
    ],
)
def test_spotting_later_unstated_or_beside_a_danger_keeps_the_flag(narrative: str) -> None:
    assert "pregnancy_danger" in flags(narrative)


def test_the_danger_lists_of_an_answered_report_are_one_named_list_each() -> None:
    """The dangers that keep a flag beside an answered report are named once in flags.toml
    (``[list.breathing_dangers]``, ``[list.unconscious_dangers]``) and every clause that needs
    them reads the whole list: a clause written out by hand could drop one."""
    t = rule_tables.tables()
    flags_by_name = {f.name: f for f in t.rules}
    raw = tomllib.loads((Path(rules_mod.__file__).parent / "flags.toml").read_text("utf-8"))
    answered = {
        "not_breathing": ("breathing_dangers", ("not_breathing", "abnormal_breathing",
                          "breathing=not_breathing", "breathing=difficulty")),
        "unconscious": ("unconscious_dangers", ("unconscious", "conscious=no")),
    }
    for name, (listed, heads) in answered.items():
        written = next(f for f in raw["flag"] if f["name"] == name)["when"]
        assert sorted(c.split(" & ")[0] for c in written if c.endswith(f"& @{listed}")) == sorted(
            heads)
        dangers = "|".join(raw["list"][listed]["concepts"])
        assert sum(c.endswith(f"& {dangers}") for c in flags_by_name[name].when) == len(heads)


def test_only_clauses_a_present_concept_points_to_are_read_and_the_first_that_holds_wins(
) -> None:
    """``_flags`` evaluates only the clauses whose first group holds a present concept (the
    clause index of the twenty-sixth session); every flag and its evidence must be what reading
    every clause of every rule in order gives, on the tuning suite and a slice of the ratchet."""
    from triage.rules.engine import _compiled, _flags, _present_concepts
    from triage.rules.tables import clause_evidence

    comp = _compiled()

    def every_clause(found: dict[str, str]) -> list[tuple[str, str]]:
        out = []
        for rule, clauses in comp.rules:
            if any(u in found for u in rule.unless):
                continue
            for clause in clauses:
                evidence = clause_evidence(clause, found)
                if evidence is not None:
                    out.append((rule.name, evidence))
                    break
        return out

    root = Path(__file__).resolve().parents[1]
    requests = [TriageRequest(**json.loads(line)["request"])
                for line in (root / "vignettes" / "tuning.jsonl").read_text("utf-8").splitlines()
                if line.strip()]
    probes = (root / "tests" / "fixtures" / "rule_probes.jsonl").read_text("utf-8").splitlines()
    for line in probes[:: max(1, len(probes) // 1500)]:
        p = json.loads(line)
        requests.append(TriageRequest(narrative=p["narrative"], **p.get("fields", {})))
    flagged = 0
    for request in requests:
        found = _present_concepts(request, comp)
        read = [(f.name, f.evidence) for f in _flags(found, comp)]
        assert read == every_clause(found), request.narrative
        flagged += bool(read)
    assert flagged > 1000
