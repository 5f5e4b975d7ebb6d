# The two commands a newcomer needs: `make demo` and `make test`.
# Both build .venv from the lock file on first use and are safe to run again.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.8
INSTALLED := $(VENV)/.installed

.PHONY: demo test lint bench schema clean

$(INSTALLED): requirements/dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "venv needs Debian's python3-venv; installing it"; rm -rf $(VENV); \
	  apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements/dev.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

demo: $(INSTALLED)
	$(BIN)/charterdesk demo charters/*.yaml

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# The suite runs twice: on SQLite (the default), then on a throwaway PostgreSQL server on
# 127.0.0.1 that scripts/test-postgres.sh starts (installing Debian's postgresql if missing).
# `scripts/test-postgres.sh stop` stops it; `rm -rf var/pg-test` forgets it.
test: lint
	$(BIN)/pytest
	url=$$(bash scripts/test-postgres.sh) && \
	  CHARTERDESK_DATABASE_URL="$$url" $(BIN)/pytest -p no:cacheprovider

bench: $(INSTALLED)
	$(BIN)/python benchmarks/calendar.py

schema: $(INSTALLED)
	$(BIN)/charterdesk schema > charterdesk/charter.schema.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
