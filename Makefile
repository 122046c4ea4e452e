# make run   — venv + deps + migrate + demo data, serves http://127.0.0.1:8000 on SQLite
#              with the background task worker (manage.py db_worker) beside it
# make test  — venv + deps + lint + migration check + the whole suite on PostgreSQL
#              (a throwaway cluster) with the browser tests, then again on SQLite

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
REQS := requirements.txt requirements-dev.txt
STAMP := $(VENV)/.installed
PYTEST_WORKERS ?= 2

.PHONY: run test venv lint check-migrations test-postgres test-sqlite browser-deps bench serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(REQS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

# The task worker (batch report exports) runs in the background beside the server and is
# stopped when the server stops (Ctrl+C, or the server failing to start).
# make run PORT=8001   another port;   make run DEMO=0   no demo data (a clean start for real work);
# make run DEBUG=1     Django's debug pages instead of the product's Chinese error pages.
PORT ?= 8000
DEMO ?= 1
DEBUG ?= 0
run: venv
	$(BIN)/python manage.py check_port $(PORT)
	DEBUG=$(DEBUG) $(BIN)/python manage.py migrate --noinput
	@if [ "$(DEMO)" = "1" ]; then DEBUG=$(DEBUG) $(BIN)/python manage.py load_demo --force; fi
	DEBUG=$(DEBUG) $(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=$(DEBUG) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: venv
	$(BIN)/python manage.py makemigrations --check --dry-run

browser-deps: venv
	$(BIN)/python tests/browser_setup.py

test-postgres: venv browser-deps
	$(BIN)/python tests/pgcluster.py -- $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -p no:cacheprovider

test-sqlite: venv
	DATABASE_URL=sqlite:///$(CURDIR)/.test-sqlite.db $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -p no:cacheprovider -m "not browser"

test: lint check-migrations test-postgres test-sqlite

# Every benchmark, each ending with its PASS/FAIL line (bench/README.md); load.py needs PostgreSQL.
bench: venv
	$(BIN)/python bench/import_units.py
	$(BIN)/python bench/workspace.py
	$(BIN)/python bench/export.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python tests/pgcluster.py -- $(BIN)/python bench/load.py
	$(BIN)/python tests/pgcluster.py -- $(BIN)/python bench/ballots.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles .test-sqlite.db
