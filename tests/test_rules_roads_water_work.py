"""Roads, water, weather, heights and workplaces, and CAD's cut-off words (forty-fifth session).

A blind writer (a helper who had read only the spec) wrote 300 probes in the words of roads
policing, BTP, marine units, site managers and call handlers: collisions, people pulled from
water, cold and heat, shocks, falls, crush and entrapment, smoke, and their look-alikes. Read
once on the forty-fourth session's rules: 172 of 200 emergencies flagged, 199 deployed by the
product (docs/CLINICAL_SAFETY.md, H2 control 38). Each emergency below raised no flag on those
rules. The look-alikes are the project's own (tests/fixtures/harmless_probes.jsonl) that the
first draft of these tables flagged ("went over on her ankle", "pinned between two officers",
"slurry", "her voice is going from singing"), and a review's (a helper who ran 397 emergencies
and 306 look-alikes before and after) that the second draft flagged ("in up to his neck in
debt", "he went into arrest without a fight", "released on uncon bail"); the review's
emergencies that the second draft's plus split had hidden ("rtc+not trapped driver
unconscious") are held too. The last tests hold the normaliser's reading of words joined by a
slash or a plus, and "no resp" before CPR. Every narrative here is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import flags

from triage.text.normalise import normalise


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # trapped, buried, pinned, run over
        ("major_trauma", "guy's foot is stuck under the digger bucket, fire's on the way"),
        ("major_trauma", "fork truck's gone over on one of the lads in the yard, he's under it"),
        ("major_trauma", "pedestrian pinned between a reversing bus and the wall at the bus depot"),
        (
            "major_trauma",
            "man engulfed in grain at Brook Farm silo, in up to his chest, cant get out",
        ),
        ("major_trauma", "one of the lads is stuck in the trench on Mill Row, its fallen in on him "
                         "up to his chest, the others are digging him out"),
        ("major_trauma", "level crossing Hollin Xing car v train, car pushed approx 100m down the "
                         "line, driver still in the car"),
        ("major_trauma", "m/bike v car head on at 60 on the A689"),
        # shock after an injury told in lay words
        (
            "injury_with_shock",
            "girl off her horse on the lane, says she's fine, bit pale and cold now",
        ),
        ("injury_with_shock", "pedestrian clipped by a wing mirror on the bypass, said he was "
                              "fine at first, now pale, sweating and feels faint"),
        ("injury_with_shock", "driver a bit pale and clammy, says she's just a bit faint, seatbelt "
                              "mark across her tummy"),
        # bleeding that goes on
        ("severe_bleeding", "bit of a bleed from his leg after he came off the bike, puddle's "
                            "getting bigger"),
        ("severe_bleeding", "driver 80s, RTC airbag went off, nosebleed wont stop 40 mins now, on "
                            "apixaban, bleeding through every tissue"),
        # a blow to the head
        ("head_injury", "pensioner slipped on the ice outside the Post Office, head hit the "
                        "pavement, takes apixaban"),
        ("head_injury", "scaffold pole dropped onto workers head from 2 lifts up, hard hat "
                        "cracked, out for a few seconds"),
        # penetrating
        (
            "penetrating_injury",
            "spear gun went off on Porthallow beach, spear in the divers shoulder",
        ),
        ("penetrating_injury", "abattoir worker, the captive bolt gun went off into his thigh"),
        ("penetrating_injury", "RTC B6120, fence post came through the windscreen and into the "
                               "drivers chest"),
        # burns, steam and lime
        ("corrosive_or_face_burn", "caravan fire Sandy Bay park, man burnt to arms chest and neck, "
                                   "skin hanging off, shaking"),
        ("airway_burns", "steam pipe burst in the laundry at the Royal Hotel, steam in a workers "
                         "face, lips swelling, voice going"),
        ("corrosive_or_face_burn", "labourer got a face full of quicklime from a torn bag in the "
                                   "wind, eyes stinging a bit"),
        # cold, shocks, breathing and a stroke told down
        ("hypothermia", "nan was out in the garden all night, bit chilly, not quite herself"),
        ("not_breathing", "digger bucket hit an underground cable at Park Lane roadworks, "
                              "banksman holding the hose got a shock, gone a funny colour, "
                              "breathing all wrong"),
        ("not_breathing", "fella that came off the ladder is breathing a bit odd now, big gaps "
                          "between breaths"),
        ("stroke", "old boy bumped the kerb in his car, face a bit lopsided, bit slurry"),
        # CAD's cut-off words and an arrest's rhythm
        ("unconscious", "male unresp on floor of bus shelter"),
        ("unconscious", "found unconsc in drivers seat engine running"),
        ("unconscious", "BTP trespasser touched the 3rd rail nr Wick Jn, burns to both hands, "
                        "unresp, current now off"),
        ("unconscious", "unresp+apnoeic"),
        ("not_breathing", "male on the hard shoulder has gone apnoeic"),
        ("not_breathing", "pt in asystole per first responder"),
        ("not_breathing", "no resp bystander doing chest compresions"),
        ("not_breathing", "male collapsed in gym no resp cpr trained staff on it"),
        # the review's emergencies: a plus beside a negation stays whole, as before
        ("unconscious", "rtc+not trapped driver unconscious"),
        ("head_injury", "hi+loc, repeated vomiting"),
        ("not_breathing", "wont wake/dib/blue lips"),
        ("major_trauma", "tractor has rolled onto him in the field, cant get him out"),
        ("penetrating_injury", "metal bar came through the side window and into her neck"),
        # a second review's: a negation after a plus that starts a finding, a phrase that
        # frees a plus, a slash or an ampersand before it
        ("not_breathing", "collapsed+not breathing"),
        ("not_breathing", "unresp+no pulse"),
        ("unconscious", "collapsed+non responsive"),
        ("unconscious", "o/d+unresp"),
        ("major_trauma", "rtc 70+mph head on"),
        ("stroke", "fast+ve facial droop, arm weak"),
        ("death_not_certain", "occupant query dead in the car, windows steamed up"),
        ("death_not_certain", "driver is possibly dead, not moving in the wreckage"),
    ],
)
def test_a_road_water_or_workplace_emergency_raises_its_flag(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    ("flag", "narrative"),
    [
        # one narrative for each phrase and clause of the change, so that deleting any of them
        # fails a test (the probes above often match two phrases of a concept at once)
        ("not_breathing", "fell from the scaffold, long gaps in his breathing now"),
        ("head_injury", "a beam came down on his head, knocked out briefly"),
        ("major_trauma", "the quad bike has gone over on him in the field"),
        ("major_trauma", "van and lorry head on at the bridge"),
        ("major_trauma", "farmer fell in the silo, up to his neck in the grain"),
        ("major_trauma", "the trench has caved in on him"),
        ("major_trauma", "worker buried to his chest in soil, mates digging"),
        ("corrosive_or_face_burn", "scalded by the boiler, burns to legs chest, blistering"),
        ("corrosive_or_face_burn", "burnt in the caravan fire, skin hanging off his arm"),
        ("severe_bleeding", "nosebleed wont stop, on apixaban"),
        ("severe_bleeding", "on apixaban, bleeding through every tissue"),
        ("severe_bleeding", "cut on his leg bleeding, the puddle is getting bigger"),
        ("electrical_injury", "electrician got a shock off the cable, breathing all wrong"),
    ],
)
def test_each_reading_of_the_change_raises_its_flag_on_its_own(flag: str, narrative: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        # the first draft's look-alikes (tests/fixtures/harmless_probes.jsonl)
        "woman 45 went over on her ankle stepping off the kerb, swollen, can just about put "
        "weight on it, no other injury, did not hit her head.",
        "pinned between two officers during the arrest, no injury, no complaints",
        "finger trapped between the gate and the post, small cut, moving it fine",
        "car wedged between a van and a wall in the multi storey, unoccupied, no injuries",
        "slurry spilled on the farm road, car slid into the hedge, driver out walking about, no "
        "injuries, no pain",
        "her voice is going from singing at the festival, campfire smoke, otherwise fine",
        # the words of this change in other senses
        "his phone is possibly dead so he cannot ring back, walked home, no injury",
        "the car battery is maybe dead, driver stranded on the hard shoulder, well",
        "sleep study showed he is apnoeic, cpap at home, DP in custody asking for it",
        "no resp problems, worker with a cut thumb, first aider on site",
        "no resp symptoms today cpr instructor with sore shoulder",
        "stuck up to his chest of drawers in boxes moving house, no injury",
        # the review's look-alikes of the first tables (a helper, 306 look-alikes)
        "in up to his neck in debt, stressed, not sleeping, wants to talk to someone",
        "in up to his chest in the swimming pool, walked out fine, a bit cold",
        "everything has caved in on them since the redundancy, want advice about debts",
        "engulfed in mud at the festival, shoes lost, dry now and fine",
        "football stuck under the car, kids asking police to get it",
        "gone over on one ankle at netball, ice on it, fine otherwise",
        "head on collision with his boss at the meeting, says he wants a new job",
        "debating taking the bus vs the train home, lost and anxious, no injuries",
        "he went into arrest without a fight, wrist sore from cuffs",
        "she's in pea green, wearing it for the wedding, anxious, no symptoms",
        "his breathing a bit odd from a cold, blocked nose, talking in full sentences",
        "gaps between breaths when asleep with known sleep apnoea, uses CPAP, awake and fine now",
        "he's now apnoeic at night says his wife, sleep clinic referral, awake and well",
        "no resp illness booked on cpr refresher, twisted ankle",
        "released on uncon bail, asking for his inhaler, speaking fine",
        "unconc about it, he shrugged, no injuries",
        "bolt in the back of the door is broken, she is locked in the bathroom, fine",
        "came through the tunnel and into the side road, driver fine, asking directions",
        "spear gun went off into the sand on the beach, nobody hurt",
        "burns to his arms and neck from sunbathing, mild redness, no blisters",
        "bag of quicklime in the barn, none on him, he has hay fever, itchy eyes",
        "his tomato plants, they are probably dead after the frost, he's fine",
        "the battery is query dead, car wont start, driver fine",
        "her smile looks a bit wonky after botox yesterday, no weakness",
        "seatbelt sign was on, she felt travel sick and pale, now fine after landing",
        # the second review's: a denied list across a slash or a plus, a CPR not needed
        "fell and hit head, not on warfarin/apixaban, alert and talking",
        "not drowsy/unresponsive, chatting",
        "denies cp+sob, walked in, wants a sick note",
        "DP M/45 IDDM. Nil confusion/drowsiness at any point, BM 6.9, eating",
        "no resp distress needs no cpr, small cut to hand",
        "no resp cpr course attendee fainted, came round at once, fine",
    ],
)
def test_a_look_alike_of_this_change_raises_nothing(narrative: str) -> None:
    assert flags(narrative) == set()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        # a word split off a slash is replaced in the same pass (it was only on a second)
        ("no resp/cardiac problems", "no respiratory / cardiac problems"),
        ("c/o cp/sob", "complaining of chest pain or short of breath"),
        # words joined by a plus are a list; "+ve" stays whole
        ("unresp+apnoeic", "unresponsive + apnoeic"),
        ("etoh+drugs", "alcohol + drugs"),
        ("FAST+ve facial droop", "fast positive facial droop"),
        ("male unresp.", "male unresponsive."),
        # split before the readings that write a new word beside it (the review's idempotence
        # faults: "32/40+bleeding" became "32 weeks pregnant+bleeding" on the first pass)
        ("32/40+bleeding heavily, pale", "32 weeks pregnant + bleeding heavily, pale"),
        ("hr 30/min+unresp", "heart rate 30 per minute + unresponsive"),
        # beside a negation, or one letter long, a plus stays whole
        ("rtc+not trapped", "rtc+not trapped"),
        ("c+b", "conscious and breathing"),
        # a number keeps its plus; a phrase or a table reading that frees one is split the
        # same pass (the second review: these changed on a second pass)
        ("70+mph", "70+ mph"),
        ("collapsed+non responsive", "collapsed + unresponsive"),
        ("taken to a and e+unresp", "taken to emergency department + unresponsive"),
    ],
)
def test_words_joined_by_a_slash_or_a_plus_are_written_in_one_pass(text: str, written: str) -> None:
    assert normalise(text) == written
    assert normalise(written) == written


def test_a_slash_ends_a_denied_verb_and_not_a_denied_list() -> None:
    # "will not wake / ... / blue lips": the blue lips are told; "nil ... / drowsiness" and
    # "not on warfarin / apixaban" deny every item of their list
    assert "not_breathing" in flags("wont wake/dib/blue lips")
    assert flags("nil confusion/drowsiness, BM 3.4, talking normally") == set()
    assert flags("head bumped on the car door, not on warfarin/apixaban, fine") == set()


def test_no_resp_before_cpr_a_few_words_on_is_no_breathing() -> None:
    assert normalise("no resp bystander doing cpr") == "no breathing bystander doing cpr"
    # a history or a course between them keeps "respiratory"
    assert normalise("no resp problems cpr trained") == "no respiratory problems cpr trained"
