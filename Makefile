# Two entry points for a fresh machine (see README): `make plan` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MONTH ?=

.PHONY: plan test lint bench mutation clean

$(BIN)/planner: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

plan: $(BIN)/planner
	$(BIN)/planner plan $(if $(MONTH),--month $(MONTH))

test: $(BIN)/planner
	$(BIN)/ruff check planner tests bench
	$(BIN)/mypy planner
	$(BIN)/python -m pytest -n auto

bench: $(BIN)/planner
	$(BIN)/python -m bench

# Mutation run on the checker, planner/checks.py (docs/mutation.md); fails on a surviving
# mutant that docs/mutation.md does not record. JOBS=1 to leave a core free.
mutation: $(BIN)/planner
	$(BIN)/python scripts/mutation.py $(if $(JOBS),--jobs $(JOBS))

clean:
	rm -rf $(VENV) outputs/20* outputs/planner.db* mutants
