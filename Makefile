# Holding Hope — every target a newcomer needs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Quiet by default; `make run V=1` shows every step's detail.
V ?=
Q := $(if $(V),,-q)
SEED_VERBOSITY := $(if $(V),2,1)
# When make started, for the time `make run` took to serve.
STARTED := $(shell date +%s)
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
NHSUK_CSS := static/build/nhsuk-frontend.min.css
SCORM_JS := static/build/scorm-again/.installed
H5P_JS := static/build/h5p-standalone/.installed

.PHONY: help install run test test-fast lint format check-deploy migrate seed worker beat lock serve clean ci relay \
	bench bench-quick load backup check-keys topology

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/bin/python:
	@echo "Creating $(VENV)…"
	@$(PYTHON) -m venv $(VENV)

# uv installs the lock in seconds where pip takes minutes (--compile-bytecode: the packages'
# bytecode is written once here, as pip does, so no process compiles Django and Wagtail again;
# that matters where PYTHONDONTWRITEBYTECODE is set and nothing would ever write it): the machine's uv if it has one,
# otherwise uv installed into the environment first (it is a package on PyPI itself); pip is the
# fallback only if that fails (no network for the extra package, an unusual platform).
$(PY_STAMP): requirements.lock | $(VENV)/bin/python
	@echo "Installing Python packages…"
	@uv=$$(command -v uv || echo $(VENV)/bin/uv); \
	if ( [ -x "$$uv" ] || $(PY) -m pip install $(Q) --disable-pip-version-check uv ) \
		&& "$$uv" pip install $(Q) --compile-bytecode --python $(PY) -r requirements.lock; then :; \
	else echo "uv was not available: installing with pip (slower)…"; \
		$(PY) -m pip install $(Q) --disable-pip-version-check -r requirements.lock; fi
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@echo "Installing front-end packages…"
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The NHS.UK frontend's stylesheet, built without its third-party web fonts.
$(NHSUK_CSS): static/scss/nhsuk.scss $(NODE_STAMP)
	@node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
		--quiet-deps static/scss/nhsuk.scss $@

# scorm-again, the SCORM runtime lessons play packages with (docs/scorm.md): the lesson page's
# APIs and the cross-frame client served into each package's frame.
$(SCORM_JS): $(NODE_STAMP)
	@mkdir -p $(@D)
	@cd node_modules/scorm-again && cp dist/scorm12.min.js dist/scorm12.min.js.map \
		dist/scorm2004.min.js dist/scorm2004.min.js.map dist/cross-frame-api.min.js \
		dist/cross-frame-api.min.js.map LICENSE $(CURDIR)/$(@D)/
	@touch $@

# h5p-standalone, the H5P player that runs inside an H5P lesson block's sandboxed frame.
$(H5P_JS): $(NODE_STAMP)
	@mkdir -p $(@D)
	@cp -r node_modules/h5p-standalone/dist/. $(@D)/
	@touch $@

install: $(PY_STAMP) $(NODE_STAMP) $(NHSUK_CSS) $(SCORM_JS) $(H5P_JS) ## Create .venv and install Python and npm packages

migrate: install ## Apply database migrations
	@$(PY) manage.py migrate --no-input -v0

seed: migrate ## Load the demo data (idempotent)
	@$(PY) manage.py seed_demo -v $(SEED_VERBOSITY)

run: seed ## Set everything up, print the demo sign-ins and serve on http://127.0.0.1:$(PORT) (V=1: detail)
	@echo ""
	@echo "Ready in $$(( $$(date +%s) - $(STARTED) )) s. Serving on http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	@$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The project's own bytecode, compiled (only what changed) before a test run: every xdist worker
# and every manage.py the tests start then reads it instead of compiling about six seconds of
# source each, even where PYTHONDONTWRITEBYTECODE keeps Python from writing it. __pycache__
# is ignored by git.
COMPILE_PROJECT := $(PY) -m compileall -q -j 0 learning modules reflection community tests manage.py >/dev/null
# pytest rewrites the asserts of every test module (about 7 s of CPU a worker) and keeps the
# result in __pycache__ only where Python may write bytecode; PYTHONDONTWRITEBYTECODE, when the
# environment sets it, is cleared for pytest so a second run reads what the first one wrote.
PYTEST := PYTHONDONTWRITEBYTECODE= $(PY) -m pytest

