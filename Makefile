# AllWork Interview — the two commands a newcomer needs:
#   make run    install into .venv, migrate, load demo data once, serve on http://127.0.0.1:8080
#   make test   install what the tests need (system packages, browser, services) and run every test
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test install install-test lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

# the tests also cover the openai-whisper backend: it needs PyTorch (the CPU build, 2.13.0)
$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet 'torch==2.13.0'
	$(BIN)/pip install --quiet -e '.[test,openai-whisper]'
	touch $(TEST_STAMP)

install: $(STAMP)

install-test: $(TEST_STAMP)

run: install
	$(BIN)/allwork db upgrade
	$(BIN)/allwork demo
	$(BIN)/allwork serve

test: install-test
	bash scripts/test-setup.sh
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy core web matching interview tests bench
	$(BIN)/lint-imports

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-test
	$(BIN)/python bench/bench_matching.py
	$(BIN)/python bench/bench_signaling.py
	$(BIN)/python bench/bench_transcribe.py --quick
	$(BIN)/python bench/bench_practice.py

clean:
	rm -rf $(VENV) data .pytest_cache
