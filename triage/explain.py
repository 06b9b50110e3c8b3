"""Reasons in a call handler's words: the red flags first, then what pushed the suggestion.

The feature contributions come from the linear model (for the boosted stack, its linear stage,
whose scores the trees read): the contribution of feature ``j`` towards disposition ``s`` is
``x_j * (w_sj - mean of w_kj over the other dispositions)``. Contributions are gathered into
units a person recognises before they are ranked:

- a narrative word: its word feature plus its share of the character n-grams (so a misspelling
  like "brething" is still reported as the word it is), or a two-word phrase;
- a run of negated words is reported as negated ("Narrative: 'loss of consciousness' negated");
- a structured fact ("Age 84", "Location: custody suite", "Conscious: not recorded").

Raw feature ids never reach the handler. Everything the ranking needs is precomputed when the
predictor loads, so explaining one request costs a few microseconds of array work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from triage.fastscore import CompiledScorer, Scored
from triage.features import AGE_FIELD, AGE_SCALE, MISSING
from triage.schema import DISPOSITIONS, TriageRequest, enum_of
from triage.suggestion import RedFlag
from triage.text.tokens import NEGATION_PREFIX

#: How many feature reasons follow the red flags.
MAX_FEATURE_REASONS = 3
#: Kinds of ranked entries (shared with triage.batchscore).
_WORD, _PHRASE, _FACT, _AGE = range(4)
#: A unit must move the log-odds by at least this much to be named as a reason.
MIN_REASON_WEIGHT = 0.05


def _phrase(value: str) -> str:
    return value.replace("_", " ")


def fact_reason(field: str, level: str, age: int | None = None) -> str:
    """A structured fact in words: "Age 84", "Officer on scene", "Conscious: not recorded"."""
    label = _phrase(field).capitalize()
    if field == AGE_FIELD:
        return f"Age {age}" if age is not None else "Age not recorded"
    if level == MISSING:
        return f"{label}: not recorded"
    if enum_of(field, TriageRequest) is None and level in ("true", "false"):
        return f"{label}: {'yes' if level == 'true' else 'no'}"
    return f"{label}: {_phrase(level)}"


def _strip(token: str) -> str:
    return token[len(NEGATION_PREFIX) :] if token.startswith(NEGATION_PREFIX) else token


def _unnamed_tokens() -> frozenset[str]:
    """The tokens never named as a reason: the stop words, negated or not (``_strip(t) in
    ENGLISH_STOP_WORDS`` as one set look-up; no stop word starts with the negation prefix)."""
    return ENGLISH_STOP_WORDS | {NEGATION_PREFIX + w for w in ENGLISH_STOP_WORDS}


class Explainer:
    """Compiled once per model: contrast weights and the names of what each column means."""

    def __init__(self, scorer: CompiledScorer) -> None:
        k = len(DISPOSITIONS)
        #: M[:, s] turns a vector of three decision-value contributions into the contribution
        #: towards disposition s against the mean of the others.
        self.contrast_matrix_ = np.full((k, k), -1.0 / (k - 1))
        np.fill_diagonal(self.contrast_matrix_, 1.0)
        self.contrast_ = np.ascontiguousarray(scorer.weights @ self.contrast_matrix_)
        #: Per disposition s, as Python lists (one request reads a few dozen entries): every
        #: column's contrast weight, and every known token type's character-block contrast.
        self.contrast_cols_: list[list[float]] = [self.contrast_[:, j].tolist() for j in range(k)]
        self.contrast_vectors_: list[tuple[float, float, float]] = [
            (float(a), float(b), float(c)) for a, b, c in self.contrast_matrix_.T.tolist()
        ]
        type_contrast = scorer.type_char_rows[:, :3] @ self.contrast_matrix_
        #: (n_types x 3) every known token type's character-block contrast (the batch path's).
        self.type_contrast_ = np.ascontiguousarray(type_contrast)
        self.type_contrast_cols_: list[list[float]] = [
            type_contrast[:, j].tolist() for j in range(k)
        ]
        features = scorer.features
        text = features.text_
        self.type_names_ = text.type_names_
        self.n_word_ = text.n_word_features_
        self.word_terms_: list[str] = [""] * self.n_word_
        for term, j in text.word_vocabulary_.items():
            self.word_terms_[j] = term
        #: Per word column: whether its term is a two-word phrase (a bigram), else a word.
        self.word_is_phrase_: list[bool] = [" " in term for term in self.word_terms_]
        self.unnamed_ = _unnamed_tokens()
        self.fact_offset_ = features.n_text_features_
        facts = features.facts_
        self.fact_units_: dict[int, tuple[str, str]] = {}
        for field, levels in facts.level_index_.items():
            for level, j in levels.items():
                self.fact_units_[self.fact_offset_ + j] = (field, level)
        self.age_column_ = (
            None if facts.age_column_ is None else self.fact_offset_ + facts.age_column_
        )
        #: The reason text of every (field, level), written once.
        self.fact_texts_: dict[tuple[str, str], str] = {
            unit: fact_reason(*unit) for unit in self.fact_units_.values()
        }
        if facts.narrative_age_column_ is not None:
            self.fact_units_[self.fact_offset_ + facts.narrative_age_column_] = (
                AGE_FIELD,
                "from_narrative",
            )

    def reasons(
        self,
        disposition_index: int,
        scored: Scored,
        red_flags: Sequence[RedFlag],
        p_deploy: float,
        deploy_threshold: float,
        max_features: int = MAX_FEATURE_REASONS,
    ) -> tuple[str, ...]:
        """Red-flag reasons, then up to ``max_features`` features, then the model's figure."""
        units = self.units(disposition_index, scored, max_features)
        return self.compose(red_flags, units, p_deploy, deploy_threshold)

    @staticmethod
    def compose(
        red_flags: Sequence[RedFlag],
        units: Sequence[tuple[str, float]],
        p_deploy: float,
        deploy_threshold: float,
    ) -> tuple[str, ...]:
        """The reasons' text from ranked units: shared by one request and a batch."""
        out: list[str] = [f.reason for f in red_flags]
        out.extend(text for text, _ in units)
        relation = "at or above" if p_deploy >= deploy_threshold else "below"
        out.append(
            f"Model's deploy probability {p_deploy:.0%} is {relation} the deploy threshold "
            f"{deploy_threshold:.0%}"
        )
        return tuple(out)

    def units(
        self, s: int, scored: Scored, limit: int = MAX_FEATURE_REASONS
    ) -> list[tuple[str, float]]:
        """Up to ``limit`` readable units pushing towards disposition ``s``, largest first."""
        m0, m1, m2 = self.contrast_vectors_[s]
        contrast = self.contrast_cols_[s]
        token_score: dict[str, float] = {}
        names = self.type_names_
        cs = scored.char_scale
        if scored.known:
            tc = self.type_contrast_cols_[s]
            for j in scored.known:
                t = names[j]
                token_score[t] = token_score.get(t, 0.0) + tc[j] * cs
        for t, (u0, u1, u2) in zip(scored.unknown, scored.unknown_vecs, strict=True):
            c = (u0 * m0 + u1 * m1 + u2 * m2) * cs
            token_score[t] = token_score.get(t, 0.0) + c
        ranked: list[tuple[float, int, Any]] = []
        terms = self.word_terms_
        is_phrase = self.word_is_phrase_
        wv = scored.word_value
        for j in scored.word_columns:
            c = contrast[j] * wv
            term = terms[j]
            if is_phrase[j]:
                ranked.append((c, _PHRASE, term))
            else:
                token_score[term] = token_score.get(term, 0.0) + c
        ranked.extend(self.fact_candidates(s, scored.fact_columns, scored.age))
        unnamed = self.unnamed_
        for t, c in token_score.items():
            if c >= MIN_REASON_WEIGHT and t not in unnamed:
                ranked.append((c, _WORD, t))
        return self.select(ranked, scored.tokens, limit)

    def fact_candidates(
        self, s: int, fact_columns: Sequence[int], age: int | None
    ) -> list[tuple[float, int, Any]]:
        """The structured facts' ranked entries (and the age's), in the order ``units`` ranks
        them; shared with the batch path so both rank the same entries in the same order."""
        contrast = self.contrast_cols_[s]
        ranked: list[tuple[float, int, Any]] = []
        age_score = 0.0
        for j in fact_columns:
            c = contrast[j]
            unit = self.fact_units_[j]
            if unit[0] == AGE_FIELD and unit[1] != MISSING:
                age_score += c
            else:
                ranked.append((c, _FACT, unit))
        if age is not None:
            if self.age_column_ is not None:
                age_score += contrast[self.age_column_] * age / AGE_SCALE
            ranked.append((age_score, _AGE, age))
        return ranked

    def select(
        self, ranked: list[tuple[float, int, Any]], toks: list[str], limit: int
    ) -> list[tuple[str, float]]:
        """The top ``limit`` distinct units of ``ranked`` in words (``ranked`` is sorted here,
        stably, largest first; entries below MIN_REASON_WEIGHT are never named)."""
        ranked.sort(key=lambda r: -r[0])
        out: list[tuple[str, float]] = []
        seen_words: set[str] = set()
        seen_text: set[str] = set()
        for c, kind, item in ranked:
            if len(out) >= limit or c < MIN_REASON_WEIGHT:
                break
            if kind == _WORD:
                if item in seen_words:
                    continue
                text = self._word_text(item, toks)
                seen_words.add(item)
            elif kind == _PHRASE:
                words = item.split(" ")
                if all(w in seen_words for w in words):
                    continue
                seen_words.update(words)
                text = self._word_text(item, toks)
            elif kind == _FACT:
                text = self.fact_texts_[item]
            else:
                text = fact_reason(AGE_FIELD, "years", age=item)
            if text not in seen_text:
                seen_text.add(text)
                out.append((text, c))
        return out

    @staticmethod
    def _word_text(term: str, toks: list[str]) -> str:
        words = term.split(" ")
        if not any(w.startswith(NEGATION_PREFIX) for w in words):
            return f"Narrative mentions '{' '.join(words)}'"
        # A negated word: report the whole negated run it sits in ("loss of consciousness"),
        # then say it is negated. The trigger is not always next to the run ("chest pain
        # denied", "no history of heart problems"), so it is not quoted: quoting it as
        # "'not breathing' (read as negated)" read to a red team as if a red flag's own words
        # had been dismissed, and dropping the marker made a denied finding read as present
        # (a code review). Both 2026-12-02.
        n = len(words)
        for i in range(len(toks) - n + 1):
            if toks[i : i + n] == words:
                lo, hi = i, i + n
                while lo > 0 and toks[lo - 1].startswith(NEGATION_PREFIX):
                    lo -= 1
                while hi < len(toks) and toks[hi].startswith(NEGATION_PREFIX):
                    hi += 1
                words = toks[lo:hi]
                break
        plain = " ".join(_strip(w) for w in words if w.startswith(NEGATION_PREFIX))
        return f"Narrative: '{plain}' negated"
