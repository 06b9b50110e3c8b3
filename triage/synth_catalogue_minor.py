"""Minor illness and injury, and mid-acuity pictures, in everyday words (SYNTHETIC scenarios only).

A model trained on :mod:`triage.synth_catalogue` and :mod:`triage.synth_catalogue_lay` over-triages
minor complaints whose words it never saw (a toddler's sticky eye, heartburn, cystitis, an old
mole, a child with a fever and a blanching rash who is playing, a stranded diabetic with a normal
BM asking about food): unfamiliar words land on a small deploy probability that crosses a deploy
threshold set low for safety. Conversely a few mid-acuity pictures told in everyday words (an older
man on the floor all night who is "talking normally", a blocked catheter with a tight painful
tummy, coffee-ground vomit on anti-inflammatories, a collarbone tenting the skin after a bike fall)
land on hear_and_treat. These :class:`~triage.synth_scenario.Variant` s widen the history with
both, written from clinical knowledge of what reaches a police control room, never from the
vignette suites.

Three kinds, with the dispositions of :mod:`triage.synth_catalogue_lay`:

1. ``hear_and_treat`` minor illness, minor injury and self-care across body systems (eyes, ENT,
   teeth, skin, gut, waterworks, muscles and joints, minor illness, medicines, the worried well,
   a known condition that is managed, a minor injury to an officer), about (0.80, 0.15, 0.05);
   negated red flags sit in the narrative where a clinician would ask ("no temp", "not floppy",
   "lips and tongue fine", "no chest pain when walking", "no blood in it");
2. ``clinical_advice`` for the officer on scene or in custody (needlestick and blood or spit
   exposure, fitness to detain or interview, medication in custody, a settled mental-health crisis
   with the CPN aware, an older person cold but well waiting for keys, a hoarder without heating,
   a minor head injury hours ago without risk factors), about (0.15, 0.80, 0.05);
3. ``deploy`` without a red flag (a long lie, urinary retention, a gut bleed, skin tented over a
   broken bone, a broken hip, a child with a fever who is lethargic and not drinking, a dislocated
   shoulder, spreading cellulitis with fever, new confusion with a water infection in an older
   person, a racing heart that will not settle), deploy about 0.75 to 0.85, ``red_flag`` None:
   none of them is a red flag of shared/spec/requests.md, and none of their wordings fires a
   rule (checked against :func:`triage.rules.detect_red_flags`).

Every detail that moves the odds is written into the narrative, in the core phrasing or in an
:class:`~triage.synth_scenario.Option` whose wording carries it.
"""

from __future__ import annotations

from dataclasses import replace

from triage.synth_scenario import (
    ANYWHERE,
    ANYWHERE_OR_CUSTODY,
    CA,
    CA_SURE,
    CUSTODY,
    DEPLOY,
    DEPLOY_MOST,
    HOME,
    HOME_MOSTLY,
    HT,
    HT_SURE,
    ILL,
    NO_HEAD_INJURY,
    OUT_AND_ABOUT,
    SKIN,
    Option,
    Probs,
    Variant,
)

#: A minor injury to an officer on scene: self-care advice to the officer, sometimes via the desk.
HT_OFFICER: Probs = (0.70, 0.27, 0.03)

_MSK = {"injury_other": 0.7, "other": 0.2, "fall": 0.1}

#: A child's temperature said or denied, with how the child is in themselves.
CHILD_WELL = (
    Option((), 0.45),
    Option(("no temp, not floppy", "no temperature, alert", "not hot, running about",
            "no fever, feeding and drinking"), 0.35, (0.1, 0.0, -0.2)),
    Option(("bit of a temp, had calpol, perked up", "temp 38.1, came down with calpol, playing",
            "warm, calpol given, now giggling"), 0.2, (-0.05, 0.0, 0.15)),
)
#: Waterworks: the upper-tract features a clinician asks about, denied or present.
NO_LOIN_PAIN = (
    Option((), 0.5),
    Option(("no temp, no back pain", "no fever or pain in the side", "not shivery, no loin pain",
            "no temperature, back fine"), 0.4, (0.1, 0.0, -0.2)),
    Option(("bit shivery, aching in {his} side", "temp 38 and pain in the back on one side"),
            0.1, (-0.6, 0.1, 1.1)),
)
#: A gut complaint: blood in it denied, or seen.
NO_BLOOD = (
    Option((), 0.55),
    Option(("no blood in it", "no blood seen", "nothing black or bloody", "no blood in sick or "
            "poo"), 0.45, (0.1, 0.0, -0.2)),
)
#: A back: the spinal red flags a clinician asks about, denied.
BACK_SAFE = (
    Option((), 0.45),
    Option(("no numbness in the saddle area, peeing normally", "no tingling down below, "
            "bladder and bowels normal", "legs not weak, no problems peeing",
            "no pins and needles between the legs, waterworks ok"), 0.55, (0.15, 0.0, -0.3)),
)
#: An older person's wellbeing said or not, for the welfare scenarios.
CHATTY = (
    Option((), 0.45),
    Option(("chatting away, knows the date", "talking normally, makes sense",
            "alert, laughing with officers"), 0.55, (0.05, 0.1, -0.1)),
)

