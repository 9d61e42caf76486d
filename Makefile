# BoursOloco — `make run` (app with demo data) and `make test` (the whole suite).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 || command -v python3)
DB_NAME ?= boursoloco
ONLY ?=

.PHONY: install services db demo run test test-cluster test-e2e test-hostile lint format bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml package-lock.json
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

services: install
	bin/services

db: services
	@psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw $(DB_NAME) \
		|| createdb -h 127.0.0.1 -U postgres $(DB_NAME)
	$(PY) manage.py migrate_schemas --verbosity 0
	$(PY) manage.py load_referential --if-empty

demo: db
	$(PY) manage.py load_demo
	$(PY) manage.py roll_up

run: demo
	bin/run

test: services
	$(PY) -m pytest -n 2 --create-db

# Failover: PostgreSQL (pg_auto_failover) and Redis (Sentinel) nodes killed under load, two
# web processes behind nginx, two workers (tests/cluster/; a few minutes, figures printed).
test-cluster: services
	bin/services --cluster
	BOURSOLOCO_CLUSTER_TEST=1 $(PY) -m pytest tests/cluster -p no:xdist -s

# The browser journeys alone (they also run in `make test`).
test-e2e: services
	$(PY) -m pytest tests/e2e -m e2e

# The generated hostile submissions, 1,000 journeys instead of the suite's 150 (~10 min).
test-hostile: services
	HOSTILE_EXAMPLES=1000 $(PY) -m pytest tests/tenant_apps/demands/test_hostile_input.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: services
	$(PY) -m bench $(if $(ONLY),--only $(ONLY))

clean:
	rm -rf $(VENV) var .local
