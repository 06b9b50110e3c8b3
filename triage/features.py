"""Request records -> one sparse feature matrix: narrative text plus the structured facts.

Two transformers (scikit-learn estimator contract: ``__init__`` stores arguments, learned state
ends in ``_``, ``fit`` returns self) and the one that joins them:

- ``TextFeatures``: the narrative, after ``triage.text.negation.preprocess`` (lower-casing,
  control-room abbreviations, negation scope), as word unigrams and bigrams *and* character n-grams
  inside words (so typos such as "brething" still share most of their features with "breathing").
  Negated words carry their own features: the word n-grams of "not breathing" use the negated token,
  and a negated word's character n-grams are padded with a different boundary mark, so "no LOC"
  never reads like "LOC". The word block (binary) and the character block (counts) are each
  normalised so that a long narrative does not shout down the facts.
- ``FactFeatures``: every structured field of ``triage.schema.TriageRequest`` one-hot, with
  "missing" as a value of its own (missing means not known, never "no"); age also as bands and as
  a number, taken from the narrative ("male 84", "in his 80s") when the field is blank. Field
  names and allowed values come from the schema, never from a list kept here.
- ``RequestFeatures``: text then facts, side by side, float64 CSR.

Input is EITHER a polars DataFrame with the request columns (as the loader returns) OR a sequence
of mappings (``[req.model_dump() for req in requests]``) (or a pandas DataFrame, for
comparisons). The predictor does not call ``transform`` per request: ``triage.fastscore``
computes the same values from per-token sums precomputed at load time (the parity test in
tests/test_predictor.py checks the probabilities agree within 1e-9).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from enum import StrEnum
from itertools import pairwise
from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from triage.records import NARRATIVE_FIELD, Records, column, narratives, record_count, slice_records
from triage.schema import TriageRequest, enum_fields, feature_fields
from triage.text.negation import preprocess
from triage.text.spelling import speller_fingerprint
from triage.text.tokens import AGE_MAX, AGE_MIN, CLAUSE_BREAK, char_ngrams, narrative_age, tokens_of

#: Age bands (lower bounds, years): the clinical life stages the risk changes between.
#: Finer from 60 up, where the risk of the same presentation climbs fastest.
AGE_BAND_EDGES: tuple[int, ...] = (0, 2, 5, 12, 18, 30, 40, 50, 60, 65, 70, 75, 80, 85, 90)
AGE_FIELD = "age"
AGE_SCALE = 100.0
MISSING = "missing"
#: Inputs at least this large are transformed on ``n_jobs`` processes, in this many chunks each.
PARALLEL_MIN_ROWS = 50_000
CHUNKS_PER_JOB = 4

# --------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------


def _unique(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique values of an int array and the inverse index (sort-based, fast)."""
    if a.shape[0] == 0:
        return a, np.zeros(0, dtype=np.int64)
    order = np.argsort(a, kind="stable")
    s = a[order]
    first = np.concatenate(([True], s[1:] != s[:-1]))
    inverse = np.empty(a.shape[0], dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return s[first], inverse


class TextFeatures(TransformerMixin, BaseEstimator):
    """Narrative -> word uni/bigrams (binary) and in-word character n-grams (counts).

    The word block (distinct unigrams and bigrams in the vocabulary) has value
    ``1 / sqrt(number of them)``. The character block is the sum over the narrative's tokens of
    each token's character n-gram counts, divided by ``sqrt(sum over tokens of the squared norm
    of each token's counts)``: close to an L2 normalisation, and it decomposes over tokens, which
    is what lets the predictor score a request from per-token sums precomputed at load time.

    The vocabulary keeps terms seen in at least ``min_df`` training narratives (a character
    n-gram's document frequency is approximated by summing the document frequencies of the words
    that contain it). ``max_words`` / ``max_chars`` cap each block by frequency.
    """

    def __init__(
        self,
        *,
        bigrams: bool = True,
        char_ngram_range: tuple[int, int] = (3, 4),
        min_df: int = 3,
        max_words: int = 200_000,
        max_chars: int = 100_000,
    ) -> None:
        self.bigrams = bigrams
        self.char_ngram_range = char_ngram_range
        self.min_df = min_df
        self.max_words = max_words
        self.max_chars = max_chars

    # -- fitting -------------------------------------------------------------------------

    def fit(self, X: Records, y: Any = None) -> TextFeatures:
        return self.fit_tokens([self.tokens(t) for t in narratives(X)])

    def fit_tokens(self, docs: Sequence[Sequence[str]]) -> TextFeatures:
        """``fit`` from token lists (``tokens_of`` each preprocessed narrative)."""
        lo, hi = self.char_ngram_range
        if not (1 <= lo <= hi):
            raise ValueError(
                "char_ngram_range must be (lo, hi) with 1 <= lo <= hi. "
                f"Got {self.char_ngram_range}."
            )
        if self.min_df < 1:
            raise ValueError(f"min_df must be >= 1. Got {self.min_df}.")
        word_df: Counter[str] = Counter()
        bigram_df: Counter[str] = Counter()
        for toks in docs:
            word_df.update(set(toks))
            if self.bigrams:
                bigram_df.update(
                    {
                        a + " " + b
                        for a, b in pairwise(toks)
                        if a != CLAUSE_BREAK and b != CLAUSE_BREAK
                    }
                )
        word_df.pop(CLAUSE_BREAK, None)
        known = sorted(w for w, c in word_df.items() if c >= self.min_df)
        terms = [(w, word_df[w]) for w in known]
        terms += [(b, c) for b, c in bigram_df.items() if c >= self.min_df]
        terms.sort(key=lambda wc: (-wc[1], wc[0]))
        word_names = sorted(w for w, _ in terms[: self.max_words])
        char_df: Counter[str] = Counter()
        for w in known:
            for g in set(char_ngrams(w, self.char_ngram_range)):
                char_df[g] += word_df[w]
        chars = sorted(char_df.items(), key=lambda gc: (-gc[1], gc[0]))[: self.max_chars]
        char_names = sorted(g for g, c in chars if c >= self.min_df)
        self.word_vocabulary_: dict[str, int] = {w: i for i, w in enumerate(word_names)}
        self.char_vocabulary_: dict[str, int] = {
            g: i + len(word_names) for i, g in enumerate(char_names)
        }
        self.n_word_features_: int = len(word_names)
        self.n_features_out_: int = len(word_names) + len(char_names)
        #: Known token types (seen in >= min_df narratives): their id, word column and character
        #: counts (columns local to the character block, which starts at n_word_features_).
        self.token_types_: dict[str, int] = {w: i for i, w in enumerate(known)}
        self.type_names_: tuple[str, ...] = tuple(known)
        self.type_word_column_ = np.asarray(
            [self.word_vocabulary_.get(w, -1) for w in known], dtype=np.int64
        )
        self.type_chars_: sp.csr_matrix = self._char_rows(known)
        #: What the speller that preprocessed these narratives depended on (the English
        #: dictionary, the clinical lexicon and the red-flag tables' words): the predictor
        #: compares it with the serving process's own when it loads (train/serve skew).
        self.speller_sha256_: str = speller_fingerprint()
        return self

    def token_chars(self, token: str) -> tuple[list[int], list[float]]:
        """One token's character n-gram columns and counts (only n-grams in the vocabulary)."""
        voc = self.char_vocabulary_
        counts: Counter[int] = Counter(
            voc[g] for g in char_ngrams(token, self.char_ngram_range) if g in voc
        )
        cols = sorted(counts)
        return cols, [float(counts[c]) for c in cols]

    def _char_rows(self, tokens: Sequence[str]) -> sp.csr_matrix:
        """Character counts of each token, columns local to the character block."""
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        off = self.n_word_features_
        for t in tokens:
            cols, counts = self.token_chars(t)
            indices.extend(c - off for c in cols)
            data.extend(counts)
            indptr.append(len(indices))
        return sp.csr_matrix(
            (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
            shape=(len(tokens), self.n_features_out_ - off),
        )

    # -- tokens ----------------------------------------------------------------------------

    def tokens(self, narrative: str) -> list[str]:
        """Preprocessed words; any clause punctuation becomes one CLAUSE_BREAK token."""
        return tokens_of(preprocess(narrative))

    # -- many documents ------------------------------------------------------------------------

    def transform(self, X: Records) -> sp.csr_matrix:
        check_is_fitted(self, "word_vocabulary_")
        return self.transform_tokens([self.tokens(t) for t in narratives(X)])

    def transform_preprocessed(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Like ``transform`` for narratives already through ``triage.text.negation.preprocess``."""
        check_is_fitted(self, "word_vocabulary_")
        return self.transform_tokens([tokens_of(t) for t in texts])

    def transform_tokens(self, docs: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """Token lists -> the feature matrix, vectorised over the batch (one pass of Python)."""
        n = len(docs)
        n_out = self.n_features_out_
        type_of = self.token_types_
        n_known = len(type_of)
        extra: dict[str, int] = {}
        flat: list[int] = []
        lengths = np.zeros(n, dtype=np.int64)
        for i, toks in enumerate(docs):
            for t in toks:
                if t == CLAUSE_BREAK:
                    flat.append(-1)
                    continue
                j = type_of.get(t)
                if j is None:
                    j = extra.get(t)
                    if j is None:
                        j = n_known + len(extra)
                        extra[t] = j
                flat.append(j)
            lengths[i] = len(toks)
        n_types = n_known + len(extra)
        type_chars = sp.vstack([self.type_chars_, self._char_rows(list(extra))], format="csr")
        type_word = np.concatenate([self.type_word_column_, np.full(len(extra), -1, np.int64)])
        seq = np.asarray(flat, dtype=np.int64)
        doc = np.repeat(np.arange(n, dtype=np.int64), lengths)
        ok = seq >= 0
        D = sp.csr_matrix((np.ones(int(ok.sum())), (doc[ok], seq[ok])), shape=(n, n_types))
        # Character block: summed token counts over sqrt(sum of squared per-token norms).
        chars = (D @ type_chars).tocsr()
        z2 = D @ np.asarray(type_chars.multiply(type_chars).sum(axis=1)).ravel()
        scale = np.divide(1.0, np.sqrt(z2), out=np.zeros(n), where=z2 > 0)
        chars = sp.csr_matrix(sp.diags(scale) @ chars)
        # Word block: distinct unigram and bigram columns per document.
        word_doc = [doc[ok]]
        word_col = [type_word[seq[ok]]]
        if self.bigrams and seq.shape[0] > 1:
            a, b = seq[:-1], seq[1:]
            pair = (a >= 0) & (b >= 0) & (doc[:-1] == doc[1:])
            codes = a[pair] * n_types + b[pair]
            uniq, inverse = _unique(codes)
            names = list(self.type_names_) + list(extra)
            voc = self.word_vocabulary_
            lookup = np.fromiter(
                (
                    voc.get(names[c // n_types] + " " + names[c % n_types], -1)
                    for c in uniq.tolist()
                ),
                dtype=np.int64,
                count=uniq.shape[0],
            )
            word_doc.append(doc[:-1][pair])
            word_col.append(lookup[inverse])
        wd, wc = np.concatenate(word_doc), np.concatenate(word_col)
        keep = wc >= 0
        cell, _ = _unique(wd[keep] * n_out + wc[keep])
        wd, wc = cell // n_out, cell % n_out
        n_w = np.bincount(wd, minlength=n)
        w_indptr = np.concatenate(([0], np.cumsum(n_w)))
        words = sp.csr_matrix(
            (1.0 / np.sqrt(n_w[wd].astype(np.float64)), wc, w_indptr),
            shape=(n, self.n_word_features_),
        )
        chars.sort_indices()
        return sp.hstack([words, chars], format="csr")

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "word_vocabulary_")
        names = [""] * self.n_features_out_
        for w, j in self.word_vocabulary_.items():
            names[j] = ("text:bigram=" if " " in w else "text:word=") + w
        for g, j in self.char_vocabulary_.items():
            names[j] = "text:char=" + g
        return np.asarray(names, dtype=object)


# --------------------------------------------------------------------------------------------
# Structured facts
# --------------------------------------------------------------------------------------------


def _age_band(age: int) -> str:
    lo = AGE_BAND_EDGES[0]
    for edge in AGE_BAND_EDGES:
        if age >= edge:
            lo = edge
    i = AGE_BAND_EDGES.index(lo)
    hi = AGE_BAND_EDGES[i + 1] - 1 if i + 1 < len(AGE_BAND_EDGES) else None
    return f"{lo}-{hi}" if hi is not None else f"{lo}+"


def fact_fields() -> tuple[str, ...]:
    """The structured request fields a model reads: every feature field but the narrative."""
    return tuple(f for f in feature_fields() if f != NARRATIVE_FIELD)


def fact_levels() -> dict[str, tuple[str, ...]]:
    """Each structured field's one-hot levels, from the schema, each with ``missing`` last.

    Enum fields take their enum's values, booleans ``true``/``false``, age its bands; a field of
    any other type is an error here, so a new field in the schema cannot be silently ignored.
    """
    enums: dict[str, type[StrEnum]] = enum_fields(TriageRequest)
    levels: dict[str, tuple[str, ...]] = {}
    for name in fact_fields():
        if name in enums:
            levels[name] = (*(m.value for m in enums[name]), MISSING)
        elif name == AGE_FIELD:
            levels[name] = (*(_age_band(e) for e in AGE_BAND_EDGES), MISSING)
        else:
            ann = TriageRequest.model_fields[name].annotation
            if ann in (bool, bool | None):
                levels[name] = ("true", "false", MISSING)
            else:
                raise TypeError(
                    f"FactFeatures has no encoding for request field {name!r} ({ann}); "
                    "add one in triage/features.py."
                )
    return levels


class FactFeatures(TransformerMixin, BaseEstimator):
    """Structured facts -> one-hot (with "missing") plus age in years / 100 (0 when missing).

    ``fields`` limits the fields used (None: every structured field of the schema). With
    ``narrative_age`` a request whose age field is missing takes the age its narrative states
    ("male 84", "in his 80s"), flagged by its own column (``fact:age_from_narrative``): the
    operator often types the age into the text and leaves the field blank.
    """

    def __init__(
        self, *, fields: tuple[str, ...] | None = None, narrative_age: bool = True
    ) -> None:
        self.fields = fields
        self.narrative_age = narrative_age

    def fit(self, X: Records, y: Any = None) -> FactFeatures:
        levels = fact_levels()
        chosen = tuple(levels) if self.fields is None else tuple(self.fields)
        unknown = [f for f in chosen if f not in levels]
        if unknown:
            raise ValueError(f"FactFeatures: unknown fields {unknown}; known: {sorted(levels)}.")
        index: dict[str, dict[str, int]] = {}
        names: list[str] = []
        for f in chosen:
            index[f] = {}
            for lv in levels[f]:
                index[f][lv] = len(names)
                names.append(f"fact:{f}={lv}")
        self.age_column_: int | None = None
        self.narrative_age_column_: int | None = None
        self.age_position_: int | None = None
        if AGE_FIELD in chosen:
            self.age_position_ = chosen.index(AGE_FIELD)
            self.age_column_ = len(names)
            names.append(f"fact:{AGE_FIELD}_years")
            if self.narrative_age:
                self.narrative_age_column_ = len(names)
                names.append(f"fact:{AGE_FIELD}_from_narrative")
        self.fields_: tuple[str, ...] = chosen
        self.level_index_: dict[str, dict[str, int]] = index
        self.feature_names_: tuple[str, ...] = tuple(names)
        self.n_features_out_ = len(names)
        #: Per field (``fields_`` order), every accepted raw value -> its column.
        self.value_columns_: list[dict[Any, int]] = self._lookup()
        return self

    def _lookup(self) -> list[dict[Any, int]]:
        """Per field, every accepted raw value -> its column (None -> the missing column)."""
        enums = enum_fields(TriageRequest)
        out: list[dict[Any, int]] = []
        for f in self.fields_:
            idx = self.level_index_[f]
            lut: dict[Any, int] = {None: idx[MISSING]}
            if f == AGE_FIELD:
                lut.update({a: idx[_age_band(a)] for a in range(AGE_MIN, AGE_MAX + 1)})
            elif f in enums:
                for member in enums[f]:
                    lut[member.value] = idx[member.value]
                    lut[member] = idx[member.value]
            else:
                lut[True] = idx["true"]
                lut[False] = idx["false"]
            out.append(lut)
        return out

    def row_columns(
        self, values: Sequence[Any], row: int = 0, text_age: int | None = None
    ) -> tuple[list[int], float | None]:
        """One record's field values (``fields_`` order) -> one-hot columns, ascending, and
        age/100 (None when unknown). ``text_age`` is the narrative's age, used when the age
        field is missing (and ``narrative_age`` is on)."""
        lookup = self.value_columns_
        cols: list[int] = []
        age_value: float | None = None
        for f, v, lut in zip(self.fields_, values, lookup, strict=True):
            try:
                j = lut.get(v)
            except TypeError:
                j = None
            if j is None or (f == AGE_FIELD and isinstance(v, bool)):
                raise ValueError(self._bad_value(f, v, row))
            if f == AGE_FIELD:
                if v is not None:
                    age_value = int(v) / AGE_SCALE
                elif text_age is not None and self.narrative_age_column_ is not None:
                    j = lut[text_age]
                    age_value = text_age / AGE_SCALE
            cols.append(j)
        if age_value is not None and self.age_column_ is not None:
            cols.append(self.age_column_)
            if values[self.age_position_ or 0] is None and self.narrative_age_column_ is not None:
                cols.append(self.narrative_age_column_)
        return cols, age_value

    def _bad_value(self, field: str, value: Any, row: int) -> str:
        if field == AGE_FIELD:
            return (
                f"Record {row}: 'age' must be an integer {AGE_MIN}..{AGE_MAX} or missing. "
                f"Got {value!r}."
            )
        allowed = [lv for lv in self.level_index_[field] if lv != MISSING]
        return f"Record {row}: {field!r} must be one of {allowed} or missing. Got {value!r}."

    def transform(self, X: Records, text_ages: Sequence[int | None] | None = None) -> sp.csr_matrix:
        """Records -> one-hot matrix. ``text_ages``: the narratives' ages, when the caller has
        them already (``RequestFeatures`` does); otherwise they are read here."""
        check_is_fitted(self, "level_index_")
        n = record_count(X)
        if text_ages is None:
            if self.narrative_age_column_ is not None:
                text_ages = [narrative_age(preprocess(t)) for t in narratives(X)]
            else:
                text_ages = [None] * n
        cols_by_field = [column(X, f) for f in self.fields_]
        indptr = np.zeros(n + 1, dtype=np.int64)
        indices: list[int] = []
        data: list[float] = []
        age_col = self.age_column_
        for i, (values, text_age) in enumerate(
            zip(zip(*cols_by_field, strict=True), text_ages, strict=True)
        ):
            cols, age = self.row_columns(values, i, text_age)
            indices.extend(cols)
            data.extend([age if c == age_col and age is not None else 1.0 for c in cols])
            indptr[i + 1] = len(indices)
        return sp.csr_matrix(
            (np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int64), indptr),
            shape=(n, self.n_features_out_),
        )

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "level_index_")
        return np.asarray(self.feature_names_, dtype=object)


# --------------------------------------------------------------------------------------------
# Both
# --------------------------------------------------------------------------------------------


class RequestFeatures(TransformerMixin, BaseEstimator):
    """Text features then fact features, one float64 CSR matrix; the pipeline's first step.

    ``n_jobs``: processes for ``transform`` on large inputs (at least ``PARALLEL_MIN_ROWS``
    records: a training or evaluation set). Feature extraction is pure Python per narrative,
    so a million-row evaluation splits it over the cores; the result is the same matrix.
    """

    def __init__(
        self,
        *,
        text: TextFeatures | None = None,
        facts: FactFeatures | None = None,
        n_jobs: int | None = None,
    ) -> None:
        self.text = text
        self.facts = facts
        self.n_jobs = n_jobs

    def fit(
        self, X: Records, y: Any = None, preprocessed: Sequence[str] | None = None
    ) -> RequestFeatures:
        """Fit both blocks; ``preprocessed`` (optional) is ``triage.text.negation.preprocess`` of
        each
        narrative, when the caller has it already."""
        from sklearn.base import clone

        self.text_ = clone(self.text) if self.text is not None else TextFeatures()
        self.facts_ = clone(self.facts) if self.facts is not None else FactFeatures()
        pre = self._preprocessed(X, preprocessed)
        self.text_.fit_tokens([tokens_of(p) for p in pre])
        self.facts_.fit(X)
        self.n_text_features_: int = self.text_.n_features_out_
        self.n_features_out_: int = self.n_text_features_ + self.facts_.n_features_out_
        #: Columns of the fact block (the boosted model reads these densely).
        self.fact_columns_ = np.arange(self.n_text_features_, self.n_features_out_)
        return self

    @staticmethod
    def _preprocessed(X: Records, preprocessed: Sequence[str] | None) -> Sequence[str]:
        if preprocessed is None:
            return [preprocess(t) for t in narratives(X)]
        if len(preprocessed) != record_count(X):
            raise ValueError(
                f"preprocessed has {len(preprocessed)} texts for {record_count(X)} records."
            )
        return preprocessed

    def transform(self, X: Records, preprocessed: Sequence[str] | None = None) -> sp.csr_matrix:
        check_is_fitted(self, "text_")
        n = record_count(X)
        jobs = effective_jobs(self.n_jobs)
        if jobs <= 1 or n < PARALLEL_MIN_ROWS:
            return self._transform(X, preprocessed)
        if preprocessed is not None and len(preprocessed) != n:
            raise ValueError(f"preprocessed has {len(preprocessed)} texts for {n} records.")
        size = -(-n // (jobs * CHUNKS_PER_JOB))
        bounds = [(a, min(a + size, n)) for a in range(0, n, size)]
        parts = Parallel(n_jobs=jobs)(
            delayed(_transform_chunk)(
                self,
                slice_records(X, a, b),
                None if preprocessed is None else list(preprocessed[a:b]),
            )
            for a, b in bounds
        )
        out = sp.vstack(parts, format="csr")
        out.sort_indices()
        return out

    def _transform(self, X: Records, preprocessed: Sequence[str] | None) -> sp.csr_matrix:
        pre = self._preprocessed(X, preprocessed)
        t = self.text_.transform_preprocessed(pre)
        f = self.facts_.transform(X, [narrative_age(p) for p in pre])
        return sp.hstack([t, f], format="csr", dtype=np.float64)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without ``n_jobs``: processes are a fact of the machine that runs the
        model, applied at load (``triage.model.set_feature_jobs``), not of the one that
        trained it."""
        state = dict(super().__getstate__())
        state["n_jobs"] = None
        return state

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "text_")
        return np.concatenate(
            [self.text_.get_feature_names_out(), self.facts_.get_feature_names_out()]
        )


def effective_jobs(n_jobs: int | None) -> int:
    """``n_jobs`` as a process count: None -> 1, -1 -> every core, never more than the cores."""
    cores = os.cpu_count() or 1
    if n_jobs is None:
        return 1
    if n_jobs < 0:
        return max(cores + 1 + n_jobs, 1)
    return max(min(n_jobs, cores), 1)


def _transform_chunk(
    features: RequestFeatures, X: Records, preprocessed: list[str] | None
) -> sp.csr_matrix:
    return features._transform(X, preprocessed)
