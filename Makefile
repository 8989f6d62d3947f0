# Desk Pilkada. `make demo` runs the demo; `make test` runs the tests. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DESKPILKADA_DEV ?= 1

.PHONY: demo test test-postgres test-browser lint format bench serve migrate seed clean messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: install your Python's venv module (Debian: apt-get install python3-venv)"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python requirements.txt constraints.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	@touch $@

migrate: $(VENV)/.runtime
	$(BIN)/deskpilkada migrate --noinput -v0

# The demo's "now" (deskpilkada/clock.py), for the seed and the server alike: H-1 afternoon unless
# given, e.g. `make demo DESKPILKADA_DEMO_NOW=2024-11-27T20:00+07:00` (election night). The seed
# records its clock and, when the clock has moved, rebuilds the SQLite demo database from scratch.
seed demo: export DESKPILKADA_DEMO_NOW ?= 2024-11-26T15:00+07:00

seed: migrate
	$(BIN)/deskpilkada seed_demo --quiet-logins --rebuild

demo: seed
	$(BIN)/deskpilkada collectstatic --noinput -v0
	@echo
	@$(BIN)/deskpilkada demo_logins
	@echo
	@echo "Desk Pilkada: http://127.0.0.1:$(PORT)/  (demo clock $$DESKPILKADA_DEMO_NOW; Ctrl-C to stop)"
	DESKPILKADA_DEMO=1 SECURE=0 $(BIN)/granian --interface wsgi --host 127.0.0.1 --port $(PORT) --workers 2 --no-access-log deskpilkada.wsgi:application

serve: $(VENV)/.runtime
	$(BIN)/granian --interface wsgi --host 127.0.0.1 --port $(PORT) --workers 2 deskpilkada.wsgi:application

test: $(VENV)/.dev
	@if [ -x /usr/bin/chromium ]; then echo "Browser tests: on (/usr/bin/chromium)"; else echo "Browser tests: SKIPPED, /usr/bin/chromium is missing (Debian: apt-get install chromium)"; fi
	$(BIN)/pytest -n auto -m "not browser and not demo"
	$(BIN)/pytest -m browser -n 2 --dist loadgroup
	$(BIN)/pytest -m demo

# The same suite on PostgreSQL (DATABASE_URL, default: the local test database).
test-postgres: $(VENV)/.dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n auto -m "not browser and not demo"
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -m demo

test-browser: $(VENV)/.dev
	$(BIN)/pytest -m browser -n 2 --dist loadgroup

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy deskpilkada
	$(BIN)/deskpilkada makemigrations --check --dry-run

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

messages: $(VENV)/.runtime
	cd deskpilkada && ../$(BIN)/deskpilkada makemessages -l en --no-obsolete && ../$(BIN)/deskpilkada compilemessages -l en

clean:
	rm -rf $(VENV) var/static
