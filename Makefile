# The two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium
# The run command always uses the embedded database and in-process tasks.
RUN_ENV := DATABASE_URL= REDIS_URL= DEBUG=true

.PHONY: run test lint format messages check-python clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
		|| { echo "Python 3.11 or newer is needed as '$(PYTHON)': install python3 (3.11+)."; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null \
		|| { echo "Python's venv module is missing: apt-get install -y python3-venv"; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements/base.txt
	@touch $@

$(VENV)/.dev-installed: requirements/dev.txt $(VENV)/.base-installed
	$(BIN)/python -m pip install --quiet -r requirements/dev.txt
	@touch $@

run: $(VENV)/.base-installed
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_demo
	$(RUN_ENV) $(BIN)/python manage.py demo_logins
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(VENV)/.dev-installed
	@test -x $(CHROMIUM) || { echo "Browser tests need Chromium at $(CHROMIUM): apt-get install -y chromium"; exit 1; }
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

format: $(VENV)/.dev-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(VENV)/.dev-installed
	@command -v xgettext >/dev/null || { echo "Updating catalogues needs GNU gettext: apt-get install -y gettext"; exit 1; }
	$(BIN)/python manage.py makemessages --locale id --locale en --no-obsolete \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'e2e/*' --ignore 'bench/*' --ignore 'docs/*'
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf $(VENV) var db.sqlite3
