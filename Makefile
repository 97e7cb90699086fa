# The two commands of the README: `make run` and `make test`. Both install what they need.
# With HUB_NEO4J_URI set they use that Neo4j instead of starting a local one.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
IDE    := hub/web/static/vendor/graphiql.min.js

.PHONY: run test install assets lint stop schema bench

run: install
ifeq ($(strip $(HUB_NEO4J_URI)),)
	$(BIN)/hub db start
endif
	$(BIN)/hub migrate
	$(BIN)/hub seed demo
	$(BIN)/hub serve

# The test suite starts its own throwaway Neo4j (see tests/conftest.py) unless
# HUB_NEO4J_URI is set. pytest's exit code 5 ("no tests ran") fails the run on purpose.
test: install lint
	@$(BIN)/pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose" >&2; fi; \
	exit $$rc

lint: install
	$(BIN)/ruff check hub tests bench
	$(BIN)/ruff format --check hub tests bench
	$(BIN)/mypy hub

install: $(STAMP) assets

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# GraphiQL and its React come from npm (pinned in web/package-lock.json) and are served
# by the hub itself: nothing is fetched from a CDN at run time. Without npm the IDE is
# simply unavailable; everything else works.
assets: $(IDE)

$(IDE): web/package.json web/package-lock.json web/build.mjs
	@if command -v npm >/dev/null 2>&1; then \
		cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && node build.mjs; \
	else \
		echo "npm not found: skipping the GraphQL IDE's assets (the API works without them)" >&2; \
	fi

stop: $(STAMP)
	$(BIN)/hub db stop

schema: $(STAMP)
	$(BIN)/hub export-schema

# Benchmarks print medians and percentiles (never asserted in tests): see bench/.
bench: install
	$(BIN)/python -m bench.registry --orgs 10000 --queries 300
