# Two commands: `make run` and `make test`. Only Python 3.11+ and make are needed:
# uv is installed into .tools/ and builds .venv from the committed uv.lock.
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test test-quick env lint typecheck format openapi messages migrate demo-data rescan clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet 'uv>=0.8'

$(BIN)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

env: $(BIN)/.synced
	$(BIN)/pybabel -q compile --domain messages --directory service/locale

# Extract every translatable message into the template and merge it into each catalog;
# then translate the new entries (kk, ru; en repeats the message) and commit the .po files.
messages: $(BIN)/.synced
	$(BIN)/pybabel -q extract --mapping-file babel.cfg --keywords _ --keywords N_ \
		--keywords lazy_gettext --keywords ngettext:1,2 --keywords sentence --no-location \
		--sort-output --project "Serpin Tracker" --copyright-holder "Serpin Tracker" \
		--msgid-bugs-address "" --omit-header --output-file service/locale/messages.pot .
	$(BIN)/pybabel -q update --domain messages --input-file service/locale/messages.pot \
		--output-dir service/locale --no-fuzzy-matching --ignore-obsolete

migrate: env
	$(BIN)/python -m service migrate

demo-data: migrate
	$(BIN)/python -m service demo-data

rescan: env
	$(BIN)/python -m service rescan

run: demo-data
	$(BIN)/python -m service rescan
	$(BIN)/python -m service serve --host $(HOST) --port $(PORT)

lint: env
	$(BIN)/ruff check service tests alembic bench
	$(BIN)/ruff format --check service tests alembic bench
	$(BIN)/lint-imports --no-logo --no-cache

typecheck: env
	$(BIN)/mypy service

format: env
	$(BIN)/ruff format service tests alembic bench
	$(BIN)/ruff check --fix service tests alembic bench

openapi: env
	$(BIN)/python -m service openapi

# One test process per core (pytest-xdist), each with databases of its own; the tests of one
# file stay in one process, so a file's server or browser starts once.
PARALLEL ?= -n auto --dist loadfile

test: lint typecheck
	$(BIN)/python -m pytest $(PARALLEL)

# While working: SQLite only, no server, cluster or browser started (the `live` tests); the
# whole run is `make test` (CI adds PostgreSQL).
test-quick: env
	TEST_DATABASE_URL= CI= $(BIN)/python -m pytest -q -m "not live" -p no:cacheprovider $(PARALLEL)

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache
