# The front door. `make run` serves the demo; `make test` runs every test against the real parts.
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv/bin
MESSAGE_IGNORES := --ignore=.venv --ignore=.tools --ignore=var --ignore=staticfiles --ignore=benchmarks --ignore=tests --ignore=scripts

.PHONY: bench-load bench-downloads bench-matching bench-reminders run test bench lint format install services-deps messages clean backup restore

.tools/bin/uv:
	@$(PYTHON) -m venv .tools 2>/dev/null || { \
	  echo "Python's venv module is missing; installing python3-venv (Debian)…"; \
	  apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv .tools; }
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# A stamp, not the interpreter: touching .venv/bin/python would follow its link.
.venv/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

install: .venv/.synced

run: install
	$(VENV)/python scripts/run.py

# Backups (docs/operations.md): `make backup` writes $(BACKUP_DIR)/patio-<UTC time>/ (default
# var/backups); `make restore BACKUP=that/folder` restores one into DATABASE_URL, which must be
# empty unless FORCE=1. Both need PostgreSQL and its client programs (pg_dump, pg_restore).
backup: install
	$(VENV)/python manage.py backup

restore: install
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=var/backups/patio-…"; exit 2; }
	$(VENV)/python manage.py restore "$(BACKUP)" $(if $(filter 1,$(FORCE)),--force)

# pytest-xdist runs PYTEST_WORKERS processes (`auto`: one per core; 0 runs in one process).
PYTEST_WORKERS ?= auto

# Lint and format are checked first: a finding fails the run before any service starts.
test: install
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/mypy
	$(VENV)/python scripts/testenv.py -- $(VENV)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup --durations=15 $(PYTEST_ARGS)

# The tests that need no service, run with none: no PostgreSQL, Redis or Chromium needed.
.PHONY: test-pure
test-pure: install
	env -u DATABASE_URL -u REDIS_URL -u REDIS_CACHE_URL $(VENV)/python -m pytest -m pure $(PYTEST_ARGS)

bench: install
	$(VENV)/python scripts/testenv.py --keep-data -- $(VENV)/python benchmarks/directory.py $(BENCH_ARGS)

bench-downloads: install
	$(VENV)/python scripts/testenv.py --keep-data -- $(VENV)/python -m benchmarks.downloads $(BENCH_ARGS)

bench-matching: install
	$(VENV)/python scripts/testenv.py --keep-data -- $(VENV)/python benchmarks/matching.py --database $(BENCH_ARGS)

bench-reminders: install
	$(VENV)/python scripts/testenv.py -- $(VENV)/python benchmarks/reminders.py $(BENCH_ARGS)

# Locust against gunicorn and a worker with the production settings (docs/operations.md).
# LOAD_USERS (200) people for LOAD_MINUTES (10); e.g. `LOAD_USERS=20 LOAD_MINUTES=1 make bench-load`.
bench-load: install
	$(VENV)/python scripts/testenv.py -- $(VENV)/python benchmarks/load.py

lint: install
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/mypy

format: install
	$(VENV)/ruff format .
	$(VENV)/ruff check --fix .

# Every catalogue under locale/ gathers the new messages (marked untranslated, or fuzzy when a
# similar one exists), then all are compiled. See "Translating" in the README.
messages: install
	for language in $$(ls locale); do \
	  DEBUG=1 $(VENV)/python manage.py makemessages -l $$language --no-obsolete $(MESSAGE_IGNORES) || exit 1; \
	done
	DEBUG=1 $(VENV)/python manage.py compilemessages $(MESSAGE_IGNORES)

clean:
	rm -rf .venv .tools var
