"""Narrative normalisation and negation (triage.text). All narratives here are SYNTHETIC."""

from __future__ import annotations

import pickle
from itertools import pairwise

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from symspellpy import SymSpell

from triage.text.abbreviations import REPLACEMENTS
from triage.text.negation import (
    MAX_SCOPE_TOKENS,
    analyse,
    is_negated,
    mark_negation,
    negation_scopes,
    preprocess,
)
from triage.text.normalise import normalise

# --------------------------------------------------------------------------------------------
# normalise
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("IP c/b", "patient conscious and breathing"),
        ("MOP reports", "member of public reports"),
        ("smells of ETOH", "smells of alcohol"),
        ("s136 detention", "section 136 detention"),
        ("S.136", "section 136"),
        ("GCS 8", "gcs 8"),
        ("GCS of 8/15", "gcs 8"),
        ("GCS:7", "gcs 7"),
        # blood pressures as nurses and CAD logs write them (twenty-first session)
        ("BP:76/40.", "bp 76/40."),
        ("B/P 85 systolic", "bp 85 systolic"),
        ("B.P. 82/48", "bp 82/48"),
        ("SBP 82", "bp 82"),
        ("NIBP 80/40mmHg", "bp 80/40"),
        ("BP80", "bp 80"),
        ("bp 80 / 40 mm Hg", "bp 80/40"),
        ("Blood pressure: 80/50", "blood pressure 80/50"),
        ("on BP tablets 5mg", "on bp tablets 5 mg"),
        ("palps since lunch", "palpitations since lunch"),
        ("no LOC", "no loss of consciousness"),
        ("pt NB", "patient not breathing"),
        ("c/o CP", "complaining of chest pain"),
        ("SOB", "short of breath"),
        ("DIB", "difficulty in breathing"),
        ("OD", "overdose"),
        ("DSH", "deliberate self harm"),
        ("MH team", "mental health team"),
        ("RTC", "road traffic collision"),
        ("PIC", "person in custody"),
        ("DP", "detained person"),
        ("40 y/o", "40 years old"),
        ("40yo", "40 years old"),
        ("40 yo", "40 years old"),
        ("FAST +ve", "fast positive"),
        ("FAST -ve", "fast negative"),
        ("DNACPR in place", "dnacpr in place"),
        ("DNR", "dnacpr"),
        ("known AF", "known atrial fibrillation"),
        ("T2DM", "type 2 diabetic"),
        ("hypo", "hypoglycaemia"),
        ("hypoglycemic", "hypoglycaemia"),
        ("N&V", "nausea and vomiting"),
        ("obs NAD", "observations nothing abnormal detected"),
        ("take to A&E", "take to emergency department"),
        ("w/ chest pain", "with chest pain"),
        ("w/chest pain", "with chest pain"),
        ("w/o LOC", "without loss of consciousness"),
        ("BM 2.1", "blood glucose 2.1"),
        ("BM=2.1", "blood glucose 2.1"),
        ("blood sugar of 2.1", "blood glucose 2.1"),
        ("HI, on anticoags", "head injury, on anticoagulants"),
        ("GSW to abdo", "gunshot wound to abdomen"),
        ("was KO'd", "was knocked out"),
        ("lac to head", "laceration to head"),
        ("denies CP/SOB", "denies chest pain or short of breath"),
        ("24/7", "24/7"),
    ],
)
def test_abbreviations_expand_to_canonical_words(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("unconcious", "unconscious"),
        ("unconsious", "unconscious"),
        ("breating", "breathing"),
        ("breathin", "breathing"),
        ("collasped", "collapsed"),
        ("colapsed", "collapsed"),
        ("seizing", "fitting"),
        ("fiting", "fitting"),
        ("siezure", "seizure"),
        ("bleding", "bleeding"),
        ("bleedin", "bleeding"),
        ("unresponcive", "unresponsive"),
        ("paracetemol", "paracetamol"),
        ("cocodamol", "co-codamol"),
        ("co codamol", "co-codamol"),
        ("anaphalactic", "anaphylactic"),
        ("epi-pen", "epipen"),
        ("vomitting", "vomiting"),
        ("decomosed", "decomposed"),
        # 2026-12-02 reviews: misspellings a new table word pulled the wrong way, and "laying"
        # (which had pulled "laing" away from "lying"), now read as the word meant
        ("laying on the floor", "lying on the floor"),
        ("laing there all night", "lying there all night"),
        ("one of the batterys is missing", "one of the batteries is missing"),
        ("vomiting fesh blood", "vomiting fresh blood"),
        ("bee stinl on her neck", "bee sting on her neck"),
        ("slurred steech", "slurred speech"),
        # speech-to-text splits and mishearings (red team of that channel, 2026-12-03)
        ("shes un responsive on the sofa", "shes unresponsive on the sofa"),
        ("drank anti freeze", "drank antifreeze"),
        ("male having a sees your on the floor", "male having a seizure on the floor"),
        ("hes in cardiac a rest", "hes in cardiac arrest"),
        ("having a stoke", "having a stroke"),
        ("slipt on the ice", "slipped on the ice"),
        ("he had a stoke city shirt on", "he had a stoke city shirt on"),
        ("ate THC gummies", "ate cannabis gummies"),
        ("query stoke on trent address", "query stoke on trent address"),
        ("male non responsive on the floor", "male unresponsive on the floor"),
        ("driving back to stoke", "driving back to stoke"),
        ("no loss of conscience", "no loss of consciousness"),
        # the fifteenth session's table words first pulled these the wrong way ("diver",
        # "holds", "clinic", "tracks" in new phrases; checked over 46,000 narratives, withdrawn)
        ("the drver was trapped", "the driver was trapped"),
        ("two 4 year olds on the swings", "two 4 year olds on the swings"),
        ("tonic clonic fit", "tonic clonic fit"),
        ("in his trackies and a hoodie", "in his trackies and a hoodie"),
        # speech-to-text mishearings of red team L (fifteenth session), put right for the model and
        # the rules alike; the same words in an ordinary sentence are left alone
        ("deaf fib on its way", "defib on its way"),
        ("baby knot breathing", "baby not breathing"),
        ("she is on a pixie ban", "she is on apixaban"),
        ("he is on river rocks a ban", "he is on rivaroxaban"),
        ("used a liga chair", "used a ligature"),
        ("female having a sees her", "female having a seizure"),
        ("a gun shop wound to the leg", "a gunshot wound to the leg"),
        ("he sees her every day", "he sees her every day"),
        ("the gun shop on the high street", "the gun shop on the high street"),
        # a fourth red team (2026-12-04): speech-to-text and CAD shorthand; "on conscious"
        # only after a verb or a person, "inj" only after "head"
        ("child having a seize her", "child having a seizure"),
        ("he is in cardiac a wrest", "he is in cardiac arrest"),
        ("female on conscious on the floor", "female unconscious on the floor"),
        ("she went on conscious after the fall", "she went unconscious after the fall"),
        ("carry on conscious of the risk", "carry on conscious of the risk"),
        ("remains on conscious observations", "remains on conscious observations"),
        ("head inj from a fall", "head injury from a fall"),
        ("insulin inj due at 6", "insulin inj due at 6"),
        # a table word must not pull a misspelling away from the word meant (control 15):
        # "diver" was withdrawn as a table word because "deiver" then became "diver"
        ("deiver sore shoulder", "driver sore shoulder"),
        ("club toiles", "club toilets"),
    ],
)
def test_common_misspellings_are_fixed(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the everyday words red-flag phrases are made of (the second index)
        ("firrst ever seizure", "first ever seizure"),
        ("fisrt floor window", "first floor window"),
        ("found outisde all night", "found outside all night"),
        ("strangled until he passde out", "strangled until he passed out"),
        ("long filght", "long flight"),
        # a four-letter word that is a five-letter one with a letter dropped
        ("chst pain", "chest pain"),
        ("irst floor window", "first floor window"),
    ],
)
def test_slips_in_the_everyday_words_of_red_flag_phrases_are_fixed(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "wort",  # a real English word is never corrected
        "hest",
        "jaxx",  # a four-letter word no five-letter target is one letter away from
        "tatt",
        "wrst",  # "worst" or "wrist": two five-letter words, so neither
    ],
)
def test_known_words_and_words_far_from_every_target_are_left_alone(text: str) -> None:
    assert normalise(text) == text


def _index_counts(counts: dict[str, int]) -> SymSpell:
    """A SymSpell index of these words with these counts, as the speller builds its own."""
    built = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
    for w, n in counts.items():
        built.create_dictionary_entry(w, n)
    return built


def _index(*words: str) -> SymSpell:
    """A SymSpell index of these words, each with the same count."""
    return _index_counts(dict.fromkeys(words, 1000))


def test_a_clinical_target_wins_over_an_everyday_one_at_the_same_distance() -> None:
    from triage.text.spelling import Speller

    speller = Speller(frozenset(), _index("yellow"), _index("below", "first"))
    assert speller.correct("yelow") == "yellow"  # one edit from both: the clinical index first
    assert speller.correct("firrst") == "first"  # only the everyday index has it
    assert speller.correct("irst") == "first"  # four letters: one dropped from a five-letter word
    assert Speller(frozenset({"yelow"}), _index("yellow"), _index()).correct("yelow") is None


def test_a_far_commoner_everyday_word_wins_over_a_rare_clinical_one() -> None:
    from triage.text.spelling import EVERYDAY_RATIO, Speller

    # "bater" is one dropped letter from both "bather" and "batter": equally likely slips
    rare = _index_counts({"bather": 1_000})
    common = _index_counts({"batter": 1_000 * EVERYDAY_RATIO})
    assert Speller(frozenset(), rare, common).correct("bater") == "batter"
    close = _index_counts({"batter": 1_000 * EVERYDAY_RATIO - 1})
    assert Speller(frozenset(), rare, close).correct("bater") == "bather"
    assert normalise("hyperventilating adter argument") == "hyperventilating after argument"


def test_the_closer_index_wins_whatever_the_order() -> None:
    from triage.text.spelling import Speller

    # "pressuer": "pressure" (everyday, one swap) against "pressed" (clinical, two edits)
    assert Speller(frozenset(), _index("pressed"), _index("pressure")).correct("pressuer") == (
        "pressure"
    )
    assert normalise("blood pressuer very low") == "blood pressure very low"


@pytest.mark.parametrize(
    ("typed", "meant", "other"),
    [
        ("srabbed", "stabbed", "grabbed"),  # r is beside t, not beside g
        ("mobth", "month", "mouth"),  # b is beside n, not beside u
        ("msking", "making", "asking"),  # s is beside a; m is not
        ("heavt", "heavy", "heart"),  # t is beside y; v is not beside r
    ],
)
def test_at_one_edit_a_typists_likely_slip_wins_a_tie(typed: str, meant: str, other: str) -> None:
    from triage.text.spelling import Speller, likely_slip

    assert likely_slip(typed, meant) and not likely_slip(typed, other)

    # whichever index holds which, and even when the unlikely reading is far commoner
    assert Speller(frozenset(), _index(other), _index(meant)).correct(typed) == meant
    assert Speller(frozenset(), _index(meant), _index(other)).correct(typed) == meant


@pytest.mark.parametrize(
    ("typed", "meant", "likely"),
    [
        ("chst", "chest", True),  # a letter dropped
        ("cheast", "chest", True),  # a key hit with its neighbour (a beside e... and s)
        ("chesst", "chest", True),  # a key hit twice
        ("cehst", "chest", True),  # neighbours swapped
        ("chrst", "chest", True),  # r is beside e
        ("chpst", "chest", False),  # p is nowhere near e
        ("chzest", "chest", False),  # z is beside neither h nor e
    ],
)
def test_likely_slips(typed: str, meant: str, likely: bool) -> None:
    from triage.text.spelling import likely_slip

    assert likely_slip(typed, meant) is likely


