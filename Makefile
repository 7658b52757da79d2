# SAMEN030 platform. Two commands set up everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL tier: the local server, trust authentication; pytest-django creates and drops its own databases.
# It runs every test that touches the database (samen030/ and tests/); the PB engine's tests need none.
PG_URL ?= postgres://postgres@127.0.0.1:5432/samen030
CHROMIUM := /usr/bin/chromium
# Buurt and wijk boundaries for the maps: the CBS 2024 files shipped in places/data, or your own (paths or URLs).
SHIPPED_BOUNDARIES := samen030/places/data/utrecht_buurten_2024.geojson samen030/places/data/utrecht_wijken_2024.geojson
BOUNDARIES := $(or $(SAMEN030_BOUNDARIES),$(SHIPPED_BOUNDARIES))
export DJANGO_SETTINGS_MODULE := samen030.settings

.PHONY: help run install install-dev node messages lint typecheck test test-sqlite test-postgres test-browser \
        chromium bench clean lock

help:
	@echo "make run   - install, migrate, load Utrecht and demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test  - install dev tools, lint, type check, and run the whole test suite"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"

$(VENV)/.installed-main: requirements/main.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/main.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed-main

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed-main node_modules/.installed messages
install-dev: $(VENV)/.installed-dev node_modules/.installed messages

node: node_modules/.installed

# Compile the translation catalogs (the .mo files are build output, not kept in git).
messages: $(BIN)/python
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	cd samen030 && DEBUG=true ../$(BIN)/python ../manage.py compilemessages -v0

run: install
	DEBUG=true $(BIN)/samen030 migrate --no-input -v0
	DEBUG=true $(BIN)/samen030 load_places
	for source in $(BOUNDARIES); do DEBUG=true $(BIN)/samen030 import_boundaries "$$source" || exit 1; done
	DEBUG=true $(BIN)/samen030 load_demo
	DEBUG=true $(BIN)/samen030 runserver $(HOST):$(PORT)

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  echo "Installing Debian's chromium for the browser tier"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint samen030 --lint --quiet

typecheck: install-dev
	SAMEN030_TESTING=1 $(BIN)/mypy samen030 pbengine

test-sqlite: install-dev
	SAMEN030_TESTING=1 $(BIN)/pytest -n 2 -m "not browser and not postgres_only" -p no:cacheprovider

test-postgres: install-dev
	@if $(BIN)/python -c "import psycopg; psycopg.connect('postgres://postgres@127.0.0.1:5432/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  SAMEN030_TESTING=1 DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 -m "not browser" -p no:cacheprovider samen030 tests; \
	elif [ "$$CI" = "true" ]; then \
	  echo "PostgreSQL is not reachable at 127.0.0.1:5432, and CI requires the PostgreSQL tier." >&2; exit 1; \
	else \
	  echo "PostgreSQL is not reachable: skipping the PostgreSQL tier (CI runs it)."; \
	fi

test-browser: install-dev chromium
	SAMEN030_TESTING=1 SAMEN030_REQUIRE_BROWSER=1 $(BIN)/pytest -m browser -p no:cacheprovider

test: lint typecheck test-sqlite test-postgres test-browser

bench: install-dev
	$(BIN)/python bench/pages.py

lock:
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements/main.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -q -o requirements/dev.lock

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache

# After changing user-visible text: extract the strings, then translate the new ones in the Dutch catalog.
messages-update: install-dev
	cd samen030 && DEBUG=true ../$(BIN)/python ../manage.py makemessages -l nl -l en --no-obsolete --no-wrap
