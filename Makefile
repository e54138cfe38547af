# Pledgebook: `make run` starts the demo on http://127.0.0.1:8000/, `make test` runs every check.
# Both install what they need first (once; again only when requirements/*.txt change).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= $(or $(shell command -v python3.11 2>/dev/null),$(shell command -v python3 2>/dev/null),python3)
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.requirements.stamp
REQUIREMENTS := $(wildcard requirements/*.txt)
CHROMIUM := /usr/bin/chromium

HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The queues `make worker` serves: '*' (all) or e.g. default (mail and reports only).
QUEUES ?= *
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/pledgebook

.PHONY: help install browser run serve stack worker test lint typecheck migrations-check pytest \
	test-postgres bench bench-scale check-deploy clean

help:
	@echo "make run           install, migrate, load the demo data, start 2 workers + server on $(HOST):$(PORT)"
	@echo "make serve         as production: DEBUG off, collectstatic, gunicorn + worker on $(HOST):$(PORT)"
	@echo "make stack         as production with several servers: nginx + 2 gunicorn app servers + worker"
	@echo "                   on PostgreSQL and Redis, http://127.0.0.1:8080/ (DEMO=1: load the demo)"
	@echo "make test          install (with Debian's Chromium), ruff, import layers, mypy, makemigrations --check, pytest"
	@echo "make bench         run the benchmarks (bench/run.py), one JSON object a line"
	@echo "make bench-scale   the map, SDG dashboard and annual report at 1,000,000 commitments and"
	@echo "                   3,000,000 progress reports (generated once, kept, resumable;"
	@echo "                   BENCH_DB=postgresql make bench-scale: one database only)"
	@echo "make check-deploy  manage.py check --deploy with a production-like environment"
	@echo "make test-postgres pytest against PostgreSQL ($(POSTGRES_URL))"
	@echo "make install       only create .venv and install requirements/dev.txt"
	@echo "make clean         remove .venv and var/ (the demo database)"

# Install ------------------------------------------------------------------------------------

$(PY):
	@echo ">>> creating $(VENV) with $(PYTHON)"
	@$(PYTHON) -m venv $(VENV) || { \
		rm -rf $(VENV); \
		echo ">>> '$(PYTHON) -m venv' failed: installing Debian's python3-venv"; \
		scripts/apt-install.sh python3-venv; \
		$(PYTHON) -m venv $(VENV); }

# The stamp is newer than every requirements file once they are installed.
$(STAMP): $(REQUIREMENTS) | $(PY)
	@echo ">>> pip install -r requirements/dev.txt"
	@$(PY) -m pip install --disable-pip-version-check --quiet -r requirements/dev.txt
	@touch $@

install: $(STAMP)

# Browser tests drive Debian's Chromium; a browser is never downloaded (`playwright install`).
$(CHROMIUM):
	@scripts/apt-install.sh chromium

browser: $(CHROMIUM)

# Run ----------------------------------------------------------------------------------------

run: export DEBUG := 1
# Links in mails sent by the worker and printed by load_demo point at the address served.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@scripts/run-dev.sh $(HOST) $(PORT)

# As production serves it (deploy/gunicorn.conf.py), on loopback: scripts/serve.sh.
serve: install
	@case "$(HOST)" in 127.*|localhost) ;; \
		*) echo "make serve runs on loopback only (HOST=$(HOST)): put deploy/nginx.conf in front"; exit 2;; esac
	@scripts/serve.sh $(HOST) $(PORT)

# nginx in front of two identical app servers and a task worker, on one PostgreSQL
# (DATABASE_URL, default the database pledgebook_stack) and one Redis (CACHE_URL), loopback only:
# scripts/stack.sh, docs/STACK.md.  DEMO=1 loads the demo data and prints its logins.
stack: install
	@scripts/stack.sh $(if $(filter 1,$(DEMO)),--demo)

worker: export DEBUG := 1
worker: install
	$(PY) manage.py db_worker --queue-name '$(QUEUES)'

# Checks -------------------------------------------------------------------------------------
# Tests import the settings as production does (DEBUG=0, a SECRET_KEY of its own);
# tests/conftest.py then switches to immediate tasks, the locmem mail outbox and plain HTTP.

TEST_ENV := export SECRET_KEY=test-only-not-a-secret DEBUG=0;

# var/static: WhiteNoise warns on every request when STATIC_ROOT does not exist.
var/static:
	@mkdir -p $@

test: install browser | var/static
	@$(TEST_ENV) scripts/check.sh $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install
	@$(TEST_ENV) $(BIN)/mypy pledgebook

migrations-check: install
	@$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

pytest: install browser | var/static
	@$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL; the test runner creates (and drops) test_<name> itself.
test-postgres: install browser | var/static
	@scripts/ensure-postgres.sh "$(POSTGRES_URL)"
	@$(TEST_ENV) export DATABASE_URL="$(POSTGRES_URL)"; $(BIN)/pytest $(PYTEST_ARGS)

# One JSON object a line: directory, commitment page and API (SQLite and PostgreSQL), the
# similarity engine (throughput, top-10, serving RSS), and the annual accountability report.
bench: install
	$(PY) bench/run.py
	$(PY) bench/similarity.py
	$(PY) bench/annual.py
	$(PY) bench/schedule.py
	$(PY) bench/cochairs.py
	$(PY) bench/finder.py
	$(PY) bench/pitch.py
	$(PY) bench/registry_import.py
	$(PY) bench/sdg_eval.py
	$(PY) bench/similar_commitments.py
	$(PY) bench/assessment_agreement.py
	$(PY) bench/embedding_throughput.py --max-tokens 96
	$(PY) bench/duplicates_eval.py

# The map, the SDG dashboard, the page benchmarks and the annual report at 1,000,000 commitments
# (and 3,000,000 progress reports), same JSON lines.  The data is generated once into
# var/bench-scale.sqlite3 and the PostgreSQL database pledgebook_bench_scale, then reused
# (bench/run.py --scale --fresh rebuilds them); the reports are added by bench/annual.py --scale,
# resumably.  Then the load on the two-server stack (bench/load.py, wrk, PostgreSQL):
# STACK_URL=http://... uses a running stack, LOAD_SECONDS=10 a quick run (default 60 s a page).
bench-scale: install
	$(PY) bench/run.py --scale
	$(PY) bench/annual.py --scale
	$(PY) bench/vectors_scale.py
	@if [ "$${BENCH_DB:-postgresql}" = postgresql ]; then \
		$(PY) bench/load.py $(if $(STACK_URL),--url $(STACK_URL)) \
			$(if $(LOAD_SECONDS),--duration $(LOAD_SECONDS)); fi

# What production must pass: no DEBUG, a long random key, HTTPS, real hosts and mail.
check-deploy: install
	@env SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
		DEBUG=0 \
		DATABASE_URL="$(POSTGRES_URL)" \
		ALLOWED_HOSTS=pledgebook.example.org \
		SITE_URL=https://pledgebook.example.org \
		EMAIL_URL='smtp://mailer:not-a-secret@smtp.example.org:587/?tls=True' \
		DEFAULT_FROM_EMAIL='Pledgebook <no-reply@pledgebook.example.org>' \
		TASKS_BACKEND=django_tasks_db.DatabaseBackend \
		CACHE_URL=rediscache://127.0.0.1:6379/1 \
		SECURE_SSL_REDIRECT=1 \
		$(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var
