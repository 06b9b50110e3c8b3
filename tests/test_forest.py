"""The forest's node table (triage/forest.py): nodes in level order across the trees, and a
refusal, naming the fault, of trees whose nodes do not each hang from one root. The walk's
parity with scikit-learn and between one request and a batch is held by tests/test_predictor.py
and tests/test_predictor_batch.py."""

from __future__ import annotations

import numpy as np
import pytest

from triage.forest import CompileError, _level_order


def test_nodes_are_laid_out_level_by_level_across_the_trees() -> None:
    # tree A: 0 -> (1, 2), 2 -> (3, 4); tree B: 5 -> (6, 7); leaves point at themselves
    left = np.array([1, 1, 3, 3, 4, 6, 6, 7])
    right = np.array([2, 1, 4, 3, 4, 7, 6, 7])
    order = _level_order(np.array([0, 5]), left, right)
    assert order.tolist() == [0, 5, 1, 2, 6, 7, 3, 4]


def test_a_node_reached_twice_is_refused() -> None:
    left = np.array([1, 1, 2])
    right = np.array([2, 1, 2])
    with pytest.raises(CompileError, match="hang from one root"):
        _level_order(np.array([0, 1]), left, right)


def test_a_node_no_root_reaches_is_refused() -> None:
    left = np.array([1, 1, 2])
    right = np.array([1, 1, 2])
    with pytest.raises(CompileError, match="hang from one root"):
        _level_order(np.array([0]), left, right)
