# The two commands of the README: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
MANAGE := $(PY) manage.py

.PHONY: run test setup install translations migrate data lint format messages bench clean

run: setup ## Install, migrate, load data and serve on http://127.0.0.1:8000 with worker and beat
	$(VENV)/bin/honcho -f Procfile.dev start

# One test process per core (pytest-xdist); TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= auto

test: install translations lint ## Lint and run the whole suite (PostgreSQL when DATABASE_URL is set)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

setup: install translations migrate data

$(PY):
	"$$(scripts/find-python)" -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(MANAGE) compile_translations

migrate: install
	$(MANAGE) migrate --noinput

data: install
	$(MANAGE) load_reference_data
	$(MANAGE) load_demo_data

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install ## Extract UI strings into locale/fr (needs GNU gettext; only for developers)
	$(MANAGE) makemessages -l fr --no-obsolete --no-location --ignore=.venv --ignore=staticfiles --ignore=var --ignore=tests --ignore=benchmarks --ignore=scripts
	$(PY) scripts/fill_translations.py

bench: install ## Benchmarks against PostgreSQL (DATABASE_URL must be set)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) var staticfiles