# fmt: off
_HEAR_AND_TREAT: tuple[Variant, ...] = (
    # ---------------------------------------------------------------- everyday nuisances (2026-12-02)
    Variant("minor_hiccups", 0.05, (
        "hiccups for a couple of hours, driving {him} mad, otherwise fine",
        "cant stop hiccuping since tea, breathing fine, no pain",
        "got the hiccups for ages, tried holding breath and water",
        "hiccups on and off all day, eating and drinking ok",
        "persistent hiccups after a fizzy drink, well in {himself}",
        "hiccupping for 3 hrs, no chest pain, talking normally"),
        HT_SURE, ILL, ANYWHERE_OR_CUSTODY, officer=0.3, ages=(16, 80)),
    Variant("minor_splinter_thorn", 0.06, (
        "splinter in {his} finger, cant get it out with tweezers",
        "thorn stuck in thumb from the garden, bit red round it",
        "wood splinter under fingernail, sore, no swelling up the hand",
        "tiny bit of glass in the sole of {his} foot, walking ok",
        "splinter in palm from a fence, tried a needle, still in",
        "spelk in {his} finger, wont come out"),
        HT_SURE, SKIN, ANYWHERE_OR_CUSTODY, officer=0.3, ages=(8, 80)),
    Variant("minor_feet_skin_niggles", 0.07, (
        "athletes foot, itchy and cracked between toes, wants cream",
        "verruca on sole of foot, sore to walk on",
        "chilblains on toes, itchy and purple after the cold, warming up",
        "corn on little toe rubbing in boots",
        "heel pain first thing in the morning, eases when walking about, weeks now",
        "cracked heels, sore, no sign of infection",
        "fungal toenail, thick and yellow, asking what to use"),
        HT_SURE, SKIN, ANYWHERE_OR_CUSTODY, officer=0.3, ages=(16, 85)),
    # ---------------------------------------------------------------- eyes
    Variant("minor_sticky_eye_toddler", 0.13, (
        "toddler woke with eye stuck shut, yellow gunk, playing happily",
        "little one's eye all crusty and sticky, opening it fine after bathing",
        "toddler has sticky eye, goo in corner, eating and playing",
        "kid's eye weeping yellow stuff, nursery sent {him} home",
        "my little one's eye is all gunky, {he}'s fine in {himself}",
        "2 yr old sticky eye since yday, bathed with cooled boiled water",
        "toddler pink eye, crusty lashes, not bothered by it",
        "eye gummed up in the mornin, bairn is fine otherwise",
        "sticky eye on the wee one, no swelling round it",
        "toddlers eye all mucky n red, still playin"),
        HT_SURE, ILL, HOME, officer=0.1, ages=(1, 4), mods=(CHILD_WELL,)),
    Variant("minor_red_eye_itchy", 0.1, (
        "both eyes red and itchy, vision fine, no pain",
        "eyes bloodshot and watery, can see ok, no injury",
        "red eye, feels gritty, seeing normally",
        "eye's gone red, bit of discharge, wears contacts, took them out, vision fine",
        "c/o sore red eyes, no loss of vision, no chemical in them",
        "eyez all red n itchy, can see fine",
        "burst blood vessel in white of eye, no pain, sight normal, not on blood thinners",
        "red patch on the white of {his} eye after sneezing, vision ok"),
        HT, ILL, ANYWHERE, officer=0.25, ages=(16, 80)),
    Variant("minor_stye", 0.08, (
        "stye on bottom eyelid, sore lump, eye itself fine",
        "lump on eyelid like a spot, vision normal",
        "?stye, eyelid red and puffy at the edge, seeing fine",
        "sore spot on eyelash line, tender, no vision problems",
        "chalazion on eyelid, painless lump, been there a week",
        "got a stye innit, eyelid proper sore",
        "stye again, gets them a lot, warm compress helping"),
        HT_SURE, ILL, HOME_MOSTLY, officer=0.2, ages=(6, 75)),
    Variant("minor_eye_something_in_settled", 0.1, (
        "eyelash in eye, washed out, now comfortable, vision fine",
        "grit blew in {his} eye, rinsed with water, feels ok now",
        "got a bit of dust in eye, flushed, no longer scratchy",
        "something in the eye earlier, washed out with eye bath, seeing normally",
        "fly went in {his} eye, rinsed out, bit watery, vision normal",
        "sand in eyes at the beach, washed out, fine now",
        "summat in me eye, bathed it, its ok now",
        "poked in eye by a twig, watering, can see fine, no cut on eye seen"),
        HT, {"injury_other": 0.6, "other": 0.4}, ANYWHERE, officer=0.3, ages=(6, 80)),
    # ---------------------------------------------------------------- ENT
    Variant("minor_sore_throat_own_words", 0.11, (
        "throat feels like swallowing razor blades, drinking ok, talking normally",
        "sore throat, swallowing {his} spit fine, no trouble breathing",
        "tonsils big and white spots, eating ice cream, breathing fine",
        "throat's red raw, voice croaky, managing drinks",
        "strep throat?, sore to swallow, temp, mouth opens fine",
        "hurts to swallow, had it {days} days, can eat soup",
        "sore throat n swollen glands, can still drink",
        "proper sore throat, lost {his} voice, no difficulty breathing",
        "c/o throat pain, no drooling, eating and drinking",
        "scratchy throat, lozenges helping, otherwise well"),
        HT, ILL, HOME_MOSTLY, officer=0.2, ages=(6, 70)),
    Variant("minor_earache_child", 0.11, (
        "child pulling at ear, grizzly, calpol helping",
        "kid's ear hurting since last night, eating and drinking",
        "earache in little one, bit of discharge, playing between doses of calpol",
        "kid crying with earache, settled with paracetamol",
        "sore ear after swimming, child eating fine",
        "bairn's got sore lugs, fine once calpol kicked in",
        "ear infection in the kid again, drinking well, wet nappies",
        "toddler tugging ear, off food a bit but drinking"),
        HT, ILL, HOME, officer=0.1, ages=(1, 10), mods=(CHILD_WELL,)),
    Variant("minor_blocked_nose_sinus", 0.08, (
        "blocked nose and pressure over cheeks, ?sinusitis",
        "sinuses killing, face feels full, green snot, no swelling round eyes",
        "bunged up for a week, pain over forehead when bending",
        "nose totally blocked both sides, talking fine",
        "sinus infection, headache over eyes, had it before",
        "stuffed up nose n face aches, had a cold",
        "catarrh for weeks, asking about nasal spray"),
        HT_SURE, ILL, HOME_MOSTLY, officer=0.2, ages=(16, 75)),
    Variant("minor_nosebleed_child_stopped", 0.08, (
        "kid's nose bled after picking it, stopped with pinching",
        "child nosebleed at school, stopped within 10 mins",
        "nosebleed after being hit with a football, stopped, nose straight",
        "kid gets nosebleeds, had one, stopped now",
        "child's nose bled in the night, stopped, blood on pillow",
        "bairn's nose was bleeding, its stopped, {he}'s playing"),
        HT_SURE, {"injury_other": 0.5, "other": 0.5}, HOME_MOSTLY, officer=0.15, ages=(3, 14),
        facts={"bleeding": "minor"}),
    # ---------------------------------------------------------------- teeth and mouth
    Variant("minor_dental_filling_crown", 0.1, (
        "filling fell out eating a toffee, tooth sensitive",
        "crown come off, has it in a tissue, no pain",
        "chipped front tooth, no bleeding, no other injury",
        "denture snapped, cant eat properly",
        "tooth cracked on a nut, sharp edge cutting tongue",
        "lost a filling, hole in tooth, asking about temporary filling kit",
        "me crown's fell out, dentist shut",
        "brace wire poking cheek, mouth sore",
        "wisdom tooth coming through, gum swollen round it, mouth opens ok"),
        HT_SURE, ILL, ANYWHERE_OR_CUSTODY, officer=0.25, ages=(10, 85)),
    Variant("minor_mouth_ulcer", 0.06, (
        "mouth ulcers, sore to eat, drinking fine",
        "ulcer on tongue for a week, painful",
        "bit {his} cheek, ulcer now, eating soft foods",
        "crop of mouth ulcers, gets them when run down",
        "sore white spot inside lip, ?ulcer",
        "mouth ulcer killin {him}, using bonjela"),
        HT_SURE, ILL, HOME_MOSTLY, officer=0.15, ages=(8, 80)),
    Variant("minor_teething", 0.06, (
        "baby teething, grizzly and dribbly, feeding ok",
        "teething, red cheek, chewing everything, temp 37.4",
        "baby cutting teeth, unsettled at night, wet nappies",
        "teething baby, gum swollen, taking bottles",
        "teethin, mardy all day, feedin fine",
        "baby's first tooth coming, crying, alert and feeding"),
        HT_SURE, ILL, HOME, officer=0.05, ages=(1, 2)),
    # ---------------------------------------------------------------- skin
    Variant("minor_rash_fades_child_playing", 0.13, (
        "child with temp and a rash, rash fades when glass pressed on it, playing",
        "spotty rash on tummy, goes white when pressed, drinking and eating",
        "blotchy rash all over, disappears under a glass, running about",
        "kid's got a temp and rash, did the glass test and it fades",
        "viral rash?, blanching, child chatty and playing",
        "rash on back and chest, fades when pressed, temp 38.2, calpol given, bouncing around",
        "red dots on cheeks and body, they fade with a glass, eating crisps",
        "little one hot with a rash that goes away when u press it, still playing",
        "temp and rash, glass test done and it fades, laughing and drinking juice",
        "slapped cheek rash, red cheeks, fine in {himself}"),
        (0.78, 0.16, 0.06), ILL, HOME, officer=0.15, ages=(1, 10)),
    Variant("minor_chickenpox", 0.08, (
        "chickenpox, spots everywhere, itchy, playing",
        "child covered in chicken pox, scratching, eating ok",
        "?chickenpox, blisters crusting over, drinking well",
        "chicken pox going round nursery, now has spots, alert",
        "chickenpox spots, calamine on, bit grumpy",
        "pox spots all over {him}, itchy as owt, fine otherwise"),
        HT_SURE, ILL, HOME, officer=0.05, ages=(1, 10), mods=(CHILD_WELL,)),
    Variant("minor_hives_lips_fine", 0.11, (
        "hives all over, itchy welts, lips and tongue fine, breathing normally",
        "nettle rash after new shower gel, no swelling of face, talking fine",
        "blotchy raised rash, took antihistamine, throat fine",
        "urticaria, itchy lumps come and go, no lip swelling, no wheeze",
        "come out in hives, no idea why, mouth and tongue normal",
        "itchy bumps on arms and legs, breathing fine, not swollen anywhere on face",
        "welts on skin after eating strawberries, lips not swollen, voice normal",
        "hives, had piriton, settling, no trouble swallowing",
        "big itchy lumps all over me, tongue fine"),
        HT, SKIN, ANYWHERE, officer=0.25, ages=(3, 75)),
    Variant("minor_bites_itchy", 0.08, (
        "bites on legs, think bed bugs, itchy",
        "flea bites on ankles from the dog, itchy",
        "tick on leg, removed with tweezers, no rash round it",
        "bitten by something in the garden, red itchy lump, no fever",
        "midge bites all over arms after camping",
        "insect bites swollen and itchy, no spreading redness",
        "horsefly bite on leg, bit swollen, walking fine",
        "mozzy bites from holiday, scratching like mad"),
        HT_SURE, SKIN, ANYWHERE, officer=0.25, ages=(3, 85)),
    Variant("minor_mole_longstanding", 0.08, (
        "mole on back been there for years, partner wants it checked",
        "mole snagged on bra strap, bled a little, stopped",
        "skin tag on neck, catching on necklace",
        "mole hasnt changed but {he} is worried about it",
        "brown mark on arm for years, asking if GP needs to see it",
        "mole itchy, same size as always, feels well",
        "freckle thing on face, had it ages, wants advice",
        "lump of skin on eyelid, been there years, not painful"),
        HT_SURE, ILL, HOME, officer=0.1, ages=(20, 85)),
    Variant("minor_boil_abscess_small", 0.08, (
        "boil on bum, sore, no temp",
        "big spot under armpit, ?boil, not spreading",
        "boil on back of neck, came to a head, draining",
        "infected spot on leg, red round it, no fever",
        "painful lump in armpit, like a boil, feels well",
        "ingrown hair infected, small red lump",
        "got a boil on me leg, bursting, no temp"),
        HT, SKIN, HOME_MOSTLY, officer=0.15, ages=(14, 75)),
    Variant("minor_burn_kettle_small", 0.1, (
        "splashed with boiling water from kettle on hand, cooled under tap 20 mins, red, "
        "small blister",
        "burnt back of hand on oven shelf, size of a 50p, cooled",
        "kettle spilt on thigh through jeans, red patch, cooled with water",
        "touched hot pan, finger red and blistered, running under cold tap",
        "curling tongs burn on wrist, small, cooled",
        "scald on forearm from kettle, palm sized, cling film on",
        "burnt me hand on the iron, run it under the tap",
        "small burn to arm from hot tea, no blisters"),
        HT, {"injury_other": 1.0}, HOME, officer=0.15, ages=(6, 85),
        facts={"bleeding": "none"}),
    Variant("minor_fungal_skin", 0.06, (
        "ringworm on arm, red circle, itchy",
        "fungal nail, toenail thick and yellow",
        "jock itch, red and itchy in the groin",
        "itchy red ring on skin, caught it off the cat",
        "athlete's foot again, peeling between toes",
        "cracked itchy skin between toes, smells",
        "fungal rash under boobs, itchy, sore"),
        HT_SURE, SKIN, HOME_MOSTLY, officer=0.1, ages=(6, 85)),
    Variant("minor_shingles_everyday", 0.06, (
        "painful rash in a line on one side of chest, doctor said shingles",
        "blisters on {his} side in a stripe, burning, feels ok",
        "burning pain and rash round ribs one side, ?shingles, eye not involved",
        "shingles on {his} back, asking about painkillers",
        "tingly stripe round {his} waist, then spots came",
        "got shingles, pain keeping {him} up, rash not near face"),
        HT, SKIN, HOME_MOSTLY, officer=0.15, ages=(40, 90)),
    Variant("minor_nappy_rash_threadworm", 0.06, (
        "nappy rash, red and sore bum, feeding well",
        "baby's bum raw from nappy rash, wet nappies",
        "kid itchy bottom at night, seen little white worms",
        "threadworms, whole family itchy, asking about treatment",
        "nappy rash not clearing with sudocrem, baby happy",
        "worms in the kids poo, itchy bum"),
        HT_SURE, ILL, HOME, officer=0.05, ages=(0, 8)),
    # ---------------------------------------------------------------- gut
    Variant("minor_heartburn_own_words", 0.12, (
        "burning behind breastbone after a big dinner, worse lying down, fine walking up stairs",
        "indigestion, sour taste coming up, no pain when walking about",
        "heartburn every night, sleeps propped up, fine in the day",
        "sour taste and burning after eating, settles with gaviscon, not sweaty",
        "reflux, burps a lot, burning after coffee, no pain on exertion",
        "bad heartburn after curry n beers, rennies helping",
        "acid reflux playing up, run out of lansoprazole",
        "indigestion pain top of tummy after food, comes and goes, not short of breath",
        "heart burn after pizza, burping, feels ok"),
        HT, ILL, HOME_MOSTLY, officer=0.15, ages=(18, 60)),
    Variant("minor_constipation_child", 0.06, (
        "kid not done a poo for {days} days, tummy ache, eating",
        "child constipated, hard poos, bit of blood on paper from straining",
        "toddler holding on, wont poo on potty, playing",
        "kid says tummy hurts, hasnt been for a poo, no vomiting",
        "bairn bunged up, no poo in days, eating fine",
        "little one constipated, crying on toilet, no temp"),
        HT_SURE, ILL, HOME, officer=0.05, ages=(2, 12)),
    Variant("minor_dv_child_drinking", 0.1, (
        "child been sick twice and loose poos, keeping sips down, wet nappies",
        "tummy bug in the kid, drinking dioralyte, weeing",
        "toddler D&V since last night, drinking, alert and playing",
        "kid puked after tea, had the runs, now watching telly drinking juice",
        "child sickness bug, no blood in poo, drinking small sips often",
        "little one been sick, keeping milk down now, plenty wet nappies",
        "bairn's been boking n got the skitters, drinkin ok",
        "chucked up twice, runs, now asleep and woke easily for a drink"),
        HT, ILL, HOME, officer=0.05, ages=(1, 10), mods=(NO_BLOOD,)),
    Variant("minor_piles", 0.06, (
        "piles, sore bum, bit of bright red blood on the paper",
        "haemorrhoids playing up, itchy and sore",
        "lump at back passage, painful to sit, ?pile",
        "bright red blood on toilet paper after straining, known piles, feels well",
        "piles flared up after being constipated",
        "sore bum hole, itchy, asking about anusol"),
        HT, ILL, HOME, officer=0.05, ages=(20, 80)),
    Variant("minor_tummy_ache_mild", 0.08, (
        "mild tummy ache after takeaway, passing wind, eating ok",
        "stomach cramps on and off, bowels working, no vomiting",
        "trapped wind, bloated, comes and goes",
        "IBS flare, crampy and bloated, usual for {him}",
        "belly ache, got the runs once, feels ok now",
        "tummy feels funny after too many sweets, no temp",
        "tum ache, been to toilet, feels better now"),
        HT, ILL, HOME_MOSTLY, officer=0.15, ages=(8, 60), mods=(NO_BLOOD,)),
    # ---------------------------------------------------------------- waterworks
    Variant("minor_cystitis_own_words", 0.11, (
        "burning when {he} wees, keeps needing to go",
        "peeing razor blades, going every 10 mins",
        "water infection again, stings to pee, cloudy wee",
        "c/o stinging passing water, frequency, no blood",
        "needs a wee all the time, only a dribble comes out, stings",
        "cystitis after holiday, drinking loads of water",
        "it burns when i pee, had it before",
        "UTI symptoms, smelly cloudy urine, otherwise fine",
        "weein every 5 mins n it stings like mad"),
        HT, ILL, HOME_MOSTLY, officer=0.15, ages=(16, 60), male=0.05, mods=(NO_LOIN_PAIN,)),
    # ---------------------------------------------------------------- muscles and joints
    Variant("minor_bad_back_walking", 0.11, (
        "bad back flared up, can walk, usual back pain",
        "back pain after bending to tie shoelaces, walking slowly",
        "sciatica down {his} leg, known to GP, walking with a limp",
        "back's gone again, old problem, run out of naproxen",
        "lower back aching since gardening, walking about",
        "back twinge, cant get comfy in bed, up and walking",
        "slipped disc years ago, playing up again, mobile",
        "me back's killin, did it liftin the kids"),
        HT, {"other": 0.6, "injury_other": 0.4}, HOME_MOSTLY, officer=0.2, ages=(20, 70),
        mods=(BACK_SAFE,)),
    Variant("minor_wrist_sprain", 0.1, (
        "fell on outstretched hand, wrist sore, can move fingers, no deformity",
        "sprained wrist playing netball, swollen, wiggling fingers",
        "wrist painful after skateboarding fall, shape normal, fingers warm",
        "hurt wrist catching {himself}, bruised, grip ok",
        "jarred wrist, bit swollen, looks normal shape",
        "done {his} wrist in, can move it, sore",
        "thumb sprained at football, swollen, moves it"),
        HT, _MSK, OUT_AND_ABOUT, officer=0.25, ages=(8, 65), mods=(NO_HEAD_INJURY,)),
    Variant("minor_neck_slept_funny", 0.08, (
        "cricked neck after sleeping awkward, cant turn head fully, no temp",
        "woke with sore neck, slept funny, no rash, no fever",
        "neck muscle pulled, painful turning to the left, otherwise well",
        "wry neck, sore one side since this morning",
        "neck ache from sleeping on sofa, turning slowly",
        "cricked me neck, cant look over me shoulder"),
        HT_SURE, ILL, HOME_MOSTLY, officer=0.15, ages=(16, 70)),
    Variant("minor_muscle_strain", 0.08, (
        "pulled hamstring running, limping",
        "tennis elbow, sore outside of elbow",
        "calf strain at park run, can walk, no swelling",
        "pulled a muscle in {his} shoulder at the gym",
        "groin strain playing football, walking",
        "sore knee after long walk, no injury, moving ok",
        "ached all over after first day at the gym"),
        HT_SURE, _MSK, OUT_AND_ABOUT, officer=0.15, ages=(14, 65)),
    Variant("minor_gout_known", 0.06, (
        "gout flare in big toe, known gout, red and sore",
        "known gout, toe swollen again, no fever",
        "big toe red hot and painful, had gout before",
        "gout in ankle, run out of colchicine",
        "gout playing up, cant bear the bedsheet on it, walking on heel",
        "me gout's back, toe like a tomato"),
        HT, ILL, HOME, officer=0.1, ages=(35, 85), male=0.85),
    Variant("minor_cut_already_closed", 0.1, (
        "cut finger glued at minor injuries yesterday, asking about keeping it dry",
        "small cut on hand, steri-strips on, edges together",
        "graze on knee, cleaned and plastered",
        "cut head glued at walk in centre earlier, feels well, asking about washing hair",
        "small cut from knife, plaster on, bleeding stopped, tetanus up to date",
        "cut leg on a bike chain, shallow, cleaned and dressed",
        "shaving cut keeps oozing a little, plaster on",
        "nicked finger, steri stripped, wants to know when to take them off"),
        HT_SURE, {"injury_other": 1.0}, HOME_MOSTLY, officer=0.2, ages=(6, 85),
        facts={"bleeding": "minor"}),
    Variant("minor_ingrown_toenail", 0.05, (
        "ingrown toenail, red and sore at the side",
        "toe nail digging in, bit of pus, walking",
        "infected toenail, sore to wear shoes",
        "ingrowing toenail again, chiropodist shut",
        "toenail cutting into the skin, red at the edge, no fever",
        "ingrown nail on big toe, throbbing, walking ok"),
        HT_SURE, ILL, HOME, officer=0.05, ages=(12, 80)),
    # ---------------------------------------------------------------- minor illness
    Variant("minor_flu_like", 0.11, (
        "flu like symptoms, aching all over, temp, drinking plenty",
        "shivery and achy with flu, in bed, taking paracetamol",
        "covid positive, temp and aches, breathing normally",
        "full blown flu, feels like death warmed up, eating a bit",
        "feels grotty, hot and cold, achy, no SOB",
        "flu {days} days, headache and aches, drinking",
        "got the flu bab, aching, drinking loads",
        "fluey, temp 38.5, paracetamol brought it down, up to toilet fine"),
        HT, ILL, HOME, officer=0.1, ages=(16, 64)),
    Variant("minor_migraine_usual", 0.08, (
        "usual migraine, zigzag lights before like always, took sumatriptan",
        "known migraines, same as normal, in a dark room",
        "migraine coming on, usual pattern, been sick once, taken tablets",
        "gets migraines every month, this one same as the rest",
        "migraine with aura, typical for {him}, resting",
        "me usual migraine, need to lie down",
        "migrane, had them for years, same as always"),
        HT_SURE, ILL, ANYWHERE_OR_CUSTODY, officer=0.2, ages=(16, 60)),
    Variant("minor_hangover", 0.08, (
        "hangover, head pounding, been sick once, keeping water down",
        "rough after a heavy night, drinking water, talking fine",
        "rough as a dog from last night, feels sick, sipping fluids",
        "still feeling the drink from yesterday, headache, eating toast",
        "hungover, shaky, asking if needs to see anyone",
        "hanging out me arse, been sick, fine otherwise",
        "proper hungover, banging head, sipping lucozade"),
        HT_SURE, {"intoxication": 0.5, "other": 0.5}, HOME_MOSTLY, officer=0.15,
        ages=(18, 55), timing="day"),
    Variant("minor_sleep_stress", 0.06, (
        "cant sleep since job loss, no thoughts of harm, wants GP",
        "stressed, not sleeping, asking for something to help",
        "tired all the time, waking at 3am, eating ok",
        "worried and cant switch off at night, no self harm thoughts",
        "cant sleep, shift work, feels run down",
        "aint slept proper in weeks, wants summat to help"),
        HT_SURE, {"other": 0.7, "mental_health": 0.3}, HOME, officer=0.05, ages=(18, 80)),
    # ---------------------------------------------------------------- medicines, worried well
    Variant("minor_repeat_prescription", 0.11, (
        "run out of {his} repeat meds, surgery shut till monday, feels well",
        "needs emergency supply of BP tablets, pharmacy can help?",
        "left tablets at home on holiday, well",
        "repeat prescription not ready, last dose tonight, no symptoms",
        "run out of {his} antidepressants, feels ok for now",
        "GP forgot to send script, run out of thyroid tablets",
        "run out of me tabs, chemist shut",
        "lost {his} meds on the train, asking how to get more"),
        HT_SURE, ILL, HOME_MOSTLY, officer=0.1, ages=(18, 90)),
    Variant("minor_missed_dose_query", 0.08, (
        "missed {his} pill this morning, asking what to do",
        "took tablets twice by accident, just one extra, feels fine",
        "forgot to take {his} metformin, asking if ok",
        "morning after pill needed, asking where to get it",
        "asking if can take cold and flu tablets with paracetamol",
        "new antibiotic made {him} feel sick, no rash, breathing fine",
        "asking if ok to take ibuprofen with asthma, no wheeze",
        "missed a dose of {his} blood thinner, no injury, feels fine"),
        HT_SURE, ILL, HOME_MOSTLY, officer=0.1, ages=(16, 85)),
    Variant("minor_worried_well", 0.1, (
        "googled {his} symptoms, worried, feels fine",
        "worried about a headache after reading online, had it a day, no other symptoms",
        "health anxiety, checking pulse all day, pulse normal",
        "worried {he} caught something off a neighbour, no symptoms",
        "scared after friend had a heart attack, no chest pain, feels well",
        "wants to know if {he} should worry about a twitchy eyelid",
        "heard a click in {his} jaw, worried, no pain",
        "keeps thinking {he} has cancer, no new symptoms, GP aware",
        "worried about {his} blood pressure reading at the chemist, feels fine"),
        HT_SURE, {"other": 0.7, "mental_health": 0.3}, HOME_MOSTLY, officer=0.1, ages=(18, 80)),
    # ---------------------------------------------------------------- known condition, managed
    Variant("minor_diabetic_normal_bm_food", 0.1, (
        "diabetic, stranded, BM {bm_ok}, asking if ok to skip tea",
        "type 2 diabetic, car broken down, BM {bm_ok}, wants to know what to eat",
        "diabetic on insulin, train cancelled, sugars {bm_ok}, has snacks, asking advice",
        "diabetic stuck at services, checked sugar {bm_ok}, feels fine, not eaten since lunch",
        "diabetic locked out of {his} flat, BM {bm_ok}, talking normally, asking about food",
        "T1 diabetic, missed a meal, BM {bm_ok}, alert, has a kit kat",
        "sugar levels fine {bm_ok}, diabetic, just wants advice on eating"),
        HT, ILL, {"street": 0.3, "public_place": 0.3, "road": 0.2, "private_dwelling": 0.2},
        officer=0.5, ages=(18, 75)),
    Variant("minor_asthma_inhaler_no_wheeze", 0.08, (
        "asthmatic, left inhaler at home, no wheeze, talking in full sentences",
        "needs new blue inhaler, breathing fine at the moment",
        "asthma, inhaler empty, no SOB, asking where to get one",
        "asthmatic, worried about pollen, no wheeze, breathing normally",
        "lost {his} puffer, not wheezy, chatting",
        "wants spare inhaler for work, breathing fine"),
        HT_SURE, {"other": 0.7, "breathing_problem": 0.3}, ANYWHERE, officer=0.25,
        ages=(8, 70), facts={"breathing": "normal"}),
    # ---------------------------------------------------------------- minor injury to an officer
    Variant("minor_officer_scratch", 0.08, (
        "PC scratched on arm by DP, superficial, cleaned",
        "officer bitten through sleeve, skin not broken, red mark",
        "PC grazed knuckles during arrest, washed",
        "officer scratched by cat at address, small marks, cleaned",
        "PC caught finger in cuffs, bruised, moves fine",
        "officer bruised shin on car door, walking fine",
        "PC nipped by dog, teeth didnt break skin"),
        HT_OFFICER, {"injury_other": 1.0}, {"street": 0.6, "custody_suite": 0.2,
                                             "private_dwelling": 0.2},
        officer=1.0, officer_matters=False, ages=(21, 55), male=0.6,
        facts={"bleeding": "minor"}),
)

