# The two commands of the README: `make run` and `make test`. Both install what they need.
# With HUB_NEO4J_URI set they use that Neo4j instead of starting a local one.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
IDE    := hub/web/static/vendor/graphiql.min.js
CONSOLE := hub/web/static/console/index.html
CONSOLE_SRC := $(shell find web/console -type f 2>/dev/null)

.PHONY: run test install assets browser lint stop schema bench bench-versus fuzz faults

run: install
ifeq ($(strip $(HUB_NEO4J_URI)),)
	$(BIN)/hub db start
endif
	$(BIN)/hub migrate
	$(BIN)/hub seed demo
	$(BIN)/hub serve

# The test suite starts its own throwaway Neo4j (see tests/conftest.py) unless
# HUB_NEO4J_URI is set. pytest's exit code 5 ("no tests ran") fails the run on purpose.
test: install lint browser
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

# GraphiQL with its React, and the console (TypeScript + Preact, bundled by esbuild), come
# from npm (pinned in web/package-lock.json) and are served by the hub itself: nothing is
# fetched from a CDN at run time. One install and one build make both. Without npm the IDE
# and the console are simply unavailable; the API works all the same.
assets: $(IDE) $(CONSOLE)

$(IDE) $(CONSOLE) &: web/package.json web/package-lock.json web/build.mjs $(CONSOLE_SRC)
	@if command -v npm >/dev/null 2>&1; then \
		cd web && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && node build.mjs; \
	else \
		echo "npm not found: skipping the GraphQL IDE's and the console's assets (the API works without them)" >&2; \
	fi

# The browser tests (tests/web) drive Debian's chromium with Playwright (never
# `playwright install`); without a CJK font Chinese renders as empty boxes.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ]; then \
		apt-get update && apt-get install -y --no-install-recommends chromium fonts-wqy-zenhei; \
	fi

stop: $(STAMP)
	$(BIN)/hub db stop

schema: $(STAMP)
	$(BIN)/hub export-schema

# The fault-injection harness (Neo4j SIGKILLed 3x and SIGSTOPped 30 s under keyed writes,
# backup and restore): minutes each, so `make test` leaves them to this target; CI runs both.
faults: install
	@$(BIN)/pytest -m faults tests/db; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no fault tests: failing on purpose" >&2; fi; \
	exit $$rc

# Schema fuzzing at the full bar of ../shared/RELIABILITY.md: 1,000 cases per kind of caller,
# and 1,000 arbitrary texts where codes, registry numbers and dates belong.
fuzz: install
	HUB_FUZZ_CASES=1000 HUB_BAD_INPUT_CASES=1000 $(BIN)/pytest -s \
		tests/security/test_fuzz.py tests/security/test_bad_input.py

# Benchmarks print medians and percentiles (never asserted in tests): see bench/.
bench: install
	$(BIN)/python -m bench.registry --orgs 10000 --queries 300
	$(BIN)/python -m bench.network --park-orgs 2000 --park BJ-ETOWN --calls 50
	$(BIN)/python -m bench.limits --repeat 200

# The hub side by side with the Neo4j GraphQL Library (pinned in bench/ngql/package-lock.json,
# not a dependency of the hub) on the same Neo4j, with APOC core from Maven Central.
bench-versus: install
	cd bench/ngql && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	$(BIN)/python -m bench.versus --orgs 10000