def test_the_second_index_holds_only_everyday_content_words_of_the_phrases() -> None:
    from triage.text.spelling import MIN_LEN_ONE_EDIT, everyday_words

    words = everyday_words()
    assert {"first", "outside", "passed", "flight", "found"} <= words
    assert all(len(w) >= MIN_LEN_ONE_EDIT and w.isalpha() for w in words)
    assert "seizure" not in words and "unconscious" not in words  # clinical: the first index


def test_every_misspelling_the_generator_writes_is_fixed() -> None:
    """The synthetic history's habitual misspellings ("sweling", "vommited") read as the word:
    a red-flag phrase must not be missed because of a typo the project itself knows."""
    from triage.history.synth_text import _COMMON_MISSPELLINGS

    wrong = {
        bad: normalise(bad)
        for good, bad in _COMMON_MISSPELLINGS.items()
        if normalise(bad) != normalise(good)
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("doesn't", "does not"),
        ("doesnt", "does not"),
        ("isn’t", "is not"),
        ("hasn't", "has not"),
        ("wasnt", "was not"),
        ("won't stop", "will not stop"),
        ("can't breathe", "cannot breathe"),
        ("cant breathe", "cannot breathe"),
        ("can not breathe", "cannot breathe"),
    ],
)
def test_negative_contractions_expand(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_quotes_dashes_and_whitespace_are_unified() -> None:
    raw = "“Worst-ever”  headache\t— came on\nsuddenly… ‘really’"
    assert normalise(raw) == "worst ever headache - came on suddenly... 'really'"


def test_a_quoted_phrase_key_reads_as_it_does_unquoted() -> None:
    """Handlers quote what a caller said ("he's 'spark out'"). The phrase regex's gate once split
    runs of letters keeping apostrophes, so "'spark" was not the key's first word "spark" and a
    narrative with no other key's first word in it skipped the regex: 85 of the 102 keys were
    not read when quoted alone."""
    keys = [k for k in REPLACEMENTS if " " in k]
    assert len(keys) > 50
    unread = [k for k in keys if normalise(f"'{k}'") != f"'{normalise(k)}'"]
    assert not unread, unread
    assert normalise("found him 'out for the count' on the floor") == (
        "found him 'unconscious' on the floor"
    )


def test_clause_punctuation_is_kept_and_glued_punctuation_spaced() -> None:
    expected = "conscious and breathing, alcohol; no loss of consciousness"
    assert normalise("c/b,ETOH;no LOC") == expected


def test_numbers_are_split_from_units() -> None:
    assert normalise("fell 3m, doing 60mph, 10mins") == "fell 3 metres, doing 60 mph, 10 minutes"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # nota bene, not "not breathing"
        ("NB: officers on scene", "note: officers on scene"),
        ("male n.b. drunk", "male note. drunk"),
        # bare NB is read as not breathing (the safer reading)
        ("male NB", "male not breathing"),
        # crying, not short of breath
        ("she started to sob", "she started to cry"),
        # NFA is kept as a token: both "no further action" and "no fixed abode" occur
        ("NFA for police", "nfa for police"),
        # "v" stays as written ("car v tree" is versus)
        ("car v tree", "car v tree"),
        # IP is the injured party
        ("IP address", "patient address"),
        # HI is a head injury, except as a greeting or on a glucose meter
        ("HI to back of head", "head injury to back of head"),
        ("waved hi, then sat down", "waved hello, then sat down"),
        # police shorthand, not a greeting (a review, 2026-12-03)
        ("IP says HI to rear of head", "patient says head injury to rear of head"),
        ("BM reads HI", "blood glucose reads high"),
        # "says HI" is not read as a greeting (a meter's HI: the DKA phrases read its
        # expansion, tests/fixtures/rule_probes.jsonl)
        ("sugar machine just says HI, being sick",
         "sugar machine just says head injury, being sick"),
    ],
)
def test_ambiguous_abbreviations_follow_the_documented_choice(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_rejects_non_strings() -> None:
    with pytest.raises(TypeError, match=r"needs a str narrative\. Got bytes"):
        normalise(b"not breathing")


_WORDS = [
    "ip", "c/b", "etoh", "no", "loc", "denies", "cp", "nb", "n.b.", "sob", "not", "breathing",
    "bleeding", "chest", "pain", "fitting", "gcs", "8", "60mph", "3m", "w/", "doesn't", "can't",
    "s136", "bm", "2.1", "hypo", "fast", "-ve", "+ve", ",", ".", ";", "?", "(", ")", "self-harm",
    "unconcious", "collasped", "“quoted”", "—", "a&e", "y/o", "40yo", "NB:", "he's", "x",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=30), st.text(max_size=40))
@example(words=[], noise="0MÐ")  # a unit glued to an accented letter: once "0 metresð"
@example(words=[], noise="Γ")  # a capital whose lower case is a look-alike: once "γ"
@example(words=["NB:", "NB:", "-ve", "NB:"], noise="")  # a denied key in a key's answer place
@example(words=[], noise="AAA/AAA/AAA")  # slash-joined words in a chain
@example(words=["w/"], noise="-y")  # "w/ " left a doubled space: "with -y", then "with"
@example(words=["NB:", "-ve", "NB:", "-ve"], noise="")  # a key after a "negative" answer
@example(words=["NB:", "+ve", "NB:", "+ve"], noise="")  # a key that a rewrite left at a start
@example(words=["\u201cq\u201d", "self-harm", "\u2014", "+ve"], noise="")  # a curly quote: a space
def test_normalise_is_idempotent_and_canonical(words: list[str], noise: str) -> None:
    text = " ".join(words) + " " + noise
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.lower().strip()
    assert "  " not in once


# --------------------------------------------------------------------------------------------
# negation
# --------------------------------------------------------------------------------------------


def negated_words(text: str) -> list[str]:
    a = analyse(normalise(text))
    return [w for w, n in zip(a.words, a.negated, strict=True) if n]


