"""The cyclic collector around start-up (triage.collector): paused while tables are built,
restored exactly as it was found, and frozen-then-enabled only in a process that started with it
off (``triage serve``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from triage.collector import gc_paused, release_after_start
from triage.predictor import Predictor


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """Whatever a test does to the collector, the next test finds it on and nothing frozen."""
    yield
    gc.unfreeze()
    gc.enable()


def test_gc_paused_turns_the_collector_off_and_back_on(collector_restored: None) -> None:
    gc.enable()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_gc_paused_nested_restores_only_at_the_outer_block(collector_restored: None) -> None:
    gc.enable()
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the inner block found it off and must leave it off"
    assert gc.isenabled()


def test_gc_paused_leaves_a_collector_that_was_off_off(collector_restored: None) -> None:
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_gc_paused_restores_the_collector_when_the_block_raises(
    collector_restored: None,
) -> None:
    gc.enable()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("a build that fails")
    assert gc.isenabled()


def test_release_after_start_does_nothing_where_the_collector_was_never_off(
    collector_restored: None,
) -> None:
    gc.enable()
    before = gc.get_freeze_count()
    assert release_after_start() is False
    assert gc.get_freeze_count() == before
    assert gc.isenabled()


def test_release_after_start_freezes_what_the_start_built_and_turns_the_collector_on(
    collector_restored: None,
) -> None:
    gc.unfreeze()
    gc.disable()
    built = [[i] for i in range(1000)]  # a long-lived table made while it was off
    assert any(o is built for o in gc.get_objects()), "a list is tracked by the collector"
    assert release_after_start() is True
    assert gc.isenabled()
    # frozen: in the permanent generation, which no collection walks
    assert gc.get_freeze_count() > len(built)
    assert not any(o is built for o in gc.get_objects())


def test_building_a_predictor_leaves_the_collector_as_it_found_it(
    predictor: Predictor, collector_restored: None
) -> None:
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        Predictor(predictor.model, predictor.version)
        assert gc.isenabled() is enabled
