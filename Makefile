# Gongkai — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export GONGKAI_DATA_DIR ?= $(CURDIR)/data

.PHONY: run test test-unit test-browser lint bench install clean docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,redis,tantivy]'
	touch $(STAMP)

install: $(STAMP)

## make run: set up, migrate, load the demo district if empty, serve on http://127.0.0.1:8000
run: $(STAMP)
	GONGKAI_DEBUG=1 $(BIN)/gongkai migrate --no-input
	GONGKAI_DEBUG=1 $(BIN)/gongkai demo --if-empty
	GONGKAI_DEBUG=1 $(BIN)/gongkai serve 127.0.0.1:8000

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	GONGKAI_DATA_DIR=$$(mktemp -d) $(BIN)/gongkai makemigrations --check --dry-run
	GONGKAI_DATA_DIR=$$(mktemp -d) GONGKAI_HTTPS=1 GONGKAI_SECRET_KEY=$$($(BIN)/python -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  GONGKAI_FIELD_KEY=$$($(BIN)/gongkai fieldkey) \
	  GONGKAI_ALLOWED_HOSTS=gongkai.example $(BIN)/gongkai check --deploy --fail-level WARNING

## make test: lint, then the whole suite on SQLite, then on PostgreSQL if TEST_DATABASE_URL is set
test: lint
	$(MAKE) test-unit DATABASE_URL=
	$(MAKE) test-browser DATABASE_URL=
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
	  echo "== PostgreSQL =="; \
	  $(MAKE) test-unit DATABASE_URL="$$TEST_DATABASE_URL" && \
	  $(MAKE) test-browser DATABASE_URL="$$TEST_DATABASE_URL"; \
	else echo "TEST_DATABASE_URL not set: PostgreSQL run skipped"; fi

test-unit: $(STAMP)
	GONGKAI_DATA_DIR=$$(mktemp -d) DATABASE_URL="$(DATABASE_URL)" $(BIN)/pytest -m "not browser" -q

test-browser: $(STAMP)
	GONGKAI_DATA_DIR=$$(mktemp -d) DATABASE_URL="$(DATABASE_URL)" $(BIN)/pytest -m browser -q

bench: $(STAMP)
	@for b in bench/*.py; do [ -e "$$b" ] || continue; echo "== $$b"; $(BIN)/python "$$b" || exit 1; done

docs: $(STAMP)
	$(BIN)/gongkai envdoc --write docs/operations.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
