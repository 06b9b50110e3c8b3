"""The tables' word forms: which "s" forms the engine reads as the word (a clitic "'s" whose
apostrophe was left out, "hes gone blue") and which it leaves as written (a plural a phrase
spells out, "pins and needles"). Pure functions of the tables, used when they are compiled
(:func:`triage.rules.engine.compile_tables`)."""

from __future__ import annotations

from triage.rules.tables import RedFlagTables, table_words

__all__ = ["NOT_PLURALS", "bare_clitics", "spelt_plurals"]


#: Words whose "s" form means something else: a phrase naming the word never accepts that form.
NOT_PLURALS: dict[str, str] = {
    "run": "'the runs' is diarrhoea",
    "rigor": "'rigors' is the shaking of a fever, not rigor mortis (a sixth review, 2026-12-02)",
    "co": "'cos' is 'because'",
    "it": "'its' is a possessive",
    "can": "'cans' are drinks",
    "new": "'news' is not new",
    "main": "'mains' is the electricity supply",
    "shot": "'shots' are drinks ('doing shots at the club')",
    "stroke": "'strokes' is stroking, or a history ('two strokes in the past')",
}


def spelt_plurals(t: RedFlagTables) -> dict[str, str]:
    """Each phrase word whose "s" form is a phrase word too, mapped to that form. The engine
    reads every other "s" form as the word (:func:`bare_clitics`); these it leaves as written,
    so the matcher lets a phrase naming the word accept them: spelling "pins and needles" in
    one phrase must not stop "drawing pin" reading "drawing pins", nor "headaches" in one
    phrase stop "worst headache" reading "worst headaches"."""
    # every phrase word, guards included: a plural spelt only in a guard ("push bikes") must still
    # be read by the concept phrases naming the word ("thrown from their bikes"); the words whose
    # "s" form means something else are NOT_PLURALS
    vocabulary = table_words(t)
    return {
        w: w + "s"
        for w in vocabulary
        if len(w) >= 2 and w.isalpha() and w + "s" in vocabulary and w not in NOT_PLURALS
    }


def bare_clitics(t: RedFlagTables) -> dict[str, str]:
    """Each phrase word's "s" form that is no phrase word itself, mapped to the word: how the
    engine reads a clitic "'s" whose apostrophe was left out ("necks stiff", "hes gone blue").
    A plural the tables spell out ("fits", "tablets") is a phrase word and is left alone."""
    vocabulary = table_words(t)
    return {
        w + "s": w
        for w in vocabulary
        if len(w) >= 2 and w.isalpha() and w + "s" not in vocabulary
    }
