# The two commands of the README: `make demo` and `make test` (and `make bench`).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup demo test pytest test-spark lint bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --constraint constraints.txt uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python --constraint constraints.txt \
		--compile-bytecode --editable '.[dev]'
	# Where the package index lets uv reuse no earlier build, each install builds pyspark from
	# its source again and uv's cache keeps every build (1 GB each): drop the ones no install
	# refers to any more (uv waits for other installs using its cache).
	$(BIN)/uv cache prune --quiet
	touch $@

demo: setup
	$(BIN)/callstats demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint --processes 0 models tests/singular

# The lint and every test, side by side: the lint's minute of CPU fits in the time the tests
# wait on servers and processes they start.
test: setup
	$(MAKE) --no-print-directory --jobs=2 lint pytest

# Every test, in three pytest-xdist workers: each test file runs in one worker (its warehouses
# are built once), the Spark tests and the other slow files first (tests/python/conftest.py);
# Spark's JVM takes one core of the two, before the other workers (they yield it the CPU).
pytest: setup
	JAVA_TOOL_OPTIONS=-XX:ActiveProcessorCount=1 \
	$(BIN)/pytest -n 3 --dist loadfile --no-loadscope-reorder --durations=30

# The Spark tests alone.
test-spark: setup
	$(BIN)/pytest -m spark

# Build figures at BENCH_CALLS calls (default 1000000) into docs/benchmarks.md; not a test.
bench: setup
	$(BIN)/python -m callstats.bench
