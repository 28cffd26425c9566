# Two entry points for a fresh machine (see README): `make plan` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MONTH ?=

.PHONY: plan test lint bench clean

$(BIN)/planner: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

plan: $(BIN)/planner
	$(BIN)/planner plan $(if $(MONTH),--month $(MONTH))

test: $(BIN)/planner
	$(BIN)/ruff check planner tests bench
	$(BIN)/python -m pytest

bench: $(BIN)/planner
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) outputs/20* outputs/planner.db*
