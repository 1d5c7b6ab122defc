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

# The Spark tests run in a pytest of their own beside the others, with dbt's target and log
# folders of their own, and a JVM that takes one core, leaving the other to the other tests;
# their report follows. The incremental build on Spark (minutes more) is left to test-spark.
test: lint
	@mkdir -p logs
	DBT_TARGET_PATH=$(CURDIR)/target/spark-tests DBT_LOG_PATH=$(CURDIR)/logs/spark-tests \
	JAVA_TOOL_OPTIONS=-XX:ActiveProcessorCount=1 \
	$(BIN)/pytest -m 'spark and not spark_incremental' -p no:cacheprovider > logs/test-spark.log 2>&1 & spark=$$!; \
	$(BIN)/pytest -m 'not spark'; status=$$?; \
	wait $$spark || status=1; cat logs/test-spark.log; exit $$status

# The Spark tests alone, the incremental build on Spark among them.
test-spark: setup
	$(BIN)/pytest -m spark

# Build figures at BENCH_CALLS calls (default 1000000) into docs/benchmarks.md; not a test.
bench: setup
	$(BIN)/python -m callstats.bench
