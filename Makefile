# Joined Up. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_PY := $(VENV)/.installed
STAMP_TEST := $(VENV)/.installed-test
STAMP_NODE := node_modules/.installed
ASSETS := joinedup/static/build/main.css
DEMO_ENV := DEBUG=true SECRET_KEY=demo-only-secret-key-not-for-production-use-0123456789

.DEFAULT_GOAL := help
.PHONY: help run test test-sqlite test-postgres lint format bench assets demo worker clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

$(STAMP_PY): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

$(STAMP_TEST): $(STAMP_PY)
	@touch $@

$(STAMP_NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(ASSETS): $(STAMP_NODE) assets/build.mjs $(wildcard assets/scss/*.scss)
	npm run --silent build

assets: $(ASSETS) ## Build the CSS and scripts from GOV.UK Frontend

run: $(STAMP_PY) $(ASSETS) ## Install, migrate SQLite, load the demo and serve on 127.0.0.1:8000
	$(DEMO_ENV) $(BIN)/joinedup migrate --no-input -v0
	$(DEMO_ENV) $(BIN)/joinedup demo
	$(DEMO_ENV) $(BIN)/joinedup runserver 127.0.0.1:8000

worker: $(STAMP_PY) ## Run the background worker and scheduler (demo settings)
	$(DEMO_ENV) $(BIN)/joinedup worker

# A file-based SQLite test database, so the concurrency tests can have two writers.
SQLITE_TEST_DB ?= /tmp/joinedup-test-$(shell id -u).sqlite3

test: $(STAMP_TEST) $(ASSETS) ## Install what the tests need and run the suite on SQLite
	DATABASE_TEST_NAME=$(SQLITE_TEST_DB) $(BIN)/pytest $(PYTEST_ARGS)

# The tests that never touch a database answer the same on every engine: the SQLite leg runs them.
test-postgres: $(STAMP_TEST) $(ASSETS) ## Run the database tests on PostgreSQL (DATABASE_URL must be set)
	JOINEDUP_DATABASE_TESTS_ONLY=1 $(BIN)/pytest -m "not browser and not fuzz and not matrix" $(PYTEST_ARGS)

lint: $(STAMP_TEST) ## ruff lint and format check, djlint, mypy on the pure cores
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint --lint templates joinedup
	$(BIN)/mypy

format: $(STAMP_TEST) ## Format the Python code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP_TEST) $(ASSETS) ## Run the benchmarks on PostgreSQL (see docs/PERFORMANCE.md)
	$(BIN)/python -m bench

clean: ## Remove the virtual environment, node modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules joinedup/static/build staticfiles db.sqlite3*