@pytest.mark.parametrize(
    ("raw", "negated"),
    [
        ("no LOC", ["loss", "of", "consciousness"]),
        ("denies CP", ["chest", "pain"]),
        ("denied chest pain", ["chest", "pain"]),
        ("nil bleeding", ["bleeding"]),
        ("not on blood thinners", ["blood", "thinners"]),
        ("no history of fits", ["fits"]),
        ("no signs of decomposition", ["decomposition"]),
        ("negative for drugs", ["drugs"]),
        ("without difficulty breathing", ["difficulty", "breathing"]),
        ("never been unwell", ["been", "unwell"]),
        ("doesn't feel dizzy", ["feel", "dizzy"]),
        ("isn't drowsy", ["drowsy"]),
        ("hasn't vomited", ["vomited"]),
        ("no difficulty breathing", ["difficulty", "breathing"]),
        ("not short of breath", ["short", "of", "breath"]),
        ("no breathing problems", ["breathing", "problems"]),
        ("chest pain ruled out", ["chest", "pain"]),
        ("chest pain denied.", ["chest", "pain"]),
        ("FAST negative", ["fast"]),
        ("nothing abnormal detected", ["abnormal", "detected"]),
    ],
)
def test_negation_triggers_negate_what_follows(raw: str, negated: list[str]) -> None:
    assert negated_words(raw) == negated


@pytest.mark.parametrize(
    ("raw", "negated"),
    [
        # terminators end the scope
        ("no chest pain but short of breath", ["chest", "pain"]),
        ("no LOC, drowsy", ["loss", "of", "consciousness"]),
        ("no LOC. vomited twice", ["loss", "of", "consciousness"]),
        ("denies CP; clammy", ["chest", "pain"]),
        ("no pain however sweaty", ["pain"]),
        ("no LOC although confused", ["loss", "of", "consciousness"]),
        ("no injuries except cut hand", ["injuries"]),
        ("no LOC and is now drowsy", ["loss", "of", "consciousness"]),
        ("no head injury says wife", ["head", "injury"]),
        ("no LOC - drowsy", ["loss", "of", "consciousness"]),
        ("no bleeding (drowsy)", ["bleeding"]),
        # "and" before a patient state ends the scope: the state is a finding
        ("no LOC and unresponsive", ["loss", "of", "consciousness"]),
        ("no injuries and drowsy", ["injuries"]),
        # forty-third session: what a restrained or assaulted person is doing now
        ("not resisting and making gasping noises", ["resisting"]),
        ("no injuries and snoring", ["injuries"]),
        ("no drink and gurgling", ["drink"]),
        ("no LOC and choking", ["loss", "of", "consciousness"]),
        ("not resisting and limp", ["resisting"]),
        ("no drugs and sleepy", ["drugs"]),
        ("no drink and slurring", ["drink"]),
        # ... but an ordinary "and" does not
        ("denies chest pain and sweating", ["chest", "pain", "and", "sweating"]),
    ],
)
def test_terminators_end_the_scope(raw: str, negated: list[str]) -> None:
    assert negated_words(raw) == negated


@pytest.mark.parametrize(
    "raw",
    [
        # lists whose later items are findings: a verb, a hedge, a preposition, a number
        "no LOC, seems drowsy or drunk",
        "no injuries, bleeding from the nose or ears",
        "no LOC, GCS 10 or 11",
        "no LOC, may have fitted or fainted",
        # a state that describes the person may be a finding told as a guess
        "no LOC, drowsy or drunk, hard to tell",
        "no injury, unresponsive or asleep",
        # a list that ends in "and", or never ends
        "no LOC, vomiting and drowsy",
        "no LOC, vomiting, drowsy",
        # items longer than a finding's name
        "no chest pain, his left arm feels heavy or numb",
        # two reviews of the first version (543 and 452 probes): a last item that runs straight
        # on into a finding, an answer or a hedge as the first item, a sign in the list, a time
        "no history of fits, diabetes or heart problems fitting for 10 mins",
        "no ID, phone or wallet unconscious in the alley",
        "no drink, drugs or meds slurring words and face dropped",
        "not sure, snoring or gurgling",
        "not really, jerking or twitching his arms",
        "no witnesses, snoring or gurgling",
        "no LOC, vomiting or confusion at first, now drowsy",
        "no LOC, vomiting or confusion initially, now drowsy",
        "denies sweating, breathlessness or pain going to his arm",
        # a third review (566 probes): a finding straight after a denied scene fact or history
        "No weapon seen, stab wound or slash, left side of chest.",
        "No PMH, crushing chest pain or sweats.",
        "No known allergies, lips swelling or tongue swelling, can't breathe.",
        "PMH: none, chest pain or tightness: yes, crushing, grey.",
    ],
)
def test_a_negation_ends_at_a_comma_whatever_list_follows(raw: str) -> None:
    """A reading that carried a negation through a list of denials was built and withdrawn:
    however narrowed, it hid findings told straight after a denied fact (docs/CLINICAL_SAFETY.md,
    H2 control 35). What follows the first comma is read as written."""
    first_clause = normalise(raw).split(",")[0]
    negated = negated_words(raw)
    assert negated == negated_words(first_clause)


