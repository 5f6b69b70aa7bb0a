# The PCC Knowledge Hub. Two commands set up a fresh machine:
#   make run    create/refresh the virtualenv, install, migrate, seed demo content, serve
#   make test   install and run the whole test suite
#   make relevance [CORPUS=path/to/corpus.json]   search relevance per backend (throw-away data)
#   make bench  the benchmark suite beside the peer forums, every budget checked (make bench-quick)
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
LOCK := requirements/development.txt
STAMP := $(VENV)/.installed

.PHONY: run test relevance bench bench-quick install serve lint fmt lock es-up es-down es-status pg-up pg-down test-postgres clean

$(VENV)/bin/python:
	@python=$$(tools/require-python.sh) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

$(STAMP): $(VENV)/bin/python $(LOCK)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(LOCK)
	@touch $(STAMP)

install: $(STAMP)

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

run: install
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py seed_demo
	DJANGO_SETTINGS_MODULE=config.settings.dev tools/serve-dev.sh

test: install node_modules/.package-lock.json
	@tools/install-browser.sh
	tools/run-tests.sh

# Search relevance on the project's corpus (tests/search/relevance/corpus.json) or on CORPUS, in a
# throw-away database and index, on the embedded backend and on Elasticsearch (the local node is
# started when ELASTICSEARCH_URL is unset and a JDK exists). Exits non-zero on any leak.
# Add ARGS="-v 2" to list the queries that miss.
relevance: install
	DJANGO_SETTINGS_MODULE=config.settings.dev tools/with-elasticsearch.sh $(PY) manage.py search_relevance $(if $(CORPUS),--corpus "$(CORPUS)") $(ARGS)

# The benchmark suite (benchmarks/): ours beside django-spirit and django-machina (installed
# from PyPI into var/peers/), then search at 50,000 documents on both backends. Writes
# var/bench/results.json, prints the table and a PASS/FAIL line per budget; non-zero on a FAIL.
# ARGS="--only thread,memory" runs some scenarios only (thread, pages, weight, memory, search).
bench: install
	$(PY) -m benchmarks $(ARGS)
bench-quick: install
	$(PY) -m benchmarks --quick $(ARGS)

test-postgres: install node_modules/.package-lock.json
	DATABASE_URL=$$(tools/postgres.sh up | tail -n 1) $(MAKE) test

pg-up:
	@tools/postgres.sh up
pg-down:
	@tools/postgres.sh down

es-up:
	@tools/elasticsearch/es.sh up
es-down:
	@tools/elasticsearch/es.sh down
es-status:
	@tools/elasticsearch/es.sh status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Re-resolve the pinned, hashed dependency locks after editing pyproject.toml.
lock: install
	$(VENV)/bin/pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -q -o requirements/production.txt
	$(VENV)/bin/uv pip compile pyproject.toml --group dev --python-version 3.11 --generate-hashes -q -o requirements/development.txt

clean:
	rm -rf $(VENV) node_modules var/staticfiles
