"""The clinical scenarios behind the synthetic history, as data.

Each :class:`Variant` is one latent clinical picture: how it is described (``core`` phrasings),
the structured facts it implies, where and to whom it happens, when in the week it tends to
happen, and the clinical-review odds of each disposition. :class:`Option` groups (``mods``) add
details that move those odds (a head injury, anticoagulants, whether the patient is back on
their feet, a negated red flag). Every detail that moves the odds is written into the
narrative, so that the odds are a function of what a reader can see: that is what makes the
generator's probabilities an oracle a text model can approach.

The content follows shared/spec/requests.md: every red flag in the spec appears in several
wordings and abbreviations, and most appear negated somewhere else ("no LOC", "breathing
normally", "denies chest pain", "not on blood thinners").
"""

from __future__ import annotations

from triage.history.synth_catalogue_lay import LAY_VARIANTS
from triage.history.synth_catalogue_minor import MINOR_VARIANTS
from triage.history.synth_scenario import (  # noqa: F401 (the catalogue's public names)
    ANYWHERE,
    ANYWHERE_OR_CUSTODY,
    BREATHING_OK,
    CB,
    CUSTODY,
    ETOH,
    FALL_HEAD,
    FALL_MOBILITY,
    HOME,
    HOME_MOSTLY,
    NO_CP,
    NO_HEAD_INJURY,
    NO_LOC,
    RED_FLAG_PROBS,
    STREET_NIGHT,
    Option,
    Probs,
    Variant,
)