_CLINICAL_ADVICE: tuple[Variant, ...] = (
    Variant("minor_ca_needlestick_officer", 0.14, (
        "officer needlestick injury during search, used needle in pocket",
        "PC pricked by needle searching DP, bled it and washed",
        "needlestick to officer's finger from syringe in bag, asking re PEP",
        "sharps injury to PC, needle from heroin user",
        "officer jabbed by hidden needle in jacket pocket, small puncture, washed",
        "PC got a needle stick off a used syringe, washed, asking about hep B jab",
        "officer pricked by needle in car during search, wants advice"),
        CA_SURE, {"injury_other": 1.0}, {"street": 0.5, "custody_suite": 0.3,
                                          "private_dwelling": 0.2},
        officer=1.0, officer_matters=False, ages=(21, 55), male=0.6),
    Variant("minor_ca_blood_splash_officer", 0.1, (
        "blood splashed in officer's eye giving first aid, rinsed",
        "PC got DP's blood in a cut on hand, washed",
        "officer sprayed with blood from DP's nose, in mouth, rinsed",
        "blood in officers eye from head wound of DP, irrigated",
        "PC had contact with blood on broken skin, asking re BBV",
        "spat at, saliva with blood in it went in officers eye, washed out"),
        CA, {"injury_other": 0.6, "assault": 0.4}, {"street": 0.6, "custody_suite": 0.4},
        officer=1.0, officer_matters=False, ages=(21, 55), male=0.6),
    Variant("minor_ca_fit_to_detain", 0.18, (
        "sgt asking if DP ok to detain, c/o sore wrist from cuffs, moving it",
        "custody asking if PIC ok to stay in cell, minor graze to elbow",
        "DP says knee hurt at arrest, walking fine, ok to book in?",
        "PIC c/o sore ribs from struggle, breathing fine, fit to detain?",
        "fit to be interviewed? DP tired but alert, no meds",
        "interview in an hour, PIC says has a headache, obs fine",
        "custody sgt wants advice, DP bruised face, no LOC, alert",
        "PIC came down from drugs, now alert and eating, ok for interview?",
        "DP c/o back ache after van ride, walking, wants a doctor"),
        CA_SURE, {"person_in_custody": 1.0}, CUSTODY, officer=1.0, officer_matters=False,
        core_has_location=True, ages=(18, 65), male=0.85),
    Variant("minor_ca_custody_own_items", 0.1, (
        "DP asking for {his} own inhaler from property, not wheezy, breathing normally",
        "PIC wants {his} glasses and eye drops from {his} property, eyes fine",
        "DP asking for {his} skin cream from property for eczema, itchy",
        "PIC wants {his} reliever inhaler in the cell with {him}, no attack",
        "DP requesting {his} hay fever tablets, sneezing, eyes itchy",
        "PIC asking for laxatives, not been for 3 days, eating ok"),
        CA_SURE, {"person_in_custody": 1.0}, CUSTODY, officer=1.0, officer_matters=False,
        core_has_location=True, ages=(18, 70)),
    Variant("minor_ca_low_mood_safe", 0.1, (
        "upset after a break up, crying, says no plans to harm {himself}, family with {him}",
        "feeling low, wants to talk to someone, no thoughts of ending it",
        "bereaved, struggling, sleeping badly, not suicidal, sister staying over",
        "teen upset after row with parents, no self harm, mum with {him}",
        "anxious and tearful, nothing taken, no intent, friend on the way",
        "says everything's going wrong but no plans, brother staying the night"),
        CA, {"concern_for_welfare": 0.6, "mental_health": 0.4}, HOME_MOSTLY, officer=0.5,
        ages=(16, 75)),
    Variant("minor_ca_custody_meds", 0.15, (
        "PIC asking for paracetamol, last dose 4 hrs ago, headache",
        "DP on warfarin, dose due tonight, no injuries",
        "PIC wants nicotine patch, agitated for a smoke",
        "DP on ADHD meds, asking for dose, calm",
        "PIC takes quetiapine at night, meds brought in by family",
        "DP on sertraline, missed dose today, feels fine",
        "PIC on depot injection, due tomorrow, settled",
        "DP asking for {his} blood pressure tablets, feels well",
        "PIC needs steroid inhaler at night, no wheeze"),
        CA_SURE, {"person_in_custody": 1.0}, CUSTODY, officer=1.0, officer_matters=False,
        core_has_location=True, ages=(18, 70)),
    Variant("minor_ca_mh_settled_cpn", 0.16, (
        "MH crisis earlier, now settled, CPN aware and calling back",
        "known to crisis team, calmer now, care coordinator spoken to",
        "distressed earlier, now calm with officers, CPN visiting tomorrow",
        "low mood, no plans to harm self, mental health nurse aware",
        "bipolar, bit high, calm with police, CPN been informed",
        "MH, was shouting, now calm and having a brew, crisis team aware",
        "CMHT aware, IP settled, wants to stay home, sister with {him}",
        "panicky earlier, now calm, care coordinator to ring {him}"),
        CA, {"mental_health": 1.0}, HOME_MOSTLY, officer=0.9, ages=(18, 75)),
    Variant("minor_ca_cold_awaiting_keys", 0.12, (
        "elderly, locked out, bit cold, in police car warming up, daughter bringing keys",
        "locked out in the rain, chilly, chatting, neighbour has key",
        "locked out, 80s, cold hands, alert and chatty, keyholder on way",
        "OAP lost keys, been outside an hour, bit chilly, now in neighbour's house",
        "elderly and cold, waiting for locksmith, wrapped in blanket, chatty",
        "locked {himself} out, shivering a bit, sat in police car with heater on"),
        CA, {"concern_for_welfare": 1.0}, {"street": 0.6, "private_dwelling": 0.4},
        officer=1.0, officer_matters=False, ages=(70, 95), male=0.4, timing="day",
        mods=(CHATTY,)),
    Variant("minor_ca_hoarder_no_heating", 0.1, (
        "hoarder, house full of stuff, no heating, well and eating",
        "no gas or electric at address, IP well, refuses to leave",
        "cluttered house, boiler broken, wrapped up warm, eating",
        "self neglect, house in poor state, no heating, chatting",
        "hoarded property, no heating, IP says {he} is fine, mobile",
        "living in squalor, electric off, well in {himself}"),
        CA, {"concern_for_welfare": 1.0}, HOME, officer=0.95, officer_matters=False,
        ages=(50, 90), timing="day", mods=(CHATTY,)),
    Variant("minor_ca_head_bump_hours_ago", 0.14, (
        "bumped head {hours} hrs ago, no LOC, no vomiting, not on blood thinners, alert",
        "head injury this morning, no blackout, no sick, not on anticoags, GCS 15",
        "hit head on cupboard few hours ago, small lump, no vomiting, sober",
        "banged head earlier, walking and talking, no LOC, no blood thinners",
        "knock to head at work this morning, fine since, no vomit",
        "clonked head on car boot this aft, bit of a headache, no vomiting",
        "minor head injury {hours} hrs ago, no LOC, no vomiting, remembers it"),
        CA, {"injury_other": 0.7, "fall": 0.3}, ANYWHERE, officer=0.8, ages=(18, 64)),
    Variant("minor_ca_found_missing_well", 0.1, (
        "missing person found safe, cold and hungry, walking, obs ok",
        "missing from care home, found, no injuries, staff collecting",
        "misper located in park, bit cold, eating a sandwich, no injuries",
        "found after 6 hrs missing, tired, walking and talking",
        "missing teen found, well, no injuries, parents on way",
        "missing dementia pt found, chatty, no injuries, home to son"),
        CA, {"concern_for_welfare": 1.0}, {"street": 0.4, "public_place": 0.4, "other": 0.2},
        officer=1.0, officer_matters=False, ages=(14, 92)),
    Variant("minor_ca_officer_powder_exposure", 0.08, (
        "officer got white powder on hands during search, washed, no symptoms",
        "PC touched unknown powder in car, gloves on, feels fine",
        "officer exposed to powder in bag, washed, asking re fentanyl risk",
        "powder spilt on PC's uniform, no symptoms, clothes bagged",
        "officer handled drugs without gloves, washed hands, well",
        "PC sniffed powder from a bag by accident, no symptoms, alert"),
        CA_SURE, {"other": 1.0}, {"street": 0.5, "custody_suite": 0.3,
                                   "private_dwelling": 0.2},
        officer=1.0, officer_matters=False, ages=(21, 55)),
    Variant("minor_ca_custody_infestation", 0.07, (
        "PIC has scabies, asking about cell cleaning",
        "DP crawling with lice, itchy, well",
        "PIC says has TB, coughing, breathing fine, asking about precautions",
        "DP has head lice, asking about hygiene for the cell",
        "PIC with infected leg ulcer, dressing needs changing, well",
        "DP has bed bugs, itchy bites, asking about cell"),
        CA, {"person_in_custody": 1.0}, CUSTODY, officer=1.0, officer_matters=False,
        core_has_location=True, ages=(18, 75)),
    Variant("minor_ca_custody_injury_old", 0.08, (
        "PIC in plaster cast from last week, asking about painkillers",
        "DP on crutches after op, needs dressing change",
        "PIC has stitches in hand, wound looks clean",
        "DP has a stoma, bag needs changing, supplies at home",
        "PIC with healing wound from an op last month, dressing due",
        "DP has a PICC line in arm, asking how to keep it clean"),
        CA_SURE, {"person_in_custody": 1.0}, CUSTODY, officer=1.0, officer_matters=False,
        core_has_location=True, ages=(18, 70)),
)

