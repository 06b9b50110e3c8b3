"""Shared fixtures: a real registry with one promoted model trained on synthetic data.

Fixtures (names are stable; other test modules rely on them):

- ``synthetic_export`` (session): Path of the SYNTHETIC Parquet export the model was trained on
  (``triage.history.synth.generate(FIXTURE_ROWS, FIXTURE_SEED)``). Read it, do not change it.
- ``trained_models_dir`` (session): Path of a model registry holding exactly ONE version (the
  linear candidate), trained by ``training.train.train_and_register`` on that export (with the
  project's hand-written corpus, ``vignettes/corpus.toml``, as ``triage train`` uses it) and
  PROMOTED through the real safety gate (so ``models/current`` points at it). Shared by every
  test of the session: treat it as read-only. To promote, roll back, register or damage
  anything, use ``writable_models_dir``.
- ``writable_models_dir`` (function): a private copy of ``trained_models_dir`` under the test's
  ``tmp_path``; do anything to it.
- ``trained_version`` (session): the version id of that model (what ``current`` resolves to).
- ``predictor`` (session): ``triage.registry.load_predictor(trained_models_dir)``, the served
  predictor (red-flag rules, model, policy, reasons) for that version.

Training takes tens of seconds, so the trained registry is cached in ``tests/artifacts/``
(git-ignored) under a key made of the code (every file in ``triage/`` and ``training/``), the
library versions and the fixture's parameters: any change retrains. A cross-process
``fcntl.flock`` makes pytest-xdist workers wait for one training instead of each running
their own. Each session then works on its own copy, so the cache itself is never modified.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from triage.files import locked
from triage.registry import library_versions, load_predictor, resolve_version

if TYPE_CHECKING:
    from triage.predictor import Predictor

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
FIXTURE_ROWS = 30_000
FIXTURE_SEED = 1
#: The linear candidate only: the boosted one triples the fit time and rarely wins at this size.
FIXTURE_CANDIDATES = ("linear",)
#: Sources whose change invalidates the cached trained registry (``vignettes`` holds the
#: hand-written corpus the model is trained with, as ``triage train`` does by default).
_KEY_SOURCES = ("triage", "training", "vignettes")
#: The red-flag and lexicon tables (.toml) are in it: the gate recorded with the model reads them.
_KEEP_SUFFIXES = (".py", ".jsonl", ".json", ".j2", ".toml")


def fixture_key() -> str:
    """sha256 over the code, data files, library versions and fixture parameters."""
    h = hashlib.sha256()
    h.update(f"{FIXTURE_ROWS}:{FIXTURE_SEED}:{platform.python_version()}".encode())
    h.update(repr(sorted(library_versions().items())).encode())
    h.update(Path(__file__).read_bytes())
    for pkg in _KEY_SOURCES:
        for path in sorted((ROOT / pkg).rglob("*")):
            if path.is_file() and path.suffix in _KEEP_SUFFIXES and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(ROOT)).encode())
                h.update(path.read_bytes())
    return h.hexdigest()[:20]


def _build(target: Path) -> None:
    """Generate the synthetic export and train + promote one model into ``target/models``."""
    from training.train import train_and_register
    from triage.corpus import default_listing, load_corpus
    from triage.history.synth import generate, write_frame

    build = target.with_name(f".build-{target.name}-{os.getpid()}")
    shutil.rmtree(build, ignore_errors=True)
    build.mkdir(parents=True)
    try:
        data = build / "synthetic.parquet"
        write_frame(generate(FIXTURE_ROWS, FIXTURE_SEED), data)
        result = train_and_register(data, build / "models", promote=True,
                                    candidates=FIXTURE_CANDIDATES,
                                    corpus=load_corpus(default_listing()))
        if not result.promoted:
            raise RuntimeError(
                "the fixture model was trained but the safety gate refused it:\n"
                f"{result.refusal}"
            )
        os.rename(build, target)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise


def copy_cached_registry(dest: Path) -> Path:
    """Copy the cached build for the current code to ``dest``, building it first if needed.

    Both happen under one cross-process lock, so concurrent sessions (xdist workers, or two
    people's runs) train once and never copy a build another session is replacing.
    """
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"registry-{fixture_key()}"
    with locked(ARTIFACTS / ".fixture.lock"):
        if not target.is_dir():
            for stale in ARTIFACTS.glob("registry-*"):
                shutil.rmtree(stale, ignore_errors=True)
            _build(target)
        shutil.copytree(target, dest)
    return dest


@pytest.fixture(scope="session")
def _fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This session's own copy of the cached build (export + registry)."""
    return copy_cached_registry(tmp_path_factory.mktemp("trained") / "build")


@pytest.fixture(scope="session")
def synthetic_export(_fixture_build: Path) -> Path:
    """The SYNTHETIC Parquet export (30,000 rows, seed 1) the fixture model was trained on."""
    return _fixture_build / "synthetic.parquet"


@pytest.fixture(scope="session")
def trained_models_dir(_fixture_build: Path) -> Path:
    """A registry with one promoted model (read-only by convention; see the module docstring)."""
    return _fixture_build / "models"


@pytest.fixture(scope="session")
def trained_version(trained_models_dir: Path) -> str:
    return resolve_version(trained_models_dir, "current")


@pytest.fixture(scope="session")
def predictor(trained_models_dir: Path) -> Predictor:
    """The served predictor for the fixture model (loaded hash-checked from the registry)."""
    return load_predictor(trained_models_dir, "current")


@pytest.fixture
def writable_models_dir(trained_models_dir: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of ``trained_models_dir`` that a test may change freely."""
    copy = tmp_path / "models"
    shutil.copytree(trained_models_dir, copy)
    yield copy


# --------------------------------------------------------------------------------------------
# The vignette suites' scores (tests/test_suites.py), printed at the end of every run
# --------------------------------------------------------------------------------------------

SUITE_SCORES = ARTIFACTS / "suite_scores"


def pytest_sessionstart(session: pytest.Session) -> None:
    # the controller, before any worker runs; never a collect-only run, which tests/test_tiers.py
    # starts in the middle of the suite (it had been deleting the scores the suites had written)
    if not hasattr(session.config, "workerinput") and not session.config.option.collectonly:
        shutil.rmtree(SUITE_SCORES, ignore_errors=True)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    files = sorted(SUITE_SCORES.glob("*.json")) if SUITE_SCORES.is_dir() else []
    if not files:
        return
    terminalreporter.section("vignette suites (fixture model)")
    for path in files:
        d = json.loads(path.read_text(encoding="utf-8"))
        terminalreporter.write_line(
            f"{d['suite']:<38} {d['kind']:<26} n={d['n']:<4} "
            f"critical sensitivity {d['critical_sensitivity']:.3f} ({d['n_critical']} critical)  "
            f"acceptable {d['acceptable_rate']:.3f}  over-triage {d['over_triage_rate']:.3f}  "
            f"unfamiliar {d['unfamiliar']}"
        )


# --------------------------------------------------------------------------------------------
# Test tiers: every test file is in exactly one (``make test-TIER``, ``pytest -m TIER``)
# --------------------------------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent

#: The tiers, in the order the README lists them; each is a marker (pyproject.toml) and a
#: ``make test-TIER`` target. ``make test-fast`` is ``FAST_LANE`` (the Makefile's copy is
#: checked against it by tests/test_tiers.py).
TIER_NAMES = ("unit", "data", "model", "safety", "service", "browser", "load")
FAST_LANE = "(unit or data or safety) and not slow"

#: Every test file (relative to tests/) and its ONE tier. A test file missing here fails
#: collection, so a new file cannot silently escape every tier.
TIERS: dict[str, str] = {
    # unit: the core's logic and the tooling, without a trained model or a server
    "test_architecture.py": "unit",
    "test_features.py": "unit",
    "test_pasted_text.py": "unit",
    "test_comparison.py": "unit",
    "test_policy.py": "unit",
    "test_settings.py": "unit",
    "test_text.py": "unit",
    "test_text_gates.py": "unit",
    "test_tiers.py": "unit",
    # data: synthetic history, the export loader and the data expectations
    "test_loader.py": "data",
    "test_synth.py": "data",
    "test_synth_stats.py": "data",
    "test_corpus.py": "data",
    "test_corpus_cv.py": "data",
    # model: behaviour, training, evaluation, the predictor and its registry's integrity
    "test_boosting.py": "model",
    "test_evaluate.py": "model",
    "test_familiarity.py": "model",
    "test_hardening_registry.py": "model",
    "test_impact.py": "model",
    "test_instruction_budget.py": "model",
    "test_model_behaviour.py": "model",
    "test_manifest.py": "model",
    "test_model_card.py": "model",
    "test_predictor.py": "model",
    "test_predictor_batch.py": "model",
    "test_training.py": "model",
    # safety: red flags, the vignette suites and the promotion gate
    "test_registry.py": "safety",
    "test_rules.py": "safety",
    "test_rules_complex_patients.py": "safety",
    "test_rules_uncommon_emergencies.py": "safety",
    "test_rules_review_gaps.py": "safety",
    "test_rules_events_and_workplaces.py": "safety",
    "test_rules_children_and_outdoors.py": "safety",
    "test_rules_custody_and_crisis.py": "safety",
    "test_rules_classic_lay_words.py": "safety",
    "test_rules_hedged_wording.py": "safety",
    "test_rules_told_in_numbers.py": "safety",
    "test_rules_unseen_and_unchecked.py": "safety",
    "test_rules_unanticipated_wordings.py": "safety",
    "test_rules_without_trigger_words.py": "safety",
    "test_rules_language_barrier.py": "safety",
    "test_rules_audit_style.py": "safety",
    "test_rules_assaults.py": "safety",
    "test_rules_shorthand.py": "safety",
    "test_rules_roads_water_work.py": "safety",
    "test_rules_drink_and_drugs.py": "safety",
    "test_rules_lay_signs_of_death.py": "safety",
    "test_forest.py": "unit",
    "test_rule_probes.py": "safety",
    "test_rules_pasted_lines.py": "safety",
    "test_rules_word_order.py": "safety",
    "test_rules_history.py": "safety",
    "test_rules_second_person.py": "safety",
    "test_rules_apart_from_death.py": "safety",
    "test_rules_older_people_and_birth.py": "safety",
    "test_neutral_text.py": "safety",
    "test_measure_chatter.py": "safety",
    "test_suites.py": "safety",
    "test_vignettes.py": "safety",
    # service: the HTTP app, its store, keys, monitoring, deployment files, the stack, packaging
    "test_batch_pool.py": "service",
    "test_collector.py": "unit",
    "test_ratelimit.py": "unit",
    "test_deploy_manifests.py": "service",
    "test_hardening_service.py": "service",
    "test_hardening_store.py": "service",
    "test_idempotency.py": "service",
    "test_keys.py": "service",
    "test_model_watch.py": "service",
    "test_monitoring.py": "service",
    "test_monitoring_deploy.py": "service",
    "test_packaging.py": "service",
    "test_service_api.py": "service",
    "test_service_cli.py": "service",
    "test_service_lifecycle.py": "service",
    "test_service_schemathesis.py": "service",
    "test_shadow.py": "service",
    "test_stack.py": "service",
    "test_store.py": "service",
    "test_store_pg.py": "service",
    "test_with_test_postgres.py": "service",
    "test_unfamiliar.py": "service",
    # browser: the handler's page in Chromium
    "test_page.py": "browser",
    # load: locust, its profiles and the open workload's arrivals
    "test_loadtest_arrivals.py": "load",
    "test_loadtest_profiles.py": "load",
    "test_loadtest_smoke.py": "load",
}


def _tier_key(path: Path) -> str | None:
    """A test file's key in ``TIERS`` (None for a file outside tests/)."""
    try:
        return path.resolve().relative_to(TESTS).as_posix()
    except ValueError:
        return None


class _Untiered(pytest.Module):
    """A test file that is in no tier: collecting it is an error that says what to do."""

    def collect(self) -> list[pytest.Item | pytest.Collector]:
        raise self.CollectError(
            f"{self.path.name} is in no test tier: add it to TIERS in tests/conftest.py "
            f"(one of {', '.join(TIER_NAMES)})."
        )


def pytest_pycollect_makemodule(
    module_path: Path, parent: pytest.Collector
) -> pytest.Module | None:
    key = _tier_key(module_path)
    if key is not None and key not in TIERS:
        return _Untiered.from_parent(parent, path=module_path)
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test with its file's tier; with TRIAGE_TIER_REPORT set, write every test's
    marker names there as JSON (tests/test_tiers.py reads it)."""
    for item in items:
        key = _tier_key(item.path)
        if key is not None and key in TIERS:
            item.add_marker(TIERS[key])
    report = os.environ.get("TRIAGE_TIER_REPORT")
    if report:
        Path(report).write_text(json.dumps(
            {item.nodeid: sorted({m.name for m in item.iter_markers()}) for item in items}
        ), encoding="utf-8")


@pytest.fixture
def red_flag_tables(tmp_path: Path) -> Path:
    """A copy of the red-flag tables (triage/rules/*.toml) in a folder a test may edit, for
    ``load_tables(folder)``: the malformed-table tests change one entry and expect a refusal."""
    from triage.rules.engine import TABLE_FILES
    from triage.rules.tables import TABLES_PACKAGE

    folder = tmp_path / "red_flags"
    folder.mkdir()
    src = resources.files(TABLES_PACKAGE)
    for name in TABLE_FILES:
        (folder / name).write_bytes(src.joinpath(name).read_bytes())
    return folder
