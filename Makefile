# Every target bootstraps .venv on a machine that has only Python 3 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-matrix ecosystem services lint typecheck pytest bench clean fuzz soak docs docs-serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --disable-pip-version-check -q -e ".[test,bench,example,docs]"
	touch $(STAMP)

# The Harbor Payments example: migrates the database (SQLite file ./harbor.db, or DATABASE_URL),
# seeds a demo partner, prints its API key and the docs URL, serves on 127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/python -m examples.harbor

test: $(STAMP) services lint typecheck pytest

# Services the tests need: installed here, never skipped in CI (Debian's Chromium for the docs test).
services:
	@if [ "$$CI" = "true" ] && ! command -v chromium >/dev/null 2>&1; then \
		apt-get update -qq && apt-get install -y -qq chromium >/dev/null; fi
	@if [ "$$CI" = "true" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; fi

lint: $(STAMP)
	$(BIN)/ruff check accord tests benchmarks examples docs_src docs/_hooks

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/python -m pytest --cov --cov-report=term --cov-fail-under=95

# The documentation site, built strictly into ./site (a broken link or reference fails), and
# served with live reload on 127.0.0.1:8001. `make test` builds it too (tests/docs/).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

docs-serve: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve -a 127.0.0.1:8001

# The suite at the lowest releases Accord's ranges allow (Starlette 0.46.0, Pydantic 2.9.0, anyio
# 4.1.0, ...), each leg in a venv of its own under .matrix/ built by uv (tests/matrix.py).
test-matrix: $(STAMP)
	$(BIN)/python -m tests.matrix $(MATRIX_ARGS)

# FastAPI extensions' own test suites (fastapi-pagination, fastapi-users, fastapi-cache2,
# opentelemetry-instrumentation-fastapi, cadwyn), each from its PyPI sdist in a uv venv of its own
# under .ecosystem/, run on FastAPI 0.163.2 and on Accord through the alias; writes
# docs/ecosystem.md and README's table (tests/ecosystem/suites.py).
ecosystem: $(STAMP)
	$(BIN)/python -m tests.ecosystem.suites $(ECOSYSTEM_ARGS)

bench: $(STAMP)
	command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk) \
		|| echo "wrk could not be installed: the over-HTTP benchmarks will be skipped"
	$(if $(findstring --quick,$(BENCH_ARGS)),,$(BIN)/python -m benchmarks.http_profile \
		|| echo "the HTTP profile could not run (py-spy needs ptrace): its last figures stay")
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Differential fuzzing against FastAPI, long profile: FUZZ_EXAMPLES examples per route, fresh
# random ones each run (`make test` runs the same suite derandomized with 12 per route).
FUZZ_EXAMPLES ?= 1000
FUZZ_REPORT ?= /tmp/accord-fuzz-failures.txt
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_RANDOM=1 PARITY_REPORT=$(FUZZ_REPORT) \
		$(BIN)/python -m pytest tests/fuzz -p no:randomly $(FUZZ_ARGS)

# Soak: the example app under Uvicorn, 500,000 mixed requests (SOAK_ARGS: --requests, --app...).
soak: $(STAMP)
	command -v wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk) \
		|| echo "wrk could not be installed: the Python load generator is used"
	$(BIN)/python -m benchmarks.soak $(SOAK_ARGS)

clean:
	rm -rf $(VENV) .matrix .ecosystem .coverage build site *.egg-info