_DEPLOY: tuple[Variant, ...] = (
    Variant("minor_dep_long_lie", 0.43, (
        "been on the floor all night, cant get up, talking normally",
        "found by carer on floor, been there since yesterday evening, chatty",
        "elderly, on floor overnight, says no pain, cant get up",
        "lay on the floor all night, couldnt reach phone, talking fine",
        "on the floor since bedtime, carers found {him} this morning",
        "fell last night, couldnt get up, found at breakfast, making sense",
        "been on the floor for hours, cant get up, chatting away",
        "long lie approx 12 hrs, alert and chatty",
        "slipped off the bed in the night, on floor till morning, wet through",
        "been on the kitchen floor since teatime yesterday, says {he} is fine"),
        DEPLOY_MOST, {"fall": 0.7, "concern_for_welfare": 0.3}, HOME, officer=0.4,
        ages=(70, 99), male=0.45, timing="day"),
    Variant("minor_dep_catheter_retention", 0.25, (
        "catheter blocked, tummy tight and painful, no urine in bag for hours",
        "cant pee since this morning, belly swollen and sore",
        "blocked catheter, lower tummy bulging, in pain",
        "urine retention, bladder feels like bursting, hasnt weed in 12 hrs",
        "cant pass water, tummy hard and painful",
        "cath not draining, bag empty all day, pain low in tummy",
        "catheter bypassing and not draining, tummy distended, in pain",
        "cant wee, been trying all day, lower belly agony",
        "{he} cant pee at all, tummy tight and sore"),
        DEPLOY, ILL, HOME, officer=0.2, ages=(55, 95), male=0.85),
    Variant("minor_dep_gi_bleed_own_words", 0.22, (
        "sick looks like used coffee granules, been taking ibuprofen for back",
        "vomited dark gritty stuff, on naproxen, feels faint",
        "coffee ground sick, on anti inflammatories for arthritis",
        "poo black as tar and smells awful, dizzy",
        "black sticky poo, on aspirin, feels weak",
        "threw up dark brown bits, takes ibuprofen daily",
        "poos been black for {days} days, not on iron, pale",
        "sick looked like coffee, stomach ulcer before"),
        DEPLOY_MOST, ILL, HOME_MOSTLY, officer=0.2, ages=(30, 90),
        facts={"bleeding": "unknown"}),
    Variant("minor_dep_bone_tenting", 0.22, (
        "came off bike, collarbone sticking up under the skin, skin white over it",
        "fell on shoulder, collarbone lump pushing skin up",
        "collarbone broken, bone tenting the skin, helmet on, didnt hit head",
        "ankle broken, bone pushing against skin, skin pale over it",
        "arm broken, bone pressing up under skin",
        "bone poking the skin from inside after fall off horse, not through",
        "come off me bike, collarbone's stickin out, skin tight over it"),
        DEPLOY_MOST, {"injury_other": 0.6, "fall": 0.3, "road_traffic_collision": 0.1},
        OUT_AND_ABOUT, officer=0.4, ages=(10, 70)),
    Variant("minor_dep_hip_own_words", 0.22, (
        "slipped, cant stand, pain in groin, foot flopped outwards",
        "fell in the garden, hip hurts, leg looks shorter",
        "cant get up after fall, screams when hip moved",
        "fell off kerb, hip pain, cant put weight on it",
        "fallen, leg turned out, cant move it",
        "tripped on rug, pain in top of leg, cant stand"),
        DEPLOY_MOST, {"fall": 1.0}, {"private_dwelling": 0.7, "street": 0.3}, officer=0.3,
        ages=(65, 99), male=0.35, timing="day", mods=(NO_HEAD_INJURY,)),
    Variant("minor_dep_child_fever_lethargic", 0.22, (
        "child temp 39.8, very quiet, not drinking all day",
        "kid burning up, lying on sofa not interested in anything, not drinking",
        "toddler hot, only one wet nappy today, listless",
        "child fever {days} days, off drinks, very quiet, not playing",
        "little one temp 40, wont drink, lying still",
        "kid hot as anything, not weed since morning, not interested in telly",
        "child with high temp, flat and not drinking, breathing fast"),
        DEPLOY, ILL, HOME, officer=0.1, ages=(1, 8)),
    Variant("minor_dep_dislocated_shoulder", 0.18, (
        "shoulder popped out again, cant get it back in",
        "dislocated shoulder, holding arm, in agony",
        "shoulder come out at rugby, arm stuck out to side",
        "known dislocations, shoulder out, wont go back",
        "put arm up and shoulder popped out, cant move it",
        "kneecap popped out, leg stuck bent, cant straighten"),
        DEPLOY, _MSK, OUT_AND_ABOUT, officer=0.3, ages=(14, 60)),
    Variant("minor_dep_cellulitis_fever", 0.18, (
        "leg red hot and swollen, redness spreading, shivery, temp 38.6",
        "diabetic, infected foot, red up to ankle, feverish",
        "cellulitis spreading past pen line, temp, feels rough",
        "arm red and swollen from cut, red streaks up arm, temp",
        "leg infection getting worse on antibiotics, fever, shaking",
        "red angry leg, hot to touch, feeling hot and cold"),
        DEPLOY, ILL, HOME_MOSTLY, officer=0.15, ages=(30, 90), age_matters=True),
    Variant("minor_dep_older_uti_muddled", 0.22, (
        "more muddled than usual, smelly wee, off {his} legs",
        "not {himself} today, wee smells, cant stand",
        "gone off {his} legs, water infection?, talking rubbish",
        "care home resident new muddle, cloudy urine, not eating",
        "dementia worse today, UTI?, wont drink",
        "off {his} legs, strong smelling urine, not making sense today"),
        DEPLOY, {"concern_for_welfare": 0.5, "other": 0.5}, {"private_dwelling": 0.7,
                                                             "other": 0.3},
        officer=0.3, ages=(75, 99), male=0.35, timing="day"),
    Variant("minor_dep_fast_heart", 0.18, (
        "heart racing for 2 hrs, wont settle, feels wobbly, no chest pain",
        "palpitations, pulse 160, dizzy, breathing ok",
        "heart going like the clappers, wont slow down, lightheaded",
        "known AF, heart racing all afternoon, feels faint",
        "heart fluttering fast for hours, feels weak",
        "pulse really fast and irregular, tired and dizzy"),
        DEPLOY, {"other": 0.7, "collapse": 0.3}, HOME_MOSTLY, officer=0.2, ages=(30, 90),
        age_matters=True),
)
# fmt: on

#: Share of an adult minor complaint's requests that come from custody. Without it a detainee's
#: stye, athlete's foot or toothache "in cell 6" read as the custody suite's deploy-heavier mix
#: (suite E at its first reading, 2026-12-02: such notes were suggested deploy).
CUSTODY_SHARE = 0.15


def _also_in_custody(v: Variant) -> Variant:
    """``v`` with a custody share added to its locations, for adults' minor complaints whose
    narrative does not name where they are and whose odds do not depend on it."""
    if v.core_has_location or v.by_location or v.ages[0] < 16 or "custody_suite" in v.locations:
        return v
    total = sum(v.locations.values())
    share = CUSTODY_SHARE * total / (1.0 - CUSTODY_SHARE)
    return replace(v, locations={**v.locations, "custody_suite": share})


MINOR_VARIANTS: tuple[Variant, ...] = (
    tuple(_also_in_custody(v) for v in _HEAR_AND_TREAT + _CLINICAL_ADVICE) + _DEPLOY
)
