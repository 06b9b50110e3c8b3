"""The batch path: a whole batch's tokens, scores, familiarity and explanations as arrays.

``Predictor.suggest`` walks one request's tokens in Python; done a thousand times, that loop
(and the explainer's and the familiarity check's loops over the same tokens) is most of what a
batch costs. ``BatchScorer`` instead:

- preprocesses each distinct narrative once (``triage.text.negation.preprocess``, the one-request
  function, so the text read is the same) and tokenises the whole batch with one regular
  expression over the joined text (a NUL separates narratives; NUL never survives the fold);
- works out everything a token means (vocabulary type, word column, character-block row, the
  parts of a token outside the vocabulary, whether it is a content word the model knows) once
  per distinct token of the batch, not once per occurrence;
- sums each request's decision values, character-block norm, word block and explanation scores
  with ``np.bincount`` over (row, value) entries laid out in exactly the order the one-request
  path adds them: ``bincount`` adds its weights one after another in input order, so every
  row's sums are the same floating-point operations in the same order as ``suggest``'s, and the
  batch gives bit for bit what one request gives (tests/test_predictor_batch.py);
- ranks explanations with the explainer's own ``fact_candidates`` and ``select``, fed only the
  few entries that can be named (weight >= MIN_REASON_WEIGHT) in the one-request order.

What stays per request is what is per request: validating the structured facts (cached per
distinct combination of values) and the red-flag rules (``triage.rules.engine.read_request``, whose
text reading is cached per narrative by ``triage.text.normalise`` and ``triage.text.negation``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from triage.explain import _PHRASE, _WORD, MIN_REASON_WEIGHT, Explainer
from triage.familiarity import _NEG, _STOP, MIN_WORD_LEN, Familiarity, FamiliarityPolicy
from triage.fastscore import CompiledScorer
from triage.features import AGE_SCALE
from triage.records import NARRATIVE_FIELD
from triage.text.negation import preprocess
from triage.text.tokens import CLAUSE_BREAK, NEGATION_PREFIX, TOKEN_PATTERN, narrative_age

__all__ = ["BatchScored", "BatchScorer"]

#: Separates narratives in the joined batch text (``triage.text.charfold.fold`` removes NUL).
_SEP = "\x00"
_BATCH_TOKEN_RE = re.compile(TOKEN_PATTERN + "|" + _SEP)
#: Kinds of distinct token.
_SEP_KIND, _BREAK_KIND, _UNKNOWN_KIND = -3, -2, -1


@dataclass(frozen=True)
class BatchScored:
    """A scored batch: what ``CompiledScorer.score`` gives each request, as arrays.

    ``decision`` (n x 3), ``char_scale`` and ``word_value`` (n) are bit for bit the one-request
    values; ``fact_columns`` and ``age`` are per request as in ``Scored``; ``content`` and
    ``unknown_content`` count each request's content words and those the model does not know.
    The token stream (``token_ids`` into ``vocab``, ``bounds`` per request) and the per-row
    entry tables are kept for ``BatchScorer.units``.
    """

    decision: np.ndarray
    char_scale: np.ndarray
    word_value: np.ndarray
    fact_columns: list[list[int]]
    age: list[int | None]
    content: np.ndarray
    unknown_content: np.ndarray
    token_ids: np.ndarray
    token_rows: np.ndarray
    bounds: np.ndarray
    canon: list[str]
    kind: np.ndarray
    unknown_vec: np.ndarray
    word_rows: np.ndarray
    word_cols: np.ndarray

    def __len__(self) -> int:
        return int(self.decision.shape[0])

    def tokens(self, i: int) -> list[str]:
        """Request ``i``'s tokens, as ``tokens_of`` gives them (``Scored.tokens``)."""
        canon = self.canon
        return [canon[u] for u in self.token_ids[self.bounds[i] : self.bounds[i + 1]].tolist()]


