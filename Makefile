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

.PHONY: run test env lint typecheck format openapi migrate demo-data rescan clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet 'uv>=0.8'

$(BIN)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

env: $(BIN)/.synced

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

test: lint typecheck
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache
