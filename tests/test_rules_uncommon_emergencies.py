"""Uncommon time-critical presentations told in lay words (twenty-sixth session, 2026-12-05):
poisons that are dangerous in one tablet or over days, metabolic emergencies, vascular and
surgical pain, the spinal cord and a blocked shunt, collapse on exertion, bites and chainsaws.

Two blind reviews (helpers who had not read the tables; 200 probes, then 180 by a second writer)
read 91 of 130 and 54 of 100 emergencies flagged before any tuning on them; these rows come
from their misses and their look-alikes.
docs/CLINICAL_SAFETY.md, H2 control 18, says what each reading is and why. Every narrative here
is SYNTHETIC.
"""

from __future__ import annotations

import pytest
from rules_support import assert_reads_concept, flags


@pytest.mark.parametrize(
    ("concept", "wording"),
    [
        ("back_pain_any", "done his back in"),
        ("back_pain_any", "her back has gone again"),
        ("legs_weak_both", "his legs are going weak"),
        ("saddle_numbness", "cannot feel the loo roll when she wipes"),
        ("white_cold_limb", "leg suddenly gone cold and white"),
        ("insulin_missed_or_high", "stopped her insulin"),
        ("insulin_missed_or_high", "the tube came out"),
        ("insulin_missed_or_high", "the ketone meter says 4.5"),
        ("dka_sign", "weeing loads"),
        ("insulin_overdose", "injected the whole of her insulin pen"),
        ("voice_change", "his voice sounds odd"),
        ("pain_down_there", "keeps holding his privates"),
        ("toxic_to_a_child", "gliclazide"),
        ("back_pain_sudden", "sudden severe lower back pain"),
        ("limb_pain_extreme", "pain way worse than when he broke it"),
        ("limb_pain_extreme", "painkillers not touching it"),
        ("long_lie", "lain on the floor for 2 days"),
        ("irreducible_hernia", "lump in his groin has gone hard"),
        ("blade_weapon", "a chainsaw"),
        ("abnormal_breathing", "cannot count to 10 without stopping"),
        ("major_mechanism", "trampled by a bull"),
        ("water_excess", "drinking bottle after bottle of water"),
        ("water_excess", "drinks from the taps"),
        ("vp_shunt", "a shunt in his head"),
        ("sulfonylurea", "on gliclazide"),
        ("af_word", "an irregular heartbeat"),
        ("during_exertion", "collapsed mid run"),
        ("not_back_to_normal", "still not with it"),
        ("dog_bite", "bitten by the dog"),
        ("dog_bite", "bitten by family staffy on the face"),
        ("eating_disorder", "anorexia"),
        ("numb_below", "numb from the waist down"),
        ("passenger_word", "the passenger"),
        ("extra_doses", "two or three every couple of hours"),
        ("bladder_unnoticed", "keeps leaking wee and doesnt even know"),
        ("bladder_unnoticed", "bladder feels full but nothing comes"),
        ("saddle_numbness", "like sitting on nothing"),
        ("saddle_numbness", "numb round back passage"),
        ("leg_weakening", "cant lift his left leg off the bed"),
        ("pump_failure", "pump been alarming occlusion"),
        ("pump_failure", "sugar 28"),
        ("neck_hit", "kicked back into mans neck"),
        ("object_embedded", "a piece stuck in his forehead"),
        ("injecting_user", "IV user"),
        ("groin_pain", "pain in lower tummy and groin"),
        ("ingested", "bit into grandmas nifedipine capsule"),
        ("ingested", "drank some of dads codeine linctus"),
        ("no_recovery_between", "had another before she woke up from the first"),
    ],
)
def test_each_phrase_of_the_uncommon_emergencies_reads_its_concept(
    concept: str, wording: str
) -> None:
    assert_reads_concept(concept, wording)


@pytest.mark.parametrize(
    ("narrative", "flag"),
    [
        ("builder done his back in a week ago, now both legs tingling and hes wet himself",
         "cauda_equina"),
        ("her back has gone again, and she cant feel the loo roll when she wipes",
         "cauda_equina"),
        ("known IV drug user, bad back pain and fevers for days, tonight legs are going weak",
         "cauda_equina"),
        ("has breast cancer, a band of pain round her chest and now numb from the waist down",
         "cauda_equina"),
        ("tummy bug 2 weeks ago, legs weaker every day, struggling for breath and can't count to "
         "10 without stopping", "not_breathing"),
        ("Boy 7 with a shunt in his head, headache and being sick since this morning",
         "confusion_with_headache_and_vomiting"),
        ("TOOK PILLS, DRINKING BOTTLE AFTER BOTTLE OF WATER, NOW CONFUSED AND JUST HAD A FIT",
         "confusion_with_headache_and_vomiting"),
        ("diabetic stopped her insulin as not eating, now tummy pains and being sick",
         "diabetic_ketoacidosis"),
        ("teen with insulin pump, the tube came out in the night, vomiting, ketones 4.5",
         "diabetic_ketoacidosis"),
        ("TYPE 1 DIABETIC HAS INJECTED THE WHOLE OF HER INSULIN PEN ON PURPOSE",
         "significant_overdose"),
        ("grandson ate one, maybe two, of her gliclazide, running about normally",
         "significant_overdose"),
        ("toddler found chewing on nans bisoprolol blister pack, one tablet gone",
         "significant_overdose"),
        ("taking paracetamol for toothache, two or three every couple of hours, now being sick "
         "with pain under her right ribs", "significant_overdose"),
        ("Dad 83 on gliclazide, sweaty and confused on the bathroom floor", "hypoglycaemia"),
        ("81 with an irregular heartbeat, sudden terrible tummy pain, screaming with it",
         "abdominal_pain_with_collapse"),
        ("MALE 72 SUDDEN SEVERE LOWER BACK PAIN, NOW PALE AND SWEATY AND NEARLY PASSED OUT",
         "abdominal_pain_with_collapse"),
        ("Old boy 80, leg suddenly gone cold and white and really painful", "threatened_limb"),
        ("cast put on his leg yesterday, pain way worse than when he broke it", "threatened_limb"),
        ("heroin user lay on his arm all night, arm rock hard and swollen, wee like coke",
         "threatened_limb"),
        ("Boy 12 tummy ache and vomiting, keeps holding his privates", "testicular_torsion"),
        ("Baby boy 6 weeks, lump in his groin has gone hard and red, won't feed",
         "bowel_obstruction"),
        ("stung by a wasp, lips feel funny and his voice sounds odd", "anaphylaxis"),
        ("Teen fell off a skateboard, knocked out for a few seconds, now being sick and sleepy",
         "head_injury"),
        ("Farmer trampled by a bull in the yard, ribs hurt", "major_trauma"),
        ("lad 19 collapsed mid run at parkrun, came round within seconds", "dangerous_heart_rate"),
        ("18yo with anorexia, fainting, heart racing", "dangerous_heart_rate"),
        ("Epileptic girl had a fit an hour and a half ago, still not with it, just staring",
         "seizure"),
        ("5yo bitten by family staffy on the face and neck, bleeding", "penetrating_injury"),
        ("Chainsaw kicked back into his face and neck, holding a towel to his neck",
         "penetrating_injury"),
        ("Male 45 known bad back, can't feel himself when he wipes, hasn't had a wee since "
         "this morning", "cauda_equina"),
        ("partner says he keeps leaking wee and doesnt even know, back pain since the gym, pins "
         "and needles both legs", "cauda_equina"),
        ("PT HAS PROSTATE CA. NEW BAND OF PAIN ROUND CHEST AND BACK, LEGS HEAVY AND WOBBLY",
         "cauda_equina"),
        ("back op 10 days ago, now high temp, and his right leg is going weak", "cauda_equina"),
        ("Pump user, pump been alarming 'occlusion' since last night, now vomiting",
         "diabetic_ketoacidosis"),
        ("known type 1, not seen for 2 days, breathing heavily, very drowsy",
         "diabetic_ketoacidosis"),
        ("little one sucked on one of grandads oxycodone", "significant_overdose"),
        ("2 YR OLD BIT INTO GRANDMAS NIFEDIPINE CAPSULE", "significant_overdose"),
        ("STUDENT TOOK MDMA, DRINKING PINTS OF WATER, NOW CONFUSED AND BEING SICK",
         "confusion_with_headache_and_vomiting"),
        ("ankle in plaster after op, foot now blue and cold, pain severe", "threatened_limb"),
        ("Teen boy sudden pain in lower tummy and groin on one side, vomiting",
         "testicular_torsion"),
        ("man collapsed on treadmill at gym, came round quickly", "dangerous_heart_rate"),
        ("had a fit, then had another before she woke up from the first", "seizure"),
        ("angle grinder kicked back into mans neck, bleeding", "penetrating_injury"),
        ("angle grinder disc shattered, piece stuck in his forehead", "penetrating_injury"),
        ("DOG ATTACKED TODDLER, BITE MARKS ON NECK, CRYING", "penetrating_injury"),
    ],
)
def test_uncommon_emergencies_raise_their_flag(narrative: str, flag: str) -> None:
    assert flag in flags(narrative)


@pytest.mark.parametrize(
    "narrative",
    [
        "Train guard: female passenger 20s had a panic attack, breathing fast, tingling hands, "
        "now calmer, chatting, wants to carry on her journey",
        "Rugby player knocked out during a match last Saturday, still has a headache, not "
        "drowsy, not being sick",
        "Paraplegic since 2010, numb from the waist down as always, back is sore from his chair",
        "known MS, numb from the waist down for years, back aches, no change today",
        "Type 2 diabetic, sugar 7.2 this morning, asking about a missed GP appointment",
        "Postman nipped by a dog on the ankle through his trousers, skin barely broken",
        "Runner finished the parkrun, knee sore, walking fine",
        "back pain, wet himself when he was drunk last night",
        "No gas coming from the cooker, the meter is off, he has been sick with a stomach bug",
        "Woman with pre-diabetes worried she's thirsty in the hot weather, drinking a lot, feels "
        "well",
    ],
)
def test_uncommon_emergency_look_alikes_raise_no_flag(narrative: str) -> None:
    assert flags(narrative) == set()