@pytest.mark.parametrize(
    ("raw", "written"),
    [
        # the negator of a list of signs of life is written before each: each item then reads
        # as the finding it is ("not breathing")
        ("he is not moving, breathing or responding", "he is not moving, not breathing or not "
                                                       "responding"),
        ("no heartbeat, breathing or response", "no heartbeat, no breathing or no response"),
        ("not breathing, moving or responding", "not breathing, not moving or not responding"),
        # forty-third session: an Oxford comma, "nor", "neither ... nor", "or" without commas
        ("she is not moving, breathing, or responding",
         "she is not moving, not breathing, or not responding"),
        ("not moving, breathing nor responding", "not moving, not breathing nor not responding"),
        ("neither moving nor breathing", "not moving nor not breathing"),
        ("he's not moving or breathing or responding",
         "he's not moving or not breathing or not responding"),
        # a sign named as a verb is written as the finding's word the tables read
        ("He doesn't move, breathe or respond.", "he does not moving, not breathing or not "
                                                 "responding."),
        ("no pulse, breath or response", "no pulse, no breathing or no response"),
        # two signs; everyday words beside a sign when the list ends its clause; the longest
        # list of signs, whatever follows it (a review of the change: "or gasping" after the
        # list had undone the whole write-out); a negator's own list after a failed one
        ("he is not moving or responding", "he is not moving or not responding"),
        ("arm not moving or responding to touch", "arm not moving or not responding to touch"),
        ("not moving, breathing or responding or gasping",
         "not moving, not breathing or not responding or gasping"),
        ("not moving, breathing or responding or talking to us",
         "not moving, not breathing or not responding or talking to us"),
        ("he is not talking or not moving, breathing or responding",
         "he is not talking or not moving, not breathing or not responding"),
        ("baby not crying or breathing", "baby not crying or not breathing"),
        ("hasn't moved or breathed", "has not moving or not breathing"),
        ("not talking, moving or breathing.", "not talking, not moving or not breathing."),
        ("he's not moving, breathing or anything", "he's not moving, not breathing or not "
                                                   "anything"),
        # a list that ends where a later one, begun at its last item, runs on: written again
        # until nothing changes, so normalise stays idempotent (a review's generated probe)
        ("male found on floor, not feeding nor responsive, or responsive properly",
         "male found on floor, not feeding nor not responsive, or not responsive properly"),
    ],
)
def test_a_negator_is_written_before_each_word_of_its_list(raw: str, written: str) -> None:
    assert normalise(raw) == written
    assert normalise(written) == written


@pytest.mark.parametrize(
    "raw",
    [
        # two words joined by "or" alone may name a finding's alternative
        "not breathing or gasping",
        # a word of another kind: a verb, a person's state, a hedge, a number
        "no injuries, seems drowsy or drunk",
        "not drunk, drowsy or asleep",
        "no fits, maybe or maybe not",
        "no loss of consciousness, gcs 10 or 11",
        # only lists made wholly of signs of life are written out: objects, answers at a door,
        # an answer or a hedge, and anything else are left (a second review, 452 probes)
        "no vomiting, fever or confusion at first, now drowsy",
        "the app is not loading, updating or responding",
        "no reply, answer or response at the door",
        "not sure, snoring or gurgling",
        "she is not sleeping, eating or breathing properly with the stress",
        "unable to pee, poo or feel his bottom",
        # forty-third session: two signs, or everyday words beside one, that do not end the
        # clause; everyday words alone; a door nobody answers
        "not eating, drinking or breathing properly",
        "not eating, drinking or talking",
        "the goldfish is not moving, breathing or eating, child upset",
        "not talking or answering",
    ],
)
def test_a_list_that_is_not_single_denied_words_is_left_as_written(raw: str) -> None:
    assert normalise(raw) == raw


def test_scope_is_at_most_five_tokens() -> None:
    words = negated_words("no one two three four five six seven")
    assert words == ["one", "two", "three", "four", "five"]
    assert len(words) == MAX_SCOPE_TOKENS


@pytest.mark.parametrize(
    ("raw", "negated"),
    [
        # findings that start with a negation word are scoped to their own words only
        ("not breathing and cold to touch", ["breathing"]),
        ("no response to voice or pain", ["response"]),
        ("not responding, eyes closed", ["responding"]),
        ("no pulse and blue lips", ["pulse"]),
        ("not making sense and drowsy", ["making", "sense"]),
    ],
)
def test_finding_phrases_do_not_negate_what_follows(raw: str, negated: list[str]) -> None:
    assert negated_words(raw) == negated


def test_breathing_normally_is_not_a_negation_but_not_breathing_is_marked() -> None:
    assert mark_negation(normalise("breathing normally")) == "breathing normally"
    assert mark_negation(normalise("not breathing")) == "not neg_breathing"
    assert mark_negation(normalise("NB")) == "not neg_breathing"


def test_mark_negation_prefixes_only_scoped_words() -> None:
    out = preprocess("IP c/b, ETOH, no LOC, denies CP")
    assert out == (
        "patient conscious and breathing, alcohol, no neg_loss neg_of neg_consciousness, "
        "denies neg_chest neg_pain"
    )


def test_negation_scopes_are_character_spans_of_the_normalised_text() -> None:
    text = normalise("Denies CP, not on warfarin but vomited")
    scopes = negation_scopes(text)
    assert [text[s:e] for s, e in scopes] == ["chest pain", "warfarin"]
    assert is_negated(scopes, text.index("chest"))
    assert is_negated(scopes, text.index("warfarin"))
    assert not is_negated(scopes, text.index("vomited"))
    assert not is_negated(scopes, text.index("denies"))


def test_a_trigger_is_never_inside_its_own_scope() -> None:
    text = normalise("never had a fit before")
    scopes = negation_scopes(text)
    assert not is_negated(scopes, 0)
    assert is_negated(scopes, text.index("fit"))


def test_preprocess_is_picklable_for_saved_pipelines() -> None:
    assert pickle.loads(pickle.dumps(preprocess)) is preprocess


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40))
def test_mark_negation_only_inserts_prefixes(words: list[str]) -> None:
    text = normalise(" ".join(words))
    marked = mark_negation(text)
    assert marked.replace("neg_", "") == text.replace("neg_", "")
    spans = negation_scopes(text)
    assert all(0 <= s < e <= len(text) for s, e in spans)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_preprocess_reads_any_text(text: str) -> None:
    out = preprocess(text)
    assert out.replace("neg_", "") == normalise(text).replace("neg_", "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HR 130, temp 38", "heart rate 130, temp 38"),
        ("hr: 45", "heart rate 45"),
        ("HR of 210", "heart rate 210"),
        ("1 hr 30 mins", "1 hours 30 minutes"),  # after a number, "hr" is still hours
        ("for 2hr", "for 2 hours"),
    ],
)
def test_hr_before_a_number_is_a_heart_rate_and_after_one_is_hours(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("slip", "meant"),
    [
        ("drosy", "drowsy"), ("rowsy", "drowsy"), ("blinching", "blanching"),
        ("curgling", "gurgling"), ("chied", "child"), ("crild", "child"),
        ("gounding", "pounding"), ("groian", "groin"),
    ],
)
def test_a_sign_of_life_word_never_draws_a_misspelt_red_flag_word(slip: str, meant: str) -> None:
    """The death doubts' words ("rosy", "flinching", "curling", "cried", "bounding", "groan")
    are known but never correction targets (triage.rules.tables.KNOWN_ONLY_CONCEPTS): as targets
    they took these slips from the red-flag words a review found them meant (2026-12-03)."""
    from triage.text.spelling import correct_word

    assert correct_word(slip) == meant