class BatchScorer:
    """The batch path over one compiled model (see the module docstring)."""

    def __init__(
        self,
        scorer: CompiledScorer,
        explainer: Explainer,
        known: dict[str, int],
    ) -> None:
        self.scorer = scorer
        self.explainer = explainer
        self._known = known
        text = scorer.features.text_
        self._type_id: dict[str, int] = text.token_types_
        self._type_word = np.asarray(text.type_word_column_, dtype=np.int64)
        self._words: dict[str, int] = text.word_vocabulary_
        self._bigrams = bool(text.bigrams)
        self._n_word = int(text.n_word_features_)
        self._type_rows = scorer.type_char_rows
        self._weights = scorer.weights
        self._intercept = scorer.intercept
        facts = scorer.features.facts_
        self._facts = facts
        self._fact_fields: tuple[str, ...] = tuple(facts.fields_)
        self._fact_offset = int(scorer.features.n_text_features_)
        self._age_col = facts.age_column_
        self._narrative_age = facts.narrative_age_column_ is not None
        # The explainer's tables as arrays: character-block contrast of every known token type
        # (n_types x 3) and every column's contrast weight (n_features x 3).
        self._type_contrast = explainer.type_contrast_
        self._contrast = explainer.contrast_
        self._contrast_vectors = np.asarray(explainer.contrast_vectors_, dtype=np.float64)
        self._term_is_phrase = np.asarray([" " in t for t in explainer.word_terms_], dtype=bool)

    # -- scoring -------------------------------------------------------------------------

    def score(self, records: Sequence[Mapping[str, Any]]) -> BatchScored:
        """Every request mapping of the batch -> its linear-stage decision values and parts."""
        n = len(records)
        narratives = _narratives(records)
        pre_of = {t: preprocess(t) for t in dict.fromkeys(narratives)}
        pres = [pre_of[t] for t in narratives]
        tk = self._tokenise(pres)
        c, char_scale, pos = self._char_block(tk, n)
        word_rows, word_cols, word_value, wsum = self._word_block(tk, n)
        # Facts, per request (cached per distinct combination of values).
        fact_columns, ages, age_values = self._facts_of(records, pres, pre_of)
        decision = self._decision(n, wsum * word_value[:, None], fact_columns, age_values,
                                  c, char_scale, pos)
        tables, tok_ids, tok_rows = tk.tables, tk.tok_ids, tk.tok_rows
        content = np.bincount(tok_rows[tables.content[tok_ids]], minlength=n)
        unknown_content = np.bincount(tok_rows[tables.unknown_content[tok_ids]], minlength=n)
        return BatchScored(
            decision=decision,
            char_scale=char_scale,
            word_value=word_value,
            fact_columns=fact_columns,
            age=ages,
            content=content,
            unknown_content=unknown_content,
            token_ids=tok_ids,
            token_rows=tok_rows,
            bounds=tk.tok_bounds,
            canon=tables.canon,
            kind=tables.kind,
            unknown_vec=tables.unknown_vec,
            word_rows=word_rows,
            word_cols=word_cols,
        )

    def _tokenise(self, pres: list[str]) -> _Tokens:
        """Every token of the batch, separators dropped, with its request and its kind."""
        flat = _BATCH_TOKEN_RE.findall(_SEP.join(pres) + _SEP)
        ids: dict[str, int] = {t: i for i, t in enumerate(dict.fromkeys(flat))}
        vocab = list(ids)
        tid = np.fromiter(map(ids.__getitem__, flat), dtype=np.int64, count=len(flat))
        tables = self._token_tables(vocab)
        tkind = tables.kind[tid]
        is_sep = tkind == _SEP_KIND
        sep_pos = np.flatnonzero(is_sep)
        # request of every token, and each request's token range (separators excluded)
        row = np.cumsum(is_sep) - is_sep
        bounds = np.concatenate(([0], sep_pos + 1))
        keep = ~is_sep
        return _Tokens(vocab=vocab, tables=tables, tok_ids=tid[keep], tok_rows=row[keep],
                       tok_kind=tkind[keep], tok_bounds=bounds - np.arange(bounds.shape[0]))

    def _char_block(self, tk: _Tokens, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Character-block sums per request (n x 3), their scale, and which requests have one."""
        tables = tk.tables
        known = tk.tok_kind >= 0
        unk = tk.tok_kind == _UNKNOWN_KIND
        k_rows, k_types = tk.tok_rows[known], tk.tok_kind[known]
        u_rows, u_ids = tk.tok_rows[unk], tk.tok_ids[unk]
        # Character block: known types in token order, then unknown tokens in token order.
        c_rows = np.concatenate((k_rows, u_rows))
        rows_tr = self._type_rows
        c = np.empty((n, 3))
        for k in range(3):
            w = np.concatenate((rows_tr[k_types, k], tables.unknown_vec[u_ids, k]))
            c[:, k] = np.bincount(c_rows, weights=w, minlength=n)
        # Squared norm: known types' squared norms, then each unknown token's squared counts.
        lens = tables.sq_len[u_ids]
        starts = tables.sq_ptr[u_ids]
        total = int(lens.sum())
        idx = np.repeat(starts - (np.cumsum(lens) - lens), lens) + np.arange(total)
        z2 = np.bincount(
            np.concatenate((k_rows, np.repeat(u_rows, lens))),
            weights=np.concatenate((rows_tr[k_types, 3], tables.sq_flat[idx])),
            minlength=n,
        )
        pos = z2 > 0
        char_scale = np.zeros(n)
        char_scale[pos] = 1.0 / np.sqrt(z2[pos])
        return c, char_scale, pos

    def _word_block(self, tk: _Tokens, n: int
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Word block: the known types' word columns and the bigrams' columns, distinct and
        sorted (rows, columns), each request's shared value, and its weight sums (n x 3)."""
        tok_ids, tok_rows, tok_kind, vocab = tk.tok_ids, tk.tok_rows, tk.tok_kind, tk.vocab
        known = tok_kind >= 0
        k_rows, k_types = tok_rows[known], tok_kind[known]
        wc = self._type_word[k_types]
        has = wc >= 0
        w_rows_parts = [k_rows[has]]
        w_cols_parts = [wc[has]]
        if self._bigrams and tok_ids.shape[0] > 1:
            pairable = tok_kind >= _UNKNOWN_KIND
            ok = pairable[1:] & pairable[:-1] & (tok_rows[1:] == tok_rows[:-1])
            first = np.flatnonzero(ok)
            if first.shape[0]:
                keys = tok_ids[first] * len(vocab) + tok_ids[first + 1]
                uniq, inv = np.unique(keys, return_inverse=True)
                nv = len(vocab)
                get = self._words.get
                pair_col = np.fromiter(
                    (get(vocab[k // nv] + " " + vocab[k % nv], -1) for k in uniq.tolist()),
                    dtype=np.int64,
                    count=uniq.shape[0],
                )
                bc = pair_col[inv]
                hit = bc >= 0
                w_rows_parts.append(tok_rows[first + 1][hit])
                w_cols_parts.append(bc[hit])
        wkeys = np.unique(
            np.concatenate(w_rows_parts) * self._n_word + np.concatenate(w_cols_parts)
        )
        word_rows, word_cols = wkeys // self._n_word, wkeys % self._n_word
        count = np.bincount(word_rows, minlength=n).astype(np.float64)
        word_value = np.zeros(n)
        nz = count > 0
        word_value[nz] = 1.0 / np.sqrt(count[nz])
        W = self._weights
        wsum = np.empty((n, 3))
        for k in range(3):
            wsum[:, k] = np.bincount(word_rows, weights=W[word_cols, k], minlength=n)
        return word_rows, word_cols, word_value, wsum

    def _decision(self, n: int, word_part: np.ndarray, fact_columns: list[list[int]],
                  age_values: list[float | None], c: np.ndarray, char_scale: np.ndarray,
                  pos: np.ndarray) -> np.ndarray:
        """Decision values: intercept + word block, then facts, the age, the character block
        (summed in that order, as the one-request path does)."""
        W = self._weights
        start = self._intercept + word_part
        f_rows = np.repeat(np.arange(n), [len(fc) for fc in fact_columns])
        f_cols = np.fromiter(
            (j for fc in fact_columns for j in fc), dtype=np.int64, count=f_rows.shape[0]
        )
        a_rows = np.asarray([i for i, a in enumerate(age_values) if a is not None], np.int64)
        a_vals = np.asarray([a for a in age_values if a is not None], dtype=np.float64)
        if self._age_col is None:
            a_rows, a_vals = a_rows[:0], a_vals[:0]
        ch_rows = np.flatnonzero(pos)
        all_rows = np.concatenate((np.arange(n), f_rows, a_rows, ch_rows))
        decision = np.empty((n, 3))
        for k in range(3):
            age_w = W[self._fact_offset + self._age_col, k] if self._age_col is not None else 0.0
            weights = np.concatenate(
                (start[:, k], W[f_cols, k], a_vals * age_w, c[ch_rows, k] * char_scale[ch_rows])
            )
            decision[:, k] = np.bincount(all_rows, weights=weights, minlength=n)
        return decision

    def _facts_of(
        self,
        records: Sequence[Mapping[str, Any]],
        pres: list[str],
        pre_of: dict[str, str],
    ) -> tuple[list[list[int]], list[int | None], list[float | None]]:
        """Each request's fact columns (global, the age in years excluded), ``Scored.age`` and
        the age in years / AGE_SCALE, as ``CompiledScorer.score`` works them out."""
        facts = self._facts
        fields = self._fact_fields
        off, age_col = self._fact_offset, self._age_col
        text_ages: dict[str, int | None] = {}
        if self._narrative_age:
            text_ages = {p: narrative_age(p) for p in dict.fromkeys(pre_of.values())}
        cache: dict[tuple[Any, ...], tuple[list[int], int | None, float | None]] = {}
        cols_out: list[list[int]] = []
        ages: list[int | None] = []
        values_out: list[float | None] = []
        for i, (rec, pre) in enumerate(zip(records, pres, strict=True)):
            values = [rec.get(f) for f in fields]
            text_age = text_ages.get(pre)
            # the value's type is part of the key: True == 1, but a bool is not an age
            key = (*values, *map(type, values), text_age)
            try:
                hit = cache.get(key)
            except TypeError:  # an unhashable value: row_columns names it
                hit, key = None, ()
            if hit is None:
                local, age = facts.row_columns(values, i, text_age)
                hit = (
                    [off + j for j in local if j != age_col],
                    None if age is None else round(age * AGE_SCALE),
                    age,
                )
                if key:
                    cache[key] = hit
            cols_out.append(hit[0])
            ages.append(hit[1])
            values_out.append(hit[2])
        return cols_out, ages, values_out

    def _token_tables(self, vocab: list[str]) -> _TokenTables:
        """What every distinct token of a batch means to the model (see ``_TokenTables``)."""
        type_id, known = self._type_id, self._known
        unknown_parts = self.scorer.unknown_parts
        u = len(vocab)
        kind = np.empty(u, dtype=np.int64)
        canon: list[str] = []
        content = np.zeros(u, dtype=bool)
        unknown_content = np.zeros(u, dtype=bool)
        unknown_vec = np.zeros((u, 3))
        sq_len = np.zeros(u, dtype=np.int64)
        sq_parts: list[list[float]] = []
        for i, t in enumerate(vocab):
            if t == _SEP:
                kind[i] = _SEP_KIND
                canon.append(t)
                continue
            if not t[0].isalnum():
                kind[i] = _BREAK_KIND
                canon.append(CLAUSE_BREAK)
                continue
            canon.append(t)
            j = type_id.get(t)
            if j is None:
                kind[i] = _UNKNOWN_KIND
                vec, squares = unknown_parts(t)
                unknown_vec[i] = vec
                sq_len[i] = len(squares)
                sq_parts.append(squares)
            else:
                kind[i] = j
            w = t[len(_NEG) :] if t.startswith(_NEG) else t
            if len(w) >= MIN_WORD_LEN and w.isalpha() and w not in _STOP:
                content[i] = True
                unknown_content[i] = w not in known and _NEG + w not in known
        sq_flat = np.asarray([q for qs in sq_parts for q in qs], dtype=np.float64)
        # unknown tokens' squares sit in vocab order in sq_flat; known tokens have none
        sq_ptr = np.cumsum(sq_len) - sq_len
        return _TokenTables(
            kind, canon, content, unknown_content, unknown_vec, sq_len, sq_ptr, sq_flat
        )

    # -- familiarity and explanations ----------------------------------------------------

    @staticmethod
    def unfamiliar(batch: BatchScored, p: FamiliarityPolicy) -> np.ndarray:
        """Per request, ``p.assess(...).unfamiliar`` (the same test, as arrays)."""
        return (batch.content >= p.min_content_words) & (
            batch.unknown_content >= p.unknown_share * batch.content
        )

    def familiarity_of(self, batch: BatchScored, i: int, p: FamiliarityPolicy) -> Familiarity:
        """``p``'s full assessment of request ``i`` (its reason names the unknown words)."""
        return p.assess(batch.tokens(i), self._known)

    def units(
        self, batch: BatchScored, dispositions: Sequence[int], limit: int
    ) -> list[list[tuple[str, float]]]:
        """``Explainer.units`` for every request towards its disposition index, at once."""
        n = len(batch)
        s = np.asarray(dispositions, dtype=np.int64)
        ex = self.explainer
        cs = batch.char_scale
        tok_ids, tok_rows, kind = batch.token_ids, batch.token_rows, batch.kind
        tkind = kind[tok_ids]
        known = tkind >= 0
        unk = tkind == _UNKNOWN_KIND
        k_rows, k_ids = tok_rows[known], tok_ids[known]
        k_score = self._type_contrast[tkind[known], s[k_rows]] * cs[k_rows]
        u_rows, u_ids = tok_rows[unk], tok_ids[unk]
        m = self._contrast_vectors[s[u_rows]]
        uv = batch.unknown_vec[u_ids]
        u_score = (uv[:, 0] * m[:, 0] + uv[:, 1] * m[:, 1] + uv[:, 2] * m[:, 2]) * cs[u_rows]
        # The word block: unigram terms join the token scores, phrases are ranked on their own.
        w_rows, w_cols = batch.word_rows, batch.word_cols
        w_score = self._contrast[w_cols, s[w_rows]] * batch.word_value[w_rows]
        phrase = self._term_is_phrase[w_cols]
        terms = ex.word_terms_
        ids: dict[str, int] = {}
        canon = batch.canon
        for i, t in enumerate(canon):
            ids.setdefault(t, i)
        names = list(canon)
        uni = np.flatnonzero(~phrase)
        uni_ids = np.empty(uni.shape[0], dtype=np.int64)
        for k, col in enumerate(w_cols[uni].tolist()):
            term = terms[col]
            j = ids.get(term)
            if j is None:
                j = ids[term] = len(names)
                names.append(term)
            uni_ids[k] = j
        rows = np.concatenate((k_rows, u_rows, w_rows[uni]))
        sid = np.concatenate((k_ids, u_ids, uni_ids))
        vals = np.concatenate((k_score, u_score, w_score[uni]))
        cells, first, inv = np.unique(
            rows * len(names) + sid, return_index=True, return_inverse=True
        )
        sums = np.bincount(inv, weights=vals, minlength=cells.shape[0])
        # words a handler may be told about, in the one-request path's dict insertion order
        named = np.asarray(
            [_strip(t) not in ENGLISH_STOP_WORDS for t in names], dtype=bool
        )[cells % len(names)]
        pick = np.flatnonzero((sums >= MIN_REASON_WEIGHT) & named)
        pick = pick[np.lexsort((first[pick], cells[pick] // len(names)))]
        word_entries: list[list[tuple[float, int, Any]]] = [[] for _ in range(n)]
        for r, sc, j in zip(
            (cells[pick] // len(names)).tolist(),
            sums[pick].tolist(),
            (cells[pick] % len(names)).tolist(),
            strict=True,
        ):
            word_entries[r].append((sc, _WORD, names[j]))
        phrase_entries: list[list[tuple[float, int, Any]]] = [[] for _ in range(n)]
        ph = np.flatnonzero(phrase & (w_score >= MIN_REASON_WEIGHT))
        for r, sc, col in zip(
            w_rows[ph].tolist(), w_score[ph].tolist(), w_cols[ph].tolist(), strict=True
        ):
            phrase_entries[r].append((sc, _PHRASE, terms[col]))
        out: list[list[tuple[str, float]]] = []
        for i in range(n):
            ranked = phrase_entries[i]
            ranked.extend(ex.fact_candidates(int(s[i]), batch.fact_columns[i], batch.age[i]))
            ranked.extend(word_entries[i])
            out.append(ex.select(ranked, batch.tokens(i), limit) if ranked else [])
        return out


def _strip(token: str) -> str:
    return token[len(NEGATION_PREFIX) :] if token.startswith(NEGATION_PREFIX) else token


def _narratives(records: Sequence[Mapping[str, Any]]) -> list[str]:
    narratives: list[str] = []
    for i, rec in enumerate(records):
        narrative = rec.get(NARRATIVE_FIELD)
        if not isinstance(narrative, str) or not narrative.strip():
            raise ValueError(
                f"Record {i}: 'narrative' must be a non-empty string. Got {narrative!r}."
            )
        narratives.append(narrative)
    return narratives


@dataclass(frozen=True)
class _Tokens:
    """A batch's tokens (separators dropped): ids into ``vocab``, request, kind, and each
    request's token range."""

    vocab: list[str]
    tables: _TokenTables
    tok_ids: np.ndarray
    tok_rows: np.ndarray
    tok_kind: np.ndarray
    tok_bounds: np.ndarray


@dataclass(frozen=True)
class _TokenTables:
    """Per distinct token of a batch: ``kind`` (its type id when the model knows it, else
    _UNKNOWN_KIND, _BREAK_KIND or _SEP_KIND), ``canon`` (as ``tokens_of`` writes it), whether it
    is a content word and an unknown one (``triage.familiarity``), and for unknown tokens their
    character-block vector and squared counts (``sq_flat[sq_ptr[i] : sq_ptr[i] + sq_len[i]]``)."""

    kind: np.ndarray
    canon: list[str]
    content: np.ndarray
    unknown_content: np.ndarray
    unknown_vec: np.ndarray
    sq_len: np.ndarray
    sq_ptr: np.ndarray
    sq_flat: np.ndarray
