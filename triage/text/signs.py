"""Police shorthand for an absent sign of life, written as the words the red-flag tables read.

"nil" before a sign of life is its absence ("nil pulse", "nil resps", "nil rousable"), and
respirations of none are no breathing ("no resps", "nil respiratory effort"): written "no
pulse", "no breathing", "not rousable", so every reading and guard of "no pulse" reads them (a
blind writer's probes of CAD shorthand, forty-fourth session: "male nil pulse nil resps CPR in
progress" read nothing, the "nil" negating the CPR after it; docs/CLINICAL_SAFETY.md, H2
control 37). :func:`write_absent_signs` is a step of :func:`triage.text.normalise.normalise`,
after the speller ("nil puls" is "nil pulse" by then) and after the lists are written out ("nil
pulse, breathing or response").

Left as written, each on two reviews' evidence: "nil response" alone ("nil response, answer or
movement at the address" is an empty house, tests/fixtures/harmless_probes.jsonl) but for one to
a stimulus or from a person ("nil response to pain", "nil response from male slumped over the
wheel"); "nil signs of life at the caravan" (a property check); "no resp" ("respiratory" by now)
but at the end of the text, before another absent sign, or before CPR within three words ("no
resp no pulse", "no resp bystander doing cpr"), so "no resp from the keyholder", "no resp
difficulty" and "nil resp or cardiac history" keep their sense; a "nil" that is the value of the
sign before it ("pulse nil resps nil": the tables' own "pulse nil" reads it); a sign not taken
("nil pulse check done as DP refused", "no resps counted"); and a rate ("no rr", "nil rr"):
custody records write it for obs refused. Written until nothing changes ("nil resps nil pulse":
the second "nil" follows "breathing" only once the first is written), so a second pass changes
nothing.
"""

from __future__ import annotations

import re

__all__ = ["NIL_THINGS", "nil_written", "write_absent_signs"]

#: What "nil" denies as a thing, written "no" ("no pulse", "no response to pain"); before any
#: other sign it denies a state, written "not" ("not rousable", "not responding"). Shared with
#: the lists of :mod:`triage.text.lists` ("nil pulse, breathing or response").
NIL_THINGS: frozenset[str] = frozenset({
    "pulse", "pulses", "carotid", "central", "femoral", "heartbeat", "breathing", "breath",
    "breaths", "sign", "signs", "response", "movement",
})


def nil_written(word: str) -> str:
    """How "nil" before ``word`` is written: "no" before a thing, "not" before a state."""
    return "no" if word in NIL_THINGS else "not"


#: "no resp" goes on as an arrest: at the end, before another absent sign, before CPR, or
#: before CPR or chest compressions within three words ("no resp bystander doing chest
#: compressions", forty-fifth session), but not across an illness, a distress, a course or a
#: denial ("no resp illness booked on cpr refresher", "no resp distress needs no cpr"), nor
#: before a CPR that is not needed or a course ("no resp cpr course attendee fainted").
_RESP_GOES_ON = (r"(?=\s*(?:$|(?:no|nil) (?:pulse|breathing|output|cardiac|response|signs)\b"
                 r"|cpr\b(?! (?:course|refresher|not)\b)"
                 r"|(?:(?!(?:problems?|issues?|concerns?|difficult(?:y|ies)|history|distress"
                 r"|compromise|depression|illness(?:es)?|symptoms?|complaints?|disease"
                 r"|conditions?|training|course|trained|qualified|practi[cs](?:e|ing)|learning"
                 r"|teaching|no|not|nil)\b)[a-z]+ ){1,3}"
                 r"(?:cpr|chest compressions)\b(?! (?:training|course|trained|certificate"
                 r"|refresher|qualified|instructor|on a dummy|not)\b)))")
_NOT_TAKEN = (r"(?! (?:rate )?(?:check |checks )?(?:taken|done|obtained|counted|given|recorded"
              r"|needed|issues|problems|concerns|irregularity|abnormality)\b)")
_NIL_SIGN_RE = re.compile(
    r"(?<!pulse )(?<!pulses )(?<!resps )(?<!rr )(?<!respirations )(?<!hr )(?<!bp )(?<!sats )"
    r"(?<!rate )"
    r"\bnil (?:(?P<sign>(?:carotid |central |femoral )?pulses?|breathing|breaths?"
    r"|signs? of life(?! (?:at|in|on|from|inside)\b)|rousable|rouseable|responsive|responding"
    r"|response (?:to|when) (?:voice|pain|painful|shaking|shaken|stimuli|stimulus|sternal"
    r"|rubbed|pinched|rousal|being shaken|being rolled)(?! (?:messages?|mail|commands?)\b)"
    r"|response from (?:the )?(?:male|female|casualty|man|woman|boy|girl|baby|child|infant"
    r"|driver|occupant|prisoner|detained person|husband|wife)(?=\s*(?:$|[,.;]|(?:slumped|lying"
    r"|sat|on|in|at|found|despite|when|to|and|still|who|no|not)\b)))|resps|respirations"
    r"|respiratory effort|respiratory rate|respiratory" + _RESP_GOES_ON + r")\b" + _NOT_TAKEN
    + r"|\bno (?:resps|respirations|respiratory effort|respiratory" + _RESP_GOES_ON + r")\b"
    + _NOT_TAKEN
)


def _no_sign(m: re.Match[str]) -> str:
    sign = m.group("sign")
    if sign is None:
        return "no breathing"
    return f"{nil_written(sign.split(' ', 1)[0])} {sign}"


def write_absent_signs(t: str) -> str:
    """``t`` (lower-case, normalised) with "nil" before a sign of life written "no" or "not",
    and respirations of none written "no breathing", until nothing changes. Each round rewrites
    at least one match and what it writes never matches again, so the rounds are bounded by
    the matches in ``t``."""
    if "nil " not in t and "no r" not in t:
        return t
    while (written := _NIL_SIGN_RE.sub(_no_sign, t)) != t:
        t = written
    return t