def test_words_only_the_death_doubts_use_are_known_but_not_targets() -> None:
    from triage.rules.tables import table_words, tables, target_words
    from triage.text.spelling import correct_word, known_words, lexicon

    doubt_only = table_words(tables()) - target_words(tables())
    assert {"rosy", "flinching", "whimpered"} <= doubt_only
    # the clinical list may still name one ("dehydrated"); the doubts alone never make one
    targets = {"rosy", "flinching", "whimpered", "curling", "bounding", "cried", "groan"}
    assert not targets & lexicon()
    for word in ("rosy", "flinching", "whimpered", "telly"):
        assert word in known_words()
        assert correct_word(word) is None  # a known word is left alone


@pytest.mark.parametrize(
    ("slip", "read_as"),
    [("didcharged", "didcharged"), ("dicsharged", "dicsharged"), ("fikling", "fikling")],
)
def test_the_words_of_a_foul_discharge_or_a_mouth_filling_with_blood_draw_no_slip(
    slip: str, read_as: str
) -> None:
    """"discharge" and "filling" are read by the rules (``foul_discharge``,
    ``mouth_filling_blood``) but are known-only: as correction targets they took "didcharged"
    (discharged from hospital) and "fikling" in training narratives, which moved the model's
    text (twenty-sixth session). Both words stay known, and a phrase with them still reads."""
    from triage.rules.tables import tables, target_words
    from triage.text.spelling import known_words

    assert normalise(f"ambulance declined, {slip}, went home").split(", ")[1] == read_as
    assert {"discharge", "filling"} <= known_words()
    assert not {"discharge", "filling"} & target_words(tables())


def test_nicked_is_known_to_the_speller_but_never_a_correction_target() -> None:
    """``nicked_by_blade`` reads "nicked with a blade on his chest" (twenty-seventh session);
    as a correction target "nicked" took "nickrd" in a training narrative, so it is known-only
    (``KNOWN_ONLY_CONCEPTS``) and the model's text is unchanged."""
    from triage.rules.tables import tables, target_words
    from triage.text.spelling import known_words

    assert normalise("got nickrd by the police") == "got nickrd by the police"
    assert "nicked" in known_words()
    assert "nicked" not in target_words(tables())


@pytest.mark.parametrize(
    ("text", "negated", "kept"),
    [
        ("CT: has she been sick or sleepy? C: no, she's back playing", ["sick", "sleepy"],
         ["playing"]),
        ("CT: any chest pain now? C: not today, no.", ["chest", "pain"], []),
        ("is it tight or heavy? no, it's sore when I press on it", ["tight", "heavy"], ["sore"]),
        ("CT: is he awake? the caller: nope, we can't wake him", ["awake"], ["wake"]),
        # a call-taker's line is read whole (up to 24 words), and "problems with" asks about a
        # trouble, not a finding given (a blind review, twenty-seventh session)
        ("CT: any headache, problems with her eyesight, any swelling in her face or hands "
         "C: no none of that", ["headache", "eyesight", "swelling"], []),
        ("CT: did he fit with the cocaine? C: no", [], ["fit"]),
    ],
)
def test_a_question_answered_no_is_negated(text: str, negated: list[str], kept: list[str]) -> None:
    """Call transcripts write the question and its answer: the finding the question names is
    what the answer denies (a sixth red team, 2026-12-05)."""
    marked = mark_negation(normalise(text))
    for word in negated:
        assert f"neg_{word}" in marked, marked
    for word in kept:
        assert f"neg_{word}" not in marked, marked


@pytest.mark.parametrize(
    "text",
    [
        "CT: did he hit his head? C: no idea, found him on the floor",
        "CT: has he taken anything? C: not sure, there are empty packets",
        "CT: is he breathing? C: yes but it's noisy",
        "is he breathing? he's gone blue",
        "Any chest pain. No. He is sweating",  # no question mark: nothing is answered
    ],
)
def test_a_doubt_a_yes_or_no_question_negates_nothing_in_the_question(text: str) -> None:
    marked = mark_negation(normalise(text))
    for word in ("head", "taken", "breathing", "chest"):
        assert f"neg_{word}" not in marked, marked


def test_a_detail_corrected_with_question_marks_is_not_a_question() -> None:
    """"given birth in the back of a car in the hospital car park?? no, supermarket car park"
    corrects where, not whether (suite ZC, ZC-059): the birth stays a finding."""
    marked = mark_negation(normalise(
        "female just given birth in the back of a car in the hospital car park?? no, "
        "supermarket car park. mum bleeding a lot"))
    assert "neg_birth" not in marked and "neg_given" not in marked


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("CT: is he breathing? C: no.", "no, not breathing"),
        ("ct:is she conscious?c:no", "no, not responding"),
        ("CT: has she come round? C: not yet.", "not yet, not responding"),
        ("CT: is he breathing normally? C: nope", "nope, not breathing normally"),
        ("CT: has the fit stopped? C: no, 8 minutes now", "no, fitting will not stop"),
        ("CT: has the bleeding stopped? C: no.", "no, bleeding will not stop"),
        ("CT: does the rash fade when you press a glass on it? C: no.",
         "no, rash does not fade"),
    ],
)
def test_a_vital_question_answered_no_is_written_out_as_its_finding(
    text: str, finding: str
) -> None:
    """A transcript's "is he breathing? no" says the patient is not breathing; the normaliser
    writes it out so the rules and the model read it (a review of 2026-12-05)."""
    out = normalise(text)
    assert finding in out
    assert normalise(out) == out  # idempotent: the finding is written once