test: install ## Lint, check architecture and migrations, and run the whole test suite
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .
	@$(VENV)/bin/lint-imports --no-cache
	@$(PY) -m mypy
	@DJANGO_SETTINGS_MODULE=learning.settings.test $(PY) manage.py makemigrations --check --dry-run -v1
	@$(COMPILE_PROJECT)
	@$(PYTEST) -n $${PYTEST_WORKERS:-2} $(PYTEST_ARGS)

# Three workers on two cores: a browser test spends part of its time waiting on chromium and the
# live server, which a third worker fills (5 min 56 s against 7 min 3 s in one pair of runs;
# four was slower, 7 min 55 s; docs/performance.md has the rest).
test-fast: install ## Local work: the tests not marked slow (scale and property tests run in make test and CI)
	@$(COMPILE_PROJECT)
	@$(PYTEST) -n $${PYTEST_WORKERS:-3} --dist worksteal -m "not slow" $(PYTEST_ARGS)

lint: install ## ruff lint and format check only
	@$(PY) -m ruff check . && $(PY) -m ruff format --check .

format: install ## Format the code with ruff
	@$(PY) -m ruff check --fix . && $(PY) -m ruff format .

check-deploy: install ## Django's deployment checks with production settings
	@DJANGO_SETTINGS_MODULE=learning.settings.production \
	SECRET_KEY=$${SECRET_KEY:-check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9)} \
	DATABASE_URL=$${DATABASE_URL:-postgres://localhost/holdinghope} REDIS_URL=$${REDIS_URL:-redis://localhost:6379/0} \
	ALLOWED_HOSTS=$${ALLOWED_HOSTS:-hope.example.nhs.uk} \
	HOPE_FIELD_ENCRYPTION_KEYS=$${HOPE_FIELD_ENCRYPTION_KEYS:-$$($(PY) -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())")} \
	$(PY) manage.py check --deploy --fail-level WARNING

worker: install ## Run a Celery worker (needs REDIS_URL)
	@$(VENV)/bin/celery -A learning worker --loglevel=INFO --concurrency=$${CELERY_CONCURRENCY:-2}

beat: install ## Run Celery beat, the scheduler for reminders and retention (needs REDIS_URL)
	@$(VENV)/bin/celery -A learning beat --loglevel=INFO --schedule=$${CELERY_BEAT_SCHEDULE_FILE:-/tmp/hope-celerybeat-schedule}

relay: install ## Run the task outbox relay: publishes tasks the broker could not take at the time
	@$(PY) manage.py outbox_relay

serve: install ## Serve with gunicorn and production settings (environment must be set)
	@DJANGO_SETTINGS_MODULE=learning.settings.production $(PY) manage.py collectstatic --no-input -v0
	@DJANGO_SETTINGS_MODULE=learning.settings.production PORT=$(PORT) \
		$(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py learning.wsgi

# --- benchmark (learning/bench/, docs/performance.md) ---------------------------------------
SCALE ?= 1
COMPARE ?=

bench: install ## Benchmark every key page with gunicorn at SCALE (1); COMPARE=<1× result JSON>
	@$(PY) manage.py bench --scale $(SCALE) $(if $(COMPARE),--compare $(COMPARE))

bench-quick: install ## Short benchmark (scale 0.1): fails on changed queries or CPU vs the baseline
	@$(PY) manage.py bench --quick

STEPS ?= 200,400,600,800,1000,1200
STEP_SECONDS ?= 60

load: install ## People one web node serves (locust in var/locust-venv): SCALE, STEPS, STEP_SECONDS
	@$(PY) manage.py bench --load --scale $(SCALE) --steps $(STEPS) --step-seconds $(STEP_SECONDS)

# --- operations (docs/operations.md) ----------------------------------------------------------
BACKUP_DIR ?= backups

backup: install ## Back up the database, media manifest and key fingerprints into BACKUP_DIR
	@$(PY) manage.py backup --to $(BACKUP_DIR)

check-keys: install ## Check every encrypted value opens with HOPE_FIELD_ENCRYPTION_KEYS
	@$(PY) manage.py check_encryption_keys

topology: install ## Two web nodes, a worker, two beats, PostgreSQL, Redis and a local S3, for real
	@$(PYTEST) -q -p no:xdist -m topology tests/topology $(PYTEST_ARGS)

lock: ## Re-create requirements.lock from pyproject.toml with uv
	@uv pip compile pyproject.toml --extra dev -o requirements.lock -q

ci: ## What CI runs: make test against PostgreSQL, Redis and chromium
	@bash .ci/run

clean: ## Remove the virtual environment, node_modules and the local database
	@rm -rf $(VENV) node_modules db.sqlite3 static_collected
