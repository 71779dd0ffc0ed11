# The two commands: `make run` serves the service with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
HOST ?= 127.0.0.1
WORKERS ?= 2

.PHONY: run test setup migrate seed lint clean bench backup restore

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

# The page checkers the tests run (the Nu HTML checker, axe-core), pinned in package.json.
node_modules/.installed: package.json
	@if command -v npm >/dev/null; then npm install --no-audit --no-fund --no-package-lock --ignore-scripts --silent && touch $@; \
	else echo "npm not found: the HTML and accessibility checks will be skipped (CI installs it)"; fi

setup: $(VENV)/.installed node_modules/.installed

migrate: setup
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input

seed: migrate
	DEBUG=$${DEBUG:-1} $(PY) manage.py load_seed

# Development settings (DEBUG=1), a production-grade server (gunicorn), demo accounts printed.
run: seed
	DEBUG=$${DEBUG:-1} $(PY) manage.py create_demo_accounts
	@echo "Serving on http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	DEBUG=$${DEBUG:-1} $(VENV)/bin/gunicorn factcheck.wsgi:application \
		--bind $(HOST):$(PORT) --workers $(WORKERS) --error-logfile -

test: setup
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

# The public pages under load at 1,000 and 100,000 claims (bench/run.py; README, Benchmarks).
# Databases under var/bench/, generated when absent; results in bench/results/.
bench: setup
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian's package) for the load"; \
		apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk; } \
		|| { echo "Could not install wrk: run 'sudo apt-get install wrk' and make bench again"; exit 1; }; }
	$(PY) bench/run.py $(BENCH_ARGS)

# A consistent copy of the database while it runs (SQLite's online backup, or pg_dump when
# DATABASE_URL is PostgreSQL): `make backup` or `make backup BACKUP=path`; default var/backups/.
backup: setup
	DEBUG=$${DEBUG:-1} $(PY) manage.py backup $(BACKUP)

# Replace the database's contents with a backup, then verify the public record:
# `make restore BACKUP=var/backups/factcheck-….sqlite3` (asks for confirmation).
restore: setup
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=path"; exit 1; }
	DEBUG=$${DEBUG:-1} $(PY) manage.py restore $(BACKUP)

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache node_modules