@pytest.mark.parametrize(
    "text",
    [
        "CT: is he breathing? C: no idea, he's in the next room",
        "CT: is he breathing? C: yes, snoring",
        "CT: is she conscious? C: not sure",
        "is he breathing. no.",  # not a question
        "CT: has the fit stopped? C: no, but he is coming round",
    ],
)
def test_a_doubt_a_yes_or_a_statement_writes_no_finding(text: str) -> None:
    out = normalise(text)
    for finding in ("not breathing", "not responding", "fitting will not stop"):
        assert finding not in out, out


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("CT: how old is the baby? C: six weeks.", "c: six weeks old."),
        ("How old's she? Caller: She's 5 weeks, temp 38.5", "she's 5 weeks old,"),
        ("CT: age? C: 10 days", "c: 10 days old"),
        ("ct: how old is your son now? c: about 7 weeks", "about 7 weeks old"),
        ("how old is he? c: 6 months", "6 months old"),
    ],
)
def test_an_age_given_as_an_answer_is_written_as_an_age(text: str, written: str) -> None:
    """A transcript gives a baby's age only as an answer ("how old is the baby? six weeks"); the
    normaliser adds the "old" a caller says outright, so the age reads as one (red team 6,
    R6-222)."""
    out = normalise(text)
    assert written in out
    assert normalise(out) == out


@pytest.mark.parametrize(
    "text",
    [
        "ill for six weeks, how old is he? c: 40",  # an age in years
        "how long has she had it? c: six weeks",  # a duration, not an age
        "CT: how old is the baby? C: six weeks old",  # already an age
    ],
)
def test_a_duration_or_an_age_in_years_gains_no_old(text: str) -> None:
    """Only an answer to "how old" or "age?" in days, weeks or months is an age; the rewrite
    adds "old" once."""
    out = normalise(text)
    assert out.count(" old") == normalise(text.lower()).count(" old") == text.lower().count(" old")


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("checked for breathing, there is none", "checked for breathing and there is none"),
        ("checked for a pulse - there isn't one", "checked for a pulse and there is none"),
        ("I checked his pulse, nothing.", "checked his pulse and there is none."),
        ("checked her breathing: none at all", "checked her breathing and there is none"),
    ],
)
def test_a_check_answered_none_after_a_comma_is_one_clause(text: str, joined: str) -> None:
    """"checked for breathing, there is none" is the check and its answer; a phrase never runs
    across a comma, so the normaliser joins them (a review of 2026-12-05)."""
    out = normalise(text)
    assert joined in out
    assert normalise(out) == out


@pytest.mark.parametrize(
    "text",
    [
        "checked for breathing, nothing abnormal",
        "checked his pulse, nothing wrong with it",
        "checked for a pulse, there is one",
        "checked for breathing, he is breathing fine",
    ],
)
def test_a_check_with_a_finding_is_left_as_written(text: str) -> None:
    out = normalise(text)
    assert "and there is none" not in out


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Conscious: No. Breathing: No.", "conscious answered no. not breathing."),
        ("male 60s collapsed. conscious? n breathing? n",
         "collapsed. conscious answered no not breathing"),
        ("conscious - no, breathing - no", "conscious answered no, not breathing"),
        ("CT: pulse? C: none", "ct: no pulse"),
        ("any pulse? no.", "no pulse."),
        ("patient breathing normally: no", "patient not breathing normally"),
        ("Conscious: No now - went off in the back of the van",
         "conscious answered no now - went off"),
        ("pulse? cant feel one", "no pulse"),
        ("AVPU: P", "responds to pain only"),
        ("Consc: No / Breath: Yes", "conscious answered no / breath"),
        ("CAD: Consc - N, Breath - N.", "cad: conscious answered no, not breathing."),
        # asked with its verb, answered as a key; answered after a bare space or "="
        ("Collapsed. Is pt conscious - N. Is pt breathing - Y",
         "collapsed. patient conscious answered no. is patient breathing - y"),
        ("is he conscious - no.", "he conscious answered no."),
        ("conscious = no, breathing = yes", "conscious answered no, breathing yes"),
        ("Conscious N, breathing normal", "conscious answered no, breathing normal"),
        ("CONSCIOUS=NO BREATHING=NO", "conscious answered no breathing no"),
    ],
)
def test_a_key_question_answered_no_is_written_out_as_its_finding(text: str, written: str) -> None:
    """A CAD log's key questions have no verb ("Conscious: No. Breathing: No."); before the
    twenty-fourth session they raised no flag. The key and its answer are written as the
    finding, so the key's own word ("breathing") does not read as a sign of life."""
    out = normalise(text)
    assert written in out, out
    assert normalise(out) == out


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("CT: any tummy pain or bleeding C: no, and the baby's kicking",
         "ct: any tummy pain or bleeding? c: no, and the baby's kicking"),
        ("CT: is he breathing C: no", "ct: is he breathing? c: no, not breathing"),
        ("CT: whats the emergency C: my dad collapsed CT: is he awake C: nope",
         "ct: whats the emergency c: my dad collapsed ct: is he awake? c: nope"),
        ("CT: any chest pain? C: no", "ct: not any chest pain"),  # typed with its "?"
    ],
)
def test_a_call_takers_line_answered_no_gets_the_question_mark_it_was_typed_without(
    text: str, written: str
) -> None:
    """A transcript typed without "?" ("CT: is she fainting or short of breath C: no") read
    every danger the call-taker asked about as present (a blind review of 2026-12-05); the
    line answered no is marked as the question it is, so the answer denies it."""
    out = normalise(text)
    assert written in out, out
    assert normalise(out) == out


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Chest pain: No. Difficulty breathing: No. Serious bleeding: No.",
         "no chest pain. no difficulty breathing. no serious bleeding."),
        ("Chest pain - N, SOB - N, bleeding - N, minor graze",
         "no chest pain, no short of breath, no bleeding, minor graze"),
        ("LOC? No. Small cut to the head", "no loss of consciousness. small cut"),
        ("ct: chest pain? c: no", "ct: not chest pain"),
        ("Chest pain? denies. SOB? denies.", "no chest pain. no short of breath."),
        ("Weapon: no. Stab wounds: none seen.", "no weapon. no stab wounds."),
        ("Any difficulty breathing - no. Any bleeding - no.",
         "no any difficulty breathing. no any bleeding."),
        ("Serious bleeding? no - small cut to hand", "no serious bleeding - small cut"),
    ],
)
def test_a_finding_asked_as_a_key_and_denied_is_written_as_a_denial(
    text: str, written: str
) -> None:
    """"Serious bleeding: No." denies the bleeding; before the twenty-fourth session it raised
    ``severe_bleeding``. The key is written as a denial the negation scopes read."""
    out = normalise(text)
    assert written in out, out
    assert normalise(out) == out


