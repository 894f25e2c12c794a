# Every target bootstraps .venv on a machine that has only Python 3 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test services lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -e ".[test,bench]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m examples.demo

test: $(STAMP) services lint typecheck pytest

# Services the tests need: installed here, never skipped in CI (Debian's Chromium for the docs test).
services:
	@if [ "$$CI" = "true" ] && ! command -v chromium >/dev/null 2>&1; then \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; fi

lint: $(STAMP)
	$(BIN)/ruff check accord tests benchmarks examples

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest --cov --cov-report=term --cov-fail-under=95

bench: $(STAMP)
	command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk) \
		|| echo "wrk could not be installed: the over-HTTP benchmarks will be skipped"
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .coverage build *.egg-info
