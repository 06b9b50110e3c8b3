"""Language diversity figures of a history (triage.history.synth_stats). Data here is SYNTHETIC."""

from __future__ import annotations

import polars as pl
import pytest

from triage.history.synth import generate
from triage.history.synth_stats import language_stats


def test_figures_on_a_hand_made_frame() -> None:
    df = pl.DataFrame({"narrative": ["Chest pain, chest pain", "chest PAIN", "fell over",
                                     "Fell over"]})
    s = language_stats(df)
    assert s["rows"] == 4 and s["words"] == 10
    assert s["vocabulary"] == 4  # chest, pain, fell, over
    assert s["hapax_share"] == 0.0
    assert s["distinct_1"] == pytest.approx(4 / 10)
    # bigrams within rows only: chest pain x3, pain chest, fell over x2
    assert s["distinct_2"] == pytest.approx(3 / 6)
    assert s["distinct_narratives"] == pytest.approx(2 / 4)  # "fell over" twice once lowered
    assert s["max_words"] == 4


def test_a_missing_column_is_named() -> None:
    with pytest.raises(ValueError, match="no 'text' column"):
        language_stats(pl.DataFrame({"narrative": ["x"]}), "text")


def test_generated_history_is_varied_and_buries_some_key_facts() -> None:
    df = generate(20_000, 5)
    s = language_stats(df)
    assert s["vocabulary"] > 2000
    assert s["distinct_narratives"] > 0.85
    # a long report that opens with chatter and reaches the clinical content later
    long = df.filter(pl.col("narrative").str.len_chars() > 200)
    assert long.height > 100
