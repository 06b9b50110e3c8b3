"""A living second person beside a death to verify keeps their flags, however the narrative
places them (docs/CLINICAL_SAFETY.md, H2 control 27).

A blind writer's probes of the thirty-fifth session (120 living people in need beside an
obvious death, written without reading the tables) found 14 whose death was verified and
whose flags were cancelled: a place stood between the person and their state ("his lodger
is upstairs, unresponsive") or the second patient was a CAD log's "2nd pt". All narratives
here are SYNTHETIC.
"""

from __future__ import annotations

import pytest

from triage.rules.engine import _compiled, _present_concepts, read_request
from triage.schema import TriageRequest

DEATH = "Welfare visit, man dead in his armchair, decomposing, flies."


def read(narrative: str) -> tuple[set[str], str | None]:
    r = read_request(TriageRequest(narrative=narrative))
    return {f.name for f in r.red_flags}, r.verify_death


LIVING = (
    (f"{DEATH} His dog is fine. His lodger is upstairs, unresponsive, empty methadone bottles "
     "next to him.", "unconscious"),
    (f"{DEATH} His wife is upstairs, unconscious.", "unconscious"),
    (f"{DEATH} His lodger is upstairs unresponsive.", "unconscious"),
    (f"{DEATH} His lodger is in the bedroom and is unresponsive.", "unconscious"),
    (f"{DEATH} Lodger in the back bedroom is unresponsive.", "unconscious"),
    (f"{DEATH} Wife found downstairs unconscious.", "unconscious"),
    ("Body of elderly female in the lounge, obvious decomposition. Son found downstairs "
     "unconscious next to empty bottles of vodka and tablets.", "unconscious"),
    ("DECD M 70s in bed, rigor, cold, lividity. 2nd pt F40s in kitchen U/C, resp shallow, ?OD.",
     "unconscious"),
    ("Police reporting: a postman noticed the smell and looked through the letterbox. Male "
     "inside decomposing. Postman has since been sick and collapsed on the doorstep, not "
     "responding to officers.", "unconscious"),
)


@pytest.mark.parametrize(("narrative", "flag"), LIVING)
def test_a_living_person_placed_beside_a_death_keeps_their_flags(narrative: str,
                                                                 flag: str) -> None:
    found, verify = read(narrative)
    assert verify is None
    assert flag in found


DEATHS = (
    "Officers on scene, male on bathroom floor, decomposing, strong smell",
    "Male in the bedroom, unresponsive, rigor mortis, cold",
    "Found by his son in the bedroom, unresponsive, cold and stiff, rigor mortis",
    f"{DEATH} His wife is upstairs, very upset but well.",
    f"{DEATH} The lodger is in the kitchen, shaken, no injuries, says he last saw him Friday.",
)


@pytest.mark.parametrize("narrative", DEATHS)
def test_a_death_with_nobody_else_in_need_is_still_verified(narrative: str) -> None:
    found, verify = read(narrative)
    assert verify is not None
    assert found == set()


def test_the_joined_reading_reads_across_a_break_only_after_a_place_word() -> None:
    comp = _compiled()
    placed = TriageRequest(narrative=f"{DEATH} His wife is upstairs, unconscious.")
    assert "person_placed_in_need" not in _present_concepts(placed, comp)
    assert "person_placed_in_need" in _present_concepts(placed, comp, joined=True)
    # a break after a word that is not a place stays a break, joined reading or not
    named = TriageRequest(narrative=f"{DEATH} His wife, unconscious.")
    assert "person_named_in_need" not in _present_concepts(named, comp, joined=True)


DEATHS_OF_THE_PERSON_PLACED = (
    # a read-through of the first version (a helper's 398 probes): the person placed is the body
    # when a sign of the death shares the sentence
    "Dad was in his armchair, unresponsive, cold, rigor mortis in jaw and limbs",
    "The lodger was in his bedroom, unresponsive, decomposing, strong smell",
    "Caller's husband found in bed unresponsive, cold to touch, rigor mortis present",
    "friend found in the van, unresponsive, rigor and lividity",
    # a second read-through: told first, in a sentence of its own, the person is the body too
    "Dad is in the bedroom, unresponsive. He is cold and stiff, rigor mortis present.",
    "Mum on the sofa, unconscious.\n\nShe has been dead for days, decomposing.",
    # a heading is not a sign of the death: the person is told before the first sign
    "Sudden death. Dad found in the garden unresponsive at approx. 8am. Rigor mortis, frost on "
    "clothing.",
)


@pytest.mark.parametrize("narrative", DEATHS_OF_THE_PERSON_PLACED)
def test_a_person_placed_before_or_beside_the_deaths_signs_is_the_body(narrative: str) -> None:
    assert read(narrative)[1] is not None


def test_a_join_that_only_cuts_a_deaths_own_words_verifies_the_death() -> None:
    # "floor, decomposing" joined loses the decomposition but shows nobody alive
    comp = _compiled()
    r = TriageRequest(narrative="Officers on scene, male on bathroom floor, decomposing")
    ordinary = _present_concepts(r, comp)
    joined = _present_concepts(r, comp, joined=True)
    # the joined reading adds only the signs placed apart from the death or read through an
    # aside
    assert set(joined) - set(ordinary) <= comp.life.apart | comp.life.asides
    assert read_request(r).verify_death == "decomposing"


def test_a_convulsion_described_in_lay_words_is_an_ongoing_seizure() -> None:
    found, _ = read("My husband collapsed, he's shaking all over and frothing at the mouth.")
    assert "seizure" in found
    found, _ = read("frothing at the mouth and jerking on the floor")
    assert "seizure" in found
