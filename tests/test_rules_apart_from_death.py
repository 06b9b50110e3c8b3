"""Someone alive told apart from an obvious death keeps their flags: read through an aside
after their name, placed in a later clause or CAD entry, introduced as new in a sentence of
their own read alone, or hiding or barely rousable (docs/CLINICAL_SAFETY.md, H2 control 28).

A blind writer's probes of the thirty-sixth session (120 living people in need beside an
obvious death, written without reading the tables) found 19 whose death was verified and whose
flags were cancelled: "His wife Mary (78) has collapsed", "Partner, Sarah, is unresponsive",
"Sudden death / rigor mortis / wife collapsed, unresponsive", "Male deceased in bed rigor
mortis, wife downstairs unresponsive", "Female (partner) found hiding in wardrobe with multiple
stab wounds". All narratives here are SYNTHETIC.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.rules.engine import _compiled, compile_tables, read_request
from triage.rules.life import apart_sentences, entry_index
from triage.rules.tables import TableError, load_tables
from triage.schema import TriageRequest
from triage.text.negation import analyse
from triage.text.normalise import normalise

DEATH = "Sudden death, male 80 in bed with rigor mortis."


def read(narrative: str) -> tuple[set[str], str | None]:
    r = read_request(TriageRequest(narrative=narrative))
    return {f.name for f in r.red_flags}, r.verify_death


# Each with "{aside}" where an aside may stand after the person: the verdict must be the one
# without it.
LIVING_WITH_ASIDES = (
    f"{DEATH} His wife{{aside}} has collapsed in the kitchen and is not responding.",
    "Male 50 deceased, rigor mortis, lividity. Partner{aside} is unresponsive and blue.",
    "Man dead in the bed for days, decomposing. His brother{aside} is unresponsive with a needle "
    "in his arm.",
)
ASIDES = ("", " (78)", " Mary", ", Mary,", " Mary (78)", " (on the sofa)")


@pytest.mark.parametrize("aside", ASIDES)
@pytest.mark.parametrize("narrative", LIVING_WITH_ASIDES)
def test_an_aside_after_a_living_person_leaves_their_flags(narrative: str, aside: str) -> None:
    found, verify = read(narrative.format(aside=aside))
    assert verify is None
    assert "unconscious" in found


DEATHS_WITH_ASIDES = (
    # the person with the aside is the body, or is well: the death is still verified
    "Dad{aside} was in his armchair, unresponsive, cold, rigor mortis in jaw and limbs.",
    f"{DEATH} His wife{{aside}} is downstairs with officers, upset but well.",
    "Male deceased, rigor mortis and lividity. His son{aside} found him this morning.",
)


@pytest.mark.parametrize("aside", ASIDES)
@pytest.mark.parametrize("narrative", DEATHS_WITH_ASIDES)
def test_an_aside_after_the_body_or_a_well_person_leaves_the_death_verified(
    narrative: str, aside: str
) -> None:
    found, verify = read(narrative.format(aside=aside))
    assert verify is not None
    assert found == set()


LIVING_TOLD_APART = (
    # a later clause of the death's own sentence
    ("Male deceased in bed rigor mortis, wife downstairs unresponsive.", "unconscious"),
    # a CAD log's entries
    ("Sudden death / rigor mortis / wife in the kitchen unresponsive", "unconscious"),
    ("Sudden death - male in bed, rigor present - lodger upstairs, unresponsive", "unconscious"),
    # someone who does what no body does: hides, is barely rousable
    ("Male deceased on kitchen floor, knife wounds, rigor mortis. Female (partner) found hiding "
     "in wardrobe with multiple stab wounds, conscious, bleeding.", "penetrating_injury"),
    # someone introduced as new, in a sentence of their own, read alone
    ("Officers on a welfare check found the occupier deceased in the hallway with rigor and "
     "lividity. A woman in the bedroom, believed to be his daughter, has a nosebleed that won't "
     "stop, is on warfarin, lots of blood, feels faint.", "severe_bleeding"),
    ("Male in 80s deceased in recliner (rigor, lividity). Wife, who has dementia, has been "
     "alone with him for 2 days, is severely dehydrated, barely rousable.",
     "falling_consciousness"),
)


@pytest.mark.parametrize(("narrative", "flag"), LIVING_TOLD_APART)
def test_someone_told_apart_from_the_death_keeps_their_flags(narrative: str, flag: str) -> None:
    found, verify = read(narrative)
    assert verify is None
    assert flag in found


DEATHS_TOLD_BY_OTHERS = (
    # what someone said or saw of the body is the body's story, not their own state
    "Male deceased in bed, rigor mortis. Wife says he was not breathing when she woke up.",
    "Male deceased in bed, rigor mortis. His son found him unresponsive at 7am.",
    # a speaker's label names who speaks ("Caller: no, not breathing" is the body)
    "Handler: Is anyone else there hurt? Caller: No, no, it's just me and my husband, he's "
    "dead, he's been dead hours, he's gone stiff. I'm fine, I'm not hurt. Handler: Is he "
    "breathing? Caller: No, no, he's cold.",
    # a relative named without an introducer too often tells the body's story (a read-through
    # of the first version, which read such sentences alone: 57 of 219 deaths read as alive)
    "Male deceased, rigor mortis. Wife found husband collapsed on floor, not breathing.",
    "Male deceased, rigor mortis. Carer arrived 8am, he was unresponsive in bed.",
    "Female found hanging in loft, rigor mortis present. Husband cut her down.",
    "Male deceased in bed, rigor mortis. A neighbour tried to wake him, no response.",
    "Male deceased in car, rigor mortis. Another driver saw the crash, he was not breathing.",
    # the body told before the death's sign is the body
    "Dad is in the bedroom, unresponsive. He is cold and stiff, rigor mortis present.",
    # a circumstance of the death in a later sentence is not someone else
    "Male found hanging in the garage, rigor mortis. Ligature still in place.",
    # "the woman" may be the body; only someone introduced as new is someone else
    "Female deceased in bed, rigor mortis. The woman was not breathing when carers arrived.",
)


@pytest.mark.parametrize("narrative", DEATHS_TOLD_BY_OTHERS)
def test_the_bodys_story_told_by_others_leaves_the_death_verified(narrative: str) -> None:
    found, verify = read(narrative)
    assert verify is not None
    assert found == set()


def test_cad_separators_and_times_end_entries() -> None:
    for text, entries in (
        ("sudden death / rigor mortis / wife collapsed", [0, 0, 1, 1, 2, 2]),
        ("male deceased - rigor - wife unresponsive", [0, 0, 1, 2, 2]),
        ("03:25 male deceased. 03:27 room 5 male slumped", [0, 0, 0, 0, 1, 1, 1, 1, 1, 1]),
        # a slash or dash inside a word is not an entry's end
        ("he/she is 24-7 x-ray", None),
    ):
        a = analyse(normalise(text))
        got = entry_index(a.text, a.starts, a.ends)
        if entries is None:
            assert len(set(got)) == 1, (text, got)
        else:
            assert got == entries, (text, a.words, got)


def test_only_sentences_after_the_first_sign_that_begin_with_someone_new_are_read_alone(
) -> None:
    text = ("the wife is in the kitchen. male in bed, rigor mortis. wife is unconscious. "
            "the dog is barking. a neighbour says he was cold. caller: a man is cold. a man "
            "outside is fitting. the man is fitting. another elderly frail officer has "
            "collapsed. a carer found him unresponsive.")
    a = analyse(text)
    life = _compiled().life
    first = a.words.index("mortis") + 1
    evidence = [(a.words.index("rigor"), first)]
    got = [" ".join(a.words[i:j])
           for i, j in apart_sentences(a.words, (a.text, a.starts, a.ends), evidence, first, life)]
    # a speaker's label is not who the sentence is about; the new man after it is
    assert got == ["caller a man is cold", "a man outside is fitting",
                   "another elderly frail officer has collapsed"]


@pytest.mark.parametrize(
    ("key", "first", "attribute"),
    [
        ("apart_from_death", "person_placed_in_need", "signs_apart_from_death"),
        ("through_asides", "person_named_in_need", "signs_through_asides"),
    ],
)
def test_the_concept_lists_name_defined_concepts_that_are_signs(
    red_flag_tables: Path, key: str, first: str, attribute: str
) -> None:
    doc = (red_flag_tables / "concepts.toml").read_text(encoding="utf-8")
    listed = f'{key} = [\n    "{first}",'
    assert listed in doc
    (red_flag_tables / "concepts.toml").write_text(
        doc.replace(listed, f'{key} = [\n    "no_such_concept",', 1), encoding="utf-8")
    with pytest.raises(TableError, match=rf"\[signs_of_life\].*{key}.*no_such_concept"):
        load_tables(red_flag_tables)
    # a defined concept that is not a sign of life is refused when the tables are compiled
    (red_flag_tables / "concepts.toml").write_text(
        doc.replace(listed, f'{key} = [\n    "on_floor",', 1), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{key}.*on_floor"):
        compile_tables(load_tables(red_flag_tables))
    assert getattr(load_tables(None), attribute)[0] == first


@pytest.mark.parametrize(
    ("key", "attribute"),
    [("places", "living_places"), ("new_persons", "new_persons"),
     ("introducers", "introducers"), ("reporting", "reporting")],
)
def test_the_word_lists_must_be_single_lower_case_words_listed_once(
    red_flag_tables: Path, key: str, attribute: str
) -> None:
    doc = (red_flag_tables / "concepts.toml").read_text(encoding="utf-8")
    start = doc.index(f"\n{key} = [") + len(f"\n{key} = [")
    for bad, shown in (('"Woman", ', "Woman"), ('"two words", ', "two words"),
                       ('"back room", ', "back room")):
        (red_flag_tables / "concepts.toml").write_text(doc[:start] + bad + doc[start:],
                                                       encoding="utf-8")
        with pytest.raises(TableError, match=rf"\[signs_of_life\].*{key}.*{shown}"):
            load_tables(red_flag_tables)
    first = doc[start:].split('"')[1]
    (red_flag_tables / "concepts.toml").write_text(doc[:start] + f'"{first}", ' + doc[start:],
                                                   encoding="utf-8")
    with pytest.raises(TableError, match=rf"{key}.*listed once.*{first}"):
        load_tables(red_flag_tables)
    assert first in getattr(load_tables(None), attribute)


def test_a_seizure_still_going_on_is_someone_alive_and_an_old_one_is_not() -> None:
    found, verify = read("Tom (the lodger) has been fitting for 5 mins and isn't stopping. The "
                         "landlord upstairs is dead, rigor, been dead since yesterday at least.")
    assert verify is None
    assert "seizure" in found
    found, verify = read("The landlord upstairs is dead, rigor, been dead since yesterday at "
                         "least. Had been fitting for years, epileptic.")
    assert verify is not None
    assert found == set()


def test_gone_black_beside_a_stated_death_is_decomposition_and_alone_is_not() -> None:
    # before the thirty-sixth session this death was read as not certain and sent an ambulance
    found, verify = read("Caller says her brother is dead in the flat, he has gone black.")
    assert verify == "gone black + is dead"
    assert found == set()
    # no death stated: a black toe is a living man's
    assert read("Caller says her brother's toe has gone black, he is diabetic, otherwise "
                "well.") == (set(), None)
