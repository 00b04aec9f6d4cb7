# Credit Register: the two Quick start commands are `make demo` and `make test`.
# Only Python 3.11+ and make are needed; everything else installs into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup demo test lint workbook vba manifest docs clean bench stress

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	bash scripts/system-deps.sh --fonts-only
	@touch $(STAMP)

setup: $(STAMP)

## demo: build the demo register and run the monthly cycle on it (results in out/demo/)
demo: $(STAMP)
	$(BIN)/credit-register demo

## test: lint (below), then the whole test suite
test: lint
	bash scripts/system-deps.sh
	$(BIN)/pytest

## lint: ruff's rules and formatting, mypy strict (src, tests, scripts) and the import rings
lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports --no-logo

## vba: rebuild the workbook's VBA project, src/credit_register/data/vbaProject.bin (a test checks
## it is current); then run `make workbook`
vba: $(STAMP)
	$(BIN)/python scripts/make_vba_project.py

## workbook: rebuild the shipped workbook/credit_register.xlsm (a test checks it is current)
workbook: $(STAMP)
	$(BIN)/credit-register init workbook/credit_register.xlsm --demo --force

## bench: time the large synthetic register, each step 3 times (builds and caches it first; see
## the README); e.g. make bench BENCH_ARGS="--repeat 1" for a quicker look
BENCH_ARGS ?= --repeat 3
bench: $(STAMP)
	$(BIN)/python scripts/bench.py --size large $(BENCH_ARGS)

## stress: 20 concurrent run/approve pairs (real processes) on the 100,000-invoice register: no
## approval lost, no History row repeated (scripts/stress.py; the register is bench's, cached)
STRESS_ARGS ?= --customers 0.2 --invoices 0.2 --pairs 20
stress: $(STAMP)
	$(BIN)/python scripts/stress.py --size large $(STRESS_ARGS) --out bench/results/stress.json

## manifest: regenerate the add-in's manifest.xml (src/credit_register/addin/) for the default origin
## (a test checks it is current)
manifest: $(STAMP)
	$(BIN)/python -c "from credit_register.server import render_manifest; from pathlib import Path; Path('src/credit_register/addin/manifest.xml').write_text(render_manifest('https://localhost:3000'), encoding='utf-8')"

## docs: regenerate the tables of docs/register.md and docs/policy.md from the schema and the
## policy (a test checks they are current)
docs: $(STAMP)
	$(BIN)/python -m credit_register.tools.doc_tables

clean:
	rm -rf out outbox .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
