# The two commands a newcomer needs: `make demo` and `make test`.
# Both build .venv from the lock file on first use and are safe to run again.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
UV_VERSION := 0.13.8
INSTALLED := $(VENV)/.installed

.PHONY: demo demo-reset preview test lint chromium messages bench schema clean mailservers fuzz

$(INSTALLED): requirements/dev.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "venv needs Debian's python3-venv; installing it"; rm -rf $(VENV); \
	  apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements/dev.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

# The desk with five organizations, their staff and six months of history, served on
# http://127.0.0.1:8000/ (PORT=8765 make demo for another port); the worker runs beside it.
# The history is made once; `make demo-reset` forgets it and makes it again.
demo: $(INSTALLED)
	bash scripts/demo.sh

demo-reset: $(INSTALLED)
	bash scripts/demo.sh --reset

# What the five seed charters promise, printed for a case received now.
preview: $(INSTALLED)
	$(BIN)/charterdesk demo charters/*.yaml

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

# The suite runs twice: on SQLite (the default), then on a throwaway PostgreSQL server on
# 127.0.0.1 that scripts/test-postgres.sh starts (installing Debian's postgresql if missing).
# `scripts/test-postgres.sh stop` stops it; `rm -rf var/pg-test` forgets it.
test: lint fuzz chromium mailservers
	$(BIN)/pytest
	url=$$(bash scripts/test-postgres.sh) && \
	  CHARTERDESK_DATABASE_URL="$$url" $(BIN)/pytest -p no:cacheprovider

# The mail parser and the charter loader fuzzed with atheris for FUZZ_SECONDS each (default
# 30), seeded with the intake corpus and the seed charters (fuzz/); a crash or a hang fails
# the run and is kept in var/fuzz/<target>/ (replay: .venv/bin/python fuzz/<target>.py 0 FILE).
FUZZ_SECONDS ?= 30
fuzz: $(INSTALLED)
	$(BIN)/python fuzz/mail_parser.py $(FUZZ_SECONDS)
	$(BIN)/python fuzz/charter_loader.py $(FUZZ_SECONDS)

# The mail tests talk to a throwaway dovecot (IMAP) on 127.0.0.1:51143 that
# scripts/test-dovecot.sh starts (installing Debian's dovecot-imapd if missing); the tests
# find it again through the same script, or use CHARTERDESK_TEST_IMAP=host:port if set. The
# SMTP sink and the LMTP listener run inside the tests. `scripts/test-dovecot.sh stop` stops it.
mailservers:
	@bash scripts/test-dovecot.sh >/dev/null

# The browser tests drive Debian's chromium through Playwright (never a downloaded browser);
# the review pack's PDF needs a font with Cyrillic and Azerbaijani letters (DejaVu).
chromium:
	@command -v chromium >/dev/null && test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  echo "installing Debian's chromium and fonts-dejavu-core for the tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-dejavu-core >/dev/null; }

# Interface translations: `make messages` gathers the strings into charterdesk/locale/*/django.po
# (needs GNU gettext's xgettext) and compiles the .mo files, which are committed, with Babel.
LANGS := pl ru sr_Latn ro az en
messages: $(INSTALLED)
	cd charterdesk && DJANGO_SETTINGS_MODULE=charterdesk.settings ../$(BIN)/django-admin makemessages \
	  $(addprefix -l ,$(LANGS)) --no-obsolete --add-location file
	$(BIN)/pybabel -q compile -d charterdesk/locale -D django

# The desk's benchmarks build a history of 100,000 cases once (kept in /tmp/charterdesk-bench)
# and measure on SQLite; each also takes --cases 1000000 and --postgres URL (see its --help).
bench: $(INSTALLED)
	$(BIN)/python benchmarks/calendar.py
	$(BIN)/python benchmarks/evaluate.py
	$(BIN)/python benchmarks/sweep.py
	$(BIN)/python benchmarks/rebuild.py
	$(BIN)/python benchmarks/queue_page.py

schema: $(INSTALLED)
	$(BIN)/charterdesk schema > charterdesk/charter.schema.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
