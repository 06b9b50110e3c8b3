# The two set-up commands of the README:
#   make demo   synthetic history, a trained model and the service with its page
#   make test   everything the tests need (Debian's chromium and postgresql, the Python
#               packages from pyproject.toml), then lint, type-check and the whole test suite.
# and for the edit-run loop:
#   make test-fast    the unit, data and safety tiers without the slow tests (under 2 minutes)
#   make test-TIER    one tier alone: unit, data, model, safety, service, browser or load
#                     (tests/conftest.py's TIERS puts every test file in one tier)
SHELL := /bin/bash
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

#: The tiers (tests/conftest.py: TIER_NAMES) and the fast lane's marker expression (FAST_LANE).
TEST_TIERS := unit data model safety service browser load
FAST_LANE := (unit or data or safety) and not slow
PYTEST := bash scripts/with-test-postgres.sh $(BIN)/python -m pytest -n 2 --dist loadgroup

.PHONY: install system-deps demo test test-fast $(addprefix test-,$(TEST_TIERS)) lint bench

$(BIN)/triage: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(BIN)/triage

install: $(BIN)/triage

system-deps:
	bash scripts/system-deps.sh

demo: install
	$(BIN)/triage demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

test: system-deps install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(PYTEST)

test-fast: install
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q -m "$(FAST_LANE)"

$(addprefix test-,$(TEST_TIERS)): test-%: system-deps install
	$(PYTEST) -m $*

bench: install
	$(BIN)/python benchmarks/bench_synth.py --rows 1000000
	$(BIN)/python benchmarks/bench_loader.py --rows 1000000
	$(BIN)/python benchmarks/bench_rules.py
	$(BIN)/python benchmarks/bench_spelling.py
	$(BIN)/python benchmarks/bench_predictor.py
	$(BIN)/python benchmarks/bench_training.py --rows 1000000 --promote
	$(BIN)/python benchmarks/bench_service.py --models-dir $${TRIAGE_MODELS_DIR:-models}
	$(BIN)/python benchmarks/bench_startup.py --models-dir $${TRIAGE_MODELS_DIR:-models}
	$(BIN)/python benchmarks/bench_demo.py
