"""Saying when the input is unfamiliar: most of a narrative's words are unknown to the model.

A model trained on history can only weigh words it has seen. When most of a request's content
words are new to it (another region's slang, another language, a pasted form, a condition the
history never held), its probabilities rest on the structured facts and the few words it knows,
and its confidence means little. The answer then says so (``unfamiliar_wording`` and a reason in
a call handler's words), and the suggestion follows an explicit policy:

* ``flag_only``: the suggestion is the model's; only the flag and reason are added;
* ``escalate`` (the default): never ``hear_and_treat`` on unfamiliar wording; it becomes
  ``clinical_advice``, so a clinician speaks to the officer before anyone is left at home.
  ``deploy`` stays ``deploy``; red flags still force ``deploy``;
* ``deploy``: every unfamiliar request is suggested ``deploy``.

The default was chosen by measurement on the tuning vignette suite (docs/CLINICAL_SAFETY.md,
H2): ``deploy`` sent an ambulance to every unknown minor complaint (hay fever in a dialect the
history lacked), ``flag_only`` let an unknown phrasing be resolved by phone; ``escalate`` keeps
a clinician in the loop at the cost of clinical-desk time, not ambulances. The model card
states the policy in force (``describe``).

A content word is a token of the normalised narrative (negation marks removed) of at least
MIN_WORD_LEN letters that is not an English stop word (scikit-learn's list); a word is known
when the fitted text features kept it (seen in at least ``min_df`` training narratives).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from triage.schema import Disposition

__all__ = [
    "ACTIONS",
    "DEFAULT_POLICY",
    "Familiarity",
    "FamiliarityPolicy",
    "content_words",
]

Action = Literal["flag_only", "escalate", "deploy"]
ACTIONS: tuple[Action, ...] = ("flag_only", "escalate", "deploy")
#: Shorter tokens ("ok", "pc", "x2") carry too little to count either way.
MIN_WORD_LEN = 3
_NEG = "neg_"
#: Control-room words that are as empty as stop words for this purpose.
_EXTRA_STOP = frozenset({"patient", "male", "female", "officers", "officer", "police", "says"})
_STOP = ENGLISH_STOP_WORDS | _EXTRA_STOP


#: :func:`content_words`' reading of each token seen (its content word, or "" for none):
#: tokens repeat across requests ("chest", "neg_pain"), and reading one is several string
#: operations. Bounded: emptied when full.
_CONTENT: dict[str, str] = {}
_CONTENT_MAX = 1 << 16


def _content_word(token: str) -> str:
    """The content word of one token (its negation mark removed), or "" when it is none."""
    w = token[len(_NEG) :] if token.startswith(_NEG) else token
    return w if len(w) >= MIN_WORD_LEN and w.isalpha() and w not in _STOP else ""


def content_words(tokens: Iterable[str]) -> list[str]:
    """The content words among ``tokens`` (normalised, possibly ``neg_``-marked), in order."""
    memo = _CONTENT
    out: list[str] = []
    for t in tokens:
        w = memo.get(t)
        if w is None:
            if len(memo) >= _CONTENT_MAX:
                memo.clear()
            w = memo[t] = _content_word(t)
        if w:
            out.append(w)
    return out


@dataclass(frozen=True, slots=True)
class Familiarity:
    """How familiar one narrative's wording is to the model."""

    content: int
    unknown: tuple[str, ...]
    unfamiliar: bool

    @property
    def unknown_share(self) -> float:
        return len(self.unknown) / self.content if self.content else 0.0


@dataclass(frozen=True)
class FamiliarityPolicy:
    """When wording counts as unfamiliar, and what the suggestion becomes then."""

    #: Unfamiliar when at least this share of the content words is unknown...
    unknown_share: float = 0.5
    #: ...and the narrative has at least this many content words (a two-word note is not
    #: "unfamiliar", it is short).
    min_content_words: int = 2
    action: Action = "escalate"

    def __post_init__(self) -> None:
        if not (0.0 < self.unknown_share <= 1.0):
            raise ValueError(f"unknown_share must be in (0, 1]. Got {self.unknown_share!r}.")
        if self.min_content_words < 1:
            raise ValueError(
                f"min_content_words must be at least 1. Got {self.min_content_words!r}."
            )
        if self.action not in ACTIONS:
            raise ValueError(f"action must be one of {ACTIONS}. Got {self.action!r}.")

    def assess(self, tokens: Iterable[str], known: set[str] | dict[str, int]) -> Familiarity:
        """``tokens``: the narrative's normalised tokens; ``known``: the model's token types."""
        words = content_words(tokens)
        # each word looked up once: the unknown ones, repeats included, are counted
        missing = [w for w in words if w not in known and _NEG + w not in known]
        unknown = tuple(dict.fromkeys(missing))
        n_unknown = len(missing)
        unfamiliar = (
            len(words) >= self.min_content_words
            and n_unknown >= self.unknown_share * len(words)
        )
        return Familiarity(len(words), unknown, unfamiliar)

    def apply(self, suggestion: Disposition) -> Disposition:
        """The model's suggestion for a request whose wording is unfamiliar."""
        if self.action == "deploy":
            return Disposition.DEPLOY
        if self.action == "escalate" and suggestion is Disposition.HEAR_AND_TREAT:
            return Disposition.CLINICAL_ADVICE
        return suggestion

    def reason(self, familiarity: Familiarity, before: Disposition, after: Disposition) -> str:
        """The sentence a call handler reads."""
        sample = ", ".join(f"'{w}'" for w in familiarity.unknown[:3])
        head = (
            f"Unfamiliar wording: the model has not seen {len(familiarity.unknown)} of the "
            f"{familiarity.content} words that carry meaning here (such as {sample}), so its "
            "suggestion rests on little it has learnt."
        )
        if after is not before:
            return (
                f"{head} Suggested {after.value} rather than {before.value}: "
                "check with a clinician."
            )
        return f"{head} Read the request yourself and check with a clinician if unsure."

    def describe(self) -> dict[str, Any]:
        return asdict(self)


DEFAULT_POLICY = FamiliarityPolicy()
