# Fairhearing: one Makefile for developers and CI.
#
#   make demo    SQLite, demo data, dev server on http://127.0.0.1:8000 (+ a db_worker)
#   make test    system packages, lint, typecheck, pytest on SQLite then on PostgreSQL
#
# Extra pytest arguments: make test PYTEST_ARGS='-k ledger -x'

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
FH := $(BIN)/fairhearing
PYTEST := $(BIN)/pytest -p no:cacheprovider -q
PYTEST_ARGS ?=

# Stamps live inside the directories they describe, so removing .venv or node_modules
# also forgets that they were installed.
VENV_STAMP := $(VENV)/.stamp-requirements
VENV_DEV_STAMP := $(VENV)/.stamp-requirements-dev
NPM_STAMP := node_modules/.stamp-package-lock

PG_INITDB := /usr/lib/postgresql/15/bin/initdb
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
APT_GET := DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0

.PHONY: help system-deps node-deps venv venv-dev assets migrate demo lint typecheck \
	test test-sqlite test-postgres production-check messages clean bench bench-full bench-venv \
	bench-peer-venv

help:
	@echo "make demo       run the demo on SQLite (http://127.0.0.1:8000)"
	@echo "make test       install everything, lint, typecheck, pytest on SQLite and PostgreSQL"
	@echo "other targets:  system-deps venv venv-dev assets migrate lint typecheck"
	@echo "                test-sqlite test-postgres clean"
	@echo "make bench      quick benchmark run on PostgreSQL (make bench-full: full sizes)"

# --- system packages (Debian 12, as root) -------------------------------------------------

# Skips apt entirely when everything is already there, so repeat runs are instant.
system-deps:
	@if [ -x $(PG_INITDB) ] && [ -x $(CHROMIUM) ] && [ -x $(NGINX) ] && command -v openssl >/dev/null 2>&1 \
		&& command -v npm >/dev/null 2>&1; then \
		echo "system-deps: PostgreSQL 15, Chromium, nginx, openssl and npm already installed"; \
	else \
		pkgs="postgresql chromium fonts-liberation nginx openssl"; \
		command -v npm >/dev/null 2>&1 || pkgs="$$pkgs nodejs npm"; \
		echo "system-deps: apt-get install $$pkgs"; \
		$(APT_GET) update; \
		$(APT_GET) install --no-install-recommends $$pkgs; \
	fi

# The demo needs only npm from the system.
node-deps:
	@if command -v npm >/dev/null 2>&1; then :; else \
		echo "node-deps: apt-get install nodejs npm"; \
		$(APT_GET) update; \
		$(APT_GET) install --no-install-recommends nodejs npm; \
	fi

# --- Python ------------------------------------------------------------------------------

$(PY):
	python3 -m venv $(VENV)

$(VENV_STAMP): requirements.txt pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	$(PY) -m pip install --disable-pip-version-check -q -e . --no-deps
	touch $@

$(VENV_DEV_STAMP): requirements-dev.txt $(VENV_STAMP)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

venv: $(VENV_STAMP)

venv-dev: $(VENV_DEV_STAMP)

# --- front-end assets --------------------------------------------------------------------

$(NPM_STAMP): package-lock.json package.json
	npm ci --no-audit --no-fund
	touch $@

# npm ci only when the lock file changes; the build itself is run every time (it is quick,
# and its inputs are the front-end sources, which change far more often).
assets: node-deps $(NPM_STAMP)
	npm run build

# Translations: each catalogue compiled from its .po (Babel, from the venv: no GNU gettext).
PO_FILES := $(wildcard fairhearing/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

%.mo: %.po $(VENV_STAMP)
	$(BIN)/pybabel compile -i $< -o $@ -l $(word 3,$(subst /, ,$<))

messages: $(MO_FILES)

# --- Django ------------------------------------------------------------------------------

migrate: venv
	$(FH) migrate --noinput

# The db_worker (reminders) runs in the background and is stopped when runserver exits.
demo: node-deps venv assets messages migrate
	$(FH) load_demo
	$(FH) deadlines schedule
	@# The demo's post (demo/post_page.py) is on this site: its captures may reach it.
	@FAIRHEARING_CAPTURE_ALLOW_PRIVATE=127.0.0.1:8000 $(FH) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	echo "Fairhearing demo: http://127.0.0.1:8000"; \
	$(FH) runserver 127.0.0.1:8000

# --- checks ------------------------------------------------------------------------------

lint: venv-dev
	$(BIN)/ruff check fairhearing
	$(BIN)/ruff format --check fairhearing
	$(BIN)/lint-imports --no-cache

typecheck: venv-dev
	$(BIN)/mypy fairhearing

test-sqlite: venv-dev messages
	env -u DATABASE_URL -u READ_REPLICA_URL $(PYTEST) $(PYTEST_ARGS)

# Throwaway PostgreSQL cluster on a free loopback port, with a streaming standby on another
# (READ_REPLICA_URL: core/tests/test_replica.py reads from it); both always stopped, pytest's
# status kept.
test-postgres: venv-dev messages
	@pg_env=$$(scripts/test-postgres start); \
	trap 'scripts/test-postgres stop' EXIT; \
	replica_env=$$(scripts/test-postgres start-replica); \
	echo "test-postgres: $$pg_env $$replica_env"; \
	env "$$pg_env" "$$replica_env" $(PYTEST) $(PYTEST_ARGS)

# Benchmarks (benchmarks/, results in benchmarks/results/; see docs/performance.md). The load
# generator (locust) and the peer (django-helpdesk) live in venvs of their own, so .venv stays
# as production has it.
BENCH_VENV := .bench-venv
BENCH_STAMP := $(BENCH_VENV)/.stamp-requirements

$(BENCH_STAMP): benchmarks/requirements-load.txt
	[ -x $(BENCH_VENV)/bin/python ] || python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --disable-pip-version-check -q \
		-r benchmarks/requirements-load.txt
	touch $@

bench-venv: $(BENCH_STAMP)

bench-peer-venv:
	benchmarks/peer/venv.sh

bench: system-deps venv-dev bench-venv bench-peer-venv
	scripts/bench quick

bench-full: system-deps venv-dev bench-venv bench-peer-venv
	scripts/bench full

test: system-deps venv-dev assets lint typecheck
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory production-check

# The production stack of docs/deploy.md on this machine, DEBUG off, driven in Chromium
# (scripts/production-check); then the same without a worker, which must fail.
production-check: system-deps venv-dev assets messages
	@trap 'scripts/test-postgres stop' EXIT; \
	$(PY) scripts/production-check; \
	$(PY) scripts/production-check --without-worker --expect-failure --ready-timeout 15

clean:
	-@for d in /tmp/fairhearing-pg-*; do \
		[ -d "$$d" ] && FAIRHEARING_PG_DIR="$$d" scripts/test-postgres stop || true; \
	done
	rm -rf $(VENV) node_modules fairhearing/static/dist staticfiles build *.egg-info \
		.mypy_cache .ruff_cache .pytest_cache .hypothesis test-results var/test.sqlite3*
	find fairhearing -name __pycache__ -type d -prune -exec rm -rf {} +