@pytest.mark.parametrize(
    "text",
    [
        "conscious: no loc, breathing: no problems",  # a "no" that goes on is not an answer
        "CT: is he breathing? C: no problems",
        "breathing: no difficulty",
        "conscious? n/k",  # not known
        "Conscious: Yes. Breathing: Yes.",
        "responding to voice: no",  # a good state denied is a finding: left as written
        "talking: no, eyes shut",
        "is he bleeding? no",  # a verb question: the negation scopes read it
        "conscious no loc, breathing no problems",  # after a bare space, "no" must end it
        "breathing none seen on the monitor trace",
        "he was responding no more than a grunt",
        "Key Qs: chest pain no, breathing no, bleeding no. Fell in garden",  # a list denied
    ],
)
def test_keys_that_are_not_denials_of_a_finding_are_left_alone(text: str) -> None:
    out = normalise(text)
    assert not out.startswith("no ") and ". no " not in out and ", no " not in out, out
    for finding in ("not breathing", "not responding", "no pulse"):
        assert finding not in out, out


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("only 4-5 breaths, pinpoint pupils", "only 4 to 5 breaths, pinpoint pupils"),
        ("took 20-30 tablets", "took 20 to 30 tablets"),
        ("dob 12-05-2026", "dob 12-05-2026"),  # a date is not a range
        ("swelling of lips/tongue", "swelling of lips / tongue"),
        ("c/o pain, n/k", "complaining of pain, n/k"),  # short abbreviations stay whole
        ("spots dnt fade", "spots do not fade"),
        ("officers gave her bottled water", "officers gave her bottle of water"),
        ("zapped by 415v, 11kv cable", "zapped by 415 v, 11 kv cable"),
    ],
)
def test_ranges_slashes_text_speak_and_volts_are_written_as_words(text: str, written: str) -> None:
    """A review of 2026-12-05 found each unread: a range of breaths, two words joined by a
    slash, "dnt", volts glued to their number; and "bottled water" read as "hit with a bottle"
    since the first build."""
    out = normalise(text)
    assert out == written, out
    assert "hit with a bottle" not in out
    assert normalise(out) == out


def test_a_speaker_label_after_a_question_is_not_a_key() -> None:
    """"is he awake? the caller: nope" is a speaker and an answer, not a key "the caller"
    denied; the verb question's own rewrite still reads the answer."""
    out = normalise("CT: is he awake? the caller: nope, we can't wake him")
    assert "no the caller" not in out and "nope, not responding" in out, out


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Baby 6 weeks, CT: temp? C: 36.9, feeding well", "ct: temp 36.9,"),
        ("CT: whats his temp? C: 39.8, 4 weeks old", "temp 39.8,"),
        ("sats? 84 struggling to breathe", "oxygen saturation 84"),
        ("gcs? 9", "gcs 9"),
        ("bp? 70/40 confused", "bp 70/40"),
        ("bm? 2.1 and drowsy", "blood glucose 2.1"),
        ("resp rate? 40", "respiratory rate 40"),
        ("bm? LO on meter", "blood glucose lo on meter"),
        ("gcs? E1V1M4", "gcs 6"),
        ("infant 2/12. temp? C: 38.0", "infant 2 months old. temp 38.0"),
        ("Age: 7 wks. Temp: 38.4 on ear thermometer", "age: 7 weeks old. temp 38.4"),
        ("Speech: slurred. Weapon: knife. Pupils: unequal",
         "speech slurred. weapon knife. pupils unequal"),
        ("Parkinson's 74M, 25F and 45 M", "74 male, 25 female and 45 male"),
        ("fell 5M from scaffold; FELL 6M OFF A ROOF", "fell 5 metres from scaffold"),
    ],
)
def test_a_measurement_asked_and_answered_is_written_as_a_reading(
    text: str, written: str
) -> None:
    """A phrase never runs across a "?", so "temp? c: 39.8" was read by no rule, and the bare
    word "temp" then read as a fever (a well baby's "temp? 36.9" raised a flag)."""
    out = normalise(text)
    assert written in out, out
    assert normalise(out) == out


@pytest.mark.parametrize(
    "text",
    ["he was gobbing off at the officers", "known epileptic, status epilepticus last year"],
)
def test_the_twenty_eighth_sessions_everyday_table_words_draw_no_slip(text: str) -> None:
    """The twenty-eighth session's concepts read everyday words ("bobbing", "stays"); as
    correction targets they took "gobbing" and "status" in training narratives, so their
    concepts are known-only (``KNOWN_ONLY_CONCEPTS``) and the model's text is unchanged."""
    from triage.rules.tables import tables, target_words
    from triage.text.spelling import known_words

    assert normalise(text) == text
    assert {"bobbing", "stays"} <= known_words()
    assert not {"bobbing", "stays"} & target_words(tables())
