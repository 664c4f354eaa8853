# Samiksha: `make run` starts the app on the demo district; `make test` runs every check.
# Both set up what they need first: a virtual environment from the pinned requirements and
# the Debian packages chromium and fonts-noto-core.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-stamp
PORT ?= 8501
DB ?= $(or $(SAMIKSHA_DB),data/samiksha.duckdb)

# Python keeps compiled modules (some machines set PYTHONDONTWRITEBYTECODE): every command and
# test process would otherwise compile the sources again (about half a second each).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup system run test lint unit browser bench demo clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

system:
	@bash scripts/system-packages.sh

setup: $(STAMP) system

run: setup
	@test -f "$(DB)" || $(BIN)/python -m samiksha demo --db "$(DB)"
	SAMIKSHA_DB="$(DB)" $(BIN)/streamlit run app.py --server.headless true --server.port $(PORT) \
		--browser.gatherUsageStats false

lint: setup
	$(BIN)/ruff check .

unit: setup
	$(BIN)/python -m pytest -n 2 -m "not browser" tests

browser: setup
	$(BIN)/python -m pytest -m browser tests

test: lint
	$(BIN)/python -m pytest -n 2 tests

bench: setup
	$(BIN)/python bench/run.py

demo: setup
	$(BIN)/python -m samiksha demo --db "$(DB)"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
