"""The instruction-count regression guard (tests/instruction_guard.py): 200 ``suggest`` calls
counted by callgrind must stay within the checked-in budget (+3%), and the guard must catch a
deliberate slowdown. It counts instructions, it does not time anything, so a busy machine does
not move it. valgrind comes from scripts/system-deps.sh (Debian's ``valgrind``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from instruction_guard import (
    BUDGET_FILE,
    GUARD_CANDIDATES,
    TOLERANCE,
    build_inputs,
    count_suggest_instructions,
    library_versions,
    read_budget,
)

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("callgrind")]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    assert shutil.which("valgrind") and shutil.which("callgrind_control"), (
        "valgrind is missing: run scripts/system-deps.sh"
    )
    return build_inputs(tmp_path_factory.mktemp("instruction-guard"))


@pytest.fixture(scope="module")
def count(inputs: tuple[Path, Path]) -> int:
    return count_suggest_instructions(*inputs)


def _limit() -> float:
    budget = read_budget()
    instructions = budget["instructions"]
    assert isinstance(instructions, int) and instructions > 0, f"bad budget in {BUDGET_FILE}"
    return instructions * (1.0 + TOLERANCE)


def test_the_budget_was_measured_on_the_guards_kind_of_model() -> None:
    """A budget counted on another kind of model (a linear one, before 2026-12-03) would pass or
    fail for the wrong reason."""
    assert read_budget().get("candidates") == list(GUARD_CANDIDATES), (
        f"{BUDGET_FILE.name} was measured with candidates {read_budget().get('candidates')}, "
        f"the guard now trains {list(GUARD_CANDIDATES)}: re-measure with --update"
    )


def test_suggest_stays_within_its_instruction_budget(count: int) -> None:
    budget = read_budget()
    assert count <= _limit(), (
        f"200 suggest calls took {count:,} instructions, over the budget {budget['instructions']:,}"
        f" + {TOLERANCE:.0%} ({BUDGET_FILE.name}, measured under {budget['versions']}; now "
        f"{library_versions()}). Find the regression, or re-measure with "
        "'python tests/instruction_guard.py --update' and commit the new budget with the reason."
    )


def test_the_guard_catches_a_deliberate_slowdown(inputs: tuple[Path, Path], count: int) -> None:
    """One extra uncached normalisation per request: a regression of about a tenth."""
    slow = count_suggest_instructions(*inputs, slowdown=True)
    assert slow > count * (1.0 + TOLERANCE)
    assert slow > _limit(), f"the guard let a slowdown through: {slow:,} <= {_limit():,.0f}"