# fmt: off
CORE_VARIANTS: tuple[Variant, ...] = (
    # ---------------------------------------------------------------- breathing / collapse
    Variant("not_breathing", 1.3, (
        "no signs of breathing",
        "breathing agonal, not responding",
        "not breathing, lips blue",
        "not breathing", "NB", "NB, officers doing CPR", "not breathing, CPR in progress",
        "gasping, agonal breathing", "turning blue, not breathing properly",
        "collapsed and not breathing", "found NB on floor", "not breathing, officers started CPR",
        "resp arrest", "stopped breathing"),
        RED_FLAG_PROBS, {"collapse": 0.5, "breathing_problem": 0.25, "concern_for_welfare": 0.25},
        ANYWHERE, red_flag="not_breathing",
        facts={"conscious": "no", "breathing": "not_breathing"}, officer=0.7, ages=(20, 90)),
    Variant("breathing_severe", 1.0, (
        "struggling to breathe, cant complete sentences", "SOB, lips going blue",
        "severe asthma attack, inhaler not working, can only say a few words",
        "very SOB, cant talk in full sentences", "wheezy and blue around the lips",
        "fighting for breath", "breathing very noisy and laboured"),
        RED_FLAG_PROBS, {"breathing_problem": 0.85, "other": 0.15}, ANYWHERE,
        red_flag="not_breathing", facts={"breathing": "difficulty", "conscious": "yes"},
        ages=(5, 90)),
    Variant("breathing_mild", 1.2, (
        "wheezy, used inhaler twice, says feeling better, talking normally",
        "bit breathless with a cold, talking in full sentences",
        "asthmatic, bit wheezy, inhaler helping, talking in full sentences",
        "SOB on walking, ok at rest", "chesty cough for a week, a bit SOB",
        "mild asthma, used blue inhaler, now better", "feels a bit short of breath, talking fine"),
        (0.55, 0.2, 0.25), {"breathing_problem": 0.9, "other": 0.1}, HOME_MOSTLY,
        facts={"breathing": "difficulty", "conscious": "yes"}, ages=(10, 90), age_matters=True,
        mods=(NO_CP,)),
    Variant("inhaler_custody", 0.4, (
        "DP requesting asthma pump, breathing normally, no wheeze heard",
        "PIC says needs inhaler later, no SOB at present",
        "PIC asthmatic and wants inhaler which is at home, no wheeze",
        "DP wants inhaler, breathing fine at the moment",
        "prisoner asthmatic, no inhaler in custody, talking normally, no SOB"),
        (0.08, 0.912, 0.008), {"person_in_custody": 1.0}, CUSTODY,
        facts={"breathing": "normal", "conscious": "yes"}, officer=1.0, core_has_location=True),
    Variant("unresponsive", 1.8, (
        "unrousable",
        "not responding to pain",
        "GCS {gcs_low}, snoring resps",
        "wont wake up, floppy",
        "unresponsive", "unconscious on floor", "GCS {gcs_low}", "not rousable",
        "no response to voice or pain", "out cold, snoring breaths", "unconcious, wont wake",
        "found unresponsive", "slumped and unresponsive, breathing", "collapsed, GCS {gcs_low}"),
        RED_FLAG_PROBS, {"collapse": 0.55, "concern_for_welfare": 0.2, "intoxication": 0.25},
        ANYWHERE, red_flag="unconscious", facts={"conscious": "no"}, officer=0.6,
        ages=(16, 90), timing="night"),
    Variant("faint_recovered", 1.8, (
        "fainted in the queue, came round straight away, now sat up talking",
        "felt dizzy and sat down, now fine", "collapsed briefly in the heat, now c/b and "
        "chatting", "passed out for a few secs, back to normal now",
        "felt faint, sat on floor, now alert and talking", "lightheaded, sitting in shade "
        "drinking water, chatting"),
        (0.55, 0.2, 0.25), {"collapse": 0.8, "other": 0.2},
        {"public_place": 0.5, "street": 0.25, "other": 0.15, "licensed_premises": 0.1},
        facts={"conscious": "yes"}, ages=(16, 90), age_matters=True, mods=(NO_CP, BREATHING_OK)),
    Variant("collapse_confused", 1.3, (
        "found collapsed, now awake but confused, doesnt know where {he} is",
        "collapsed at bus stop, c/b, not answering questions properly",
        "collapsed in street, c/b, confused", "found on floor, not making much sense",
        "collapsed, now confused and pale", "found sitting on floor, muddled, c/b"),
        (0.08, 0.17, 0.75), {"collapse": 0.7, "concern_for_welfare": 0.3}, ANYWHERE,
        facts={"conscious": "yes"}, ages=(30, 95)),
    # ---------------------------------------------------------------- chest pain
    Variant("cardiac_chest_pain", 2.0, (
        "central CP, nausea, sweaty, GTN not helping",
        "CP radiating to back and jaw, clammy",
        "chest tightness and grey, hx angina, spray not working",
        "central chest pain radiating to left arm, sweaty", "crushing CP, grey and clammy",
        "CP going into jaw and left arm, feels sick", "tight chest pain for 30 mins, hx MI, "
        "sweating", "chest pain down {his} arm, clammy and pale", "heavy central CP, SOB, looks "
        "grey", "c/o chest pain like an elephant sitting on chest, sweating"),
        RED_FLAG_PROBS, {"chest_pain": 0.9, "collapse": 0.1}, ANYWHERE,
        red_flag="cardiac_chest_pain", facts={"conscious": "yes"}, ages=(38, 92)),
    Variant("chest_pain_atypical", 1.3, (
        "pain in chest when moving arm after lifting boxes",
        "chest ache on and off for days, not sweaty, no SOB at rest",
        "says chest feels sore after coughing a lot",
        "sharp pain in chest when breathing in, had a cough for a week",
        "chest hurts when pressed on", "pain in chest after coughing, doesnt go anywhere "
        "else, not sweaty", "twinge in chest on and off, otherwise well"),
        (0.45, 0.15, 0.40), {"chest_pain": 1.0}, ANYWHERE, facts={"conscious": "yes"},
        ages=(18, 90), age_matters=True, mods=(BREATHING_OK,)),
    Variant("panic_no_cp", 1.8, (
        "breathing fast after argument, tingly fingers, no CP, calming with officers",
        "panicking, says heart racing, no chest pain, settling now",
        "anxious, tingling in hands, denies chest pain", "panic attack, breathing fast but "
        "settling, denies CP", "feels panicky, hx of anxiety, no chest pain",
        "hyperventilating after argument, calming down, no CP", "anxiety attack, says has "
        "them often, no chest pain, talking"),
        (0.79, 0.20, 0.01), {"mental_health": 0.4, "breathing_problem": 0.4, "other": 0.2},
        ANYWHERE, facts={"conscious": "yes"}, ages=(16, 60)),
    # ---------------------------------------------------------------- stroke
    Variant("stroke", 1.0, (
        "weakness down one side, speech slurred",
        "cant raise right arm, mouth drooping",
        "?stroke, face droop left side",
        "FAST positive", "FAST +ve", "facial droop and slurred speech", "right arm weak and "
        "face dropped", "sudden onset slurred speech, cant lift left arm",
        "suddenly couldnt get words out, right hand clumsy", "face drooping on one side"),
        RED_FLAG_PROBS, {"collapse": 0.3, "other": 0.5, "concern_for_welfare": 0.2},
        ANYWHERE, red_flag="stroke", facts={"conscious": "yes"}, ages=(45, 95)),
    Variant("dizzy_fast_negative", 1.0, (
        "dizzy spell, now better, face symmetrical, speech normal, moving all limbs",
        "felt wobbly, no weakness, talking clearly, FAST neg",
        "dizzy, FAST negative, speech normal", "feels lightheaded, no facial droop, moving all "
        "limbs, talking normally", "bit wobbly, FAST neg, no weakness",
        "felt dizzy getting up, no slurred speech, face normal"),
        (0.5, 0.2, 0.3), {"other": 0.6, "collapse": 0.4}, ANYWHERE,
        facts={"conscious": "yes"}, ages=(30, 95), age_matters=True),
    # ---------------------------------------------------------------- seizures
    Variant("seizure_red", 1.2, (
        "has had 3 fits in a row",
        "status epilepticus, fitting {mins_long} mins",
        "not stopped fitting, lips blue",
        "fitting for {mins_long} mins", "still fitting", "2nd fit in the last hour",
        "first ever fit, no hx of epilepsy", "been jerking for over {mins_long} mins",
        "repeated seizures, not coming round between them", "seizure ongoing for {mins_long} "
        "mins", "had a fit, never had one before"),
        RED_FLAG_PROBS, {"seizure": 1.0}, ANYWHERE, red_flag="seizure",
        facts={"conscious": "no"}, ages=(1, 80)),
    Variant("seizure_known", 1.2, (
        "epileptic, had one of {his} usual fits, lasted a min, now back to normal",
        "known epilepsy, short fit, recovered, GCS 15, family says usual pattern",
        "known epileptic, had usual fit lasting about a min, now recovered, talking",
        "hx epilepsy, short seizure, back to normal", "epileptic, fit lasted under a minute, "
        "now fully alert, says its {his} normal pattern", "known to have fits, had one, now "
        "recovered, GCS 15"),
        (0.62, 0.18, 0.20), {"seizure": 1.0},
        {"private_dwelling": 0.4, "public_place": 0.25, "custody_suite": 0.2, "street": 0.15},
        facts={"conscious": "yes"}, ages=(12, 75),
        by_location={"custody_suite": (0.08, 0.80, 0.12), "private_dwelling": (0.75, 0.15, 0.10),
                     "public_place": (0.50, 0.30, 0.20), "street": (0.48, 0.30, 0.22)}),
    # ---------------------------------------------------------------- overdose
    Variant("overdose_major", 1.4, (
        "swallowed a bottle of methadone",
        "took {tabs_big} tablets of mixed meds",
        "OD, took {tabs_big} propranolol",
        "taken {tabs_big} paracetamol", "swallowed {tabs_big} co-codamol", "OD on a whole box "
        "of amitriptyline", "took {tabs_big} sertraline with vodka", "large OD of heroin, drowsy",
        "OD {tabs_big} x paracetamol approx {hours} hrs ago", "says {he} took all {his} tablets, "
        "{tabs_big} in total"),
        RED_FLAG_PROBS, {"overdose": 0.7, "self_harm": 0.2, "mental_health": 0.1}, ANYWHERE,
        red_flag="significant_overdose", ages=(14, 80), timing="night"),
    Variant("overdose_minor", 1.0, (
        "took 2 extra of {his} tablets by mistake, no symptoms",
        "child got into {his} vitamins, had 2, pharmacy says low risk",
        "took ibuprofen and paracetamol together, asking if ok, feels fine",
        "took {tabs_small} extra paracetamol by mistake, feels fine",
        "took {his} tablets twice this morning, feels well", "double dose of BP tablets by "
        "mistake, no symptoms", "accidentally took amlodipine twice, feels ok"),
        (0.91, 0.082, 0.008), {"overdose": 0.6, "other": 0.4}, HOME,
        facts={"conscious": "yes"}, officer=0.2, ages=(20, 90)),
    Variant("overdose_unknown", 1.0, (
        "taken some tablets, not sure what, sleepy but answering",
        "?OD, empty blister packs found, drowsy but talking",
        "says took some pills, wont say what or how many, c/b, talking",
        "took unknown quantity of diazepam, drowsy but rousable",
        "taken an unknown amount of street valium, sleepy", "possible OD, packets found, "
        "says only took a couple"),
        (0.12, 0.28, 0.60), {"overdose": 0.8, "mental_health": 0.2}, ANYWHERE,
        ages=(16, 70), timing="night"),
    # ---------------------------------------------------------------- assault
    Variant("penetrating", 1.9, (
        "puncture wound to chest from broken bottle",
        "gunshot wound",
        "stabbed in the neck",
        "stab wound to thigh, bleeding",
        "stabbed in the chest", "stab wound to abdo", "knife wound to leg", "shot",
        "GSW to leg", "stabbed in the back with a screwdriver", "been stabbed, bleeding from side",
        "stab wound to arm, bleeding", "knifed in the stomach", "shot with an air rifle in the "
        "chest"),
        RED_FLAG_PROBS, {"assault": 0.9, "injury_other": 0.1}, STREET_NIGHT,
        red_flag="penetrating_injury", ages=(15, 60), male=0.85, timing="night"),
    Variant("assault_loc", 1.0, (
        "punched and knocked out for a couple of mins", "kicked in the head, was KO'd",
        "hit with a bottle, lost consciousness", "head injury, LOC approx {mins_short} mins "
        "after being kicked", "knocked out after punch, now c/b"),
        RED_FLAG_PROBS, {"assault": 1.0}, STREET_NIGHT, red_flag="head_injury",
        ages=(16, 65), male=0.8, timing="night"),
    Variant("strangulation_red", 0.6, (
        "strangled by partner, passed out", "hands round {his} neck, lost consciousness briefly",
        "strangled, voice now hoarse", "grabbed by throat, now voice changed and hurts to "
        "swallow", "choked until {he} blacked out"),
        RED_FLAG_PROBS, {"assault": 1.0}, HOME, red_flag="strangulation",
        ages=(16, 70), male=0.15, officer=0.85),
    Variant("strangulation_minor", 0.4, (
        "partner grabbed {him} by the throat earlier, no LOC, no voice change, slight redness",
        "squeezed round neck briefly, talking fine, no difficulty swallowing",
        "grabbed by the throat, no LOC, voice normal, red marks on neck",
        "partner put hands round {his} neck, didnt pass out, talking normally",
        "pushed against wall by throat, no voice change, no LOC"),
        (0.15, 0.45, 0.40), {"assault": 1.0}, HOME, facts={"conscious": "yes"},
        ages=(16, 70), male=0.15, officer=1.0),
    Variant("severe_bleed", 0.6, (
        "bleeding profusely from head wound, cant stop it",
        "catastrophic bleed from leg",
        "large cut to head, bleeding heavily", "glassed in face, lot of blood, not stopping",
        "bleeding heavily from arm, soaked through towels", "arterial bleed from leg",
        "blood pumping from wound"),
        RED_FLAG_PROBS, {"assault": 0.6, "injury_other": 0.4}, STREET_NIGHT,
        red_flag="severe_bleeding", facts={"bleeding": "severe"}, timing="night", ages=(16, 70)),
    Variant("assault_minor", 3.0, (
        "slapped, red mark on face, no other injuries",
        "pushed over, grazed hands, got straight up",
        "punched in face, cut lip", "black eye, walking and talking",
        "bruising to arm, wants injuries documented", "small cut above eye, bleeding controlled",
        "scratched by partner, minor marks", "glassed, small cut to hand, bleeding stopped",
        "kicked in the leg, bruised, walking fine", "punched, swollen cheek, teeth intact"),
        (0.615, 0.37, 0.015), {"assault": 1.0}, STREET_NIGHT,
        facts={"bleeding": "minor", "conscious": "yes"}, ages=(16, 70), male=0.7,
        timing="night", mods=(NO_LOC, ETOH)),
    Variant("assault_head_vomit", 0.8, (
        "punched to back of head, been sick 3 times since",
        "hit over head with a bottle, not KO'd, vomiting and drowsy",
        "hit head on kerb when punched, vomited twice", "head injury after assault, now "
        "vomiting and drowsy", "kicked in head, not KO'd but been sick"),
        (0.05, 0.2, 0.75), {"assault": 1.0}, STREET_NIGHT, ages=(16, 65), male=0.8,
        timing="night", mods=(ETOH,)),
    # ---------------------------------------------------------------- falls
    Variant("fall_older", 5.0, (
        "fallen at home", "had a fall in the kitchen", "slipped in the bathroom",
        "fallen in the street", "tripped on the kerb", "found on the floor by carer",
        "fell going up the stairs", "fallen out of bed"),
        (0.50, 0.24, 0.26), {"fall": 0.9, "concern_for_welfare": 0.1},
        {"private_dwelling": 0.75, "street": 0.15, "public_place": 0.1},
        ages=(60, 99), age_matters=True, timing="day", mods=(FALL_HEAD, FALL_MOBILITY),
        male=0.4),
    Variant("fall_younger", 1.8, (
        "fell off scooter",
        "slipped in the rain",
        "tripped over kerb",
        "fell off a wall approx 3ft",
        "fell off bike", "slipped on ice", "fell over drunk, grazed knees", "tripped on "
        "pavement", "fell down a couple of steps"),
        (0.58, 0.28, 0.14), {"fall": 0.8, "injury_other": 0.2}, ANYWHERE,
        ages=(16, 59), mods=(FALL_HEAD,), age_matters=True),
    Variant("fall_from_height", 0.6, (
        "fell through roof approx {feet} ft onto concrete",
        "fall from ladder approx {feet} ft, not moving legs",
        "fell from {floor} floor balcony", "fall from height approx {feet} ft",
        "fell off a roof", "fell from scaffolding", "jumped from bridge approx {feet} ft"),
        RED_FLAG_PROBS, {"fall": 0.8, "self_harm": 0.2}, {"street": 0.5, "other": 0.5},
        red_flag="major_trauma"),
    Variant("deformity", 1.0, (
        "wrist obviously deformed", "leg at a funny angle", "arm looks bent, in a lot of pain",
        "ankle deformed, cant weight bear", "shoulder looks out of place, in agony"),
        (0.05, 0.12, 0.83), {"fall": 0.6, "injury_other": 0.4}, ANYWHERE, ages=(8, 90),
        facts={"conscious": "yes"}, mods=(NO_HEAD_INJURY,)),
    # ---------------------------------------------------------------- road
    Variant("rtc_major", 1.0, (
        "car into wall at speed, driver still in car",
        "HGV v car, car crushed, occupant trapped",
        "trapped in vehicle", "car v tree at approx {speed} mph", "pedestrian hit by car at "
        "speed", "vehicle rolled onto roof, driver still inside", "motorcyclist thrown from "
        "bike at speed", "ejected from car", "RTC, car v lorry, driver trapped"),
        RED_FLAG_PROBS, {"road_traffic_collision": 1.0}, {"road": 1.0}, red_flag="major_trauma",
        ages=(17, 85), core_has_location=True),
    Variant("rtc_minor", 1.5, (
        "low speed shunt, sore neck, walking around", "minor RTC, both drivers out of cars",
        "car reversed into {him} slowly, bruised leg, walking fine", "RTC at junction, airbags "
        "not deployed, driver sore shoulder from seatbelt", "cyclist clipped by wing mirror, "
        "grazed elbow"),
        (0.595, 0.39, 0.015), {"road_traffic_collision": 1.0}, {"road": 0.8, "street": 0.2},
        ages=(17, 85), mods=(CB, NO_LOC)),
    # ---------------------------------------------------------------- self harm / MH
    Variant("dsh_severe", 0.6, (
        "DSH, deep cut to wrist, bleeding heavily, pale",
        "cut wrists, bleeding heavily, wont stop", "DSH deep lacerations to arm, blood pumping",
        "cut {his} arm, soaked through towels", "slashed arm, heavy bleeding"),
        RED_FLAG_PROBS, {"self_harm": 1.0}, HOME_MOSTLY, red_flag="severe_bleeding",
        facts={"bleeding": "severe"}, ages=(14, 60)),
    Variant("hanging", 0.3, (
        "found with ligature round neck, officers cut it, now drowsy, voice hoarse",
        "found hanging, cut down by officers, unresponsive", "attempted hanging, ligature "
        "round neck, now drowsy and voice hoarse", "ligature removed, passed out before"),
        RED_FLAG_PROBS, {"self_harm": 1.0}, HOME_MOSTLY, red_flag="strangulation",
        ages=(14, 70), officer=0.9),
    Variant("dsh_superficial", 1.0, (
        "scratched arms with a pen lid, superficial, no bleeding now",
        "self inflicted cuts to thigh, shallow, dressed",
        "DSH, few superficial cuts, MH team aware, no other injuries",
        "superficial cuts to forearm, bleeding stopped", "DSH scratches to wrists, bleeding "
        "controlled", "cut {his} arm with a razor, small cuts, may need steri strips",
        "self harmed, few superficial cuts to legs, dressed by officers"),
        (0.34, 0.58, 0.08), {"self_harm": 0.8, "mental_health": 0.2}, HOME_MOSTLY,
        facts={"bleeding": "minor", "conscious": "yes"}, ages=(13, 60), male=0.35),
    Variant("mh_crisis", 2.4, (
        "lonely, rang police, no medical issues, asking for someone to talk to",
        "known to MH team, feeling low, no plans to harm self",
        "MH pt ran out of meds, calm, no risk to self",
        "MH crisis, tearful, no thoughts of harming self, known to crisis team",
        "anxious and low, wants to talk to someone, no self harm", "hearing voices, calm, "
        "takes meds, no injuries", "recently bereaved, cant stop crying, no thoughts of "
        "self harm", "low mood, says not going to do anything silly, wants help"),
        (0.81, 0.18, 0.01), {"mental_health": 1.0}, HOME_MOSTLY, facts={"conscious": "yes"},
        ages=(16, 80)),
    Variant("mh_threats", 0.8, (
        "texted friend saying goodbye, found by officers, no injuries, not taken anything",
        "on bridge talking about jumping, officers talking with IP, no injuries",
        "threatening suicide, has a knife but no injuries, officers negotiating",
        "says wants to end it all, no injuries, not taken anything", "threatening to jump "
        "from bridge, talking with officers, no injuries", "suicidal thoughts, has a plan, "
        "no DSH so far"),
        (0.32, 0.46, 0.22), {"mental_health": 0.8, "self_harm": 0.2},
        {"street": 0.4, "private_dwelling": 0.4, "public_place": 0.2}, ages=(16, 75)),
    Variant("s136_well", 0.85, (
        "s136, detained on bridge, calm now, no injuries, no drink or drugs",
        "s136, talking to officers, medically well, no injuries",
        "s136 at place of safety, settled, no ETOH, no injuries",
        "detained under s136, calm, no injuries, no ETOH or drugs", "s136, settled, minor "
        "scratch, no drink or drugs", "s136 for place of safety, medically well", "s136, small "
        "bruise to shin from climbing fence, otherwise well"),
        (0.06, 0.932, 0.008), {"s136_detention": 1.0},
        {"public_place": 0.4, "street": 0.3, "custody_suite": 0.3}, officer=1.0,
        facts={"conscious": "yes", "bleeding": "none"}, ages=(16, 75)),
    Variant("s136_abd", 0.4, (
        "s136, restrained, very hot and sweaty, breathing fast, took cocaine",
        "s136 after bizarre behaviour in street, fighting officers, hot to touch",
        "s136, very agitated, hot and sweating, fighting restraint, took cocaine",
        "s136, extremely agitated, hot to touch, superhuman strength, restrained by 4 officers",
        "s136, shouting, sweating profusely, has taken MDMA, struggling"),
        (0.02, 0.08, 0.90), {"s136_detention": 1.0}, {"street": 0.6, "public_place": 0.4},
        officer=1.0, ages=(18, 50), male=0.85, timing="night"),
    # ---------------------------------------------------------------- intoxication
    Variant("intox_walking", 3.3, (
        "ETOH, bit unsteady, friends with {him}, no injuries",
        "drunk and lost, walking ok, wants to get home",
        "drunk, walking and talking", "ETOH, steady on feet, no injuries",
        "very drunk, been sick, now sitting up chatting", "intoxicated, abusive, walking fine",
        "had too much to drink, can walk with help of friends", "ETOH, laughing and joking, "
        "vomited once"),
        (0.637, 0.355, 0.008), {"intoxication": 1.0}, STREET_NIGHT, facts={"conscious": "yes"},
        ages=(17, 65), timing="night", mods=(CB, NO_HEAD_INJURY)),
    Variant("intox_drowsy", 1.6, (
        "very drunk and sleepy, wakes to voice",
        "drowsy after vodka, rousable, snoring at times",
        "drowsy after drink, rousable to voice", "ETOH, very sleepy but wakes when spoken to",
        "drowsy, been drinking all day, responds to voice", "drunk and drowsy, opens eyes to "
        "voice"),
        (0.2, 0.4, 0.4), {"intoxication": 1.0},
        {"custody_suite": 0.3, "licensed_premises": 0.3, "street": 0.25, "private_dwelling": 0.15},
        facts={"conscious": "yes"}, ages=(18, 65), timing="night", officer=0.85,
        by_location={"custody_suite": (0.02, 0.26, 0.72), "licensed_premises": (0.30, 0.62, 0.08),
                     "street": (0.15, 0.45, 0.40), "private_dwelling": (0.50, 0.40, 0.10)}),
    Variant("intox_head", 1.2, (
        "drunk, fell down stairs, hit head, now drowsy",
        "ETOH, head wound after fall, confused and vomiting",
        "drunk, fell and hit head, vomited twice", "ETOH, head injury, drowsy",
        "intoxicated, bang to head, being sick"),
        (0.05, 0.25, 0.70), {"intoxication": 0.6, "fall": 0.4}, STREET_NIGHT,
        ages=(18, 70), timing="night"),
    # ---------------------------------------------------------------- custody
    Variant("pic_advice", 1.2, (
        "PIC withdrawing from alcohol, mild shakes, no fits",
        "DP complaining of back pain from arrest, walking fine",
        "PIC has epilepsy, meds at home, no fit today",
        "DP refusing food, otherwise well, obs normal",
        "DP diabetic, BM {bm_ok}, has eaten",
        "PIC asking if fit to detain, minor graze to knee", "DP c/o toothache, wants "
        "painkillers", "prisoner c/o headache, obs fine", "PIC feels sick, no drugs, last ate "
        "yesterday", "DP needs insulin, BM {bm_ok}, well", "PIC requesting methadone, "
        "otherwise well", "PIC minor cut to hand from cuffs, bleeding stopped"),
        (0.05, 0.942, 0.008), {"person_in_custody": 1.0}, CUSTODY, officer=1.0,
        facts={"conscious": "yes"}, core_has_location=True, mods=(BREATHING_OK,)),
    Variant("pic_headbang", 0.3, (
        "DP been punching cell wall and banging head, now sleepy and been sick",
        "PIC self harming by hitting head on door, now confused and vomiting",
        "PIC banging head on cell wall, now drowsy and vomiting", "prisoner headbutting cell "
        "wall repeatedly, now v drowsy, one pupil bigger"),
        (0.02, 0.08, 0.90), {"person_in_custody": 1.0}, CUSTODY, officer=1.0,
        core_has_location=True),
    Variant("hypo_red", 0.6, (
        "type 1 diabetic, confused and aggressive, BM {bm_low}",
        "sugar low, not making sense, sweating",
        "diabetic, BM {bm_low}, confused", "known diabetic, sugars low, drowsy and not making "
        "sense", "hypo, BM {bm_low}, sweaty and confused", "diabetic, blood sugar {bm_low}, "
        "very drowsy"),
        RED_FLAG_PROBS, {"collapse": 0.5, "other": 0.5},
        {"custody_suite": 0.4, "private_dwelling": 0.4, "public_place": 0.2},
        red_flag="hypoglycaemia"),
    Variant("hypo_treated", 0.4, (
        "diabetic, had a hypo at work, given lucozade, BM now {bm_ok}, back to normal",
        "felt shaky, known diabetic, ate some biscuits, BM {bm_ok} now, chatting normally",
        "diabetic, felt shaky, BM was 3.5 now {bm_ok} after sugary drink and sandwich, fully "
        "alert", "had a hypo, sorted with glucose, now {bm_ok}, eating"),
        (0.75, 0.20, 0.05), {"other": 1.0}, ANYWHERE,
        facts={"conscious": "yes"}),
    # ---------------------------------------------------------------- welfare / death
    Variant("welfare_well", 1.1, (
        "welfare check, IP fine, says phone was off",
        "found safe and well, had been asleep, no medical concerns",
        "elderly neighbour not seen for {days} days, found well, had been visiting family",
        "welfare check for vulnerable adult, found safe, eating and drinking",
        "welfare check, lives alone, found safe and well", "welfare check, found OK, just "
        "not answering phone", "hasnt been seen for {days} days, found at home well",
        "found wandering in nightclothes, confused, known dementia, no injuries",
        "separated from carers, calm, no injuries, carers on way"),
        (0.49, 0.50, 0.01), {"concern_for_welfare": 1.0}, HOME_MOSTLY, officer=0.95,
        facts={"conscious": "yes"}, ages=(18, 97), timing="day"),
    Variant("welfare_unwell", 1.0, (
        "found in chair, not eaten for days, very weak, bit muddled",
        "welfare check, lives alone, not coping, very weak and dehydrated, house cold",
        "welfare check, found in bed, not eaten for days, weak", "found at home, weak and "
        "dehydrated, house very cold", "welfare check, very frail, cant get out of chair"),
        (0.08, 0.3, 0.62), {"concern_for_welfare": 1.0}, HOME, officer=0.95,
        ages=(60, 99), timing="day", age_matters=True),
    Variant("hypothermia", 0.35, (
        "rough sleeper very cold, confused, shivering",
        "found in snow, very cold, not making sense",
        "found outside, very cold and confused", "found in garden overnight, cold and "
        "mumbling", "very cold, barely responding, frost on ground", "hypothermic, confused"),
        RED_FLAG_PROBS, {"concern_for_welfare": 1.0}, {"street": 0.5, "public_place": 0.5},
        red_flag="hypothermia", ages=(40, 95)),
    Variant("obvious_death", 0.7, (
        "obvious signs of death, decomposition", "deceased some time, rigor mortis and "
        "lividity", "body found, decomposed", "skeletal remains", "injuries incompatible "
        "with life", "been dead some days, smell, decomposition"),
        (0.01, 0.985, 0.005), {"sudden_death": 1.0}, HOME_MOSTLY, officer=1.0,
        officer_matters=False, ages=(30, 95), facts={"conscious": "no",
                                                     "breathing": "not_breathing"}),
    Variant("death_uncertain", 0.6, (
        "appears dead but body warm, no rigor, no obvious injuries",
        "unsure if alive, not responding, not cold",
        "no signs of life, still warm", "believed deceased but still warm, no obvious "
        "signs of death", "found not moving, not breathing, warm to touch", "officer thinks "
        "deceased but not sure, no rigor"),
        RED_FLAG_PROBS, {"sudden_death": 0.8, "concern_for_welfare": 0.2}, HOME_MOSTLY,
        red_flag="death_not_certain", officer=0.85, ages=(30, 95),
        facts={"conscious": "no", "breathing": "not_breathing"}),
    # ---------------------------------------------------------------- other medical
    Variant("anaphylaxis", 0.5, (
        "swollen tongue, cant swallow, wheezing after bee sting",
        "anaphylactic reaction, epipen given, still wheezy",
        "lips and tongue swelling after eating nuts", "anaphylaxis, used epipen, still "
        "struggling", "allergic reaction, throat feels tight, wheezy", "face swollen, noisy "
        "breathing, known allergy"),
        RED_FLAG_PROBS, {"breathing_problem": 0.5, "other": 0.5}, ANYWHERE,
        red_flag="anaphylaxis", ages=(3, 70)),
    Variant("allergy_mild", 0.5, (
        "few hives on arms after new medication, no swelling, breathing fine, talking normally",
        "itchy eyes and sneezing, hayfever, no lip swelling",
        "itchy rash after new washing powder, no lip or tongue swelling, breathing fine",
        "hives after eating prawns, no swelling of throat, breathing ok"),
        (0.87, 0.122, 0.008), {"other": 1.0}, ANYWHERE, facts={"breathing": "normal"}),
    Variant("meningitis_sepsis", 0.4, (
        "non-blanching rash", "rash doesnt fade under glass, feverish", "hot, confused, "
        "mottled skin", "neck stiffness, dislikes light, rash", "non blanching rash, floppy"),
        RED_FLAG_PROBS, {"other": 1.0}, HOME_MOSTLY, red_flag="sepsis_meningitis",
        ages=(0, 90)),
    Variant("rash_blanching", 0.5, (
        "toddler with rash that fades under a glass, eating and drinking, temp",
        "rash on body, blanches, otherwise well, playing",
        "rash, blanches under glass, otherwise well", "child with temp, rash blanches, "
        "playing", "temp and cough, eating and drinking, rash fades with glass test"),
        (0.82, 0.13, 0.05), {"other": 1.0}, HOME, ages=(0, 40), officer=0.25),
    Variant("worst_headache", 0.4, (
        "sudden severe headache, worst ever, now vomiting",
        "collapsed with worst headache ever, came on in seconds",
        "worst headache of {his} life, came on suddenly", "thunderclap headache, vomiting",
        "sudden severe headache like being hit on back of head", "worst ever headache, came "
        "on all at once"),
        RED_FLAG_PROBS, {"other": 1.0}, ANYWHERE_OR_CUSTODY,
        red_flag="thunderclap_headache", ages=(18, 80)),
    Variant("headache_benign", 0.7, (
        "tension headache after long shift, no vomiting, not sudden",
        "headache with cold, taken paracetamol, no rash, no neck stiffness",
        "headache for {days} days, came on gradually, taken paracetamol",
        "usual migraine, has had them for years, took {his} tablets", "mild headache, not the "
        "worst ever, no vomiting"),
        (0.84, 0.152, 0.008), {"other": 1.0}, ANYWHERE, officer=0.3),
    Variant("labour_complicated", 0.3, (
        "waters broken, baby crowning, {wks_early} wks",
        "heavily pregnant, lot of blood loss",
        "{wks_early} wks pregnant, bleeding heavily", "in labour, cord visible",
        "pregnant, contractions every 2 mins, baby coming, breech", "{wks_early} wks pregnant,"
        " contractions and feels like pushing"),
        RED_FLAG_PROBS, {"other": 1.0}, {**HOME_MOSTLY, "custody_suite": 0.1},
        red_flag="labour_complications", ages=(17, 42), male=0.0),
    Variant("pregnancy_ok", 0.3, (
        "{wks_term} wks pregnant, backache, no bleeding, baby moving normally",
        "pregnant, mild tummy pains on and off, no bleeding, waters intact",
        "{wks_term} wks pregnant, mild tightenings, waters not broken, no bleeding",
        "pregnant, {wks_term} wks, few tightenings, midwife aware, no bleeding"),
        (0.55, 0.25, 0.20), {"other": 1.0}, HOME_MOSTLY, ages=(17, 42), male=0.0),
    Variant("airway_burns", 0.3, (
        "rescued from house fire, sooty face, hoarse, coughing black",
        "burns round mouth and nose after fire, struggling with voice",
        "house fire, burns to face, singed nasal hair, hoarse", "smoke inhalation, soot "
        "round mouth, coughing", "burns to face and neck from fire, voice hoarse"),
        RED_FLAG_PROBS, {"injury_other": 0.6, "breathing_problem": 0.4}, HOME_MOSTLY,
        red_flag="airway_burns"),
    Variant("minor_burn", 0.5, (
        "splashed with hot tea, red patch on arm, no blisters",
        "burnt finger on iron, small area, cooled under tap",
        "sunburn, feels sore, drinking water",
        "burnt hand on cooker, small blister, running under cold water",
        "small burn to finger from kettle"),
        (0.89, 0.102, 0.008), {"injury_other": 1.0}, HOME, officer=0.3),
    Variant("co_poisoning", 0.2, (
        "couple at address both drowsy with headaches, boiler making funny noise, CO alarm "
        "going off",
        "CO alarm sounding, occupants dizzy and vomiting, windows now open",
        "whole family with headaches and vomiting, old boiler", "several people at house "
        "feeling sick and drowsy, gas fire on"),
        (0.03, 0.05, 0.92), {"other": 1.0}, HOME),
    Variant("electric_shock", 0.15, (
        "shock from exposed wires at work, thrown across room, now confused",
        "electrocuted by faulty socket, burns to hand, chest feels funny",
        "electric shock from cable, burns to hands, drifting in and out",
        "shock off substation, burns both hands"),
        (0.02, 0.05, 0.93), {"injury_other": 1.0}, {"other": 1.0}),
    Variant("abdo_severe", 1.0, (
        "severe pain in side, vomiting, cant get comfortable, sweating",
        "abdo pain 10/10, rigid tummy, pale",
        "vomiting blood, abdo pain, dizzy on standing",
        "severe abdo pain, vomiting, pale and sweaty", "stomach pain, doubled over, been "
        "sick, cant keep anything down"),
        (0.1, 0.1, 0.8), {"other": 1.0}, ANYWHERE, ages=(16, 90)),
    # ---------------------------------------------------------------- minor / advice
    Variant("minor_injury", 2.6, (
        "jammed finger in door, bruised, can move it",
        "grazed knee falling off scooter, cleaned up",
        "cut hand on glass, small cut, plaster on",
        "toothache and swollen gum, eating ok",
        "cut finger, bleeding stopped", "twisted ankle, walking on it", "small cut on leg "
        "from a nail, not sure of tetanus", "stubbed toe, bit swollen", "twisted knee playing "
        "football, limping but walking", "skin tear on arm, dressing on, bleeding stopped"),
        (0.81, 0.182, 0.008), {"injury_other": 0.9, "other": 0.1}, ANYWHERE,
        facts={"bleeding": "minor", "conscious": "yes"}, mods=(NO_HEAD_INJURY,)),
    Variant("med_query", 1.2, (
        "asking if ok to take ibuprofen with {his} meds",
        "pharmacy shut, needs inhaler refill, no SOB",
        "forgot to take {his} tablets yesterday, feels fine",
        "ran out of meds, wants advice", "missed dose of antidepressant, asking what to do",
        "asking about dose of paracetamol", "lost {his} prescription, asking about repeat"),
        (0.946, 0.05, 0.004), {"other": 1.0}, HOME, officer=0.25, ages=(18, 90)),
    Variant("minor_illness", 1.9, (
        "toothache for {days} days, wants advice",
        "feels generally unwell, temp, eating and drinking",
        "constipated for {days} days, no vomiting",
        "D&V for {days} days, keeping fluids down", "earache and temp, otherwise well",
        "cough for a week, wants advice", "chronic back pain, run out of painkillers",
        "sore throat, eating and drinking", "mild tummy ache since lunch, eating ok"),
        (0.91, 0.082, 0.008), {"other": 1.0}, HOME_MOSTLY, officer=0.3, ages=(1, 90),
        mods=(NO_CP,)),
    # ---------------------------------------------------------------- advice to officers
    Variant("ca_take_to_ae", 0.7, (
        "officers asking if they should take IP to A&E themselves, cut to hand needs stitches, "
        "bleeding controlled", "lac to scalp approx 3cm, bleeding stopped, officers can convey "
        "to ED", "possible broken finger, officers happy to take to A&E",
        "?fractured wrist, can move fingers, officers can convey", "dog bite to hand, small "
        "puncture marks, bleeding stopped, officers asking re A&E"),
        (0.12, 0.87, 0.01), {"injury_other": 0.7, "assault": 0.3}, ANYWHERE, officer=1.0,
        officer_matters=False, facts={"conscious": "yes", "bleeding": "minor"}),
    Variant("ca_responsible_adult", 0.6, (
        "drunk, wife coming to collect, walking and talking",
        "lost and confused, known dementia, son on way to collect, no injuries",
        "intoxicated 16yo, mum coming to pick up, no injuries, c/b",
        "drunk teen, parents on way, walking and talking, no injuries",
        "vulnerable adult, confused, carer coming to collect, no injuries",
        "ETOH, c/b, can walk, sister will look after {him} overnight",
        "drunk, mates willing to take {him} home, no injuries"),
        (0.18, 0.81, 0.01), {"intoxication": 0.6, "concern_for_welfare": 0.4}, STREET_NIGHT,
        officer=1.0, officer_matters=False, timing="night", facts={"conscious": "yes"},
        ages=(14, 80)),
    Variant("ca_officer_injured", 0.25, (
        "PC punched during arrest, swollen cheek, no LOC, wants advice",
        "officer scratched by detainee, small cuts, cleaned",
        "PC cut hand on glass during arrest, bleeding controlled",
        "officer bitten by DP, skin broken, wants advice", "PC twisted ankle chasing suspect, "
        "walking on it"),
        (0.25, 0.74, 0.01), {"injury_other": 1.0}, {"street": 0.6, "custody_suite": 0.4},
        officer=1.0, officer_matters=False, ages=(21, 55), facts={"conscious": "yes"}),
    Variant("ca_pava", 0.35, (
        "PAVA sprayed at close range, eyes sore, breathing ok, after care given",
        "CS gas in face, coughing a bit, now settling, eyes rinsed",
        "sprayed with PAVA during arrest, eyes sore, washed out", "CS spray to face, eyes "
        "streaming, been flushed with water", "PAVA used, DP says eyes sting, seeing ok"),
        (0.12, 0.87, 0.01), {"person_in_custody": 0.6, "other": 0.4},
        {"street": 0.5, "custody_suite": 0.5}, officer=1.0, officer_matters=False,
        ages=(16, 60), male=0.85, timing="night", facts={"conscious": "yes"}),
    Variant("ca_taser", 0.25, (
        "taser deployed, barbs in chest wall, c/b, no other injuries",
        "tasered, fell to ground, barbs removed?, talking normally",
        "tasered during arrest, barbs in back, c/b", "taser discharged, 2 barbs in leg, talking "
        "normally", "taser used, DP alert, barbs still in, no other injuries"),
        (0.04, 0.86, 0.10), {"person_in_custody": 0.5, "other": 0.5},
        {"street": 0.6, "custody_suite": 0.4}, officer=1.0, officer_matters=False,
        ages=(18, 55), male=0.9, timing="night", facts={"conscious": "yes"}),
)
# fmt: on

#: Every scenario: the control-room catalogue above, the lay, slang and regional one, and the
#: minor illness and injury (and mid-acuity in everyday words) one.
VARIANTS: tuple[Variant, ...] = CORE_VARIANTS + LAY_VARIANTS + MINOR_VARIANTS
