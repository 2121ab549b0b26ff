# Two entry points: `make run` (the REPL over the bundled article) and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Stamps: what each step installed, redone when pyproject.toml changes. Running needs only
# the runtime dependencies; the test tools (ruff, mypy, pytest) come with the first `make test`.
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: run test install lint typecheck unit bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV): $(RUNTIME) pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(DEV)

run: $(RUNTIME)
	$(BIN)/qabot

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(DEV)
	$(BIN)/mypy

unit: $(DEV)
	$(BIN)/pytest -q -n 2 --dist loadfile

test: lint typecheck unit

bench: $(DEV)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
