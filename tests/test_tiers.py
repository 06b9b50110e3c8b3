"""The test tiers (issue 15, item 5): tests/conftest.py's ``TIERS`` puts every test file in
exactly one tier, each tier is a registered marker with its ``make test-TIER``, a file in no
tier fails collection, and the tiers together are exactly the whole suite."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression  # how ``pytest -m`` evaluates its expression
from conftest import FAST_LANE, TESTS, TIER_NAMES, TIERS

ROOT = TESTS.parent


def _makefile() -> str:
    return (ROOT / "Makefile").read_text(encoding="utf-8")


def test_every_test_file_is_in_one_tier_and_no_other_entry() -> None:
    on_disk = {p.relative_to(TESTS).as_posix() for p in TESTS.rglob("test_*.py")}
    assert set(TIERS) == on_disk
    assert set(TIERS.values()) == set(TIER_NAMES), "a tier has no file, or a typo"


def test_each_tier_is_a_marker_and_a_make_target() -> None:
    ini = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = {m.split(":")[0] for m in ini["tool"]["pytest"]["ini_options"]["markers"]}
    assert set(TIER_NAMES) <= markers
    make = _makefile()
    listed = re.search(r"^TEST_TIERS := (.+)$", make, re.M)
    assert listed is not None and tuple(listed.group(1).split()) == TIER_NAMES
    assert re.search(r"^\$\(addprefix test-,\$\(TEST_TIERS\)\): test-%:", make, re.M)
    fast = re.search(r"^FAST_LANE := (.+)$", make, re.M)
    assert fast is not None and fast.group(1) == FAST_LANE


def test_a_file_in_no_tier_fails_collection_naming_the_table(tmp_path: Path) -> None:
    tests = tmp_path / "tests"
    tests.mkdir()
    shutil.copy(TESTS / "conftest.py", tests / "conftest.py")
    (tests / "test_text.py").write_text("def test_tiered():\n    pass\n", encoding="utf-8")
    (tests / "test_brand_new.py").write_text("def test_new():\n    pass\n", encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-q",
         str(tests)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )
    assert res.returncode == pytest.ExitCode.INTERRUPTED, res.stdout[-3000:]
    assert ("test_brand_new.py is in no test tier: add it to TIERS in tests/conftest.py"
            in res.stdout), res.stdout[-3000:]
    assert "test_text.py" not in res.stdout.split("short test summary")[-1]


@pytest.mark.slow
def test_the_tiers_are_exactly_the_whole_suite(tmp_path: Path) -> None:
    """Collect the whole suite once; each test is selected by exactly one ``-m TIER``, and the
    fast lane holds no slow test."""
    report = tmp_path / "tiers.json"
    res = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         str(TESTS)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
        env={**os.environ, "TRIAGE_TIER_REPORT": str(report)},
    )
    assert res.returncode == 0, res.stdout[-3000:]
    collected = int(re.findall(r"(\d+) tests? collected", res.stdout)[-1])
    markers: dict[str, list[str]] = json.loads(report.read_text(encoding="utf-8"))
    assert len(markers) == collected
    tiers = {name: Expression.compile(name) for name in TIER_NAMES}
    per_tier = dict.fromkeys(TIER_NAMES, 0)
    for nodeid, names in markers.items():
        hits = [t for t, expr in tiers.items() if expr.evaluate(set(names).__contains__)]
        assert len(hits) == 1, f"{nodeid} is in tiers {hits}"
        per_tier[hits[0]] += 1
    assert sum(per_tier.values()) == collected
    assert all(per_tier.values()), per_tier
    fast = Expression.compile(FAST_LANE)
    in_fast = [n for n, names in markers.items() if fast.evaluate(set(names).__contains__)]
    assert in_fast and not any("slow" in markers[n] for n in in_fast)


def test_a_collect_only_run_keeps_the_suite_scores_a_running_suite_wrote() -> None:
    """test_the_tiers_are_exactly_the_whole_suite starts a collect-only pytest mid-run; its
    session start must not delete the scores the vignette suites have already written."""
    from types import SimpleNamespace

    import conftest

    conftest.SUITE_SCORES.mkdir(parents=True, exist_ok=True)
    marker = conftest.SUITE_SCORES / "collect-only-check.json"
    marker.write_text("{}", encoding="utf-8")
    try:
        session = SimpleNamespace(config=SimpleNamespace(option=SimpleNamespace(collectonly=True)))
        conftest.pytest_sessionstart(session)  # type: ignore[arg-type]
        assert marker.exists()
    finally:
        marker.unlink(missing_ok=True)
