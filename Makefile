# The two commands of the README: `make demo` and `make test` (and `make bench`).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test test-spark lint bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $@

demo: setup
	$(BIN)/callstats demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint models tests/singular

test: lint
	$(BIN)/pytest

# The fixture built on Apache Spark, compared with DuckDB (minutes; not part of `make test`).
test-spark: setup
	$(BIN)/pytest -m spark

# Build figures at BENCH_CALLS calls (default 1000000) into docs/benchmarks.md; not a test.
bench: setup
	$(BIN)/python -m callstats.bench
