"""A form's finding keyed with a value that names its danger, read as one clause.

"Bleeding: heavy", "Seizure - ongoing", "Airway: obstructed", "Lips: cyanosed": a form's colon
ends a clause, so no phrase of the red-flag tables ever read the key with its value (a
word-order grid of the thirty-third session: 1,276 of 1,690 findings written as "Y X", "X is Y"
or as a form's field raised no flag, "Bleeding: heavy" among them). The normaliser
(:func:`triage.text.normalise.normalise`) calls :func:`join_danger_values` after the answer
passes of :mod:`triage.text.answers`, and the rules and the model read "bleeding heavy".
"""

from __future__ import annotations

import re

__all__ = ["join_danger_values"]

#: A finding keyed with a value that names its danger: "Bleeding: heavy", "Seizure - ongoing",
#: "Airway: obstructed", "Lips: cyanosed" are read as "bleeding heavy", "seizure ongoing" (a
#: word-order grid of the thirty-third session: 1,276 of 1,690 findings written as "Y X", "X is
#: Y" or as a form's field read no rule, "Bleeding: heavy" among them). Only the separator goes,
#: only before a danger word, and only after the answer passes
#: (:func:`join_danger_values`), so a denial keyed before it still ends where it did
#: ("Response: none / Breathing: gasping"); a value that denies ("absent", "nil", "not
#: found") is the denial passes'; "not palpable", "not clear", "not controlled", which they
#: leave alone, are danger words here. "Bleeding: minor" and "Breathing: normal" read as before,
#: so the model's text changes only where a danger is keyed. " - " separates a key only at the
#: start of a clause ("gcs 4, snoring resps - blue lights not needed" is prose); a value asked
#: ("Airway: obstructed? no") is a question, not a finding. No nested
#: repetition: linear in the narrative's length.
_DANGER_KEY = (
    r"(bleeding|bleed|haemorrhage|blood loss|seizure|seizure activity|fit|fitting"
    r"|convulsion|convulsions|airway|breathing|breaths|respirations|respiration|resps|lips"
    r"|pulse|tongue|throat|speech|face|pupils|vision|eyesight|gcs|conscious level"
    r"|level of consciousness"
    r"|left arm|right arm|left leg|right leg|arm|leg|skin|rash)"
)
_DANGER_WORD = (
    r"heavy|severe|profuse|massive|uncontrolled|uncontrollable|catastrophic|torrential|significant"
    r"|excessive|copious|major|considerable|substantial|extensive|large|arterial|spurting|pumping"
    r"|gushing|pouring|ongoing|continuing|continuous|prolonged|lengthy|persisting|persistent"
    r"|in progress|obstructed|blocked|occluded|compromised|obstructing|laboured|labored|agonal"
    r"|gasping|irregular|shallow|blue|bluish|blueish|grey|gray|purple|dusky|cyanosed|cyanotic"
    r"|undetectable|impalpable"
    r"|swollen|swelling|closing|tight|slurred|garbled|jumbled|drooping|droopy|lopsided|weak"
    r"|unequal|uneven|blurred|blurry|falling|decreasing|deteriorating|reducing|reduced|worsening"
    r"|mottled|non blanching|nonblanching|non-blanching"
    r"|not (?:palpable|clear|patent|controlled|detectable|maintained|protected|felt|found)"
)
_DANGER_VALUE = re.compile(
    r"(?:\b" + _DANGER_KEY + r": ?|(?:^|(?<=[.!;|(\[/,])|(?<=[.!;|(\[/,] ))" + _DANGER_KEY
    + r" - ?)(?=(?:(?:very|really|extremely|quite|now|still) )?(?:" + _DANGER_WORD + r")\b(?!\?))"
)


def join_danger_values(text: str) -> str:
    """``text`` with each finding keyed by a danger word written as a clause: "bleeding: heavy"
    becomes "bleeding heavy", "airway - obstructed" "airway obstructed" (:data:`_DANGER_VALUE`).
    Run after the answer passes. Idempotent."""
    if ":" not in text and " -" not in text:
        return text
    return _DANGER_VALUE.sub(lambda m: (m.group(1) or m.group(2)) + " ", text)
