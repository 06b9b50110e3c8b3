"""How varied the synthetic history's language is: the figures docs/DATA.md reports.

A model can only learn wording its history holds, so the generator's vocabulary and phrase
diversity are part of what a model card should disclose. Computed with polars string kernels
over the narrative column (no per-row Python loop), on any frame the loader or the generator
returns, so the same figures can be compared against a real export.
"""

from __future__ import annotations

from typing import Any

import polars as pl

__all__ = ["language_stats"]


def language_stats(frame: pl.DataFrame, column: str = "narrative") -> dict[str, Any]:
    """Vocabulary and phrase diversity of ``frame[column]``.

    ``vocabulary``: distinct lower-case word types; ``hapax_share``: share of those seen once;
    ``distinct_1`` / ``distinct_2``: distinct words / bigrams over all words / bigrams (the
    standard diversity measures of generated text); ``distinct_narratives``: share of rows whose
    narrative occurs once; ``words_per_narrative`` mean and max; ``long_share``: narratives of
    more than 400 characters.
    """
    if column not in frame.columns:
        raise ValueError(f"The frame has no {column!r} column. Got {frame.columns}.")
    text = frame.get_column(column).cast(pl.String).fill_null("").str.to_lowercase()
    words = text.str.extract_all(r"[a-z][a-z']*")
    flat = words.explode().drop_nulls()
    n_words = flat.len()
    counts = flat.value_counts()
    bigrams = (
        pl.DataFrame({"w": words})
        .with_row_index("row")
        .explode("w")
        .drop_nulls()
        .with_columns(nxt=pl.col("w").shift(-1).over("row"))
        .drop_nulls()
        .select(pl.concat_str(["w", "nxt"], separator=" ").alias("b"))
        .get_column("b")
    )
    lengths = words.list.len()
    n = frame.height
    return {
        "rows": n,
        "words": int(n_words),
        "vocabulary": int(counts.height),
        "hapax_share": _num((counts.get_column("count") == 1).mean()),
        "distinct_1": counts.height / n_words if n_words else 0.0,
        "distinct_2": bigrams.n_unique() / bigrams.len() if bigrams.len() else 0.0,
        "distinct_narratives": _num(text.is_unique().mean()) if n else 0.0,
        "words_per_narrative": _num(lengths.mean()),
        "max_words": int(_num(lengths.max())),
        "long_share": _num((text.str.len_chars() > 400).mean()),
    }


def _num(value: object) -> float:
    """A polars aggregate as a float (an empty column's None is 0)."""
    return float(value) if isinstance(value, int | float) else 0.0
